"""Bulk helpers: keys sent to PostgreSQL as one packed parameter (and the values that cannot be packed); the
dashboard counters a real run keeps while it writes by chunks."""

import pytest
from django.db import connection

from dangan.analytics import aggregates
from dangan.analytics.models import DossierFacts, StockCount
from dangan.dossiers.models import Dossier, Person
from dangan.migration import bulk, importer, writing
from dangan.migration.tests.ledgers import LedgerPlan


def test_keys_pack_into_one_parameter_unless_a_value_would_split_wrongly():
    assert bulk._packed(["a", "b"]) == ("a\x1fb", "= ANY(string_to_array(%s, E'\\x1f'))")
    assert bulk._packed([3, 10]) == ("3,10", "= ANY(string_to_array(%s, ',')::bigint[])")
    assert bulk._packed(["a\x1fb", "c"]) is None  # the separator inside a value
    assert bulk._packed(["", "c"]) is None  # string_to_array('') is an empty array
    assert bulk._packed(["a", 1]) is None
    assert bulk._packed([True, 1]) is None


@pytest.mark.django_db
@pytest.mark.parametrize("odd", ["甲\x1f乙", ""])
def test_lookups_find_every_key_packed_or_not(odd):
    ids = [
        Person.objects.create(id_type="1", id_number=f"N{i}", name=f"人{i}", sex="1", birth_date="1980-01-01").pk
        for i in range(3)
    ]
    query = bulk.sql(
        "SELECT {dossiers.Person.id_number} FROM {dossiers.Person} WHERE {dossiers.Person.id_number} IN ({})"
    )
    assert sorted(r[0] for r in bulk.select_in(query, ["N0", "N2", "N0", "X"])) == ["N0", "N2"]
    assert sorted(r[0] for r in bulk.select_in(query, ["N1", odd])) == ["N1"]
    by_key = bulk.sql("SELECT {dossiers.Person.id} FROM {dossiers.Person} WHERE {dossiers.Person.id} IN ({})")
    assert sorted(r[0] for r in bulk.select_in(by_key, [ids[2], ids[0], 10**12])) == sorted([ids[0], ids[2]])
    assert connection.vendor in ("postgresql", "sqlite")


@pytest.mark.rule("R38")
@pytest.mark.django_db
def test_the_dashboard_counters_follow_a_real_run_written_by_chunks(tmp_path, rooms, run_ledger, monkeypatch):
    """The counters follow the dossiers a few chunks at a time and once more at the end: equal to a rebuild."""
    monkeypatch.setattr(importer, "INSERT_CHUNK", 4)
    monkeypatch.setattr(writing, "COUNT_EVERY", 7)  # several calls, and a remainder for the end of the ledger
    written = LedgerPlan(30, seed=11).write(tmp_path, planted=False)
    job = run_ledger(written.ledger, written.materials, default_source="原行业中心")
    assert (job.error_count, job.imported_count) == (0, 30), job.errors_preview
    assert DossierFacts.objects.count() == Dossier.objects.count() == 30

    def counters():
        return {(c.agency_id, c.dimension, c.key): c.n for c in StockCount.objects.all() if c.n}

    kept = counters()
    assert kept
    aggregates.rebuild()
    assert counters() == kept
