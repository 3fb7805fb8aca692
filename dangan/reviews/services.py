"""Political review (政审/考察) and Party-membership transfer (党员组织关系接转): the only code here that writes.

Every service: one transaction; lock the request (and the rows it changes); check the policy; check the step;
write; audit in the same transaction. A refused action raises before anything is written, or inside the
transaction so that everything rolls back.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangan.agencies.models import Agency
from dangan.audit.services import record
from dangan.casework import registry
from dangan.casework.models import ApplicantKind, Channel, ServiceRequest
from dangan.casework.services import (
    record_step,
    request_for_action,
    request_step,
    request_submit,
    request_submit_online,
)
from dangan.core.codetables import table
from dangan.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from dangan.dossiers.models import Dossier, PartyMembership
from dangan.dossiers.policies import read_refusal
from dangan.dossiers.workflow import IN_STOCK
from dangan.reviews import events, extract, papers, policies, purposes
from dangan.reviews import workflow as wf
from dangan.reviews.models import Direction, PartyTransfer, PoliticalReview, ReviewSequence
from dangan.reviews.selectors import PARTY_NOT_FOUND, REVIEW_NOT_FOUND, review_for_reader

REVIEW_SERVICE = "political_review"
PARTY_SERVICE = "party_transfer"
REQUIRED = "此项为必填项"
CONCLUSION_MAX = 2000


def _required(errors: dict[str, list[str]], **values: str) -> None:
    for name, value in values.items():
        if not value.strip():
            errors[name] = [_(REQUIRED)]


def _take(actor: Any, request: ServiceRequest, to: str, label: str, note: str = "") -> None:
    """A dedicated step (not in the casework table): recorded and audited exactly as casework records its own."""
    service_type = registry.get(request.service_type)
    assert service_type is not None
    before = request.status
    record_step(actor=actor, request=request, to=to, label=label, note=note)
    request.status = to
    fields = ["status"]
    if to in service_type.final:
        request.completed_at = timezone.now()
        fields.append("completed_at")
    request.save(update_fields=fields)
    record(
        actor=actor, action="request.step", subject=request, dossier_id=request.dossier_id, reason=note[:500],
        before={"status": before}, after={"status": to, "step": label},
    )  # fmt: skip


def _status_conflict(request: ServiceRequest, doing: str) -> Conflict:
    status = registry.status_label(request.service_type, request.status)
    return Conflict(_("办件当前状态为“%(s)s”，不能%(d)s") % {"s": status, "d": doing}, code="invalid_transition")


# --- Political review ----------------------------------------------------------------------------


def _serial(agency: Agency, year: int) -> str:
    sequence, _created = ReviewSequence.objects.select_for_update().get_or_create(agency=agency, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"ZS{agency.code[:6]}{year}{sequence.last:05d}"


def political_review_apply(
    *,
    actor: Any,
    person_id_number: str,
    purpose: str,
    organisation: str,
    reviewer_name: str,
    reviewer_id_number: str,
    documents: list[str],
    applicant_kind: str = ApplicantKind.ORGANISATION,
    organisation_code: str = "",
    applicant_phone: str = "",
    letter_number: str = "",
    channel: str = Channel.COUNTER,
) -> PoliticalReview:
    """Accept an organisation's request for a political review of a person whose dossier this agency holds."""
    if applicant_kind != ApplicantKind.ORGANISATION:
        message = _("政审（考察）只为单位（组织）办理，个人不能申请；个人可申请出具证明（R10、R13）")
        raise ValidationFailed(message, code="organisation_only", fields={"applicant_kind": [message]})
    errors: dict[str, list[str]] = {}
    if not purposes.is_known(purpose):
        errors["purpose"] = [_("请选择政审（考察）事由")]
    _required(errors, organisation=organisation, reviewer_name=reviewer_name, reviewer_id_number=reviewer_id_number)
    if errors:
        raise ValidationFailed(_("政审（考察）申请信息有误"), fields=errors)
    with transaction.atomic():
        request = request_submit(
            actor=actor, service_code=REVIEW_SERVICE, channel=channel, applicant_kind=applicant_kind,
            applicant_name=organisation, applicant_id_number=organisation_code, applicant_phone=applicant_phone,
            documents=documents, person_id_number=person_id_number,
            details={"purpose": purpose, "reviewer": reviewer_name.strip()},
        )  # fmt: skip
        assert request.dossier is not None
        review = PoliticalReview.objects.create(
            request=request, dossier=request.dossier, agency=request.holding_agency,
            serial=_serial(request.holding_agency, timezone.localdate().year), purpose=purpose,
            organisation=organisation.strip()[:100], letter_number=letter_number.strip()[:50],
            reviewer_name=reviewer_name.strip()[:50], reviewer_id_number=reviewer_id_number.strip().upper()[:32],
        )  # fmt: skip
        record(
            actor=actor, action=events.REVIEW_APPLIED, subject=review, dossier_id=review.dossier_id,
            after={"serial": review.serial, "request": request.number, "purpose": purpose,
                   "organisation": review.organisation},
        )  # fmt: skip
    return review


