"""Working-day arithmetic with the official holiday schedule.

Precedence: a year entered on the platform (CalendarYear) → the chinesecalendar package
(it knows 2004–2026 in the pinned version) → Monday to Friday, marked provisional.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

import chinese_calendar

from dangan.workdays.models import CalendarDay, CalendarYear, DayKind

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Due:
    date: datetime.date
    provisional: bool


class WorkCalendar:
    """Answers for a span of years, loading each year's overrides once."""

    def __init__(self) -> None:
        self._entered: dict[int, dict[datetime.date, str] | None] = {}

    def _year(self, year: int) -> dict[datetime.date, str] | None:
        if year not in self._entered:
            if CalendarYear.objects.filter(year=year).exists():
                self._entered[year] = dict(
                    CalendarDay.objects.filter(calendar_year__year=year).values_list("date", "kind")
                )
            else:
                self._entered[year] = None
        return self._entered[year]

    def is_workday(self, day: datetime.date) -> tuple[bool, bool]:
        """(is a working day, answer is provisional)."""
        entered = self._year(day.year)
        if entered is not None:
            kind = entered.get(day)
            if kind == DayKind.HOLIDAY:
                return False, False
            if kind == DayKind.WORKDAY:
                return True, False
            return day.weekday() < 5, False
        try:
            return bool(chinese_calendar.is_workday(day)), False
        except NotImplementedError:
            return day.weekday() < 5, True

    def add_working_days(self, start: datetime.date, days: int) -> Due:
        """The `days`-th working day after `start`; 0 means start itself if it is a working day, else the next."""
        provisional = False
        current = start
        workday, prov = self.is_workday(current)
        provisional |= prov
        if days == 0:
            while not workday:
                current += ONE_DAY
                workday, prov = self.is_workday(current)
                provisional |= prov
            return Due(current, provisional)
        remaining = days
        while remaining > 0:
            current += ONE_DAY
            workday, prov = self.is_workday(current)
            provisional |= prov
            if workday:
                remaining -= 1
        return Due(current, provisional)

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after `start` up to and including `end`."""
        count = 0
        current = start
        while current < end:
            current += ONE_DAY
            if self.is_workday(current)[0]:
                count += 1
        return count


def add_working_days(start: datetime.date, days: int) -> Due:
    return WorkCalendar().add_working_days(start, days)


def is_workday(day: datetime.date) -> bool:
    return WorkCalendar().is_workday(day)[0]


def years_known_to_package() -> Iterable[int]:
    return range(2004, 2027)
