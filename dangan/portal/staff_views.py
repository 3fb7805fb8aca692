"""Console pages of employers' online reports: the queue of an agency's clerks, accept, reject with a reason.
Mounted at /console/employer-reports/ (`dangan/portal/staff_urls.py`)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from dangan.agreements import catalogue
from dangan.agreements.fields import employer_display
from dangan.agreements.policies import can_sign
from dangan.core.errors import ApplicationError
from dangan.core.forms import add_service_errors
from dangan.portal import reports, selectors
from dangan.portal.forms import RejectForm
from dangan.portal.models import EmployerReport, ReportKind, ReportStatus

TABS = (
    (ReportStatus.SUBMITTED, gettext_lazy("待审核")),
    (ReportStatus.ACCEPTED, gettext_lazy("已登记")),
    (ReportStatus.REJECTED, gettext_lazy("已退回")),
)


def _require_reviewer(request: HttpRequest) -> None:
    if not selectors.can_review_reports(request.user):
        raise DjangoPermissionDenied(_("只有窗口经办或网办专员可以审核单位网上报告"))


def _report_or_404(request: HttpRequest, pk: int) -> EmployerReport:
    report = selectors.report_for_staff(request.user, pk)
    if report is None:
        raise Http404(_(reports.NOT_FOUND_REPORT))
    return report


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    _require_reviewer(request)
    status = request.GET.get("status", ReportStatus.SUBMITTED)
    if status not in ReportStatus.values:
        status = ReportStatus.SUBMITTED
    rows = [
        {"r": r, "summary": selectors.report_summary(r)}
        for r in selectors.reports_for_staff(request.user, status)[:200]
    ]
    tabs = [{"status": value, "label": label, "current": value == status} for value, label in TABS]
    return render(request, "portal_staff/queue.html", {"rows": rows, "tabs": tabs, "status": status})


def _detail(
    request: HttpRequest,
    report: EmployerReport,
    *,
    form: RejectForm | None = None,
    error: ApplicationError | None = None,
) -> HttpResponse:
    current = ""
    if report.kind == ReportKind.CHANGE and report.status == ReportStatus.SUBMITTED:
        current = employer_display(report.field, getattr(report.agreement.employer, report.field, ""))
    context: dict[str, Any] = {
        "r": report,
        "summary": selectors.report_summary(report),
        "current": current,
        "services": [
            f"{s.no}. {s.name}" for s, on in catalogue.rows(catalogue.PERSONAL, report.personal_services) if on
        ],
        "can_decide": report.status == ReportStatus.SUBMITTED and can_sign(request.user, report.agreement.agency),
        "form": form or RejectForm(),
        "error": error,
    }
    return render(request, "portal_staff/detail.html", context)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reviewer(request)
    return _detail(request, _report_or_404(request, pk))


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reviewer(request)
    report = _report_or_404(request, pk)
    try:
        reports.report_accept(actor=request.user, report_id=report.pk)
    except ApplicationError as exc:
        if exc.status == 404:
            raise Http404(exc.message) from None
        if exc.status == 403:
            raise DjangoPermissionDenied(exc.message) from None
        # The agreements service refused: nothing was recorded and the report stays pending.
        report.refresh_from_db()
        return _detail(request, report, error=exc)
    messages.success(request, _("已登记：%(s)s") % {"s": selectors.report_summary(report)})
    return HttpResponseRedirect(reverse("employer_reports:queue"))


@login_required
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reviewer(request)
    report = _report_or_404(request, pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            reports.report_reject(actor=request.user, report_id=report.pk, reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            if exc.status == 404:
                raise Http404(exc.message) from None
            if exc.status == 403:
                raise DjangoPermissionDenied(exc.message) from None
            add_service_errors(exc, form)
        else:
            messages.success(request, _("已退回：%(s)s") % {"s": selectors.report_summary(report)})
            return HttpResponseRedirect(reverse("employer_reports:queue"))
    return _detail(request, report, form=form)
