"""Console pages for ratings and rectification cases, and the public rating page for the window (R32)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from dangan.agencies.policies import staff_of
from dangan.core.errors import ApplicationError, NotFound
from dangan.core.forms import add_service_errors
from dangan.ratings import policies, services
from dangan.ratings import workflow as wf
from dangan.ratings.forms import AnswerForm, AppealForm, DecisionForm, RateForm, ReportForm, VerifyForm, VisitForm
from dangan.ratings.grades import Grade
from dangan.ratings.links import qr_svg, rate_url
from dangan.ratings.models import Rating
from dangan.ratings.selectors import (
    appeals_to_decide,
    case_for_reader,
    cases_visible_to,
    rating_report,
    ratings_visible_to,
    service_title,
    visit_by_token,
    visit_for_clerk,
)

CASE_FORMS: dict[str, type[forms.Form]] = {
    "verify": VerifyForm,
    "answer": AnswerForm,
    "appeal": AppealForm,
    "decide": DecisionForm,
    "close": forms.Form,
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    staff = staff_of(request.user)
    context = {
        "ratings": ratings_visible_to(request.user)[:100],
        "cases": cases_visible_to(request.user).exclude(status__in=["closed", "voided"])[:100],
        "appeals": appeals_to_decide(request.user)[:50],
        "can_end_visit": staff is not None and policies.can_end_visit(request.user, staff.agency),
        "can_report": policies.can_read_report(request.user),
        "today": timezone.localdate(),
    }
    return render(request, "ratings/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def visit_new(request: HttpRequest) -> HttpResponse:
    form = VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.visit_end(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            add_service_errors(exc, form)
        else:
            return HttpResponseRedirect(reverse("ratings:visit", args=[visit.pk]))
    return render(request, "ratings/form.html", {"form": form, "title": "办结窗口服务并邀请评价"})


@login_required
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        visit = visit_for_clerk(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    url = rate_url(visit)
    context = {
        "visit": visit,
        "url": url,
        "qr": qr_svg(url),
        "service": service_title(visit.service_type),
        "rated": visit.used_at is not None,
    }
    return render(request, "ratings/visit.html", context)


@require_http_methods(["GET", "POST"])
def visit_rate(request: HttpRequest, token: str) -> HttpResponse:
    """Public page for the tablet at the window or the phone that scanned the QR code: rates one visit once."""
    visit = visit_by_token(token)
    if visit is None:
        return render(request, "ratings/rate.html", {"state": "unknown"}, status=404)
    if visit.used_at is not None:
        return render(request, "ratings/rate.html", {"state": "used", "visit": visit})
    form = RateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rating_submit(
                rater=None, visit_token=token, grade=form.cleaned_data["grade"],
                comment=form.cleaned_data["comment"], channel=Rating.Channel.COUNTER,
            )  # fmt: skip
        except ApplicationError as exc:
            add_service_errors(exc, form)
        else:
            return render(request, "ratings/rate.html", {"state": "thanks", "visit": visit})
    context = {"state": "form", "visit": visit, "form": form, "service": service_title(visit.service_type)}
    return render(request, "ratings/rate.html", context, status=400 if form.errors else 200)


def _case_context(request: HttpRequest, pk: int, bound: dict[str, forms.Form] | None = None) -> dict[str, Any]:
    try:
        case = case_for_reader(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    allowed = set(wf.actions_from(case.status))
    handler = policies.can_handle_case(request.user, case.agency, case.rating.staff_id)
    decider = policies.can_decide_appeal(request.user, case.agency)
    shown: dict[str, forms.Form] = {}
    for action in ("verify", "answer", "close", "appeal"):
        if handler and action in allowed:
            shown[action] = (bound or {}).get(action) or CASE_FORMS[action]()
    if decider and {"uphold", "dismiss"} & allowed:
        shown["decide"] = (bound or {}).get("decide") or DecisionForm()
    return {
        "case": case,
        "rating": case.rating,
        "service": service_title(case.rating.service_type),
        "overdue": case.is_overdue(timezone.localdate()),
        "forms": shown,
        "panels": [(a, {**wf.ACTION_LABELS, "decide": "申诉处理"}[a], f) for a, f in shown.items()],
    }


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "ratings/case.html", _case_context(request, pk))


@login_required
@require_POST
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    try:
        case_for_reader(request.user, pk)  # out of scope: 404 before anything else
    except NotFound as exc:
        raise Http404(exc.message) from exc
    form_class = CASE_FORMS.get(action)
    if form_class is None:
        raise Http404("无此操作")
    form = form_class(request.POST)
    if form.is_valid():
        calls: dict[str, Callable[..., Any]] = {
            "verify": services.case_verify,
            "answer": services.case_answer,
            "close": services.case_close,
            "appeal": services.case_appeal,
            "decide": services.case_decide_appeal,
        }
        try:
            calls[action](actor=request.user, case_id=pk, **form.cleaned_data)
        except ApplicationError as exc:
            add_service_errors(exc, form)
        else:
            messages.success(request, "已办理")
            return HttpResponseRedirect(reverse("ratings:case", args=[pk]))
    context = _case_context(request, pk, bound={action: form})
    if action not in context["forms"]:
        messages.error(request, "；".join(str(e) for e in form.non_field_errors()) or "无权办理")
    return render(request, "ratings/case.html", context, status=400)


@login_required
def report(request: HttpRequest) -> HttpResponse:
    if not policies.can_read_report(request.user):
        raise DjangoPermissionDenied("您的岗位无权查看好差评统计")
    form = ReportForm(request.GET or None)
    values = form.cleaned_data if form.is_valid() else {}
    by = values.get("by") or "agency"
    rows = rating_report(
        request.user, by=by, date_from=values.get("date_from"), date_to=values.get("date_to"),
        today=timezone.localdate(),
    )  # fmt: skip
    context = {"form": form, "rows": rows, "by": by, "grades": Grade.choices}
    return render(request, "ratings/report.html", context)
