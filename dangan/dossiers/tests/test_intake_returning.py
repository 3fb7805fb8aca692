"""Intake of a person who already has a dossier: R1, R7, R18, R19 — each test names its rule and clause.

R7: "a dossier that meets the conditions, or is transferred under policy, may not be refused": a dossier that
left the platform and comes back is taken back into stock. R1: "one dossier is held by exactly one agency at a
time": the same dossier row comes back, and a dossier held elsewhere is refused, the refusal recorded.
"""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse

from dangan.agencies.models import Role
from dangan.analytics import aggregates, stock
from dangan.analytics.management.commands.analytics_rebuild import check as counters_check
from dangan.analytics.scope import scope_for
from dangan.audit.models import AuditEvent
from dangan.core.errors import Conflict
from dangan.dossiers import workflow
from dangan.dossiers.models import Dossier, DossierStatus, EducationRecord, Intake, IntakeRefusal
from dangan.dossiers.services import dossier_receive, dossier_transition

TODAY = datetime.date(2026, 7, 10)
BACK_ON = datetime.date(2026, 7, 8)


@pytest.fixture
def zhifu(make_staff):
    return make_staff("370602", Role.COUNTER_CLERK)


@pytest.fixture
def laizhou(make_staff):
    return make_staff("370683", Role.COUNTER_CLERK)


def _move(actor, dossier, *steps):
    """Drive a dossier through the workflow's own transitions (what the transfer services call)."""
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        for to, process in steps:
            dossier_transition(actor=actor, dossier=locked, to=to, process=process)
    dossier.refresh_from_db()
    return dossier


def _transferred_out(actor, dossier):
    return _move(
        actor,
        dossier,
        (DossierStatus.IN_TRANSFER, "transfer"),
        (DossierStatus.TRANSFERRED_OUT, "transfer_slip"),
    )


def _coming_back(intake_input, first_data):
    """The same person's dossier, sent back from outside the platform by the agency that kept it."""
    return intake_input(
        person=dict(first_data.person),
        source_kind="agency",
        source_name="北京市海淀区人才服务中心",
        delivery="registered_post",
        received_on=BACK_ON,
        education=dict(first_data.education),
    )


