"""Transfers: R6, R7, R12, R14, R16, R17, R18, R19, R41 — each test names its rule."""

import datetime as dt
import subprocess

import pytest
from django.db import transaction

from dangan.agencies.models import Role
from dangan.audit.models import AuditEvent
from dangan.core.errors import Conflict, ValidationFailed
from dangan.core.pdf import pdf_text
from dangan.dossiers.models import Dossier, EducationRecord, PartyMembership
from dangan.dossiers.services import dossier_transition
from dangan.storage.checklist import checklist
from dangan.storage.models import DossierLocation, Location, LocationMove, Room, RoomKind, location_code
from dangan.storage.services import dossier_shelve
from dangan.transfers.models import Transfer
from dangan.transfers.papers import letter_pdf, letter_verify_url, transfer_papers_pdf
from dangan.transfers.services import (
    hand_over_apply,
    letter_issue,
    slips_to_chase,
    transfer_apply,
    transfer_approve,
    transfer_dispatch,
    transfer_receive,
    transfer_register_slip,
)

TODAY = dt.date.today()


@pytest.fixture
def staff(make_staff):
    return {
        "zhifu_clerk": make_staff("370602", Role.COUNTER_CLERK),
        "zhifu_approver": make_staff("370602", Role.APPROVER),
        "zhifu_keeper": make_staff("370602", Role.ARCHIVE_KEEPER),
        "laizhou_clerk": make_staff("370683", Role.COUNTER_CLERK),
        "laizhou_keeper": make_staff("370683", Role.ARCHIVE_KEEPER),
    }


def _apply(staff, dossier, agencies, **kw):
    values = {
        "actor": staff["zhifu_clerk"], "person_id_number": dossier.person.id_number, "requester_kind": "person",
        "applicant_name": dossier.person.name, "to_agency": agencies["370683"], "reason": "工作调动",
        "documents": ["id_card", "request_letter"], "letter_number": "DH370683202600001",
    }  # fmt: skip
    values.update(kw)
    return transfer_apply(**values)


def _send(staff, transfer, way="confidential_courier"):
    transfer_approve(actor=staff["zhifu_approver"], transfer_id=transfer.pk)
    return transfer_dispatch(
        actor=staff["zhifu_keeper"],
        transfer_id=transfer.pk,
        way=way,
        tracking_no="JY20260001",
        dispatched_on=TODAY,
        items=32,
    )


@pytest.mark.rule("R6")
def test_only_the_person_or_the_employer_can_ask_for_a_transfer(staff, make_dossier, agencies):
    dossier = make_dossier("370602")
    with pytest.raises(ValidationFailed, match="不得以任何理由清退"):
        _apply(staff, dossier, agencies, requester_kind="agency")
    with pytest.raises(ValidationFailed, match="手写委托书"):
        _apply(staff, dossier, agencies, requester_kind="proxy")
    assert _apply(
        staff, dossier, agencies, requester_kind="proxy", documents=["id_card", "request_letter", "authorisation"]
    )


@pytest.mark.rule("R12")
def test_self_carry_is_refused_at_dispatch_and_at_receipt(staff, make_dossier, agencies):
    dossier = make_dossier("370602")
    transfer = _apply(staff, dossier, agencies)
    transfer_approve(actor=staff["zhifu_approver"], transfer_id=transfer.pk)
    with pytest.raises(ValidationFailed, match="严禁个人自带"):
        transfer_dispatch(
            actor=staff["zhifu_keeper"],
            transfer_id=transfer.pk,
            way="self_carry",
            tracking_no="x",
            dispatched_on=TODAY,
            items=3,
        )
    dossier.refresh_from_db()
    assert dossier.status == "in_custody"
    transfer_dispatch(
        actor=staff["zhifu_keeper"], transfer_id=transfer.pk, way="registered_post", tracking_no="EMS1", dispatched_on=TODAY,
        items=3,
    )  # fmt: skip
    with pytest.raises(ValidationFailed, match="本人携带的档案不予接收"):
        transfer_receive(actor=staff["laizhou_keeper"], transfer_id=transfer.pk, arrived_by="self_carry", seal_intact=True,
                         catalogue_matches=True)  # fmt: skip
    with pytest.raises(ValidationFailed, match="送达方式无效") as unknown:
        transfer_receive(actor=staff["laizhou_keeper"], transfer_id=transfer.pk, arrived_by="handed_in", seal_intact=True,
                         catalogue_matches=True)  # fmt: skip
    assert "arrived_by" in unknown.value.fields
    dossier.refresh_from_db()
    assert dossier.holding_agency.code == "370602"


