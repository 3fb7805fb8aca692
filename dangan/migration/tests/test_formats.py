"""Files as agencies hand them over: CSV in GBK or UTF-8 with a BOM, xlsx read by calamine, the template itself."""

import datetime

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from dangan.agencies.models import Role
from dangan.demo.synthetic import Synth
from dangan.dossiers.basicinfo import ITEMS
from dangan.dossiers.models import Dossier, Person
from dangan.materials.models import Material
from dangan.migration.columns import LEDGER_COLUMNS, MATERIAL_COLUMNS, material_class_code
from dangan.migration.models import JobStatus
from dangan.migration.reading import csv_encoding
from dangan.migration.services import media_path
from dangan.migration.tests.conftest import HOLDER
from dangan.migration.tests.ledgers import HEADERS, MATERIAL_HEADERS, LedgerPlan, iter_rows


@pytest.fixture(scope="module")
def plan():
    return LedgerPlan(40, seed=5)


@pytest.mark.rule("R36")
@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-8"])
def test_csv_in_gbk_or_utf8_with_or_without_bom(plan, tmp_path, rooms, run_ledger, encoding):
    written = plan.write(tmp_path, planted=False, encoding=encoding)
    assert csv_encoding(written.ledger) == {"gbk": "gb18030", "utf-8-sig": "utf-8-sig", "utf-8": "utf-8"}[encoding]
    job = run_ledger(written.ledger, written.materials, default_source="原行业中心")
    assert job.error_count == 0, job.errors_preview
    assert job.imported_count == 40
    assert job.materials_count == written.material_rows
    first = next(r for i, r in enumerate(iter_rows(written.ledger, encoding)) if i == 1)
    person = Person.objects.get(id_number=first[HEADERS.index("证件号码")])
    assert person.name == first[HEADERS.index("姓名")]
    assert person.dossier.source_name in ("原行业中心", first[HEADERS.index("档案来源")])


