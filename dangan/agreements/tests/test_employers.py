"""Employers: the registration form (R27), the change form (R28), deregistration and revocation (R22)."""

import datetime
from decimal import Decimal

import pytest

from dangan.agencies.models import Role
from dangan.agreements import services
from dangan.agreements.models import AgreementStatus, ChangeRecord, Employer, EndReason
from dangan.agreements.selectors import changes_overdue, dossiers_without_agreement, employers_dissolved_with_dossiers
from dangan.audit.models import AuditEvent
from dangan.core.errors import Conflict, PermissionDenied, ValidationFailed

from .conftest import TODAY


@pytest.mark.rule("R27")
def test_r27_registration_form_holds_every_field_and_gets_a_per_agency_number(clerk, employer_data, make_staff):
    data = employer_data(name="烟台海洋智能科技有限公司")
    employer = services.employer_register(actor=clerk, data=data, today=TODAY)
    assert employer.registration_no == "370602-2026-0001"
    assert employer.name == "烟台海洋智能科技有限公司"
    assert employer.nature == "1"
    assert employer.credit_code == data["credit_code"]
    assert employer.registered_capital == Decimal("500.5")
    assert (employer.legal_representative, employer.contact, employer.contact_post) == (
        "王建国",
        "李娜",
        "人力资源部经理",
    )
    assert (employer.postcode, employer.phone) == ("264000", "0535-6612345")
    assert employer.founded_on == datetime.date(2015, 5, 20)
    # the sequence is the agency's own, by year
    second = services.employer_register(actor=clerk, data=employer_data(), today=TODAY)
    assert second.registration_no == "370602-2026-0002"
    other = services.employer_register(
        actor=make_staff("370683", Role.ONLINE_OFFICER), data=employer_data(), today=TODAY
    )
    assert other.registration_no == "370683-2026-0001"
    assert AuditEvent.objects.filter(action="agreements.employer_registered").count() == 3


@pytest.mark.rule("R27")
def test_r27_every_bad_field_is_named_in_chinese_and_nothing_is_saved(clerk, employer_data):
    data = employer_data(
        credit_code="91370602MA3C12345X", nature="9", postcode="12", phone="123", legal_representative="",
        registered_capital="-1", county_code="370600", founded_on=datetime.date(2099, 1, 1),
    )  # fmt: skip
    with pytest.raises(ValidationFailed) as refused:
        services.employer_register(actor=clerk, data=data, today=TODAY)
    fields = refused.value.fields
    assert set(fields) >= {"credit_code", "nature", "postcode", "phone", "legal_representative",
                           "registered_capital", "county_code", "founded_on"}  # fmt: skip
    assert "统一社会信用代码" in fields["credit_code"][0]
    assert fields["legal_representative"] == ["此项为必填项"]
    assert not Employer.objects.exists()
    assert not AuditEvent.objects.exists()


def test_the_same_credit_code_is_registered_once_per_agency(clerk, employer_data):
    data = employer_data()
    services.employer_register(actor=clerk, data=data, today=TODAY)
    with pytest.raises(Conflict) as refused:
        services.employer_register(actor=clerk, data=data, today=TODAY)
    assert "370602-2026-0001" in refused.value.message


def test_a_functional_zone_must_lie_in_the_county(clerk, employer_data):
    with pytest.raises(ValidationFailed) as refused:
        services.employer_register(actor=clerk, data=employer_data(zone_agency="370671"), today=TODAY)
    assert "zone_agency" in refused.value.fields
    employer = services.employer_register(
        actor=clerk, data=employer_data(county_code="370613", zone_agency="370671"), today=TODAY
    )
    assert employer.zone_agency.code == "370671"


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.APPROVER, Role.ARCHIVE_KEEPER])
def test_only_clerks_and_online_officers_register(make_staff, employer_data, role):
    with pytest.raises(PermissionDenied):
        services.employer_register(actor=make_staff("370602", role), data=employer_data(), today=TODAY)
    assert not Employer.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.rule("R28")
