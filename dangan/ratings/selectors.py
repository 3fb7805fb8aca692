"""Reads of ratings and cases, scoped by agency; the report by agency, service type and staff member (R32, R48)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from dangan.agencies.models import Agency, Staff
from dangan.agencies.policies import staff_of
from dangan.agencies.selectors import readable_agency_ids
from dangan.casework import registry
from dangan.core.errors import NotFound, PermissionDenied
from dangan.ratings import policies
from dangan.ratings.grades import Grade, category_of
from dangan.ratings.models import CaseStatus, CounterVisit, Rating, RectificationCase

GROUPINGS = {"agency": "agency_id", "service_type": "service_type", "staff": "staff_id"}
UNFINISHED = (CaseStatus.OPEN, CaseStatus.VERIFIED, CaseStatus.ANSWERED, CaseStatus.APPEALED)
OTHER_SERVICE = "窗口咨询及其他"


def _has_role(user: Any) -> bool:
    staff = staff_of(user)
    return staff is not None and bool(staff.role_set)


def ratings_visible_to(user: Any) -> QuerySet[Rating]:
    if not _has_role(user):
        return Rating.objects.none()
    return (
        Rating.objects.filter(agency_id__in=readable_agency_ids(user))
        .select_related("agency", "staff__staff", "request", "case")
        .order_by("-rated_at", "-pk")
    )


def cases_visible_to(user: Any) -> QuerySet[RectificationCase]:
    if not _has_role(user):
        return RectificationCase.objects.none()
    return (
        RectificationCase.objects.filter(agency_id__in=readable_agency_ids(user))
        .select_related("agency", "rating__staff__staff", "rating__request")
        .order_by("due", "pk")
    )


def appeals_to_decide(user: Any) -> QuerySet[RectificationCase]:
    """Appeals from agencies below a supervisor's own (its subtree, not itself)."""
    staff = staff_of(user)
    if staff is None:
        return RectificationCase.objects.none()
    return cases_visible_to(user).filter(status=CaseStatus.APPEALED).exclude(agency_id=staff.agency_id)


def case_for_reader(user: Any, case_id: int) -> RectificationCase:
    case = cases_visible_to(user).filter(pk=case_id).first()
    if case is None:
        raise NotFound("整改记录不存在或无权查看")
    return case


def visit_for_clerk(user: Any, visit_id: int) -> CounterVisit:
    staff = staff_of(user)
    visit = CounterVisit.objects.filter(pk=visit_id).select_related("agency").first()
    if visit is None or staff is None or visit.agency_id != staff.agency_id:
        raise NotFound("窗口服务记录不存在或无权查看")
    return visit


def visit_by_token(token: str) -> CounterVisit | None:
    return CounterVisit.objects.select_related("agency").filter(token=token[:64]).first()


def service_title(code: str) -> str:
    if not code:
        return OTHER_SERVICE
    service_type = registry.get(code)
    return service_type.label if service_type else code


@dataclass
class ReportRow:
    key: str
    title: str
    grades: dict[str, int] = field(default_factory=dict)
    total: int = 0
    good: int = 0
    average: int = 0
    poor: int = 0
    excluded: int = 0
    cases_open: int = 0
    cases_overdue: int = 0

    def rate(self, count: int) -> float:
        return round(100.0 * count / self.total, 1) if self.total else 0.0

    @property
    def good_rate(self) -> float:
        return self.rate(self.good)

    @property
    def average_rate(self) -> float:
        return self.rate(self.average)

    @property
    def poor_rate(self) -> float:
        return self.rate(self.poor)

    @property
    def grade_counts(self) -> list[int]:
        return [self.grades.get(g, 0) for g in Grade.values]


def _titles(by: str, keys: list[Any]) -> dict[Any, str]:
    if by == "agency":
        return dict(Agency.objects.filter(pk__in=keys).values_list("pk", "name"))
    if by == "staff":
        return dict(Staff.objects.filter(user_id__in=[k for k in keys if k]).values_list("user_id", "full_name"))
    return {k: service_title(k) for k in keys}


def rating_report(
    user: Any,
    *,
    by: str = "agency",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    today: datetime.date,
) -> list[ReportRow]:
    """Counts per grade, good/average/poor rates (excluded ratings apart), open and overdue cases."""
    if not policies.can_read_report(user):
        raise PermissionDenied("您的岗位无权查看好差评统计")
    column = GROUPINGS.get(by)
    if column is None:
        raise NotFound("统计口径无效")
    ratings = Rating.objects.filter(agency_id__in=readable_agency_ids(user))
    if date_from:
        ratings = ratings.filter(rated_at__date__gte=date_from)
    if date_to:
        ratings = ratings.filter(rated_at__date__lte=date_to)
    counted = Q(excluded=False)
    grade_counts = {g: Count("pk", filter=counted & Q(grade=g)) for g in Grade.values}
    rows = (
        ratings.order_by()
        .values(column)
        .annotate(
            total=Count("pk", filter=counted),
            excluded_n=Count("pk", filter=Q(excluded=True)),
            cases_open=Count("case", filter=Q(case__status__in=UNFINISHED)),
            cases_overdue=Count("case", filter=Q(case__status__in=UNFINISHED, case__due__lt=today)),
            **{f"g_{g}": c for g, c in grade_counts.items()},
        )
    )
    result: list[ReportRow] = []
    keys = [row[column] for row in rows]
    titles = _titles(by, keys)
    for row in rows:
        key = row[column]
        counts = {g: row[f"g_{g}"] for g in Grade.values}
        report_row = ReportRow(
            key=str(key or ""), title=titles.get(key) or ("未指定" if by == "staff" else str(key)), grades=counts,
            total=row["total"], excluded=row["excluded_n"], cases_open=row["cases_open"],
            cases_overdue=row["cases_overdue"],
        )  # fmt: skip
        for grade, count in counts.items():
            category = category_of(grade)
            setattr(report_row, category, getattr(report_row, category) + count)
        result.append(report_row)
    return sorted(result, key=lambda r: (-r.total, r.title))
