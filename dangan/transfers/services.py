"""Transfer out and in (R6, R7, R12, R16, R21, R26, R41), retirement and death hand-overs (R18, R19)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangan.agencies.models import Agency, Role
from dangan.agencies.policies import can_act_for_agency, staff_of
from dangan.agreements.services.personal import personal_agreement_end_on_transfer
from dangan.agreements.terms import add_years
from dangan.audit.services import record
from dangan.casework import registry
from dangan.casework.models import ApplicantKind, Channel, ServiceRequest
from dangan.casework.services import (
    dossier_locate,
    record_step,
    request_for_action,
    request_step,
    request_submit,
    request_submit_online,
)
from dangan.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from dangan.core.validators import validate_resident_id
from dangan.dossiers import delivery
from dangan.dossiers.models import Dossier, DossierStatus, EducationRecord
from dangan.dossiers.services import dossier_change_holder, dossier_transition, party_relation_follow
from dangan.lending.models import OPEN_STATES, Loan
from dangan.storage.services import dossier_unshelve_leaving
from dangan.transfers.models import RequesterKind, RequestLetter, Transfer, TransferKind, TransferSequence
from dangan.transfers.retirement import retirement_date

SELF_CARRY_MESSAGE = _("档案严禁个人自带（R12）：请选择机要交通、专人送取或给据邮件")
GRADUATE_CATEGORY = "3"
# R16 ("与单位解除劳动关系的大中专毕业生"): graduated from a college or university (专科 and above) or a secondary
# specialised school (中专), as the education record says (GB/T 4658 codes of a completed course).
GRADUATED_CODES = frozenset({"11", "14", "17", "21", "28", "31", "41"})


def is_graduate(person: Any) -> bool:
    """Whether the record shows the person as a 大中专毕业生 (R16): such a course completed, or the category of
    graduates still without work."""
    if person.person_category == GRADUATE_CATEGORY:
        return True
    return bool(EducationRecord.objects.filter(person=person, education__in=GRADUATED_CODES).exists())


def _serial(agency: Agency, kind: str, prefix: str) -> str:
    year = timezone.localdate().year
    sequence, _created = TransferSequence.objects.select_for_update().get_or_create(agency=agency, kind=kind, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{prefix}{agency.code[:6]}{year}{sequence.last:05d}"


def _check_delivery(way: str, field: str = "delivery") -> None:
    if way == delivery.SELF_CARRY:
        raise ValidationFailed(SELF_CARRY_MESSAGE, code="self_carry", fields={field: [SELF_CARRY_MESSAGE]})
    if way not in delivery.allowed_ways():
        raise ValidationFailed(_("转递方式无效"), fields={field: [_("请选择允许的转递方式")]})


def letter_issue(
    *,
    actor: Any,
    person_name: str,
    person_id_number: str,
    reason: str,
    holder_agency: Agency | None = None,
    holder_name: str = "",
) -> RequestLetter:
    """The receiving agency issues a request letter (调档函) to the current holder."""
    staff = staff_of(actor)
    if staff is None or not can_act_for_agency(actor, staff.agency, Role.COUNTER_CLERK, Role.ONLINE_OFFICER):
        raise PermissionDenied(_("只有窗口经办或网办专员可以开具调档函"))
    errors: dict[str, list[str]] = {}
    try:
        person_id_number = validate_resident_id(person_id_number)
    except Exception as exc:  # noqa: BLE001  (Django ValidationError: message to the field)
        errors["person_id_number"] = list(getattr(exc, "messages", [str(exc)]))
    if not person_name.strip():
        errors["person_name"] = [_("此项为必填项")]
    if holder_agency is None and not holder_name.strip():
        errors["holder_name"] = [_("请选择档案现存机构或填写平台外单位名称")]
    if holder_agency is not None and holder_agency.pk == staff.agency_id:
        errors["holder_agency"] = [_("档案已在本机构，无需开具调档函")]
    if not reason.strip():
        errors["reason"] = [_("此项为必填项")]
    if errors:
        raise ValidationFailed(_("调档函信息有误"), fields=errors)
    with transaction.atomic():
        letter = RequestLetter.objects.create(
            number=_serial(staff.agency, "letter", "DH"), issuing_agency=staff.agency, person_name=person_name.strip(),
            person_id_number=person_id_number, holder_agency=holder_agency, holder_name=holder_name.strip(),
            reason=reason.strip(), issued_by=actor, issued_at=timezone.now(),
        )  # fmt: skip
        record(actor=actor, action="transfer.letter_issued", subject=letter, after={"number": letter.number})
    return letter


def transfer_apply(
    *,
    actor: Any,
    person_id_number: str,
    requester_kind: str,
    applicant_name: str,
    applicant_id_number: str = "",
    applicant_phone: str = "",
    to_agency: Agency | None = None,
    to_name: str = "",
    to_address: str = "",
    reason: str,
    letter_number: str = "",
    documents: list[str],
    channel: str = Channel.COUNTER,
    graduate_labour_ended: bool = False,
) -> Transfer:
    """Apply for transfer out: only the person (a proxy with written authorisation) or the employer (R6)."""
    _check_application(requester_kind, documents, graduate_labour_ended, to_agency, to_name, reason)
    kind = ApplicantKind.EMPLOYER if requester_kind == RequesterKind.EMPLOYER else ApplicantKind.PERSON
    with transaction.atomic():
        request = request_submit(
            actor=actor, service_code="transfer_out", channel=channel, applicant_kind=kind,
            applicant_name=applicant_name, applicant_id_number=applicant_id_number, applicant_phone=applicant_phone,
            documents=documents, person_id_number=person_id_number,
            details={"requester_kind": requester_kind, "reason": reason, "graduate": graduate_labour_ended},
        )  # fmt: skip
        return _open_transfer(
            actor, request, requester_kind=requester_kind, to_agency=to_agency, to_name=to_name,
            to_address=to_address, reason=reason, letter_number=letter_number,
            graduate_labour_ended=graduate_labour_ended,
        )  # fmt: skip


def transfer_apply_online(
    *,
    applicant: Any,
    applicant_kind: str,
    applicant_name: str,
    applicant_id_number: str,
    applicant_phone: str,
    person_id_number: str,
    to_agency: Agency | None,
    to_name: str,
    to_address: str,
    reason: str,
    documents: list[str],
) -> Transfer:
    """The person, or the employer for an employee on its roster, applies on the portal (R30, R31): the
    application and the transfer record the holder's approval, dispatch and receipt act on, in one step.
    The portal checks who may apply for whom before calling this."""
    requester_kind = RequesterKind.EMPLOYER if applicant_kind == ApplicantKind.EMPLOYER else RequesterKind.PERSON
    service_type = registry.get("transfer_out")
    assert service_type is not None
    missing = [i.label for i in service_type.checklist_for(applicant_kind) if i.required and i.key not in documents]
    # All the form's problems at once: the missing documents beside the destination and the reason (R30).
    extra = {"documents": [_("缺少以下材料：%(m)s") % {"m": "、".join(missing)}]} if missing else {}
    _check_application(requester_kind, documents, False, to_agency, to_name, reason, extra=extra)
    with transaction.atomic():
        request = request_submit_online(
            applicant=applicant, service_code="transfer_out", applicant_kind=applicant_kind,
            applicant_name=applicant_name, applicant_id_number=applicant_id_number, applicant_phone=applicant_phone,
            documents=documents, person_id_number=person_id_number,
            details={"requester_kind": requester_kind, "reason": reason, "graduate": False},
        )  # fmt: skip
        return _open_transfer(
            applicant, request, requester_kind=requester_kind, to_agency=to_agency, to_name=to_name,
            to_address=to_address, reason=reason, letter_number="", graduate_labour_ended=False,
        )  # fmt: skip


def _check_application(  # noqa: PLR0917  (the application's fields, checked together)
    requester_kind: str,
    documents: list[str],
    graduate_labour_ended: bool,
    to_agency: Agency | None,
    to_name: str,
    reason: str,
    *,
    extra: dict[str, list[str]] | None = None,
) -> None:
    if requester_kind not in (RequesterKind.PERSON, RequesterKind.PROXY, RequesterKind.EMPLOYER):
        raise ValidationFailed(
            _("档案只能根据本人或用人单位的申请转出，不得以任何理由清退（R6）"),
            fields={"requester_kind": [_("申请人只能是本人、受托人或用人单位")]},
        )
    errors: dict[str, list[str]] = dict(extra or {})
    if requester_kind == RequesterKind.PROXY and "authorisation" not in documents:
        errors["documents"] = [_("委托他人代办须提交本人手写委托书")]
    if graduate_labour_ended and not {"termination_proof", "acceptance_proof"} <= set(documents):
        errors["documents"] = [_("毕业生解除劳动关系后转档，须提交解除（终止）劳动关系证明和新单位接收证明（R16）")]
    if to_agency is None and not to_name.strip():
        errors["to_name"] = [_("请选择接收机构或填写平台外接收单位")]
    if not reason.strip():
        errors["reason"] = [_("此项为必填项")]
    if errors:
        raise ValidationFailed(_("转档申请信息有误"), fields=errors)


def _open_transfer(
    actor: Any,
    request: ServiceRequest,
    *,
    requester_kind: str,
    to_agency: Agency | None,
    to_name: str,
    to_address: str,
    reason: str,
    letter_number: str,
    graduate_labour_ended: bool,
) -> Transfer:
    """The transfer record of an accepted application, inside the caller's transaction."""
    dossier = _lock_for_leaving(request, _("转出"))
    if to_agency is not None and to_agency.pk == dossier.holding_agency_id:
        raise ValidationFailed(_("接收机构不能是档案现存机构"), fields={"to_agency": [_("接收机构无效")]})
    if graduate_labour_ended and not is_graduate(dossier.person):
        raise ValidationFailed(
            _("R16 仅适用于与单位解除劳动关系的大中专毕业生"),
            fields={"graduate_labour_ended": [_("档案中没有大中专毕业的学历记录")]},
        )
    transfer = Transfer.objects.create(
        request=request, dossier=dossier, kind=TransferKind.ORDINARY,
        serial=_serial(dossier.holding_agency, "transfer", "ZD"), from_agency=dossier.holding_agency,
        to_agency=to_agency, to_name=to_name.strip(), to_address=to_address.strip(), reason=reason.strip(),
        requester_kind=requester_kind, letter_number=letter_number.strip(), volumes=dossier.volumes,
    )  # fmt: skip
    record(
        actor=actor, action="transfer.applied", subject=transfer, dossier_id=dossier.pk,
        after={"serial": transfer.serial, "to": transfer.destination, "requester": requester_kind},
    )  # fmt: skip
    return transfer


