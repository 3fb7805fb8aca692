"""好差评 (R32): one rating per matter online and per visit at the counter; poor ratings are rectified in time."""

import datetime as dt
import zoneinfo

import pytest
from django.db import IntegrityError, transaction

from dangan.audit.models import AuditEvent
from dangan.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from dangan.portal.models import PortalAccount
from dangan.ratings.models import Rating, RectificationCase
from dangan.ratings.selectors import rating_report
from dangan.ratings.services import (
    case_answer,
    case_appeal,
    case_close,
    case_decide_appeal,
    case_verify,
    rating_submit,
    visit_end,
)
from dangan.workdays.calendar import WorkCalendar
from dangan.workdays.services import calendar_year_enter

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def _poor_visit(staff, comment="等候时间太长", now=None, clerk="clerk"):
    visit = visit_end(actor=staff[clerk], service_type="certificate")
    return rating_submit(rater=None, visit_token=visit.token, grade="dissatisfied", comment=comment, channel="counter",
                         now=now)  # fmt: skip


@pytest.mark.rule("R32")
def test_one_rating_per_online_matter_in_the_service_and_the_database(staff, online_matter, citizen):
    request = online_matter()
    rating = rating_submit(rater=citizen, request_id=request.pk, grade="very_satisfied", comment="", channel="online")
    assert (rating.agency.code, rating.service_type, rating.staff_id) == ("370602", "certificate", staff["officer"].pk)
    assert rating.category == "good"
    before = AuditEvent.objects.count()
    with pytest.raises(Conflict, match="只能评价一次"):
        rating_submit(rater=citizen, request_id=request.pk, grade="satisfied", comment="", channel="online")
    assert AuditEvent.objects.count() == before
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(channel="online", request=request, agency=rating.agency, grade="basic",
                              category="average", rated_at=rating.rated_at)  # fmt: skip
    assert Rating.objects.filter(request=request).count() == 1


@pytest.mark.rule("R32")
def test_only_the_applicant_rates_a_completed_online_matter(staff, online_matter, citizen, django_user_model):
    stranger = django_user_model.objects.create_user(username="13900000002", password="x")
    with pytest.raises(NotFound):
        rating_submit(rater=stranger, request_id=online_matter().pk, grade="satisfied", channel="online")
    with pytest.raises(NotFound):
        rating_submit(rater=staff["officer"], request_id=online_matter().pk, grade="satisfied", channel="online")
    with pytest.raises(Conflict, match="办结后"):
        rating_submit(rater=citizen, request_id=online_matter(complete=False).pk, grade="satisfied", channel="online")

    request = online_matter()
    PortalAccount.objects.create(user=stranger, kind="person", phone="13900000002", name=request.applicant_name,
                                 id_number=request.applicant_id_number)  # fmt: skip
    assert rating_submit(rater=stranger, request_id=request.pk, grade="satisfied", channel="online").pk
    assert not Rating.objects.filter(rater=staff["officer"]).exists()


@pytest.mark.rule("R32")
def test_one_counter_visit_is_rated_once(staff):
    visit = visit_end(actor=staff["clerk"], service_type="certificate")
    rating = rating_submit(rater=None, visit_token=visit.token, grade="satisfied", comment="", channel="counter")
    assert (rating.channel, rating.visit_id, rating.staff_id) == ("counter", visit.pk, staff["clerk"].pk)
    with pytest.raises(Conflict, match="每次服务只能评价一次"):
        rating_submit(rater=None, visit_token=visit.token, grade="very_satisfied", channel="counter")
    with pytest.raises(NotFound):
        rating_submit(rater=None, visit_token="no-such-token", grade="satisfied", channel="counter")
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(channel="counter", visit=visit, agency=rating.agency, grade="basic", category="average",
                              rated_at=rating.rated_at)  # fmt: skip
    other = visit_end(actor=staff["clerk"])
    with pytest.raises(PermissionDenied):
        rating_submit(rater=staff["clerk"], visit_token=other.token, grade="very_satisfied", channel="counter")
    with pytest.raises(PermissionDenied):
        visit_end(actor=staff["supervisor"])


