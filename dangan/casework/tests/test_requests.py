"""The request engine: checklist first (R30), same-day online (R31), accepted anywhere, done by the holder (R33, R34)."""

import datetime as dt
import zoneinfo

import pytest

from dangan.agencies.models import Role
from dangan.casework import registry
from dangan.casework.models import ServiceRequest
from dangan.casework.selectors import late_online_count, requests_visible_to, same_day_queue
from dangan.casework.services import request_advance, request_submit, request_submit_online
from dangan.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

SH = zoneinfo.ZoneInfo("Asia/Shanghai")

# A plain province-wide type for the routing tests: its steps have no side effects of their own.
registry.register(
    registry.ServiceType(
        code="test_plain",
        label="测试事项",
        time_limit_days=3,
        province_wide=True,
        checklist=(registry.ChecklistItem("id_card", "身份证件"),),
        statuses={"submitted": "已受理", "approved": "已审核", "done": "已办结"},
        transitions={
            "submitted": (registry.Step("approved", "审核", frozenset({Role.APPROVER})),),
            "approved": (registry.Step("done", "办结", frozenset({Role.COUNTER_CLERK})),),
        },
        final=frozenset({"done"}),
    )
)


def at(*args):
    return dt.datetime(*args, tzinfo=SH)


@pytest.fixture
def zhifu_dossier(make_dossier):
    return make_dossier("370602")


@pytest.mark.rule("R30")
def test_checklist_is_complete_before_applying_and_enforced(make_staff, zhifu_dossier):
    clerk = make_staff("370602", Role.COUNTER_CLERK)
    transfer_out = registry.get("transfer_out")
    labels = [i.label for i in transfer_out.checklist_for("person") if i.required]
    assert any("身份证件" in label for label in labels)
    assert any("调档函" in label for label in labels)
    with pytest.raises(ValidationFailed) as caught:
        request_submit(
            actor=clerk, service_code="transfer_out", channel="counter", applicant_kind="person",
            applicant_name=zhifu_dossier.person.name, documents=["id_card"],
            person_id_number=zhifu_dossier.person.id_number,
        )  # fmt: skip
    assert "调档函" in caught.value.fields["documents"][0]
    assert not ServiceRequest.objects.exists()


@pytest.mark.rule("R33")
@pytest.mark.rule("R34")
def test_request_filed_in_laizhou_for_a_zhifu_dossier_is_done_by_zhifu_and_seen_in_laizhou(make_staff, zhifu_dossier):
    laizhou_clerk = make_staff("370683", Role.COUNTER_CLERK)
    zhifu_approver = make_staff("370602", Role.APPROVER)
    request = request_submit(
        actor=laizhou_clerk, service_code="test_plain", channel="counter", applicant_kind="person",
        applicant_name=zhifu_dossier.person.name, documents=["id_card"],
        person_id_number=zhifu_dossier.person.id_number,
    )  # fmt: skip
    assert request.channel == "proxy"  # accepted on behalf of the holder
    assert request.accepting_agency.code == "370683"
    assert request.holding_agency.code == "370602"
    laizhou_approver = make_staff("370683", Role.APPROVER)
    with pytest.raises(PermissionDenied, match="芝罘区"):
        request_advance(actor=laizhou_approver, request_id=request.pk, to="approved")
    request_advance(actor=zhifu_approver, request_id=request.pk, to="approved")
    seen_in_laizhou = requests_visible_to(laizhou_clerk).get(pk=request.pk)
    assert seen_in_laizhou.status == "approved"
    assert [s.agency.code for s in seen_in_laizhou.steps.all()] == ["370683", "370602"]
    outsider = make_staff("370681", Role.COUNTER_CLERK)
    assert not requests_visible_to(outsider).filter(pk=request.pk).exists()
    with pytest.raises(NotFound):
        request_advance(actor=make_staff("370681", Role.APPROVER), request_id=request.pk, to="approved")


@pytest.mark.rule("R31")
def test_online_request_on_spring_festival_eve_is_due_on_the_first_working_day_after(make_staff, zhifu_dossier):
    officer = make_staff("370602", Role.ONLINE_OFFICER)
    request = request_submit(
        actor=officer, service_code="transfer_out", channel="online", applicant_kind="person",
        applicant_name="网上申请", documents=["id_card", "request_letter"],
        person_id_number=zhifu_dossier.person.id_number, now=at(2026, 2, 16, 10, 0),  # 除夕, a holiday
    )  # fmt: skip
    assert request.work_date == dt.date(2026, 2, 24)
    assert request.due == dt.date(2026, 2, 24)
    assert request.assigned_to == officer  # a named officer
    assert not request.due_provisional