def _review_for_action(actor: Any, review_id: int) -> PoliticalReview:
    request_id = PoliticalReview.objects.filter(pk=review_id).values_list("request_id", flat=True).first()
    if request_id is None:
        raise NotFound(_(REVIEW_NOT_FOUND))
    request = request_for_action(actor, request_id)  # locks the request; out of scope is 404
    review = (
        PoliticalReview.objects.select_for_update(of=("self",))
        .select_related("dossier__person", "agency")
        .get(pk=review_id)
    )
    review.request = request
    return review


def _readable_dossier(actor: Any, review: PoliticalReview) -> Dossier:
    dossier = review.dossier
    if dossier.status not in IN_STOCK or dossier.holding_agency_id != review.agency_id:
        raise Conflict(_("档案已不在本机构保管，不能依据档案出具政审（考察）摘录"), code="not_in_stock")
    refusal = read_refusal(actor, dossier)  # e.g. recusal from a relative's dossier (R13)
    if refusal:
        raise PermissionDenied(refusal, code="recusal")
    return dossier


def political_review_draft(*, actor: Any, review_id: int, conclusion: str) -> PoliticalReview:
    """Generate the extract from the record (never typed in) with the officer's conclusion; the read is audited."""
    conclusion = conclusion.strip()
    if not conclusion:
        raise ValidationFailed(_("请填写审查意见"), fields={"conclusion": [_(REQUIRED)]})
    if len(conclusion) > CONCLUSION_MAX:
        message = _("审查意见不能超过%(n)d字") % {"n": CONCLUSION_MAX}
        raise ValidationFailed(message, fields={"conclusion": [message]})
    with transaction.atomic():
        review = _review_for_action(actor, review_id)
        if not policies.can_draft(actor, review.agency):
            raise PermissionDenied(_("只有存档机构的窗口经办、网办专员或库房管理员可以生成摘录"))
        request = review.request
        if not wf.review_may(request.status, wf.DRAFTED):
            raise _status_conflict(request, _("生成摘录"))
        dossier = _readable_dossier(actor, review)
        built = extract.build(dossier)
        record(
            actor=actor, action=events.REVIEW_RECORD_READ, subject=dossier, dossier_id=dossier.pk,
            reason=_("生成政审（考察）摘录 %(s)s") % {"s": review.serial},
            after={"review": review.serial, "sections": [s["title"] for s in built["sections"]]},
        )  # fmt: skip
        before = {"digest": review.extract_digest, "conclusion": review.conclusion}
        review.extract, review.extract_digest = built, extract.digest(built)
        review.conclusion, review.drafted_by, review.drafted_at = conclusion, actor, timezone.now()
        review.save(update_fields=["extract", "extract_digest", "conclusion", "drafted_by", "drafted_at"])
        _take(actor, request, wf.DRAFTED, wf.REVIEW_DEDICATED[request.status][wf.DRAFTED])
        record(
            actor=actor, action=events.REVIEW_DRAFTED, subject=review, dossier_id=dossier.pk, before=before,
            after={"digest": review.extract_digest, "conclusion": conclusion},
        )  # fmt: skip
    return review