def test_r28_a_change_is_one_line_with_before_after_and_dates_and_updates_the_employer(clerk, make_employer):
    employer = make_employer(name="烟台果业贸易有限公司")
    change = services.employer_change_record(
        actor=clerk, employer_id=employer.pk, field="name", after="烟台果业集团有限公司",
        effective_on=datetime.date(2026, 7, 1), reported_on=TODAY, today=TODAY,
    )  # fmt: skip
    employer.refresh_from_db()
    assert employer.name == "烟台果业集团有限公司"
    assert (change.before, change.after) == ("烟台果业贸易有限公司", "烟台果业集团有限公司")
    assert change.recorded_by == clerk
    assert not change.overdue
    event = AuditEvent.objects.get(action="agreements.employer_changed")
    assert event.before == {"name": "烟台果业贸易有限公司"}


@pytest.mark.rule("R28")
def test_r28_a_change_reported_more_than_a_month_late_is_flagged_and_listed(clerk, make_employer):
    employer = make_employer()
    # the legal representative changed on 1 May and is reported on 10 July: more than one month
    late = services.employer_change_record(
        actor=clerk, employer_id=employer.pk, field="legal_representative", after="张伟",
        effective_on=datetime.date(2026, 5, 1), reported_on=TODAY, today=TODAY,
    )  # fmt: skip
    on_time = services.employer_change_record(
        actor=clerk, employer_id=employer.pk, field="address", after="烟台市芝罘区北马路8号",
        effective_on=datetime.date(2026, 6, 10), reported_on=TODAY, today=TODAY,
    )  # fmt: skip
    assert late.overdue
    assert not on_time.overdue
    assert list(changes_overdue(clerk)) == [late]
    assert "一个月" in AuditEvent.objects.filter(action="agreements.employer_changed").first().reason


def test_change_checks_its_value_like_the_registration_form(clerk, make_employer):
    employer = make_employer()
    with pytest.raises(ValidationFailed) as refused:
        services.employer_change_record(
            actor=clerk, employer_id=employer.pk, field="postcode", after="12",
            effective_on=datetime.date(2026, 7, 20), today=TODAY,
        )  # fmt: skip
    assert set(refused.value.fields) == {"after", "effective_on", "reported_on"}
    assert not ChangeRecord.objects.exists()


@pytest.mark.rule("R22")
def test_r22_deregistration_ends_the_agreement_on_that_day(clerk, make_employer, sign, make_dossier):
    employer = make_employer()
    agreement = sign(employer, start=datetime.date(2025, 1, 1), years=3)
    entry = services.roster_join(
        actor=clerk, agreement_id=agreement.pk, dossier_id=make_dossier("370602").pk, today=TODAY
    )
    services.employer_dissolve(
        actor=clerk, employer_id=employer.pk, kind="deregistered", on=datetime.date(2026, 6, 30),
        note="市场监管局准予注销登记通知书", today=TODAY,
    )  # fmt: skip
    agreement.refresh_from_db()
    employer.refresh_from_db()
    assert employer.get_status_display() == "已注销"
    assert agreement.status == AgreementStatus.ENDED
    assert agreement.end_reason == EndReason.DEREGISTERED
    assert agreement.ended_on == agreement.end_date == datetime.date(2026, 6, 30)
    # the employees' dossiers are not yet settled: the employer is on the reminder list
    assert list(employers_dissolved_with_dossiers(clerk)) == [employer]
    assert entry.dossier in list(dossiers_without_agreement(employer.agency, TODAY))


@pytest.mark.rule("R22")
def test_r22_revocation_ends_it_too_and_a_dissolved_employer_signs_nothing(clerk, make_employer, sign):
    employer = make_employer()
    agreement = sign(employer)
    services.employer_dissolve(actor=clerk, employer_id=employer.pk, kind="revoked", on=TODAY, today=TODAY)
    agreement.refresh_from_db()
    assert agreement.end_reason == EndReason.REVOKED
    assert agreement.end_date == TODAY
    with pytest.raises(Conflict):
        sign(employer, start=TODAY)
    with pytest.raises(Conflict):
        services.employer_dissolve(actor=clerk, employer_id=employer.pk, kind="deregistered", on=TODAY, today=TODAY)