@pytest.mark.rule("R12")
def test_delivery_ways_are_a_setting(staff, make_dossier, agencies, settings):
    settings.DANGAN_DELIVERY_WAYS = ["confidential_courier", "staff_courier"]
    transfer = _apply(staff, make_dossier("370602"), agencies)
    transfer_approve(actor=staff["zhifu_approver"], transfer_id=transfer.pk)
    with pytest.raises(ValidationFailed, match="转递方式"):
        transfer_dispatch(actor=staff["zhifu_keeper"], transfer_id=transfer.pk, way="registered_post", tracking_no="E",
                          dispatched_on=TODAY, items=1)  # fmt: skip


@pytest.mark.rule("R41")
def test_tracking_number_once_recorded_cannot_be_edited(staff, make_dossier, agencies):
    transfer = _send(staff, _apply(staff, make_dossier("370602"), agencies))
    with pytest.raises(Conflict):
        transfer_dispatch(actor=staff["zhifu_keeper"], transfer_id=transfer.pk, way="staff_courier", tracking_no="NEW",
                          dispatched_on=TODAY, items=1)  # fmt: skip
    transfer.refresh_from_db()
    assert transfer.tracking_no == "JY20260001"


@pytest.mark.rule("R1")
@pytest.mark.rule("R17")
def test_receipt_on_the_platform_changes_the_holder_in_one_step_and_leaves_the_person_untouched(
    staff, make_dossier, agencies
):
    dossier = make_dossier("370602", political_status="01", person_category="6")
    PartyMembership.objects.create(
        person=dossier.person, organisation="party", joined_on=dt.date(2015, 7, 1), branch="芝罘区人才党支部"
    )
    person_before = {f.name: getattr(dossier.person, f.name) for f in dossier.person._meta.concrete_fields}
    transfer = _send(staff, _apply(staff, dossier, agencies))
    dossier.refresh_from_db()
    assert dossier.status == "in_transfer"  # sent …
    assert dossier.holding_agency.code == "370602"
    transfer_receive(actor=staff["laizhou_keeper"], transfer_id=transfer.pk, arrived_by="confidential_courier",
                     seal_intact=True, catalogue_matches=True)  # fmt: skip
    dossier.refresh_from_db()
    assert dossier.status == "in_custody"  # … and received are separate states
    assert dossier.holding_agency.code == "370683"
    assert dossier.number.startswith("0683")  # numbered by the new holder
    person = dossier.person
    person.refresh_from_db()
    assert {f.name: getattr(person, f.name) for f in person._meta.concrete_fields} == person_before
    assert PartyMembership.objects.get(person=person).branch == "莱州市公共就业和人才服务中心"
    transfer.refresh_from_db()
    assert transfer.request.status == "received"
    assert AuditEvent.objects.filter(action="dossier.holder_changed", dossier_id=dossier.pk).count() == 1


@pytest.mark.rule("R41")
def test_transfer_outside_the_platform_ends_with_the_returned_slip_and_late_slips_are_chased(
    staff, make_dossier, agencies
):
    dossier = make_dossier("370602")
    transfer = _apply(
        staff, dossier, agencies, to_agency=None, to_name="北京市海淀区人才服务中心", to_address="北京市海淀区"
    )
    transfer_approve(actor=staff["zhifu_approver"], transfer_id=transfer.pk)
    transfer_dispatch(actor=staff["zhifu_keeper"], transfer_id=transfer.pk, way="confidential_courier", tracking_no="JY9",
                      dispatched_on=TODAY - dt.timedelta(days=40), items=20)  # fmt: skip
    assert [t.pk for t in slips_to_chase(agency=agencies["370602"], today=TODAY)] == [transfer.pk]
    transfer_register_slip(
        actor=staff["zhifu_keeper"], transfer_id=transfer.pk, returned_on=TODAY, signed_by="海淀区人才服务中心"
    )
    dossier.refresh_from_db()
    assert dossier.status == "transferred_out"
    assert slips_to_chase(agency=agencies["370602"], today=TODAY) == []


