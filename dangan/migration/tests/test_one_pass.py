"""A real run checks and writes in one pass (ADR 0005): what it wrote before an error turns up is rolled back,
its own rows are never taken for conflicts with the database, and a number drawn too early sends it to a
second pass."""

import csv

import pytest

from dangan.dossiers.models import Dossier, DossierNumberSequence, Person
from dangan.materials.models import Material
from dangan.migration.importer import INSERT_CHUNK
from dangan.migration.models import JobStatus
from dangan.migration.tests.conftest import HOLDER
from dangan.migration.tests.ledgers import HEADERS, LedgerPlan, iter_rows
from dangan.migration.tests.test_import import report_cells

SIZE = 2 * INSERT_CHUNK + 500
ID, NUMBER, ROOM_COLUMN = HEADERS.index("证件号码"), HEADERS.index("档案编号"), HEADERS.index("库房")
PERSON = [HEADERS.index(h) for h in ("姓名", "性别", "出生日期", "证件号码")]
PLACE = slice(ROOM_COLUMN, ROOM_COLUMN + 4)


def _rewrite(path, change):
    rows = list(iter_rows(path))
    change(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


@pytest.mark.rule("R36")
def test_repeats_found_after_chunks_were_written_roll_everything_back(tmp_path, agencies, rooms, run_ledger):
    written = LedgerPlan(SIZE, seed=12).write(tmp_path, planted=False)
    # Rows far apart: the first of each pair is written before the repeat is read (rows count from the header).
    late_id, early_id = 2 * INSERT_CHUNK + 101, 11
    late_number, early_number = INSERT_CHUNK + 301, 21
    late_place, early_place = 2 * INSERT_CHUNK + 201, 33  # a shelved row

    def change(rows):
        old_id = rows[late_id - 1][ID]
        for column in PERSON:
            rows[late_id - 1][column] = rows[early_id - 1][column]
        rows[late_number - 1][NUMBER] = rows[early_number - 1][NUMBER]
        rows[late_place - 1][PLACE] = rows[early_place - 1][PLACE]
        assert all(rows[late_place - 1][PLACE])
        return old_id

    old = {}
    _rewrite(written.ledger, lambda rows: old.setdefault("id", change(rows)))
    # The catalogue follows the repeated person (no error of its own).
    materials = list(iter_rows(written.materials))
    ledger = list(iter_rows(written.ledger))
    for row in materials[1:]:
        if row[0] == old["id"]:
            row[0] = ledger[late_id - 1][ID]
    with written.materials.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(materials)

    people, dossiers = Person.objects.count(), Dossier.objects.count()
    job = run_ledger(written.ledger, written.materials, default_source="原行业中心")
    assert job.status == JobStatus.DONE
    found = sorted((row, column, message) for _sheet, row, column, _value, message in report_cells(job)[1:])
    assert found == [
        (late_number, "档案编号", f"档案编号与第{early_number}行重复"),
        (late_id, "证件号码", f"证件号码与第{early_id}行重复"),
        (late_place, "库房", f"存放位置与第{early_place}行重复"),
    ]
    assert job.imported_count == 0
    assert (Person.objects.count(), Dossier.objects.count(), Material.objects.count()) == (people, dossiers, 0)
    assert not DossierNumberSequence.objects.filter(agency__code=HOLDER, last__gt=0).exists()


@pytest.mark.rule("R36")
def test_a_platform_number_below_the_numbers_drawn_sends_the_run_to_a_second_pass(
    tmp_path, agencies, rooms, run_ledger
):
    written = LedgerPlan(SIZE, seed=13).write(tmp_path, planted=False)
    prefix = agencies[HOLDER].code[-4:]
    late = INSERT_CHUNK + 201  # read after the first chunk drew numbers 1 … 1000

    def change(rows):
        for row in rows[1:]:
            row[NUMBER] = ""
        rows[late - 1][NUMBER] = f"{prefix}000005"

    _rewrite(written.ledger, change)
    job = run_ledger(written.ledger, written.materials, default_source="原行业中心")
    assert (job.status, job.error_count, job.imported_count) == (JobStatus.DONE, 0, SIZE)
    assert job.materials_count == written.material_rows
    numbers = list(Dossier.objects.filter(holding_agency__code=HOLDER).values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers) == SIZE
    assert f"{prefix}000005" in numbers
    drawn = sorted(int(n[4:]) for n in numbers if n != f"{prefix}000005")
    assert drawn[0] == 6
    assert DossierNumberSequence.objects.get(agency__code=HOLDER).last == drawn[-1]