def political_review_approve(*, actor: Any, review_id: int, note: str = "") -> PoliticalReview:
    """An approver other than the drafter approves; the record must still say what the extract says."""
    with transaction.atomic():
        review = _review_for_action(actor, review_id)
        if not policies.can_approve(actor, review.agency):
            raise PermissionDenied(_("只有存档机构的审批负责人可以审核政审（考察）摘录"))
        request = review.request
        if not wf.review_may(request.status, wf.APPROVED):
            raise _status_conflict(request, _("审核"))
        if not policies.separated(review.drafted_by_id, actor.pk):
            raise PermissionDenied(
                _("摘录须由生成人以外的审批负责人审核（岗位分离），您生成了这份摘录，不能审核"),
                code="separation_of_duties",
            )
        dossier = _readable_dossier(actor, review)
        if extract.digest(extract.build(dossier)) != review.extract_digest:
            raise Conflict(_("生成摘录后档案记载已有变化，请退回经办人重新生成后再审核"), code="record_changed")
        review.approved_by, review.approved_at = actor, timezone.now()
        review.save(update_fields=["approved_by", "approved_at"])
        _take(actor, request, wf.APPROVED, wf.REVIEW_DEDICATED[request.status][wf.APPROVED], note)
        record(
            actor=actor, action=events.REVIEW_APPROVED, subject=review, dossier_id=review.dossier_id,
            reason=note[:500], after={"serial": review.serial, "digest": review.extract_digest},
        )  # fmt: skip
    return review


def political_review_release(*, actor: Any, review_id: int, released_to: str = "") -> PoliticalReview:
    """Hand the approved extract to the requesting organisation; the request is then complete."""
    with transaction.atomic():
        review = _review_for_action(actor, review_id)
        if not policies.can_release(actor, review.agency):
            raise PermissionDenied(_("只有存档机构的窗口经办或网办专员可以出具摘录"))
        request = review.request
        if not wf.review_may(request.status, wf.RELEASED):
            if request.status in (wf.SUBMITTED, wf.DRAFTED):
                raise Conflict(_("摘录须经审批负责人审核后方可出具"), code="not_approved")
            raise _status_conflict(request, _("出具"))
        review.released_by, review.released_at = actor, timezone.now()
        review.released_to = released_to.strip()[:50] or review.reviewer_name
        review.save(update_fields=["released_by", "released_at", "released_to"])
        _take(actor, request, wf.RELEASED, wf.REVIEW_DEDICATED[request.status][wf.RELEASED], review.released_to)
        record(
            actor=actor, action=events.REVIEW_RELEASED, subject=review, dossier_id=review.dossier_id,
            after={"serial": review.serial, "organisation": review.organisation, "released_to": review.released_to},
        )  # fmt: skip
    return review


def political_review_decide(*, actor: Any, review_id: int, to: str, note: str = "") -> PoliticalReview:
    """The plain steps: send back for a new extract, reject (with a reason), withdraw."""
    if to not in (wf.SUBMITTED, wf.REJECTED, wf.WITHDRAWN):
        raise ValidationFailed(_("办理步骤无效"), fields={"to": [_("办理步骤无效")]})
    if to in (wf.SUBMITTED, wf.REJECTED) and not note.strip():
        raise ValidationFailed(_("请说明理由"), fields={"note": [_(REQUIRED)]})
    with transaction.atomic():
        review = _review_for_action(actor, review_id)
        request_step(actor=actor, request=review.request, to=to, note=note)
    return review


def political_review_view(*, actor: Any, review_id: int) -> PoliticalReview:
    """Open a review; once it holds an extract, opening it reads dossier content and is audited (R43)."""
    review = review_for_reader(actor, review_id)
    if review.extract:
        with transaction.atomic():
            record(actor=actor, action=events.REVIEW_VIEWED, subject=review, dossier_id=review.dossier_id)
    return review


