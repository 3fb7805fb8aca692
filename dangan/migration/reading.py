"""Reading a ledger row by row, never the whole file: xlsx through calamine, CSV through the csv module."""

from __future__ import annotations

import codecs
import csv
import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from python_calamine import CalamineWorkbook

from dangan.migration.columns import LEDGER_SHEET, MATERIALS_SHEET

EXTENSIONS = (".xlsx", ".csv")
_CHUNK = 1 << 16  # 64 KiB: small enough not to show in the peak


class UnreadableFile(Exception):
    """The file is not a spreadsheet the import can read; the message is for the clerk (Chinese)."""


@dataclass(frozen=True)
class Source:
    """Where the rows of one part of the migration come from: a CSV file, or a sheet of a workbook."""

    path: Path
    sheet: str  # LEDGER_SHEET or MATERIALS_SHEET: the sheet of that name when the workbook has one
    index: int = 0  # otherwise the sheet at this position (the catalogue is the second sheet of a template)

    @property
    def is_csv(self) -> bool:
        return self.path.suffix.lower() == ".csv"


def csv_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) when the whole file decodes as UTF-8; otherwise GB 18030 (a superset of GBK)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as handle:
        head = handle.read(3)
        bom = head == codecs.BOM_UTF8
        try:
            decoder.decode(head[3:] if bom else head)
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "gb18030"
    return "utf-8-sig" if bom else "utf-8"


def _csv_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    encoding = csv_encoding(path)
    try:
        with path.open(encoding=encoding, newline="") as handle:
            for number, row in enumerate(csv.reader(handle), start=1):
                yield number, row
    except UnicodeDecodeError:
        raise UnreadableFile("文件编码无法识别，请另存为 UTF-8 或 GBK 编码的 CSV 文件") from None
    except csv.Error as exc:
        raise UnreadableFile(f"CSV 文件格式有误：{exc}") from None


def _open_sheet(workbook: CalamineWorkbook, source: Source) -> Any:
    names = list(workbook.sheet_names)
    if source.sheet in names:
        return workbook.get_sheet_by_name(source.sheet)
    if source.index >= len(names):
        return None  # a workbook without a catalogue sheet: no materials
    return workbook.get_sheet_by_index(source.index)


def _sheet_rows(source: Source) -> Iterator[tuple[int, list[Any]]]:
    try:
        workbook = CalamineWorkbook.from_path(str(source.path))
    except Exception as exc:  # noqa: BLE001  (calamine raises its own error types for damaged files)
        raise UnreadableFile("无法读取该 Excel 文件，请确认是 .xlsx 格式且未加密") from exc
    try:
        try:
            data = _open_sheet(workbook, source)
        except Exception as exc:  # noqa: BLE001  (a damaged sheet)
            raise UnreadableFile("无法读取该 Excel 文件的工作表，请确认文件未损坏") from exc
        if data is None:
            return
        first_row = data.start[0] if data.start else 0
        for offset, row in enumerate(data.iter_rows()):
            yield first_row + offset + 1, row
    finally:
        workbook.close()


@contextmanager
def rows(source: Source) -> Iterator[Iterator[tuple[int, list[Any]]]]:
    """(row number as the clerk sees it, cells) for every row, the header included."""
    iterator = _csv_rows(source.path) if source.is_csv else _sheet_rows(source)
    try:
        yield iterator
    finally:
        iterator.close()


def estimate_rows(source: Source) -> int:
    """Data rows, roughly (for the progress bar): lines of a CSV file, height of a sheet, minus the header."""
    if source.is_csv:
        count = 0
        last = b"\n"
        with source.path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                count += chunk.count(b"\n")
                last = chunk[-1:]
        return max(count + (last != b"\n") - 1, 0)
    try:
        workbook = CalamineWorkbook.from_path(str(source.path))
    except Exception:  # noqa: BLE001  (reported when the rows are read)
        return 0
    try:
        data = _open_sheet(workbook, source)
        return max(int(data.height) - 1, 0) if data is not None else 0
    except Exception:  # noqa: BLE001  (reported when the rows are read)
        return 0
    finally:
        workbook.close()


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


def lost_digits(value: Any) -> bool:
    return isinstance(value, float) and abs(value) >= MAX_EXACT_NUMBER


__all__ = ["EXTENSIONS", "LEDGER_SHEET", "MATERIALS_SHEET", "Source", "UnreadableFile", "cell_text", "rows"]
