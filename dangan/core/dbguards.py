"""Database triggers that refuse what must never happen (editing the audit log, deleting dossiers).

The ORM checks come first; these triggers make the rule hold for raw SQL too. Each guard is
installed by its app's migration. The `flush` command (tests only) lifts them while it empties
the database and puts them back afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Guard:
    name: str
    table: str
    operations: tuple[str, ...]  # "UPDATE", "DELETE"
    message: str


GUARDS: dict[str, Guard] = {}


def register(guard: Guard) -> Guard:
    GUARDS[guard.name] = guard
    return guard


AUDIT_APPEND_ONLY = register(
    Guard(
        name="audit_append_only",
        table="audit_auditevent",
        operations=("UPDATE", "DELETE"),
        message="audit log is append-only",
    )
)
AUDIT_HEAD_KEPT = register(
    Guard(
        name="audit_head_kept",
        table="audit_auditchainhead",
        operations=("DELETE",),
        message="the audit chain head is never deleted",
    )
)
DOSSIER_NO_DELETE = register(
    Guard(
        name="dossier_no_delete", table="dossiers_dossier", operations=("DELETE",), message="dossiers are never deleted"
    )
)
MATERIAL_NO_DELETE = register(
    Guard(
        name="material_no_delete",
        table="materials_material",
        operations=("DELETE",),
        message="dossier materials are never deleted",
    )
)
PERSON_NO_DELETE = register(
    Guard(name="person_no_delete", table="dossiers_person", operations=("DELETE",), message="persons are never deleted")
)


def _sql(vendor: str, guard: Guard, install: bool) -> list[str]:
    fn = f"dangan_guard_{guard.name}"
    if vendor == "postgresql":
        if not install:
            return [
                f"DROP TRIGGER IF EXISTS {fn}_row ON {guard.table}",
                f"DROP TRIGGER IF EXISTS {fn}_truncate ON {guard.table}",
                f"DROP FUNCTION IF EXISTS {fn}()",
            ]
        ops = " OR ".join(guard.operations)
        statements = [
            *_sql(vendor, guard, install=False)[:2],
            f"CREATE OR REPLACE FUNCTION {fn}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{guard.message}' USING ERRCODE = 'integrity_constraint_violation'; END $$",
            f"CREATE TRIGGER {fn}_row BEFORE {ops} ON {guard.table} FOR EACH ROW EXECUTE FUNCTION {fn}()",
        ]
        if "DELETE" in guard.operations:
            statements.append(
                f"CREATE TRIGGER {fn}_truncate BEFORE TRUNCATE ON {guard.table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {fn}()"
            )
        return statements
    if vendor == "sqlite":
        names = [f"{fn}_{op.lower()}" for op in guard.operations]
        if not install:
            return [f"DROP TRIGGER IF EXISTS {name}" for name in names]
        return [
            f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {op} ON {guard.table} "
            f"BEGIN SELECT RAISE(ABORT, '{guard.message}'); END"
            for name, op in zip(names, guard.operations, strict=True)
        ]
    return []


def install(connection: Any, guard: Guard) -> None:
    with connection.cursor() as cursor:
        for statement in _sql(connection.vendor, guard, install=True):
            cursor.execute(statement)


def uninstall(connection: Any, guard: Guard) -> None:
    with connection.cursor() as cursor:
        for statement in _sql(connection.vendor, guard, install=False):
            cursor.execute(statement)


def install_all(connection: Any) -> None:
    """(Re)install every guard whose table exists; SQLite loses triggers when a migration rebuilds a table."""
    for guard in installed_guards(connection):
        install(connection, guard)


def installed_guards(connection: Any) -> list[Guard]:
    tables = set(connection.introspection.table_names())
    return [g for g in GUARDS.values() if g.table in tables]


def migration_operation(guard_name: str) -> Any:
    """A RunPython operation for an app's migration that installs one guard."""
    from django.db import migrations

    def forwards(apps: Any, schema_editor: Any) -> None:
        install(schema_editor.connection, GUARDS[guard_name])

    def backwards(apps: Any, schema_editor: Any) -> None:
        uninstall(schema_editor.connection, GUARDS[guard_name])

    return migrations.RunPython(forwards, backwards)
