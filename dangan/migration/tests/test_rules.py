"""The rules a migration keeps: intake's checks (R35, R36), custody apart from holding (R47), numbering, histories."""

import csv
import datetime
import random

import pytest
from django.db import connection

from dangan.core.errors import ValidationFailed
from dangan.demo.synthetic import Synth
from dangan.dossiers.basicinfo import birthday, completeness
from dangan.dossiers.models import Dossier, DossierNumberSequence, PartyMembership, Person, TitleRecord
from dangan.dossiers.services import _next_number, validate_person_data
from dangan.migration.columns import LEDGER_BY_HEADER
from dangan.migration.tests.ledgers import HEADERS, ROOM, LedgerPlan
from dangan.migration.validation import LedgerChecker
from dangan.storage.checklist import checklist
from dangan.storage.models import DossierLocation, Room, RoomKind

TODAY = datetime.date.today()


def _mutations(synth, rnd):
    p = synth.person(today=TODAY)
    data = {
        "name": p.name, "id_number": p.id_number, "sex": p.sex, "birth_date": p.birth_date, "ethnic_group": "01",
        "household_region": p.household_region, "political_status": "13", "person_category": "1", "phone": p.phone,
        "marital_status": "20", "work_started_on": p.birth_date + datetime.timedelta(days=365 * 20),
    }  # fmt: skip
    data["work_started_on"] = min(data["work_started_on"], TODAY)
    kind = rnd.choice(
        ["none", "checksum", "birth", "sex", "ethnic", "region", "phone", "early", "political", "category",
         "marital", "landline", "short_id", "letters", "legacy", "legacy_bad_date", "legacy_letters",
         "day_before_16", "on_16"]
    )  # fmt: skip
    if kind == "checksum":
        data["id_number"] = p.id_number[:-1] + ("1" if p.id_number[-1] != "1" else "2")
    elif kind == "birth":
        data["birth_date"] = p.birth_date - datetime.timedelta(days=3)
    elif kind == "sex":
        data["sex"] = "2" if p.sex == "1" else "1"
    elif kind == "ethnic":
        data["ethnic_group"] = "77"
    elif kind == "region":
        data["household_region"] = "379999"
    elif kind == "phone":
        data["phone"] = "1234567"
    elif kind == "early":
        data["work_started_on"] = p.birth_date + datetime.timedelta(days=365 * 12)
    elif kind == "political":
        data["political_status"] = "99"
    elif kind == "category":
        data["person_category"] = "8"
    elif kind == "marital":
        data["marital_status"] = "55"
    elif kind == "landline":
        data["phone"] = "0535-6688123"
    elif kind == "short_id":
        data["id_number"] = p.id_number[:15]
    elif kind == "letters":
        data["id_number"] = p.id_number[:10] + "ABCDEFG" + p.id_number[-1]
    elif kind == "legacy":  # the first-generation number (born 2000 or later: a 19xx birth date, a mismatch)
        data["id_number"] = p.id_number[:6] + p.id_number[8:17]
    elif kind == "legacy_bad_date":
        data["id_number"] = p.id_number[:6] + p.id_number[8:10] + "13" + p.id_number[12:17]
    elif kind == "legacy_letters":
        data["id_number"] = p.id_number[:6] + p.id_number[8:16] + "X"
    elif kind == "day_before_16":
        data["work_started_on"] = birthday(p.birth_date, 16) - datetime.timedelta(days=1)
    elif kind == "on_16":
        data["work_started_on"] = birthday(p.birth_date, 16)
    return data


CELL = {
    "name": "姓名", "id_number": "证件号码", "sex": "性别", "birth_date": "出生日期", "ethnic_group": "民族",
    "household_region": "户籍所在地", "political_status": "政治面貌", "person_category": "人员类别",
    "phone": "联系电话", "marital_status": "婚姻状况", "work_started_on": "参加工作时间",
}  # fmt: skip


@pytest.mark.rule("R35")
@pytest.mark.rule("R36")
def test_row_checks_agree_with_intakes_on_generated_people():
    """The fast per-cell checks accept and refuse exactly what intake's `validate_person_data` does."""
    synth, rnd = Synth(seed=31), random.Random(31)
    checker = LedgerChecker(today=TODAY, rooms={}, default_source="x", renumber=False, number_max_length=26)
    checker.read_header(1, HEADERS)
    legacy_accepted = legacy_refused = 0
    for row in range(2, 602):
        data = _mutations(synth, rnd)
        clean = {}
        try:
            clean = validate_person_data(data)
        except ValidationFailed as exc:
            expected = set(exc.fields)
        else:
            expected = set()
        cells = dict.fromkeys(HEADERS, "")
        cells.update({CELL[k]: v.isoformat() if isinstance(v, datetime.date) else v for k, v in data.items()})
        cells.update({"档案接收日期": "2020-01-01", "存档类型": "个人委托存档"})
        values, errors = checker.check(row, [cells[h] for h in HEADERS])
        assert {LEDGER_BY_HEADER[e.column].key for e in errors} == expected, (data, errors)
        if not expected:  # the same number is stored: a 15-digit one in its 18-digit form by both
            assert (values["id_number"], values["birth_date"], values["sex"]) == (
                clean["id_number"], clean["birth_date"], clean["sex"],
            ), data  # fmt: skip
        if len(data["id_number"]) == 15:
            legacy_accepted += not expected
            legacy_refused += bool(expected)
    assert legacy_accepted > 0
    assert legacy_refused > 0


