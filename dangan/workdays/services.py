from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangan.agencies.models import Role
from dangan.agencies.policies import has_role
from dangan.audit import events
from dangan.audit.services import record
from dangan.core.errors import PermissionDenied, ValidationFailed
from dangan.workdays.calendar import WorkCalendar
from dangan.workdays.models import CalendarDay, CalendarYear, DayKind, Deadline

# Upper apps that keep their own due dates register a function (year, calendar) → number moved.
_RECOMPUTERS: list[Callable[[int, WorkCalendar], int]] = []


def register_recomputer(recompute: Callable[[int, WorkCalendar], int]) -> None:
    if recompute not in _RECOMPUTERS:
        _RECOMPUTERS.append(recompute)


def deadline_schedule(*, subject: models.Model, purpose: str, start: datetime.date, working_days: int) -> Deadline:
    """Create or reset the deadline of one subject for one purpose (called by other services)."""
    due = WorkCalendar().add_working_days(start, working_days)
    deadline, _created = Deadline.objects.update_or_create(
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        purpose=purpose,
        defaults={"start": start, "working_days": working_days, "due": due.date, "provisional": due.provisional},
    )
    return deadline


def calendar_year_enter(
    *,
    actor: Any,
    year: int,
    holidays: dict[datetime.date, str],
    workdays: list[datetime.date],
    source: str,
) -> tuple[CalendarYear, int]:
    """Enter (or correct) a year's official schedule and recompute the deadlines it touches."""
    if not has_role(actor, Role.ADMINISTRATOR):
        raise PermissionDenied(_("只有系统管理员可以录入节假日安排"))
    outside = [d for d in [*holidays, *workdays] if d.year != year]
    if outside:
        raise ValidationFailed(_("日期不属于%(y)d年") % {"y": year}, fields={"days": [d.isoformat() for d in outside]})
    both = set(holidays) & set(workdays)
    if both:
        raise ValidationFailed(
            _("同一天不能既是节假日又是调休上班日"), fields={"days": sorted(d.isoformat() for d in both)}
        )
    if not source.strip():
        raise ValidationFailed(_("请填写依据文件"), fields={"source": [_("此项为必填项")]})
    with transaction.atomic():
        calendar_year, _created = CalendarYear.objects.select_for_update().update_or_create(
            year=year, defaults={"source": source, "entered_by": actor, "entered_at": timezone.now()}
        )
        calendar_year.days.all().delete()
        CalendarDay.objects.bulk_create(
            [
                CalendarDay(calendar_year=calendar_year, date=d, kind=DayKind.HOLIDAY, name=n)
                for d, n in holidays.items()
            ]
            + [CalendarDay(calendar_year=calendar_year, date=d, kind=DayKind.WORKDAY) for d in workdays]
        )
        year_start = datetime.date(year, 1, 1)
        calendar = WorkCalendar()
        moved = 0
        affected = Deadline.objects.select_for_update().filter(
            due__gte=year_start, start__lte=datetime.date(year, 12, 31)
        )
        for deadline in affected:
            due = calendar.add_working_days(deadline.start, deadline.working_days)
            if due.date != deadline.due or due.provisional != deadline.provisional:
                deadline.due, deadline.provisional = due.date, due.provisional
                deadline.save(update_fields=["due", "provisional"])
                moved += 1
        for recompute in _RECOMPUTERS:
            moved += recompute(year, calendar)
        record(
            actor=actor,
            action=events.CALENDAR_PUBLISHED,
            subject=calendar_year,
            after={
                "year": year,
                "source": source,
                "holidays": sorted(d.isoformat() for d in holidays),
                "workdays": sorted(d.isoformat() for d in workdays),
                "deadlines_recomputed": moved,
            },
        )
    return calendar_year, moved