def _workbook_from(written, path, *, id_as_number=False):
    """The same ledger as an xlsx the way Excel keeps it: numbers, dates as dates, a catalogue sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "档案台账"
    sheet.append(HEADERS)
    for index, row in enumerate(iter_rows(written.ledger)):
        if index == 0:
            continue
        cells = []
        for header, value in zip(HEADERS, row, strict=True):
            if header in ("出生日期", "档案接收日期") and value:
                cells.append(datetime.date.fromisoformat(value))
            elif header in ("联系电话", "档案柜", "层", "格") and value:
                cells.append(int(value))
            elif header == "证件号码" and id_as_number and index == 3:
                cells.append(int(value[:17]) * 10)  # an ID typed into a number cell: digits lost
            else:
                cells.append(value)
        sheet.append(cells)
    catalogue = workbook.create_sheet("材料目录")
    catalogue.append(MATERIAL_HEADERS)
    for index, row in enumerate(iter_rows(written.materials)):
        if index:
            catalogue.append([*row[:4], int(row[4]) if row[4] else None, int(row[5]), row[6]])
    workbook.save(path)
    return path


@pytest.mark.rule("R36")
def test_xlsx_is_read_by_calamine_with_numbers_and_dates_as_excel_keeps_them(plan, tmp_path, rooms, run_ledger):
    written = plan.write(tmp_path, planted=False)
    path = _workbook_from(written, tmp_path / "ledger.xlsx")
    job = run_ledger(path, default_source="原行业中心")
    assert job.error_count == 0, job.errors_preview
    assert (job.imported_count, job.materials_count) == (40, written.material_rows)
    phones = set(Person.objects.values_list("phone", flat=True))
    assert all(len(p) == 11 and p.isdigit() for p in phones)


def test_an_id_number_excel_stored_as_a_number_is_reported_not_guessed(plan, tmp_path, rooms, run_ledger):
    written = plan.write(tmp_path, planted=False)
    path = _workbook_from(written, tmp_path / "ledger.xlsx", id_as_number=True)
    job = run_ledger(path, dry_run=True, default_source="原行业中心")
    ledger = [e for e in job.errors_preview if e["sheet"] == "档案台账"]
    assert [(e["row"], e["column"]) for e in ledger] == [(4, "证件号码")]
    assert "文本格式" in ledger[0]["message"]
    # Its catalogue rows carry the real number, which the ledger no longer has: reported as such.
    assert {e["column"] for e in job.errors_preview if e["sheet"] == "材料目录"} <= {"证件号码"}


@pytest.fixture
def clerk_client(client, make_staff):
    client.force_login(make_staff(HOLDER, Role.DATA_CLERK))
    return client


@pytest.mark.rule("R36")
def test_the_template_comes_from_the_declaration_and_imports_as_zero_rows(clerk_client, tmp_path, rooms, run_ledger):
    response = clerk_client.get(reverse("migration:template"))
    assert response.status_code == 200
    path = tmp_path / "template.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["档案台账", "材料目录"]
    header = [c.value for c in workbook["档案台账"][1]]
    assert header == [c.header for c in LEDGER_COLUMNS]
    labels = {i.label for i in ITEMS if i.source not in ("family", "provider")} - {"证件类型及号码"}
    assert labels <= set(header)  # every basic-information item a ledger row can carry
    assert [c.value for c in workbook["材料目录"][1]] == [c.header for c in MATERIAL_COLUMNS]
    assert workbook["档案台账"]["A2"].value.startswith("填写说明")

    job = run_ledger(path)
    assert job.status == JobStatus.DONE
    assert (job.ledger_rows, job.material_rows, job.error_count, job.imported_count) == (0, 0, 0, 0)


def test_headers_that_do_not_belong_are_reported_at_row_one(tmp_path, rooms, run_ledger):
    path = tmp_path / "odd.csv"
    number = Synth(seed=1).person().id_number
    path.write_text(f"序号,姓名,身份证号,档案接收日期,备用字段\n1,张三,{number},2020-01-01,x\n", encoding="utf-8")
    job = run_ledger(path, dry_run=True, default_source="原行业中心")
    found = {(e["row"], e["column"], e["message"]) for e in job.errors_preview}
    assert (1, "备用字段", "无法识别的列名，请使用平台提供的模板（多余的列请删除）") in found
    assert (1, "存档类型", "缺少必填列") in found
    assert all(e["row"] == 1 for e in job.errors_preview), (
        job.errors_preview
    )  # the row itself is checked, the missing column is not repeated
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    job = run_ledger(empty, dry_run=True)
    assert job.error_count == 1
    assert "表头" in job.errors_preview[0]["message"]


def test_a_file_that_is_not_a_spreadsheet_is_reported_not_crashed_on(tmp_path, rooms, run_ledger):
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    job = run_ledger(path, dry_run=True)
    assert job.status == JobStatus.DONE
    assert job.error_count == 1
    assert "无法读取该 Excel 文件" in job.errors_preview[0]["message"]


def test_a_report_lists_every_error_with_row_column_value_and_message(tmp_path, rooms, run_ledger):
    plan = LedgerPlan(12, seed=9, plants={3: "bad_phone", 8: "unknown_ethnic"})
    written = plan.write(tmp_path, planted=True)
    job = run_ledger(written.ledger, written.materials, default_source="x")
    rows = list(load_workbook(media_path(job.report_file), read_only=True).active.iter_rows(values_only=True))
    assert rows[1][:3] == ("档案台账", 5, "联系电话")
    assert rows[1][3] == "12345"
    assert "手机" in rows[1][4]
    assert rows[2][:4] == ("档案台账", 10, "民族", "火星族")
    assert Dossier.objects.count() == 0
    assert Material.objects.count() == 0


@pytest.mark.parametrize(
    ("text", "code"),
    [("1", "1"), ("履历材料", "1"), ("履历类材料", "1"), ("4-1", "4-1"), ("4.1", "4-1"), ("第四类", "4"),
     ("科研学术材料", "4-3"), ("学术评鉴材料", "4-3"), ("第十类", "10"), ("十", "10"), ("9-2", "9-2"),
     ("出国（境）材料", "9-3"), ("政治历史情况的审查材料", "5"), ("11", None), ("其他", None)],
)  # fmt: skip
def test_catalogues_of_the_1991_scheme_map_to_the_2018_classes(text, code):
    assert material_class_code(text) == code
