"""Consultation: R13 (organisations, letter, purpose, two readers, recusal), R40 (reading room), R41 (register)."""

import pytest

from dangan.audit.models import AuditEvent
from dangan.casework.models import ServiceRequest
from dangan.core.errors import Conflict, PermissionDenied, ValidationFailed
from dangan.dossiers.models import Dossier
from dangan.lending.models import CERTIFICATION_TEXT, Consultation, ReadingSession
from dangan.lending.services import (
    consultation_apply,
    consultation_approve,
    consultation_close,
    copy_certify,
    copy_decide,
    copy_request,
    relative_declare,
    session_close,
    session_open,
)
from dangan.lending.tests.helpers import consultation_values, family


def _nothing_written(before_events, before_requests=None):
    assert AuditEvent.objects.count() == before_events
    if before_requests is not None:
        assert ServiceRequest.objects.count() == before_requests
        assert Consultation.objects.count() == 0


@pytest.mark.rule("R13")
def test_an_individual_cannot_apply(staff, dossier, people, org_code):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed, match="个人") as refused:
        consultation_apply(
            actor=staff["clerk"], **consultation_values(dossier, people, org_code, applicant_kind="person")
        )
    assert refused.value.code == "organisations_only"
    _nothing_written(before, 0)


@pytest.mark.rule("R13")
def test_one_reader_is_refused(staff, dossier, people, org_code):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        consultation_apply(actor=staff["clerk"], **consultation_values(dossier, people, org_code, readers=[
            {"name": people[0].name, "id_number": people[0].id_number, "post": "科员"}]))  # fmt: skip
    assert "两人以上" in refused.value.fields["readers"][0] or "2人以上" in refused.value.fields["readers"][0]
    _nothing_written(before, 0)


@pytest.mark.rule("R13")
def test_min_readers_is_a_setting(settings, staff, dossier, people, org_code):
    settings.DANGAN_MIN_READERS = 3
    with pytest.raises(ValidationFailed, match="查阅申请有误") as refused:
        consultation_apply(actor=staff["clerk"], **consultation_values(dossier, people, org_code))
    assert "3人以上" in refused.value.fields["readers"][0]


@pytest.mark.rule("R13")
def test_a_reader_who_is_the_person_is_refused_with_the_reason(staff, dossier, people, org_code):
    readers = [{"name": dossier.person.name, "id_number": dossier.person.id_number, "post": "干部"},
               {"name": people[1].name, "id_number": people[1].id_number, "post": "科员"}]  # fmt: skip
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        consultation_apply(actor=staff["clerk"], **consultation_values(dossier, people, org_code, readers=readers))
    assert "本人" in refused.value.fields["readers[0].id_number"][0]
    assert "readers[1].id_number" not in refused.value.fields
    _nothing_written(before, 0)


@pytest.mark.rule("R13")
def test_a_reader_who_is_a_relative_is_refused_with_the_reason(staff, dossier, people, org_code):
    family(dossier.person, "兄弟", people[1].id_number)
    with pytest.raises(ValidationFailed) as refused:
        consultation_apply(actor=staff["clerk"], **consultation_values(dossier, people, org_code))
    assert "亲属" in refused.value.fields["readers[1].id_number"][0]


@pytest.mark.rule("R13")
def test_a_purpose_outside_the_list_is_refused(staff, dossier, people, org_code):
    with pytest.raises(ValidationFailed) as refused:
        consultation_apply(actor=staff["clerk"], **consultation_values(dossier, people, org_code, purpose="curiosity"))
    assert "R13" in refused.value.fields["purpose"][0]


@pytest.mark.rule("R13")
def test_the_letter_and_everything_wrong_are_reported_at_once(staff, dossier, people, org_code):
    with pytest.raises(ValidationFailed) as refused:
        consultation_apply(actor=staff["clerk"], **consultation_values(
            dossier, people, "123", letter_number="", reason="", content="", documents=[]))  # fmt: skip
    assert {"organisation_code", "letter_number", "reason", "content", "documents"} <= set(refused.value.fields)


@pytest.mark.rule("R13")
def test_clerk_recuses_from_a_relatives_consultation(staff, dossier, people, org_code):
    relative_declare(actor=staff["clerk"], name="某", id_number=dossier.person.id_number, relation="spouse")
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied) as refused:
        consultation_apply(actor=staff["clerk"], **consultation_values(dossier, people, org_code))
    assert refused.value.code == "recusal"
    _nothing_written(before, 0)


@pytest.mark.rule("R33")
def test_accepted_at_another_agency_of_the_province(staff, dossier, people, org_code):
    consultation = consultation_apply(actor=staff["other_clerk"], **consultation_values(dossier, people, org_code))
    assert consultation.request.channel == "proxy"
    assert consultation.request.holding_agency_id == dossier.holding_agency_id


