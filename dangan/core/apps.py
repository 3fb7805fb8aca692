from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


def _sqlite_pragmas(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL;")
            cursor.execute("PRAGMA foreign_keys=ON;")


def _reinstall_guards(sender: Any, using: str = "default", **kwargs: Any) -> None:
    from dangan.core import dbguards

    dbguards.install_all(connections[using])


class CoreConfig(AppConfig):
    name = "dangan.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        connection_created.connect(_sqlite_pragmas, dispatch_uid="dangan-sqlite-pragmas")
        # Infrastructure, not domain logic: guards must survive SQLite's table rebuilds.
        post_migrate.connect(_reinstall_guards, dispatch_uid="dangan-db-guards")
