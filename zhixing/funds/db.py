"""DELETE-refusing triggers (the UPDATE-refusing ones come from ``zhixing.core.db``)."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def refuse_deletes_sql(vendor: str, *, table: str, name: str, message: str) -> tuple[str, str] | None:
    """(create, drop) SQL for a trigger that refuses every DELETE from ``table``, or None for other vendors.

    PostgreSQL's TRUNCATE does not fire row triggers (the test runner's flush uses it); SQLite's
    flush is ``DELETE FROM``, so tests that commit ledger rows must drop these triggers first.
    """
    if vendor == "sqlite":
        return (
            f"CREATE TRIGGER {name} BEFORE DELETE ON {table} BEGIN SELECT RAISE(ABORT, '{message}'); END;",
            f"DROP TRIGGER IF EXISTS {name};",
        )
    if vendor == "postgresql":
        return (
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$ "
            f"BEGIN RAISE EXCEPTION '{message}'; END; $$ LANGUAGE plpgsql; "
            f"CREATE TRIGGER {name} BEFORE DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION {name}();",
            f"DROP TRIGGER IF EXISTS {name} ON {table}; DROP FUNCTION IF EXISTS {name}();",
        )
    return None


def RefuseDeletes(*, table: str, name: str, message: str) -> migrations.RunPython:
    """A migration operation: the database itself refuses DELETE from ``table``."""

    def run(index: int) -> Any:
        def go(apps: Any, schema_editor: Any) -> None:
            sql = refuse_deletes_sql(schema_editor.connection.vendor, table=table, name=name, message=message)
            if sql:
                schema_editor.execute(sql[index])

        return go

    return migrations.RunPython(run(0), run(1))
