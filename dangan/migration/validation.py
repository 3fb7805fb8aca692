"""Row checks of the ledger and of the catalogue: one row at a time, every error with its column.

The rules are those of intake (`dossiers.services.validate_person_data`, `materials.services.validate_material`)
and of shelving (R40: only the custodian's storerooms), applied cell by cell so a ledger of 100,000 rows
is checked in seconds. A test holds them equal to intake's on generated people.
"""

from __future__ import annotations

import datetime
import functools
import operator
import re
from collections.abc import Callable, Container
from dataclasses import dataclass
from typing import Any

from dangan.dossiers.basicinfo import PARTY_OR_LEAGUE, work_started_too_early
from dangan.dossiers.models import Person
from dangan.materials import formed
from dangan.migration import checks
from dangan.migration.checks import CellError
from dangan.migration.columns import (
    HINT_PREFIX,
    IGNORED_HEADERS,
    LEDGER_BY_HEADER,
    LEDGER_COLUMNS,
    LEDGER_SHEET,
    MATERIAL_BY_HEADER,
    MATERIAL_COLUMNS,
    MATERIALS_SHEET,
    Column,
    material_class_code,
    normalise_header,
)
from dangan.migration.keylog import KeyLog
from dangan.migration.reading import MAX_EXACT_NUMBER, cell_text
from dangan.storage.models import location_code

LOST_DIGITS = "Excel 已把本格存成数字，末几位已丢失：请把本列设为文本格式后重新填写"
REQUIRED = "此项为必填项"
NONE = "无"
HEADER = {c.key: c.header for c in LEDGER_COLUMNS}
LOCATION_KEYS = ("room", "cabinet", "tier", "position")
EDUCATION_DETAIL_KEYS = ("degree", "school", "major", "graduated_on")
MAX_TEXT = {
    "name": 50, "native_place": 50, "former_name": 50, "health": 20, "birthplace": 50, "home_address": 200,
    "social_security_no": 20, "school": 100, "major": 100, "title": 50, "qualification": 100,
    "employer_name": 100, "source_name": 100, "party_branch": 100,
}  # fmt: skip
DATE_KEYS = {"birth_date": False, "received_on": True, "party_joined_on": True, "work_started_on": True}
DATE_KEYS["graduated_on"] = True  # month precision allowed (first day of the month) except for birth dates
CODE_KEYS = {"sex": "sex", "ethnic_group": "ethnic_group", "political_status": "political_status"}
CODE_KEYS.update({"education": "education", "degree": "degree", "person_category": "person_category"})
CODE_KEYS["marital_status"] = "marital_status"
NONEABLE = frozenset({"degree", "major", "title", "qualification", "employer_name", "credit_code"})


@dataclass(frozen=True, slots=True)
class RowError:
    sheet: str
    row: int
    column: str
    value: str
    message: str

    def cells(self) -> tuple[str, int, str, str, str]:
        return (self.sheet, self.row, self.column, self.value, self.message)


@dataclass(frozen=True)
class Room:
    pk: int
    name: str
    kind: str
    kind_label: str


def _is_hint_row(cells: list[Any]) -> bool:
    return any(isinstance(c, str) and c.startswith(HINT_PREFIX) for c in cells)


def _is_blank(cells: list[Any]) -> bool:
    try:  # CSV: every cell is text, joined and stripped in C
        return not "".join(cells).strip()
    except TypeError:  # a workbook's numbers, dates, empty cells
        return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