@pytest.mark.rule("R7")
@pytest.mark.rule("R1")
def test_r7_dossier_transferred_out_of_the_platform_comes_back_into_stock_as_the_same_dossier(
    zhifu, laizhou, make_staff, intake_input, agencies
):
    """R7 "transferred under policy, may not be refused", through the real transfer out to another province;
    R1 "exactly one agency at a time": the same dossier row, now held by the receiving agency."""
    from dangan.transfers.services import (
        transfer_apply,
        transfer_approve,
        transfer_dispatch,
        transfer_register_slip,
    )

    first_data = intake_input()
    dossier = dossier_receive(actor=zhifu, data=first_data, today=TODAY).dossier
    old_number, old_barcode = dossier.number, dossier.barcode
    keeper = make_staff("370602", Role.ARCHIVE_KEEPER)
    transfer = transfer_apply(
        actor=zhifu, person_id_number=dossier.person.id_number, requester_kind="person",
        applicant_name=dossier.person.name, to_agency=None, to_name="北京市海淀区人才服务中心",
        to_address="北京市海淀区", reason="赴京工作", documents=["id_card", "request_letter"],
    )  # fmt: skip
    transfer_approve(actor=make_staff("370602", Role.APPROVER), transfer_id=transfer.pk)
    transfer_dispatch(actor=keeper, transfer_id=transfer.pk, way="confidential_courier", tracking_no="JY1",
                      dispatched_on=datetime.date.today(), items=30)  # fmt: skip
    transfer_register_slip(
        actor=keeper, transfer_id=transfer.pk, returned_on=datetime.date.today(), signed_by="海淀区人才服务中心"
    )
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.TRANSFERRED_OUT

    intake = dossier_receive(actor=laizhou, data=_coming_back(intake_input, first_data), today=TODAY)

    back = Dossier.objects.select_related("holding_agency", "custodian").get(pk=dossier.pk)
    assert intake.dossier_id == dossier.pk  # the same dossier (R1: one per person)
    assert Dossier.objects.filter(person__id_number=first_data.person["id_number"]).count() == 1
    assert back.status == DossierStatus.IN_CUSTODY
    assert back.holding_agency.code == "370683"
    assert back.custodian_id == (agencies["370683"].default_custodian_id or agencies["370683"].pk)
    assert back.received_on == BACK_ON
    assert back.number.startswith("0683")
    assert back.number != old_number
    assert back.barcode == f"DA370683{back.number}"
    assert back.barcode != old_barcode
    assert (back.source_kind, back.source_name) == ("agency", "北京市海淀区人才服务中心")
    assert Intake.objects.filter(dossier=back).count() == 2
    assert intake.agency.code == "370683"
    assert intake.delivery == "registered_post"
    assert not IntakeRefusal.objects.exists()
    # The move went through the workflow and is in the audit log, with the holder change and the receipt.
    moved = AuditEvent.objects.get(action="dossier.status_changed", dossier_id=back.pk, after__process="return_intake")
    assert moved.before == {"status": "transferred_out"}
    assert moved.after["status"] == "in_custody"
    holder = AuditEvent.objects.get(action="dossier.holder_changed", dossier_id=back.pk, after__process="return_intake")
    assert holder.before["holding_agency"] == "370602"
    assert holder.after["holding_agency"] == "370683"
    received = AuditEvent.objects.filter(action="dossier.received", dossier_id=back.pk).order_by("seq").last()
    assert received.after["returning"] is True
    assert received.after["previous_holder"] == "烟台市芝罘区公共就业和人才服务中心"
    # The highest education is not registered a second time.
    assert EducationRecord.objects.filter(person=back.person, is_highest=True).count() == 1
    # Dashboard counters (R38) agree with plain counts; each agency's held count follows the holder.
    assert counters_check(datetime.date.today()) == []
    for code, expected in (("370683", 1), ("370602", 0)):
        held = dict(stock.count(scope_for(make_staff(code, Role.SUPERVISOR)), datetime.date.today()).rows)
        assert held["在库档案"] == expected
        assert (
            aggregates.dossiers_held([agencies[code].pk]) == Dossier.objects.filter(holding_agency__code=code).count()
        )


@pytest.mark.rule("R7")
def test_r7_dossier_transferred_out_can_come_back_to_the_agency_it_left(zhifu, intake_input):
    """R7 "may not be refused": also at the agency that sent it out; it gets a fresh number there."""
    first_data = intake_input()
    dossier = _transferred_out(zhifu, dossier_receive(actor=zhifu, data=first_data, today=TODAY).dossier)
    old_number = dossier.number

    back = dossier_receive(actor=zhifu, data=_coming_back(intake_input, first_data), today=TODAY).dossier

    assert back.pk == dossier.pk
    assert back.status == DossierStatus.IN_CUSTODY
    assert back.holding_agency.code == "370602"
    assert back.number != old_number
    assert Dossier.objects.count() == 1


@pytest.mark.rule("R7")
@pytest.mark.rule("R17")
def test_r7_returning_person_keeps_the_record_and_changes_are_audited(zhifu, laizhou, intake_input):
    """R7 intake of a returning dossier updates the person's record with what the intake registers (a new phone),
    blank fields leave it as is (R17: nothing changes because another agency holds the dossier); audited."""
    first_data = intake_input()
    dossier = _transferred_out(zhifu, dossier_receive(actor=zhifu, data=first_data, today=TODAY).dossier)
    person_before = dossier.person
    data = _coming_back(intake_input, first_data)
    data.person = {**first_data.person, "phone": "13912345678"}
    data.person.pop("native_place")

    back = dossier_receive(actor=laizhou, data=data, today=TODAY).dossier

    person = back.person
    person.refresh_from_db()
    assert person.pk == person_before.pk
    assert person.phone == "13912345678"
    assert person.native_place == person_before.native_place  # not given: kept
    event = AuditEvent.objects.get(action="person.updated", dossier_id=back.pk)
    assert event.before == {"phone": person_before.phone}
    assert event.after == {"phone": "13912345678"}