@pytest.mark.rule("R41")
def test_approval_by_an_approver_other_than_the_clerk(make_staff, dossier, people, org_code):
    both = make_staff("370602", "counter_clerk", "approver")
    consultation = consultation_apply(actor=both, **consultation_values(dossier, people, org_code))
    with pytest.raises(PermissionDenied) as refused:
        consultation_approve(actor=both, consultation_id=consultation.pk)
    assert refused.value.code == "separation_of_duties"
    consultation_approve(actor=make_staff("370602", "approver"), consultation_id=consultation.pk, scope="履历材料")
    consultation.refresh_from_db()
    assert consultation.request.status == "approved"
    assert consultation.approved_scope == "履历材料"


@pytest.mark.rule("R13")
def test_sessions_need_approval(staff, consultation, rooms):
    readers = list(consultation.readers.values_list("pk", flat=True))
    with pytest.raises(Conflict, match="尚未批准"):
        session_open(actor=staff["keeper"], consultation_id=consultation.pk, room_id=rooms["reading"].pk,
                     reader_ids=readers, scope="履历", readers_signed=True)  # fmt: skip


@pytest.mark.rule("R40")
@pytest.mark.parametrize("room", ["store", "office"])
def test_a_session_outside_a_reading_room_is_refused(staff, consultation, rooms, room):
    consultation_approve(actor=staff["approver"], consultation_id=consultation.pk)
    readers = list(consultation.readers.values_list("pk", flat=True))
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        session_open(actor=staff["keeper"], consultation_id=consultation.pk, room_id=rooms[room].pk,
                     reader_ids=readers, scope="履历", readers_signed=True)  # fmt: skip
    assert "阅档室" in refused.value.fields["room"][0]
    assert ReadingSession.objects.count() == 0
    assert AuditEvent.objects.count() == before


@pytest.mark.rule("R13")
def test_a_session_needs_two_readers_present_and_signatures(staff, consultation, rooms):
    consultation_approve(actor=staff["approver"], consultation_id=consultation.pk)
    first = consultation.readers.first().pk
    with pytest.raises(ValidationFailed) as refused:
        session_open(actor=staff["keeper"], consultation_id=consultation.pk, room_id=rooms["reading"].pk,
                     reader_ids=[first], scope="", readers_signed=False)  # fmt: skip
    assert {"reader_ids", "scope", "readers_signed"} <= set(refused.value.fields)


@pytest.mark.rule("R13")
@pytest.mark.rule("R41")
def test_register_session_copies_approved_and_certified(staff, consultation, rooms):
    consultation_approve(actor=staff["approver"], consultation_id=consultation.pk)
    readers = list(consultation.readers.values_list("pk", flat=True))
    session = session_open(actor=staff["keeper"], consultation_id=consultation.pk, room_id=rooms["reading"].pk,
                           reader_ids=readers, scope="履历材料", readers_signed=True)  # fmt: skip
    assert session.readers.count() == 2
    copy = copy_request(actor=staff["keeper"], session_id=session.pk, kind="copy", description="履历表1", pages=3,
                        reason="考察存档")  # fmt: skip
    with pytest.raises(Conflict, match="批准"):
        copy_certify(actor=staff["keeper"], copy_id=copy.pk)
    with pytest.raises(PermissionDenied):
        copy_decide(actor=staff["keeper"], copy_id=copy.pk, approve=True)
    copy_decide(actor=staff["approver"], copy_id=copy.pk, approve=True)
    certified = copy_certify(actor=staff["keeper2"], copy_id=copy.pk)
    assert certified.certification.startswith(CERTIFICATION_TEXT)
    assert certified.certified_on is not None
    with pytest.raises(Conflict, match="离开时间"):
        consultation_close(actor=staff["keeper"], consultation_id=consultation.pk)
    session_close(actor=staff["keeper"], session_id=session.pk)
    consultation_close(actor=staff["keeper"], consultation_id=consultation.pk)
    consultation.refresh_from_db()
    assert consultation.request.status == "closed"
    actions = set(AuditEvent.objects.filter(dossier_id=consultation.dossier_id).values_list("action", flat=True))
    assert {"consultation.session_opened", "consultation.session_closed", "consultation.copy_certified"} <= actions


@pytest.mark.rule("R14")
def test_no_session_while_the_dossier_is_on_loan(staff, consultation, rooms):
    consultation_approve(actor=staff["approver"], consultation_id=consultation.pk)
    Dossier.objects.filter(pk=consultation.dossier_id).update(status="on_loan")
    readers = list(consultation.readers.values_list("pk", flat=True))
    with pytest.raises(Conflict, match="借出"):
        session_open(actor=staff["keeper"], consultation_id=consultation.pk, room_id=rooms["reading"].pk,
                     reader_ids=readers, scope="履历", readers_signed=True)  # fmt: skip


def test_another_agency_cannot_approve(staff, consultation):
    from dangan.core.errors import NotFound

    before = AuditEvent.objects.count()
    with pytest.raises(NotFound):
        consultation_approve(actor=staff["other_approver"], consultation_id=consultation.pk)
    assert AuditEvent.objects.count() == before
