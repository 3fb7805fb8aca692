"""The words of a certificate come from the record, never typed free-hand (R10).

A type's body is a template with placeholders such as ``{name}``; each placeholder is one fact read from the
dossier. A fact the record lacks is *missing*: the issuing service refuses and lists every missing item.
A list the data clerk confirmed as "无" (``Person.declared_none``) prints as 无; nothing else is ever made up.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from dangan.core.codetables import table
from dangan.dossiers.models import (
    Dossier,
    EducationRecord,
    EmploymentRecord,
    FamilyMember,
    PartyMembership,
    Person,
    TitleRecord,
    mask_id_number,
)
from dangan.materials.models import Material, MaterialStatus

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
NONE = "无"
REWARD_CLASS = "7"  # 表彰奖励类材料
PENALTY_CLASS = "8"  # 违规违纪违法处理处分类材料
PARTY_STATUSES = frozenset({"01", "02", "03"})


@dataclass(frozen=True)
class Fact:
    value: str
    missing: tuple[str, ...] = ()


def _day(value: datetime.date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def _month(value: datetime.date | None) -> str:
    return f"{value.year}年{value.month}月" if value else ""


def _code(table_name: str, code: str) -> str:
    return table(table_name).label(code) if code else ""


@dataclass
class Record:
    """What the dossier records about its person, read once per certificate."""

    dossier: Dossier
    person: Person = field(init=False)

    def __post_init__(self) -> None:
        self.person = self.dossier.person

    @cached_property
    def employment(self) -> list[EmploymentRecord]:
        return list(EmploymentRecord.objects.filter(person=self.person).order_by("started_on", "pk"))

    @cached_property
    def education(self) -> list[EducationRecord]:
        return list(EducationRecord.objects.filter(person=self.person).order_by("graduated_on", "pk"))

    @cached_property
    def titles(self) -> list[TitleRecord]:
        return list(TitleRecord.objects.filter(person=self.person).order_by("obtained_on", "pk"))

    @cached_property
    def family(self) -> list[FamilyMember]:
        return list(FamilyMember.objects.filter(person=self.person).order_by("pk"))

    @cached_property
    def memberships(self) -> list[PartyMembership]:
        return list(PartyMembership.objects.filter(person=self.person).order_by("joined_on", "pk"))

    def filed_materials(self, material_class: str) -> list[Material]:
        return list(
            Material.objects.filter(
                dossier=self.dossier, material_class=material_class, status=MaterialStatus.FILED
            ).order_by("sequence")
        )

    def declared_none(self, key: str) -> bool:
        return key in (self.person.declared_none or [])


def _required(value: str, item: str) -> Fact:
    return Fact(value) if value else Fact("", (item,))


def _employment(record: Record) -> Fact:
    rows, missing = [], []
    for row in record.employment:
        started, ended, name, position = row.started_on, row.ended_on, row.employer_name, row.position
        if started is None:
            missing.append(f"工作经历（{name}）的起始时间")
        span = f"{_month(started)}至{_month(ended)}" if ended else f"{_month(started)}起"
        rows.append(f"{span}　{name}" + (f"　{position}" if position else ""))
    if not rows:
        return Fact(NONE) if record.declared_none("employer_name") else Fact("", ("工作经历",))
    return Fact("\n".join(rows), tuple(missing))


def _education(record: Record) -> Fact:
    rows, missing = [], []
    for row in record.education:
        school, started, graduated = row.school, row.started_on, row.graduated_on
        if graduated is None:
            missing.append(f"学习经历（{school}）的毕业时间")
        span = f"{_month(started)}至{_month(graduated)}" if started else f"{_month(graduated)}毕业"
        major, level = row.major, _code("education", row.education)
        rows.append("　".join(part for part in (span, school, major, level) if part))
    if not rows:
        return Fact("", ("学习经历",))
    return Fact("\n".join(rows), tuple(missing))


def _titles(record: Record) -> Fact:
    rows, missing = [], []
    for row in record.titles:
        obtained = row.obtained_on
        if obtained is None:
            missing.append(f"职称（{row.title}）的取得时间")
        rows.append(f"{_month(obtained)}　{row.title}（{row.get_level_display()}）")
    if not rows:
        return Fact(NONE) if record.declared_none("title") else Fact("", ("专业技术职务（职称）",))
    return Fact("\n".join(rows), tuple(missing))


def _family(record: Record) -> Fact:
    rows = []
    for row in record.family:
        employer = row.employer
        line = f"{row.relation}　{row.name}"
        rows.append(line + (f"　工作单位及职务：{employer}" if employer else ""))
    return Fact("\n".join(rows)) if rows else Fact("", ("家庭成员及主要社会关系",))


def _party(record: Record) -> Fact:
    rows = []
    for row in record.memberships:
        text = f"{_month(row.joined_on)}加入{row.get_organisation_display()}"
        if row.full_member_on:
            text += f"，{_month(row.full_member_on)}转正"
        rows.append(text)
    if rows:
        return Fact("；".join(rows))
    if record.person.political_status in PARTY_STATUSES:
        return Fact("", ("入党（团）时间",))
    return Fact(NONE)


def _materials(record: Record, material_class: str) -> Fact:
    rows = [f"{m.title}（{m.formed_display}）" for m in record.filed_materials(material_class)]
    return Fact("\n".join(rows) if rows else NONE)


@dataclass(frozen=True)
class Placeholder:
    key: str
    title: str
    compute: Callable[[Record], Fact]


PLACEHOLDERS: tuple[Placeholder, ...] = (
    Placeholder("name", "姓名", lambda r: _required(r.person.name, "姓名")),
    Placeholder("sex", "性别", lambda r: _required(_code("sex", r.person.sex), "性别")),
    Placeholder("birth_date", "出生日期", lambda r: _required(_day(r.person.birth_date), "出生日期")),
    Placeholder("id_type", "证件类型", lambda r: Fact(r.person.get_id_type_display())),
    Placeholder("id_number", "证件号码（完整）", lambda r: _required(r.person.id_number, "证件号码")),
    Placeholder("id_number_masked", "证件号码（隐去中间位）", lambda r: Fact(mask_id_number(r.person.id_number))),
    Placeholder("holding_agency", "存档机构", lambda r: Fact(r.dossier.holding_agency.name)),
    Placeholder("dossier_number", "档案编号", lambda r: _required(r.dossier.number, "档案编号")),
    Placeholder("received_on", "档案接收日期", lambda r: _required(_day(r.dossier.received_on), "档案接收日期")),
    Placeholder("dossier_status", "档案状态", lambda r: Fact(r.dossier.get_status_display())),
    Placeholder(
        "work_started_on", "参加工作时间", lambda r: _required(_month(r.person.work_started_on), "参加工作时间")
    ),
    Placeholder(
        "political_status",
        "政治面貌",
        lambda r: _required(_code("political_status", r.person.political_status), "政治面貌"),
    ),
    Placeholder("party", "党团关系", _party),
    Placeholder("education", "学习经历", _education),
    Placeholder("employment", "工作经历", _employment),
    Placeholder("titles", "专业技术职务（职称）", _titles),
    Placeholder("family", "家庭成员及主要社会关系", _family),
    Placeholder("rewards", "表彰奖励类材料", lambda r: _materials(r, REWARD_CLASS)),
    Placeholder("penalties", "处理处分类材料", lambda r: _materials(r, PENALTY_CLASS)),
)
BY_KEY = {p.key: p for p in PLACEHOLDERS}


def placeholders_in(body: str) -> list[str]:
    return list(dict.fromkeys(PLACEHOLDER.findall(body)))


def unknown_placeholders(body: str) -> list[str]:
    return [key for key in placeholders_in(body) if key not in BY_KEY]


@dataclass(frozen=True)
class Rendered:
    text: str
    missing: tuple[str, ...]
    facts: dict[str, str]


def render(body: str, dossier: Dossier) -> Rendered:
    """Fill the template from the record; every missing item is listed, in the order the template uses them."""
    record = Record(dossier)
    facts: dict[str, str] = {}
    missing: list[str] = []
    for key in placeholders_in(body):
        placeholder = BY_KEY.get(key)
        if placeholder is None:
            missing.append(f"模板占位符“{key}”无对应的档案记载项")
            continue
        fact = placeholder.compute(record)
        facts[key] = fact.value
        missing.extend(m for m in fact.missing if m not in missing)
    text = PLACEHOLDER.sub(lambda m: facts.get(m.group(1), ""), body)
    return Rendered(text=text, missing=tuple(missing), facts=facts)
