"""Reads of reviews and Party transfers, always scoped to the user's agency (and a supervisor's subtree, R48)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from dangan.agencies.selectors import readable_agency_ids
from dangan.core.errors import NotFound
from dangan.reviews import policies
from dangan.reviews.models import PartyTransfer, PoliticalReview

REVIEW_NOT_FOUND = "政审（考察）记录不存在或无权查看"
PARTY_NOT_FOUND = "党员组织关系接转记录不存在或无权查看"


def reviews_visible_to(user: Any) -> QuerySet[PoliticalReview]:
    if not policies.can_read(user):
        return PoliticalReview.objects.none()
    return (
        PoliticalReview.objects.filter(agency_id__in=readable_agency_ids(user))
        .select_related("request", "dossier__person", "agency", "drafted_by__staff", "approved_by__staff")
        .order_by("-created_at", "-pk")
    )


def review_for_reader(user: Any, review_id: int) -> PoliticalReview:
    found = reviews_visible_to(user).filter(pk=review_id).first()
    if found is None:
        raise NotFound(REVIEW_NOT_FOUND)
    return found


def party_transfers_visible_to(user: Any) -> QuerySet[PartyTransfer]:
    if not policies.can_read(user):
        return PartyTransfer.objects.none()
    return (
        PartyTransfer.objects.filter(agency_id__in=readable_agency_ids(user))
        .select_related("request", "dossier__person", "agency", "membership")
        .order_by("-created_at", "-pk")
    )


def party_transfer_for_reader(user: Any, transfer_id: int) -> PartyTransfer:
    found = party_transfers_visible_to(user).filter(pk=transfer_id).first()
    if found is None:
        raise NotFound(PARTY_NOT_FOUND)
    return found