class _Sheet:
    """Header reading shared by both sheets."""

    sheet: str
    by_header: dict[str, Column]
    columns: tuple[Column, ...]

    def __init__(self) -> None:
        self.plan: list[tuple[int, str, Column]] = []
        self.header_errors: list[RowError] = []
        self.header_seen = False
        self.present: frozenset[str] = frozenset()
        self._prepare_pick()

    def read_header(self, row: int, cells: list[Any]) -> None:
        self.header_seen = True
        found: set[str] = set()
        for position, raw in enumerate(cells):
            text = normalise_header(cell_text(raw))
            if text in IGNORED_HEADERS:
                continue
            column = self.by_header.get(text)
            if column is None:
                self._header_error(row, cell_text(raw), "无法识别的列名，请使用平台提供的模板（多余的列请删除）")
            elif column.key in found:
                self._header_error(row, column.header, "列名重复")
            else:
                found.add(column.key)
                self.plan.append((position, column.key, column))
        for column in self.columns:
            if column.required and column.key not in found:
                self._header_error(row, column.header, "缺少必填列")
        self.present = frozenset(found)
        self._prepare_pick()

    def _prepare_pick(self) -> None:
        positions = [position for position, _, _ in self.plan]
        self._keys = tuple(key for _, key, _ in self.plan)
        self._widest = max(positions, default=-1)
        self._text_only = len(positions) > 1
        self._pick: Callable[[list[Any]], tuple[Any, ...]] = operator.itemgetter(*positions) if positions else tuple

    def _header_error(self, row: int, column: str, message: str) -> None:
        self.header_errors.append(RowError(self.sheet, row, column, "", message))

    def skip(self, cells: list[Any], *, first_data_row: bool) -> bool:
        return _is_blank(cells) or (first_data_row and _is_hint_row(cells))

    def cells_of(self, row: int, cells: list[Any], errors: list[RowError], bad: set[str]) -> dict[str, str]:
        """Column key → the non-empty text of the cell; numbers that lost digits are errors."""
        if self._text_only and len(cells) > self._widest:
            # CSV: every cell is text; the columns picked and stripped in C.
            try:
                return {k: t for k, c in zip(self._keys, self._pick(cells), strict=True) if c and (t := c.strip())}
            except AttributeError:  # a workbook's numbers, dates, empty cells: the general path from now on
                self._text_only = False
        texts: dict[str, str] = {}
        width = len(cells)
        for position, key, column in self.plan:
            if position < width:
                raw = cells[position]
                if raw.__class__ is str:
                    if raw and (raw := raw.strip()):
                        texts[key] = raw
                elif raw is not None:
                    if type(raw) is float and column.text and abs(raw) >= MAX_EXACT_NUMBER:
                        errors.append(RowError(self.sheet, row, column.header, cell_text(raw), LOST_DIGITS))
                        bad.add(key)
                    elif text := cell_text(raw):
                        texts[key] = text
        return texts


