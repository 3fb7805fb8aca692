from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from dangan.agencies.policies import staff_of
from dangan.agreements.terms import add_years
from dangan.dossiers.models import Dossier
from dangan.transfers.models import RequestLetter, Transfer
from dangan.transfers.retirement import retirement_date


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


@dataclass(frozen=True)
class Nearing:
    dossier: Dossier
    retires_on: datetime.date


def nearing_retirement(agency: Any, *, today: datetime.date, within_days: int = 31) -> list[Nearing]:
    """R18: persons whose statutory retirement date falls within the next month, to prepare the hand-over."""
    horizon = today + datetime.timedelta(days=within_days)
    # Coarse filter in the database (born at most 63 years before the horizon), exact date in Python.
    oldest = add_years(horizon, -64)  # a horizon on 29 February: 1 March (a coarse bound either way)
    youngest = add_years(horizon, -50)
    candidates = Dossier.objects.filter(
        holding_agency=agency, status="in_custody", person__birth_date__gte=oldest, person__birth_date__lte=youngest,
        person__died_on__isnull=True,
    ).select_related("person")  # fmt: skip
    rows = []
    for dossier in candidates.iterator(chunk_size=2000):
        person = dossier.person
        on = retirement_date(person.birth_date, person.sex, person.retirement_track)
        if today <= on <= horizon:
            rows.append(Nearing(dossier=dossier, retires_on=on))
    return sorted(rows, key=lambda r: r.retires_on)
