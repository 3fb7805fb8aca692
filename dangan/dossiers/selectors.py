from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from dangan.agencies.models import Role
from dangan.agencies.policies import staff_of
from dangan.agencies.selectors import readable_agency_ids
from dangan.core.errors import NotFound, PermissionDenied
from dangan.dossiers.models import Dossier
from dangan.dossiers.policies import can_act_on_dossier, can_read_dossier


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


def dossier_for_action(actor: Any, dossier_id: int, *roles: str, lock: bool = False) -> Dossier:
    """The dossier an actor is about to change: missing and out of scope look the same (404);
    readable but not actionable (wrong role, supervisor) is 403."""
    qs = Dossier.objects.select_related("person", "holding_agency", "custodian")
    if lock:
        qs = qs.select_for_update(of=("self",))
    dossier = qs.filter(pk=dossier_id).first()
    if dossier is None or not can_read_dossier(actor, dossier):
        raise NotFound("档案不存在或无权查看")
    if not can_act_on_dossier(actor, dossier, *roles):
        raise PermissionDenied("您的岗位无权办理此档案的该项业务")
    return dossier
