from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dangan.agencies.models import Agency
from dangan.agreements import selectors as agreement_selectors
from dangan.audit.services import record
from dangan.casework import registry
from dangan.certificates.papers import portal_certificate_pdf
from dangan.certificates.selectors import certificate_types
from dangan.core.errors import ApplicationError
from dangan.core.forms import add_service_errors
from dangan.core.pdf import pdf_response
from dangan.portal import reports, selectors, services
from dangan.portal.forms import ChangeReportForm, DepartureReportForm, SignInForm, SignUpForm
from dangan.portal.models import AccountKind, PortalAccount
from dangan.portal.sections import agreement_section, certificate_section, rating_section, reports_section
from dangan.ratings.services import rating_submit


def portal_login_required(view: Any) -> Any:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        account = getattr(request.user, "portal_account", None) if request.user.is_authenticated else None
        if account is None:
            return HttpResponseRedirect(reverse("portal:login") + "?next=" + request.path)
        request.account = account  # type: ignore[attr-defined]
        response: HttpResponse = view(request, *args, **kwargs)
        return response

    return wrapper


@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.account_sign_up(**form.cleaned_data)
        except ApplicationError as exc:
            add_service_errors(exc, form)
        else:
            login(request, account.user, backend="dangan.agencies.authentication.StaffModelBackend")
            return HttpResponseRedirect(reverse("portal:home"))
    return render(request, "portal/form.html", {"form": form, "title": "注册", "submit": "注册"})


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = services.account_sign_in(request=request, **form.cleaned_data)
        except ApplicationError as exc:
            add_service_errors(exc, form)
            status = exc.status if exc.status == 429 else 200
        else:
            login(request, user)
            next_url = request.GET.get("next", "")
            return HttpResponseRedirect(next_url if next_url.startswith("/portal/") else reverse("portal:home"))
    # The login page is where a party lands: the latest public notices beside it, and the link to all (R29).
    context = {
        "form": form, "title": _("登录"), "submit": _("登录"), "signin": True,
        "notices": list(agreement_selectors.notices_published()[:3]),
    }  # fmt: skip
    return render(request, "portal/login.html", context, status=status)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return HttpResponseRedirect(reverse("portal:login"))


@portal_login_required
def home(request: HttpRequest) -> HttpResponse:
    account: PortalAccount = request.account  # type: ignore[attr-defined]
    dossier = selectors.my_dossier(account)
    if dossier is not None:
        record(
            actor=request.user,
            action="portal.dossier_viewed",
            subject=dossier,
            dossier_id=dossier.pk,
            actor_name=account.name,
        )
    steps = selectors.notifications(account)
    unread = [s for s in steps if account.last_seen_at is None or s.at > account.last_seen_at]
    context = {
        "account": account,
        "dossier": dossier,
        "gaps": selectors.my_gaps(account) if dossier else [],
        "requests": selectors.my_requests(account)[:20],
        "notifications": steps,
        "unread": len(unread),
        "extras": [fn(account) for fn in HOME_SECTIONS],
    }
    PortalAccount.objects.filter(pk=account.pk).update(last_seen_at=timezone.now())
    return render(request, "portal/home.html", context)


# Sections of the home page: callables (account) → html or None.
HOME_SECTIONS: list[Any] = [agreement_section, reports_section]


@portal_login_required
def service_list(request: HttpRequest) -> HttpResponse:
    account: PortalAccount = request.account  # type: ignore[attr-defined]
    kind = "person" if account.kind == "person" else "employer"
    types = [t for t in registry.all_types() if kind in t.applicants]
    return render(request, "portal/services.html", {"types": types, "kind": kind})


@portal_login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, code: str) -> HttpResponse:
    """The complete checklist first (一次办好, R30), then the uploads, then one submission."""
    account: PortalAccount = request.account  # type: ignore[attr-defined]
    kind = "person" if account.kind == "person" else "employer"
    service_type = registry.get(code)
    if service_type is None or kind not in service_type.applicants:
        raise Http404("服务事项不存在")
    checklist = service_type.checklist_for(kind)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        files = {
            item.key: (str(f.name or ""), bytes(f.read()))
            for item in checklist
            if (f := request.FILES.get(item.key)) is not None
        }
        details = {"purpose": request.POST.get("purpose", "")[:100]}
        if code == "certificate":
            details["certificate_type"] = request.POST.get("certificate_type", "")[:30]
        if code in RECORD_FIELDS:
            details.update({key: request.POST.get(key, "")[:200] for key in RECORD_FIELDS[code]})
        try:
            created = services.portal_apply(
                user=request.user, service_code=code, files=files, details=details,
                employee_id_number=request.POST.get("employee_id_number", ""),
            )  # fmt: skip
        except ApplicationError as exc:
            errors = {**exc.fields, "general": [exc.message]} if not exc.fields else exc.fields
        else:
            return HttpResponseRedirect(reverse("portal:request", args=[created.pk]))
    certificate_choices = list(certificate_types().values_list("code", "name")) if code == "certificate" else []
    context = {"service_type": service_type, "checklist": checklist, "errors": errors, "kind": kind}
    if code == "transfer_out":
        context["agencies"] = Agency.objects.filter(is_active=True, holds_dossiers=True).order_by("path")
    if code == "hand_over":
        context["townships"] = Agency.objects.filter(is_active=True, level="township").order_by("path")
    if code in RECORD_FIELDS:
        context["entered"] = {key: request.POST.get(key, "") for key in RECORD_FIELDS[code]}
    return render(request, "portal/apply.html", {**context, "certificate_choices": certificate_choices})