@pytest.mark.rule("R32")
def test_a_poor_rating_opens_a_case_due_fifteen_working_days_later(staff):
    now = dt.datetime(2026, 9, 28, 10, 0, tzinfo=SHANGHAI)
    rating = _poor_visit(staff, now=now)
    case = rating.case
    expected = WorkCalendar().add_working_days(dt.date(2026, 9, 28), 15).date
    assert case.due == expected == dt.date(2026, 10, 23)  # National Day week off, Saturday 10 October worked
    assert (case.opened_on, case.working_days, case.status) == (dt.date(2026, 9, 28), 15, "open")
    assert AuditEvent.objects.filter(action="rectification.opened", subject_id=str(case.pk)).exists()
    good = rating_submit(
        rater=None, visit_token=visit_end(actor=staff["clerk"]).token, grade="basic", channel="counter"
    )
    assert not RectificationCase.objects.filter(rating=good).exists()


@pytest.mark.rule("R32")
def test_the_time_limit_is_a_setting_and_follows_the_official_calendar(staff, settings, make_staff):
    settings.DANGAN_RECTIFICATION_DAYS = 5
    case = _poor_visit(staff, now=dt.datetime(2026, 9, 28, 10, 0, tzinfo=SHANGHAI)).case
    assert case.due == WorkCalendar().add_working_days(dt.date(2026, 9, 28), 5).date == dt.date(2026, 10, 10)
    admin = make_staff("370000", "administrator")
    calendar_year_enter(actor=admin, year=2026, holidays={dt.date(2026, 10, 8): "调整"}, workdays=[], source="测试")
    case.refresh_from_db()
    assert case.due == WorkCalendar().add_working_days(dt.date(2026, 9, 28), 5).date != dt.date(2026, 10, 10)


@pytest.mark.rule("R32")
def test_a_poor_rating_needs_a_reason_and_a_refusal_writes_nothing(staff):
    visit = visit_end(actor=staff["clerk"])
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        rating_submit(rater=None, visit_token=visit.token, grade="very_dissatisfied", comment=" ", channel="counter")
    assert "comment" in refused.value.fields
    with pytest.raises(ValidationFailed):
        rating_submit(rater=None, visit_token=visit.token, grade="excellent", channel="counter")
    assert AuditEvent.objects.count() == before
    assert not Rating.objects.exists()
    visit.refresh_from_db()
    assert visit.used_at is None


@pytest.mark.rule("R32")
def test_case_is_verified_answered_and_closed_by_the_agency_not_the_rated_person(staff, make_staff):
    case = _poor_visit(staff).case
    rated_supervisor = make_staff("370602", "counter_clerk", "supervisor")
    own = _poor_visit({"clerk": rated_supervisor}).case
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        case_verify(actor=staff["clerk"], case_id=case.pk, verification="核实", substantiated=True)
    with pytest.raises(PermissionDenied):
        case_verify(actor=rated_supervisor, case_id=own.pk, verification="核实", substantiated=False)
    with pytest.raises(NotFound):
        case_verify(actor=staff["laizhou_supervisor"], case_id=case.pk, verification="核实", substantiated=True)
    with pytest.raises(Conflict):
        case_close(actor=staff["supervisor"], case_id=case.pk)
    assert AuditEvent.objects.count() == before
    assert RectificationCase.objects.get(pk=case.pk).status == "open"

    case_verify(
        actor=staff["supervisor"], case_id=case.pk, verification="调取录像，窗口排队超过40分钟", substantiated=True
    )
    with pytest.raises(ValidationFailed) as refused:
        case_answer(actor=staff["approver"], case_id=case.pk, answer="已致歉", rectification="")
    assert "rectification" in refused.value.fields
    case_answer(
        actor=staff["approver"], case_id=case.pk, answer="已电话致歉并说明改进", rectification="高峰时段增开窗口"
    )
    closed = case_close(actor=staff["supervisor"], case_id=case.pk)
    assert closed.status == "closed"
    assert closed.closed_at is not None
    actions = list(AuditEvent.objects.filter(subject_id=str(case.pk), subject_type="ratings.rectificationcase")
                   .order_by("seq").values_list("action", flat=True))  # fmt: skip
    assert actions == ["rectification.opened", "rectification.verified", "rectification.answered",
                       "rectification.closed"]  # fmt: skip


