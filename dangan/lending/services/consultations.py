"""Consultation (查阅, R13, R40, R41, R43): organisations only, with their letter and an allowed purpose, two or
more readers checked by ID number, approval, sessions in a reading room signed in the register, extracts and
copies only with approval and certified by the keeper."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangan.agencies.policies import staff_of
from dangan.audit.services import record
from dangan.casework.models import ApplicantKind, Channel, ServiceRequest
from dangan.casework.services import dossier_locate, request_for_action, request_step, request_submit
from dangan.core.errors import Conflict, NotFound, ValidationFailed
from dangan.dossiers.models import DossierStatus
from dangan.lending import events
from dangan.lending.models import (
    CERTIFICATION_TEXT,
    Consultation,
    CopyKind,
    CopyRequest,
    CopyStatus,
    Reader,
    ReadingSession,
)
from dangan.lending.purposes import purpose_keys, purpose_label
from dangan.lending.recusal import reader_conflict
from dangan.lending.service_types import APPROVERS, KEEPERS
from dangan.lending.services import common
from dangan.lending.services.common import Errors, fail, raise_if, text
from dangan.storage.models import Room
from dangan.storage.services import assert_reading_room

ORGANISATIONS_ONLY = _("档案查阅只面向单位（组织），不受理个人的查阅申请（R13）")


def _readers(errors: Errors, readers: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    clean: list[dict[str, str]] = []
    seen: set[str] = set()
    for index, raw in enumerate(readers):
        prefix = f"readers[{index}]"
        row = {
            "name": text(errors, f"{prefix}.name", str(raw.get("name") or ""), 50),
            "id_number": common.resident_id(errors, f"{prefix}.id_number", str(raw.get("id_number") or "")),
            "post": text(errors, f"{prefix}.post", str(raw.get("post") or ""), 50),
        }
        if row["id_number"] in seen:
            fail(errors, f"{prefix}.id_number", _("查阅人重复"))
        seen.add(row["id_number"])
        clean.append(row)
    if len(clean) < common.min_readers():
        fail(errors, "readers", _("查阅人须为%(n)d人以上（R13）") % {"n": common.min_readers()})
    return clean


def consultation_apply(
    *,
    actor: Any,
    person_id_number: str,
    organisation_name: str,
    organisation_code: str,
    letter_number: str,
    letter_date: datetime.date | None,
    reason: str,
    content: str,
    purpose: str,
    readers: Sequence[Mapping[str, Any]],
    documents: Sequence[str],
    applicant_kind: str = ApplicantKind.ORGANISATION,
    applicant_phone: str = "",
    channel: str = Channel.COUNTER,
) -> Consultation:
    """Accept an organisation's consultation (R13): every reader is checked against the person and family."""
    if applicant_kind != ApplicantKind.ORGANISATION:
        raise ValidationFailed(
            ORGANISATIONS_ONLY, code="organisations_only", fields={"applicant_kind": [ORGANISATIONS_ONLY]}
        )
    errors: Errors = {}
    organisation_name = text(errors, "organisation_name", organisation_name, 100)
    organisation_code = common.organisation_code(errors, "organisation_code", organisation_code)
    applicant_phone = common.phone(errors, "applicant_phone", applicant_phone)
    letter_number = text(errors, "letter_number", letter_number, 40)
    common.letter_date(errors, "letter_date", letter_date)
    reason = text(errors, "reason", reason, 200)
    content = text(errors, "content", content, 500)
    if purpose not in purpose_keys():
        fail(errors, "purpose", _("查阅目的须为规定的查阅事由之一（R13）"))
    clean_readers = _readers(errors, readers)
    missing = common.documents_missing("consultation", documents)
    if missing:
        fail(errors, "documents", _("缺少以下材料：%(m)s") % {"m": "、".join(missing)})
    dossier = dossier_locate(person_id_number or "")
    if dossier is None:
        fail(errors, "person_id_number", _("未找到该人员在本省保管的档案"))
    else:
        for index, row in enumerate(clean_readers):
            conflict = reader_conflict(row["id_number"], dossier) if row["id_number"] else None
            if conflict:
                fail(errors, f"readers[{index}].id_number", conflict)
    raise_if(errors, _("查阅申请有误，请按提示修改"))
    assert dossier is not None
    assert letter_date is not None
    common.require_recusal_clear(actor, dossier)
    with transaction.atomic():
        request = request_submit(
            actor=actor, service_code="consultation", channel=channel, applicant_kind=ApplicantKind.ORGANISATION,
            applicant_name=organisation_name, applicant_id_number=organisation_code, applicant_phone=applicant_phone,
            documents=list(documents), person_id_number=dossier.person.id_number,
            details={"purpose": purpose, "letter_number": letter_number, "readers": len(clean_readers)},
        )  # fmt: skip
        consultation = Consultation.objects.create(
            request=request, dossier=dossier, organisation_name=organisation_name,
            organisation_code=organisation_code, letter_number=letter_number, letter_date=letter_date,
            reason=reason, content=content, purpose=purpose,
        )  # fmt: skip
        Reader.objects.bulk_create(Reader(consultation=consultation, **row) for row in clean_readers)
        record(
            actor=actor, action=events.CONSULTATION_APPLIED, subject=consultation, dossier_id=dossier.pk,
            after={"number": request.number, "organisation": organisation_name, "letter": letter_number,
                   "purpose": purpose_label(purpose), "readers": [r["name"] for r in clean_readers]},
        )  # fmt: skip
    return consultation


