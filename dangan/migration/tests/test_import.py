"""The 10,000-row ledger with 50 planted errors (R36): reported exactly, imported only once fixed, never twice."""

import pytest
from openpyxl import load_workbook

from dangan.audit.models import AuditEvent
from dangan.dossiers.models import Dossier, EducationRecord, Person, SourceKind
from dangan.materials.models import Material
from dangan.migration.models import JobStatus
from dangan.migration.services import media_path
from dangan.migration.tests.conftest import HOLDER, hold_conflicts
from dangan.migration.tests.ledgers import KINDS, ROOM
from dangan.storage.models import DossierLocation, LocationMove


def report_cells(job):
    workbook = load_workbook(media_path(job.report_file), read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    workbook.close()
    return rows


@pytest.mark.rule("R36")
def test_ten_thousand_rows_with_fifty_planted_errors(ten_thousand, agencies, rooms, run_ledger):
    plan, planted, fixed = ten_thousand
    assert len(plan.plants) == 50
    assert set(plan.plants.values()) == set(KINDS)
    hold_conflicts(plan, agencies[HOLDER], rooms[ROOM])
    people, dossiers = Person.objects.count(), Dossier.objects.count()

    # Given the planted ledger, when it is tried, then exactly the 50 errors come back, row and column.
    dry = run_ledger(planted.ledger, planted.materials, dry_run=True, default_source="原行业中心")
    assert dry.status == JobStatus.DONE
    assert dry.ledger_rows == 10_000
    assert dry.material_rows == planted.material_rows
    rows = report_cells(dry)
    assert rows[0] == ("工作表", "行号", "列", "填写内容", "错误说明")
    found = {(sheet, row, column) for sheet, row, column, _value, _message in rows[1:]}
    assert found == planted.expected
    assert len(rows) - 1 == dry.error_count == 50
    assert all(message for *_rest, message in rows[1:])
    assert (Person.objects.count(), Dossier.objects.count()) == (people, dossiers)

    # A real run of the same file refuses as a whole.
    refused = run_ledger(planted.ledger, planted.materials, default_source="原行业中心")
    assert refused.error_count == 50
    assert refused.imported_count == 0
    assert (Person.objects.count(), Dossier.objects.count(), Material.objects.count()) == (people, dossiers, 0)

    # Once fixed, everything is imported, in one run.
    done = run_ledger(fixed.ledger, fixed.materials, default_source="原行业中心")
    assert done.error_count == 0, done.errors_preview[:5]
    assert done.imported_count == 10_000
    assert Dossier.objects.filter(source_kind=SourceKind.MIGRATION).count() == 10_000
    assert Material.objects.filter(dossier__source_kind=SourceKind.MIGRATION).count() == fixed.material_rows
    assert done.materials_count == fixed.material_rows
    shelved = DossierLocation.objects.filter(dossier__source_kind=SourceKind.MIGRATION).count()
    assert (
        shelved
        == done.locations_count
        == LocationMove.objects.filter(dossier__source_kind=SourceKind.MIGRATION).count()
    )
    assert EducationRecord.objects.filter(person__dossier__source_kind=SourceKind.MIGRATION).count() == 10_000
    events = AuditEvent.objects.filter(action__startswith="migration.")
    assert list(events.order_by("seq").values_list("action", flat=True)) == [
        "migration.validated", "migration.rejected", "migration.imported",
    ]  # fmt: skip  # one event per run, never one per row

    # The same file again: every row is a duplicate by ID number; nothing is imported.
    again = run_ledger(fixed.ledger, fixed.materials, default_source="原行业中心")
    assert again.error_count == 10_000
    assert again.imported_count == 0
    assert {e["column"] for e in again.errors_preview} == {"证件号码"}
    assert "不能重复导入" in again.errors_preview[0]["message"]
    assert Dossier.objects.filter(source_kind=SourceKind.MIGRATION).count() == 10_000
