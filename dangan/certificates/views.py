"""Console pages for certificates, and the public verification page."""

from __future__ import annotations

import hmac
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from dangan.agencies.policies import staff_of
from dangan.casework import registry
from dangan.certificates import policies, services
from dangan.certificates.forms import ApplyForm, DecideForm, RevokeForm, TypeForm
from dangan.certificates.models import Certificate
from dangan.certificates.papers import certificate_filename, certificate_pdf, verify_url
from dangan.certificates.selectors import (
    certificate_request,
    certificate_requests,
    certificate_types,
    certificates_visible_to,
)
from dangan.core.errors import ApplicationError, NotFound
from dangan.core.forms import add_service_errors
from dangan.core.pdf import pdf_response


@login_required
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "pending": certificate_requests(request.user).select_related("dossier__person")[:100],
        "certificates": certificates_visible_to(request.user)[:100],
        "can_manage_types": policies.can_manage_types(request.user),
    }
    return render(request, "certificates/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    form = ApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            found = services.certificate_apply(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            add_service_errors(exc, form)
        else:
            messages.success(request, f"已受理，办件编号 {found.number}")
            return HttpResponseRedirect(reverse("certificates:request", args=[found.pk]))
    return render(request, "certificates/form.html", {"form": form, "title": "受理证明申请"})


def _request_page(
    request: HttpRequest, pk: int, *, missing: list[str] | None = None, status: int = 200
) -> HttpResponse:
    try:
        found = certificate_request(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    code = str((found.details or {}).get("certificate_type", ""))
    certificate_type = certificate_types(active_only=False).filter(code=code).first()
    staff = staff_of(request.user)
    is_holder = staff is not None and staff.agency_id == found.holding_agency_id and found.completed_at is None
    context: dict[str, Any] = {
        "r": found,
        "certificate_type": certificate_type,
        "status_label": registry.status_label(found.service_type, found.status),
        "certificates": found.certificates.all(),
        "can_issue": is_holder and policies.can_issue(request.user, found.holding_agency),
        "decide_form": DecideForm() if is_holder else None,
        "missing": missing or [],
    }
    return render(request, "certificates/request.html", context, status=status)


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _request_page(request, pk)


@login_required
@require_POST
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        certificate = services.certificate_issue(actor=request.user, request_id=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return _request_page(request, pk, missing=exc.fields.get("missing", []), status=exc.status)
    messages.success(request, f"已出具证明 {certificate.serial}")
    return HttpResponseRedirect(reverse("certificates:detail", args=[certificate.pk]))


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
        return HttpResponseRedirect(reverse("certificates:request", args=[pk]))
    try:
        services.certificate_decide(actor=request.user, request_id=pk, **form.cleaned_data)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已办理")
    return HttpResponseRedirect(reverse("certificates:request", args=[pk]))


def _visible(request: HttpRequest, pk: int) -> Certificate:
    certificate = certificates_visible_to(request.user).filter(pk=pk).first()
    if certificate is None:
        raise Http404("证明不存在或无权查看")
    return certificate


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = _visible(request, pk)
    can_revoke = certificate.status == "valid" and policies.can_revoke(request.user, certificate.issuing_agency)
    context = {
        "c": certificate,
        "verdict": certificate.verdict(timezone.localdate()),
        "verify_url": verify_url(certificate),
        "revoke_form": RevokeForm() if can_revoke else None,
    }
    return render(request, "certificates/detail.html", context)


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _visible(request, pk)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
    else:
        try:
            services.certificate_revoke(actor=request.user, certificate_id=pk, **form.cleaned_data)
        except ApplicationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "证明已作废")
    return HttpResponseRedirect(reverse("certificates:detail", args=[pk]))


@login_required
def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = _visible(request, pk)
    return pdf_response(certificate_pdf(certificate), certificate_filename(certificate))


@login_required
def type_list(request: HttpRequest) -> HttpResponse:
    if not policies.can_manage_types(request.user):
        raise DjangoPermissionDenied("只有系统管理员可以维护证明类型")
    return render(request, "certificates/types.html", {"types": certificate_types(active_only=False)})


@login_required
@require_http_methods(["GET", "POST"])
def type_edit(request: HttpRequest, code: str = "") -> HttpResponse:
    if not policies.can_manage_types(request.user):
        raise DjangoPermissionDenied("只有系统管理员可以维护证明类型")
    existing = certificate_types(active_only=False).filter(code=code).first() if code else None
    if code and existing is None:
        raise Http404("证明类型不存在")
    names = ("code", "name", "body", "needs_approval", "valid_days", "is_active", "sort_order")
    initial = {f: getattr(existing, f) for f in names} if existing else None
    form = TypeForm(request.POST or None, initial=initial)
    if existing is not None:
        form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_type_save(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            add_service_errors(exc, form)
        else:
            messages.success(request, "证明类型已保存")
            return HttpResponseRedirect(reverse("certificates:types"))
    title = f"证明类型：{existing.name}" if existing else "新增证明类型"
    return render(request, "certificates/form.html", {"form": form, "title": title})


def certificate_verify(request: HttpRequest, serial: str) -> HttpResponse:
    """Public: genuine and valid, revoked, expired or unknown; only the masked name shows (R43)."""
    token = request.GET.get("t", "")
    certificate = (
        Certificate.objects.select_related("issuing_agency", "certificate_type").filter(serial=serial[:30]).first()
    )
    if certificate is not None and not hmac.compare_digest(certificate.token.encode(), token.encode()):
        certificate = None  # a wrong token looks like an unknown serial: numbers cannot be probed
    context = {
        "c": certificate,
        "verdict": certificate.verdict(timezone.localdate()) if certificate else "unknown",
    }
    return render(request, "certificates/verify.html", context, status=200 if certificate else 404)
