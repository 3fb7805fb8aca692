"""Portal accounts and online applications: a person acts only for themself, an employer for its roster."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangan.agencies.models import Agency, LoginAttempt
from dangan.agencies.services import LoginThrottled, recent_failures
from dangan.agreements.models import AgreementStatus, RosterEntry, RosterStatus
from dangan.audit.services import record
from dangan.casework import registry
from dangan.casework.models import ServiceRequest
from dangan.casework.services import request_submit_online
from dangan.core import context
from dangan.core.errors import NotFound, PermissionDenied, ValidationFailed
from dangan.core.validators import validate_mobile
from dangan.portal.identity import verifier
from dangan.portal.models import AccountKind, PortalAccount, Upload
from dangan.reviews.services import party_transfer_apply_online
from dangan.transfers.services import hand_over_apply_online, transfer_apply_online

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Accepted uploads, recognised by their first bytes (the name and the browser's type are not trusted).
MAGIC = {
    b"%PDF-": ("application/pdf", ".pdf"),
    b"\xff\xd8\xff": ("image/jpeg", ".jpg"),
    b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
}


def _username(phone: str) -> str:
    return f"portal:{phone}"


def account_sign_up(
    *, kind: str, phone: str, password: str, name: str, id_number: str = "", credit_code: str = ""
) -> PortalAccount:
    errors: dict[str, list[str]] = {}
    try:
        phone = validate_mobile(phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages
    if kind not in AccountKind.values:
        errors["kind"] = [_("请选择个人或单位")]
    if not name.strip():
        errors["name"] = [_("此项为必填项")]
    if "phone" not in errors and PortalAccount.objects.filter(phone=phone).exists():
        errors["phone"] = [_("该手机号码已注册，请直接登录")]
    user_model = get_user_model()
    user = user_model(username=_username(phone))
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = exc.messages
    if errors:
        raise ValidationFailed(_("注册信息有误，请按提示修改"), fields=errors)
    check = verifier()
    verdict = (
        check.verify_person(name=name, id_number=id_number, phone=phone)
        if kind == AccountKind.PERSON
        else check.verify_employer(name=name, credit_code=credit_code, phone=phone)
    )
    if not verdict.ok:
        raise ValidationFailed(_("实名核验未通过"), fields={verdict.field or "name": [verdict.reason]})
    with transaction.atomic():
        user.set_password(password)
        user.save()
        account = PortalAccount.objects.create(
            user=user, kind=kind, phone=phone, name=name.strip(), id_number=id_number.strip().upper(),
            credit_code=credit_code.strip().upper(), verified_at=timezone.now(), verified_by=verdict.method,
        )  # fmt: skip
        record(actor=user, action="portal.signed_up", subject=account, actor_name=account.name, after={"kind": kind})
    return account


def account_sign_in(*, request: Any, phone: str, password: str) -> Any:
    ctx = context.current()
    username = _username(phone.strip())
    if recent_failures(username=username, ip=ctx.ip) >= settings.DANGAN_LOGIN_MAX_FAILURES:
        raise LoginThrottled(
            _("登录失败次数过多，请%(m)d分钟后再试") % {"m": settings.DANGAN_LOGIN_WINDOW_SECONDS // 60}
        )
    user: Any = authenticate(request, username=username, password=password)
    ok = user is not None and hasattr(user, "portal_account")
    with transaction.atomic():
        LoginAttempt.objects.create(username=username, ip=ctx.ip, at=timezone.now(), succeeded=ok, channel=ctx.channel)
        record(actor=user if ok else None, action="portal.login" if ok else "portal.login_failed",
               subject=("portal.account", phone[:20]), actor_name=phone[:20])  # fmt: skip
    if not ok:
        raise ValidationFailed(_("手机号码或密码不正确"), code="invalid_credentials")
    return user


def account_of(user: Any) -> PortalAccount:
    account = getattr(user, "portal_account", None) if user is not None and user.is_authenticated else None
    if not isinstance(account, PortalAccount):
        raise PermissionDenied(_("请先登录网上办事大厅"))
    return account


def store_upload(*, account: PortalAccount, checklist_key: str, name: str, content: bytes) -> Upload:
    """Check type (by content) and size, store under MEDIA_ROOT/uploads with a random name."""
    if len(content) == 0:
        raise ValidationFailed(_("上传的文件为空"), fields={checklist_key: [_("上传的文件为空")]})
    if len(content) > MAX_UPLOAD_BYTES:
        raise ValidationFailed(_("文件不能超过10MB"), fields={checklist_key: [_("文件不能超过10MB")]})
    kind = next((v for magic, v in MAGIC.items() if content.startswith(magic)), None)
    if kind is None:
        raise ValidationFailed(_("只能上传PDF、JPG或PNG文件"), fields={checklist_key: [_("只能上传PDF、JPG或PNG文件")]})
    content_type, extension = kind
    storage = FileSystemStorage(location=settings.MEDIA_ROOT / "uploads")
    stored = storage.save(f"{timezone.localdate():%Y/%m}/{secrets.token_hex(16)}{extension}", ContentFile(content))
    return Upload.objects.create(
        account=account, checklist_key=checklist_key[:30], original_name=name[:200], content_type=content_type,
        size=len(content), sha256=hashlib.sha256(content).hexdigest(), stored_as=stored, uploaded_at=timezone.now(),
    )  # fmt: skip


def portal_apply(
    *,
    user: Any,
    service_code: str,
    files: dict[str, tuple[str, bytes]],
    details: dict[str, Any] | None = None,
    employee_id_number: str = "",
) -> ServiceRequest:
    """Apply online. A person applies for their own dossier; an employer for an employee on its roster."""
    account = account_of(user)
    service_type = registry.get(service_code)
    if service_type is None:
        raise NotFound(_("服务事项不存在"))
    if account.kind == AccountKind.PERSON:
        person_id, applicant_kind = account.id_number, "person"
    else:
        person_id, applicant_kind = employee_id_number.strip().upper(), "employer"
        if not _on_roster(account, person_id):
            raise PermissionDenied(_("只能为本单位委托存档的职工申请"))
    uploads: list[Upload] = []
    try:
        with transaction.atomic():
            for key, (name, content) in files.items():
                uploads.append(store_upload(account=account, checklist_key=key, name=name, content=content))
            applicant: dict[str, Any] = {
                "applicant_kind": applicant_kind, "applicant_name": account.name,
                "applicant_id_number": account.id_number or account.credit_code, "applicant_phone": account.phone,
                "documents": [u.checklist_key for u in uploads], "person_id_number": person_id,
            }  # fmt: skip
            # These come with their record: the holder's dedicated steps act on it, as for the counter (R30).
            if service_code == "transfer_out":
                request = _transfer_out(user, applicant, details or {})
            elif service_code == "party_transfer":
                request = _party_transfer(user, applicant, details or {})
            elif service_code == "hand_over":
                request = _hand_over(user, applicant, details or {})
            else:
                request = request_submit_online(applicant=user, service_code=service_code, details=details, **applicant)
            Upload.objects.filter(pk__in=[u.pk for u in uploads]).update(request=request)
    except BaseException:
        # Nothing half-done: the rows rolled back with the transaction, the files stored so far go too.
        storage = FileSystemStorage(location=settings.MEDIA_ROOT / "uploads")
        for upload in uploads:
            storage.delete(upload.stored_as)
        raise
    return request


def _transfer_out(user: Any, applicant: dict[str, Any], details: dict[str, Any]) -> ServiceRequest:
    """Where the dossier goes (an agency on the platform, or one outside it) and why: asked on the form."""
    to_agency = None
    if code := str(details.get("to_agency") or "").strip():
        to_agency = Agency.objects.filter(code=code, is_active=True, holds_dossiers=True).first()
        if to_agency is None:
            raise ValidationFailed(_("接收机构无效"), fields={"to_agency": [_("请从列表中选择接收机构")]})
    transfer = transfer_apply_online(
        applicant=user, to_agency=to_agency, to_name=str(details.get("to_name") or "")[:100],
        to_address=str(details.get("to_address") or "")[:200], reason=str(details.get("reason") or "")[:200],
        **applicant,
    )  # fmt: skip
    return transfer.request


def _hand_over(user: Any, applicant: dict[str, Any], details: dict[str, Any]) -> ServiceRequest:
    """A retired person's own request: to the township or street center of the household registration (R18)."""
    to_agency = None
    if code := str(details.get("to_agency") or "").strip():
        to_agency = Agency.objects.filter(code=code, is_active=True).first()
    transfer = hand_over_apply_online(
        applicant=user, to_agency=to_agency,
        early_retirement_approval=str(details.get("early_retirement_approval") or "")[:100], **applicant,
    )  # fmt: skip
    return transfer.request


def _date_or_none(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


def _party_transfer(user: Any, applicant: dict[str, Any], details: dict[str, Any]) -> ServiceRequest:
    """The letter of introduction as the member holds it: its number, both organisations, its dates."""
    transfer = party_transfer_apply_online(
        applicant=user, direction=str(details.get("direction") or ""),
        letter_number=str(details.get("letter_number") or "")[:50],
        issuing_organisation=str(details.get("issuing_organisation") or "")[:100],
        receiving_organisation=str(details.get("receiving_organisation") or "")[:100],
        issued_on=_date_or_none(details.get("issued_on")), valid_until=_date_or_none(details.get("valid_until")),
        **applicant,
    )  # fmt: skip
    return transfer.request


def _on_roster(account: PortalAccount, id_number: str) -> bool:
    """An employer acts only for employees on the roster of its agreement in force (R5)."""
    return RosterEntry.objects.filter(
        agreement__credit_code=account.credit_code,
        agreement__status=AgreementStatus.IN_FORCE,
        dossier__person__id_number=id_number,
        status=RosterStatus.ACTIVE,
    ).exists()
