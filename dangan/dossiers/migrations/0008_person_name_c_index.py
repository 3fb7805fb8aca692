"""PostgreSQL: the name in code-point order with the person's id, so a name lookup reads its first page straight
from the index (ADR 0007). Not a model index: SQLite has no "C" collation, and its own BINARY order already is
code-point order."""

from typing import Any

from django.db import migrations


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'CREATE INDEX IF NOT EXISTS person_name_c_idx ON dossiers_person ((name COLLATE "C"), id)'
        )


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS person_name_c_idx")


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0007_person_name_drop_duplicate_indexes")]

    operations = [migrations.RunPython(create, drop)]
