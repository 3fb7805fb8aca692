"""Reading a ledger row by row, never the whole file: xlsx through calamine, CSV through the csv module."""

from __future__ import annotations

import codecs
import csv
import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from python_calamine import CalamineWorkbook

EXTENSIONS = (".xlsx", ".csv")
_CHUNK = 1 << 16  # 64 KiB: small enough not to show in the peak


class UnreadableFile(Exception):
    """The file is not a spreadsheet the import can read; the message is for the clerk (Chinese)."""

    def __init__(self, message: str, sheet: str) -> None:
        super().__init__(message)
        self.message = message
        self.sheet = sheet


@dataclass(frozen=True)
class Source:
    """Where the rows of one part of the migration come from: a CSV file, or a sheet of a workbook."""

    path: Path
    sheet: str  # LEDGER_SHEET or MATERIALS_SHEET: the sheet of that name when the workbook has one
    index: int = 0  # otherwise the sheet at this position (the catalogue is the second sheet of a template)

    @property
    def is_csv(self) -> bool:
        return self.path.suffix.lower() == ".csv"


def _scan(path: Path) -> tuple[str, int]:
    """(encoding, lines) in one read: UTF-8 (with or without BOM) when the whole file decodes as UTF-8,
    otherwise GB 18030 (a superset of GBK)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    encoding, lines, last = "utf-8", 0, b"\n"
    with path.open("rb") as handle:
        head = handle.read(3)
        if head == codecs.BOM_UTF8:
            encoding, head = "utf-8-sig", b""
        chunk = head
        while True:
            lines += chunk.count(b"\n")
            last = chunk[-1:] or last
            if encoding != "gb18030":
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    encoding = "gb18030"
            chunk = handle.read(_CHUNK)
            if not chunk:
                break
    if encoding != "gb18030":
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            encoding = "gb18030"
    return encoding, lines + (last != b"\n")


def csv_encoding(path: Path) -> str:
    return _scan(path)[0]


class Rows:
    """One source opened once: an estimate of its rows (for the progress bar), then its rows as they come."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self._handle: IO[str] | None = None
        self._workbook: CalamineWorkbook | None = None
        self._sheet: Any = None
        if source.is_csv:
            self._encoding, lines = _scan(source.path)
            self.estimate = max(lines - 1, 0)
            return
        try:
            self._workbook = CalamineWorkbook.from_path(str(source.path))
            names = list(self._workbook.sheet_names)
            if source.sheet in names:
                self._sheet = self._workbook.get_sheet_by_name(source.sheet)
            elif source.index < len(names):
                self._sheet = self._workbook.get_sheet_by_index(source.index)
        except Exception as exc:  # calamine raises its own error types for damaged files
            raise UnreadableFile("无法读取该 Excel 文件，请确认是 .xlsx 格式、未加密且未损坏", source.sheet) from exc
        # No catalogue sheet in the workbook: no materials.
        self.estimate = max(int(self._sheet.height) - 1, 0) if self._sheet is not None else 0

    def __iter__(self) -> Iterator[tuple[int, list[Any]]]:
        """(row number as the clerk sees it, cells) for every row, the header included."""
        if self.source.is_csv:
            yield from self._csv()
        elif self._sheet is not None:
            first_row = self._sheet.start[0] if self._sheet.start else 0
            for offset, row in enumerate(self._sheet.iter_rows()):
                yield first_row + offset + 1, row

    def _csv(self) -> Iterator[tuple[int, list[Any]]]:
        self._handle = self.source.path.open(encoding=self._encoding, newline="")
        try:
            yield from enumerate(csv.reader(self._handle), start=1)
        except UnicodeDecodeError:
            raise UnreadableFile("文件编码无法识别，请另存为 UTF-8 或 GBK 编码的 CSV 文件", self.source.sheet) from None
        except csv.Error as exc:
            raise UnreadableFile(f"CSV 文件格式有误：{exc}", self.source.sheet) from None

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
        if self._workbook is not None:
            self._workbook.close()


@contextmanager
def rows(source: Source) -> Iterator[Rows]:
    opened = Rows(source)
    try:
        yield opened
    finally:
        opened.close()


def cell_text(value: Any) -> str:
    """A cell as the clerk typed it: numbers without a spurious ".0", dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


# A number Excel stored as a floating-point value past this has lost digits (IEEE double: 53 bits).
MAX_EXACT_NUMBER = 2**53
