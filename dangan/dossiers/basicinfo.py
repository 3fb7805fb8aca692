"""The basic-information items of the collection standard (R35, R36), declared once.

Forms, API serializers, the import template and the completeness report all read this list. The
official list of 26 mandatory and 82 optional items could not be obtained; this is the project's
reading (shared/domain/basic-info.md). When the official list arrives, only this declaration changes.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dangan.core.codetables import region_name, table

# Political statuses for which the date of joining the Party or League is required (item 9).
PARTY_OR_LEAGUE = frozenset({"01", "02", "03"})

# No one works before the 16th birthday (劳动法 第十五条): the start of work (item 10) is checked against it,
# at intake, on every change and in the migration alike.
MIN_WORKING_AGE = 16


def birthday(birth: datetime.date, age: int) -> datetime.date:
    """The day someone born on `birth` turns `age`; born on 29 February: 1 March in a common year."""
    try:
        return birth.replace(year=birth.year + age)
    except ValueError:
        return datetime.date(birth.year + age, 3, 1)


def work_started_too_early(birth: datetime.date, started: datetime.date) -> bool:
    """True when the start of work falls before the 16th birthday (the birthday itself is allowed)."""
    return started < birthday(birth, MIN_WORKING_AGE)


@dataclass(frozen=True)
class Item:
    no: int
    key: str
    label: str
    mandatory: bool
    source: str  # person | education | employment | title | qualification | party | dossier | provider
    kind: str = "text"  # text | date | code | region | phone | id
    code_table: str | None = None
    noneable: bool = False  # the clerk may confirm "无" (no degree, no title, no employer…)
    interchange: str = ""  # indicator code used in exchanges with social-insurance systems [unverified]


ITEMS: tuple[Item, ...] = (
    Item(1, "name", "姓名", True, "person", interchange="AAC003"),
    Item(2, "sex", "性别", True, "person", "code", "sex", interchange="AAC004"),
    Item(3, "birth_date", "出生日期", True, "person", "date", interchange="AAC006"),
    Item(4, "id_number", "证件类型及号码", True, "person", "id", interchange="AAC002"),
    Item(5, "ethnic_group", "民族", True, "person", "code", "ethnic_group", interchange="AAC005"),
    Item(6, "native_place", "籍贯", True, "person"),
    Item(7, "household_region", "户籍所在地", True, "person", "region", "regions", interchange="AAB301"),
    Item(8, "political_status", "政治面貌", True, "person", "code", "political_status", interchange="AAC024"),
    Item(9, "party_joined_on", "入党（团）时间", True, "party", "date"),
    Item(10, "work_started_on", "参加工作时间", True, "person", "date", interchange="AAC007"),
    Item(11, "education", "最高学历", True, "education", "code", "education", interchange="AAC011"),
    Item(12, "degree", "最高学位", True, "education", "code", "degree", noneable=True),
    Item(13, "school", "毕业院校", True, "education"),
    Item(14, "major", "所学专业", True, "education", noneable=True),
    Item(15, "graduated_on", "毕业时间", True, "education", "date"),
    Item(16, "title", "专业技术职务（职称）", True, "title", noneable=True),
    Item(17, "qualification", "职业资格", True, "qualification", noneable=True),
    Item(18, "employer_name", "工作单位", True, "employment", noneable=True),
    Item(19, "credit_code", "单位统一社会信用代码", True, "employment", noneable=True),
    Item(20, "entrustment_type", "存档类型", True, "dossier", "code"),
    Item(21, "person_category", "人员类别", True, "person", "code", "person_category"),
    Item(22, "number", "档案编号", True, "dossier"),
    Item(23, "received_on", "档案接收日期", True, "dossier", "date"),
    Item(24, "source_name", "档案来源", True, "dossier"),
    Item(25, "location", "存放位置", True, "provider"),
    Item(26, "phone", "联系电话", True, "person", "phone"),
    # Optional items (可采), growing toward the standard's 82.
    Item(27, "former_name", "曾用名", False, "person"),
    Item(28, "marital_status", "婚姻状况", False, "person", "code", "marital_status"),
    Item(29, "health", "健康状况", False, "person"),
    Item(30, "birthplace", "出生地", False, "person"),
    Item(31, "home_address", "家庭住址", False, "person"),
    Item(32, "postcode", "邮政编码", False, "person"),
    Item(33, "social_security_no", "社会保障号码", False, "person"),
    Item(34, "email", "电子邮箱", False, "person"),
    Item(35, "pre_enrolment_region", "入学前户籍所在地", False, "person", "region", "regions"),
    Item(36, "party_branch", "党组织关系所在", False, "party"),
    Item(37, "family", "家庭成员及主要社会关系", False, "family"),
)
MANDATORY = tuple(i for i in ITEMS if i.mandatory)
BY_KEY = {i.key: i for i in ITEMS}
assert len(MANDATORY) == 26

_PROVIDERS: dict[str, Callable[[Any], str]] = {}


def register_provider(key: str, provider: Callable[[Any], str]) -> None:
    """An upper app supplies an item the dossiers app does not store (e.g. storage: location)."""
    _PROVIDERS[key] = provider


def _highest_education(person: Any) -> Any:
    rows = list(person.education.all())
    marked = [r for r in rows if r.is_highest]
    return (marked or rows or [None])[-1]


def _current_employment(person: Any) -> Any:
    rows = [r for r in person.employment.all() if r.ended_on is None]
    return rows[-1] if rows else None


def value_of(item: Item, person: Any, dossier: Any | None) -> Any:
    """The item's current value, or None/'' when it is not filled."""
    if item.source == "person":
        return getattr(person, item.key)
    if item.source == "dossier":
        return getattr(dossier, item.key) if dossier is not None else None
    if item.source == "provider":
        provider = _PROVIDERS.get(item.key)
        return provider(dossier) if provider and dossier is not None else None
    if item.source == "education":
        row = _highest_education(person)
        return getattr(row, item.key) if row is not None else None
    if item.source == "employment":
        row = _current_employment(person)
        return getattr(row, item.key) if row is not None else None
    if item.source == "title":
        rows = list(person.titles.all())
        return rows[-1].title if rows else None
    if item.source == "qualification":
        rows = list(person.qualifications.all())
        return rows[-1].name if rows else None
    if item.source == "party":
        rows = [r for r in person.memberships.all() if r.left_on is None]
        if not rows:
            return None
        return rows[-1].joined_on if item.key == "party_joined_on" else rows[-1].branch
    if item.source == "family":
        return list(person.family.all()) or None
    raise ValueError(item.source)


