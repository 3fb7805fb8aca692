from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from dangan.agencies.models import Role
from dangan.agencies.policies import staff_of
from dangan.agencies.selectors import readable_agency_ids
from dangan.dossiers.models import Dossier


def dossiers_visible_to(user: Any) -> QuerySet[Dossier]:
    staff = staff_of(user)
    if staff is None:
        return Dossier.objects.none()
    condition = Q(holding_agency_id__in=readable_agency_ids(user))
    if Role.ARCHIVE_KEEPER in staff.role_set:
        condition |= Q(custodian_id=staff.agency_id)
    return Dossier.objects.filter(condition).select_related("person", "holding_agency", "custodian")


def dossier_search(user: Any, query: str) -> QuerySet[Dossier]:
    qs = dossiers_visible_to(user)
    query = query.strip()
    if not query:
        return qs.order_by("-received_on", "-pk")
    return qs.filter(
        Q(person__id_number=query.upper()) | Q(number=query) | Q(barcode=query) | Q(person__name__startswith=query)
    ).order_by("person__name", "pk")