def political_review_print(*, actor: Any, review_id: int) -> bytes:
    """The PDF, only once approved; every print is audited."""
    review = review_for_reader(actor, review_id)
    if review.request.status not in wf.PRINTABLE:
        raise Conflict(_("摘录须经审批负责人审核后方可打印或下载"), code="not_approved")
    pdf = papers.review_pdf(review)
    with transaction.atomic():
        record(
            actor=actor, action=events.REVIEW_PRINTED, subject=review, dossier_id=review.dossier_id,
            after={"serial": review.serial},
        )  # fmt: skip
    return pdf


# --- Party-membership transfer -----------------------------------------------------------------


def _not_member_message(political_status: str) -> str:
    label = table("political_status").label(political_status) if political_status else _("未登记")
    return _("该人员政治面貌为“%(s)s”，不是中共党员或预备党员，不能办理党员组织关系接转") % {"s": label}


def _open_membership(person_id: int) -> PartyMembership | None:
    return (
        PartyMembership.objects.select_for_update()
        .filter(person_id=person_id, organisation=PartyMembership.Organisation.PARTY, left_on__isnull=True)
        .order_by("-joined_on", "-pk")
        .first()
    )


def party_transfer_apply(
    *,
    actor: Any,
    person_id_number: str,
    direction: str,
    applicant_kind: str,
    applicant_name: str,
    letter_number: str,
    issuing_organisation: str,
    receiving_organisation: str,
    issued_on: datetime.date,
    valid_until: datetime.date,
    documents: list[str],
    applicant_id_number: str = "",
    applicant_phone: str = "",
    note: str = "",
    channel: str = Channel.COUNTER,
    today: datetime.date | None = None,
) -> PartyTransfer:
    """Register a transfer in or out of the organisational relation of a Party member whose dossier is held here."""
    letter = _Letter(direction, letter_number, issuing_organisation, receiving_organisation, issued_on, valid_until)
    _check_letter(letter, today or timezone.localdate(), {})
    with transaction.atomic():
        request = request_submit(
            actor=actor, service_code=PARTY_SERVICE, channel=channel, applicant_kind=applicant_kind,
            applicant_name=applicant_name, applicant_id_number=applicant_id_number, applicant_phone=applicant_phone,
            documents=documents, person_id_number=person_id_number,
            details={"direction": direction, "letter_number": letter_number.strip()},
        )  # fmt: skip
        return _open_party_transfer(actor, request, letter, note)


def party_transfer_apply_online(
    *,
    applicant: Any,
    applicant_kind: str,
    applicant_name: str,
    applicant_id_number: str,
    applicant_phone: str,
    person_id_number: str,
    documents: list[str],
    direction: str,
    letter_number: str,
    issuing_organisation: str,
    receiving_organisation: str,
    issued_on: datetime.date | None,
    valid_until: datetime.date | None,
    note: str = "",
    today: datetime.date | None = None,
) -> PartyTransfer:
    """The member applies on the portal (R30, R31): the application and the record the holder completes, in one
    step. The portal checks who may apply for whom before calling this."""
    errors: dict[str, list[str]] = {}
    service_type = registry.get(PARTY_SERVICE)
    assert service_type is not None
    missing = [i.label for i in service_type.checklist_for(applicant_kind) if i.required and i.key not in documents]
    if missing:  # every problem of the form at once (R30)
        errors["documents"] = [_("缺少以下材料：%(m)s") % {"m": "、".join(missing)}]
    for name, value in (("issued_on", issued_on), ("valid_until", valid_until)):
        if value is None:
            errors[name] = [_("请填写日期，如 2026-05-01")]
    letter = _Letter(direction, letter_number, issuing_organisation, receiving_organisation, issued_on, valid_until)
    _check_letter(letter, today or timezone.localdate(), errors)
    with transaction.atomic():
        request = request_submit_online(
            applicant=applicant, service_code=PARTY_SERVICE, applicant_kind=applicant_kind,
            applicant_name=applicant_name, applicant_id_number=applicant_id_number, applicant_phone=applicant_phone,
            documents=documents, person_id_number=person_id_number,
            details={"direction": direction, "letter_number": letter_number.strip()},
        )  # fmt: skip
        return _open_party_transfer(applicant, request, letter, note)