class LedgerChecker(_Sheet):
    """Checks one ledger row at a time; remembers ID numbers, dossier numbers and places already seen."""

    sheet = LEDGER_SHEET
    by_header = LEDGER_BY_HEADER
    columns = LEDGER_COLUMNS

    def __init__(
        self,
        *,
        today: datetime.date,
        rooms: dict[str, Room],
        default_source: str,
        renumber: bool,
        number_max_length: int,
        track: bool = True,
    ) -> None:
        """`track`: remember ID numbers, dossier numbers and places to find duplicates inside the file
        (the first pass); the second pass reads a file already found clean and remembers nothing."""
        super().__init__()
        self.track = track
        self.today = today
        self.rooms = rooms
        self.default_source = default_source.strip()
        self.renumber = renumber
        self.number_max_length = number_max_length
        self.ids = KeyLog()  # valid ID numbers: duplicates, and the catalogue's check
        self.bad_ids = KeyLog()  # ID numbers already reported: their catalogue rows are not reported again
        self.numbers = KeyLog()
        self.places = KeyLog()
        self.parsers: dict[str, Callable[[str], Any]] = self._parsers()
        self.required: list[str] = []

    def _parsers(self) -> dict[str, Callable[[str], Any]]:
        """Parsers by column key; closures over plain values, never over the checker (no reference cycle)."""
        today = self.today
        rooms = self.rooms
        parsers: dict[str, Callable[[str], Any]] = {}
        for key, month_ok in DATE_KEYS.items():
            parsers[key] = functools.partial(checks.parse_date, today=today, month_ok=month_ok)
        for key, name in CODE_KEYS.items():
            parsers[key] = _code_parser(checks.code_map(name), HEADER[key])
        for key, limit in MAX_TEXT.items():
            parsers[key] = _text_parser(limit)
        regions = checks.region_map()
        for key in ("household_region", "pre_enrolment_region"):
            parsers[key] = _mapped(regions, "行政区划代码或名称无效：{v}")
        parsers.update(
            {
                "id_type": _mapped(checks.id_type_map(), "证件类型无效：{v}"),
                "id_number": _text_parser(32),
                "entrustment_type": _mapped(checks.entrustment_map(), "存档类型应为“单位委托集体存档”或“个人委托存档”"),
                "title_level": _mapped(checks.title_level_map(), "职称级别应为初级、中级、副高级或正高级"),
                "phone": checks.phone,
                "postcode": checks.postcode,
                "email": checks.email,
                "credit_code": checks.credit_code,
                "number": _text_parser(self.number_max_length),
                "room": lambda t: _room(rooms, t),
                "cabinet": lambda t: checks.parse_int(t, 1, 999, "档案柜号"),
                "tier": lambda t: checks.parse_int(t, 1, 20, "层号"),
                "position": lambda t: checks.parse_int(t, 1, 200, "格号"),
            }
        )
        return parsers

    def read_header(self, row: int, cells: list[Any]) -> None:
        super().read_header(row, cells)
        self.required = [k for k in ("name", "id_number", "received_on", "entrustment_type") if k in self.present]
        if "source_name" not in self.present and not self.default_source:
            self._header_error(row, HEADER["source_name"], "缺少“档案来源”列：请填写该列，或在导入时填写默认来源")

    def check(self, row: int, cells: list[Any]) -> tuple[dict[str, Any], list[RowError]]:
        """The row's values by key, and its errors (an empty list when the row can be imported)."""
        errors: list[RowError] = []
        values: dict[str, Any] = {}
        bad: set[str] = set()
        parser_of = self.parsers.get
        declared_none: list[str] = []
        for key, text in self.cells_of(row, cells, errors, bad).items():
            if text == NONE and key in NONEABLE:
                declared_none.append(key)
                continue
            parse = parser_of(key)
            if parse is None:
                values[key] = text
                continue
            try:
                values[key] = parse(text)
            except CellError as exc:
                bad.add(key)
                errors.append(RowError(self.sheet, row, HEADER[key], text, exc.message))
        values["declared_none"] = declared_none

        def fail(key: str, message: str, value: Any = "") -> None:
            bad.add(key)
            errors.append(RowError(self.sheet, row, HEADER[key], str(value), message))

        for key in self.required:
            if key not in values and key not in bad:
                fail(key, REQUIRED)
        if not values.get("source_name") and "source_name" not in bad:
            if self.default_source:
                values["source_name"] = self.default_source
            elif "source_name" in self.present:
                fail("source_name", "请填写档案来源，或在导入时填写默认来源")
        self._check_person(row, values, bad, fail)
        self._check_histories(values, bad, fail)
        self._check_dossier(row, values, bad, fail)
        return values, errors

    def _check_person(self, row: int, values: dict[str, Any], bad: set[str], fail: Callable[..., None]) -> None:
        id_type = values.setdefault("id_type", Person.IdType.RESIDENT_ID.value)
        raw_id = values.get("id_number")
        if raw_id is not None and id_type == Person.IdType.RESIDENT_ID:
            try:
                number, birth, sex = checks.resident_id(raw_id, today=self.today)
            except CellError as exc:
                fail("id_number", exc.message, raw_id)
                del values["id_number"]
                if self.track:
                    self.bad_ids.add(checks.legacy_converted(raw_id.replace(" ", "").upper()), row)
            else:
                values["id_number"] = number
                if values.setdefault("birth_date", birth) != birth and "birth_date" not in bad:
                    fail("birth_date", f"出生日期与身份证号码不一致（应为{birth.isoformat()}）", values["birth_date"])
                if values.setdefault("sex", sex) != sex and "sex" not in bad:
                    fail("sex", "性别与身份证号码不一致", values["sex"])
        elif raw_id is not None:
            values["id_number"] = raw_id.replace(" ", "").upper()
            for key, message in (("birth_date", "非居民身份证须填写出生日期"), ("sex", "非居民身份证须填写性别")):
                if key not in values and key not in bad:
                    fail(key, message)
        if self.track and (known := values.get("id_number")) is not None:
            self.ids.add(known, row)
        status = values.get("political_status")
        if status in PARTY_OR_LEAGUE and "party_joined_on" not in values and "party_joined_on" not in bad:
            fail("party_joined_on", "党员、预备党员、团员须填写入党（团）时间")
        birth_date = values.get("birth_date")
        started = values.get("work_started_on")
        if started and birth_date and work_started_too_early(birth_date, started):
            fail("work_started_on", "参加工作时间早于16周岁，请核对", started)

    def _check_histories(self, values: dict[str, Any], bad: set[str], fail: Callable[..., None]) -> None:
        if "education" not in values and "education" not in bad:
            if any(k in values for k in EDUCATION_DETAIL_KEYS):
                fail("education", "填写了学历信息，请填写最高学历")
        elif "education" in values and "school" not in values and "school" not in bad:
            fail("school", "填写最高学历时须填写毕业院校")
        joined = values.get("party_joined_on")
        if joined and values.get("political_status") not in PARTY_OR_LEAGUE and "political_status" not in bad:
            fail("party_joined_on", "政治面貌为党员、预备党员或团员时才填写入党（团）时间", joined)
        if "party_branch" in values and "party_joined_on" not in values and "party_joined_on" not in bad:
            fail("party_branch", "填写了党组织关系所在，请填写入党（团）时间")
        if "credit_code" in values and "employer_name" not in values and "employer_name" not in bad:
            fail("employer_name", "填写了统一社会信用代码，请填写工作单位")
        if "title" in values and "title_level" not in values and "title_level" not in bad:
            level = checks.title_level_of(values["title"])
            if level is None:
                fail("title_level", "无法从职称名称判断级别，请填写职称级别")
            else:
                values["title_level"] = level

    def _check_dossier(self, row: int, values: dict[str, Any], bad: set[str], fail: Callable[..., None]) -> None:
        number = values.get("number")
        if number is not None and self.renumber:
            note = f"（原档案编号{number}）"
            source = values.get("source_name", "")
            if len(source) + len(note) > 100:
                fail("source_name", "档案来源与原档案编号合计不能超过100字", source)
            values["source_name"] = source + note
            del values["number"]
        elif number is not None and self.track:
            self.numbers.add(number, row)
        filled = [k for k in LOCATION_KEYS if k in values or k in bad]
        if filled and len(filled) < len(LOCATION_KEYS):
            missing = next(k for k in LOCATION_KEYS if k not in filled)
            fail(missing, "请完整填写存放位置（库房、档案柜、层、格）")
        elif filled and not bad.intersection(LOCATION_KEYS) and self.track:
            self.places.add(place_code(values), row)  # room names are unique within the custodian

    def duplicates(self) -> list[RowError]:
        """Keys repeated inside the file, found once the ledger has been read. A row whose person repeats an
        earlier one is reported for that alone (its number and place repeat because the row does)."""
        errors = [
            RowError(self.sheet, row, HEADER["id_number"], key, f"证件号码与第{first}行重复")
            for row, first, key in self.ids.duplicates()
        ]
        repeated = {e.row for e in errors}
        for log, key_name, what in ((self.numbers, "number", "档案编号"), (self.places, "room", "存放位置")):
            errors.extend(
                RowError(self.sheet, row, HEADER[key_name], key, f"{what}与第{first}行重复")
                for row, first, key in log.duplicates()
                if row not in repeated
            )
        return errors

    def known_ids(self) -> Container[str]:
        """Every ID number the ledger carries, the bad ones included (the catalogue's check)."""
        return _Either(self.ids, self.bad_ids)


