"""Who serves whom (R2, R3, R4, R6, R8): the agencies that may hold a dossier, each with its reason.

Reads the agency table once per question and nothing else; the rules themselves are plain code.
A county (GB/T 2260) maps to the district-level agency of that region that is not a functional
zone; a zone's agency serves only an employer that says it sits in that zone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangan.agencies.models import Agency, AgencyLevel
from dangan.agreements.models import RegistrationLevel
from dangan.core.codetables import region_name, table
from dangan.core.errors import ValidationFailed


class Situation(models.TextChoices):
    """The person's situation that decides where an individual dossier is kept (R3, R4)."""

    FLEXIBLE = "flexible", gettext_lazy("自由职业或灵活就业人员")
    ABROAD = "abroad", gettext_lazy("自费出国留学及其他因私出国（境）人员")
    PUBLIC_STAFF_LEFT = "public_staff_left", gettext_lazy("辞职辞退、取消录（聘）用或被开除的机关事业单位工作人员")
    CONTRACT_ENDED = "contract_ended", gettext_lazy("与企事业单位解除或终止劳动（聘用）关系人员")
    GRADUATE_SELF_EMPLOYED = "graduate_self_employed", gettext_lazy("自主创业、自由职业的高校毕业生及中专毕业生")
    GRADUATE_NO_COLLECTIVE = (
        "graduate_no_collective",
        gettext_lazy("所在单位未办理档案集中管理的高校毕业生及中专毕业生"),
    )
    COLLECTIVE_DEPARTURE = "collective_departure", gettext_lazy("单位委托存档人员离职后转为个人委托存档")


R3_SITUATIONS = frozenset({Situation.FLEXIBLE, Situation.ABROAD, Situation.PUBLIC_STAFF_LEFT, Situation.CONTRACT_ENDED})
R4_SITUATIONS = frozenset({Situation.GRADUATE_SELF_EMPLOYED, Situation.GRADUATE_NO_COLLECTIVE})


@dataclass(frozen=True)
class Places:
    """County codes (GB/T 2260) of the places that matter; empty when unknown or not relevant."""

    household_region: str = ""
    pre_enrolment_region: str = ""
    former_employer_region: str = ""
    work_region: str = ""

    def as_dict(self) -> dict[str, str]:
        return {k: v for k, v in self.__dict__.items() if v}


@dataclass
class Option:
    agency: Agency
    reasons: list[str] = field(default_factory=list)


class _Agencies:
    def __init__(self) -> None:
        rows = Agency.objects.filter(
            is_active=True, holds_dossiers=True, level__in=[AgencyLevel.CITY, AgencyLevel.DISTRICT]
        )
        self.district: dict[str, Agency] = {}
        self.city: dict[str, Agency] = {}
        for agency in rows:
            if agency.level == AgencyLevel.CITY:
                self.city[agency.region_code] = agency
            elif not agency.statistical_code:
                self.district.setdefault(agency.region_code, agency)

    def city_of(self, county: str) -> Agency | None:
        region = table("regions").by_code.get(county)
        parent = region.extra.get("parent", "") if region else ""
        return self.city.get(parent)


class _Collector:
    def __init__(self) -> None:
        self.options: dict[int, Option] = {}

    def add(self, agency: Agency | None, reason: str) -> None:
        if agency is None:
            return
        option = self.options.setdefault(agency.pk, Option(agency))
        if reason not in option.reasons:
            option.reasons.append(reason)

    def result(self) -> list[Option]:
        return list(self.options.values())


def _place(code: str) -> str:
    return region_name(code) if code else ""


def for_employer(*, registration_level: str, county_code: str, zone_agency: Agency | None = None) -> list[Option]:
    """R2: registered at city level or above → the city center or the district where it sits, at its
    choice; registered at district level → that district's agency only."""
    agencies = _Agencies()
    found = _Collector()
    local = zone_agency if zone_agency is not None else agencies.district.get(county_code)
    where = zone_agency.name if zone_agency is not None else _place(county_code)
    if registration_level == RegistrationLevel.CITY:
        found.add(
            agencies.city_of(county_code),
            _("R2：在市级以上（含市级）市场监管、民政、司法等部门注册（登记管理）的用人单位，"
              "可按单位意愿由市公共就业和人才服务中心承担"),
        )  # fmt: skip
        found.add(
            local,
            _("R2：在市级以上（含市级）部门注册（登记管理）的用人单位，可按单位意愿由单位所在地（%(p)s）"
              "的区市公共就业和人才服务机构承担") % {"p": where},
        )  # fmt: skip
    elif registration_level == RegistrationLevel.DISTRICT:
        found.add(
            local,
            _("R2：在区市市场监管、民政、司法等部门注册（登记管理）的用人单位，由所属区市（%(p)s）"
              "公共就业和人才服务机构承担") % {"p": where},
        )  # fmt: skip
    return found.result()


def for_person(*, situation: str, places: Places, current_holder: Agency | None = None) -> list[Option]:
    """R3: the district agency of household registration or of the former employer's location.
    R4: graduates choose household registration, pre-enrolment household registration, or place of work
    or business. A collective employee who leaves may stay where the dossier is (R6, R8)."""
    agencies = _Agencies()
    found = _Collector()
    label = Situation(situation).label if situation in Situation.values else situation
    if situation in R3_SITUATIONS or situation == Situation.COLLECTIVE_DEPARTURE:
        if situation == Situation.COLLECTIVE_DEPARTURE:
            found.add(
                current_holder,
                _("R6、R8：档案现由本机构保管，不得清退；按本人意愿可就地就近签订个人委托存档协议"),
            )
            label = Situation.CONTRACT_ENDED.label
        for code, where in (
            (places.household_region, _("户籍所在地")),
            (places.former_employer_region, _("原用人单位所在地")),
        ):
            if code:
                found.add(
                    agencies.district.get(code),
                    _("R3：%(who)s的档案，由%(where)s（%(p)s）的区市公共就业和人才服务机构接收管理")
                    % {"who": label, "where": where, "p": _place(code)},
                )
    elif situation in R4_SITUATIONS:
        for code, where in (
            (places.household_region, _("户籍所在地")),
            (places.pre_enrolment_region, _("入学前户籍所在地")),
            (places.work_region, _("就业、创业所在地")),
        ):
            if code:
                found.add(
                    agencies.district.get(code),
                    _("R4：%(who)s可自主选择，由%(where)s（%(p)s）的区市公共就业和人才服务机构接收管理")
                    % {"who": label, "where": where, "p": _place(code)},
                )
    return found.result()


def require(options: Iterable[Option], agency: Agency, *, field_name: str, subject: str) -> Option:
    """The option for `agency`, or a refusal that lists who may serve and why."""
    options = list(options)
    for option in options:
        if option.agency.pk == agency.pk:
            return option
    if options:
        allowed = "；".join(f"{o.agency.name}（{'；'.join(o.reasons)}）" for o in options)
        message = _("%(agency)s不是%(subject)s的存档机构。可存档机构：%(allowed)s") % {
            "agency": agency.name, "subject": subject, "allowed": allowed,
        }  # fmt: skip
    else:
        message = _("按所填地点找不到%(subject)s的存档机构，请核对所在地、户籍所在地等信息") % {"subject": subject}
    raise ValidationFailed(message, code="not_competent", fields={field_name: [message]})