@pytest.mark.rule("R31")
def test_online_request_after_the_cut_off_counts_from_the_next_working_day(make_staff, zhifu_dossier):
    officer = make_staff("370602", Role.ONLINE_OFFICER)
    request = request_submit(
        actor=officer, service_code="transfer_out", channel="online", applicant_kind="person",
        applicant_name="网上申请", documents=["id_card", "request_letter"],
        person_id_number=zhifu_dossier.person.id_number, now=at(2026, 9, 30, 18, 30),
    )  # fmt: skip
    assert request.due == dt.date(2026, 10, 8)  # 1–7 October are off


@pytest.mark.rule("R31")
def test_same_day_queue_and_late_count(make_staff, zhifu_dossier):
    officer = make_staff("370602", Role.ONLINE_OFFICER)
    request = request_submit(
        actor=officer, service_code="transfer_out", channel="online", applicant_kind="person",
        applicant_name="网上申请", documents=["id_card", "request_letter"],
        person_id_number=zhifu_dossier.person.id_number, now=at(2026, 3, 2, 9, 0),
    )  # fmt: skip
    assert list(same_day_queue(officer, dt.date(2026, 3, 2))) == [request]
    assert late_online_count(officer.staff.agency_id, dt.date(2026, 3, 2)) == 0
    assert late_online_count(officer.staff.agency_id, dt.date(2026, 3, 3)) == 1


def test_consultation_style_restrictions_come_from_the_type(make_staff, zhifu_dossier):
    clerk = make_staff("370602", Role.COUNTER_CLERK)
    with pytest.raises(ValidationFailed) as caught:
        request_submit(
            actor=clerk, service_code="transfer_out", channel="counter", applicant_kind="organisation",
            applicant_name="某单位", documents=["request_letter"], person_id_number=zhifu_dossier.person.id_number,
        )  # fmt: skip
    assert "applicant_kind" in caught.value.fields


def test_due_dates_of_open_requests_move_when_a_year_is_entered(make_staff, zhifu_dossier):
    from dangan.workdays.services import calendar_year_enter

    clerk = make_staff("370602", Role.COUNTER_CLERK)
    request = request_submit(
        actor=clerk, service_code="transfer_out", channel="counter", applicant_kind="person",
        applicant_name="某", documents=["id_card", "request_letter"], person_id_number=zhifu_dossier.person.id_number,
        now=at(2026, 12, 30, 9, 0),
    )  # fmt: skip
    assert request.due_provisional is True
    assert request.due == dt.date(2027, 1, 6)
    admin = make_staff("370000", Role.ADMINISTRATOR)
    calendar_year_enter(actor=admin, year=2027, holidays={dt.date(2027, 1, 1): "元旦"}, workdays=[], source="通知")
    request.refresh_from_db()
    assert request.due == dt.date(2027, 1, 7)
    assert request.due_provisional is False


def test_steps_with_side_effects_cannot_be_taken_through_the_generic_step(make_staff, zhifu_dossier):
    """A transfer dispatched through the plain step would skip the dossier's status change: refused."""
    from dangan.core.errors import Conflict

    clerk = make_staff("370602", Role.COUNTER_CLERK)
    approver = make_staff("370602", Role.APPROVER)
    request = request_submit(
        actor=clerk, service_code="transfer_out", channel="counter", applicant_kind="person", applicant_name="某",
        documents=["id_card", "request_letter"], person_id_number=zhifu_dossier.person.id_number,
    )  # fmt: skip
    with pytest.raises(Conflict):
        request_advance(actor=approver, request_id=request.pk, to="approved")
    request.refresh_from_db()
    assert request.status == "submitted"


@pytest.mark.rule("R31")
def test_an_online_request_is_named_to_a_counter_clerk_where_the_center_has_no_online_officer(
    make_staff, zhifu_dossier, django_user_model
):
    clerk = make_staff("370602", Role.COUNTER_CLERK)
    applicant = django_user_model.objects.create_user(username="portal-applicant", password="x-Portal-2026")
    request = request_submit_online(
        applicant=applicant, service_code="certificate", applicant_kind="person", applicant_name="网上申请",
        applicant_id_number=zhifu_dossier.person.id_number, applicant_phone="13805350000", documents=["id_card"],
        person_id_number=zhifu_dossier.person.id_number, details={"certificate_type": "archive_keeping"},
    )  # fmt: skip
    assert request.assigned_to == clerk


@pytest.mark.rule("R31")
def test_a_center_with_nobody_to_name_refuses_the_online_request_and_keeps_nothing(zhifu_dossier, django_user_model):
    applicant = django_user_model.objects.create_user(username="portal-applicant", password="x-Portal-2026")
    with pytest.raises(Conflict, match="暂未安排网上办理人员") as refused:
        request_submit_online(
            applicant=applicant, service_code="certificate", applicant_kind="person", applicant_name="网上申请",
            applicant_id_number=zhifu_dossier.person.id_number, applicant_phone="13805350000", documents=["id_card"],
            person_id_number=zhifu_dossier.person.id_number, details={},
        )  # fmt: skip
    assert refused.value.code == "no_online_officer"
    assert not ServiceRequest.objects.exists()
