"""Cheap per-cell checks for a ledger of 100,000 rows: precompiled code maps and the project's validators.

Every acceptance here is the project's own verdict: the resident-ID fast path accepts only numbers whose
region prefix the project's validator has already accepted and whose date and check digit it would
accept too; anything else goes through `validate_resident_id` itself, which also gives the message.
A 15-digit first-generation number is converted to its 18-digit form first, as the validator does, and
that form takes the same fast path (R36): old ledgers are full of them.
Credit codes repeat across a ledger (many people, one employer), so the validator's answers are memoised.
"""

from __future__ import annotations

import datetime
import operator
import re
from functools import cache, lru_cache

from django.core.exceptions import ValidationError

from dangan.core.codetables import region_name, table
from dangan.core.validators import validate_credit_code, validate_phone, validate_postcode, validate_resident_id
from dangan.dossiers.models import EntrustmentType, Person, TitleRecord


class CellError(Exception):
    """A cell the import cannot take; the message is Chinese and names what to fix."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- Dates ---------------------------------------------------------------------------------------

_DAY = re.compile(r"^(\d{4})\s*[.\-/年]\s*(\d{1,2})\s*[.\-/月]\s*(\d{1,2})\s*日?$")
_MONTH = re.compile(r"^(\d{4})\s*[.\-/年]\s*(\d{1,2})\s*月?$")
EARLIEST_YEAR = 1900


def parse_date(text: str, *, today: datetime.date, month_ok: bool = False) -> datetime.date:
    """2010-07-01, 2010/7/1, 2010.07.01, 2010年7月1日, 20100701; with month_ok also 2010-07, 2010.7, 201007."""
    value: datetime.date | None = None
    if len(text) == 10 and text[4] == "-":
        try:
            value = datetime.date.fromisoformat(text)
        except ValueError:
            value = None
    elif month_ok and len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit():
        try:
            value = datetime.date(int(text[:4]), int(text[5:]), 1)
        except ValueError:
            raise CellError("日期不存在，请核对") from None
    if value is None:
        parts: tuple[str, ...] | None = None
        if text.isdigit() and len(text) == 8:
            parts = (text[:4], text[4:6], text[6:])
        elif month_ok and text.isdigit() and len(text) == 6:
            parts = (text[:4], text[4:], "1")
        elif match := _DAY.match(text):
            parts = match.groups()
        elif month_ok and (match := _MONTH.match(text)):
            parts = (*match.groups(), "1")
        if parts is None:
            raise CellError("日期格式应为 2010-07-01" + ("（或 2010-07）" if month_ok else ""))
        try:
            value = datetime.date(int(parts[0]), int(parts[1]), int(parts[2]))
        except ValueError:
            raise CellError("日期不存在，请核对") from None
    if value > today:
        raise CellError("日期不能晚于今天")
    if value.year < EARLIEST_YEAR:
        raise CellError("日期过早，请核对")
    return value


def parse_int(text: str, low: int, high: int, what: str) -> int:
    if not text.isascii() or not text.isdigit():
        raise CellError(f"{what}应为整数")
    value = int(text)
    if not low <= value <= high:
        raise CellError(f"{what}应在{low}至{high}之间")
    return value


# --- Code tables ------------------------------------------------------------------------------------


@cache
def code_map(name: str) -> dict[str, str]:
    """Code, name and short name of every entry of a national table → its code."""
    mapping: dict[str, str] = {}
    for code in table(name).codes:
        for spelling in (code.extra.get("short", ""), code.name, code.code):
            if spelling:
                mapping[spelling] = code.code
    if name == "sex":
        mapping.update({"男性": "1", "女性": "2"})
    return mapping


@cache
def region_map() -> dict[str, str]:
    """GB/T 2260 codes, full names (山东省烟台市芝罘区) and names that are unique (芝罘区) → code."""
    regions = table("regions").codes
    mapping = {c.code: c.code for c in regions}
    counts: dict[str, int] = {}
    for c in regions:
        counts[c.name] = counts.get(c.name, 0) + 1
    for c in regions:
        mapping.setdefault(region_name(c.code), c.code)
        if counts[c.name] == 1:
            mapping.setdefault(c.name, c.code)
    return mapping


@cache
def id_type_map() -> dict[str, str]:
    mapping = {str(label): value for value, label in Person.IdType.choices}
    mapping.update({value: value for value in Person.IdType.values})
    mapping.update({"身份证": Person.IdType.RESIDENT_ID.value, "居民身份证号码": Person.IdType.RESIDENT_ID.value})
    return mapping


@cache
def entrustment_map() -> dict[str, str]:
    mapping = {str(label): value for value, label in EntrustmentType.choices}
    mapping.update({value: value for value in EntrustmentType.values})
    mapping.update(
        {
            "集体": EntrustmentType.COLLECTIVE.value,
            "单位": EntrustmentType.COLLECTIVE.value,
            "单位委托": EntrustmentType.COLLECTIVE.value,
            "集体存档": EntrustmentType.COLLECTIVE.value,
            "个人": EntrustmentType.PERSONAL.value,
            "个人委托": EntrustmentType.PERSONAL.value,
            "个人存档": EntrustmentType.PERSONAL.value,
        }
    )
    return mapping


@cache
def title_level_map() -> dict[str, str]:
    mapping = {str(label): value for value, label in TitleRecord.Level.choices}
    mapping.update({value: value for value in TitleRecord.Level.values})
    mapping.update({"副高": TitleRecord.Level.ASSOCIATE_SENIOR.value, "正高": TitleRecord.Level.SENIOR.value})
    return mapping


_LEVEL_WORDS: tuple[tuple[str, str], ...] = (
    ("正高级", TitleRecord.Level.SENIOR.value),
    ("副高级", TitleRecord.Level.ASSOCIATE_SENIOR.value),
    ("高级", TitleRecord.Level.ASSOCIATE_SENIOR.value),
    ("副教授", TitleRecord.Level.ASSOCIATE_SENIOR.value),
    ("副研究员", TitleRecord.Level.ASSOCIATE_SENIOR.value),
    ("副主任", TitleRecord.Level.ASSOCIATE_SENIOR.value),
    ("教授", TitleRecord.Level.SENIOR.value),
    ("研究员", TitleRecord.Level.SENIOR.value),
    ("中级", TitleRecord.Level.INTERMEDIATE.value),
    ("初级", TitleRecord.Level.JUNIOR.value),
    ("助理", TitleRecord.Level.JUNIOR.value),
)


def title_level_of(title: str) -> str | None:
    """The level a title's own words state (高级工程师 → 副高级); None when they do not say."""
    for word, level in _LEVEL_WORDS:
        if word in title:
            return level
    if title.endswith(("工程师", "经济师", "会计师", "讲师", "统计师", "审计师", "主治医师", "主管护师")):
        return TitleRecord.Level.INTERMEDIATE.value
    if title.endswith(("技术员", "员", "士")):
        return TitleRecord.Level.JUNIOR.value
    return None