@dataclass(frozen=True)
class _Letter:
    direction: str
    letter_number: str
    issuing_organisation: str
    receiving_organisation: str
    issued_on: datetime.date | None
    valid_until: datetime.date | None


def _check_letter(letter: _Letter, today: datetime.date, errors: dict[str, list[str]]) -> None:
    if letter.direction not in Direction.values:
        errors["direction"] = [_("请选择转入或转出")]
    _required(
        errors, letter_number=letter.letter_number, issuing_organisation=letter.issuing_organisation,
        receiving_organisation=letter.receiving_organisation,
    )  # fmt: skip
    if letter.issued_on is not None and letter.issued_on > today:
        errors["issued_on"] = [_("开具日期不能晚于今天")]
    if letter.issued_on is not None and letter.valid_until is not None and letter.valid_until < letter.issued_on:
        errors["valid_until"] = [_("有效期不能早于开具日期")]
    if errors:
        raise ValidationFailed(_("党员组织关系接转信息有误"), fields=errors)


def _open_party_transfer(actor: Any, request: ServiceRequest, letter: _Letter, note: str) -> PartyTransfer:
    """The record of an accepted application, inside the caller's transaction: members only, with their branch."""
    assert request.dossier is not None
    # Both dates checked by `_check_letter`'s callers.
    assert letter.issued_on is not None
    assert letter.valid_until is not None
    dossier = request.dossier
    person = dossier.person
    if not policies.is_party_member(person.political_status):
        message = _not_member_message(person.political_status)
        raise ValidationFailed(message, code="not_party_member", fields={"person_id_number": [message]})
    membership = _open_membership(person.pk)
    if membership is None:
        message = _("档案中没有该党员在册的党组织关系记录（入党时间、组织关系所在），请先补录后再办理")
        raise ValidationFailed(message, code="no_membership", fields={"person_id_number": [message]})
    open_one = PartyTransfer.objects.filter(dossier=dossier, request__completed_at__isnull=True).first()
    if open_one is not None:
        raise Conflict(
            _("该党员已有正在办理的组织关系接转（介绍信编号 %(n)s）") % {"n": open_one.letter_number},
            code="transfer_open",
        )
    transfer = PartyTransfer.objects.create(
        request=request, dossier=dossier, agency=request.holding_agency, membership=membership,
        direction=letter.direction, letter_number=letter.letter_number.strip()[:50],
        issuing_organisation=letter.issuing_organisation.strip()[:100],
        receiving_organisation=letter.receiving_organisation.strip()[:100], issued_on=letter.issued_on,
        valid_until=letter.valid_until, branch_before=membership.branch, note=note.strip()[:200],
    )  # fmt: skip
    record(
        actor=actor, action=events.PARTY_TRANSFER_APPLIED, subject=transfer, dossier_id=dossier.pk,
        after={"direction": letter.direction, "letter_number": transfer.letter_number, "issued_on": letter.issued_on,
               "valid_until": letter.valid_until, "from": transfer.issuing_organisation,
               "to": transfer.receiving_organisation, "request": request.number},
    )  # fmt: skip
    return transfer


def _party_for_action(actor: Any, transfer_id: int) -> PartyTransfer:
    request_id = PartyTransfer.objects.filter(pk=transfer_id).values_list("request_id", flat=True).first()
    if request_id is None:
        raise NotFound(_(PARTY_NOT_FOUND))
    request = request_for_action(actor, request_id)
    transfer = (
        PartyTransfer.objects.select_for_update(of=("self",))
        .select_related("dossier__person", "agency")
        .get(pk=transfer_id)
    )
    transfer.request = request
    return transfer


