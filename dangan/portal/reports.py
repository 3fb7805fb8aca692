"""Employers' online reports of departures (annex 1 §三6, R25) and changes (annex 1 §三7, R28).

A report changes no record by itself. The employer submits it for an employee on its own roster (R5) or for
its own registration; a clerk of the agency holding the agreement accepts it, which records the departure or
the change through the agreements services with the clerk as the actor, or rejects it with a reason.
Each service is one transaction, checks who may act, and is audited.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangan.agreements import catalogue, workflow
from dangan.agreements.fields import clean_employer_value, clean_services, employer_display
from dangan.agreements.models import (
    AgreementStatus,
    ChangeField,
    EmployerAgreement,
    ExitChoice,
    RosterEntry,
    RosterStatus,
)
from dangan.agreements.policies import can_read, can_sign
from dangan.agreements.services import PersonalTerms, employer_change_record, roster_departure_report
from dangan.audit.services import record
from dangan.core.codetables import table
from dangan.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from dangan.portal.models import AccountKind, EmployerReport, PortalAccount, ReportKind, ReportStatus
from dangan.portal.services import account_of

NOT_FOUND_ENTRY = "本单位委托存档名册中没有该职工"
NOT_FOUND_REPORT = "报告不存在或无权查看"
OPTIONAL_CHANGES = frozenset({ChangeField.REMARKS, ChangeField.REGISTERED_CAPITAL})

SUBMITTED = "portal.employer_report_submitted"
ACCEPTED = "portal.employer_report_accepted"
REJECTED = "portal.employer_report_rejected"

# submitted → accepted | rejected; a decided report is final.
REPORT = workflow.Machine(
    "employer_report",
    {
        ReportStatus.SUBMITTED: {ReportStatus.ACCEPTED: "accept", ReportStatus.REJECTED: "reject"},
        ReportStatus.ACCEPTED: {},
        ReportStatus.REJECTED: {},
    },
)


def transition(report: EmployerReport, target: str, *, actor: Any, at: datetime.datetime, reason: str = "") -> str:
    """The only way a report's status moves: checked against REPORT, with who decided and when."""
    process = workflow.move(report, REPORT, target)
    report.reviewed_by = actor
    report.reviewed_at = at
    report.reject_reason = reason[:200] if target == ReportStatus.REJECTED else ""
    report.save(update_fields=["status", "reviewed_by", "reviewed_at", "reject_reason"])
    return process


# --- The employer ------------------------------------------------------------------------------


def employer_account(user: Any) -> PortalAccount:
    account = account_of(user)
    if account.kind != AccountKind.EMPLOYER or not account.credit_code:
        raise PermissionDenied(_("只有用人单位账号可以报告职工离职和单位信息变更"))
    return account


def _agreement_in_force(account: PortalAccount) -> EmployerAgreement:
    agreement = (
        EmployerAgreement.objects.select_related("agency", "employer")
        .filter(credit_code=account.credit_code, status=AgreementStatus.IN_FORCE)
        .first()
    )
    if agreement is None:
        raise NotFound(_("本单位没有履行中的委托集体存档协议"))
    return agreement


def _check_day(errors: dict[str, list[str]], name: str, day: datetime.date | None, today: datetime.date) -> None:
    if day is None:
        errors.setdefault(name, []).append(_("请填写日期"))
    elif day > today:
        errors.setdefault(name, []).append(_("日期不能晚于今天"))


def _raise_if(errors: dict[str, list[str]], message: str) -> None:
    if errors:
        raise ValidationFailed(message, fields=errors)