@pytest.mark.rule("R1")
@pytest.mark.rule("R7")
def test_r1_dossier_in_stock_elsewhere_is_refused_and_the_refusal_recorded_as_held_elsewhere(
    zhifu, laizhou, intake_input
):
    """R1 "no dossier is managed in two places" and R7 "only the reasons the rules name, each recorded": the
    refusal is recorded through `intake_refuse` with the reason held elsewhere."""
    data = intake_input()
    dossier = dossier_receive(actor=zhifu, data=data, today=TODAY).dossier

    with pytest.raises(Conflict) as caught:
        dossier_receive(actor=laizhou, data=data, today=TODAY)

    assert caught.value.code == "duplicate_person"
    assert dossier.number in caught.value.message
    assert "id_number" in caught.value.fields
    refusal = IntakeRefusal.objects.get()
    assert refusal.reason == IntakeRefusal.Reason.HELD_ELSEWHERE
    assert refusal.agency.code == "370683"
    assert refusal.id_number == data.person["id_number"]
    assert dossier.number in refusal.detail
    assert "在库" in refusal.detail
    assert AuditEvent.objects.filter(action="intake.refused", subject_id=str(refusal.pk)).count() == 1
    unchanged = Dossier.objects.get(pk=dossier.pk)
    assert (unchanged.holding_agency.code, unchanged.status, unchanged.number) == (
        "370602",
        "in_custody",
        dossier.number,
    )


@pytest.mark.rule("R1")
@pytest.mark.parametrize(
    ("steps", "status"),
    [
        ([(DossierStatus.ON_LOAN, "loan")], "on_loan"),
        ([(DossierStatus.IN_TRANSFER, "transfer")], "in_transfer"),
    ],
)
def test_r1_dossier_on_loan_or_in_transfer_elsewhere_is_refused_as_held_elsewhere(
    zhifu, laizhou, intake_input, steps, status
):
    """R1 "exactly one agency at a time": a dossier lent or on its way is still held by its agency."""
    data = intake_input()
    dossier = _move(zhifu, dossier_receive(actor=zhifu, data=data, today=TODAY).dossier, *steps)

    with pytest.raises(Conflict):
        dossier_receive(actor=laizhou, data=data, today=TODAY)

    assert IntakeRefusal.objects.get().reason == IntakeRefusal.Reason.HELD_ELSEWHERE
    dossier.refresh_from_db()
    assert (dossier.status, dossier.holding_agency.code) == (status, "370602")


@pytest.mark.rule("R1")
def test_r1_second_registration_at_the_holding_agency_is_a_duplicate_not_a_refusal(zhifu, intake_input):
    """R1 "one dossier per person": registering again what this agency already holds turns no dossier away, so
    no refusal is recorded (its reason, held by another agency, would be false)."""
    data = intake_input()
    dossier = dossier_receive(actor=zhifu, data=data, today=TODAY).dossier

    with pytest.raises(Conflict) as caught:
        dossier_receive(actor=zhifu, data=data, today=TODAY)

    assert caught.value.code == "duplicate_person"
    assert dossier.number in caught.value.message
    assert not IntakeRefusal.objects.exists()
    assert Dossier.objects.count() == 1


