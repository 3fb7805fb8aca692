"""Reads of employers and agreements, always scoped to what the user may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from dangan.agencies.models import Agency
from dangan.agencies.policies import staff_of
from dangan.agencies.selectors import readable_agency_ids
from dangan.agreements import jurisdiction, terms
from dangan.agreements.models import (
    AgreementStatus,
    ChangeRecord,
    Employer,
    EmployerAgreement,
    EmployerStatus,
    Notice,
    PersonalAgreement,
    RenewalStatus,
    RosterEntry,
    RosterStatus,
)
from dangan.agreements.policies import can_read, can_view_agreements
from dangan.core.codetables import region_name, table
from dangan.core.errors import NotFound
from dangan.core.validators import search_term
from dangan.dossiers import workflow as dossier_workflow
from dangan.dossiers.models import Dossier

OPEN_ROSTER = (RosterStatus.ACTIVE, RosterStatus.AWAITING_TRANSFER)


def _agency_ids(user: Any) -> Any:
    if not can_view_agreements(user):
        return Agency.objects.none().values_list("pk", flat=True)
    return readable_agency_ids(user)


def employers_visible_to(user: Any, query: str = "") -> QuerySet[Employer]:
    qs = Employer.objects.filter(agency_id__in=_agency_ids(user)).select_related("agency", "zone_agency")
    query = search_term(query)
    if query:
        qs = qs.filter(Q(name__contains=query) | Q(credit_code=query.upper()) | Q(registration_no=query))
    return qs.order_by("-registered_on", "-pk")


def employer_for(user: Any, employer_id: int) -> Employer:
    employer = Employer.objects.select_related("agency", "zone_agency").filter(pk=employer_id).first()
    if employer is None or not can_read(user, employer.agency):
        raise NotFound(_("单位不存在或无权查看"))
    return employer


def agreements_visible_to(user: Any, status: str = "") -> QuerySet[EmployerAgreement]:
    qs = EmployerAgreement.objects.filter(agency_id__in=_agency_ids(user)).select_related("agency", "employer")
    if status in AgreementStatus.values:
        qs = qs.filter(status=status)
    return qs.annotate(roster_count=Count("roster", filter=Q(roster__status__in=OPEN_ROSTER), distinct=True)).order_by(
        "-start_date", "-pk"
    )


def agreement_for(user: Any, agreement_id: int) -> EmployerAgreement:
    agreement = (
        EmployerAgreement.objects.select_related("agency", "employer", "signed_by__staff")
        .filter(pk=agreement_id)
        .first()
    )
    if agreement is None or not can_read(user, agreement.agency):
        raise NotFound(_("协议不存在或无权查看"))
    return agreement


def roster_of(agreement: EmployerAgreement) -> QuerySet[RosterEntry]:
    return agreement.roster.select_related("dossier__person", "personal_agreement").order_by("status", "pk")


def renewals_of(agreement: EmployerAgreement) -> QuerySet[Any]:
    return agreement.renewals.select_related("applied_by__staff", "decided_by__staff")


def entry_for(user: Any, entry_id: int) -> RosterEntry:
    entry = (
        RosterEntry.objects.select_related("agreement__agency", "agreement__employer", "dossier__person")
        .filter(pk=entry_id)
        .first()
    )
    if entry is None or not can_read(user, entry.agreement.agency):
        raise NotFound(_("名册记录不存在或无权查看"))
    return entry


def personal_agreements_visible_to(user: Any, status: str = "") -> QuerySet[PersonalAgreement]:
    qs = PersonalAgreement.objects.filter(agency_id__in=_agency_ids(user)).select_related("agency", "dossier__person")
    if status in AgreementStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("-start_date", "-pk")


def personal_agreement_for(user: Any, agreement_id: int) -> PersonalAgreement:
    agreement = (
        PersonalAgreement.objects.select_related("agency", "dossier__person", "signed_by__staff")
        .filter(pk=agreement_id)
        .first()
    )
    if agreement is None or not can_read(user, agreement.agency):
        raise NotFound(_("协议不存在或无权查看"))
    return agreement


def open_roster_entry(dossier: Dossier) -> RosterEntry | None:
    """The roster entry that keeps the dossier under a collective agreement: open, and its agreement still
    in force (an agreement that ended or expired closes its roster, R22, R25)."""
    return (
        RosterEntry.objects.select_related("agreement__employer")
        .filter(dossier=dossier, status__in=OPEN_ROSTER, agreement__status=AgreementStatus.IN_FORCE)
        .first()
    )


def _day(value: datetime.date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def personal_form_prefill(dossier: Dossier) -> dict[str, str]:
    """Annex 2's registration form filled from the person and the dossier's histories (R27)."""
    person = dossier.person
    education = person.education.order_by("-is_highest", "-graduated_on", "-pk").first()
    title = person.titles.order_by("-obtained_on", "-pk").first()
    job = person.employment.order_by("-started_on", "-pk").first()
    membership = person.memberships.filter(left_on__isnull=True).order_by("joined_on", "pk").first()
    political = table("political_status").by_code.get(person.political_status)
    return {
        "name": person.name,
        "sex": table("sex").label(person.sex),
        "native_place": person.native_place,
        "work_started_on": _day(person.work_started_on),
        "id_number": person.id_number,
        "political_status": (political.extra.get("short") or political.name) if political else "",
        "party_joined_on": _day(membership.joined_on) if membership else "",
        "education": table("education").label(education.education) if education else "",
        "professional_title": title.title if title else "",
        "school": education.school if education else "",
        "former_employer": job.employer_name if job else "",
        "home_address": person.home_address,
        "household_registration": region_name(person.household_region) if person.household_region else "",
        "phone": person.phone,
        "remarks": "",
    }


def dossiers_without_agreement(agency: Agency, on: datetime.date | None = None) -> QuerySet[Dossier]:
    """Dossiers the agency holds that no agreement in force covers: neither an open roster entry of a
    collective agreement in force nor a personal agreement in force."""
    on = on or timezone.localdate()
    collective = RosterEntry.objects.filter(
        dossier=OuterRef("pk"),
        status=RosterStatus.ACTIVE,
        agreement__status=AgreementStatus.IN_FORCE,
        agreement__end_date__gte=on,
    )
    personal = PersonalAgreement.objects.filter(dossier=OuterRef("pk"), status=AgreementStatus.IN_FORCE)
    return (
        Dossier.objects.filter(holding_agency=agency, status__in=dossier_workflow.IN_STOCK)
        .exclude(Exists(collective))
        .exclude(Exists(personal))
        .select_related("person")
        .order_by("number")
    )


def holding_options(
    *, situation: str, places: jurisdiction.Places, current_holder: Agency | None = None
) -> list[jurisdiction.Option]:
    """Who may hold an individual dossier and why (R3, R4): for the intake page and the API."""
    return jurisdiction.for_person(situation=situation, places=places, current_holder=current_holder)


def employer_options(employer: Employer) -> list[jurisdiction.Option]:
    return jurisdiction.for_employer(
        registration_level=employer.registration_level,
        county_code=employer.county_code,
        zone_agency=employer.zone_agency,
    )


def agreements_of_dossier(user: Any, dossier: Dossier) -> tuple[list[RosterEntry], list[PersonalAgreement]]:
    ids = _agency_ids(user)
    entries = list(
        RosterEntry.objects.filter(dossier=dossier, agreement__agency_id__in=ids)
        .select_related("agreement__employer")
        .order_by("-pk")
    )
    personal = list(PersonalAgreement.objects.filter(dossier=dossier, agency_id__in=ids).order_by("-pk"))
    return entries, personal


# --- Reminders (R25, R22) -----------------------------------------------------------------------


def _agreements_in(agency_ids: Any) -> QuerySet[EmployerAgreement]:
    return EmployerAgreement.objects.filter(agency_id__in=agency_ids, status=AgreementStatus.IN_FORCE).select_related(
        "agency", "employer"
    )


def expiring_in(agency_ids: Any, today: datetime.date) -> QuerySet[EmployerAgreement]:
    """In force and ending within a month: the renewal window is open (R22)."""
    return (
        _agreements_in(agency_ids)
        .filter(end_date__gte=today, end_date__lte=terms.add_months(today, 1))
        .annotate(pending=Count("renewals", filter=Q(renewals__status=RenewalStatus.PENDING), distinct=True))
        .order_by("end_date", "pk")
    )


def lapsed_in(agency_ids: Any, today: datetime.date) -> QuerySet[EmployerAgreement]:
    """Past their end date without renewal, not yet marked expired."""
    return _agreements_in(agency_ids).filter(end_date__lt=today).order_by("end_date", "pk")


def overdue_changes_in(agency_ids: Any) -> QuerySet[ChangeRecord]:
    return (
        ChangeRecord.objects.filter(employer__agency_id__in=agency_ids, overdue=True)
        .select_related("employer", "recorded_by__staff")
        .order_by("-reported_on", "-pk")
    )


def ended_with_open_roster_in(agency_ids: Any) -> QuerySet[EmployerAgreement]:
    """Agreements no longer in force whose roster still has open entries (kept before closing was built)."""
    return (
        EmployerAgreement.objects.filter(agency_id__in=agency_ids, roster__status__in=OPEN_ROSTER)
        .exclude(status=AgreementStatus.IN_FORCE)
        .distinct()
        .order_by("pk")
    )


def dissolved_with_dossiers_in(agency_ids: Any) -> QuerySet[Employer]:
    """Deregistered or revoked employers whose employees' dossiers are not yet settled (annex 1 §三7(2)):
    still held by the agency, in stock, and under no agreement in force (neither a personal agreement nor
    another employer's roster)."""
    personal = PersonalAgreement.objects.filter(dossier=OuterRef("dossier"), status=AgreementStatus.IN_FORCE)
    covered = RosterEntry.objects.filter(
        dossier=OuterRef("dossier"), status=RosterStatus.ACTIVE, agreement__status=AgreementStatus.IN_FORCE
    )
    unsettled = (
        RosterEntry.objects.filter(
            agreement__employer=OuterRef("pk"),
            status__in=(*OPEN_ROSTER, RosterStatus.AGREEMENT_ENDED),
            dossier__holding_agency=F("agreement__agency"),
            dossier__status__in=dossier_workflow.IN_STOCK,
        )
        .exclude(Exists(personal))
        .exclude(Exists(covered))
        .order_by()
        .values("agreement__employer")
        .annotate(n=Count("dossier", distinct=True))
        .values("n")
    )
    return (
        Employer.objects.filter(agency_id__in=agency_ids)
        .exclude(status=EmployerStatus.ACTIVE)
        .select_related("agency", "zone_agency")
        .annotate(open_dossiers=Coalesce(Subquery(unsettled, output_field=IntegerField()), Value(0)))
        .filter(open_dossiers__gt=0)
        .order_by("dissolved_on", "pk")
    )


def agreements_expiring(user: Any, today: datetime.date) -> QuerySet[EmployerAgreement]:
    return expiring_in(_agency_ids(user), today)


def changes_overdue(user: Any) -> QuerySet[ChangeRecord]:
    return overdue_changes_in(_agency_ids(user))


def employers_dissolved_with_dossiers(user: Any) -> QuerySet[Employer]:
    return dissolved_with_dossiers_in(_agency_ids(user))


def notices_published() -> QuerySet[Notice]:
    return Notice.objects.select_related("agency").order_by("-published_at", "-pk")


@dataclass
class Reminders:
    expiring: list[EmployerAgreement] = field(default_factory=list)
    lapsed: list[EmployerAgreement] = field(default_factory=list)
    overdue_changes: list[ChangeRecord] = field(default_factory=list)
    dissolved: list[Employer] = field(default_factory=list)
    uncovered: list[Dossier] = field(default_factory=list)
    uncovered_count: int = 0


def _reminders(agency_ids: Any, holder: Agency | None, today: datetime.date, limit: int) -> Reminders:
    found = Reminders(
        expiring=list(expiring_in(agency_ids, today)[:limit]),
        lapsed=list(lapsed_in(agency_ids, today)[:limit]),
        overdue_changes=list(overdue_changes_in(agency_ids)[:limit]),
        dissolved=list(dissolved_with_dossiers_in(agency_ids)[:limit]),
    )
    if holder is not None:
        uncovered = dossiers_without_agreement(holder, today)
        found.uncovered = list(uncovered[:limit])
        found.uncovered_count = uncovered.count()
    return found


def reminders_for(user: Any, today: datetime.date, *, limit: int = 200) -> Reminders:
    staff = staff_of(user)
    holder = staff.agency if staff is not None and can_view_agreements(user) else None
    return _reminders(_agency_ids(user), holder, today, limit)


def reminders_for_agency(agency: Agency, today: datetime.date, *, limit: int = 200) -> Reminders:
    """For the daily run, which acts for no user."""
    return _reminders([agency.pk], agency, today, limit)
