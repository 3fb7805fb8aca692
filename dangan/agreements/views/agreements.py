"""Console pages of employer agreements: list, detail, renewal, ending for breach, roster, departures."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangan.agreements import catalogue, documents, selectors, services, terms
from dangan.agreements.forms import BreachForm, DecideForm, DepartureForm, RenewForm, RosterAddForm
from dangan.agreements.models import AgreementStatus, EmployerAgreement, ExitChoice, RosterStatus
from dangan.agreements.policies import can_approve, can_sign
from dangan.agreements.views.common import deny_unless, form_page, or_404, require_reader
from dangan.core.errors import ApplicationError
from dangan.core.pdf import pdf_response
from dangan.dossiers.selectors import dossiers_visible_to


@login_required
@require_GET
def agreement_list(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    status = request.GET.get("status", AgreementStatus.IN_FORCE)
    page = Paginator(selectors.agreements_visible_to(request.user, status), 25).get_page(request.GET.get("page"))
    context = {"page": page, "status": status, "statuses": AgreementStatus.choices}
    return render(request, "agreements/agreement_list.html", context)


def _detail(request: HttpRequest, agreement: EmployerAgreement, **forms: Any) -> HttpResponse:
    today = timezone.localdate()
    may_sign = can_sign(request.user, agreement.agency)
    in_force = agreement.status == AgreementStatus.IN_FORCE
    opens, closes = terms.renewal_window(agreement.end_date)
    context = {
        "agreement": agreement,
        "employer": agreement.employer,
        "services": catalogue.rows(catalogue.EMPLOYER, agreement.services),
        "roster": list(selectors.roster_of(agreement)),
        "renewals": list(selectors.renewals_of(agreement)),
        "window": (opens, closes),
        "in_window": opens <= today <= closes,
        "may_sign": may_sign and in_force,
        "may_approve": can_approve(request.user, agreement.agency) and in_force,
        "renew_form": forms.get("renew_form") or RenewForm(),
        "roster_form": forms.get("roster_form") or RosterAddForm(),
        "decide_form": forms.get("decide_form") or DecideForm(),
        "active": RosterStatus.ACTIVE,
    }
    return render(request, "agreements/agreement_detail.html", context)


@login_required
@require_GET
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_reader(request)
    return _detail(request, or_404(selectors.agreement_for, request.user, pk))


@login_required
@require_POST
def agreement_renew(request: HttpRequest, pk: int) -> HttpResponse:
    require_reader(request)
    agreement = or_404(selectors.agreement_for, request.user, pk)
    deny_unless(can_sign(request.user, agreement.agency), _("只有本机构的窗口经办或网办专员可以申请续签"))
    form = RenewForm(request.POST)
    if form.is_valid():
        try:
            services.employer_agreement_renewal_apply(
                actor=request.user, agreement_id=agreement.pk, **form.cleaned_data
            )
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("已提交续签申请，待审批负责人审批"))
            return HttpResponseRedirect(reverse("agreements:agreement", args=[agreement.pk]))
    return _detail(request, agreement, renew_form=form)


@login_required
@require_POST
def renewal_decide(request: HttpRequest, pk: int, renewal_id: int) -> HttpResponse:
    require_reader(request)
    agreement = or_404(selectors.agreement_for, request.user, pk)
    deny_unless(can_approve(request.user, agreement.agency), _("只有本机构的审批负责人可以审批续签"))
    renewal = agreement.renewals.filter(pk=renewal_id).first()
    form = DecideForm(request.POST)
    if renewal is not None and form.is_valid():
        try:
            services.employer_agreement_renewal_decide(
                actor=request.user, renewal_id=renewal.pk, approve=form.cleaned_data["approve"],
                note=form.cleaned_data["note"],
            )  # fmt: skip
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("已审批续签申请"))
            return HttpResponseRedirect(reverse("agreements:agreement", args=[agreement.pk]))
    elif renewal is None:
        form.add_error(None, _("续签申请不存在"))
    return _detail(request, agreement, decide_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def agreement_end(request: HttpRequest, pk: int) -> HttpResponse:
    require_reader(request)
    agreement = or_404(selectors.agreement_for, request.user, pk)
    deny_unless(can_approve(request.user, agreement.agency), _("只有本机构的审批负责人可以终止协议"))
    form = BreachForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.employer_agreement_end_for_breach(
                actor=request.user, agreement_id=agreement.pk, on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"] or "",
            )  # fmt: skip
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("协议已终止"))
            return HttpResponseRedirect(reverse("agreements:agreement", args=[agreement.pk]))
    return form_page(
        request, form, title=_("因违反协议约定终止协议：%(n)s") % {"n": agreement.employer.name}, submit=_("终止协议"),
        back=reverse("agreements:agreement", args=[agreement.pk]),
        intro=_("协议期内乙方有违反协议约定情况的，甲方有权视情终止协议（附件1 七）。"
                "单位员工的档案继续保管，不得清退（R6）。"),
    )  # fmt: skip


@login_required
@require_POST
def roster_add(request: HttpRequest, pk: int) -> HttpResponse:
    require_reader(request)
    agreement = or_404(selectors.agreement_for, request.user, pk)
    deny_unless(can_sign(request.user, agreement.agency), _("只有本机构的窗口经办或网办专员可以增加委托存档人员"))
    form = RosterAddForm(request.POST)
    if form.is_valid():
        key = form.cleaned_data["dossier"].strip()
        dossier = (
            dossiers_visible_to(request.user)
            .filter(holding_agency=agreement.agency)
            .filter(Q(number=key) | Q(barcode=key) | Q(person__id_number=key.upper()))
            .first()
        )
        if dossier is None:
            form.add_error("dossier", _("本机构没有档案编号、条码或身份证号码为“%(k)s”的档案") % {"k": key})
        else:
            try:
                services.roster_join(
                    actor=request.user, agreement_id=agreement.pk, dossier_id=dossier.pk,
                    joined_on=form.cleaned_data["joined_on"],
                )  # fmt: skip
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("%(n)s 已纳入委托存档名册") % {"n": dossier.person.name})
                return HttpResponseRedirect(reverse("agreements:agreement", args=[agreement.pk]))
    return _detail(request, agreement, roster_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def departure(request: HttpRequest, entry_id: int) -> HttpResponse:
    """The employer reports an employee's departure and the employee's choice (annex 1 §三6)."""
    require_reader(request)
    entry = or_404(selectors.entry_for, request.user, entry_id)
    deny_unless(can_sign(request.user, entry.agreement.agency), _("只有本机构的窗口经办或网办专员可以办理离职"))
    initial: dict[str, Any] = {"left_on": timezone.localdate(), **selectors.personal_form_prefill(entry.dossier)}
    form = DepartureForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        personal = None
        if data["choice"] == ExitChoice.PERSONAL:
            personal = services.PersonalTerms(
                start_date=data["start_date"] or data["left_on"], services=data["services"], form=form.form_data()
            )
        try:
            services.roster_departure_report(
                actor=request.user, entry_id=entry.pk, left_on=data["left_on"], choice=data["choice"] or "",
                personal=personal, transfer_to=data["transfer_to"], note=data["note"],
            )  # fmt: skip
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("已登记离职"))
            return HttpResponseRedirect(reverse("agreements:agreement", args=[entry.agreement_id]))
    return form_page(
        request, form, title=_("员工离职报告：%(n)s") % {"n": entry.dossier.person.name}, submit=_("登记离职"),
        back=reverse("agreements:agreement", args=[entry.agreement_id]),
        intro=_("乙方员工离职后，按离职员工意愿签订个人委托存档协议，或办理档案转出（附件1 三6）。须选择其一。"),
    )  # fmt: skip


@login_required
@require_GET
def agreement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    require_reader(request)
    agreement = or_404(selectors.agreement_for, request.user, pk)
    return pdf_response(
        documents.employer_agreement_pdf(agreement), f"单位委托集体存档协议-{agreement.employer.name}.pdf"
    )


@login_required
@require_GET
def agreement_blank_pdf(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    return pdf_response(documents.employer_agreement_pdf(None), "单位委托集体存档协议（空白）.pdf")
