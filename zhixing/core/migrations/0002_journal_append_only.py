"""The database itself refuses to UPDATE a journal event (append-only, defence in depth).

Deletions are not blocked here (test flushes and retention jobs need them); a deleted or
reordered event breaks the SM3 chain, which `zhixing verify` reports.
"""

from django.db import migrations

SQLITE_UP = """
CREATE TRIGGER core_journalevent_append_only BEFORE UPDATE ON core_journalevent
BEGIN SELECT RAISE(ABORT, 'journal events are append-only'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS core_journalevent_append_only;"

PG_UP = """
CREATE OR REPLACE FUNCTION core_journalevent_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'journal events are append-only'; END; $$ LANGUAGE plpgsql;
CREATE TRIGGER core_journalevent_append_only BEFORE UPDATE ON core_journalevent
FOR EACH ROW EXECUTE FUNCTION core_journalevent_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS core_journalevent_append_only ON core_journalevent;
DROP FUNCTION IF EXISTS core_journalevent_append_only();
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
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