def party_branch_change(
    *, actor: Any, membership: PartyMembership, branch: str, dossier_id: int, reason: str
) -> PartyMembership:
    """Where the open Party relation now sits; called inside the caller's transaction, on a locked row."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("party_branch_change must run inside the caller's transaction")
    before = membership.branch
    membership.branch = branch.strip()[:100]
    membership.save(update_fields=["branch"])
    record(
        actor=actor, action=events.PARTY_BRANCH_CHANGED, subject=membership, dossier_id=dossier_id,
        reason=reason[:500], before={"branch": before}, after={"branch": membership.branch},
    )  # fmt: skip
    return membership


def party_transfer_complete(
    *, actor: Any, transfer_id: int, reported_on: datetime.date, note: str = "", today: datetime.date | None = None
) -> PartyTransfer:
    """The member reported within the letter's validity: the relation now sits with the receiving organisation."""
    today = today or timezone.localdate()
    with transaction.atomic():
        transfer = _party_for_action(actor, transfer_id)
        if not policies.can_handle_party(actor, transfer.agency):
            raise PermissionDenied(_("只有存档机构的窗口经办或网办专员可以办结党员组织关系接转"))
        request = transfer.request
        if not wf.party_may(request.status, wf.COMPLETED):
            raise _status_conflict(request, _("办结"))
        errors: dict[str, list[str]] = {}
        if reported_on > today:
            errors["reported_on"] = [_("报到日期不能晚于今天")]
        elif reported_on < transfer.issued_on:
            errors["reported_on"] = [_("报到日期不能早于介绍信开具日期")]
        elif reported_on > transfer.valid_until:
            errors["reported_on"] = [
                _("报到日期已超过介绍信有效期（%(d)s），请重新开具介绍信后办理")
                % {"d": transfer.valid_until.isoformat()}
            ]
        if errors:
            raise ValidationFailed(_("报到信息有误"), fields=errors)
        person = transfer.dossier.person
        if not policies.is_party_member(person.political_status):
            raise ValidationFailed(_not_member_message(person.political_status), code="not_party_member")
        membership = PartyMembership.objects.select_for_update().get(pk=transfer.membership_id)
        if membership.left_on is not None:
            raise Conflict(_("该党组织关系记录已登记离开，不能办结接转"), code="membership_closed")
        reason = _("党员组织关系%(d)s，介绍信编号 %(n)s") % {
            "d": transfer.get_direction_display(), "n": transfer.letter_number,
        }  # fmt: skip
        branch_before = membership.branch
        party_branch_change(
            actor=actor, membership=membership, branch=transfer.receiving_organisation,
            dossier_id=transfer.dossier_id, reason=reason,
        )  # fmt: skip
        transfer.reported_on, transfer.branch_before, transfer.branch_after = (
            reported_on,
            branch_before,
            membership.branch,
        )
        transfer.completed_by, transfer.completed_at = actor, timezone.now()
        if note.strip():
            transfer.note = note.strip()[:200]
        transfer.save(
            update_fields=["reported_on", "branch_before", "branch_after", "completed_by", "completed_at", "note"]
        )
        _take(actor, request, wf.COMPLETED, wf.PARTY_DEDICATED[request.status][wf.COMPLETED], note)
        record(
            actor=actor, action=events.PARTY_TRANSFER_COMPLETED, subject=transfer, dossier_id=transfer.dossier_id,
            after={"reported_on": reported_on, "branch": membership.branch, "letter_number": transfer.letter_number},
        )  # fmt: skip
    return transfer


def party_transfer_decide(*, actor: Any, transfer_id: int, to: str, note: str = "") -> PartyTransfer:
    """The plain steps: reject (with a reason) or withdraw."""
    if to not in (wf.REJECTED, wf.WITHDRAWN):
        raise ValidationFailed(_("办理步骤无效"), fields={"to": [_("办理步骤无效")]})
    if to == wf.REJECTED and not note.strip():
        raise ValidationFailed(_("请说明不予办理的理由"), fields={"note": [_(REQUIRED)]})
    with transaction.atomic():
        transfer = _party_for_action(actor, transfer_id)
        request_step(actor=actor, request=transfer.request, to=to, note=note)
    return transfer