def _transfer_for_action(actor: Any, transfer_id: int) -> Transfer:
    transfer = Transfer.objects.select_related("request", "dossier__person").filter(pk=transfer_id).first()
    if transfer is None:
        raise NotFound(_("转递记录不存在或无权查看"))
    request_for_action(actor, transfer.request_id)  # locks the request, checks the holder's scope
    return Transfer.objects.select_for_update().select_related("request", "dossier__person").get(pk=transfer_id)


def transfer_approve(*, actor: Any, transfer_id: int, note: str = "") -> Transfer:
    with transaction.atomic():
        transfer = _transfer_for_action(actor, transfer_id)
        request_step(actor=actor, request=transfer.request, to="approved", note=note)
    return transfer


def transfer_dispatch(
    *, actor: Any, transfer_id: int, way: str, tracking_no: str, dispatched_on: datetime.date, items: int
) -> Transfer:
    """Seal and send: the dossier goes in transfer; the tracking number and date are then fixed (R12, R41)."""
    _check_delivery(way)
    errors: dict[str, list[str]] = {}
    if not tracking_no.strip():
        errors["tracking_no"] = [_("请填写运单号或机要编号")]
    if dispatched_on > timezone.localdate():
        errors["dispatched_on"] = [_("发出日期不能晚于今天")]
    if items < 1:
        errors["items"] = [_("请填写档案材料份数")]
    if errors:
        raise ValidationFailed(_("发出信息有误"), fields=errors)
    with transaction.atomic():
        transfer = _transfer_for_action(actor, transfer_id)
        if transfer.tracking_no:
            raise Conflict(_("运单号和发出日期已登记，不能修改"), code="tracking_fixed")
        request_step(actor=actor, request=transfer.request, to="dispatched", note=f"{way} {tracking_no}")
        dossier = Dossier.objects.select_for_update().get(pk=transfer.dossier_id)
        process = {"ordinary": "transfer", "retirement": "retirement", "death": "death"}[transfer.kind]
        dossier_transition(actor=actor, dossier=dossier, to=DossierStatus.IN_TRANSFER, process=process)
        # R26: the personal agreement ends when the dossier is transferred out (it leaves the agency today).
        personal_agreement_end_on_transfer(actor=actor, dossier=dossier, on=dispatched_on)
        transfer.delivery, transfer.tracking_no = way, tracking_no.strip()
        transfer.dispatched_on, transfer.dispatched_by, transfer.items = dispatched_on, actor, items
        transfer.save(update_fields=["delivery", "tracking_no", "dispatched_on", "dispatched_by", "items"])
        record(
            actor=actor, action="transfer.dispatched", subject=transfer, dossier_id=dossier.pk,
            after={"way": way, "tracking_no": transfer.tracking_no, "dispatched_on": dispatched_on, "items": items},
        )  # fmt: skip
    return transfer


