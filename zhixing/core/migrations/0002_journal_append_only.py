"""The database itself refuses to UPDATE a journal event (append-only, defence in depth).

Deletions are not blocked here (test flushes and retention jobs need them); a deleted or
reordered event breaks the SM3 chain, which `zhixing verify` reports.
"""

from django.db import migrations

from zhixing.core.db import RefuseUpdates

TABLE = "core_journalevent"
TRIGGER = "core_journalevent_append_only"
MESSAGE = "journal events are append-only"


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [RefuseUpdates(table=TABLE, name=TRIGGER, message=MESSAGE)]
