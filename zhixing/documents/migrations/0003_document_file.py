"""A document's PDF moves to its own row (:class:`DocumentFile`), rendered outside the act's transaction.

The existing documents keep their files: each gets its ``DocumentFile`` from the columns it had. On
SQLite, dropping a column rebuilds the table, which drops its trigger; the UPDATE guard of migration
0002 is therefore put back (dropped first where it survived, as on PostgreSQL).
"""

from typing import Any

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

from zhixing.core.db import RefuseUpdates, refuse_updates_sql

DOCUMENT_TRIGGER = "documents_document_immutable"
DOCUMENT_MESSAGE = "issued documents are immutable"


def copy_files(apps: Any, schema_editor: Any) -> None:
    Document = apps.get_model("documents", "Document")
    DocumentFile = apps.get_model("documents", "DocumentFile")
    rows = Document.objects.order_by("pk").values_list("pk", "content_hash", "size", "storage_name", "issued_at")
    DocumentFile.objects.bulk_create(
        [
            DocumentFile(document_id=pk, content_hash=h, size=n, storage_name=name, rendered_at=at)
            for pk, h, n, name, at in rows.iterator(chunk_size=2000)
        ],
        batch_size=2000,
    )


def restore_columns(apps: Any, schema_editor: Any) -> None:
    raise RuntimeError("irreversible: the files' rows cannot be folded back into the documents")


def guard_again(apps: Any, schema_editor: Any) -> None:
    sql = refuse_updates_sql(
        schema_editor.connection.vendor, table="documents_document", name=DOCUMENT_TRIGGER, message=DOCUMENT_MESSAGE
    )
    if sql:
        schema_editor.execute(sql[1])
        schema_editor.execute(sql[0])


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_document_immutable")]

    operations = [
        migrations.CreateModel(
            name="DocumentFile",
            fields=[
                (
                    "document",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        primary_key=True,
                        related_name="file",
                        serialize=False,
                        to="documents.document",
                        verbose_name="文书",
                    ),
                ),
                ("content_hash", models.CharField(max_length=64, verbose_name="文件摘要（SHA-256）")),
                ("size", models.PositiveIntegerField(verbose_name="文件大小（字节）")),
                ("storage_name", models.CharField(max_length=255, verbose_name="存储位置")),
                ("rendered_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="生成时间")),
            ],
            options={"verbose_name": "文书文件", "verbose_name_plural": "文书文件"},
        ),
        migrations.RunPython(copy_files, restore_columns),
        migrations.RemoveField(model_name="document", name="content_hash"),
        migrations.RemoveField(model_name="document", name="size"),
        migrations.RemoveField(model_name="document", name="storage_name"),
        migrations.RunPython(guard_again, migrations.RunPython.noop),
        RefuseUpdates(
            table="documents_documentfile",
            name="documents_documentfile_immutable",
            message="archived document files are immutable",
        ),
    ]