def _room(rooms: dict[str, Room], text: str) -> Room:
    room = rooms.get(text)
    if room is None:
        raise CellError(f"实物保管机构没有名为“{text}”的库房")
    if room.kind != "storeroom":
        raise CellError(f"“{room.name}”是{room.kind_label}，档案只能存放在库房（R40：三室分开）")
    return room


class _Either:
    def __init__(self, *logs: KeyLog) -> None:
        self.logs = logs

    def __contains__(self, key: object) -> bool:
        return any(key in log for log in self.logs if len(log))


def place_code(values: dict[str, Any]) -> str:
    return location_code(values["room"].name, values["cabinet"], values["tier"], values["position"])


def _text_parser(limit: int) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if len(text) > limit:
            raise CellError(f"不能超过{limit}字")
        return text

    return parse


def _mapped(mapping: dict[str, str], message: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        value = mapping.get(text)
        if value is None:
            raise CellError(message.format(v=text))
        return value

    return parse


def _code_parser(mapping: dict[str, str], header: str) -> Callable[[str], str]:
    return _mapped(mapping, f"{header}代码或名称无效：{{v}}")


_SPACES = re.compile(r"\s+")


class MaterialChecker(_Sheet):
    """Checks one catalogue row at a time against the ID numbers the ledger carries."""

    sheet = MATERIALS_SHEET
    by_header = MATERIAL_BY_HEADER
    columns = MATERIAL_COLUMNS

    def __init__(self, *, today: datetime.date, ledger_ids: Container[str] | None) -> None:
        """`ledger_ids`: the ledger's ID numbers; None when the file was already found clean."""
        super().__init__()
        self.today = today
        self.ledger_ids = ledger_ids
        self.header = {c.key: c.header for c in MATERIAL_COLUMNS}

    def check(self, row: int, cells: list[Any]) -> tuple[dict[str, Any], list[RowError]]:
        errors: list[RowError] = []
        bad: set[str] = set()
        texts = self.cells_of(row, cells, errors, bad)
        values: dict[str, Any] = {}

        def fail(key: str, message: str) -> None:
            errors.append(RowError(self.sheet, row, self.header[key], texts.get(key, ""), message))

        for key in ("id_number", "material_class", "title", "pages"):
            if key not in texts and key not in bad and key in self.present:
                fail(key, REQUIRED)
        number = texts.get("id_number")
        if number is not None:
            number = number.upper() if " " not in number else _SPACES.sub("", number).upper()
            # the ledger keeps a first-generation number in its 18-digit form: so does its catalogue row, in both
            # passes alike (the second pass has no ledger to ask)
            number = checks.legacy_converted(number)
            if self.ledger_ids is not None and number not in self.ledger_ids:
                fail("id_number", "该证件号码不在档案台账中")
            values["id_number"] = number
        if "material_class" in texts:
            code = material_class_code(texts["material_class"])
            if code is None:
                fail("material_class", "类号无效：应为2018年或1991年分类的类号或类名，如 4-1")
            elif code in ("4", "9"):
                fail("material_class", f"第{code}类有小类，请填写小类，如 {code}-1")
            values["material_class"] = code
        title = texts.get("title", "")
        if len(title) > 200:
            fail("title", "材料名称不能超过200字")
        values["title"] = title
        try:
            formed_on, precision = formed.parse(texts.get("formed", ""))
        except ValueError as exc:
            fail("formed", str(exc))
        else:
            if formed_on is not None and formed_on > self.today:
                fail("formed", "材料制成时间不能晚于今天")
            elif formed_on is not None and formed_on.year < formed.EARLIEST_YEAR:
                fail("formed", "材料制成时间过早，请核对")
            values["formed_on"], values["formed_precision"] = formed_on, precision
        for key, low, high, what, default in (("copies", 1, 99, "份数", 1), ("pages", 1, 9999, "页数", None)):
            if key in texts:
                try:
                    values[key] = checks.parse_int(texts[key], low, high, what)
                except CellError as exc:
                    fail(key, exc.message)
            elif default is not None:
                values[key] = default
        remarks = texts.get("remarks", "")
        if len(remarks) > 200:
            fail("remarks", "备注不能超过200字")
        values["remarks"] = remarks
        return values, errors
