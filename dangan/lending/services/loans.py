"""Loans (借阅, R13, R14, R15, R41): an organisation's letter, approval by someone other than the requester, the
catalogue of what leaves, a due date, no lending on, overdue flags, and a face-to-face check on return."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangan.audit.services import record
from dangan.casework.models import ApplicantKind, Channel, ServiceRequest
from dangan.casework.services import dossier_locate, request_for_action, request_step, request_submit
from dangan.core.errors import Conflict, NotFound, ValidationFailed
from dangan.dossiers.models import Dossier, DossierStatus
from dangan.dossiers.selectors import dossier_for_action
from dangan.dossiers.services import dossier_transition
from dangan.lending import events
from dangan.lending.models import OPEN_STATES, UNDERTAKING_TEXT, BorrowerKind, Loan, LoanState
from dangan.lending.recusal import reader_conflict
from dangan.lending.service_types import APPROVERS, KEEPERS
from dangan.lending.services import common
from dangan.lending.services.common import Errors, fail, raise_if, text
from dangan.materials.selectors import catalogue_rows

ALREADY_OUT = _("该档案已批准借出或正在借出，不能重复借阅（R14）")


def _not_available(dossier: Dossier, *, except_loan: int | None = None) -> str | None:
    if dossier.status != DossierStatus.IN_CUSTODY:
        return _("档案当前状态为“%(s)s”，不能借阅") % {"s": dossier.get_status_display()}
    others = Loan.objects.filter(dossier=dossier, state__in=OPEN_STATES)
    if except_loan is not None:
        others = others.exclude(pk=except_loan)
    return ALREADY_OUT if others.exists() else None


def loan_apply(
    *,
    actor: Any,
    person_id_number: str,
    borrower_kind: str,
    borrower_name: str,
    borrower_code: str,
    letter_number: str,
    letter_date: datetime.date | None,
    purpose: str,
    handler_name: str,
    handler_id_number: str,
    no_lending_on: bool,
    documents: Sequence[str],
    handler_phone: str = "",
    channel: str = Channel.COUNTER,
) -> Loan:
    """Accept an organisation's loan request with its letter (R15) and its undertaking not to lend on (R14)."""
    errors: Errors = {}
    if borrower_kind not in BorrowerKind.values:
        fail(errors, "borrower_kind", _("借档单位只能是社会保险经办机构、公证机构或其他单位（组织）"))
    borrower_name = text(errors, "borrower_name", borrower_name, 100)
    borrower_code = common.organisation_code(errors, "borrower_code", borrower_code)
    letter_number = (letter_number or "").strip()
    if not letter_number:
        fail(errors, "letter_number", _("须凭借档单位出具的借档函借阅（R15）"))
    text(errors, "letter_number", letter_number, 40, required=False)
    common.letter_date(errors, "letter_date", letter_date)
    purpose = text(errors, "purpose", purpose, 200)
    handler_name = text(errors, "handler_name", handler_name, 50)
    handler_id_number = common.resident_id(errors, "handler_id_number", handler_id_number)
    handler_phone = common.phone(errors, "handler_phone", handler_phone)
    if not no_lending_on:
        fail(errors, "no_lending_on", _("借档单位须承诺不转借（R14）"))
    missing = common.documents_missing("loan", documents)
    if missing:
        fail(errors, "documents", _("缺少以下材料：%(m)s") % {"m": "、".join(missing)})
    dossier = dossier_locate(person_id_number or "")
    if dossier is None:
        fail(errors, "person_id_number", _("未找到该人员在本省保管的档案"))
    elif "handler_id_number" not in errors:
        conflict = reader_conflict(handler_id_number, dossier)
        if conflict:
            fail(errors, "handler_id_number", conflict)
    raise_if(errors, _("借阅申请有误，请按提示修改"))
    assert dossier is not None
    assert letter_date is not None
    common.require_recusal_clear(actor, dossier)
    busy = _not_available(dossier)
    if busy:
        raise Conflict(busy, code="not_available")
    with transaction.atomic():
        request = request_submit(
            actor=actor, service_code="loan", channel=channel, applicant_kind=ApplicantKind.ORGANISATION,
            applicant_name=borrower_name, applicant_id_number=borrower_code, applicant_phone=handler_phone,
            documents=list(documents), person_id_number=dossier.person.id_number,
            details={"borrower_kind": borrower_kind, "letter_number": letter_number},
        )  # fmt: skip
        loan = Loan.objects.create(
            request=request, dossier=dossier, borrower_kind=borrower_kind, borrower_name=borrower_name,
            borrower_code=borrower_code, letter_number=letter_number, letter_date=letter_date, purpose=purpose,
            handler_name=handler_name, handler_id_number=handler_id_number, handler_phone=handler_phone,
            undertaking=UNDERTAKING_TEXT,
        )  # fmt: skip
        record(
            actor=actor, action=events.LOAN_APPLIED, subject=loan, dossier_id=dossier.pk,
            after={"number": request.number, "borrower": borrower_name, "kind": borrower_kind,
                   "letter": letter_number, "undertaking": UNDERTAKING_TEXT},
        )  # fmt: skip
    return loan