@pytest.mark.rule("R14")
def test_a_dossier_on_loan_cannot_be_transferred(staff, make_dossier, agencies):
    dossier = make_dossier("370602")
    with transaction.atomic():
        dossier_transition(
            actor=staff["zhifu_keeper"], dossier=Dossier.objects.get(pk=dossier.pk), to="on_loan", process="loan"
        )
    with pytest.raises(Conflict, match="借出"):
        _apply(staff, dossier, agencies)


@pytest.mark.rule("R16")
def test_graduate_whose_labour_relation_ended_needs_termination_and_acceptance_proof(staff, make_dossier, agencies):
    dossier = make_dossier("370602", person_category="3")
    with pytest.raises(ValidationFailed, match="R16"):
        _apply(staff, dossier, agencies, graduate_labour_ended=True)
    transfer = _apply(
        staff, dossier, agencies, graduate_labour_ended=True,
        documents=["id_card", "request_letter", "termination_proof", "acceptance_proof"],
    )  # fmt: skip
    assert transfer.request.details["graduate"] is True


@pytest.mark.rule("R16")
def test_an_employed_graduate_is_recognised_from_the_education_record_not_the_category(staff, make_dossier, agencies):
    # A 本科 graduate now working in a private firm (category 1) who left the job: R16 applies.
    graduate = make_dossier("370602", person_category="1")
    EducationRecord.objects.create(person=graduate.person, education="21", school="烟台大学", is_highest=True)
    with pytest.raises(ValidationFailed, match="解除（终止）劳动关系证明"):
        _apply(staff, graduate, agencies, graduate_labour_ended=True)
    documents = ["id_card", "request_letter", "termination_proof", "acceptance_proof"]
    assert _apply(staff, graduate, agencies, graduate_labour_ended=True, documents=documents).request.details[
        "graduate"
    ]
    # A 高中 school-leaver is no 大中专毕业生.
    school_leaver = make_dossier("370602", person_category="1")
    EducationRecord.objects.create(person=school_leaver.person, education="61", school="烟台一中", is_highest=True)
    with pytest.raises(ValidationFailed, match="大中专毕业生") as refused:
        _apply(staff, school_leaver, agencies, graduate_labour_ended=True, documents=documents)
    assert "graduate_labour_ended" in refused.value.fields


@pytest.mark.rule("R18")
def test_retirement_hand_over_goes_to_the_township_center_of_household_registration(staff, make_dossier, agencies):
    # A man born in 1958 reached 60 in 2018, before the 2025 reform.
    dossier = make_dossier("370602", household_region="370602", id_number="370602195803150013",
                           birth_date=dt.date(1958, 3, 15), sex="1")  # fmt: skip
    with pytest.raises(ValidationFailed, match="R18"):
        hand_over_apply(actor=staff["zhifu_clerk"], person_id_number=dossier.person.id_number, kind="retirement",
                        to_agency=agencies["370683001"], to_name="", basis="退休审批表", today=TODAY)  # fmt: skip
    transfer = hand_over_apply(actor=staff["zhifu_clerk"], person_id_number=dossier.person.id_number, kind="retirement",
                               to_agency=agencies["370602001"], to_name="", basis="退休审批表", today=TODAY)  # fmt: skip
    transfer_approve(actor=staff["zhifu_approver"], transfer_id=transfer.pk)
    transfer_dispatch(actor=staff["zhifu_keeper"], transfer_id=transfer.pk, way="staff_courier", tracking_no="ZR1",
                      dispatched_on=TODAY, items=40)  # fmt: skip
    transfer_register_slip(
        actor=staff["zhifu_keeper"], transfer_id=transfer.pk, returned_on=TODAY, signed_by="向阳街道"
    )
    dossier.refresh_from_db()
    assert dossier.status == "retired"