def transfer_receive(
    *, actor: Any, transfer_id: int, arrived_by: str, seal_intact: bool, catalogue_matches: bool, note: str = ""
) -> Transfer:
    """The receiving agency on the platform checks the seal and the catalogue; the holder changes at once (R1, R7)."""
    if arrived_by == delivery.SELF_CARRY:
        raise ValidationFailed(
            _("本人携带的档案不予接收（R12），请退回原存档机构按规定方式转递"), code="self_carry",
            fields={"arrived_by": [_("个人自带的档案不予接收")]},
        )  # fmt: skip
    if arrived_by not in delivery.LABELS:
        raise ValidationFailed(_("送达方式无效"), fields={"arrived_by": [_("请选择档案的送达方式")]})
    with transaction.atomic():
        transfer = (
            Transfer.objects.select_for_update()
            .select_related("request", "dossier__person")
            .filter(pk=transfer_id)
            .first()
        )
        staff = staff_of(actor)
        if transfer is None or staff is None or transfer.to_agency_id != staff.agency_id:
            raise NotFound(_("转递记录不存在或无权查看"))
        if not staff.role_set & {Role.ARCHIVE_KEEPER, Role.COUNTER_CLERK}:
            raise PermissionDenied(_("只有库房管理员或窗口经办可以确认接收"))
        request = ServiceRequest.objects.select_for_update().get(pk=transfer.request_id)
        if request.status != "dispatched":
            raise Conflict(_("档案尚未发出，不能确认接收"), code="not_dispatched")
        dossier = Dossier.objects.select_for_update().select_related("holding_agency").get(pk=transfer.dossier_id)
        _leave(actor, dossier, timezone.localdate(), staff.agency.name)
        dossier_transition(actor=actor, dossier=dossier, to=DossierStatus.IN_CUSTODY, process="transfer_arrival")
        # R41: the old place is freed once the dossier is received elsewhere; while on its way it stays reserved, so
        # a cancelled transfer goes back where it was. The receiver shelves it in its own storeroom.
        dossier_unshelve_leaving(actor=actor, dossier=dossier, reason=_("转递接收（%(s)s）") % {"s": transfer.serial})
        dossier_change_holder(actor=actor, dossier=dossier, new_holder=staff.agency, process="transfer")
        # The receiver is not the holder of the request: record the step directly, in the same transaction.
        _finish_request(actor, request, note or _("接收机构确认接收"))
        transfer.received_at, transfer.received_by = timezone.now(), actor
        transfer.seal_intact, transfer.catalogue_matches, transfer.receipt_note = (
            seal_intact,
            catalogue_matches,
            note[:200],
        )
        transfer.slip_returned_on, transfer.slip_signed_by = timezone.localdate(), staff.agency.name
        transfer.save(update_fields=["received_at", "received_by", "seal_intact", "catalogue_matches", "receipt_note",
                                     "slip_returned_on", "slip_signed_by"])  # fmt: skip
        record(
            actor=actor, action="transfer.received", subject=transfer, dossier_id=dossier.pk,
            after={"seal_intact": seal_intact, "catalogue_matches": catalogue_matches, "new_holder": staff.agency.code},
        )  # fmt: skip
    return transfer


