"""An interrupted run leaves nothing half-imported (R36), and the same file can be run again."""

import pytest

from dangan.audit.models import AuditEvent
from dangan.dossiers.models import (
    Dossier,
    DossierNumberSequence,
    EducationRecord,
    EmploymentRecord,
    PartyMembership,
    Person,
)
from dangan.materials.models import Material
from dangan.migration.models import ImportJob, JobStatus
from dangan.migration.tests.ledgers import LedgerPlan
from dangan.migration.writing import Writer
from dangan.storage.models import DossierLocation, Location, LocationMove

WRITTEN = (Person, Dossier, EducationRecord, EmploymentRecord, PartyMembership, Material, Location, DossierLocation,
           LocationMove, DossierNumberSequence)  # fmt: skip


def counts():
    return {model.__name__: model.objects.count() for model in WRITTEN}


@pytest.fixture(scope="module")
def small_ledger(tmp_path_factory):
    return LedgerPlan(3_500, seed=77).write(tmp_path_factory.mktemp("small"), planted=False)


@pytest.mark.rule("R36")
@pytest.mark.django_db(transaction=True)  # a real transaction, really rolled back
@pytest.mark.parametrize("where", ["ledger_chunk", "materials_chunk"])
def test_an_interrupted_run_leaves_nothing_and_runs_again(small_ledger, rooms, run_ledger, monkeypatch, where):
    before = counts()
    original = getattr(Writer, where)
    calls = {"n": 0}

    def failing(self, rows):
        calls["n"] += 1
        if calls["n"] == 3:  # after some chunks were written
            raise ConnectionError("power cut")
        return original(self, rows)

    monkeypatch.setattr(Writer, where, failing)
    with pytest.raises(ConnectionError):
        run_ledger(small_ledger.ledger, small_ledger.materials, default_source="原行业中心")
    assert calls["n"] == 3
    assert counts() == before
    job = ImportJob.objects.get()
    assert job.status == JobStatus.FAILED
    assert "已全部撤销" in job.message
    assert AuditEvent.objects.filter(action="migration.failed").count() == 1
    assert not AuditEvent.objects.filter(action="migration.imported").exists()

    monkeypatch.setattr(Writer, where, original)
    again = run_ledger(small_ledger.ledger, small_ledger.materials, default_source="原行业中心")
    assert again.status == JobStatus.DONE
    assert again.imported_count == 3_500
    assert Person.objects.count() == before["Person"] + 3_500
    assert Material.objects.count() == small_ledger.material_rows
