"""Reads of consultations, loans and the recusal register; every query is scoped to the user's agency."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from dangan.agencies.policies import staff_of
from dangan.agencies.selectors import readable_agency_ids
from dangan.lending.models import Consultation, CopyRequest, Loan, LoanState, ReadingSession, Relative
from dangan.storage.models import Room, RoomKind


def _scope(user: Any) -> Q | None:
    """The holder's requests (a supervisor's subtree, R48) and the ones this agency accepted for others (R33)."""
    staff = staff_of(user)
    if staff is None or not staff.role_set:
        return None
    return Q(request__holding_agency_id__in=readable_agency_ids(user)) | Q(request__accepting_agency_id=staff.agency_id)


def consultations_visible_to(user: Any) -> QuerySet[Consultation]:
    scope = _scope(user)
    if scope is None:
        return Consultation.objects.none()
    return (
        Consultation.objects.filter(scope)
        .select_related("request__holding_agency", "request__accepting_agency", "dossier__person", "decided_by__staff")
        .order_by("-pk")
    )


def consultation_detail(user: Any, consultation_id: int) -> Consultation | None:
    sessions = ReadingSession.objects.select_related("room", "opened_by__staff", "closed_by__staff").prefetch_related(
        "readers", Prefetch("copies", queryset=CopyRequest.objects.select_related("requested_by__staff"))
    )
    return (
        consultations_visible_to(user)
        .prefetch_related("readers", Prefetch("sessions", queryset=sessions))
        .filter(pk=consultation_id)
        .first()
    )


def loans_visible_to(user: Any) -> QuerySet[Loan]:
    scope = _scope(user)
    if scope is None:
        return Loan.objects.none()
    return (
        Loan.objects.filter(scope)
        .select_related(
            "request__holding_agency",
            "request__accepting_agency",
            "dossier__person",
            "decided_by__staff",
            "lent_by__staff",
            "returned_by__staff",
        )
        .order_by("-pk")
    )


def loans_overdue(user: Any, *, today: datetime.date) -> QuerySet[Loan]:
    """The daily overdue list (R14): loans still out after their due date, longest overdue first."""
    return loans_visible_to(user).filter(state=LoanState.ON_LOAN, due_on__lt=today).order_by("due_on", "pk")


def loans_escalated(user: Any) -> QuerySet[Loan]:
    """Returns whose check found a difference (R14, R15): escalated to approvers and supervisors."""
    return loans_visible_to(user).filter(escalated_at__isnull=False).order_by("-escalated_at")


def relatives_of(user: Any) -> QuerySet[Relative]:
    staff = staff_of(user)
    if staff is None:
        return Relative.objects.none()
    return Relative.objects.filter(staff=staff).order_by("withdrawn_at", "-declared_at")


def reading_rooms(user: Any) -> QuerySet[Room]:
    staff = staff_of(user)
    if staff is None:
        return Room.objects.none()
    return Room.objects.filter(agency_id=staff.agency_id, kind=RoomKind.READING_ROOM).order_by("name")
