"""Console pages of personal agreements: list, sign (prefilled registration form), detail, end, print."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dangan.agencies.policies import staff_of
from dangan.agreements import catalogue, documents, selectors, services
from dangan.agreements.fields import personal_form_rows
from dangan.agreements.forms import BreachForm, PersonalForm
from dangan.agreements.jurisdiction import Places, Situation
from dangan.agreements.models import AgreementStatus
from dangan.agreements.policies import can_approve, can_sign
from dangan.agreements.views.common import deny_unless, form_page, or_404, require_reader
from dangan.core.errors import ApplicationError
from dangan.core.pdf import pdf_response
from dangan.dossiers.models import Dossier
from dangan.dossiers.selectors import dossiers_visible_to


@login_required
@require_GET
def personal_list(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    status = request.GET.get("status", AgreementStatus.IN_FORCE)
    qs = selectors.personal_agreements_visible_to(request.user, status)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    statuses = [(v, label) for v, label in AgreementStatus.choices if v != AgreementStatus.EXPIRED]
    return render(request, "agreements/personal_list.html", {"page": page, "status": status, "statuses": statuses})


def _dossier(request: HttpRequest, raw: str) -> Dossier:
    staff = staff_of(request.user)
    dossier = None
    if raw.isdigit() and staff is not None:
        dossier = dossiers_visible_to(request.user).filter(pk=int(raw), holding_agency=staff.agency).first()
    if dossier is None:
        raise Http404(_("档案不存在或无权查看"))
    return dossier


@login_required
@require_http_methods(["GET", "POST"])
def personal_sign(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    dossier = _dossier(request, request.GET.get("dossier", ""))
    deny_unless(can_sign(request.user, dossier.holding_agency), _("只有本机构的窗口经办或网办专员可以签订协议"))
    person = dossier.person
    initial: dict[str, Any] = {
        **selectors.personal_form_prefill(dossier),
        "household_region": person.household_region,
        "pre_enrolment_region": person.pre_enrolment_region,
        "start_date": timezone.localdate(),
    }
    form = PersonalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        places = Places(
            household_region=data["household_region"], pre_enrolment_region=data["pre_enrolment_region"],
            former_employer_region=data["former_employer_region"], work_region=data["work_region"],
        )  # fmt: skip
        try:
            agreement = services.personal_agreement_sign(
                actor=request.user, dossier_id=dossier.pk, start_date=data["start_date"], services=data["services"],
                situation=data["situation"], places=places, form=form.form_data(),
            )  # fmt: skip
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("已签订个人委托存档协议"))
            return HttpResponseRedirect(reverse("agreements:personal", args=[agreement.pk]))
    return form_page(
        request, form, title=_("签订个人委托存档协议：%(n)s") % {"n": person.name}, submit=_("签订"),
        back=reverse("agreements:personal_list"),
        intro=_("登记表已按档案信息预填，请与本人核对；签订后按签订时的内容保存。"),
        extra={"situations": Situation.choices},
    )  # fmt: skip


@login_required
@require_GET
def personal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_reader(request)
    agreement = or_404(selectors.personal_agreement_for, request.user, pk)
    context = {
        "agreement": agreement,
        "services": catalogue.rows(catalogue.PERSONAL, agreement.services),
        "form_rows": personal_form_rows(agreement.form),
        "situation": Situation(agreement.situation).label if agreement.situation in Situation.values else "",
        "may_end": can_approve(request.user, agreement.agency) and agreement.status == AgreementStatus.IN_FORCE,
    }
    return render(request, "agreements/personal_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def personal_end(request: HttpRequest, pk: int) -> HttpResponse:
    require_reader(request)
    agreement = or_404(selectors.personal_agreement_for, request.user, pk)
    deny_unless(can_approve(request.user, agreement.agency), _("只有本机构的审批负责人可以终止协议"))
    form = BreachForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.personal_agreement_end_for_breach(
                actor=request.user, agreement_id=agreement.pk, on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"] or "",
            )  # fmt: skip
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("协议已终止；档案继续保管，列入未签协议档案提醒"))
            return HttpResponseRedirect(reverse("agreements:personal", args=[agreement.pk]))
    return form_page(
        request, form, title=_("因违反协议约定终止个人委托存档协议"), submit=_("终止协议"),
        back=reverse("agreements:personal", args=[agreement.pk]),
        intro=_("协议期内乙方有违反协议约定情况的，本协议自动终止（附件2 七）。档案继续保管，不得清退（R6）。"),
    )  # fmt: skip


@login_required
@require_GET
def personal_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    require_reader(request)
    agreement = or_404(selectors.personal_agreement_for, request.user, pk)
    return pdf_response(
        documents.personal_agreement_pdf(agreement), f"个人委托存档协议-{agreement.form.get('name', '')}.pdf"
    )


@login_required
@require_GET
def personal_blank_pdf(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    return pdf_response(documents.personal_agreement_pdf(None), "个人委托存档协议（空白）.pdf")