def _for_action(actor: Any, loan_id: int) -> tuple[Loan, ServiceRequest]:
    """Lock the request (scoped to the holder, R34), then the loan; `_lock_dossier` comes after, so every service
    locks in one order and two approvers queue rather than deadlock (the audit chain head is locked last)."""
    request_id = Loan.objects.filter(pk=loan_id).values_list("request_id", flat=True).first()
    if request_id is None:
        raise NotFound(_("借阅记录不存在或无权查看"))
    request = request_for_action(actor, request_id)
    return Loan.objects.select_for_update(of=("self",)).get(pk=loan_id), request


def _lock_dossier(actor: Any, loan: Loan, *roles: str) -> Dossier:
    dossier = dossier_for_action(actor, loan.dossier_id, *roles, lock=True)
    loan.dossier = dossier
    common.require_recusal_clear(actor, dossier)
    return dossier


def _save_state(loan: Loan, fields: list[str]) -> None:
    try:
        with transaction.atomic():
            loan.save(update_fields=["state", *fields])
    except IntegrityError:
        # The partial unique index (one open loan per dossier) caught what the row lock should have.
        raise Conflict(ALREADY_OUT, code="not_available") from None


def loan_approve(*, actor: Any, loan_id: int, note: str = "") -> Loan:
    """An approver who is not the requester approves; the dossier is reserved for this loan (R14)."""
    errors: Errors = {}
    note = text(errors, "note", note, 500, required=False)
    raise_if(errors, _("审批信息有误"))
    with transaction.atomic():
        loan, request = _for_action(actor, loan_id)
        common.require_step(actor, request, "approved")
        common.require_other_than(actor, request.submitted_by_id, _("借阅须由受理人以外的审批负责人批准（R14）"))
        dossier = _lock_dossier(actor, loan, *APPROVERS)
        conflict = reader_conflict(loan.handler_id_number, dossier)
        if conflict:
            raise ValidationFailed(conflict, code="recusal", fields={"handler_id_number": [conflict]})
        busy = _not_available(dossier, except_loan=loan.pk)
        if busy:
            raise Conflict(busy, code="not_available")
        loan.state = LoanState.APPROVED
        loan.decided_by, loan.decided_at, loan.decision_note = actor, timezone.now(), note
        _save_state(loan, ["decided_by", "decided_at", "decision_note"])
        request_step(actor=actor, request=request, to="approved", note=note)
        record(actor=actor, action=events.LOAN_APPROVED, subject=loan, dossier_id=dossier.pk, reason=note)
    return loan


def loan_reject(*, actor: Any, loan_id: int, note: str) -> Loan:
    errors: Errors = {}
    note = text(errors, "note", note, 500)
    raise_if(errors, _("请填写不予批准的理由"))
    with transaction.atomic():
        loan, request = _for_action(actor, loan_id)
        common.require_step(actor, request, "rejected")
        loan.state = LoanState.REJECTED
        loan.decided_by, loan.decided_at, loan.decision_note = actor, timezone.now(), note
        _save_state(loan, ["decided_by", "decided_at", "decision_note"])
        request_step(actor=actor, request=request, to="rejected", note=note)
        record(actor=actor, action=events.LOAN_REJECTED, subject=loan, dossier_id=loan.dossier_id, reason=note)
    return loan