def _finish_request(actor: Any, request: ServiceRequest, note: str) -> None:
    record_step(actor=actor, request=request, to="received", label=_("确认接收"), note=note)
    request.status = "received"
    request.completed_at = timezone.now()
    request.save(update_fields=["status", "completed_at"])


def _leave(actor: Any, dossier: Dossier, on: datetime.date, destination: str) -> None:
    """What follows a dossier out at arrival: the Party relation moves with it (the agreement ended at dispatch)."""
    party_relation_follow(actor=actor, dossier=dossier, destination=destination)


def transfer_register_slip(*, actor: Any, transfer_id: int, returned_on: datetime.date, signed_by: str) -> Transfer:
    """A receiver outside the platform returned the slip: registered by hand; the dossier has left (R41)."""
    if not signed_by.strip():
        raise ValidationFailed(_("请填写回执签收单位"), fields={"signed_by": [_("此项为必填项")]})
    with transaction.atomic():
        transfer = _transfer_for_action(actor, transfer_id)
        if transfer.to_agency_id is not None:
            raise Conflict(_("接收机构在平台上，由接收机构确认接收"), code="on_platform")
        if transfer.dispatched_on is None or returned_on < transfer.dispatched_on:
            raise ValidationFailed(_("回执日期不能早于发出日期"), fields={"returned_on": [_("日期无效")]})
        dossier = Dossier.objects.select_for_update().get(pk=transfer.dossier_id)
        target, process = {
            "ordinary": (DossierStatus.TRANSFERRED_OUT, "transfer_slip"),
            "retirement": (DossierStatus.RETIRED, "retirement_slip"),
            "death": (DossierStatus.DECEASED, "death_slip"),
        }[transfer.kind]
        _leave(actor, dossier, returned_on, transfer.destination)
        dossier_transition(actor=actor, dossier=dossier, to=target, process=process)
        # R41: the receiver outside the platform signed for it: the dossier has left for good, its place is free.
        dossier_unshelve_leaving(actor=actor, dossier=dossier, reason=_("回执已返回（%(s)s）") % {"s": transfer.serial})
        request_step(actor=actor, request=transfer.request, to="received", note=signed_by)
        transfer.slip_returned_on, transfer.slip_signed_by = returned_on, signed_by.strip()[:100]
        transfer.save(update_fields=["slip_returned_on", "slip_signed_by"])
        record(actor=actor, action="transfer.slip_registered", subject=transfer, dossier_id=dossier.pk,
               after={"returned_on": returned_on, "signed_by": transfer.slip_signed_by})  # fmt: skip
    return transfer