@pytest.fixture
def city_room(agencies):
    return Room.objects.create(
        agency=agencies["370600"], name=ROOM, kind=RoomKind.STOREROOM, protections=list(checklist().keys)
    )


@pytest.mark.rule("R47")
def test_a_former_sector_agencys_stock_goes_to_a_district_with_the_city_center_keeping_the_paper(
    tmp_path, agencies, city_room, run_ledger
):
    written = LedgerPlan(30, seed=12).write(tmp_path, planted=False)
    job = run_ledger(
        written.ledger, written.materials, agency="370613", custodian="370600", default_source="原行业中心"
    )
    assert job.error_count == 0, job.errors_preview
    dossiers = Dossier.objects.filter(holding_agency=agencies["370613"])
    assert dossiers.count() == 30
    assert set(dossiers.values_list("custodian__code", flat=True)) == {"370600"}
    assert DossierLocation.objects.filter(location__room=city_room).count() == job.locations_count == 27


@pytest.mark.rule("R47")
def test_places_are_only_the_custodians_storerooms(tmp_path, agencies, city_room, run_ledger):
    written = LedgerPlan(10, seed=12).write(tmp_path, planted=False)
    job = run_ledger(
        written.ledger,
        written.materials,
        agency="370613",
        custodian="370613",
        dry_run=True,
        default_source="原行业中心",
    )
    assert job.error_count == 9  # every shelved row: 莱山区 itself has no 库房1
    assert {e["message"] for e in job.errors_preview} == {"实物保管机构没有名为“库房1”的库房"}
    with pytest.raises(ValidationFailed):
        run_ledger(written.ledger, written.materials, agency="370602", custodian="370683")


def _rewrite_numbers(path, numbers):
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    column = HEADERS.index("档案编号")
    for index, number in numbers.items():
        rows[index + 1][column] = number
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def test_numbers_are_kept_or_drawn_and_intake_continues_after_them(tmp_path, agencies, rooms, run_ledger):
    written = LedgerPlan(4, seed=3).write(tmp_path, planted=False)
    _rewrite_numbers(written.ledger, {0: "0602000100", 1: "", 2: "A-17"})
    job = run_ledger(written.ledger, written.materials, default_source="原行业中心")
    assert job.error_count == 0, job.errors_preview
    numbers = list(Dossier.objects.order_by("pk").values_list("number", flat=True))
    assert numbers == ["0602000100", "0602000101", "A-17", "LS000004"]
    assert Dossier.objects.get(number="A-17").barcode == "DA370602A-17"
    assert DossierNumberSequence.objects.get(agency=agencies["370602"]).last == 101
    assert _next_number(agencies["370602"]) == "0602000102"


def test_renumbering_keeps_the_old_number_in_the_source(tmp_path, agencies, rooms, run_ledger):
    written = LedgerPlan(3, seed=4).write(tmp_path, planted=False)
    job = run_ledger(written.ledger, written.materials, default_source="原行业中心", renumber=True)
    assert job.error_count == 0, job.errors_preview
    dossiers = list(Dossier.objects.order_by("pk"))
    assert [d.number for d in dossiers] == ["0602000001", "0602000002", "0602000003"]
    assert dossiers[0].source_name.endswith("（原档案编号LS000001）")


@pytest.mark.rule("R35")
def test_histories_and_confirmed_nones_are_registered(tmp_path, agencies, rooms, run_ledger):
    plan = LedgerPlan(60, seed=8)
    written = plan.write(tmp_path, planted=False)
    run_ledger(written.ledger, written.materials, default_source="原行业中心")
    title = TitleRecord.objects.filter(title="高级会计师").first()
    assert title is not None
    assert title.level == "associate_senior"
    assert TitleRecord.objects.filter(title="工程师", level="intermediate").exists()
    assert any("degree" in nones for nones in Person.objects.values_list("declared_none", flat=True))
    member = PartyMembership.objects.select_related("person").first()
    assert member is not None
    assert member.person.political_status in {"01", "03"}
    shelved = Dossier.objects.filter(storage_place__isnull=False).select_related("person").first()
    report = completeness(shelved.person, shelved)
    assert "location" not in {i.key for i in report.missing}
    assert report.mandatory_filled >= 20


def _estimated_rows(table):
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner statistics")
def test_the_planner_learns_the_new_sizes_inside_the_run(tmp_path, agencies, rooms, run_ledger):
    """A table last analysed empty is planned as empty: the catalogue's lookups then take minutes, not seconds."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE dossiers_person, dossiers_dossier")
    assert _estimated_rows("dossiers_person") <= 0
    written = LedgerPlan(40, seed=6).write(tmp_path, planted=False)
    run_ledger(written.ledger, written.materials, default_source="原行业中心")
    assert _estimated_rows("dossiers_person") >= 40
    assert _estimated_rows("dossiers_dossier") >= 40
