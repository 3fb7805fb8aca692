"""Certificates: apply, approve or reject, issue from the record, revoke; certificate types (R10, R30, R33)."""

from __future__ import annotations

import datetime
import re
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangan.agencies.models import Agency
from dangan.agencies.policies import can_read_agency
from dangan.audit.services import record
from dangan.casework.models import Channel, ServiceRequest
from dangan.casework.services import request_for_action, request_step, request_submit
from dangan.certificates import events, policies, texts
from dangan.certificates import workflow as wf
from dangan.certificates.models import Certificate, CertificateSequence, CertificateStatus, CertificateType
from dangan.certificates.selectors import certificate_types
from dangan.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from dangan.dossiers.models import Dossier, DossierStatus
from dangan.dossiers.workflow import IN_STOCK

SERVICE_CODE = "certificate"
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,29}$")


def _active_type(code: str) -> CertificateType:
    found = certificate_types().filter(code=code).first()
    if found is None:
        raise ValidationFailed(_("证明类型无效"), fields={"type_code": [_("请选择已启用的证明类型")]})
    return found


def certificate_apply(
    *,
    actor: Any,
    type_code: str,
    person_id_number: str,
    applicant_kind: str,
    applicant_name: str,
    applicant_id_number: str = "",
    applicant_phone: str = "",
    documents: list[str],
    purpose: str = "",
    addressee: str = "",
    channel: str = Channel.COUNTER,
) -> ServiceRequest:
    """Accept an application at the counter or online desk; anywhere in the province (R33), routed to the holder."""
    certificate_type = _active_type(type_code)
    details = {"certificate_type": certificate_type.code, "purpose": purpose.strip(), "addressee": addressee.strip()}
    with transaction.atomic():
        request = request_submit(
            actor=actor, service_code=SERVICE_CODE, channel=channel, applicant_kind=applicant_kind,
            applicant_name=applicant_name, applicant_id_number=applicant_id_number, applicant_phone=applicant_phone,
            documents=documents, person_id_number=person_id_number, details=details,
        )  # fmt: skip
        record(
            actor=actor, action=events.CERTIFICATE_APPLIED, subject=request, dossier_id=request.dossier_id,
            after={"number": request.number, "type": certificate_type.code},
        )  # fmt: skip
    return request


def _certificate_request(actor: Any, request_id: int) -> ServiceRequest:
    request = request_for_action(actor, request_id)  # locks; the holder acts, the accepting agency only follows
    if request.service_type != SERVICE_CODE:
        raise NotFound(_("办件不存在或无权查看"))
    return request


def certificate_decide(*, actor: Any, request_id: int, to: str, note: str = "") -> ServiceRequest:
    """Approve, reject or withdraw an application; issuing goes through certificate_issue only."""
    if to == wf.ISSUED:
        raise Conflict(_("出具证明须由系统依据档案记载生成，请使用“出具证明”"), code="use_issue")
    if to == wf.REJECTED and not note.strip():
        raise ValidationFailed(_("请说明不予出具的理由"), fields={"note": [_("此项为必填项")]})
    with transaction.atomic():
        request = _certificate_request(actor, request_id)
        return request_step(actor=actor, request=request, to=to, note=note)


def _serial(agency: Agency, year: int) -> str:
    sequence, _created = CertificateSequence.objects.select_for_update().get_or_create(agency=agency, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"ZM{agency.code[:6]}{year}{sequence.last:06d}"


def certificate_issue(*, actor: Any, request_id: int, now: datetime.datetime | None = None) -> Certificate:
    """Generate the certificate from what the dossier records and complete the request (R10).

    Refuses with the list of every missing item when the record lacks what the type's wording needs."""
    now = now or timezone.now()
    with transaction.atomic():
        request = _certificate_request(actor, request_id)
        if not policies.can_issue(actor, request.holding_agency):
            raise PermissionDenied(_("只有存档机构的窗口经办或网办专员可以出具证明"))
        code = str((request.details or {}).get("certificate_type", ""))
        certificate_type = certificate_types(active_only=False).filter(code=code).first()
        if certificate_type is None or not certificate_type.is_active:
            raise ValidationFailed(_("申请的证明类型无效或已停用"), fields={"certificate_type": [code or "—"]})
        if not wf.may_issue(request.status, needs_approval=certificate_type.needs_approval):
            status = wf.STATUSES.get(request.status, request.status)
            message = (
                _("“%(t)s”须经审核后出具") % {"t": certificate_type.name}
                if certificate_type.needs_approval and request.status == wf.SUBMITTED
                else _("办件当前状态为“%(s)s”，不能出具证明") % {"s": status}
            )
            raise Conflict(message, code="invalid_transition")
        assert request.dossier_id is not None
        dossier_row = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("person", "holding_agency")
            .get(pk=request.dossier_id)
        )
        # R10, R34: only the agency holding the dossier today certifies from it; a dossier on its way to another
        # holder is certified by the receiver once received.
        if dossier_row.status not in IN_STOCK or dossier_row.holding_agency_id != request.holding_agency_id:
            raise Conflict(_("档案已不在本机构保管，不能出具证明"), code="not_in_stock")
        if dossier_row.status == DossierStatus.IN_TRANSFER:
            raise Conflict(
                _("档案正在转递中，不能出具证明；请待接收机构确认接收后向新的存档机构申请"), code="in_transfer"
            )
        rendered = texts.render(certificate_type.body, dossier_row)
        if rendered.missing:
            raise ValidationFailed(
                _("档案记载不全，不能出具“%(t)s”，缺少：%(m)s")
                % {"t": certificate_type.name, "m": "、".join(rendered.missing)},
                code="missing_data",
                fields={"missing": list(rendered.missing)},
            )
        today = timezone.localdate(now)
        details = request.details or {}
        certificate = Certificate.objects.create(
            serial=_serial(request.holding_agency, today.year), certificate_type=certificate_type,
            title=certificate_type.name, request=request, dossier=dossier_row,
            issuing_agency=request.holding_agency, addressee=str(details.get("addressee", ""))[:100],
            purpose=str(details.get("purpose", ""))[:100], text=rendered.text, person_name=dossier_row.person.name,
            issued_by=actor, issued_at=now, issued_on=today,
            valid_until=today + datetime.timedelta(days=certificate_type.valid_days)
            if certificate_type.valid_days else None,
            token=secrets.token_urlsafe(24),
        )  # fmt: skip
        request_step(actor=actor, request=request, to=wf.ISSUED, note=_("证明编号 %(s)s") % {"s": certificate.serial})
        record(
            actor=actor, action=events.CERTIFICATE_ISSUED, subject=certificate, dossier_id=dossier_row.pk,
            after={"serial": certificate.serial, "type": certificate_type.code, "request": request.number,
                   "placeholders": sorted(rendered.facts)},
        )  # fmt: skip
    return certificate