def loan_withdraw(*, actor: Any, loan_id: int, note: str = "") -> Loan:
    """The borrower withdraws before lending; an approved loan releases the dossier."""
    errors: Errors = {}
    note = text(errors, "note", note, 500, required=False)
    raise_if(errors, _("撤回信息有误"))
    with transaction.atomic():
        loan, request = _for_action(actor, loan_id)
        common.require_step(actor, request, "withdrawn")
        loan.state = LoanState.WITHDRAWN
        _save_state(loan, [])
        request_step(actor=actor, request=request, to="withdrawn", note=note)
        record(actor=actor, action=events.LOAN_WITHDRAWN, subject=loan, dossier_id=loan.dossier_id, reason=note)
    return loan


def loan_lend(*, actor: Any, loan_id: int, seal_number: str, today: datetime.date | None = None) -> Loan:
    """The keeper seals and hands over: the catalogue of what leaves is frozen, the due date set (R14, R15)."""
    errors: Errors = {}
    seal_number = text(errors, "seal_number", seal_number, 40)
    raise_if(errors, _("借出信息有误，请按提示修改"))
    with transaction.atomic():
        loan, request = _for_action(actor, loan_id)
        common.require_step(actor, request, "lent")
        dossier = _lock_dossier(actor, loan, *KEEPERS)
        if loan.state != LoanState.APPROVED:
            raise Conflict(_("借阅尚未批准，不能借出"), code="not_approved")
        rows: list[dict[str, Any]] = [
            {"n": n, "class_code": r.class_code, "sequence": r.sequence, "title": r.title, "formed": r.formed,
             "copies": r.copies, "pages": r.pages, "remarks": r.remarks}
            for n, r in enumerate(catalogue_rows(dossier), start=1)
        ]  # fmt: skip
        if not rows:
            raise ValidationFailed(
                _("该档案没有已归档的材料目录，借出后无法当面核对，不能借出（R14）"), code="no_catalogue"
            )
        dossier_transition(
            actor=actor, dossier=dossier, to=DossierStatus.ON_LOAN, process="loan", reason=request.number
        )
        today = today or timezone.localdate()
        loan.state, loan.lent_by, loan.lent_at, loan.lent_on = LoanState.ON_LOAN, actor, timezone.now(), today
        loan.due_on = today + datetime.timedelta(days=common.loan_days())
        loan.seal_number, loan.catalogue = seal_number, rows
        loan.material_count = sum(int(r["copies"]) for r in rows)
        loan.page_count = sum(int(r["pages"]) for r in rows)
        fields = ["lent_by", "lent_at", "lent_on", "due_on", "seal_number", "catalogue", "material_count", "page_count"]
        _save_state(loan, fields)
        request_step(actor=actor, request=request, to="lent", note=_("应还日期 %(d)s") % {"d": loan.due_on})
        record(
            actor=actor, action=events.LOAN_LENT, subject=loan, dossier_id=dossier.pk,
            after={"due_on": loan.due_on, "items": len(rows), "copies": loan.material_count,
                   "pages": loan.page_count, "seal_number": seal_number},
        )  # fmt: skip
    return loan


@dataclass(frozen=True)
class ReturnCheck:
    discrepancies: list[str]
    rows: list[dict[str, Any]]


