"""Rosters, departures (R25), personal agreements (R5, R23, R26, R27) and dossiers left uncovered."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from dangan.agencies.models import Role
from dangan.agreements import services
from dangan.agreements.jurisdiction import Places
from dangan.agreements.models import AgreementStatus, EndReason, PersonalAgreement, RosterEntry, RosterStatus
from dangan.agreements.selectors import dossiers_without_agreement, personal_form_prefill
from dangan.audit.models import AuditEvent
from dangan.core.errors import Conflict, PermissionDenied, ValidationFailed
from dangan.dossiers.models import EducationRecord, EmploymentRecord, PartyMembership, TitleRecord

from .conftest import PERSONAL_SERVICES, TODAY


@pytest.fixture
def agreement(make_employer, sign):
    return sign(make_employer(), start=datetime.date(2025, 1, 1), years=3)


def _sign_personal(actor, dossier, **extra):
    values = {
        "dossier_id": dossier.pk, "start_date": TODAY, "services": PERSONAL_SERVICES, "situation": "flexible",
        "places": Places(household_region=dossier.person.household_region),
    }  # fmt: skip
    values.update(extra)
    return services.personal_agreement_sign(actor=actor, **values)


def test_joining_the_roster_puts_the_dossier_under_the_agreement(clerk, agreement, make_dossier):
    dossier = make_dossier("370602")
    assert dossier in dossiers_without_agreement(agreement.agency, TODAY)
    entry = services.roster_join(actor=clerk, agreement_id=agreement.pk, dossier_id=dossier.pk, today=TODAY)
    dossier.refresh_from_db()
    assert dossier.entrustment_type == "collective"
    assert entry.status == RosterStatus.ACTIVE
    assert dossier not in dossiers_without_agreement(agreement.agency, TODAY)
    assert AuditEvent.objects.filter(action="agreements.dossier_entrustment_changed", dossier_id=dossier.pk).exists()
    with pytest.raises(Conflict):
        services.roster_join(actor=clerk, agreement_id=agreement.pk, dossier_id=dossier.pk, today=TODAY)


def test_the_database_keeps_one_open_roster_entry_per_dossier(clerk, agreement, make_dossier):
    dossier = make_dossier("370602")
    services.roster_join(actor=clerk, agreement_id=agreement.pk, dossier_id=dossier.pk, today=TODAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        RosterEntry.objects.create(agreement=agreement, dossier=dossier, joined_on=TODAY, recorded_by=clerk)


def test_a_dossier_of_another_agency_cannot_join(clerk, agreement, make_dossier):
    from dangan.core.errors import NotFound

    with pytest.raises(NotFound):
        services.roster_join(actor=clerk, agreement_id=agreement.pk, dossier_id=make_dossier("370683").pk, today=TODAY)
    assert not RosterEntry.objects.exists()


@pytest.mark.rule("R25")
def test_r25_departure_requires_the_employees_choice(clerk, agreement, make_dossier):
    entry = services.roster_join(
        actor=clerk, agreement_id=agreement.pk, dossier_id=make_dossier("370602").pk, today=TODAY
    )
    with pytest.raises(ValidationFailed) as refused:
        services.roster_departure_report(actor=clerk, entry_id=entry.pk, left_on=TODAY, choice="", today=TODAY)
    assert "choice" in refused.value.fields
    entry.refresh_from_db()
    assert entry.status == RosterStatus.ACTIVE


@pytest.mark.rule("R25")
def test_r25_departure_to_a_personal_agreement_at_the_same_agency(clerk, agreement, make_dossier):
    dossier = make_dossier("370602", household_region="370683")
    entry = services.roster_join(actor=clerk, agreement_id=agreement.pk, dossier_id=dossier.pk, today=TODAY)
    services.roster_departure_report(
        actor=clerk, entry_id=entry.pk, left_on=TODAY, choice="personal",
        personal=services.PersonalTerms(start_date=TODAY, services=PERSONAL_SERVICES), today=TODAY,
    )  # fmt: skip
    entry.refresh_from_db()
    dossier.refresh_from_db()
    personal = entry.personal_agreement
    assert entry.status == RosterStatus.LEFT_PERSONAL
    assert personal.agency == agreement.agency
    assert personal.situation == "collective_departure"
    assert personal.form["name"] == dossier.person.name
    assert dossier.entrustment_type == "personal"
    assert dossier not in dossiers_without_agreement(agreement.agency, TODAY)


@pytest.mark.rule("R25")
def test_r25_departure_to_transfer_out_awaits_the_transfer_and_is_listed(clerk, agreement, make_dossier):
    dossier = make_dossier("370602")
    entry = services.roster_join(actor=clerk, agreement_id=agreement.pk, dossier_id=dossier.pk, today=TODAY)
    services.roster_departure_report(
        actor=clerk, entry_id=entry.pk, left_on=TODAY, choice="transfer", transfer_to="青岛市人才服务中心", today=TODAY
    )
    entry.refresh_from_db()
    assert entry.status == RosterStatus.AWAITING_TRANSFER
    assert entry.transfer_to == "青岛市人才服务中心"
    assert dossier in dossiers_without_agreement(agreement.agency, TODAY)


@pytest.mark.rule("R5")
def test_r5_personal_agreement_for_a_flexible_worker_with_household_in_the_district(clerk, make_dossier):
    dossier = make_dossier("370602", household_region="370602")
    agreement = _sign_personal(clerk, dossier)
    dossier.refresh_from_db()
    assert agreement.status == AgreementStatus.IN_FORCE
    assert agreement.services == PERSONAL_SERVICES
    assert dossier.entrustment_type == "personal"
    with pytest.raises(Conflict):
        _sign_personal(clerk, dossier)


@pytest.mark.rule("R3")
def test_r3_a_personal_agreement_at_an_agency_the_rules_do_not_name_is_refused(clerk, make_dossier):
    dossier = make_dossier("370602", household_region="370683")
    with pytest.raises(ValidationFailed) as refused:
        _sign_personal(clerk, dossier, situation="public_staff_left", places=Places(household_region="370683"))
    assert "莱州市公共就业和人才服务中心" in refused.value.message
    assert "R3" in refused.value.message
    assert "situation" in refused.value.fields
    assert not PersonalAgreement.objects.exists()
    assert not AuditEvent.objects.exists()
    # by the former employer's location it is allowed
    ok = _sign_personal(
        clerk, dossier, situation="public_staff_left",
        places=Places(household_region="370683", former_employer_region="370602"),
    )  # fmt: skip
    assert ok.places == {"household_region": "370683", "former_employer_region": "370602"}


@pytest.mark.rule("R23")
def test_r23_a_personal_agreement_with_no_service_is_refused(clerk, make_dossier):
    with pytest.raises(ValidationFailed) as refused:
        _sign_personal(clerk, make_dossier("370602", household_region="370602"), services=[])
    assert "R23" in refused.value.fields["services"][0]
    assert "7" in refused.value.fields["services"][0]


@pytest.mark.rule("R27")
def test_r27_personal_form_prefilled_from_person_and_histories_and_kept_as_signed(clerk, make_dossier):
    dossier = make_dossier(
        "370602", household_region="370602", native_place="山东莱阳", political_status="01",
        work_started_on=datetime.date(2018, 7, 1), home_address="烟台市芝罘区幸福路1号",
    )  # fmt: skip
    person = dossier.person
    EducationRecord.objects.create(person=person, education="21", school="烟台大学", is_highest=True)
    EmploymentRecord.objects.create(person=person, employer_name="烟台港航物流有限公司")
    TitleRecord.objects.create(person=person, title="工程师", level="intermediate")
    PartyMembership.objects.create(person=person, organisation="party", joined_on=datetime.date(2016, 6, 1))
    form = personal_form_prefill(dossier)
    assert form["native_place"] == "山东莱阳"
    assert form["political_status"] == "中共党员"
    assert form["party_joined_on"] == "2016年6月1日"
    assert form["education"] == "大学本科毕业"
    assert (form["school"], form["former_employer"], form["professional_title"]) == (
        "烟台大学",
        "烟台港航物流有限公司",
        "工程师",
    )
    assert form["household_registration"] == "山东省烟台市芝罘区"
    agreement = _sign_personal(clerk, dossier, form={**form, "remarks": "本人申请"})
    person.name = "改名后"
    person.save(update_fields=["name"])
    agreement.refresh_from_db()
    assert agreement.form["name"] == form["name"]
    assert agreement.form["remarks"] == "本人申请"


def test_personal_form_must_match_the_dossier(clerk, make_dossier):
    dossier = make_dossier("370602", household_region="370602")
    form = {**personal_form_prefill(dossier), "name": "别人", "phone": "123"}
    with pytest.raises(ValidationFailed) as refused:
        _sign_personal(clerk, dossier, form=form)
    assert set(refused.value.fields) == {"form.name", "form.phone"}


@pytest.mark.rule("R26")
def test_r26_a_transfer_out_ends_the_personal_agreement_that_day(clerk, make_dossier):
    dossier = make_dossier("370602", household_region="370602")
    agreement = _sign_personal(clerk, dossier)
    # as the transfers app does, inside its own transaction
    with transaction.atomic():
        ended = services.personal_agreement_end_on_transfer(actor=clerk, dossier=dossier, on=TODAY)
    agreement.refresh_from_db()
    assert ended == agreement
    assert (agreement.status, agreement.end_reason, agreement.ended_on) == ("ended", EndReason.TRANSFERRED_OUT, TODAY)
    assert AuditEvent.objects.filter(action="agreements.personal_ended", dossier_id=dossier.pk).count() == 1
    # nothing left to end
    assert services.personal_agreement_end_on_transfer(actor=clerk, dossier=dossier, on=TODAY) is None


@pytest.mark.rule("R26")
def test_r26_a_transfer_out_closes_a_roster_entry_awaiting_it(clerk, agreement, make_dossier, make_staff):
    dossier = make_dossier("370602")
    entry = services.roster_join(actor=clerk, agreement_id=agreement.pk, dossier_id=dossier.pk, today=TODAY)
    services.roster_departure_report(actor=clerk, entry_id=entry.pk, left_on=TODAY, choice="transfer", today=TODAY)
    with pytest.raises(PermissionDenied):
        services.personal_agreement_end_on_transfer(
            actor=make_staff("370683", Role.COUNTER_CLERK), dossier=dossier, on=TODAY
        )
    services.personal_agreement_end_on_transfer(actor=clerk, dossier=dossier, on=TODAY)
    entry.refresh_from_db()
    assert entry.status == RosterStatus.TRANSFERRED_OUT


@pytest.mark.rule("R26")
def test_r26_breach_ends_a_personal_agreement_and_the_dossier_stays_held(clerk, approver, make_dossier):
    dossier = make_dossier("370602", household_region="370602")
    agreement = _sign_personal(clerk, dossier)
    with pytest.raises(PermissionDenied):
        services.personal_agreement_end_for_breach(
            actor=clerk, agreement_id=agreement.pk, on=TODAY, reason="x", today=TODAY
        )
    services.personal_agreement_end_for_breach(
        actor=approver, agreement_id=agreement.pk, on=TODAY, reason="提供虚假学历信息", today=TODAY
    )
    agreement.refresh_from_db()
    assert agreement.end_reason == EndReason.BREACH
    assert dossier in dossiers_without_agreement(dossier.holding_agency, TODAY)


def test_a_personal_dossier_joining_a_roster_ends_its_personal_agreement(clerk, agreement, make_dossier):
    dossier = make_dossier("370602", household_region="370602")
    personal = _sign_personal(clerk, dossier, start_date=datetime.date(2025, 6, 1))
    services.roster_join(actor=clerk, agreement_id=agreement.pk, dossier_id=dossier.pk, today=TODAY)
    personal.refresh_from_db()
    assert personal.end_reason == EndReason.COLLECTIVE
    with pytest.raises(Conflict):
        _sign_personal(clerk, dossier)