def _for_action(actor: Any, consultation_id: int) -> tuple[Consultation, ServiceRequest]:
    """Lock the request (scoped to the holder, R34) and then the consultation, in that order."""
    request_id = Consultation.objects.filter(pk=consultation_id).values_list("request_id", flat=True).first()
    if request_id is None:
        raise NotFound(_("查阅申请不存在或无权查看"))
    request = request_for_action(actor, request_id)
    consultation = (
        Consultation.objects.select_for_update(of=("self",)).select_related("dossier__person").get(pk=consultation_id)
    )
    return consultation, request


def _readers_still_clear(consultation: Consultation) -> None:
    errors: Errors = {}
    for index, reader in enumerate(consultation.readers.all()):
        conflict = reader_conflict(reader.id_number, consultation.dossier)
        if conflict:
            fail(errors, f"readers[{index}].id_number", f"{reader.name}：{conflict}")
    raise_if(errors, _("查阅人须回避，不能批准（R13）"))


def consultation_approve(*, actor: Any, consultation_id: int, scope: str = "", note: str = "") -> Consultation:
    """An approver other than the clerk who accepted it approves, within a scope (R13, R41)."""
    errors: Errors = {}
    scope = text(errors, "scope", scope, 500, required=False)
    note = text(errors, "note", note, 500, required=False)
    raise_if(errors, _("审批信息有误"))
    with transaction.atomic():
        consultation, request = _for_action(actor, consultation_id)
        common.require_step(actor, request, "approved")
        common.require_other_than(actor, request.submitted_by_id, _("受理人不能审批本人受理的查阅申请"))
        common.require_recusal_clear(actor, consultation.dossier)
        _readers_still_clear(consultation)
        consultation.approved_scope = scope or consultation.content
        consultation.decided_by, consultation.decided_at, consultation.decision_note = actor, timezone.now(), note
        consultation.save(update_fields=["approved_scope", "decided_by", "decided_at", "decision_note"])
        request_step(actor=actor, request=request, to="approved", note=note)
        record(
            actor=actor, action=events.CONSULTATION_APPROVED, subject=consultation,
            dossier_id=consultation.dossier_id, after={"scope": consultation.approved_scope},
        )  # fmt: skip
    return consultation


def consultation_reject(*, actor: Any, consultation_id: int, note: str) -> Consultation:
    errors: Errors = {}
    note = text(errors, "note", note, 500)
    raise_if(errors, _("请填写不予批准的理由"))
    with transaction.atomic():
        consultation, request = _for_action(actor, consultation_id)
        common.require_step(actor, request, "rejected")
        common.require_recusal_clear(actor, consultation.dossier)
        consultation.decided_by, consultation.decided_at, consultation.decision_note = actor, timezone.now(), note
        consultation.save(update_fields=["decided_by", "decided_at", "decision_note"])
        request_step(actor=actor, request=request, to="rejected", note=note)
        record(
            actor=actor, action=events.CONSULTATION_REJECTED, subject=consultation,
            dossier_id=consultation.dossier_id, reason=note,
        )  # fmt: skip
    return consultation


def consultation_withdraw(*, actor: Any, consultation_id: int, note: str = "") -> Consultation:
    errors: Errors = {}
    note = text(errors, "note", note, 500, required=False)
    raise_if(errors, _("撤回信息有误"))
    with transaction.atomic():
        consultation, request = _for_action(actor, consultation_id)
        common.require_step(actor, request, "withdrawn")
        if consultation.sessions.filter(ended_at__isnull=True).exists():
            raise Conflict(_("查阅正在进行，不能撤回"), code="session_open")
        request_step(actor=actor, request=request, to="withdrawn", note=note)
        record(
            actor=actor, action=events.CONSULTATION_WITHDRAWN, subject=consultation,
            dossier_id=consultation.dossier_id, reason=note,
        )  # fmt: skip
    return consultation


