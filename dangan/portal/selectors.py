from __future__ import annotations

from django.db.models import QuerySet

from dangan.casework.models import RequestStep, ServiceRequest
from dangan.dossiers.models import Dossier, Gap, GapStatus
from dangan.dossiers.workflow import IN_STOCK
from dangan.portal.models import AccountKind, PortalAccount


def my_dossier(account: PortalAccount) -> Dossier | None:
    if account.kind != AccountKind.PERSON or not account.id_number:
        return None
    return (
        Dossier.objects.select_related("holding_agency", "custodian", "person")
        .filter(person__id_number=account.id_number, status__in=IN_STOCK)
        .first()
    )


def my_gaps(account: PortalAccount) -> QuerySet[Gap]:
    return Gap.objects.filter(dossier__person__id_number=account.id_number, status=GapStatus.OPEN).order_by("deadline")


def my_requests(account: PortalAccount) -> QuerySet[ServiceRequest]:
    """Requests the account made, and (for a person) those made for their dossier by an employer or at a counter."""
    qs = ServiceRequest.objects.filter(submitted_by=account.user)
    if account.kind == AccountKind.PERSON and account.id_number:
        qs = ServiceRequest.objects.filter(submitted_by=account.user) | ServiceRequest.objects.filter(
            dossier__person__id_number=account.id_number, applicant_id_number=account.id_number
        )
    return qs.select_related("holding_agency").order_by("-submitted_at").distinct()


def my_request(account: PortalAccount, request_id: int) -> ServiceRequest | None:
    return my_requests(account).filter(pk=request_id).prefetch_related("steps").first()


def notifications(account: PortalAccount, limit: int = 20) -> list[RequestStep]:
    """Every step taken on the account's requests is a notification; unread ones are newer than the last visit."""
    return list(
        RequestStep.objects.filter(request__in=my_requests(account).values("pk"))
        .select_related("request", "agency")
        .order_by("-at")[:limit]
    )
