"""Django's flush, lifting the protective triggers while it empties the tables (tests, resets)."""

from typing import Any

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from dangan.core import dbguards


class Command(FlushCommand):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        guards = dbguards.installed_guards(connection)
        for guard in guards:
            dbguards.uninstall(connection, guard)
        try:
            super().handle(**options)
        finally:
            for guard in guards:
                dbguards.install(connection, guard)
