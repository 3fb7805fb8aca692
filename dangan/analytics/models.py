"""Incrementally maintained aggregates of the stock (R38, R46): the dashboard reads these, not the base tables.

`DossierFacts` is each dossier's projection onto the dashboard's dimensions, kept so a change can be undone
from the counters exactly; `StockCount` holds the counters per holding agency. Both are derived data:
`manage.py analytics_rebuild` recomputes them from the base tables and `--check` compares.
"""

from __future__ import annotations

from django.db import models


class DossierFacts(models.Model):
    dossier = models.OneToOneField("dossiers.Dossier", primary_key=True, on_delete=models.DO_NOTHING, related_name="+")
    agency_id = models.IntegerField()
    in_stock = models.BooleanField()
    sex = models.CharField(max_length=1, blank=True)
    birth_date = models.DateField(null=True)
    political_status = models.CharField(max_length=2, blank=True)
    ethnic_group = models.CharField(max_length=2, blank=True)
    entrustment_type = models.CharField(max_length=20, blank=True)
    received_month = models.CharField(max_length=7, blank=True)
    source_name = models.CharField(max_length=200, blank=True)
    educations = models.CharField(
        max_length=100, blank=True
    )  # the codes of the highest-education rows, comma-separated
    titles = models.CharField(max_length=200, blank=True)  # the title levels held, comma-separated
    filled = models.PositiveSmallIntegerField(default=0)  # mandatory items filled, of the 26 (analytics.mandatory)
    missing = models.CharField(max_length=100, blank=True, default="")  # the missing items' numbers, e.g. "10,11"

    class Meta:
        indexes = [models.Index(fields=["in_stock", "filled", "dossier"], name="analytics_facts_worst")]


class StockCount(models.Model):
    agency_id = models.IntegerField()
    dimension = models.CharField(max_length=20)
    key = models.CharField(max_length=200)
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency_id", "dimension", "key"], name="analytics_stockcount_key")
        ]
        indexes = [models.Index(fields=["dimension", "key"], name="analytics_stockcount_range")]