def consultation_close(*, actor: Any, consultation_id: int, note: str = "") -> Consultation:
    """The reading is over: no session may still be open."""
    errors: Errors = {}
    note = text(errors, "note", note, 500, required=False)
    raise_if(errors, _("信息有误"))
    with transaction.atomic():
        consultation, request = _for_action(actor, consultation_id)
        common.require_step(actor, request, "closed")
        if consultation.sessions.filter(ended_at__isnull=True).exists():
            raise Conflict(_("尚有未登记离开时间的查阅，请先结束查阅登记"), code="session_open")
        request_step(actor=actor, request=request, to="closed", note=note)
        record(actor=actor, action=events.CONSULTATION_CLOSED, subject=consultation, dossier_id=consultation.dossier_id)
    return consultation


def session_open(
    *,
    actor: Any,
    consultation_id: int,
    room_id: int | None,
    reader_ids: Sequence[int],
    scope: str,
    readers_signed: bool,
) -> ReadingSession:
    """The keeper lets the readers in: a reading room (R40), two or more named readers, within scope, signed."""
    with transaction.atomic():
        consultation, request = _for_action(actor, consultation_id)
        common.require_role(actor, request, KEEPERS, _("登记查阅（须由库房管理员陪同）"))
        if request.status != "approved":
            raise Conflict(_("查阅申请尚未批准或已结束，不能查阅"), code="not_approved")
        common.require_recusal_clear(actor, consultation.dossier)
        errors: Errors = {}
        staff = staff_of(actor)
        assert staff is not None
        room = Room.objects.filter(pk=room_id or 0, agency_id=staff.agency_id).first()
        if room is None:
            fail(errors, "room", _("请选择本机构的阅档室"))
        else:
            try:
                assert_reading_room(room)
            except ValidationFailed as exc:
                fail(errors, "room", exc.message)
        named = {r.pk: r for r in consultation.readers.all()}
        chosen = sorted(set(reader_ids))
        if any(pk not in named for pk in chosen):
            fail(errors, "reader_ids", _("只能登记查阅申请中列明的查阅人"))
        elif len(chosen) < common.min_readers():
            fail(errors, "reader_ids", _("须有%(n)d名以上查阅人同时在场（R13）") % {"n": common.min_readers()})
        scope = text(errors, "scope", scope, 500)
        if not readers_signed:
            fail(errors, "readers_signed", _("查阅人须在查阅登记簿上签名"))
        raise_if(errors, _("查阅登记有误，请按提示修改"))
        assert room is not None
        if consultation.dossier.status != DossierStatus.IN_CUSTODY:
            raise Conflict(
                _("档案当前状态为“%(s)s”，不能查阅") % {"s": consultation.dossier.get_status_display()},
                code="not_in_custody",
            )
        if consultation.sessions.filter(ended_at__isnull=True).exists():
            raise Conflict(_("本次查阅尚未登记离开时间"), code="session_open")
        try:
            with transaction.atomic():
                session = ReadingSession.objects.create(
                    consultation=consultation, room=room, scope=scope, readers_signed=True,
                    started_at=timezone.now(), opened_by=actor,
                )  # fmt: skip
        except IntegrityError:
            raise Conflict(_("本次查阅尚未登记离开时间"), code="session_open") from None
        session.readers.set([named[pk] for pk in chosen])
        record(
            actor=actor, action=events.SESSION_OPENED, subject=session, dossier_id=consultation.dossier_id,
            after={"room": room.name, "readers": [named[pk].name for pk in chosen], "scope": scope},
        )  # fmt: skip
    return session


def _session_for_action(actor: Any, session_id: int) -> tuple[ReadingSession, Consultation, ServiceRequest]:
    consultation_id = ReadingSession.objects.filter(pk=session_id).values_list("consultation_id", flat=True).first()
    if consultation_id is None:
        raise NotFound(_("查阅登记不存在或无权查看"))
    consultation, request = _for_action(actor, consultation_id)
    session = ReadingSession.objects.select_for_update().get(pk=session_id)
    return session, consultation, request


