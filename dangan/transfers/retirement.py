"""Statutory retirement age under the 2024 decision on gradually delaying it (in force 2025-01-01).

Men (originally 60) and women cadres (55): one month later for every four months of birth from
January 1965 / January 1970, at most 36 months. Women workers (50): one month later for every two
months of birth from January 1975, at most 60 months.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Track:
    base_years: int
    reform_start: tuple[int, int]  # first birth (year, month) affected
    months_per_step: int
    max_delay: int


TRACKS = {
    "male_60": Track(60, (1965, 1), 4, 36),
    "female_55": Track(55, (1970, 1), 4, 36),
    "female_50": Track(50, (1975, 1), 2, 60),
}


def track_of(sex: str, declared: str = "") -> Track:
    if declared in TRACKS:
        return TRACKS[declared]
    return TRACKS["male_60"] if sex == "1" else TRACKS["female_55"]


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def delay_months(birth: datetime.date, track: Track) -> int:
    start_year, start_month = track.reform_start
    elapsed = (birth.year - start_year) * 12 + (birth.month - start_month)
    if elapsed < 0:
        return 0
    return min(track.max_delay, elapsed // track.months_per_step + 1)


def retirement_date(birth: datetime.date, sex: str, declared: str = "") -> datetime.date:
    track = track_of(sex, declared)
    return _add_months(birth, track.base_years * 12 + delay_months(birth, track))