@pytest.mark.rule("R32")
def test_upheld_appeal_keeps_the_rating_but_leaves_it_out_of_the_figures(staff):
    rating = _poor_visit(staff, comment="乱评")
    case = rating.case
    case_appeal(actor=staff["approver"], case_id=case.pk, reason="评价人当日未到窗口办理，系误评")
    with pytest.raises(PermissionDenied):
        case_decide_appeal(actor=staff["supervisor"], case_id=case.pk, upheld=True, decision="成立")
    with pytest.raises(NotFound):
        case_decide_appeal(actor=staff["laizhou_supervisor"], case_id=case.pk, upheld=True, decision="成立")
    with pytest.raises(Conflict):
        case_answer(actor=staff["approver"], case_id=case.pk, answer="答复")
    decided = case_decide_appeal(
        actor=staff["city_supervisor"], case_id=case.pk, upheld=True, decision="经核查，申诉成立"
    )
    assert decided.status == "voided"
    rating.refresh_from_db()
    assert rating.excluded
    assert Rating.objects.filter(pk=rating.pk).exists()
    rows = rating_report(staff["supervisor"], by="agency", today=dt.date.today())
    assert (rows[0].total, rows[0].poor, rows[0].excluded, rows[0].cases_open) == (0, 0, 1, 0)


@pytest.mark.rule("R32")
def test_dismissed_appeal_returns_the_case_to_where_it_was(staff):
    case = _poor_visit(staff).case
    case_verify(actor=staff["supervisor"], case_id=case.pk, verification="核实", substantiated=False)
    case_appeal(actor=staff["supervisor"], case_id=case.pk, reason="恶意差评")
    decided = case_decide_appeal(actor=staff["city_supervisor"], case_id=case.pk, upheld=False, decision="证据不足")
    assert decided.status == "verified"
    assert not Rating.objects.get(pk=case.rating_id).excluded
    case_answer(actor=staff["supervisor"], case_id=case.pk, answer="已说明情况")
    assert case_close(actor=staff["supervisor"], case_id=case.pk).status == "closed"


@pytest.mark.rule("R32")
def test_report_agrees_with_direct_counts(staff, online_matter, citizen):
    grades = ["very_satisfied", "satisfied", "satisfied", "basic", "dissatisfied", "very_dissatisfied"]
    for grade in grades:
        visit = visit_end(actor=staff["clerk"], service_type="certificate")
        rating_submit(rater=None, visit_token=visit.token, grade=grade, comment="原因", channel="counter")
    rating_submit(rater=citizen, request_id=online_matter().pk, grade="very_satisfied", channel="online")
    visit = visit_end(actor=staff["laizhou_clerk"])
    rating_submit(rater=None, visit_token=visit.token, grade="very_dissatisfied", comment="态度差", channel="counter")
    old = _poor_visit(staff, now=dt.datetime(2026, 1, 5, 10, tzinfo=SHANGHAI))
    today = dt.date(2026, 3, 1)

    rows = {r.key: r for r in rating_report(staff["city_supervisor"], by="agency", today=today)}
    for key, row in rows.items():
        direct = Rating.objects.filter(agency_id=int(key), excluded=False)
        assert row.total == direct.count()
        assert row.poor == direct.filter(grade__in=["dissatisfied", "very_dissatisfied"]).count()
        assert row.grade_counts == [direct.filter(grade=g).count() for g in
                                    ["very_satisfied", "satisfied", "basic", "dissatisfied", "very_dissatisfied"]]  # fmt: skip
        cases = RectificationCase.objects.filter(agency_id=int(key))
        assert row.cases_open == cases.count()
        assert row.cases_overdue == sum(c.is_overdue(today) for c in cases)
    zhifu = rows[str(old.agency_id)]
    assert (zhifu.total, zhifu.good, zhifu.average, zhifu.poor) == (8, 4, 1, 3)
    assert (zhifu.good_rate, zhifu.average_rate, zhifu.poor_rate) == (50.0, 12.5, 37.5)
    assert zhifu.cases_overdue == 1  # the January case, due in January, still open on 1 March

    by_staff = {r.title: r for r in rating_report(staff["supervisor"], by="staff", today=today)}
    clerk_name = staff["clerk"].staff.full_name
    assert by_staff[clerk_name].total == Rating.objects.filter(staff=staff["clerk"]).count() == 7
    assert by_staff[staff["officer"].staff.full_name].total == 1
    by_service = rating_report(staff["city_supervisor"], by="service_type", today=today)
    assert {r.title for r in by_service} == {"出具档案证明", "窗口咨询及其他"}
    in_january = rating_report(staff["supervisor"], by="agency", date_from=dt.date(2026, 1, 1),
                               date_to=dt.date(2026, 1, 31), today=today)  # fmt: skip
    assert [r.total for r in in_january] == [1]
    with pytest.raises(PermissionDenied):
        rating_report(staff["clerk"], by="agency", today=today)
