"""The import template the console offers: the ledger sheet and the catalogue sheet, a row of hints each.

A small styled workbook (openpyxl in normal mode: column formats need it); the error report, which can
be long, streams through `core.spreadsheets.write_xlsx`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from urllib.parse import quote

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from dangan.migration.columns import (
    HINT_PREFIX,
    LEDGER_COLUMNS,
    LEDGER_SHEET,
    MATERIAL_COLUMNS,
    MATERIALS_SHEET,
    Column,
)

FILENAME = "流动人员人事档案历史数据迁移模板.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_MANDATORY_FILL = PatternFill("solid", fgColor="FDE8E7")
_HINT_FONT = Font(color="666666", size=9)


def _fill(sheet: Worksheet, columns: Sequence[Column]) -> None:
    bold = Font(bold=True)
    for index, column in enumerate(columns, start=1):
        header = sheet.cell(row=1, column=index, value=column.header)
        header.font = bold
        if column.required or column.mandatory:
            header.fill = _MANDATORY_FILL
        hint = column.hint
        if column.mandatory and not column.required:
            hint = f"{hint}（必采项）" if hint else "必采项"
        cell = sheet.cell(row=2, column=index, value=f"{HINT_PREFIX}：{hint}" if index == 1 else hint)
        cell.font = _HINT_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        letter = get_column_letter(index)
        dimension = sheet.column_dimensions[letter]
        dimension.width = max(10, min(28, len(column.header) * 2 + 4))
        if column.text:
            dimension.number_format = "@"  # typed IDs, phones and dates stay text
    sheet.freeze_panes = "A3"


def write_template(path: str) -> None:
    workbook = Workbook()
    ledger = workbook.active
    assert ledger is not None
    ledger.title = LEDGER_SHEET
    _fill(ledger, LEDGER_COLUMNS)
    _fill(workbook.create_sheet(MATERIALS_SHEET), MATERIAL_COLUMNS)
    workbook.save(path)


def template_response() -> FileResponse:
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115  (closed by FileResponse)
    write_template(handle.name)
    handle.seek(0)
    response = FileResponse(handle, content_type=XLSX, as_attachment=True, filename=FILENAME)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(FILENAME)}"
    return response