@pytest.mark.rule("R18")
@pytest.mark.rule("R19")
@pytest.mark.parametrize(
    ("process", "slip", "status", "code", "rule"),
    [
        ("retirement", "retirement_slip", DossierStatus.RETIRED, "retired_handed_over", "R18"),
        ("death", "death_slip", DossierStatus.DECEASED, "deceased_handed_over", "R19"),
    ],
)
def test_r18_r19_dossier_handed_over_on_retirement_or_death_is_not_taken_back(
    zhifu, laizhou, intake_input, process, slip, status, code, rule
):
    """R18 "on retirement the dossier goes to the township or street service center" and R19 "handed over for
    preservation": the hand-over is final; the dossier is held there, so intake refuses it as held elsewhere."""
    data = intake_input()
    dossier = _move(
        zhifu,
        dossier_receive(actor=zhifu, data=data, today=TODAY).dossier,
        (DossierStatus.IN_TRANSFER, process),
        (status, slip),
    )

    with pytest.raises(Conflict) as caught:
        dossier_receive(actor=laizhou, data=data, today=TODAY)

    assert caught.value.code == code
    assert rule in caught.value.message
    assert IntakeRefusal.objects.get().reason == IntakeRefusal.Reason.HELD_ELSEWHERE
    dossier.refresh_from_db()
    assert dossier.status == status
    assert dossier.holding_agency.code == "370602"


@pytest.mark.rule("R7")
def test_r7_only_a_dossier_transferred_out_can_be_taken_back_and_only_by_intake():
    """R7 the way back exists for a dossier transferred out; R18/R19 hand-overs and stock statuses have none."""
    assert {DossierStatus.TRANSFERRED_OUT} == workflow.RETURNABLE
    assert workflow.can_move(DossierStatus.TRANSFERRED_OUT, DossierStatus.IN_CUSTODY, workflow.RETURN_INTAKE)
    assert not workflow.can_move(DossierStatus.TRANSFERRED_OUT, DossierStatus.IN_CUSTODY, "transfer_arrival")
    for status in (DossierStatus.RETIRED, DossierStatus.DECEASED, DossierStatus.IN_TRANSFER, DossierStatus.ON_LOAN):
        assert not workflow.can_move(status, DossierStatus.IN_CUSTODY, workflow.RETURN_INTAKE)


@pytest.mark.rule("R7")
def test_r7_console_takes_a_returning_dossier_back_and_says_so(client, zhifu, laizhou, synth):
    """R7 "may not be refused", at the counter: the form receives it; the receipt page says it came back."""
    from dangan.dossiers.tests.test_views_api import _form_data

    person = synth.person(min_age=22, max_age=26)
    client.force_login(zhifu)
    assert client.post(reverse("dossiers:intake"), _form_data(person)).status_code == 302
    dossier = _transferred_out(zhifu, Dossier.objects.get(person__id_number=person.id_number))
    client.force_login(laizhou)
    held = _form_data(person, source_kind="agency", source_name="北京市海淀区人才服务中心", received_on="2026-07-08")
    response = client.post(reverse("dossiers:intake"), held)
    assert response.status_code == 302, response.content.decode()[:3000]
    done = client.get(response["Location"]).content.decode()
    assert "重新接收入库" in done
    dossier.refresh_from_db()
    assert dossier.holding_agency.code == "370683"
    assert dossier.number in done
    # Once back in stock at 莱州, the same dossier arriving at 芝罘 is refused as held elsewhere, on the form.
    client.force_login(zhifu)
    body = client.post(reverse("dossiers:intake"), _form_data(person)).content.decode()
    assert f"该证件号码已有档案：{dossier.number}" in body
    assert IntakeRefusal.objects.get().agency.code == "370602"


@pytest.mark.rule("R7")
def test_r7_history_rows_a_returning_dossier_adds_are_audited(zhifu, laizhou, intake_input):
    first_data = intake_input()
    dossier = _transferred_out(zhifu, dossier_receive(actor=zhifu, data=first_data, today=TODAY).dossier)
    data = _coming_back(intake_input, first_data)
    assert dossier.status == DossierStatus.TRANSFERRED_OUT
    data.education = {**first_data.education, "education": "14", "degree": "3", "school": "山东大学"}  # a master's
    back = dossier_receive(actor=laizhou, data=data, today=TODAY).dossier
    added = AuditEvent.objects.filter(action="person.history_added", dossier_id=back.pk)
    assert {e.after.get("kind") for e in added if "kind" in e.after} == {"education"}
    demoted = added.get(reason="新的最高学历")
    assert demoted.after == {"highest_education_rows": []}
    assert len(demoted.before["highest_education_rows"]) == 1
