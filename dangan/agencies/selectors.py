from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from dangan.agencies.models import Agency, Role
from dangan.agencies.policies import staff_of


def agencies_visible_to(user: Any) -> QuerySet[Agency]:
    staff = staff_of(user)
    if staff is None:
        return Agency.objects.none()
    if Role.SUPERVISOR in staff.role_set:
        return Agency.objects.filter(path__startswith=staff.agency.path)
    return Agency.objects.filter(pk=staff.agency_id)


def readable_agency_ids(user: Any) -> list[int]:
    """Evaluated at once, and once per loaded user (a request): a short literal list plans faster than a
    subquery joined into lookups on the big tables."""
    staff = staff_of(user)
    if staff is None:
        return []
    cached: list[int] | None = staff.__dict__.get("_readable_agency_ids")
    if cached is None:
        if Role.SUPERVISOR in staff.role_set:
            cached = list(agencies_visible_to(user).values_list("pk", flat=True))
        else:
            cached = [staff.agency_id]  # what agencies_visible_to gives, without asking the database
        staff.__dict__["_readable_agency_ids"] = cached
    return cached


def agency_by_code(code: str) -> Agency:
    return Agency.objects.get(code=code)