def slips_to_chase(*, agency: Agency, today: datetime.date) -> list[Transfer]:
    """Dispatched transfers whose slip is not back within the set time (a month by default)."""
    limit = today - datetime.timedelta(days=settings.DANGAN_SLIP_CHASE_DAYS)
    return list(
        Transfer.objects.filter(
            from_agency=agency, dispatched_on__lte=limit, slip_returned_on__isnull=True, received_at__isnull=True
        ).select_related("dossier__person")
    )


def hand_over_apply(
    *,
    actor: Any,
    person_id_number: str,
    kind: str,
    to_agency: Agency | None,
    to_name: str,
    basis: str,
    today: datetime.date,
    early_retirement_approval: str = "",
) -> Transfer:
    """Retirement (R18) or death (R19) hand-over by the holding agency, through the same transfer machinery."""
    dossier = dossier_locate(person_id_number)
    if dossier is None:
        raise NotFound(_("未找到该人员在本省保管的档案"))
    early_retirement_approval = early_retirement_approval.strip()
    _check_hand_over(dossier, kind, to_agency, today, early_retirement_approval)
    with transaction.atomic():
        request = request_submit(
            actor=actor, service_code="hand_over", channel=Channel.COUNTER, applicant_kind=ApplicantKind.ORGANISATION,
            applicant_name=dossier.holding_agency.name, documents=["basis"], person_id_number=person_id_number,
            details={"kind": kind, "basis": basis, "early_retirement_approval": early_retirement_approval[:100]},
        )  # fmt: skip
        return _open_hand_over(
            actor, request, kind=kind, to_agency=to_agency, to_name=to_name, basis=basis,
            early_retirement_approval=early_retirement_approval, requester_kind=RequesterKind.AGENCY,
        )  # fmt: skip


