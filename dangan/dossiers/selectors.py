from __future__ import annotations

import re
from typing import Any

from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Collate
from django.http import Http404

from dangan.agencies.models import Role
from dangan.agencies.policies import staff_of
from dangan.agencies.selectors import readable_agency_ids
from dangan.core.errors import NotFound, PermissionDenied
from dangan.core.validators import resident_id_from_legacy, search_term
from dangan.dossiers.models import Dossier, Gap, GapStatus, Intake
from dangan.dossiers.policies import can_act_on_dossier, can_read_dossier


def dossiers_visible_to(user: Any) -> QuerySet[Dossier]:
    staff = staff_of(user)
    if staff is None:
        return Dossier.objects.none()
    condition = Q(holding_agency_id__in=readable_agency_ids(user))
    if Role.ARCHIVE_KEEPER in staff.role_set:
        condition |= Q(custodian_id=staff.agency_id)
    return Dossier.objects.filter(condition).select_related("person", "holding_agency", "custodian")


_ID_NUMBER = re.compile(r"^\d{17}[\dXx]$")
_LEGACY_ID_NUMBER = re.compile(r"^\d{15}$")
_DIGITS = re.compile(r"^\d+$")


def query_shape(query: str) -> tuple[str, str]:
    """What a search box's text is: ("id_number" | "barcode" | "number" | "name" | "all", normalised value).

    A 15-digit first-generation ID number is searched in its 18-digit form, the only one stored (R36)."""
    query = search_term(query)
    if not query:
        return "all", ""
    if _ID_NUMBER.match(query):
        return "id_number", query.upper()
    if _LEGACY_ID_NUMBER.match(query):
        return "id_number", resident_id_from_legacy(query)
    if query[:2].upper() == "DA":
        return "barcode", query.upper()
    if _DIGITS.match(query):
        return "number", query
    return "name", query


def dossier_search(user: Any, query: str) -> QuerySet[Dossier]:
    """Search by ID number, barcode, dossier number or name prefix; each shape uses its own index.
    `dossiers.lookup` runs the same search as one prepared statement for the API and the counter."""
    qs = dossiers_visible_to(user)
    shape, value = query_shape(query)
    if shape == "all":
        return qs.order_by("-received_on", "-pk")
    if shape == "id_number":
        return qs.filter(person__id_number=value).order_by("pk")
    if shape == "barcode":
        return qs.filter(barcode=value).order_by("pk")
    if shape == "number":
        return qs.filter(number=value).order_by("pk")
    # Names in code-point order (PostgreSQL's "C"; SQLite's BINARY already is), ties by person: one dossier each.
    name = Collate("person__name", "C") if connection.vendor == "postgresql" else F("person__name")
    return qs.filter(person__name__startswith=value).order_by(name.asc(), "person_id")


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


def intake_for_reader(user: Any, intake_id: int) -> Intake:
    intake = (
        Intake.objects.select_related("dossier__person", "agency", "received_by__staff").filter(pk=intake_id).first()
    )
    if intake is None or intake.dossier_id not in dossiers_visible_to(user).values_list("pk", flat=True):
        raise Http404("接收记录不存在或无权查看")
    return intake


def gaps_for_follow_up(user: Any, *, status: str = GapStatus.OPEN) -> QuerySet[Gap]:
    """The follow-up list of missing materials (R11) for the dossiers the user may see."""
    visible = dossiers_visible_to(user).values("pk")
    qs = Gap.objects.filter(dossier_id__in=visible).select_related("dossier__person", "intake")
    if status in GapStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("deadline", "pk")
