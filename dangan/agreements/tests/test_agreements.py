"""Employer agreements: R2 at signing, R22 terms, renewal and ending, R23 services, R24 one agency only."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from dangan.agencies.models import Role
from dangan.agreements import services
from dangan.agreements.models import AgreementStatus, EmployerAgreement, EndReason, Renewal, RenewalStatus
from dangan.audit.models import AuditEvent
from dangan.core.errors import Conflict, PermissionDenied, ValidationFailed

from .conftest import TODAY


@pytest.mark.rule("R22")
def test_r22_a_fixed_term_of_whole_years_between_two_dates(make_employer, sign):
    agreement = sign(make_employer(), start=datetime.date(2026, 3, 15), years=3)
    assert (agreement.start_date, agreement.end_date) == (datetime.date(2026, 3, 15), datetime.date(2029, 3, 14))
    leap = sign(make_employer(), start=datetime.date(2024, 2, 29), years=1)
    assert leap.end_date == datetime.date(2025, 2, 28)


@pytest.mark.rule("R2")
def test_r2_city_registered_company_in_zhifu_signs_with_the_city_center_or_zhifu(make_employer, sign, employer_data):
    data = employer_data()
    # at its choice: 芝罘区, where it sits …
    at_district = sign(make_employer("370602", credit_code=data["credit_code"]))
    assert at_district.agency.code == "370602"
    # … or the city center (after moving its entrustment there)
    at_city = sign(make_employer("370600", credit_code=data["credit_code"]), start=TODAY, moving=True)
    assert at_city.agency.code == "370600"


@pytest.mark.rule("R2")
def test_r2_signing_at_an_agency_that_may_not_serve_is_refused_with_reasons(make_employer, sign, employer_data):
    laizhou = make_employer("370683")  # sits in 芝罘区, registered with the city
    with pytest.raises(ValidationFailed) as refused:
        sign(laizhou)
    assert "R2" in refused.value.message
    assert "烟台市芝罘区公共就业和人才服务中心" in refused.value.message
    assert not EmployerAgreement.objects.exists()
    city = sign(make_employer("370600"))
    assert city.agency.code == "370600"
    district_registered = make_employer("370600", registration_level="district")
    with pytest.raises(ValidationFailed):
        sign(district_registered)


@pytest.mark.rule("R23")
def test_r23_an_agreement_with_no_service_is_refused(make_employer, sign):
    with pytest.raises(ValidationFailed) as refused:
        sign(make_employer(), services=[])
    assert "R23" in refused.value.message or "R23" in refused.value.fields["services"][0]
    with pytest.raises(ValidationFailed) as unknown:
        sign(make_employer(), services=["certificates"])  # a personal service, not one of annex 1's five
    assert "services" in unknown.value.fields
    assert not EmployerAgreement.objects.exists()
    assert not AuditEvent.objects.filter(action="agreements.agreement_signed").exists()


@pytest.mark.rule("R23")
def test_r23_services_are_stored_as_codes_in_the_annex_order(make_employer, sign):
    agreement = sign(make_employer(), services=["party_transfer", "procedures", "party_transfer"])
    assert agreement.services == ["procedures", "party_transfer"]


@pytest.mark.rule("R24")
def test_r24_a_second_collective_agreement_is_refused_by_the_service(make_employer, sign, employer_data):
    data = employer_data()
    at_district = make_employer("370602", credit_code=data["credit_code"])
    sign(at_district)
    # the same employer again at the same agency
    with pytest.raises(Conflict) as same:
        sign(at_district, start=TODAY)
    assert "R24" in same.value.message
    # and at the city center, which could otherwise serve it (R2)
    at_city = make_employer("370600", credit_code=data["credit_code"])
    with pytest.raises(Conflict) as other:
        sign(at_city, start=TODAY)
    assert "烟台市芝罘区公共就业和人才服务中心" in other.value.message
    assert "R24" in other.value.message
    assert EmployerAgreement.objects.count() == 1


@pytest.mark.rule("R24")
def test_r24_the_database_refuses_a_second_agreement_in_force(make_employer, sign, employer_data, clerk):
    data = employer_data()
    first = sign(make_employer("370602", credit_code=data["credit_code"]))
    at_city = make_employer("370600", credit_code=data["credit_code"])
    with pytest.raises(IntegrityError), transaction.atomic():
        EmployerAgreement.objects.create(
            agency=at_city.agency, employer=at_city, credit_code=at_city.credit_code, term_years=1,
            start_date=TODAY, end_date=TODAY, services=["procedures"], hr_contact_name="甲", hr_contact_post="乙",
            hr_contact_phone="13905351234", signed_by=clerk, signed_at=first.signed_at,
        )  # fmt: skip
    assert EmployerAgreement.objects.count() == 1


@pytest.mark.rule("R22")
def test_r22_moving_the_entrustment_ends_the_old_agreement_by_itself(make_employer, sign, employer_data):
    data = employer_data()
    old = sign(make_employer("370602", credit_code=data["credit_code"]), start=datetime.date(2025, 1, 1))
    new = sign(
        make_employer("370600", credit_code=data["credit_code"]), start=TODAY, moving=True, moving_note="单位申请"
    )
    old.refresh_from_db()
    assert old.status == AgreementStatus.ENDED
    assert old.end_reason == EndReason.MOVED
    assert old.end_date == TODAY - datetime.timedelta(days=1)
    assert new.status == AgreementStatus.IN_FORCE


@pytest.mark.rule("R22")
def test_r22_renewal_refused_two_months_before_expiry_and_accepted_in_the_last_month(
    make_employer, sign, clerk, approver
):
    agreement = sign(make_employer(), start=datetime.date(2024, 1, 1), years=3)  # ends 2026-12-31
    with pytest.raises(ValidationFailed) as early:
        services.employer_agreement_renewal_apply(
            actor=clerk, agreement_id=agreement.pk, years=3, today=datetime.date(2026, 10, 31)
        )
    assert "R22" in early.value.message
    assert "附件1 一" in early.value.message
    assert "2026-11-30至2026-12-31" in early.value.message
    assert not Renewal.objects.exists()
    renewal = services.employer_agreement_renewal_apply(
        actor=clerk, agreement_id=agreement.pk, years=3, today=datetime.date(2026, 12, 1)
    )
    services.employer_agreement_renewal_decide(actor=approver, renewal_id=renewal.pk, approve=True)
    agreement.refresh_from_db()
    renewal.refresh_from_db()
    assert renewal.status == RenewalStatus.APPROVED
    assert agreement.end_date == renewal.new_end_date == datetime.date(2029, 12, 31)
    assert agreement.term_years == 6


@pytest.mark.rule("R22")
def test_r22_renewal_window_includes_the_last_day_but_not_the_day_after(make_employer, sign, clerk):
    agreement = sign(make_employer(), start=datetime.date(2024, 1, 1), years=3)
    with pytest.raises(ValidationFailed):
        services.employer_agreement_renewal_apply(
            actor=clerk, agreement_id=agreement.pk, years=1, today=datetime.date(2027, 1, 1)
        )
    assert services.employer_agreement_renewal_apply(
        actor=clerk, agreement_id=agreement.pk, years=1, today=datetime.date(2026, 12, 31)
    )


def test_renewal_is_decided_by_another_person_with_the_approver_role(make_employer, sign, make_staff):
    both = make_staff("370602", Role.COUNTER_CLERK, Role.APPROVER)
    agreement = sign(make_employer(), start=datetime.date(2024, 1, 1), years=3)
    renewal = services.employer_agreement_renewal_apply(
        actor=both, agreement_id=agreement.pk, years=1, today=datetime.date(2026, 12, 15)
    )
    with pytest.raises(PermissionDenied):
        services.employer_agreement_renewal_decide(actor=both, renewal_id=renewal.pk, approve=True)
    with pytest.raises(PermissionDenied):
        services.employer_agreement_renewal_decide(
            actor=make_staff("370602", Role.COUNTER_CLERK), renewal_id=renewal.pk, approve=True
        )
    other_approver = make_staff("370602", Role.APPROVER)
    with pytest.raises(ValidationFailed):
        services.employer_agreement_renewal_decide(actor=other_approver, renewal_id=renewal.pk, approve=False)
    services.employer_agreement_renewal_decide(
        actor=other_approver, renewal_id=renewal.pk, approve=False, note="单位未按期补充员工材料"
    )
    agreement.refresh_from_db()
    assert agreement.end_date == datetime.date(2026, 12, 31)


@pytest.mark.rule("R22")
def test_r22_the_agency_ends_an_agreement_for_breach_with_the_reason(make_employer, sign, clerk, approver):
    agreement = sign(make_employer())
    with pytest.raises(PermissionDenied):
        services.employer_agreement_end_for_breach(
            actor=clerk, agreement_id=agreement.pk, on=TODAY, reason="多次提供虚假信息", today=TODAY
        )
    assert not AuditEvent.objects.filter(action="agreements.agreement_ended").exists()
    services.employer_agreement_end_for_breach(
        actor=approver, agreement_id=agreement.pk, on=TODAY, reason="多次提供虚假信息", today=TODAY
    )
    agreement.refresh_from_db()
    assert (agreement.status, agreement.end_reason, agreement.end_note) == ("ended", "breach", "多次提供虚假信息")
    with pytest.raises(Conflict):
        services.employer_agreement_end_for_breach(
            actor=approver, agreement_id=agreement.pk, on=TODAY, reason="再次", today=TODAY
        )


def test_an_unrenewed_agreement_expires_and_the_employer_may_sign_again(make_employer, sign, clerk):
    employer = make_employer()
    agreement = sign(employer, start=datetime.date(2023, 1, 1), years=3)  # ended 2025-12-31
    assert services.employer_agreement_expire(actor=None, agreement_id=agreement.pk, today=TODAY)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.EXPIRED
    again = sign(employer, start=TODAY)
    assert again.status == AgreementStatus.IN_FORCE


def test_other_agencies_staff_see_nothing(make_employer, sign, make_staff):
    from dangan.core.errors import NotFound

    agreement = sign(make_employer())
    with pytest.raises(NotFound):
        services.employer_agreement_renewal_apply(
            actor=make_staff("370683", Role.COUNTER_CLERK), agreement_id=agreement.pk, years=1, today=TODAY
        )
    with pytest.raises(PermissionDenied):
        services.employer_agreement_renewal_apply(
            actor=make_staff("370602", Role.SUPERVISOR), agreement_id=agreement.pk, years=1, today=TODAY
        )
