"""Console pages of the migration: upload, the job with its progress bar, the report, the template."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangan.agencies.policies import staff_of
from dangan.core.errors import ApplicationError, NotFound
from dangan.migration import selectors, services
from dangan.migration.columns import LEDGER_COLUMNS, MATERIAL_COLUMNS
from dangan.migration.forms import UploadForm
from dangan.migration.models import ImportJob, JobPhase
from dangan.migration.policies import can_import, can_use_migration
from dangan.migration.progress import live
from dangan.migration.reports import report_response
from dangan.migration.template import template_response


def _require_role(request: HttpRequest) -> None:
    if not can_use_migration(request.user):
        raise DjangoPermissionDenied(_("只有信息采集员或系统管理员可以迁移历史数据"))


def _job_or_404(request: HttpRequest, job_id: int) -> ImportJob:
    _require_role(request)
    try:
        return selectors.job_for(request.user, job_id)
    except NotFound:
        raise Http404(_("迁移任务不存在或无权查看")) from None


_PHASES = {str(p.value): rank for rank, p in enumerate(JobPhase)}  # waiting, validate, import


def _with_live_progress(job: ImportJob) -> ImportJob:
    """A run in this process may be ahead of what its table row shows (SQLite: one writer)."""
    snapshot = live(job.pk)
    if snapshot is None or not job.is_active:
        return job
    if (_PHASES.get(snapshot.phase, 0), snapshot.done) >= (_PHASES.get(job.phase, 0), job.rows_done):
        job.phase, job.rows_done, job.rows_total, job.error_count = (
            snapshot.phase, snapshot.done, snapshot.total, snapshot.errors,
        )  # fmt: skip
    return job


@login_required
@require_http_methods(["GET", "POST"])
def home(request: HttpRequest) -> HttpResponse:
    _require_role(request)
    staff = staff_of(request.user)
    assert staff is not None
    may_import = can_import(request.user, staff.agency)
    form = UploadForm(request.POST or None, request.FILES or None, agency=staff.agency) if may_import else None
    if request.method == "POST":
        if form is None:
            raise DjangoPermissionDenied(_("本机构不保管档案"))
        if form.is_valid():
            try:
                job = services.job_submit(
                    actor=request.user,
                    ledger=form.cleaned_data["ledger"],
                    materials=form.cleaned_data.get("materials"),
                    dry_run=form.cleaned_data["dry_run"],
                    custodian_id=form.cleaned_data["custodian"],
                    default_source=form.cleaned_data["default_source"],
                    renumber=form.cleaned_data["renumber"],
                )
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("已提交，正在后台运行"))
                return HttpResponseRedirect(reverse("migration:job", args=[job.pk]))
    context = {
        "form": form,
        "jobs": selectors.jobs_visible_to(request.user)[:30],
        "ledger_columns": LEDGER_COLUMNS,
        "material_columns": MATERIAL_COLUMNS,
    }
    return render(request, "migration/home.html", context)


@login_required
@require_GET
def template(request: HttpRequest) -> FileResponse:
    _require_role(request)
    return template_response()


@login_required
@require_GET
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _with_live_progress(_job_or_404(request, job_id))
    context = {"job": job, "may_import": can_import(request.user, job.agency)}
    return render(request, "migration/job.html", context)


@login_required
@require_GET
def job_progress(request: HttpRequest, job_id: int) -> HttpResponse:
    """The progress fragment the job page polls every second while the job runs (htmx)."""
    job = _with_live_progress(_job_or_404(request, job_id))
    response = render(request, "migration/_progress.html", {"job": job})
    if not job.is_active and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"  # the run ended: reload the page once for its results
    return response


@login_required
@require_GET
def job_report(request: HttpRequest, job_id: int) -> FileResponse:
    job = _job_or_404(request, job_id)
    if not job.report_file:
        raise Http404(_("该任务没有错误报告"))
    return report_response(job)


@login_required
@require_POST
def job_confirm(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job_or_404(request, job_id)
    try:
        real = services.job_confirm(actor=request.user, job_id=job.pk)
    except ApplicationError as exc:
        if exc.status == 403:
            raise DjangoPermissionDenied(exc.message) from None
        messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("migration:job", args=[job.pk]))
    messages.success(request, _("已提交正式导入，正在后台运行"))
    return HttpResponseRedirect(reverse("migration:job", args=[real.pk]))