@pytest.mark.rule("R41")
def test_the_shelf_stays_reserved_in_transit_and_is_freed_when_the_dossier_is_received(
    staff, make_dossier, agencies, make_staff
):
    dossier = make_dossier("370602")
    room = Room.objects.create(agency=dossier.custodian, name="库房9", kind=RoomKind.STOREROOM,
                               protections=list(checklist().keys))  # fmt: skip
    place = Location.objects.create(room=room, cabinet=1, tier=1, position=1, code=location_code("库房9", 1, 1, 1))
    keeper = make_staff(dossier.custodian.code, Role.ARCHIVE_KEEPER)
    dossier_shelve(actor=keeper, dossier_id=dossier.pk, location_id=place.pk)
    transfer = _send(staff, _apply(staff, dossier, agencies))
    assert DossierLocation.objects.get(dossier=dossier).location == place  # reserved while on its way
    transfer_receive(actor=staff["laizhou_keeper"], transfer_id=transfer.pk, arrived_by="confidential_courier",
                     seal_intact=True, catalogue_matches=True)  # fmt: skip
    assert not DossierLocation.objects.filter(dossier=dossier).exists()
    assert not DossierLocation.objects.filter(location=place).exists()
    move = LocationMove.objects.get(dossier=dossier, to_location=None)
    assert move.from_location == place
    assert transfer.serial in move.reason
    assert AuditEvent.objects.filter(action="storage.dossier_unshelved", dossier_id=dossier.pk).count() == 1


@pytest.mark.rule("R41")
def test_a_returned_slip_frees_the_shelf_of_a_dossier_that_left_the_platform(staff, make_dossier, agencies, make_staff):
    dossier = make_dossier("370602")
    room = Room.objects.create(agency=dossier.custodian, name="库房8", kind=RoomKind.STOREROOM,
                               protections=list(checklist().keys))  # fmt: skip
    place = Location.objects.create(room=room, cabinet=1, tier=1, position=1, code=location_code("库房8", 1, 1, 1))
    dossier_shelve(actor=make_staff(dossier.custodian.code, Role.ARCHIVE_KEEPER), dossier_id=dossier.pk,
                   location_id=place.pk)  # fmt: skip
    transfer = _send(staff, _apply(staff, dossier, agencies, to_agency=None, to_name="北京市人才服务中心"))
    transfer_register_slip(actor=staff["zhifu_keeper"], transfer_id=transfer.pk, returned_on=TODAY, signed_by="北京")
    assert not DossierLocation.objects.filter(dossier=dossier).exists()
    assert LocationMove.objects.get(dossier=dossier, to_location=None).from_location == place


@pytest.mark.rule("R6")
@pytest.mark.rule("R18")
def test_a_person_of_working_age_is_not_handed_over_as_retired_without_an_early_retirement_approval(
    staff, make_dossier, agencies
):
    # Born 1990: the statutory age (60, plus the reform's 36 months) is reached in 2053.
    dossier = make_dossier("370602", household_region="370602", id_number="370602199001010017",
                           birth_date=dt.date(1990, 1, 1), sex="1")  # fmt: skip
    apply = {"actor": staff["zhifu_clerk"], "person_id_number": dossier.person.id_number, "kind": "retirement",
             "to_agency": agencies["370602001"], "to_name": "", "basis": "退休审批表", "today": TODAY}  # fmt: skip
    with pytest.raises(ValidationFailed, match="尚未达到法定退休年龄（2053-01-01）") as refused:
        hand_over_apply(**apply)
    assert "early_retirement_approval" in refused.value.fields
    assert not Transfer.objects.filter(dossier=dossier).exists()
    transfer = hand_over_apply(**apply, early_retirement_approval="烟人社字〔2026〕12号 特殊工种提前退休批复")
    assert transfer.request.details["early_retirement_approval"].startswith("烟人社字〔2026〕12号")
    event = AuditEvent.objects.get(action="transfer.hand_over_applied", dossier_id=dossier.pk)
    assert event.after["early_retirement_approval"].startswith("烟人社字〔2026〕12号")


@pytest.mark.rule("R19")
def test_the_keeping_period_of_a_death_on_29_february_ends_on_1_march(staff, make_dossier, agencies):
    dossier = make_dossier("370602", died_on=dt.date(2020, 2, 29))
    apply = {"actor": staff["zhifu_clerk"], "person_id_number": dossier.person.id_number, "kind": "death",
             "to_agency": None, "to_name": "烟台市档案馆", "basis": "死亡证明"}  # fmt: skip
    with pytest.raises(ValidationFailed, match="至2025-03-01"):
        hand_over_apply(**apply, today=dt.date(2025, 2, 28))
    assert hand_over_apply(**apply, today=dt.date(2025, 3, 1)).kind == "death"


