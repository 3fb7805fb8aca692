from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AnalyticsConfig(AppConfig):
    name = "dangan.analytics"
    label = "analytics"
    verbose_name = "统计分析"

    def ready(self) -> None:
        from dangan.analytics import aggregates

        aggregates.connect()
        post_migrate.connect(_rebuild_if_stale, sender=self)


def _rebuild_if_stale(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """Facts counted by an older rule (ten fields, no missing items) are computed again once the database is
    fully migrated: run here, after `migrate`, the rebuild reads a schema that matches today's models, which a
    data migration running today's code in the middle of the graph could not promise."""
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    from dangan.analytics import aggregates, mandatory
    from dangan.analytics.models import DossierFacts

    connection = connections[using]
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return  # migrated part of the way only: the models may not match the tables yet
    if DossierFacts.objects.using(using).filter(missing="", filled__lt=mandatory.TOTAL).exists():
        aggregates.rebuild()
