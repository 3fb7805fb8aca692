"""Console pages: thin, calling the same services as the API; errors go to the fields they concern."""

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
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dangan.casework import registry
from dangan.core.errors import ApplicationError, NotFound, PermissionDenied
from dangan.core.pdf import pdf_response
from dangan.reviews import policies, services
from dangan.reviews import workflow as wf
from dangan.reviews.forms import (
    ApproveForm,
    CompleteForm,
    DraftForm,
    PartyApplyForm,
    PartyDecideForm,
    ReleaseForm,
    ReviewApplyForm,
    ReviewDecideForm,
)
from dangan.reviews.models import PartyTransfer, PoliticalReview
from dangan.reviews.papers import review_filename
from dangan.reviews.selectors import party_transfer_for_reader, party_transfers_visible_to, reviews_visible_to

Forms = dict[str, forms.Form]


def _errors_to_form(exc: ApplicationError, form: forms.Form) -> None:
    placed = False
    for name, errors in exc.fields.items():
        if name in form.fields:
            placed = True
            for message in errors:
                form.add_error(name, message)
    if not placed:
        form.add_error(None, exc.message)


def _call(action: Callable[[], Any]) -> Any:
    """Run a service; missing or out of scope is 404 and forbidden is 403 (other errors are the caller's)."""
    try:
        return action()
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from exc


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if not policies.can_read(request.user):
        raise Http404(_("页面不存在或无权查看"))
    context = {
        "reviews": reviews_visible_to(request.user)[:100],
        "party_transfers": party_transfers_visible_to(request.user)[:100],
        "registry": registry,
    }
    return render(request, "reviews/home.html", context)


# --- Political review ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def review_apply(request: HttpRequest) -> HttpResponse:
    form = ReviewApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.political_review_apply(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            _errors_to_form(exc, form)
        else:
            messages.success(request, _("已受理，办件编号 %(n)s") % {"n": review.request.number})
            return HttpResponseRedirect(reverse("reviews:review", args=[review.pk]))
    status = 400 if form.errors else 200
    return render(request, "reviews/form.html", {"form": form, "title": _("受理政审（考察）申请")}, status=status)


def _review_page(request: HttpRequest, pk: int, bound: Forms | None = None, status: int = 200) -> HttpResponse:
    review: PoliticalReview = _call(lambda: services.political_review_view(actor=request.user, review_id=pk))
    user, agency, current = request.user, review.agency, review.request.status
    holder = getattr(getattr(user, "staff", None), "agency_id", None) == review.agency_id
    bound = bound or {}
    may_draft = holder and policies.can_draft(user, agency) and wf.review_may(current, wf.DRAFTED)
    may_approve = (
        holder
        and policies.can_approve(user, agency)
        and wf.review_may(current, wf.APPROVED)
        and policies.separated(review.drafted_by_id, user.pk)
    )
    may_release = holder and policies.can_release(user, agency) and wf.review_may(current, wf.RELEASED)
    context: dict[str, Any] = {
        "r": review,
        "status_label": registry.status_label(review.request.service_type, current),
        "facts": review.extract.get("facts", []),
        "sections": review.extract.get("sections", []),
        "printable": current in wf.PRINTABLE,
        "draft_form": bound.get("draft")
        or (DraftForm(initial={"conclusion": review.conclusion}) if may_draft else None),
        "approve_form": bound.get("approve") or (ApproveForm() if may_approve else None),
        "release_form": bound.get("release") or (ReleaseForm() if may_release else None),
        "decide_form": bound.get("decide")
        or (ReviewDecideForm() if holder and current not in wf.REVIEW_FINAL else None),
        "self_drafted": holder and review.drafted_by_id == user.pk and current == wf.DRAFTED,
    }
    return render(request, "reviews/review_detail.html", context, status=status)


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _review_page(request, pk)


def _review_post(
    request: HttpRequest, pk: int, *, key: str, form: forms.Form, call: Callable[[dict[str, Any]], Any], done: str
) -> HttpResponse:
    if form.is_valid():
        try:
            _call(lambda: call(form.cleaned_data))
        except ApplicationError as exc:
            _errors_to_form(exc, form)
            return _review_page(request, pk, {key: form}, status=exc.status)
        messages.success(request, done)
        return HttpResponseRedirect(reverse("reviews:review", args=[pk]))
    return _review_page(request, pk, {key: form}, status=400)


@login_required
@require_POST
def review_draft(request: HttpRequest, pk: int) -> HttpResponse:
    return _review_post(
        request, pk, key="draft", form=DraftForm(request.POST),
        call=lambda data: services.political_review_draft(actor=request.user, review_id=pk, **data),
        done=_("摘录已生成，待审核"),
    )  # fmt: skip


@login_required
@require_POST
def review_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _review_post(
        request, pk, key="approve", form=ApproveForm(request.POST),
        call=lambda data: services.political_review_approve(actor=request.user, review_id=pk, **data),
        done=_("已审核通过"),
    )  # fmt: skip


@login_required
@require_POST
def review_release(request: HttpRequest, pk: int) -> HttpResponse:
    return _review_post(
        request, pk, key="release", form=ReleaseForm(request.POST),
        call=lambda data: services.political_review_release(actor=request.user, review_id=pk, **data),
        done=_("已出具"),
    )  # fmt: skip


@login_required
@require_POST
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _review_post(
        request, pk, key="decide", form=ReviewDecideForm(request.POST),
        call=lambda data: services.political_review_decide(actor=request.user, review_id=pk, **data),
        done=_("已办理"),
    )  # fmt: skip


@login_required
def review_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        pdf = _call(lambda: services.political_review_print(actor=request.user, review_id=pk))
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("reviews:review", args=[pk]))
    review = reviews_visible_to(request.user).get(pk=pk)
    return pdf_response(pdf, review_filename(review))