@pytest.mark.rule("R19")
def test_deceased_persons_dossier_is_kept_five_years_before_hand_over(staff, make_dossier, agencies):
    dossier = make_dossier("370602", died_on=TODAY - dt.timedelta(days=365 * 3))
    with pytest.raises(ValidationFailed, match="保管满5年"):
        hand_over_apply(actor=staff["zhifu_clerk"], person_id_number=dossier.person.id_number, kind="death", to_agency=None,
                        to_name="烟台市档案馆", basis="死亡证明", today=TODAY)  # fmt: skip
    later = TODAY + dt.timedelta(days=365 * 2 + 10)
    assert hand_over_apply(actor=staff["zhifu_clerk"], person_id_number=dossier.person.id_number, kind="death",
                           to_agency=None, to_name="烟台市档案馆", basis="死亡证明", today=later)  # fmt: skip


def test_request_letter_pdf_has_its_number_and_a_qr_code_that_verifies(staff, agencies, tmp_path):
    letter = letter_issue(actor=staff["laizhou_clerk"], person_name="王芳", person_id_number="11010519491231002X",
                          reason="录用", holder_agency=agencies["370602"])  # fmt: skip
    pdf = letter_pdf(letter)
    text = "".join(pdf_text(pdf).split())
    for expected in ("调档函", letter.number, "王芳", "烟台市芝罘区公共就业和人才服务中心", "严禁本人自带"):
        assert expected in text
    target = tmp_path / "letter.pdf"
    target.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", str(target), str(tmp_path / "page")], check=True
    )
    page = next(tmp_path.glob("page*.png"))
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(page)], capture_output=True, text=True, check=True)
    assert decoded.stdout.strip() == letter_verify_url(letter)


@pytest.mark.rule("R12")
def test_stub_notice_and_slip_share_one_serial(staff, make_dossier, agencies):
    transfer = _send(staff, _apply(staff, make_dossier("370602"), agencies))
    text = pdf_text(transfer_papers_pdf(transfer))
    assert text.count(transfer.serial) == 3
    for part in ("存根", "档案转递通知单", "回", "执"):
        assert part in text


@pytest.mark.rule("R26")
def test_transfer_out_ends_the_personal_agreement(staff, make_dossier, agencies):
    from dangan.agreements.jurisdiction import Places
    from dangan.agreements.models import PersonalAgreement
    from dangan.agreements.services.personal import personal_agreement_sign

    dossier = make_dossier("370602", household_region="370602")
    agreement = personal_agreement_sign(
        actor=staff["zhifu_clerk"], dossier_id=dossier.pk, start_date=dt.date(2025, 1, 1), services=["receive_transfer", "arrange_keep", "certificates"],
        situation="flexible", places=Places(household_region="370602"),
    )  # fmt: skip
    assert agreement.status == "in_force"
    _send(staff, _apply(staff, dossier, agencies))
    agreement = PersonalAgreement.objects.get(pk=agreement.pk)
    assert agreement.status == "ended"
    assert agreement.ended_on == TODAY


@pytest.mark.rule("R6")
def test_a_second_transfer_or_hand_over_of_a_dossier_under_way_is_refused(staff, make_dossier, agencies):
    dossier = make_dossier("370602", household_region="370602", id_number="370602195803150013",
                           birth_date=dt.date(1958, 3, 15), sex="1")  # fmt: skip
    first = _apply(staff, dossier, agencies)
    with pytest.raises(Conflict, match=first.serial) as again:
        _apply(staff, dossier, agencies)
    assert again.value.code == "transfer_open"
    with pytest.raises(Conflict, match="正在办理的转递或移交"):
        hand_over_apply(actor=staff["zhifu_clerk"], person_id_number=dossier.person.id_number, kind="retirement",
                        to_agency=agencies["370602001"], to_name="", basis="退休审批表", today=TODAY)  # fmt: skip
    assert Transfer.objects.filter(dossier=dossier).count() == 1
