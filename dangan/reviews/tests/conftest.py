"""Fixtures: staff of 芝罘区 (370602) and 莱州市 (370683), a Party member's dossier with a full record, helpers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from dangan.agencies.models import Role
from dangan.audit.models import AuditEvent
from dangan.casework.models import RequestStep, ServiceRequest
from dangan.dossiers.models import (
    Dossier,
    EducationRecord,
    EmploymentRecord,
    FamilyMember,
    PartyMembership,
    TitleRecord,
)
from dangan.materials.models import Material, MaterialStatus
from dangan.reviews.models import PartyTransfer, PoliticalReview
from dangan.reviews.services import party_transfer_apply, political_review_apply

BRANCH = "中共烟台市芝罘区流动党员党支部"
TODAY = dt.date(2026, 3, 16)


@pytest.fixture
def staff(make_staff: Callable[..., Any]) -> SimpleNamespace:
    return SimpleNamespace(
        clerk=make_staff("370602", Role.COUNTER_CLERK),
        keeper=make_staff("370602", Role.ARCHIVE_KEEPER),
        approver=make_staff("370602", Role.APPROVER),
        clerk_approver=make_staff("370602", Role.COUNTER_CLERK, Role.APPROVER),
        data_clerk=make_staff("370602", Role.DATA_CLERK),
        bare=make_staff("370602"),
        laizhou=make_staff("370683", Role.COUNTER_CLERK, Role.APPROVER),
    )


def _filed(dossier: Dossier, actor: Any, material_class: str, title: str, formed_on: dt.date, seq: int) -> None:
    Material.objects.create(
        dossier=dossier, material_class=material_class, title=title, formed_on=formed_on, formed_precision="day",
        pages=2, source="employer", received_on=formed_on, received_by=actor, status=MaterialStatus.FILED,
        sequence=seq, filed_by=actor, filed_at=timezone.now(),
    )  # fmt: skip


@pytest.fixture
def member(make_dossier: Callable[..., Dossier], staff: SimpleNamespace) -> Callable[..., Dossier]:
    """A Party member's dossier in 芝罘区 whose record holds every part of the extract."""

    def make(agency_code: str = "370602", **person_fields: Any) -> Dossier:
        values = {
            "name": "王建华", "sex": "1", "birth_date": dt.date(1990, 5, 3), "ethnic_group": "01",
            "native_place": "山东蓬莱", "political_status": "01", "work_started_on": dt.date(2012, 7, 1),
        }  # fmt: skip
        values.update(person_fields)
        dossier = make_dossier(agency_code, **values)
        person = dossier.person
        EducationRecord.objects.create(
            person=person, education="21", school="鲁东大学", major="汉语言文学", started_on=dt.date(2008, 9, 1),
            graduated_on=dt.date(2012, 6, 30), is_highest=True,
        )  # fmt: skip
        EmploymentRecord.objects.create(
            person=person, employer_name="烟台某某电子有限公司", position="行政专员",
            started_on=dt.date(2012, 7, 1), ended_on=dt.date(2019, 3, 31),
        )  # fmt: skip
        TitleRecord.objects.create(
            person=person, title="经济师", level="intermediate", obtained_on=dt.date(2017, 11, 1)
        )
        PartyMembership.objects.create(
            person=person, organisation="party", joined_on=dt.date(2011, 6, 1), full_member_on=dt.date(2012, 6, 1),
            branch=BRANCH,
        )  # fmt: skip
        FamilyMember.objects.create(person=person, relation="父亲", name="王德胜", employer="蓬莱区某某镇 农民")
        _filed(dossier, staff.keeper, "7", "2018年度优秀员工表彰决定", dt.date(2019, 1, 10), 1)
        _filed(dossier, staff.keeper, "8", "警告处分决定", dt.date(2016, 4, 2), 1)
        return dossier

    return make


@pytest.fixture
def apply_review(staff: SimpleNamespace) -> Callable[..., PoliticalReview]:
    def apply(dossier: Dossier, actor: Any = None, **overrides: Any) -> PoliticalReview:
        values: dict[str, Any] = {
            "actor": actor or staff.clerk, "person_id_number": dossier.person.id_number, "purpose": "enlistment",
            "organisation": "烟台市芝罘区人民武装部", "letter_number": "芝武函〔2026〕3号", "reviewer_name": "刘干事",
            "reviewer_id_number": "370602198801011234", "documents": ["org_letter", "reviewer_id"],
        }  # fmt: skip
        values.update(overrides)
        return political_review_apply(**values)

    return apply


@pytest.fixture
def apply_party(staff: SimpleNamespace) -> Callable[..., PartyTransfer]:
    def apply(dossier: Dossier, actor: Any = None, **overrides: Any) -> PartyTransfer:
        values: dict[str, Any] = {
            "actor": actor or staff.clerk, "person_id_number": dossier.person.id_number, "direction": "out",
            "applicant_kind": "person", "applicant_name": dossier.person.name, "documents": ["party_letter", "id_card"],
            "letter_number": "鲁组介〔2026〕0158号", "issuing_organisation": BRANCH,
            "receiving_organisation": "中共莱州市某某集团有限公司委员会", "issued_on": dt.date(2026, 3, 2),
            "valid_until": dt.date(2026, 6, 1), "today": TODAY,
        }  # fmt: skip
        values.update(overrides)
        return party_transfer_apply(**values)

    return apply


@pytest.fixture
def snapshot() -> Callable[[], tuple[int, ...]]:
    """Counts of everything a refused action might have written."""

    def take() -> tuple[int, ...]:
        return (
            AuditEvent.objects.count(), RequestStep.objects.count(), ServiceRequest.objects.count(),
            PoliticalReview.objects.count(), PartyTransfer.objects.count(),
        )  # fmt: skip

    return take