def hand_over_apply_online(
    *,
    applicant: Any,
    applicant_kind: str,
    applicant_name: str,
    applicant_id_number: str,
    applicant_phone: str,
    person_id_number: str,
    documents: list[str],
    to_agency: Agency | None,
    early_retirement_approval: str = "",
    today: datetime.date | None = None,
) -> Transfer:
    """A retired person asks on the portal for the dossier to go to the township or street center (R18, R30),
    the retirement approval uploaded as the basis. A death hand-over is the agency's, at the counter, on the
    family's papers."""
    today = today or timezone.localdate()
    dossier = dossier_locate(person_id_number)
    if dossier is None:
        raise NotFound(_("未找到该人员在本省保管的档案"))
    early_retirement_approval = early_retirement_approval.strip()
    basis = _("本人网上申请，退休审批材料见上传附件")
    _check_hand_over(dossier, TransferKind.RETIREMENT, to_agency, today, early_retirement_approval)
    details = {
        "kind": TransferKind.RETIREMENT,
        "basis": basis,
        "early_retirement_approval": early_retirement_approval[:100],
    }
    with transaction.atomic():
        request = request_submit_online(
            applicant=applicant, service_code="hand_over", applicant_kind=applicant_kind,
            applicant_name=applicant_name, applicant_id_number=applicant_id_number, applicant_phone=applicant_phone,
            documents=documents, person_id_number=person_id_number, details=details,
        )  # fmt: skip
        return _open_hand_over(
            applicant, request, kind=TransferKind.RETIREMENT, to_agency=to_agency, to_name="", basis=basis,
            early_retirement_approval=early_retirement_approval, requester_kind=RequesterKind.PERSON,
        )  # fmt: skip


