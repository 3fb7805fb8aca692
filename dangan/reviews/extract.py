"""The review extract (政审（考察）档案情况摘录) built only from what the dossier records — never typed in.

`build(dossier)` reads the record and returns plain data (JSON-ready); it writes nothing. The services that call
it audit the read (R43) and freeze the result on the review; `digest` tells whether the record changed since.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

from django.db.models import Q

from dangan.core.codetables import table
from dangan.dossiers.models import (
    Dossier,
    EducationRecord,
    EmploymentRecord,
    FamilyMember,
    PartyMembership,
    TitleRecord,
)
from dangan.materials.models import Material, MaterialStatus

VERSION = 1
NOT_RECORDED = "档案未记载"
REWARD_CLASS = "7"  # 表彰奖励类材料
PENALTY_CLASS = "8"  # 违规违纪违法处理处分类材料


def _day(value: datetime.date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def _month(value: datetime.date | None) -> str:
    return f"{value.year}.{value.month:02d}" if value else ""


def _span(started: datetime.date | None, ended: datetime.date | None, *, open_text: str = "至今") -> str:
    if started is None and ended is None:
        return ""
    return f"{_month(started) or '—'}—{_month(ended) or open_text}"


def _code(table_name: str, code: str) -> str:
    return table(table_name).label(code) if code else ""


def _fact(item: str, value: str) -> dict[str, str]:
    return {"item": item, "value": value or NOT_RECORDED}


def _section(title: str, columns: list[str], rows: list[list[str]]) -> dict[str, Any]:
    return {"title": title, "columns": columns, "rows": rows}


def _class_filter(number: str) -> Q:
    return Q(material_class=number) | Q(material_class__startswith=f"{number}-")


def _materials(dossier: Dossier, number: str) -> list[list[str]]:
    rows = Material.objects.filter(_class_filter(number), dossier=dossier, status=MaterialStatus.FILED).order_by(
        "material_class", "sequence", "pk"
    )
    return [[m.formed_display, m.title] for m in rows]


def build(dossier: Dossier) -> dict[str, Any]:
    """Facts and history tables of the person, in the order the extract prints them."""
    person = dossier.person
    memberships = list(PartyMembership.objects.filter(person=person).order_by("joined_on", "pk"))
    education = list(EducationRecord.objects.filter(person=person).order_by("graduated_on", "pk"))
    employment = list(EmploymentRecord.objects.filter(person=person).order_by("started_on", "pk"))
    titles = list(TitleRecord.objects.filter(person=person).order_by("obtained_on", "pk"))
    family = list(FamilyMember.objects.filter(person=person).order_by("pk"))
    facts = [
        _fact("姓名", person.name),
        _fact("性别", _code("sex", person.sex)),
        _fact("出生日期", _day(person.birth_date)),
        _fact("公民身份号码", f"{person.get_id_type_display()} {person.id_number}"),
        _fact("民族", _code("ethnic_group", person.ethnic_group)),
        _fact("籍贯", person.native_place),
        _fact("参加工作时间", _day(person.work_started_on)),
        _fact("政治面貌", _code("political_status", person.political_status)),
    ]
    if person.former_name:
        facts.insert(1, _fact("曾用名", person.former_name))
    sections = [
        _section(
            "政治面貌及党团关系",
            ["组织", "加入时间", "转正时间", "组织关系所在", "离开时间"],
            [
                [
                    str(m.get_organisation_display()),
                    _day(m.joined_on),
                    _day(m.full_member_on),
                    m.branch,
                    _day(m.left_on),
                ]
                for m in memberships
            ],
        ),
        _section(
            "学习经历",
            ["起止时间", "学校", "专业", "学历"],
            [
                [_span(r.started_on, r.graduated_on, open_text="—"), r.school, r.major, _code("education", r.education)]
                for r in education
            ],
        ),
        _section(
            "工作经历",
            ["起止时间", "工作单位", "职务/岗位"],
            [[_span(r.started_on, r.ended_on), r.employer_name, r.position] for r in employment],
        ),
        _section(
            "专业技术职务（职称）",
            ["取得时间", "职称", "级别", "评审（认定）机构"],
            [[_month(r.obtained_on), r.title, str(r.get_level_display()), r.issuer] for r in titles],
        ),
        _section("表彰奖励（档案第七类材料）", ["材料形成时间", "材料名称"], _materials(dossier, REWARD_CLASS)),
        _section("处理处分（档案第八类材料）", ["材料形成时间", "材料名称"], _materials(dossier, PENALTY_CLASS)),
        _section(
            "家庭成员及主要社会关系",
            ["称谓", "姓名", "工作单位及职务"],
            [[r.relation, r.name, r.employer] for r in family],
        ),
    ]
    return {"version": VERSION, "facts": facts, "sections": sections}


def digest(extract: dict[str, Any]) -> str:
    payload = json.dumps(extract, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def as_text(extract: dict[str, Any]) -> str:
    """A plain-text rendering (tests and search), in print order."""
    lines = [f"{f['item']}：{f['value']}" for f in extract.get("facts", [])]
    for section in extract.get("sections", []):
        lines.append(section["title"])
        lines.extend("　".join(cell for cell in row if cell) for row in section["rows"])
    return "\n".join(lines)
