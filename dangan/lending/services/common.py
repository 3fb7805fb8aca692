"""Checks every lending service shares: text fields, codes, roles, recusal, separation of duties."""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from dangan.agencies.policies import can_act_for_agency, staff_of
from dangan.casework import registry
from dangan.casework.models import ServiceRequest
from dangan.core.errors import Conflict, PermissionDenied, ValidationFailed
from dangan.core.validators import validate_credit_code, validate_phone, validate_resident_id
from dangan.dossiers.models import Dossier
from dangan.lending.recusal import recusal_conflict

Errors = dict[str, list[str]]
_UNIT_CODE = re.compile(r"^[0-9A-Z-]{6,32}$")


def min_readers() -> int:
    return max(2, int(getattr(settings, "DANGAN_MIN_READERS", 2)))


def loan_days() -> int:
    return max(1, int(getattr(settings, "DANGAN_LOAN_DAYS", 7)))


def fail(errors: Errors, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def text(errors: Errors, name: str, value: str, max_length: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        fail(errors, name, _("此项为必填项"))
    elif len(value) > max_length:
        fail(errors, name, _("不能超过%(n)d个字") % {"n": max_length})
    return value


def resident_id(errors: Errors, name: str, value: str) -> str:
    try:
        return validate_resident_id(value or "")
    except ValidationError as exc:
        fail(errors, name, exc.messages[0])
        return (value or "").strip().upper()


def phone(errors: Errors, name: str, value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return validate_phone(value)
    except ValidationError as exc:
        fail(errors, name, exc.messages[0])
        return value


def organisation_code(errors: Errors, name: str, value: str) -> str:
    """An 18-character unified social credit code (checked), or another unit code (6–32 letters and digits)."""
    code = re.sub(r"\s+", "", value or "").upper()
    if not code:
        fail(errors, name, _("此项为必填项"))
    elif len(code) == 18:
        try:
            return validate_credit_code(code)
        except ValidationError as exc:
            fail(errors, name, exc.messages[0])
    elif not _UNIT_CODE.match(code):
        fail(errors, name, _("请填写18位统一社会信用代码，或6至32位的单位代码（字母、数字）"))
    return code


def letter_date(errors: Errors, name: str, value: datetime.date | None) -> None:
    if value is None:
        fail(errors, name, _("此项为必填项"))
    elif value > timezone.localdate():
        fail(errors, name, _("函件日期不能晚于今天"))


def documents_missing(service_code: str, documents: Collection[str]) -> list[str]:
    service_type = registry.get(service_code)
    assert service_type is not None
    return [i.label for i in service_type.checklist_for("organisation") if i.required and i.key not in documents]


def require_step(actor: Any, request: ServiceRequest, to: str) -> None:
    """The step exists from the current status and the actor's role may take it (checked before anything else)."""
    service_type = registry.get(request.service_type)
    assert service_type is not None
    step = service_type.step(request.status, to)
    if step is None:
        raise Conflict(
            _("办件当前状态为“%(s)s”，不能办理此步骤")
            % {"s": service_type.statuses.get(request.status, request.status)},
            code="invalid_transition",
        )
    staff = staff_of(actor)
    if staff is None or not (staff.role_set & step.roles):
        raise PermissionDenied(_("您的岗位无权办理“%(s)s”") % {"s": step.label})


def require_role(actor: Any, request: ServiceRequest, roles: Collection[str], what: str) -> None:
    if not can_act_for_agency(actor, request.holding_agency, *roles):
        raise PermissionDenied(_("您的岗位无权%(w)s") % {"w": what})


def require_recusal_clear(actor: Any, dossier: Dossier) -> None:
    reason = recusal_conflict(actor, dossier)
    if reason:
        raise PermissionDenied(reason, code="recusal")


def require_other_than(actor: Any, user_id: int | None, message: str) -> None:
    """Separation of duties: whoever asked is not whoever approves (R14, R41)."""
    if user_id is not None and actor.pk == user_id:
        raise PermissionDenied(message, code="separation_of_duties")


def raise_if(errors: Errors, message: str) -> None:
    if errors:
        raise ValidationFailed(message, fields=errors)
