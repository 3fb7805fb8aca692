from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from dangan.agencies.policies import has_role
from dangan.agencies.selectors import readable_agency_ids
from dangan.agreements.fields import employer_display
from dangan.agreements.models import (
    AgreementStatus,
    ChangeField,
    Employer,
    EmployerAgreement,
    RosterEntry,
    RosterStatus,
)
from dangan.agreements.policies import SIGN_ROLES, can_read
from dangan.casework.models import RequestStep, ServiceRequest
from dangan.dossiers.models import Dossier, Gap, GapStatus
from dangan.dossiers.workflow import IN_STOCK
from dangan.portal.models import AccountKind, EmployerReport, PortalAccount, ReportKind, ReportStatus


def my_dossier(account: PortalAccount) -> Dossier | None:
    if account.kind != AccountKind.PERSON or not account.id_number:
        return None
    return (
        Dossier.objects.select_related("holding_agency", "custodian", "person")
        .filter(person__id_number=account.id_number, status__in=IN_STOCK)
        .first()
    )


def my_gaps(account: PortalAccount) -> QuerySet[Gap]:
    return Gap.objects.filter(dossier__person__id_number=account.id_number, status=GapStatus.OPEN).order_by("deadline")


def my_requests(account: PortalAccount) -> QuerySet[ServiceRequest]:
    """Requests the account made, and (for a person) those made for their dossier by an employer or at a counter."""
    qs = ServiceRequest.objects.filter(submitted_by=account.user)
    if account.kind == AccountKind.PERSON and account.id_number:
        qs = ServiceRequest.objects.filter(submitted_by=account.user) | ServiceRequest.objects.filter(
            dossier__person__id_number=account.id_number, applicant_id_number=account.id_number
        )
    return qs.select_related("holding_agency").order_by("-submitted_at").distinct()


def my_request(account: PortalAccount, request_id: int) -> ServiceRequest | None:
    return my_requests(account).filter(pk=request_id).prefetch_related("steps").first()


@dataclass(frozen=True)
class Notification:
    """One message on the portal home page: a step on a request, or the outcome of an employer's report."""

    at: datetime.datetime
    text: str
    url: str = ""


def _step_text(step: RequestStep) -> str:
    where = f"（{step.agency.short_name}）" if step.agency else ""
    return f"{step.request.number} {step.label}{where}"


def _report_text(report: EmployerReport) -> str:
    what = report_summary(report)
    if report.status == ReportStatus.ACCEPTED:
        return _("%(what)s：存档机构已登记") % {"what": what}
    return _("%(what)s：已退回，原因：%(why)s") % {"what": what, "why": report.reject_reason}


def notifications(account: PortalAccount, limit: int = 20) -> list[Notification]:
    """Every step taken on the account's requests, and every decision on the employer's reports, is a
    notification; unread ones are newer than the last visit."""
    steps = (
        RequestStep.objects.filter(request__in=my_requests(account).values("pk"))
        .select_related("request", "agency")
        .order_by("-at")[:limit]
    )
    found = [Notification(s.at, _step_text(s), reverse("portal:request", args=[s.request_id])) for s in steps]
    decided = my_reports(account).exclude(status=ReportStatus.SUBMITTED).order_by("-reviewed_at")[:limit]
    found += [
        Notification(r.reviewed_at, _report_text(r), reverse("portal:home") + "#reports")
        for r in decided
        if r.reviewed_at
    ]
    return sorted(found, key=lambda n: n.at, reverse=True)[:limit]


# --- Employers' reports of departures and changes (annex 1 §三6, §三7) ----------------------------


def my_roster(account: PortalAccount) -> QuerySet[RosterEntry]:
    """The active roster of the employer's agreements in force: the only employees it may report for (R5)."""
    if account.kind != AccountKind.EMPLOYER or not account.credit_code:
        return RosterEntry.objects.none()
    return RosterEntry.objects.filter(
        agreement__credit_code=account.credit_code,
        agreement__status=AgreementStatus.IN_FORCE,
        status=RosterStatus.ACTIVE,
    ).select_related("dossier__person", "agreement__agency")


def my_roster_entry(account: PortalAccount, entry_id: int) -> RosterEntry | None:
    return my_roster(account).filter(pk=entry_id).first()


def my_reports(account: PortalAccount) -> QuerySet[EmployerReport]:
    """The employer's reports, whichever of its accounts made them (the employer is its credit code)."""
    if account.kind != AccountKind.EMPLOYER or not account.credit_code:
        return EmployerReport.objects.none()
    return EmployerReport.objects.filter(credit_code=account.credit_code).select_related(
        "entry__dossier__person", "agreement__agency"
    )


def pending_departures(account: PortalAccount) -> set[int]:
    """Roster entries with a departure report waiting for the agency."""
    return set(
        my_reports(account)
        .filter(kind=ReportKind.DEPARTURE, status=ReportStatus.SUBMITTED)
        .values_list("entry_id", flat=True)
    )


def report_summary(report: EmployerReport) -> str:
    if report.kind == ReportKind.DEPARTURE and report.entry is not None:
        return _("%(n)s离职报告") % {"n": report.entry.dossier.person.name}
    return _("单位信息变更报告（%(f)s）") % {"f": report.get_field_display()}


def can_review_reports(user: Any) -> bool:
    """Counter clerks and online officers, as for signing agreements (SIGN_ROLES)."""
    return has_role(user, *SIGN_ROLES)


def reports_for_staff(user: Any, status: str = ReportStatus.SUBMITTED) -> QuerySet[EmployerReport]:
    """Reports on agreements of the agencies the user may read, oldest pending first."""
    if not can_review_reports(user):
        return EmployerReport.objects.none()
    qs = EmployerReport.objects.filter(agreement__agency_id__in=readable_agency_ids(user)).select_related(
        "agreement__agency", "agreement__employer", "entry__dossier__person", "reviewed_by__staff"
    )
    if status in ReportStatus.values:
        qs = qs.filter(status=status)
    order = ("submitted_at", "pk") if status == ReportStatus.SUBMITTED else ("-submitted_at", "-pk")
    return qs.order_by(*order)


def report_for_staff(user: Any, report_id: int) -> EmployerReport | None:
    report = (
        EmployerReport.objects.select_related(
            "agreement__agency", "agreement__employer", "entry__dossier__person", "reviewed_by__staff", "account"
        )
        .filter(pk=report_id)
        .first()
    )
    if report is None or not can_review_reports(user) or not can_read(user, report.agreement.agency):
        return None
    return report


def my_employer(account: PortalAccount) -> Employer | None:
    """The employer's registration at the agency of its agreement in force (what a change report changes)."""
    if account.kind != AccountKind.EMPLOYER or not account.credit_code:
        return None
    agreement = (
        EmployerAgreement.objects.select_related("employer", "agency")
        .filter(credit_code=account.credit_code, status=AgreementStatus.IN_FORCE)
        .first()
    )
    return agreement.employer if agreement is not None else None


def employer_facts(employer: Employer) -> list[tuple[str, str]]:
    """The registered facts an employer may report changes of, as they stand."""
    return [(str(label), employer_display(code, getattr(employer, code))) for code, label in ChangeField.choices]
