"""Console pages of the employer register: list, register, detail, change form, deregistration."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dangan.agencies.policies import staff_of
from dangan.agreements import documents, selectors, services
from dangan.agreements.fields import employer_form_rows, employer_statistics_rows
from dangan.agreements.forms import AgreementForm, ChangeForm, DissolveForm, EmployerForm
from dangan.agreements.policies import can_sign
from dangan.agreements.views.common import deny_unless, form_page, or_404, require_reader
from dangan.core.errors import ApplicationError
from dangan.core.pdf import pdf_response


@login_required
@require_GET
def employer_list(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    query = request.GET.get("q", "")
    page = Paginator(selectors.employers_visible_to(request.user, query), 25).get_page(request.GET.get("page"))
    staff = staff_of(request.user)
    may_register = staff is not None and can_sign(request.user, staff.agency)
    return render(request, "agreements/employers.html", {"page": page, "q": query, "may_register": may_register})


@login_required
@require_http_methods(["GET", "POST"])
def employer_register(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    staff = staff_of(request.user)
    deny_unless(staff is not None and can_sign(request.user, staff.agency), _("只有窗口经办或网办专员可以登记单位"))
    form = EmployerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            employer = services.employer_register(actor=request.user, data=form.cleaned_data)
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("已登记，登记编号 %(n)s") % {"n": employer.registration_no})
            return HttpResponseRedirect(reverse("agreements:employer", args=[employer.pk]))
    return form_page(
        request, form, title=_("登记委托集体存档单位"), submit=_("登记"), back=reverse("agreements:employers"),
        intro=_("按《委托集体存档单位基本情况登记表》填写；登记编号由系统按本机构顺序编制。"),
    )  # fmt: skip


@login_required
@require_GET
def employer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_reader(request)
    employer = or_404(selectors.employer_for, request.user, pk)
    agreements = list(employer.agreements.select_related("agency").order_by("-start_date", "-pk"))
    context = {
        "employer": employer,
        "form_rows": employer_form_rows(employer),
        "statistics_rows": employer_statistics_rows(employer),
        "agreements": agreements,
        "changes": list(employer.changes.select_related("recorded_by__staff").order_by("-pk")),
        "options": selectors.employer_options(employer),
        "may_sign": can_sign(request.user, employer.agency),
    }
    return render(request, "agreements/employer_detail.html", context)


@login_required
@require_GET
def employer_form_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    require_reader(request)
    employer = or_404(selectors.employer_for, request.user, pk)
    pdf = documents.employer_agreement_pdf(None, employer)
    return pdf_response(pdf, f"委托集体存档单位基本情况登记表-{employer.registration_no}.pdf")


@login_required
@require_http_methods(["GET", "POST"])
def employer_change(request: HttpRequest, pk: int) -> HttpResponse:
    require_reader(request)
    employer = or_404(selectors.employer_for, request.user, pk)
    deny_unless(can_sign(request.user, employer.agency), _("只有本机构的窗口经办或网办专员可以办理变更登记"))
    form = ChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            change = services.employer_change_record(
                actor=request.user, employer_id=employer.pk, field=data["field"], after=data["after"],
                effective_on=data["effective_on"], reported_on=data["reported_on"], note=data["note"],
            )  # fmt: skip
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            if change.overdue:
                messages.warning(request, _("已登记变更；单位在变更后超过一个月才报告，已标记为逾期报告"))
            else:
                messages.success(request, _("已登记变更"))
            return HttpResponseRedirect(reverse("agreements:employer", args=[employer.pk]))
    return form_page(
        request, form, title=_("单位信息变更登记：%(n)s") % {"n": employer.name}, submit=_("登记变更"),
        back=reverse("agreements:employer", args=[employer.pk]),
        intro=_("单位名称、法定代表人、地址等关键信息变化，应于一个月内书面报告（附件1 三7）。"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def employer_dissolve(request: HttpRequest, pk: int) -> HttpResponse:
    require_reader(request)
    employer = or_404(selectors.employer_for, request.user, pk)
    deny_unless(can_sign(request.user, employer.agency), _("只有本机构的窗口经办或网办专员可以登记注销（吊销）"))
    form = DissolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.employer_dissolve(
                actor=request.user, employer_id=employer.pk, kind=data["kind"], on=data["on"], note=data["note"]
            )
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("已登记；委托集体存档协议自该日起终止，请督促单位办理员工档案转接"))
            return HttpResponseRedirect(reverse("agreements:employer", args=[employer.pk]))
    return form_page(
        request, form, title=_("单位注销（吊销）登记：%(n)s") % {"n": employer.name}, submit=_("登记"),
        back=reverse("agreements:employer", args=[employer.pk]),
        intro=_("单位注销或被吊销的，协议自注销或吊销之日起自动终止（附件1 七）。"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def agreement_sign(request: HttpRequest, pk: int) -> HttpResponse:
    require_reader(request)
    employer = or_404(selectors.employer_for, request.user, pk)
    deny_unless(can_sign(request.user, employer.agency), _("只有本机构的窗口经办或网办专员可以签订协议"))
    initial = {"hr_contact_name": employer.contact, "hr_contact_post": employer.contact_post,
               "hr_contact_phone": employer.phone}  # fmt: skip
    form = AgreementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.employer_agreement_sign(
                actor=request.user, employer_id=employer.pk, **form.cleaned_data
            )
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("已签订单位委托集体存档协议"))
            return HttpResponseRedirect(reverse("agreements:agreement", args=[agreement.pk]))
    return form_page(
        request, form, title=_("签订单位委托集体存档协议：%(n)s") % {"n": employer.name}, submit=_("签订"),
        back=reverse("agreements:employer", args=[employer.pk]),
        extra={"options": selectors.employer_options(employer)},
    )  # fmt: skip
