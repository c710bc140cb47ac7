"""The ledger is insert-only: the database refuses UPDATE and DELETE of postings and entries."""

from __future__ import annotations

from django.db import migrations

from zhixing.core.db import RefuseDeletes, RefuseUpdates

MESSAGE = "ledger rows are insert-only"


class Migration(migrations.Migration):
    dependencies = [("funds", "0001_initial")]
    operations = [
        RefuseUpdates(table="funds_posting", name="funds_posting_no_update", message=MESSAGE),
        RefuseDeletes(table="funds_posting", name="funds_posting_no_delete", message=MESSAGE),
        RefuseUpdates(table="funds_entry", name="funds_entry_no_update", message=MESSAGE),
        RefuseDeletes(table="funds_entry", name="funds_entry_no_delete", message=MESSAGE),
    ]