def certificate_revoke(*, actor: Any, certificate_id: int, reason: str) -> Certificate:
    """Revoke an issued certificate with a recorded reason; the verification page then says revoked."""
    if not reason.strip():
        raise ValidationFailed(_("请填写作废原因"), fields={"reason": [_("此项为必填项")]})
    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("issuing_agency")
            .filter(pk=certificate_id)
            .first()
        )
        if certificate is None or not can_read_agency(actor, certificate.issuing_agency):
            raise NotFound(_("证明不存在或无权查看"))
        if not policies.can_revoke(actor, certificate.issuing_agency):
            raise PermissionDenied(_("只有出具机构的审批负责人可以作废证明"))
        if not wf.may_revoke(certificate.status):
            raise Conflict(_("该证明已作废"), code="already_revoked")
        certificate.status = CertificateStatus.REVOKED
        certificate.revoked_at, certificate.revoked_by = timezone.now(), actor
        certificate.revoke_reason = reason.strip()[:200]
        certificate.save(update_fields=["status", "revoked_at", "revoked_by", "revoke_reason"])
        record(
            actor=actor, action=events.CERTIFICATE_REVOKED, subject=certificate, dossier_id=certificate.dossier_id,
            reason=certificate.revoke_reason, before={"status": "valid"}, after={"status": "revoked"},
        )  # fmt: skip
    return certificate


def certificate_type_save(
    *,
    actor: Any,
    code: str,
    name: str,
    body: str,
    needs_approval: bool,
    valid_days: int | None = None,
    is_active: bool = True,
    sort_order: int = 100,
) -> CertificateType:
    """Create or change a certificate type; its wording may use only placeholders the record can fill."""
    if not policies.can_manage_types(actor):
        raise PermissionDenied(_("只有系统管理员可以维护证明类型"))
    errors: dict[str, list[str]] = {}
    code = code.strip()
    if not CODE_PATTERN.match(code):
        errors["code"] = [_("代码须为小写字母开头的字母、数字或下划线（2–30位）")]
    if not name.strip():
        errors["name"] = [_("此项为必填项")]
    unknown = texts.unknown_placeholders(body)
    if not body.strip():
        errors["body"] = [_("此项为必填项")]
    elif unknown:
        errors["body"] = [_("以下占位符没有对应的档案记载项：%(u)s") % {"u": "、".join(unknown)}]
    elif not texts.placeholders_in(body):
        errors["body"] = [_("正文须至少引用一项档案记载（如 {name}）")]
    if valid_days is not None and not 1 <= valid_days <= 3650:
        errors["valid_days"] = [_("有效期应在1至3650天之间")]
    if errors:
        raise ValidationFailed(_("证明类型信息有误"), fields=errors)
    values = {
        "name": name.strip(), "body": body.strip(), "needs_approval": needs_approval, "valid_days": valid_days,
        "is_active": is_active, "sort_order": sort_order,
    }  # fmt: skip
    with transaction.atomic():
        certificate_types(active_only=False).exists()  # the defaults exist before one is changed
        existing = CertificateType.objects.select_for_update().filter(code=code).first()
        before = {k: getattr(existing, k) for k in values} if existing else None
        if existing is None:
            existing = CertificateType.objects.create(code=code, **values)
        else:
            for key, value in values.items():
                setattr(existing, key, value)
            existing.save(update_fields=list(values))
        record(actor=actor, action=events.CERTIFICATE_TYPE_SAVED, subject=existing, before=before, after=values)
    return existing
