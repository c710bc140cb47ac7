"""The database refuses to UPDATE an issued document (defence in depth beside Document.save).

A correction is a new document that references the old one; the old row never changes.
"""

from django.db import migrations

from zhixing.core.db import RefuseUpdates


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [
        RefuseUpdates(
            table="documents_document", name="documents_document_immutable", message="issued documents are immutable"
        )
    ]
