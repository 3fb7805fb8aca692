from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from dangan.agencies.policies import staff_of
from dangan.core.errors import ApplicationError
from dangan.core.forms import add_service_errors
from dangan.core.pdf import pdf_response
from dangan.dossiers.models import mask_id_number
from dangan.transfers import services
from dangan.transfers.forms import ApplyForm, DispatchForm, HandOverForm, LetterForm, ReceiveForm, SlipForm
from dangan.transfers.models import RequestLetter
from dangan.transfers.papers import letter_pdf, transfer_papers_pdf
from dangan.transfers.selectors import incoming, letters_of, nearing_retirement, transfers_visible_to


@login_required
def transfer_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "transfers/list.html",
        {"transfers": transfers_visible_to(request.user)[:100], "incoming": incoming(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    form = ApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            transfer = services.transfer_apply(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            add_service_errors(exc, form)
        else:
            return HttpResponseRedirect(reverse("transfers:detail", args=[transfer.pk]))
    return render(request, "transfers/form.html", {"form": form, "title": "档案转出申请"})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = transfers_visible_to(request.user).filter(pk=pk).first()
    if transfer is None:
        raise Http404("转递记录不存在或无权查看")
    staff = staff_of(request.user)
    status = transfer.request.status
    is_holder = staff is not None and staff.agency_id == transfer.from_agency_id
    is_receiver = staff is not None and staff.agency_id == transfer.to_agency_id
    context: dict[str, Any] = {
        "t": transfer,
        "status": status,
        "can_approve": is_holder and status == "submitted",
        "dispatch_form": DispatchForm() if is_holder and status == "approved" else None,
        "slip_form": SlipForm() if is_holder and status == "dispatched" and transfer.to_agency_id is None else None,
        "receive_form": ReceiveForm() if is_receiver and status == "dispatched" else None,
    }
    return render(request, "transfers/detail.html", context)


def _act(request: HttpRequest, pk: int, call: Any) -> HttpResponse:
    try:
        call()
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已办理")
    return HttpResponseRedirect(reverse("transfers:detail", args=[pk]))


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda: services.transfer_approve(actor=request.user, transfer_id=pk, note=request.POST.get("note", "")),
    )


@login_required
@require_POST
def dispatch(request: HttpRequest, pk: int) -> HttpResponse:
    form = DispatchForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
        return HttpResponseRedirect(reverse("transfers:detail", args=[pk]))
    return _act(
        request, pk, lambda: services.transfer_dispatch(actor=request.user, transfer_id=pk, **form.cleaned_data)
    )


@login_required
@require_POST
def receive(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReceiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
        return HttpResponseRedirect(reverse("transfers:detail", args=[pk]))
    return _act(request, pk, lambda: services.transfer_receive(actor=request.user, transfer_id=pk, **form.cleaned_data))


@login_required
@require_POST
def slip(request: HttpRequest, pk: int) -> HttpResponse:
    form = SlipForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
        return HttpResponseRedirect(reverse("transfers:detail", args=[pk]))
    return _act(
        request, pk, lambda: services.transfer_register_slip(actor=request.user, transfer_id=pk, **form.cleaned_data)
    )


@login_required
def papers(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = transfers_visible_to(request.user).filter(pk=pk).first()
    if transfer is None:
        raise Http404("转递记录不存在或无权查看")
    return pdf_response(transfer_papers_pdf(transfer), f"档案转递通知单-{transfer.serial}.pdf")


@login_required
@require_http_methods(["GET", "POST"])
def letter_new(request: HttpRequest) -> HttpResponse:
    form = LetterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            letter = services.letter_issue(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            add_service_errors(exc, form)
        else:
            return HttpResponseRedirect(reverse("transfers:letter_pdf", args=[letter.pk]))
    return render(
        request, "transfers/form.html", {"form": form, "title": "开具调档函", "letters": letters_of(request.user)[:20]}
    )


@login_required
def letter_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    letter = letters_of(request.user).filter(pk=pk).first()
    if letter is None:
        raise Http404("调档函不存在或无权查看")
    return pdf_response(letter_pdf(letter), f"调档函-{letter.number}.pdf")


def letter_verify(request: HttpRequest, number: str) -> HttpResponse:
    """Public: whoever holds the letter checks it was issued on the platform; only the masked name shows."""
    letter = RequestLetter.objects.select_related("issuing_agency").filter(number=number[:30]).first()
    context = {
        "letter": letter,
        "masked_name": (letter.person_name[:1] + "*" * (len(letter.person_name) - 1)) if letter else "",
        "masked_id": mask_id_number(letter.person_id_number) if letter else "",
    }
    return render(request, "transfers/verify.html", context, status=200 if letter else 404)


@login_required
@require_http_methods(["GET", "POST"])
def retiring(request: HttpRequest) -> HttpResponse:
    """R18/R19: who reaches the statutory retirement age within a month, and the hand-over form."""
    staff = staff_of(request.user)
    today = timezone.localdate()
    rows = nearing_retirement(staff.agency, today=today) if staff else []
    form = HandOverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            transfer = services.hand_over_apply(actor=request.user, today=today, **form.cleaned_data)
        except ApplicationError as exc:
            add_service_errors(exc, form)
        else:
            return HttpResponseRedirect(reverse("transfers:detail", args=[transfer.pk]))
    return render(request, "transfers/retiring.html", {"rows": rows, "form": form, "today": today})
