import datetime as dt

import pytest

from dangan.agencies.models import Role
from dangan.audit.models import AuditEvent
from dangan.core.errors import PermissionDenied, ValidationFailed
from dangan.workdays.calendar import WorkCalendar, add_working_days
from dangan.workdays.models import Deadline
from dangan.workdays.services import calendar_year_enter, deadline_schedule

D = dt.date


@pytest.mark.django_db
def test_deadline_across_2026_national_day_lands_on_the_right_working_day():
    # 2026: 1–7 October off; Sunday 20 September and Saturday 10 October are make-up working days.
    due = add_working_days(D(2026, 9, 30), 2)
    assert due == type(due)(D(2026, 10, 9), False)
    assert add_working_days(D(2026, 9, 29), 1).date == D(2026, 9, 30)
    assert add_working_days(D(2026, 9, 30), 3).date == D(2026, 10, 10)  # the make-up Saturday counts
    assert add_working_days(D(2026, 10, 3), 0).date == D(2026, 10, 8)  # same-day on a holiday → next working day


@pytest.mark.django_db
def test_spring_festival_eve_2026():
    # 2026 Spring Festival: 15–23 February off; 14 and 28 February (Saturdays) are working days.
    assert add_working_days(D(2026, 2, 13), 1).date == D(2026, 2, 14)
    assert add_working_days(D(2026, 2, 14), 1).date == D(2026, 2, 24)


@pytest.fixture
def admin(make_staff):
    return make_staff("370000", Role.ADMINISTRATOR)


@pytest.mark.django_db
def test_2027_is_provisional_until_its_schedule_is_entered_then_deadlines_move(admin, make_dossier):
    dossier = make_dossier("370602")
    # 2026-12-30 + 5 working days runs into 2027: no package data, Monday–Friday, provisional.
    deadline = deadline_schedule(subject=dossier, purpose="intake", start=D(2026, 12, 30), working_days=5)
    assert deadline.provisional is True
    assert deadline.due == D(2027, 1, 6)  # 31 Dec, 1, 4, 5, 6 Jan counted Monday to Friday
    inside_2026 = deadline_schedule(subject=dossier, purpose="inside", start=D(2026, 12, 1), working_days=3)
    assert inside_2026.provisional is False

    _year, moved = calendar_year_enter(
        actor=admin,
        year=2027,
        holidays={D(2027, 1, 1): "元旦", D(2027, 1, 4): "元旦"},
        workdays=[D(2027, 1, 9)],
        source="国务院办公厅关于2027年部分节假日安排的通知",
    )
    deadline.refresh_from_db()
    assert moved == 1
    assert deadline.provisional is False
    # 31 Dec, 5 Jan, 6 Jan, 7 Jan, 8 Jan: the two holidays push it two working days on.
    assert deadline.due == D(2027, 1, 8)
    event = AuditEvent.objects.get(action="calendar.year_published")
    assert event.after["deadlines_recomputed"] == 1
    assert WorkCalendar().is_workday(D(2027, 1, 9)) == (True, False)  # the entered make-up Saturday


@pytest.mark.django_db
def test_entered_year_takes_precedence_over_the_package(admin):
    assert add_working_days(D(2026, 3, 2), 0).date == D(2026, 3, 2)
    calendar_year_enter(actor=admin, year=2026, holidays={D(2026, 3, 2): "测试更正"}, workdays=[], source="更正通知")
    assert add_working_days(D(2026, 3, 2), 0).date == D(2026, 3, 3)


@pytest.mark.django_db
def test_only_administrators_enter_calendars_and_bad_input_changes_nothing(make_staff, admin):
    clerk = make_staff("370602", Role.COUNTER_CLERK)
    with pytest.raises(PermissionDenied):
        calendar_year_enter(actor=clerk, year=2027, holidays={}, workdays=[], source="x")
    with pytest.raises(ValidationFailed) as caught:
        calendar_year_enter(actor=admin, year=2027, holidays={D(2028, 1, 1): "元旦"}, workdays=[], source="x")
    assert "不属于2027年" in caught.value.message
    with pytest.raises(ValidationFailed):
        calendar_year_enter(
            actor=admin, year=2027, holidays={D(2027, 1, 1): "元旦"}, workdays=[D(2027, 1, 1)], source="x"
        )
    assert not AuditEvent.objects.filter(action="calendar.year_published").exists()
    assert not Deadline.objects.exists()


@pytest.mark.django_db
def test_due_date_api_reports_provisional(api_client, make_staff):
    api_client.force_authenticate(make_staff("370602", Role.COUNTER_CLERK))
    body = api_client.get("/api/v1/workdays/due/", {"start": "2027-03-01", "days": 2}).json()
    assert body == {"start": "2027-03-01", "days": 2, "due": "2027-03-03", "provisional": True}
    bad = api_client.get("/api/v1/workdays/due/", {"start": "2027-13-01", "days": 2})
    assert bad.status_code == 400
    assert "start" in bad.json()["fields"]
