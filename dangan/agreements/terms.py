"""Date arithmetic of agreements (pure): terms, the renewal window, late change reports (R22, R25)."""

from __future__ import annotations

import calendar
import datetime

ONE_DAY = datetime.timedelta(days=1)
MAX_TERM_YEARS = 10


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Same day of the month `months` later (or earlier); a missing day becomes the month's last."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The anniversary; 29 February's anniversary in a common year is 1 March."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return datetime.date(day.year + years, 3, 1)


def term_end(start: datetime.date, years: int) -> datetime.date:
    """Last day of a term of whole years that starts on `start`: start + N years − 1 day."""
    return add_years(start, years) - ONE_DAY


def renewal_window(end: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Annex 1 §一: renewal is applied for in the month before the agreement expires (end − 1 month … end)."""
    return add_months(end, -1), end


def in_renewal_window(end: datetime.date, today: datetime.date) -> bool:
    opens, closes = renewal_window(end)
    return opens <= today <= closes


def change_overdue(effective_on: datetime.date, reported_on: datetime.date) -> bool:
    """Annex 1 §三7: changes are reported in writing within one month."""
    return reported_on > add_months(effective_on, 1)