# What the transfer-out and Party-transfer applications also ask (their records need it).
RECORD_FIELDS = {
    "transfer_out": ("to_agency", "to_name", "to_address", "reason"),
    "hand_over": ("to_agency", "early_retirement_approval"),
    "party_transfer": (
        "direction", "letter_number", "issuing_organisation", "receiving_organisation", "issued_on", "valid_until",
    ),
}  # fmt: skip


@portal_login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account: PortalAccount = request.account  # type: ignore[attr-defined]
    found = selectors.my_request(account, pk)
    if found is None:
        raise Http404("办件不存在")
    extras = [fn(account, found, request) for fn in REQUEST_SECTIONS]
    return render(
        request,
        "portal/request.html",
        {"r": found, "status_label": registry.status_label(found.service_type, found.status),
         "service_type": registry.get(found.service_type), "extras": [e for e in extras if e]},
    )  # fmt: skip


# Sections of a request page: (account, request) → html or None.
REQUEST_SECTIONS: list[Any] = [certificate_section, rating_section]


@portal_login_required
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    account: PortalAccount = request.account  # type: ignore[attr-defined]
    try:
        pdf, filename = portal_certificate_pdf(user=request.user, id_number=account.id_number, certificate_id=pk)
    except ApplicationError:
        raise Http404("证明不存在或已失效") from None
    return pdf_response(pdf, filename, inline=False)


@portal_login_required
@require_POST
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    account: PortalAccount = request.account  # type: ignore[attr-defined]
    found = selectors.my_request(account, pk)
    if found is None:
        raise Http404("办件不存在")
    try:
        rating_submit(
            rater=request.user, request_id=found.pk, grade=request.POST.get("grade", ""),
            comment=request.POST.get("comment", "")[:500], channel="online",
        )  # fmt: skip
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "感谢您的评价")
    return HttpResponseRedirect(reverse("portal:request", args=[pk]))


def employer_required(view: Any) -> Any:
    """Pages of an employer account only; a person's account is refused (403)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        account: PortalAccount = request.account  # type: ignore[attr-defined]
        if account.kind != AccountKind.EMPLOYER or not account.credit_code:
            raise DjangoPermissionDenied(_("只有用人单位账号可以办理"))
        response: HttpResponse = view(request, *args, **kwargs)
        return response

    return portal_login_required(wrapper)


def _report_page(request: HttpRequest, form: Any, *, title: str, intro: str, submit: str, **extra: Any) -> HttpResponse:
    context = {"form": form, "title": title, "intro": intro, "submit": submit, **extra}
    return render(request, "portal/report_form.html", context)


@employer_required
@require_http_methods(["GET", "POST"])
def report_departure(request: HttpRequest, entry_id: int) -> HttpResponse:
    """The employer reports an employee's departure and the employee's choice (annex 1 §三6)."""
    account: PortalAccount = request.account  # type: ignore[attr-defined]
    entry = selectors.my_roster_entry(account, entry_id)
    if entry is None:
        raise Http404(_("本单位委托存档名册中没有该职工"))
    form = DepartureReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reports.report_departure_submit(
                user=request.user, entry_id=entry.pk, left_on=data["left_on"], choice=data["choice"] or "",
                transfer_to=data["transfer_to"], personal_services=data["personal_services"], note=data["note"],
            )  # fmt: skip
        except ApplicationError as exc:
            add_service_errors(exc, form)
        else:
            messages.success(request, _("已提交%(n)s的离职报告，请等待存档机构审核") % {"n": entry.dossier.person.name})
            return HttpResponseRedirect(reverse("portal:home") + "#reports")
    return _report_page(
        request, form, title=_("报告职工离职：%(n)s") % {"n": entry.dossier.person.name}, entry=entry,
        submit=_("提交离职报告"),
        intro=_("职工离职后，请按本人意愿选择签订个人委托存档协议，或办理档案转出（附件1 三6）。存档机构审核后登记。"),
    )  # fmt: skip


@employer_required
@require_http_methods(["GET", "POST"])
def report_change(request: HttpRequest) -> HttpResponse:
    """The employer reports a change of its registered information (annex 1 §三7)."""
    account: PortalAccount = request.account  # type: ignore[attr-defined]
    employer = selectors.my_employer(account)
    if employer is None:
        raise Http404(_("本单位没有履行中的委托集体存档协议"))
    form = ChangeReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reports.report_change_submit(
                user=request.user, field=data["field"], new_value=data["new_value"],
                effective_on=data["effective_on"], note=data["note"],
            )  # fmt: skip
        except ApplicationError as exc:
            add_service_errors(exc, form)
        else:
            messages.success(request, _("已提交单位信息变更报告，请等待存档机构审核"))
            return HttpResponseRedirect(reverse("portal:home") + "#reports")
    return _report_page(
        request, form, title=_("报告单位信息变更"), submit=_("提交变更报告"),
        facts=selectors.employer_facts(employer),
        intro=_("单位名称、法定代表人、地址等信息变更，请在变更后一个月内报告，每项变更填写一次（附件1 三7）。"),
    )  # fmt: skip


# --- Public notices (R29) ------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
def public_notices(request: HttpRequest) -> HttpResponse:
    """The agencies' public notices of changes to their services (annex 1 §五, annex 2 §六; R29): open to
    everyone, no account needed, so the parties learn of a change before they sign in or sign up."""
    page = Paginator(agreement_selectors.notices_published(), 20).get_page(request.GET.get("page"))
    return render(request, "portal/notices.html", {"page": page})