def report_departure_submit(
    *,
    user: Any,
    entry_id: int,
    left_on: datetime.date | None,
    choice: str,
    transfer_to: str = "",
    personal_services: list[str] | None = None,
    note: str = "",
    now: datetime.datetime | None = None,
) -> EmployerReport:
    """The employer reports that an employee on its roster left, and the employee's choice: a personal
    agreement at the same agency (with the services wanted) or a transfer out to a named destination."""
    account = employer_account(user)
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        # Only an employee on the roster of the employer's own agreement in force (R5); anything else is 404.
        entry = (
            RosterEntry.objects.select_for_update(of=("self",))
            .select_related("agreement__agency", "dossier__person")
            .filter(
                pk=entry_id,
                agreement__credit_code=account.credit_code,
                agreement__status=AgreementStatus.IN_FORCE,
                status=RosterStatus.ACTIVE,
            )
            .first()
        )
        if entry is None:
            raise NotFound(_(NOT_FOUND_ENTRY))
        errors: dict[str, list[str]] = {}
        _check_day(errors, "left_on", left_on, today)
        if left_on is not None and "left_on" not in errors and left_on < entry.joined_on:
            errors["left_on"] = [
                _("离职日期不能早于纳入名册日期（%(d)s）") % {"d": entry.joined_on.strftime("%Y-%m-%d")}
            ]
        services: list[str] = []
        transfer_to = transfer_to.strip()
        if choice not in ExitChoice.values:
            errors["choice"] = [_("请按离职职工意愿选择：签订个人委托存档协议，或办理档案转出（附件1 三6）")]
        elif choice == ExitChoice.PERSONAL:
            try:
                services = clean_services(catalogue.PERSONAL, personal_services, field_name="personal_services")
            except ValidationFailed as exc:
                errors.update(exc.fields)
        elif not transfer_to:
            errors["transfer_to"] = [_("请填写档案拟转往的单位或机构")]
        elif len(transfer_to) > 100:
            errors["transfer_to"] = [_("不能超过%(n)d个字") % {"n": 100}]
        _raise_if(errors, _("离职报告填写有误，请按提示修改"))
        assert left_on is not None
        pending = EmployerReport.objects.filter(
            entry=entry, kind=ReportKind.DEPARTURE, status=ReportStatus.SUBMITTED
        ).exists()
        duplicate = _("已报告%(n)s离职，正在等待存档机构审核，请勿重复报告") % {"n": entry.dossier.person.name}
        if pending:
            raise Conflict(duplicate, code="report_pending")
        try:
            with transaction.atomic():
                report = EmployerReport.objects.create(
                    kind=ReportKind.DEPARTURE, account=account, credit_code=account.credit_code,
                    agreement=entry.agreement, entry=entry, left_on=left_on, choice=choice,
                    transfer_to=transfer_to if choice == ExitChoice.TRANSFER else "",
                    personal_services=services, note=note.strip()[:200], submitted_at=now,
                )  # fmt: skip
        except IntegrityError:
            raise Conflict(duplicate, code="report_pending") from None
        record(
            actor=user, action=SUBMITTED, subject=report, actor_name=account.name,
            agency_id=entry.agreement.agency_id, dossier_id=entry.dossier_id,
            after={"kind": report.kind, "entry": entry.pk, "left_on": left_on, "choice": choice,
                   "transfer_to": report.transfer_to, "personal_services": services},
        )  # fmt: skip
    return report


def _nature_code(value: str) -> str:
    """The nature may be given by its code or by its name (公司法人…)."""
    by_name = {c.name: c.code for c in table("employer_nature").codes}
    return by_name.get(value.strip(), value.strip())


def report_change_submit(
    *,
    user: Any,
    field: str,
    new_value: str,
    effective_on: datetime.date | None,
    note: str = "",
    now: datetime.datetime | None = None,
) -> EmployerReport:
    """The employer reports one change of its registered information (one line of the change form, R28)."""
    account = employer_account(user)
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        agreement = _agreement_in_force(account)
        employer = agreement.employer
        errors: dict[str, list[str]] = {}
        new_value = (new_value or "").strip()
        if field not in ChangeField.values:
            errors["field"] = [_("请选择变更内容")]
        elif not new_value and field not in OPTIONAL_CHANGES:
            errors["new_value"] = [_("请填写变更后信息")]
        elif len(new_value) > 200:
            errors["new_value"] = [_("不能超过%(n)d个字") % {"n": 200}]
        else:
            if field == ChangeField.NATURE:
                new_value = _nature_code(new_value)
            problems: dict[str, list[str]] = {}
            value = clean_employer_value(field, new_value, problems, today)
            if problems:
                errors["new_value"] = [m for messages in problems.values() for m in messages]
            elif employer_display(field, value) == employer_display(field, getattr(employer, field)):
                errors["new_value"] = [_("变更后信息与变更前相同")]
        _check_day(errors, "effective_on", effective_on, today)
        _raise_if(errors, _("变更报告填写有误，请按提示修改"))
        report = EmployerReport.objects.create(
            kind=ReportKind.CHANGE, account=account, credit_code=account.credit_code, agreement=agreement,
            field=field, new_value=new_value, effective_on=effective_on, note=note.strip()[:200], submitted_at=now,
        )  # fmt: skip
        record(
            actor=user, action=SUBMITTED, subject=report, actor_name=account.name, agency_id=agreement.agency_id,
            after={"kind": report.kind, "field": field, "new_value": new_value, "effective_on": effective_on},
        )  # fmt: skip
    return report


