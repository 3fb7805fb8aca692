from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from dangan.agencies.policies import staff_of
from dangan.transfers.models import RequestLetter, Transfer


def transfers_visible_to(user: Any) -> QuerySet[Transfer]:
    """Outgoing transfers of the user's agency, the ones it accepted, and those coming to it."""
    staff = staff_of(user)
    if staff is None:
        return Transfer.objects.none()
    agency = staff.agency_id
    return (
        Transfer.objects.filter(
            Q(from_agency_id=agency) | Q(to_agency_id=agency) | Q(request__accepting_agency_id=agency)
        )
        .select_related("request", "dossier__person", "from_agency", "to_agency")
        .order_by("-pk")
    )


def incoming(user: Any) -> QuerySet[Transfer]:
    staff = staff_of(user)
    if staff is None:
        return Transfer.objects.none()
    return transfers_visible_to(user).filter(to_agency_id=staff.agency_id, request__status="dispatched")


def letters_of(user: Any) -> QuerySet[RequestLetter]:
    staff = staff_of(user)
    if staff is None:
        return RequestLetter.objects.none()
    return (
        RequestLetter.objects.filter(issuing_agency_id=staff.agency_id).select_related("holder_agency").order_by("-pk")
    )
