"""Database-level guards shared by the apps' migrations: tables whose rows the database itself protects."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def refuse_sql(vendor: str, *, event: str, table: str, name: str, message: str) -> tuple[str, str] | None:
    """(create, drop) SQL for a trigger that refuses every ``event`` (UPDATE or DELETE) on ``table``.

    None for other vendors. PostgreSQL's TRUNCATE fires no row trigger (the test runner's flush uses
    it); SQLite's flush is ``DELETE FROM``, so a transactional test that commits rows into a
    DELETE-protected table must drop the trigger first.
    """
    assert event in ("UPDATE", "DELETE")
    if vendor == "sqlite":
        return (
            f"CREATE TRIGGER {name} BEFORE {event} ON {table} BEGIN SELECT RAISE(ABORT, '{message}'); END;",
            f"DROP TRIGGER IF EXISTS {name};",
        )
    if vendor == "postgresql":
        return (
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$ "
            f"BEGIN RAISE EXCEPTION '{message}'; END; $$ LANGUAGE plpgsql; "
            f"CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}();",
            f"DROP TRIGGER IF EXISTS {name} ON {table}; DROP FUNCTION IF EXISTS {name}();",
        )
    return None


def refuse_updates_sql(vendor: str, *, table: str, name: str, message: str) -> tuple[str, str] | None:
    return refuse_sql(vendor, event="UPDATE", table=table, name=name, message=message)


def _operation(event: str, table: str, name: str, message: str) -> migrations.RunPython:
    def run(index: int) -> Any:
        def go(apps: Any, schema_editor: Any) -> None:
            sql = refuse_sql(
                schema_editor.connection.vendor, event=event, table=table, name=name, message=message
            )
            if sql:
                schema_editor.execute(sql[index])

        return go

    return migrations.RunPython(run(0), run(1))


def RefuseUpdates(*, table: str, name: str, message: str) -> migrations.RunPython:
    """A migration operation: the database itself refuses UPDATE on ``table`` (append-only rows)."""
    return _operation("UPDATE", table, name, message)


def RefuseDeletes(*, table: str, name: str, message: str) -> migrations.RunPython:
    """A migration operation: the database itself refuses DELETE from ``table``."""
    return _operation("DELETE", table, name, message)