# --- The clerk ---------------------------------------------------------------------------------


def _locked_report(actor: Any, report_id: int) -> EmployerReport:
    """Out of the clerk's scope looks like missing (404); in scope without a signing role is 403."""
    report = (
        EmployerReport.objects.select_for_update(of=("self",))
        .select_related("agreement__agency", "agreement__employer", "entry__dossier__person")
        .filter(pk=report_id)
        .first()
    )
    if report is None or not can_read(actor, report.agreement.agency):
        raise NotFound(_(NOT_FOUND_REPORT))
    if not can_sign(actor, report.agreement.agency):
        raise PermissionDenied(_("只有本机构的窗口经办或网办专员可以审核单位报告"))
    return report


def report_accept(*, actor: Any, report_id: int, today: datetime.date | None = None) -> EmployerReport:
    """Record what the employer reported, with the clerk as the actor. If the agreements service refuses
    (ValidationFailed, Conflict…), nothing is saved and the report stays pending."""
    with transaction.atomic():
        report = _locked_report(actor, report_id)
        if not REPORT.can(report.status, ReportStatus.ACCEPTED):
            raise Conflict(_("该报告已审核（%(s)s）") % {"s": report.get_status_display()}, code="invalid_transition")
        note = _("单位网上报告（%(at)s）") % {"at": timezone.localtime(report.submitted_at).strftime("%Y-%m-%d %H:%M")}
        if report.note:
            note = f"{note}：{report.note}"
        if report.kind == ReportKind.DEPARTURE:
            assert report.entry_id is not None
            assert report.left_on is not None
            personal = None
            if report.choice == ExitChoice.PERSONAL:
                personal = PersonalTerms(start_date=report.left_on, services=list(report.personal_services))
            roster_departure_report(
                actor=actor, entry_id=report.entry_id, left_on=report.left_on, choice=report.choice,
                personal=personal, transfer_to=report.transfer_to, note=note[:200], today=today,
            )  # fmt: skip
        else:
            assert report.effective_on is not None
            # The report date of R28 is the day the employer reported, not the day the clerk accepted.
            change = employer_change_record(
                actor=actor, employer_id=report.agreement.employer_id, field=report.field, after=report.new_value,
                effective_on=report.effective_on, reported_on=report.submitted_on, note=note[:200], today=today,
            )  # fmt: skip
            report.change_record = change
            report.save(update_fields=["change_record"])
        transition(report, ReportStatus.ACCEPTED, actor=actor, at=timezone.now())
        record(
            actor=actor, action=ACCEPTED, subject=report, dossier_id=report.entry.dossier_id if report.entry else None,
            before={"status": ReportStatus.SUBMITTED}, after={"status": report.status, "kind": report.kind},
        )  # fmt: skip
    return report


def report_reject(*, actor: Any, report_id: int, reason: str) -> EmployerReport:
    """Return the report to the employer; the reason is required and shown to the employer."""
    reason = (reason or "").strip()
    if not reason:
        message = _("请填写退回原因")
        raise ValidationFailed(message, fields={"reason": [message]})
    if len(reason) > 200:
        message = _("不能超过%(n)d个字") % {"n": 200}
        raise ValidationFailed(message, fields={"reason": [message]})
    with transaction.atomic():
        report = _locked_report(actor, report_id)
        transition(report, ReportStatus.REJECTED, actor=actor, at=timezone.now(), reason=reason)
        record(
            actor=actor, action=REJECTED, subject=report, dossier_id=report.entry.dossier_id if report.entry else None,
            before={"status": ReportStatus.SUBMITTED}, after={"status": report.status, "kind": report.kind},
            reason=reason,
        )  # fmt: skip
    return report
