"""Old ledgers (R35, R36): 15-digit first-generation ID numbers are imported in their 18-digit form, through the
same checks and the same fast path; the start of work is checked against the 16th birthday, as at intake."""

import csv
import datetime
import random

import pytest
from django.core.exceptions import ValidationError

from dangan.core.validators import resident_id_facts, validate_resident_id
from dangan.demo.synthetic import Synth
from dangan.dossiers.models import Dossier, Person
from dangan.materials.models import Material
from dangan.migration import checks
from dangan.migration.checks import CellError
from dangan.migration.tests.ledgers import HEADERS, LedgerPlan
from dangan.migration.validation import LedgerChecker

TODAY = datetime.date.today()
ID_COLUMN = HEADERS.index("证件号码")


def legacy_of(number: str) -> str:
    return number[:6] + number[8:17]


def _rewrite(path, column, replace):
    """Rewrite one column of a CSV file: `replace(index, value)` gives the new value of each data row."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    for index, row in enumerate(rows[1:]):
        row[column] = replace(index, row[column])
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def _born_last_century(plan):
    return [i for i in range(plan.size) if plan.people[i].birth_date.year < 2000]


@pytest.mark.rule("R36")
def test_a_ledger_with_fifteen_digit_numbers_imports_them_as_eighteen_digit(tmp_path, agencies, rooms, run_ledger):
    plan = LedgerPlan(12, seed=15)
    written = plan.write(tmp_path, planted=False)
    old = _born_last_century(plan)[:4]
    assert len(old) == 4
    legacy = {plan.people[i].id_number: legacy_of(plan.people[i].id_number) for i in old}
    _rewrite(written.ledger, ID_COLUMN, lambda i, v: legacy[v] if i in old else v)
    # the catalogue: two of them as the ledger has them (15 digits), two already in the 18-digit form
    converted_in_catalogue = set(list(legacy)[:2])
    _rewrite(written.materials, 0, lambda _i, v: legacy[v] if v in converted_in_catalogue else v)

    job = run_ledger(written.ledger, written.materials, default_source="原行业中心")

    assert job.error_count == 0, job.errors_preview
    assert job.imported_count == 12
    for eighteen, fifteen in legacy.items():
        person = Person.objects.get(id_number=eighteen)
        assert (person.birth_date, person.sex) == resident_id_facts(eighteen)
        assert not Person.objects.filter(id_number=fifteen).exists()
        assert Material.objects.filter(dossier__person=person).exists()
    assert Material.objects.count() == written.material_rows


@pytest.mark.rule("R36")
def test_an_invalid_fifteen_digit_number_is_reported_once_in_chinese(tmp_path, agencies, rooms, run_ledger):
    plan = LedgerPlan(5, seed=15)
    written = plan.write(tmp_path, planted=False)
    first = plan.people[0].id_number
    bad = first[:6] + first[8:10] + "13" + first[12:17]  # month 13
    _rewrite(written.ledger, ID_COLUMN, lambda i, v: bad if i == 0 else v)
    _rewrite(written.materials, 0, lambda _i, v: bad if v == first else v)

    job = run_ledger(written.ledger, written.materials, dry_run=True, default_source="原行业中心")

    assert job.error_count == 1, job.errors_preview  # its catalogue rows are not reported again
    (error,) = job.errors_preview
    assert (error["column"], error["value"]) == ("证件号码", bad)
    assert error["message"] == f"身份证号码中的出生日期无效：{bad[6:12]}"
    assert Dossier.objects.count() == 0


@pytest.mark.rule("R36")
def test_the_two_forms_of_one_number_in_a_ledger_are_a_duplicate(tmp_path, agencies, rooms, run_ledger):
    plan = LedgerPlan(4, seed=15)
    written = plan.write(tmp_path, planted=False)
    index = _born_last_century(plan)[0]
    twin = 3 if index != 3 else 2
    number = plan.people[index].id_number
    _rewrite(written.ledger, ID_COLUMN, lambda i, v: legacy_of(number) if i == twin else v)
    birth_column, sex_column = HEADERS.index("出生日期"), HEADERS.index("性别")
    _rewrite(written.ledger, birth_column, lambda i, v: "" if i == twin else v)
    _rewrite(written.ledger, sex_column, lambda i, v: "" if i == twin else v)

    job = run_ledger(written.ledger, written.materials, dry_run=True, default_source="原行业中心")

    messages = {(e["row"], e["column"], e["message"]) for e in job.errors_preview}
    assert (twin + 2, "证件号码", f"证件号码与第{index + 2}行重复") in messages


def _validator_verdict(value):
    try:
        number = validate_resident_id(value)
    except ValidationError as exc:
        return exc.messages[0]
    return (number, *resident_id_facts(number))


def _checks_verdict(value):
    try:
        return checks.resident_id(value, today=TODAY)
    except CellError as exc:
        return exc.message


@pytest.mark.rule("R36")
def test_the_fast_path_gives_the_validators_verdict_on_fifteen_digit_numbers():
    """Each number twice: the first answer may come from the validator, the second from the fast path (its prefix
    is then known); both must be the validator's."""
    rnd = random.Random(36)
    prefixes = ["370602", "110105", "370683", "990105", "379999"]
    for _ in range(600):
        body = rnd.choice(prefixes) + f"{rnd.randrange(100):02d}{rnd.randrange(14):02d}{rnd.randrange(33):02d}"
        number = body + f"{rnd.randrange(1000):03d}"
        expected = _validator_verdict(number)
        assert _checks_verdict(number) == expected, number
        assert _checks_verdict(number) == expected, number
        assert _checks_verdict(f" {number[:6]} {number[6:]}") == expected, number
    assert {p for p in prefixes if p in checks._accepted_prefixes} >= {"370602", "110105", "370683"}


# --- The start of work and the 16th birthday -----------------------------------------------------------------


@pytest.fixture
def checker():
    checker = LedgerChecker(today=TODAY, rooms={}, default_source="x", renumber=False, number_max_length=26)
    checker.read_header(1, HEADERS)
    return checker


@pytest.mark.rule("R35")
@pytest.mark.parametrize(
    ("born", "started", "refused"),
    [
        (datetime.date(1990, 5, 10), "2006-05-09", True),  # the day before the 16th birthday
        (datetime.date(1990, 5, 10), "2006-05-10", False),  # on it
        (datetime.date(1990, 5, 10), "2005-06-01", True),  # 15 years old: passed the old 365×14
        (datetime.date(1990, 5, 10), "2006-05", True),  # a month: its first day
        (datetime.date(1990, 5, 1), "2006-05", False),
        (datetime.date(1992, 2, 29), "2008-02-28", True),
        (datetime.date(1992, 2, 29), "2008-02-29", False),
    ],
)
def test_a_ledger_row_may_not_start_work_before_the_sixteenth_birthday(checker, born, started, refused):
    number = Synth(seed=1).id_number("370602", born, "1")
    for legacy in (False, True):
        cells = dict.fromkeys(HEADERS, "")
        cells.update({
            "姓名": "王小明", "证件号码": legacy_of(number) if legacy else number, "参加工作时间": started,
            "档案接收日期": "2020-01-01", "存档类型": "个人委托存档",
        })  # fmt: skip
        values, errors = checker.check(2, [cells[h] for h in HEADERS])
        assert values["id_number"] == number
        assert values["birth_date"] == born
        if refused:
            assert [(e.column, e.message) for e in errors] == [("参加工作时间", "参加工作时间早于16周岁，请核对")]
        else:
            assert errors == []