def _check_items(catalogue: list[dict[str, Any]], items: Sequence[Mapping[str, Any]], seal_intact: bool) -> ReturnCheck:
    errors: Errors = {}
    by_n: dict[int, Mapping[str, Any]] = {}
    for index, item in enumerate(items):
        n = item.get("n")
        if not isinstance(n, int) or n in by_n:
            fail(errors, f"items[{index}].n", _("目录序号无效或重复"))
            continue
        by_n[n] = item
    expected = {int(row["n"]) for row in catalogue}
    if set(by_n) != expected and "items" not in errors:
        fail(errors, "items", _("请对借出目录中的全部%(n)d项材料逐项核对") % {"n": len(expected)})
    raise_if(errors, _("归还核对有误，请按提示修改"))
    discrepancies: list[str] = []
    rows: list[dict[str, Any]] = []
    for row in catalogue:
        item = by_n[int(row["n"])]
        present = bool(item.get("present"))
        pages = int(item.get("pages") or 0) if present else 0
        rows.append({"n": row["n"], "title": row["title"], "expected_pages": row["pages"], "present": present,
                     "pages": pages})  # fmt: skip
        if not present:
            discrepancies.append(_("第%(n)s项“%(t)s”缺失") % {"n": row["n"], "t": row["title"]})
        elif pages != row["pages"]:
            discrepancies.append(
                _("第%(n)s项“%(t)s”页数不符：借出%(a)s页，归还%(b)s页")
                % {"n": row["n"], "t": row["title"], "a": row["pages"], "b": pages}
            )
    if not seal_intact:
        discrepancies.append(_("密封或封签不完好（R15）"))
    return ReturnCheck(discrepancies=discrepancies, rows=rows)


def loan_return(
    *, actor: Any, loan_id: int, seal_intact: bool, items: Sequence[Mapping[str, Any]], note: str = ""
) -> Loan:
    """The keeper checks face to face against the catalogue and the seal; any difference is recorded and escalated
    (R14, R15). The dossier comes back in custody either way."""
    errors: Errors = {}
    note = text(errors, "note", note, 500, required=False)
    raise_if(errors, _("归还信息有误"))
    with transaction.atomic():
        loan, request = _for_action(actor, loan_id)
        common.require_step(actor, request, "returned")
        dossier = _lock_dossier(actor, loan, *KEEPERS)
        if loan.state != LoanState.ON_LOAN:
            raise Conflict(_("该档案未借出"), code="not_on_loan")
        check = _check_items(list(loan.catalogue), items, seal_intact)
        dossier_transition(
            actor=actor, dossier=dossier, to=DossierStatus.IN_CUSTODY, process="loan_return", reason=request.number
        )
        now = timezone.now()
        loan.state, loan.returned_by, loan.returned_at = LoanState.RETURNED, actor, now
        loan.seal_intact, loan.return_check = seal_intact, check.rows
        loan.discrepancy = "；".join([*check.discrepancies, *([note] if note and check.discrepancies else [])])
        loan.escalated_at = now if check.discrepancies else None
        _save_state(loan, ["returned_by", "returned_at", "seal_intact", "return_check", "discrepancy", "escalated_at"])
        request_step(actor=actor, request=request, to="returned", note=loan.discrepancy or note)
        record(
            actor=actor, action=events.LOAN_RETURNED, subject=loan, dossier_id=dossier.pk,
            after={"seal_intact": seal_intact, "discrepancy": bool(check.discrepancies)}, reason=note,
        )  # fmt: skip
        if check.discrepancies:
            record(
                actor=actor, action=events.LOAN_DISCREPANCY, subject=loan, dossier_id=dossier.pk,
                reason=loan.discrepancy[:500], after={"check": check.rows, "seal_intact": seal_intact},
            )  # fmt: skip
    return loan


def loans_flag_overdue(*, today: datetime.date | None = None) -> int:
    """Daily: every loan past its due date is flagged once a day and the flag is audited (R14)."""
    today = today or timezone.localdate()
    flagged = 0
    with transaction.atomic():
        overdue = (
            Loan.objects.select_for_update(of=("self",))
            .select_related("dossier")
            .filter(state=LoanState.ON_LOAN, due_on__lt=today)
            .exclude(overdue_flagged_on=today)
            .order_by("pk")
        )
        for loan in overdue:
            assert loan.due_on is not None
            loan.overdue_since = loan.overdue_since or loan.due_on + datetime.timedelta(days=1)
            loan.overdue_flagged_on = today
            loan.save(update_fields=["overdue_since", "overdue_flagged_on"])
            record(
                actor=None, action=events.LOAN_OVERDUE, subject=loan, dossier_id=loan.dossier_id,
                agency_id=loan.dossier.holding_agency_id,
                after={"due_on": loan.due_on, "days_overdue": (today - loan.due_on).days},
            )  # fmt: skip
            flagged += 1
    return flagged