def is_filled(item: Item, person: Any, dossier: Any | None) -> bool:
    if item.noneable and item.key in (person.declared_none or []):
        return True
    if item.key == "party_joined_on" and person.political_status not in PARTY_OR_LEAGUE:
        return True  # not applicable to this person
    value = value_of(item, person, dossier)
    return value not in (None, "", [])


def display(item: Item, person: Any, dossier: Any | None) -> str:
    if item.noneable and item.key in (person.declared_none or []):
        return "无"
    value = value_of(item, person, dossier)
    if value in (None, "", []):
        return ""
    if item.key == "id_number":
        return f"{person.get_id_type_display()} {value}"
    if item.key == "entrustment_type" and dossier is not None:
        return str(dossier.get_entrustment_type_display())
    if item.code_table == "regions":
        return region_name(str(value))
    if item.code_table:
        return table(item.code_table).label(str(value))
    if isinstance(value, list):
        return "；".join(str(v) for v in value)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


@dataclass(frozen=True)
class Completeness:
    mandatory_filled: int
    optional_filled: int
    missing: tuple[Item, ...]

    @property
    def mandatory_total(self) -> int:
        return len(MANDATORY)

    @property
    def optional_total(self) -> int:
        return len(ITEMS) - len(MANDATORY)

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def percent(self) -> int:
        return round(100 * self.mandatory_filled / self.mandatory_total)


def completeness(person: Any, dossier: Any | None) -> Completeness:
    missing = tuple(i for i in MANDATORY if not is_filled(i, person, dossier))
    optional = sum(1 for i in ITEMS if not i.mandatory and is_filled(i, person, dossier))
    return Completeness(mandatory_filled=len(MANDATORY) - len(missing), optional_filled=optional, missing=missing)
