"""Sections of the portal home page about entrustment: a person's agreement, an employer's agreement and roster."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from dangan.agreements.models import AgreementStatus, EmployerAgreement, PersonalAgreement, RosterEntry, RosterStatus
from dangan.casework.models import ServiceRequest
from dangan.certificates.papers import verify_url
from dangan.certificates.selectors import portal_certificates
from dangan.portal.models import AccountKind, PortalAccount
from dangan.portal.selectors import my_reports, pending_departures, report_summary
from dangan.ratings.grades import Grade
from dangan.ratings.models import Rating


def agreement_section(account: PortalAccount) -> SafeString | None:
    context: dict[str, Any]
    if account.kind == AccountKind.PERSON:
        personal = (
            PersonalAgreement.objects.select_related("agency")
            .filter(dossier__person__id_number=account.id_number, status=AgreementStatus.IN_FORCE)
            .first()
        )
        roster = (
            RosterEntry.objects.select_related("agreement__employer")
            .filter(dossier__person__id_number=account.id_number, status=RosterStatus.ACTIVE)
            .first()
        )
        context = {"personal": personal, "roster": roster}
    else:
        agreements = list(
            EmployerAgreement.objects.select_related("agency")
            .filter(credit_code=account.credit_code, status=AgreementStatus.IN_FORCE)
            .order_by("-start_date")
        )
        employees = list(
            RosterEntry.objects.select_related("dossier__person")
            .filter(agreement__in=agreements, status=RosterStatus.ACTIVE)
            .order_by("dossier__person__name")[:200]
        )
        context = {"agreements": agreements, "employees": employees, "pending": pending_departures(account)}
    return mark_safe(render_to_string("portal/_agreement.html", {"account": account, **context}))  # noqa: S308


def reports_section(account: PortalAccount) -> SafeString | None:
    """An employer's reports of departures and changes, with their status and outcome."""
    if account.kind != AccountKind.EMPLOYER:
        return None
    reports = list(my_reports(account).select_related("reviewed_by__staff")[:50])
    rows = [{"r": r, "summary": report_summary(r)} for r in reports]
    return mark_safe(render_to_string("portal/_reports.html", {"rows": rows}))  # noqa: S308


def certificate_section(
    account: PortalAccount, request: ServiceRequest, http: HttpRequest | None = None
) -> SafeString | None:
    """Certificates issued for this request: download and verification links."""
    if request.service_type != "certificate":
        return None
    certificates = list(portal_certificates(user=account.user, id_number=account.id_number).filter(request=request))
    if not certificates:
        return None
    rows = [{"c": c, "verify": verify_url(c), "verdict": c.verdict(timezone.localdate())} for c in certificates]
    return mark_safe(render_to_string("portal/_certificates.html", {"rows": rows}))  # noqa: S308


def rating_section(
    account: PortalAccount, request: ServiceRequest, http: HttpRequest | None = None
) -> SafeString | None:
    """R32: one rating per matter online, asked once the matter is completed."""
    if request.completed_at is None or request.channel != "online":
        return None
    rating = Rating.objects.filter(request=request).first()
    return mark_safe(  # noqa: S308
        render_to_string("portal/_rating.html", {"r": request, "rating": rating, "grades": Grade.choices}, request=http)
    )
