"""Console pages: thin, calling the same services as the API; a refused action comes back onto its form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dangan.agencies.models import Role
from dangan.agencies.policies import staff_of
from dangan.core.errors import ApplicationError, NotFound
from dangan.lending import selectors, services
from dangan.lending.forms import (
    ApproveConsultationForm,
    ConsultationForm,
    CopyForm,
    DecisionForm,
    LendForm,
    LoanForm,
    ReaderFormSet,
    RelativeForm,
    ReturnForm,
    SessionCloseForm,
    SessionForm,
    WithdrawRelativeForm,
)
from dangan.lending.models import Consultation, CopyStatus, Loan, LoanState
from dangan.lending.purposes import purpose_label


def _roles(request: HttpRequest) -> frozenset[str]:
    staff = staff_of(request.user)
    return staff.role_set if staff is not None else frozenset()


def _is_holder(request: HttpRequest, holding_agency_id: int) -> bool:
    staff = staff_of(request.user)
    return staff is not None and staff.agency_id == holding_agency_id


@login_required
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "consultations": selectors.consultations_visible_to(request.user)[:20],
        "loans": selectors.loans_visible_to(request.user)[:20],
        "overdue_count": selectors.loans_overdue(request.user, today=today).count(),
        "escalated": selectors.loans_escalated(request.user)[:10],
    }
    return render(request, "lending/home.html", context)


# --- Recusal register ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def relatives(request: HttpRequest) -> HttpResponse:
    if staff_of(request.user) is None:
        raise Http404(_("仅限本平台工作人员"))
    form = RelativeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.relative_declare(actor=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("已申报，今后该亲属的档案将对您回避"))
                return HttpResponseRedirect(reverse("lending:relatives"))
        status = 400
    context = {"form": form, "relatives": selectors.relatives_of(request.user), "withdraw_form": WithdrawRelativeForm()}
    return render(request, "lending/relatives.html", context, status=status)


@login_required
@require_POST
def relative_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    form = WithdrawRelativeForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError(_("请填写撤回原因"))
        services.relative_withdraw(actor=request.user, relative_id=pk, **form.cleaned_data)
    except NotFound:
        raise Http404(_("申报记录不存在")) from None
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已撤回"))
    return HttpResponseRedirect(reverse("lending:relatives"))


# --- Consultations --------------------------------------------------------------------------------


def _readers_onto_formset(exc: ApplicationError, formset: Any, form: ConsultationForm) -> None:
    """Errors named readers[i].field go to that row of the formset; the rest onto the main form."""
    rest: dict[str, list[str]] = {}
    for name, errors in exc.fields.items():
        if name.startswith("readers[") and "]." in name:
            index, field = int(name[8 : name.index("]")]), name.split("].", 1)[1]
            if index < len(formset.forms):
                for message in errors:
                    formset.forms[index].add_error(field, message)
                continue
        rest[name] = errors
    form.add_service_error(ApplicationError(exc.message, fields=rest))


@login_required
@require_http_methods(["GET", "POST"])
def consultation_apply(request: HttpRequest) -> HttpResponse:
    form = ConsultationForm(request.POST or None)
    formset = ReaderFormSet(request.POST or None, prefix="readers")
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            readers = [f.cleaned_data for f in formset.forms if f.filled()]
            try:
                consultation = services.consultation_apply(actor=request.user, readers=readers, **form.cleaned_data)
            except ApplicationError as exc:
                _readers_onto_formset(exc, formset, form)
            else:
                return HttpResponseRedirect(reverse("lending:consultation", args=[consultation.pk]))
        context = {"form": form, "formset": formset, "title": _("受理档案查阅申请")}
        return render(request, "lending/consultation_form.html", context, status=400)
    context = {"form": form, "formset": formset, "title": _("受理档案查阅申请")}
    return render(request, "lending/consultation_form.html", context)


def _consultation_or_404(request: HttpRequest, pk: int) -> Consultation:
    consultation = selectors.consultation_detail(request.user, pk)
    if consultation is None:
        raise Http404(_("查阅申请不存在或无权查看"))
    return consultation


def _consultation_page(
    request: HttpRequest, consultation: Consultation, bound: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    roles = _roles(request) if _is_holder(request, consultation.request.holding_agency_id) else frozenset()
    state = consultation.request.status
    sessions = list(consultation.sessions.all())
    open_session = next((s for s in sessions if s.ended_at is None), None)
    keeper, approver = Role.ARCHIVE_KEEPER in roles, Role.APPROVER in roles
    readers = list(consultation.readers.all())
    context: dict[str, Any] = {
        "c": consultation,
        "purpose": purpose_label(consultation.purpose),
        "readers": readers,
        "sessions": sessions,
        "status": state,
        "approve_form": ApproveConsultationForm() if approver and state == "submitted" else None,
        "reject_form": DecisionForm() if approver and state == "submitted" else None,
        "session_form": (
            SessionForm(rooms=selectors.reading_rooms(request.user), readers=readers)
            if keeper and state == "approved" and open_session is None
            else None
        ),
        "open_session": open_session,
        "close_session_form": SessionCloseForm() if keeper and open_session else None,
        "copy_form": CopyForm() if keeper and open_session else None,
        "can_decide_copy": approver and state == "approved",
        "can_certify": keeper,
        "can_close": (keeper or approver) and state == "approved" and open_session is None,
        "can_withdraw": bool(roles & {Role.COUNTER_CLERK, Role.ONLINE_OFFICER}) and state in ("submitted", "approved"),
        "copy_status": CopyStatus,
    }
    context.update(bound or {})
    return render(request, "lending/consultation_detail.html", context, status=status)


@login_required
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _consultation_page(request, _consultation_or_404(request, pk))


def _act(
    request: HttpRequest,
    *,
    page: Callable[..., HttpResponse],
    subject: Any,
    form_name: str,
    form: forms.Form | None,
    call: Callable[[dict[str, Any]], Any],
    success_url: str,
) -> HttpResponse:
    """Validate the form, call the service; on refusal show the page again with the form and its errors."""
    data: dict[str, Any] = {}
    if form is not None:
        if not form.is_valid():
            return page(request, subject, {form_name: form}, 400)
        data = form.cleaned_data
    try:
        call(data)
    except NotFound:
        raise Http404(_("不存在或无权查看")) from None
    except ApplicationError as exc:
        if form is None:
            messages.error(request, str(exc))
            return page(request, subject, {}, exc.status)
        form.add_service_error(exc)  # type: ignore[attr-defined]
        return page(request, subject, {form_name: form}, exc.status)
    messages.success(request, _("已办理"))
    return HttpResponseRedirect(success_url)


def _c_act(request: HttpRequest, pk: int, form_name: str, form: forms.Form | None, call: Any) -> HttpResponse:
    consultation = _consultation_or_404(request, pk)
    url = reverse("lending:consultation", args=[pk])
    return _act(
        request, page=_consultation_page, subject=consultation, form_name=form_name, form=form, call=call,
        success_url=url,
    )  # fmt: skip


@login_required
@require_POST
def consultation_approve(request: HttpRequest, pk: int) -> HttpResponse:
    form = ApproveConsultationForm(request.POST)
    return _c_act(request, pk, "approve_form", form, lambda d: services.consultation_approve(
        actor=request.user, consultation_id=pk, **d))  # fmt: skip


@login_required
@require_POST
def consultation_reject(request: HttpRequest, pk: int) -> HttpResponse:
    form = DecisionForm(request.POST)
    return _c_act(request, pk, "reject_form", form, lambda d: services.consultation_reject(
        actor=request.user, consultation_id=pk, **d))  # fmt: skip


@login_required
@require_POST
def consultation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _c_act(request, pk, "", None, lambda d: services.consultation_withdraw(
        actor=request.user, consultation_id=pk, note=request.POST.get("note", "")[:500]))  # fmt: skip


@login_required
@require_POST
def consultation_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _c_act(request, pk, "", None, lambda d: services.consultation_close(
        actor=request.user, consultation_id=pk))  # fmt: skip


@login_required
@require_POST
def session_open(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _consultation_or_404(request, pk)
    form = SessionForm(request.POST, rooms=selectors.reading_rooms(request.user), readers=consultation.readers.all())
    return _c_act(request, pk, "session_form", form, lambda d: services.session_open(
        actor=request.user, consultation_id=pk, room_id=d["room"].pk, reader_ids=[int(x) for x in d["reader_ids"]],
        scope=d["scope"], readers_signed=d["readers_signed"]))  # fmt: skip


@login_required
@require_POST
def session_close(request: HttpRequest, pk: int, session_id: int) -> HttpResponse:
    form = SessionCloseForm(request.POST)
    return _c_act(request, pk, "close_session_form", form, lambda d: services.session_close(
        actor=request.user, session_id=_session_of(request, pk, session_id), **d))  # fmt: skip


def _session_of(request: HttpRequest, pk: int, session_id: int) -> int:
    consultation = _consultation_or_404(request, pk)
    if not consultation.sessions.filter(pk=session_id).exists():
        raise Http404(_("查阅登记不存在"))
    return session_id


@login_required
@require_POST
def copy_request(request: HttpRequest, pk: int, session_id: int) -> HttpResponse:
    form = CopyForm(request.POST)
    return _c_act(request, pk, "copy_form", form, lambda d: services.copy_request(
        actor=request.user, session_id=_session_of(request, pk, session_id), **d))  # fmt: skip


def _copy_of(request: HttpRequest, pk: int, copy_id: int) -> int:
    consultation = _consultation_or_404(request, pk)
    if not any(c.pk == copy_id for s in consultation.sessions.all() for c in s.copies.all()):
        raise Http404(_("摘录复制申请不存在"))
    return copy_id


@login_required
@require_POST
def copy_decide(request: HttpRequest, pk: int, copy_id: int) -> HttpResponse:
    approve = request.POST.get("approve") == "1"
    note = request.POST.get("note", "")[:200]
    return _c_act(request, pk, "", None, lambda d: services.copy_decide(
        actor=request.user, copy_id=_copy_of(request, pk, copy_id), approve=approve, note=note))  # fmt: skip


@login_required
@require_POST
def copy_certify(request: HttpRequest, pk: int, copy_id: int) -> HttpResponse:
    return _c_act(request, pk, "", None, lambda d: services.copy_certify(
        actor=request.user, copy_id=_copy_of(request, pk, copy_id)))  # fmt: skip


# --- Loans ----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def loan_apply(request: HttpRequest) -> HttpResponse:
    form = LoanForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                loan = services.loan_apply(actor=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                return HttpResponseRedirect(reverse("lending:loan", args=[loan.pk]))
        return render(request, "lending/loan_form.html", {"form": form}, status=400)
    return render(request, "lending/loan_form.html", {"form": form})


def _loan_or_404(request: HttpRequest, pk: int) -> Loan:
    loan = selectors.loans_visible_to(request.user).filter(pk=pk).first()
    if loan is None:
        raise Http404(_("借阅记录不存在或无权查看"))
    return loan


def _loan_page(
    request: HttpRequest, loan: Loan, bound: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    roles = _roles(request) if _is_holder(request, loan.request.holding_agency_id) else frozenset()
    keeper, approver = Role.ARCHIVE_KEEPER in roles, Role.APPROVER in roles
    state = loan.state
    context: dict[str, Any] = {
        "loan": loan,
        "overdue": loan.is_overdue(timezone.localdate()),
        "approve_form": DecisionForm() if approver and state == LoanState.REQUESTED else None,
        "reject_form": DecisionForm() if approver and state == LoanState.REQUESTED else None,
        "lend_form": LendForm() if keeper and state == LoanState.APPROVED else None,
        "return_form": ReturnForm(catalogue=loan.catalogue) if keeper and state == LoanState.ON_LOAN else None,
        "can_withdraw": bool(roles & {Role.COUNTER_CLERK, Role.ONLINE_OFFICER})
        and state in (LoanState.REQUESTED, LoanState.APPROVED),
    }
    context.update(bound or {})
    return render(request, "lending/loan_detail.html", context, status=status)


@login_required
def loan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _loan_page(request, _loan_or_404(request, pk))


def _l_act(request: HttpRequest, pk: int, form_name: str, form: forms.Form | None, call: Any) -> HttpResponse:
    loan = _loan_or_404(request, pk)
    url = reverse("lending:loan", args=[pk])
    return _act(request, page=_loan_page, subject=loan, form_name=form_name, form=form, call=call, success_url=url)


@login_required
@require_POST
def loan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    form = DecisionForm(request.POST)
    return _l_act(request, pk, "approve_form", form, lambda d: services.loan_approve(
        actor=request.user, loan_id=pk, **d))  # fmt: skip


@login_required
@require_POST
def loan_reject(request: HttpRequest, pk: int) -> HttpResponse:
    form = DecisionForm(request.POST)
    return _l_act(request, pk, "reject_form", form, lambda d: services.loan_reject(
        actor=request.user, loan_id=pk, **d))  # fmt: skip


@login_required
@require_POST
def loan_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _l_act(request, pk, "", None, lambda d: services.loan_withdraw(
        actor=request.user, loan_id=pk, note=request.POST.get("note", "")[:500]))  # fmt: skip


@login_required
@require_POST
def loan_lend(request: HttpRequest, pk: int) -> HttpResponse:
    form = LendForm(request.POST)
    return _l_act(request, pk, "lend_form", form, lambda d: services.loan_lend(
        actor=request.user, loan_id=pk, **d))  # fmt: skip


@login_required
@require_POST
def loan_return(request: HttpRequest, pk: int) -> HttpResponse:
    loan = _loan_or_404(request, pk)
    form = ReturnForm(request.POST, catalogue=loan.catalogue)
    return _l_act(request, pk, "return_form", form, lambda d: services.loan_return(
        actor=request.user, loan_id=pk, seal_intact=d["seal_intact"], items=form.items(), note=d["note"]))  # fmt: skip


@login_required
def overdue(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "loans": selectors.loans_overdue(request.user, today=today),
        "escalated": selectors.loans_escalated(request.user),
        "today": today,
    }
    return render(request, "lending/overdue.html", context)