# --- Numbers -----------------------------------------------------------------------------------------

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_accepted_prefixes: set[str] = set()


def legacy_converted(number: str) -> str:
    """A 15-digit first-generation number in its 18-digit form (19YY, computed check digit), the way
    `validate_resident_id` converts it; any other text unchanged. Arithmetic only, not a verdict."""
    if len(number) != 15 or not number.isascii() or not number.isdigit():
        return number
    body = number[:6] + "19" + number[6:]
    return body + _CHECK[sum(map(operator.mul, map(int, body), _WEIGHTS)) % 11]


def resident_id(value: str, *, today: datetime.date) -> tuple[str, datetime.date, str]:
    """(normalised 18-digit number, birth date, GB/T 2261.1 sex) of a valid resident ID, or CellError with the
    reason. A valid 15-digit number comes back in its 18-digit form."""
    number = value.upper() if " " not in value else value.replace(" ", "").upper()
    if len(number) == 15:
        number = legacy_converted(number)
    if len(number) == 18 and number[:6] in _accepted_prefixes and number[:17].isascii() and number[:17].isdigit():
        try:
            birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        except ValueError:
            birth = None
        if birth is not None and birth.year >= EARLIEST_YEAR and birth <= today:
            total = sum(map(operator.mul, map(int, number[:17]), _WEIGHTS))
            if _CHECK[total % 11] == number[17]:
                return number, birth, "1" if int(number[16]) % 2 else "2"
    try:
        number = validate_resident_id(value)
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from None
    _accepted_prefixes.add(number[:6])
    birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    return number, birth, "1" if int(number[16]) % 2 else "2"


@lru_cache(maxsize=8192)
def _credit_code_verdict(value: str) -> tuple[bool, str]:
    try:
        return True, validate_credit_code(value)
    except ValidationError as exc:
        return False, str(exc.messages[0])


def credit_code(value: str) -> str:
    ok, answer = _credit_code_verdict(value)
    if not ok:
        raise CellError(answer)
    return answer


def phone(value: str) -> str:
    try:
        return validate_phone(value)
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from None


def postcode(value: str) -> str:
    try:
        return validate_postcode(value)
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from None


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def email(value: str) -> str:
    if len(value) > 254 or not _EMAIL.match(value):
        raise CellError("电子邮箱格式不正确")
    return value
