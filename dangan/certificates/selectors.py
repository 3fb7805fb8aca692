"""Reads of certificates, always scoped: staff by agency, the portal by the person or the applicant."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from dangan.agencies.policies import staff_of
from dangan.agencies.selectors import readable_agency_ids
from dangan.casework.models import ServiceRequest
from dangan.casework.selectors import requests_visible_to
from dangan.certificates.defaults import load_default_types
from dangan.certificates.models import Certificate, CertificateType
from dangan.core.errors import NotFound


def certificate_types(*, active_only: bool = True) -> QuerySet[CertificateType]:
    if not CertificateType.objects.exists():
        load_default_types(CertificateType)  # an emptied database (tests' flush) gets the defaults back
    qs = CertificateType.objects.all()
    return qs.filter(is_active=True) if active_only else qs


def certificates_visible_to(user: Any) -> QuerySet[Certificate]:
    """The issuing agency (and supervisors above it, R48) and the agency that accepted the request (R33, R34)."""
    staff = staff_of(user)
    if staff is None or not staff.role_set:  # R43: staff without a role read no certificate
        return Certificate.objects.none()
    return (
        Certificate.objects.filter(
            Q(issuing_agency_id__in=readable_agency_ids(user)) | Q(request__accepting_agency_id=staff.agency_id)
        )
        .select_related("issuing_agency", "certificate_type", "request", "dossier__person")
        .order_by("-issued_at", "-pk")
    )


def certificate_requests(user: Any, *, open_only: bool = True) -> QuerySet[ServiceRequest]:
    """Certificate applications the user's agency accepted or holds."""
    staff = staff_of(user)
    if staff is None or not staff.role_set:
        return ServiceRequest.objects.none()
    qs = requests_visible_to(user).filter(service_type="certificate")
    return qs.filter(completed_at__isnull=True) if open_only else qs


def certificate_request(user: Any, request_id: int) -> ServiceRequest:
    found = certificate_requests(user, open_only=False).filter(pk=request_id).first()
    if found is None:
        raise NotFound("办件不存在或无权查看")
    return found


def portal_certificates(*, user: Any, id_number: str = "") -> QuerySet[Certificate]:
    """For the portal: certificates about the person with this ID number, and those the user applied for."""
    condition = Q(request__submitted_by_id=user.pk) if getattr(user, "pk", None) else Q(pk__in=[])
    if id_number.strip():
        condition |= Q(dossier__person__id_number=id_number.strip().upper())
    return (
        Certificate.objects.filter(condition)
        .select_related("issuing_agency", "certificate_type", "dossier__person")
        .order_by("-issued_at", "-pk")
    )
