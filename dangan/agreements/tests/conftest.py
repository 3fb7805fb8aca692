"""Agreement fixtures: staff of the districts, employers registered and agreements signed through services."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from dangan.agencies.models import Role
from dangan.agreements import services
from dangan.agreements.models import Employer, EmployerAgreement

TODAY = datetime.date(2026, 7, 10)
ALL_EMPLOYER_SERVICES = [
    "procedures",
    "custody_certificates",
    "political_review",
    "consultation_loan",
    "party_transfer",
]
PERSONAL_SERVICES = ["receive_transfer", "arrange_keep", "certificates"]


@pytest.fixture
def clerk(make_staff: Callable[..., Any]) -> Any:
    return make_staff("370602", Role.COUNTER_CLERK)


@pytest.fixture
def approver(make_staff: Callable[..., Any]) -> Any:
    return make_staff("370602", Role.APPROVER)


@pytest.fixture
def employer_data(synth: Any) -> Callable[..., dict[str, Any]]:
    """The registration form of a company in 芝罘区 registered with the city market regulator."""

    def build(**overrides: Any) -> dict[str, Any]:
        synthetic = synth.employer()
        data = {
            "name": synthetic.name, "nature": "1", "credit_code": synthetic.credit_code,
            "legal_representative": "王建国", "founded_on": datetime.date(2015, 5, 20),
            "registered_capital": "500.5", "address": "烟台市芝罘区南大街100号", "postcode": "264000",
            "phone": "0535-6612345", "contact": "李娜", "contact_post": "人力资源部经理", "remarks": "",
            "registration_level": "city", "registration_authority": "market_regulation", "county_code": "370602",
            # a company: the synthetic association's 不适用 would contradict nature 1
            "industry": synthetic.industry, "size": synthetic.size if synthetic.nature == "1" else "3",
        }  # fmt: skip
        data.update(overrides)
        return data

    return build


@pytest.fixture
def make_employer(
    make_staff: Callable[..., Any], employer_data: Callable[..., dict[str, Any]]
) -> Callable[..., Employer]:
    actors: dict[str, Any] = {}

    def make(agency_code: str = "370602", **overrides: Any) -> Employer:
        actor = actors.setdefault(agency_code, make_staff(agency_code, Role.COUNTER_CLERK))
        return services.employer_register(actor=actor, data=employer_data(**overrides), today=TODAY)

    return make


@pytest.fixture
def sign(make_staff: Callable[..., Any]) -> Callable[..., EmployerAgreement]:
    actors: dict[int, Any] = {}

    def do(
        employer: Employer, *, start: datetime.date = datetime.date(2026, 1, 1), years: int = 3, **extra: Any
    ) -> EmployerAgreement:
        actor = extra.pop("actor", None) or actors.setdefault(
            employer.agency_id, make_staff(employer.agency.code, Role.COUNTER_CLERK)
        )
        values: dict[str, Any] = {
            "employer_id": employer.pk, "term_years": years, "start_date": start,
            "services": ALL_EMPLOYER_SERVICES, "hr_contact_name": "李娜", "hr_contact_post": "人事专员",
            "hr_contact_phone": "13905351234", "today": TODAY,
        }  # fmt: skip
        values.update(extra)
        return services.employer_agreement_sign(actor=actor, **values)

    return do


@pytest.fixture
def world(make_staff: Callable[..., Any], employer_data: Callable[..., dict[str, Any]], make_dossier: Any) -> Any:
    """Today's state of 芝罘区: an employer whose agreement is in its last month (a renewal pending), one
    employee on its roster, a personal agreement, and users of every kind."""
    from types import SimpleNamespace

    from django.utils import timezone

    from dangan.agreements.jurisdiction import Places
    from dangan.agreements.terms import add_years

    today = timezone.localdate()
    clerk = make_staff("370602", Role.COUNTER_CLERK)
    employer = services.employer_register(actor=clerk, data=employer_data(name="烟台港航信息技术有限公司"), today=today)
    agreement = services.employer_agreement_sign(
        actor=clerk, employer_id=employer.pk, term_years=3, start_date=add_years(today, -3) + datetime.timedelta(days=20),
        services=ALL_EMPLOYER_SERVICES, hr_contact_name="李娜", hr_contact_post="人事专员",
        hr_contact_phone="13905351234", today=today,
    )  # fmt: skip
    employee = make_dossier("370602")
    entry = services.roster_join(actor=clerk, agreement_id=agreement.pk, dossier_id=employee.pk, today=today)
    renewal = services.employer_agreement_renewal_apply(actor=clerk, agreement_id=agreement.pk, years=3, today=today)
    individual = make_dossier("370602", household_region="370602")
    personal = services.personal_agreement_sign(
        actor=clerk, dossier_id=individual.pk, start_date=today, services=PERSONAL_SERVICES, situation="flexible",
        places=Places(household_region="370602"),
    )  # fmt: skip
    return SimpleNamespace(
        today=today, employer=employer, agreement=agreement, entry=entry, renewal=renewal, personal=personal,
        employee=employee, individual=individual, uncovered=make_dossier("370602"),
        users={
            "clerk": clerk,
            "approver": make_staff("370602", Role.APPROVER),
            "supervisor": make_staff("370602", Role.SUPERVISOR),
            "no_role": make_staff("370602"),
            "other_clerk": make_staff("370683", Role.COUNTER_CLERK),
            "other_approver": make_staff("370683", Role.APPROVER),
        },
    )  # fmt: skip
