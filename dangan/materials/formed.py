"""The date a material was formed, with the precision the paper gives (pure).

Catalogues often know only the year or the month. A year is stored as 1 January, a month as its
first day; the precision says how much of the date is real.
"""

from __future__ import annotations

import datetime
import re

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Precision(models.TextChoices):
    DAY = "day", gettext_lazy("年月日")
    MONTH = "month", gettext_lazy("年月")
    YEAR = "year", gettext_lazy("仅年份")
    UNDATED = "undated", gettext_lazy("时间不详")


# Within the same stored date a year sorts before a month, a month before a day.
_RANK: dict[str, int] = {Precision.YEAR: 0, Precision.MONTH: 1, Precision.DAY: 2, Precision.UNDATED: 3}
_SEPARATORS = re.compile(r"[.\-/年月]")
EARLIEST_YEAR = 1900


def normalise(value: datetime.date | None, precision: str) -> datetime.date | None:
    if precision == Precision.UNDATED:
        return None
    if value is None:
        raise ValueError(_("请填写材料制成时间，或选择“时间不详”"))
    if precision == Precision.YEAR:
        return value.replace(month=1, day=1)
    if precision == Precision.MONTH:
        return value.replace(day=1)
    if precision == Precision.DAY:
        return value
    raise ValueError(_("时间精度无效"))


def parse(text: str) -> tuple[datetime.date | None, str]:
    """Read what a clerk types: 2010, 2010.3, 2010-03, 2010年3月, 2010.03.05, 20100305; empty means undated."""
    text = text.strip().rstrip("日")
    if not text:
        return None, Precision.UNDATED
    if text.isdigit() and len(text) in (6, 8):
        parts = [text[:4], text[4:6], *([text[6:]] if len(text) == 8 else [])]
    else:
        parts = [p for p in _SEPARATORS.split(text) if p]
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
        raise ValueError(_("时间格式应为 2010、2010.03 或 2010.03.05"))
    numbers = [int(p) for p in parts] + [1] * (3 - len(parts))
    try:
        value = datetime.date(numbers[0], numbers[1], numbers[2])
    except ValueError:
        raise ValueError(_("日期不存在，请核对")) from None
    precision = (Precision.YEAR, Precision.MONTH, Precision.DAY)[len(parts) - 1]
    return value, precision


def display(value: datetime.date | None, precision: str) -> str:
    """年.月.日 with as much as is known: 2010.03.05, 2010.03, 2010, or empty."""
    if value is None or precision == Precision.UNDATED:
        return ""
    if precision == Precision.YEAR:
        return f"{value.year}"
    if precision == Precision.MONTH:
        return f"{value.year}.{value.month:02d}"
    return f"{value.year}.{value.month:02d}.{value.day:02d}"


def sort_key(value: datetime.date | None, precision: str) -> tuple[int, datetime.date, int]:
    """Filing order: by date, a bare year at the start of its year, undated last."""
    if value is None or precision == Precision.UNDATED:
        return (1, datetime.date.max, _RANK[Precision.UNDATED])
    return (0, value, _RANK.get(precision, 2))
