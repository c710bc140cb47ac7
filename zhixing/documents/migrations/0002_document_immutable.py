"""The database refuses to UPDATE an issued document (defence in depth beside Document.save).

A correction is a new document that references the old one; the old row never changes.
"""

from django.db import migrations

SQLITE_UP = """
CREATE TRIGGER documents_document_immutable BEFORE UPDATE ON documents_document
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS documents_document_immutable;"

PG_UP = """
CREATE OR REPLACE FUNCTION documents_document_immutable() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'issued documents are immutable'; END; $$ LANGUAGE plpgsql;
CREATE TRIGGER documents_document_immutable BEFORE UPDATE ON documents_document
FOR EACH ROW EXECUTE FUNCTION documents_document_immutable();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS documents_document_immutable ON documents_document;
DROP FUNCTION IF EXISTS documents_document_immutable();
"""


def forwards(apps, schema_editor):
    sql = {"sqlite": SQLITE_UP, "postgresql": PG_UP}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    sql = {"sqlite": SQLITE_DOWN, "postgresql": PG_DOWN}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
