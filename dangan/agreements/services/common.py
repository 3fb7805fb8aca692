"""Helpers shared by the agreement services: scoping of locked rows and the dossier's entrustment type."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from dangan.agencies.models import Agency
from dangan.agencies.policies import staff_of
from dangan.agreements import events
from dangan.agreements.models import EmployerAgreement
from dangan.agreements.policies import can_approve, can_read, can_sign
from dangan.audit.services import record
from dangan.core.errors import NotFound, PermissionDenied, ValidationFailed
from dangan.dossiers.models import Dossier, EntrustmentType

NOT_FOUND_AGREEMENT = "协议不存在或无权查看"


def today_or(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def own_agency_for_signing(actor: Any, what: str) -> Agency:
    staff = staff_of(actor)
    if staff is None or not can_sign(actor, staff.agency):
        raise PermissionDenied(_("只有窗口经办或网办专员可以%(what)s") % {"what": what})
    if not staff.agency.holds_dossiers:
        raise PermissionDenied(_("本机构不保管档案，不能%(what)s") % {"what": what})
    return staff.agency


def check_scope(actor: Any, agency: Agency, missing: str, *, approve: bool = False) -> None:
    """Out of scope looks like missing (404); in scope without the role is 403."""
    if not can_read(actor, agency):
        raise NotFound(missing)
    if approve and not can_approve(actor, agency):
        raise PermissionDenied(_("只有本机构的审批负责人可以办理此项业务"))
    if not approve and not can_sign(actor, agency):
        raise PermissionDenied(_("只有本机构的窗口经办或网办专员可以办理此项业务"))


def locked_agreement(actor: Any, agreement_id: int, *, approve: bool = False) -> EmployerAgreement:
    agreement = (
        EmployerAgreement.objects.select_for_update(of=("self",))
        .select_related("agency", "employer")
        .filter(pk=agreement_id)
        .first()
    )
    if agreement is None:
        raise NotFound(_(NOT_FOUND_AGREEMENT))
    check_scope(actor, agreement.agency, _(NOT_FOUND_AGREEMENT), approve=approve)
    return agreement


def check_day(name: str, day: datetime.date, *, today: datetime.date, label: str, errors: dict[str, list[str]]) -> None:
    if day > today:
        errors.setdefault(name, []).append(_("%(label)s不能晚于今天") % {"label": label})


def raise_if(errors: dict[str, list[str]], message: str) -> None:
    if errors:
        raise ValidationFailed(message, fields=errors)


def dossier_set_entrustment(*, actor: Any, dossier: Dossier, entrustment_type: str, reason: str) -> None:
    """Switch a dossier between collective and personal entrustment (the caller holds the row locked)."""
    if entrustment_type not in EntrustmentType.values:
        raise ValidationFailed(_("存档类型无效"))
    before = dossier.entrustment_type
    if before == entrustment_type:
        return
    dossier.entrustment_type = entrustment_type
    dossier.save(update_fields=["entrustment_type"])
    record(
        actor=actor,
        action=events.DOSSIER_ENTRUSTMENT_CHANGED,
        subject=dossier,
        dossier_id=dossier.pk,
        before={"entrustment_type": before},
        after={"entrustment_type": entrustment_type},
        reason=reason,
    )