def _check_hand_over(
    dossier: Dossier, kind: str, to_agency: Agency | None, today: datetime.date, early_retirement_approval: str
) -> None:
    """Neither hand-over may serve to clear a dossier out (R6): a retirement needs the statutory retirement age
    reached or an approval of early retirement named, a death the recorded death and the keeping period over;
    and the dossier must be here (not on loan, not on its way)."""
    person = dossier.person
    if kind == TransferKind.RETIREMENT:
        # R18: to the township or street service center of the person's household registration.
        if to_agency is None or to_agency.level != "township" or to_agency.region_code != person.household_region:
            raise ValidationFailed(
                _("退休人员档案应移交户籍所在地乡镇（街道）人社服务机构（R18）"),
                fields={"to_agency": [_("接收机构不是户籍所在地的乡镇（街道）服务机构")]},
            )
        # R6: before the statutory age only a named approval of early retirement (special work, illness).
        due = retirement_date(person.birth_date, person.sex, person.retirement_track) if person.birth_date else None
        if (due is None or today < due) and not early_retirement_approval:
            message = _(
                "该人员尚未达到法定退休年龄（%(d)s），不得以退休名义移交档案；经批准提前退休的，请填写批准文件（R6、R18）"
            ) % {"d": due.isoformat() if due else _("出生日期未登记")}
            raise ValidationFailed(message, fields={"early_retirement_approval": [message]}, code="not_retired")
    elif kind == TransferKind.DEATH:
        if person.died_on is None:
            raise ValidationFailed(_("请先登记死亡日期"), fields={"kind": [_("未登记死亡日期")]})
        keep_until = add_years(person.died_on, settings.DANGAN_DECEASED_KEEP_YEARS)  # 29 February: 1 March
        if today < keep_until:
            raise ValidationFailed(
                _("死亡人员档案须保管满%(y)d年（至%(d)s）后方可移交（R19）")
                % {"y": settings.DANGAN_DECEASED_KEEP_YEARS, "d": keep_until.isoformat()},
                code="keep_period",
            )
    else:
        raise ValidationFailed(_("移交类型无效"), fields={"kind": [_("移交类型无效")]})
    if dossier.status != DossierStatus.IN_CUSTODY:
        raise Conflict(
            _("档案当前状态为“%(s)s”，暂不能办理移交") % {"s": dossier.get_status_display()}, code="not_in_custody"
        )
    if Loan.objects.filter(dossier=dossier, state__in=OPEN_STATES).exists():
        raise Conflict(_("该档案已批准借出，待归还后方可办理移交"), code="loan_open")


def _lock_for_leaving(request: ServiceRequest, what: str) -> Dossier:
    """The application's dossier, locked, in custody (R14: not on loan, not on its way), with no other transfer
    or hand-over under way: a second application for the same dossier is refused, not queued."""
    assert request.dossier_id is not None
    dossier = Dossier.objects.select_for_update(of=("self",)).select_related("person").get(pk=request.dossier_id)
    if dossier.status != DossierStatus.IN_CUSTODY:
        raise Conflict(
            _("档案当前状态为“%(s)s”，暂不能办理%(w)s") % {"s": dossier.get_status_display(), "w": what},
            code="not_in_custody",
        )
    if Loan.objects.filter(dossier=dossier, state__in=OPEN_STATES).exists():
        raise Conflict(_("该档案已批准借出，待归还后方可办理%(w)s") % {"w": what}, code="loan_open")
    under_way = Transfer.objects.filter(dossier=dossier, request__completed_at__isnull=True).first()
    if under_way is not None:
        raise Conflict(
            _("该档案已有正在办理的转递或移交（%(n)s），办结或撤回后方可再次申请") % {"n": under_way.serial},
            code="transfer_open",
        )
    return dossier


def _open_hand_over(
    actor: Any,
    request: ServiceRequest,
    *,
    kind: str,
    to_agency: Agency | None,
    to_name: str,
    basis: str,
    early_retirement_approval: str,
    requester_kind: str,
) -> Transfer:
    dossier = _lock_for_leaving(request, _("移交"))
    transfer = Transfer.objects.create(
        request=request, dossier=dossier, kind=kind, serial=_serial(dossier.holding_agency, "transfer", "ZD"),
        from_agency=dossier.holding_agency, to_agency=None, to_name=to_agency.name if to_agency else to_name,
        reason=basis, requester_kind=requester_kind, volumes=dossier.volumes,
    )  # fmt: skip
    after = {"kind": kind, "to": transfer.destination}
    if kind == TransferKind.RETIREMENT and early_retirement_approval:
        after["early_retirement_approval"] = early_retirement_approval[:100]
    record(actor=actor, action="transfer.hand_over_applied", subject=transfer, dossier_id=dossier.pk, after=after)
    return transfer