# --- Party-membership transfer -----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def party_apply(request: HttpRequest) -> HttpResponse:
    form = PartyApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            transfer = services.party_transfer_apply(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            _errors_to_form(exc, form)
        else:
            messages.success(request, _("已受理，办件编号 %(n)s") % {"n": transfer.request.number})
            return HttpResponseRedirect(reverse("reviews:party", args=[transfer.pk]))
    status = 400 if form.errors else 200
    return render(request, "reviews/form.html", {"form": form, "title": _("党员组织关系接转登记")}, status=status)


def _party_page(request: HttpRequest, pk: int, bound: Forms | None = None, status: int = 200) -> HttpResponse:
    transfer: PartyTransfer = _call(lambda: party_transfer_for_reader(request.user, pk))
    holder = getattr(getattr(request.user, "staff", None), "agency_id", None) == transfer.agency_id
    current = transfer.request.status
    open_ = holder and current not in wf.PARTY_FINAL
    bound = bound or {}
    may_complete = open_ and policies.can_handle_party(request.user, transfer.agency)
    context: dict[str, Any] = {
        "t": transfer,
        "status_label": registry.status_label(transfer.request.service_type, current),
        "complete_form": bound.get("complete") or (CompleteForm() if may_complete else None),
        "decide_form": bound.get("decide") or (PartyDecideForm() if open_ else None),
    }
    return render(request, "reviews/party_detail.html", context, status=status)


@login_required
def party_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _party_page(request, pk)


def _party_post(
    request: HttpRequest, pk: int, *, key: str, form: forms.Form, call: Callable[[dict[str, Any]], Any], done: str
) -> HttpResponse:
    if form.is_valid():
        try:
            _call(lambda: call(form.cleaned_data))
        except ApplicationError as exc:
            _errors_to_form(exc, form)
            return _party_page(request, pk, {key: form}, status=exc.status)
        messages.success(request, done)
        return HttpResponseRedirect(reverse("reviews:party", args=[pk]))
    return _party_page(request, pk, {key: form}, status=400)


@login_required
@require_POST
def party_complete(request: HttpRequest, pk: int) -> HttpResponse:
    return _party_post(
        request, pk, key="complete", form=CompleteForm(request.POST),
        call=lambda data: services.party_transfer_complete(actor=request.user, transfer_id=pk, **data),
        done=_("已办结，党组织关系所在已更新"),
    )  # fmt: skip


@login_required
@require_POST
def party_decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _party_post(
        request, pk, key="decide", form=PartyDecideForm(request.POST),
        call=lambda data: services.party_transfer_decide(actor=request.user, transfer_id=pk, **data),
        done=_("已办理"),
    )  # fmt: skip
