"""Fixtures for the materials tests: staff of each role in 芝罘区 and 莱州市, a dossier, and helpers."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from dangan.agencies.models import Role
from dangan.dossiers.models import Gap, Intake, SourceKind
from dangan.materials.models import Material
from dangan.materials.services import MaterialInput, material_appraise, material_file, material_receive


def material_input(**overrides: Any) -> MaterialInput:
    values: dict[str, Any] = {
        "material_class": "1",
        "title": "干部履历表",
        "formed_on": datetime.date(2015, 6, 1),
        "formed_precision": "day",
        "pages": 4,
        "source": "employer",
        "source_name": "烟台某某有限公司",
        "received_on": datetime.date(2024, 3, 5),
    }
    values.update(overrides)
    return MaterialInput(**values)


@pytest.fixture
def zhifu(make_staff: Callable[..., Any], make_dossier: Callable[..., Any], django_user_model: Any) -> SimpleNamespace:
    return SimpleNamespace(
        outsider=django_user_model.objects.create_user(username="outsider", password="Test-password-2026"),
        clerk=make_staff("370602", Role.DATA_CLERK),
        counter=make_staff("370602", Role.COUNTER_CLERK),
        keeper=make_staff("370602", Role.ARCHIVE_KEEPER),
        approver=make_staff("370602", Role.APPROVER),
        supervisor=make_staff("370602", Role.SUPERVISOR),
        bare=make_staff("370602"),
        dossier=make_dossier("370602"),
        laizhou=make_staff("370683", Role.ARCHIVE_KEEPER, Role.APPROVER, Role.DATA_CLERK),
    )


@pytest.fixture
def receive(zhifu: SimpleNamespace) -> Callable[..., Material]:
    def make(*, actor: Any = None, dossier: Any = None, gap_id: int | None = None, **fields: Any) -> Material:
        return material_receive(
            actor=actor or zhifu.clerk, dossier_id=(dossier or zhifu.dossier).pk, data=material_input(**fields),
            gap_id=gap_id,
        )  # fmt: skip

    return make


@pytest.fixture
def accepted(zhifu: SimpleNamespace, receive: Callable[..., Material]) -> Callable[..., Material]:
    def make(**fields: Any) -> Material:
        material = receive(**fields)
        return material_appraise(actor=zhifu.approver, material_id=material.pk, decision="accept")

    return make


@pytest.fixture
def filed(zhifu: SimpleNamespace, accepted: Callable[..., Material]) -> Callable[..., Material]:
    def make(**fields: Any) -> Material:
        return material_file(actor=zhifu.keeper, material_id=accepted(**fields).pk)

    return make


@pytest.fixture
def make_gap(zhifu: SimpleNamespace) -> Callable[..., Gap]:
    def make(*, dossier: Any = None, material_class: str = "4-1", title: str = "学位证书") -> Gap:
        dossier = dossier or zhifu.dossier
        intake = Intake.objects.create(
            dossier=dossier, agency=dossier.holding_agency, received_by=zhifu.counter, received_at=timezone.now(),
            source_kind=SourceKind.SCHOOL, source_name="烟台大学", delivery="confidential_courier",
            party_name="本人", acknowledged_at=timezone.now(), commitment_deadline=datetime.date(2030, 6, 30),
        )  # fmt: skip
        return Gap.objects.create(
            intake=intake, dossier=dossier, material_class=material_class, title=title,
            deadline=datetime.date(2030, 6, 30),
        )  # fmt: skip

    return make