def session_close(*, actor: Any, session_id: int, note: str = "") -> ReadingSession:
    """The readers leave: the time out is signed in the register."""
    errors: Errors = {}
    note = text(errors, "note", note, 200, required=False)
    raise_if(errors, _("信息有误"))
    with transaction.atomic():
        session, consultation, request = _session_for_action(actor, session_id)
        common.require_role(actor, request, KEEPERS, _("登记查阅"))
        if session.ended_at is not None:
            raise Conflict(_("已登记离开时间"), code="session_closed")
        session.ended_at, session.closed_by, session.note = timezone.now(), actor, note
        session.save(update_fields=["ended_at", "closed_by", "note"])
        record(
            actor=actor, action=events.SESSION_CLOSED, subject=session, dossier_id=consultation.dossier_id,
            after={"ended_at": session.ended_at, "note": note},
        )  # fmt: skip
    return session


def copy_request(*, actor: Any, session_id: int, kind: str, description: str, pages: int, reason: str) -> CopyRequest:
    """Readers ask for an extract or a copy; nothing leaves before an approver agrees (R13)."""
    errors: Errors = {}
    if kind not in CopyKind.values:
        fail(errors, "kind", _("请选择摘录或复制"))
    description = text(errors, "description", description, 200)
    reason = text(errors, "reason", reason, 200)
    if not 1 <= pages <= 9999:
        fail(errors, "pages", _("页数应在1至9999之间"))
    raise_if(errors, _("摘录复制申请有误，请按提示修改"))
    with transaction.atomic():
        session, consultation, request = _session_for_action(actor, session_id)
        common.require_role(actor, request, KEEPERS, _("登记摘录复制申请"))
        if request.status != "approved":
            raise Conflict(_("查阅申请未批准或已结束"), code="not_approved")
        copy = CopyRequest.objects.create(
            session=session, kind=kind, description=description, pages=pages, reason=reason, requested_by=actor,
            requested_at=timezone.now(),
        )  # fmt: skip
        record(
            actor=actor, action=events.COPY_REQUESTED, subject=copy, dossier_id=consultation.dossier_id,
            after={"kind": kind, "description": description, "pages": pages},
        )  # fmt: skip
    return copy


def _copy_for_action(actor: Any, copy_id: int) -> tuple[CopyRequest, Consultation, ServiceRequest]:
    session_id = CopyRequest.objects.filter(pk=copy_id).values_list("session_id", flat=True).first()
    if session_id is None:
        raise NotFound(_("摘录复制申请不存在或无权查看"))
    _session, consultation, request = _session_for_action(actor, session_id)
    return CopyRequest.objects.select_for_update().get(pk=copy_id), consultation, request


def copy_decide(*, actor: Any, copy_id: int, approve: bool, note: str = "") -> CopyRequest:
    """An approver, not the keeper who asked, decides on each extract or copy separately (R13)."""
    errors: Errors = {}
    note = text(errors, "note", note, 200, required=not approve)
    raise_if(errors, _("请填写审批意见"))
    with transaction.atomic():
        copy, consultation, request = _copy_for_action(actor, copy_id)
        common.require_role(actor, request, APPROVERS, _("审批摘录复制"))
        common.require_other_than(actor, copy.requested_by_id, _("申请人不能审批本人登记的摘录复制"))
        common.require_recusal_clear(actor, consultation.dossier)
        if copy.status != CopyStatus.REQUESTED:
            raise Conflict(_("该申请已审批"), code="decided")
        copy.status = CopyStatus.APPROVED if approve else CopyStatus.REFUSED
        copy.decided_by, copy.decided_at, copy.decision_note = actor, timezone.now(), note
        copy.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        record(
            actor=actor, action=events.COPY_DECIDED, subject=copy, dossier_id=consultation.dossier_id,
            after={"status": copy.status}, reason=note,
        )  # fmt: skip
    return copy


def copy_certify(*, actor: Any, copy_id: int) -> CopyRequest:
    """The keeper checks the copy against the original and certifies it with a note and stamp (R13)."""
    with transaction.atomic():
        copy, consultation, request = _copy_for_action(actor, copy_id)
        common.require_role(actor, request, KEEPERS, _("核对摘录复制件"))
        common.require_recusal_clear(actor, consultation.dossier)
        if copy.status != CopyStatus.APPROVED:
            raise Conflict(_("摘录复制须经批准后方可核对盖章"), code="not_approved")
        staff = staff_of(actor)
        assert staff is not None
        today = timezone.localdate()
        copy.status, copy.certified_by, copy.certified_on = CopyStatus.CERTIFIED, actor, today
        copy.certification = f"{CERTIFICATION_TEXT}。核对人：{staff.full_name}，{today:%Y年%m月%d日}"
        copy.save(update_fields=["status", "certified_by", "certified_on", "certification"])
        record(
            actor=actor, action=events.COPY_CERTIFIED, subject=copy, dossier_id=consultation.dossier_id,
            after={"certification": copy.certification},
        )  # fmt: skip
    return copy
