"""The error report: every bad cell with its sheet, row, column (the Chinese header), value and message."""

from __future__ import annotations

import csv
import heapq
import itertools
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from dangan.core.spreadsheets import write_xlsx
from dangan.migration.columns import LEDGER_COLUMNS, LEDGER_SHEET, MATERIAL_COLUMNS, MATERIALS_SHEET
from dangan.migration.validation import RowError

REPORT_HEADER = ("工作表", "行号", "列", "填写内容", "错误说明")
PREVIEW = 100
_SHEETS = {LEDGER_SHEET: 0, MATERIALS_SHEET: 1}
_ORDER = {
    **{(LEDGER_SHEET, c.header): i for i, c in enumerate(LEDGER_COLUMNS)},
    **{(MATERIALS_SHEET, c.header): i for i, c in enumerate(MATERIAL_COLUMNS)},
}


def _key(cells: tuple[str, int, str, str, str] | list[Any]) -> tuple[int, int, int]:
    sheet, row, column = cells[0], int(cells[1]), cells[2]
    return _SHEETS.get(sheet, 2), row, _ORDER.get((sheet, column), -1)


class ErrorSpool:
    """Errors in file order, spilled to temporary files so that a ledger full of errors stays small in memory.

    `add` takes the errors of the rows read so far (in file order); `add_late` the errors found only at the end
    of a pass (repeats inside the file). Reading merges the two in sheet, row and column order.
    """

    def __init__(self) -> None:
        self._files: list[IO[str]] = []
        self._writers = []
        for _ in range(2):
            handle = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115  (closed by close())
            self._files.append(handle)
            self._writers.append(csv.writer(handle))
        self.count = 0

    def _write(self, which: int, errors: Iterable[RowError]) -> None:
        for error in sorted(errors, key=lambda e: _key(e.cells())):
            self.count += 1
            self._writers[which].writerow(error.cells())

    def add(self, errors: Iterable[RowError]) -> None:
        self._write(0, errors)

    def add_late(self, errors: Iterable[RowError]) -> None:
        self._write(1, errors)

    def _read(self, handle: IO[str]) -> Iterator[list[Any]]:
        for sheet, row, column, value, message in csv.reader(handle):
            yield [sheet, int(row), column, value, message]

    def rows(self) -> Iterator[list[Any]]:
        for handle in self._files:
            handle.flush()
            handle.seek(0)
        return heapq.merge(*(self._read(h) for h in self._files), key=_key)

    @property
    def preview(self) -> list[dict[str, Any]]:
        names = ("sheet", "row", "column", "value", "message")
        return [dict(zip(names, cells, strict=True)) for cells in itertools.islice(self.rows(), PREVIEW)]

    def write_xlsx(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_xlsx(str(path), sheet_title="错误报告", header=REPORT_HEADER, rows=self.rows())

    def close(self) -> None:
        for handle in self._files:
            handle.close()
