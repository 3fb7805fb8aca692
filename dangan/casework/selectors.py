from __future__ import annotations

import datetime
from typing import Any

from django.db.models import F, Q, QuerySet

from dangan.agencies.policies import staff_of
from dangan.casework.models import Channel, ServiceRequest


def requests_visible_to(user: Any) -> QuerySet[ServiceRequest]:
    """Requests the user's agency accepted or holds: both follow the progress (R34)."""
    staff = staff_of(user)
    if staff is None:
        return ServiceRequest.objects.none()
    return (
        ServiceRequest.objects.filter(Q(holding_agency_id=staff.agency_id) | Q(accepting_agency_id=staff.agency_id))
        .select_related("holding_agency", "accepting_agency", "dossier__person", "assigned_to__staff")
        .order_by("-submitted_at")
    )


def same_day_queue(user: Any, today: datetime.date) -> QuerySet[ServiceRequest]:
    """R31: the online requests the agency must finish today, and those it did not finish on their day."""
    staff = staff_of(user)
    if staff is None:
        return ServiceRequest.objects.none()
    return (
        ServiceRequest.objects.filter(
            holding_agency_id=staff.agency_id, channel=Channel.ONLINE, completed_at__isnull=True, due__lte=today
        )
        .select_related("assigned_to__staff", "dossier__person")
        .order_by("due", "submitted_at")
    )


def late_online_count(agency_id: int, today: datetime.date) -> int:
    """Online requests not finished on their working day (open and past due, or finished after it)."""
    open_late = ServiceRequest.objects.filter(
        holding_agency_id=agency_id, channel=Channel.ONLINE, completed_at__isnull=True, due__lt=today
    ).count()
    finished_late = ServiceRequest.objects.filter(
        holding_agency_id=agency_id, channel=Channel.ONLINE, completed_at__date__gt=F("due")
    ).count()
    return open_late + finished_late
