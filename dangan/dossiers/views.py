from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from dangan.audit.models import AuditEvent
from dangan.core.codetables import table
from dangan.core.errors import ApplicationError, NotFound, PermissionDenied
from dangan.core.pdf import pdf_response, render_pdf
from dangan.dossiers import basicinfo
from dangan.dossiers.forms import IntakeForm, MissingMaterialFormSet
from dangan.dossiers.lookup import LookupResults, dossier_lookup
from dangan.dossiers.models import GapStatus
from dangan.dossiers.policies import sees_full_id_number
from dangan.dossiers.selectors import gaps_for_follow_up, intake_for_reader, query_shape
from dangan.dossiers.services import IntakeInput, MissingMaterial, dossier_read, dossier_receive


@login_required
def dossier_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    results = LookupResults(request.user, query)
    if query and query_shape(query)[0] == "barcode":
        # A scanned barcode opens the dossier at once.
        found = dossier_lookup(request.user, query, limit=2).hits
        if len(found) == 1:
            return HttpResponseRedirect(reverse("dossiers:detail", args=[found[0].id]))
    page: Any = Paginator(cast(Any, results), 25).get_page(request.GET.get("page"))  # a sequence of hits
    template = "dossiers/_results.html" if request.htmx else "dossiers/list.html"  # type: ignore[attr-defined]
    return render(request, template, {"page": page, "q": query})


@login_required
def dossier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        dossier = dossier_read(actor=request.user, dossier_id=pk)
    except NotFound:
        raise Http404("档案不存在或无权查看") from None
    except PermissionDenied as exc:
        return render(request, "dossiers/refused.html", {"reason": exc.message}, status=403)
    person = dossier.person
    full_id = sees_full_id_number(request.user)
    items = []
    for item in basicinfo.ITEMS:
        value = basicinfo.display(item, person, dossier)
        if item.key == "id_number" and not full_id:
            value = f"{person.get_id_type_display()} {person.masked_id_number}"
        items.append({"item": item, "value": value, "filled": basicinfo.is_filled(item, person, dossier)})
    context = {
        "dossier": dossier,
        "person": person,
        "id_number": person.id_number if full_id else person.masked_id_number,
        "sex": table("sex").label(person.sex),
        "items": items,
        "completeness": basicinfo.completeness(person, dossier),
        "gaps": dossier.gaps.order_by("status", "deadline"),
        "today": timezone.localdate(),
        "intakes": dossier.intakes.select_related("received_by").order_by("-received_at"),
        "events": AuditEvent.objects.filter(dossier_id=dossier.pk)
        .exclude(action="dossier.viewed")
        .order_by("-seq")[:50],
        "education": person.education.all(),
        "employment": person.employment.all(),
        "titles": person.titles.all(),
        "memberships": person.memberships.all(),
        "sections": _sections(dossier.pk),
    }
    return render(request, "dossiers/detail.html", context)


# Sections other apps render for the dossier page, loaded by htmx from their own URLs.
SECTIONS = (
    ("档案材料", "materials:dossier_section"),
    ("存放位置", "storage:dossier_section"),
    ("委托存档协议", "agreements:dossier_section"),
)


def _sections(dossier_id: int) -> list[tuple[str, str]]:
    found = []
    for title, name in SECTIONS:
        try:
            found.append((title, reverse(name, args=[dossier_id])))
        except NoReverseMatch:
            continue
    return found


def _apply_errors(exc: ApplicationError, form: IntakeForm, formset: Any) -> None:
    for name, messages in exc.fields.items():
        if name.startswith("missing["):
            index = int(name[len("missing[") : name.index("]")])
            field = name.split(".", 1)[1]
            for message in messages:
                formset.forms[index].add_error(field, message)
        elif name in form.fields:
            for message in messages:
                form.add_error(name, message)
        else:
            for message in messages:
                form.add_error(None, message)
    if not exc.fields:
        form.add_error(None, exc.message)


@login_required
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest) -> HttpResponse:
    form = IntakeForm(request.POST or None)
    formset = MissingMaterialFormSet(request.POST or None, prefix="missing")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        missing = [MissingMaterial(**f.cleaned_data) for f in formset.forms if f.cleaned_data and f.has_changed()]
        person = {
            k: data[k]
            for k in ("name", "id_type", "id_number", "sex", "birth_date", "ethnic_group", "native_place",
                      "household_region", "political_status", "work_started_on", "person_category", "phone")
            if data.get(k) not in (None, "")
        }  # fmt: skip
        education = (
            {k: data[k] or "" for k in ("education", "degree", "school", "major")}
            | {"graduated_on": data["graduated_on"]}
            if data.get("education")
            else None
        )
        employment = (
            {"employer_name": data["employer_name"], "credit_code": data["credit_code"] or ""}
            if data.get("employer_name")
            else None
        )
        intake_input = IntakeInput(
            person=person,
            source_kind=data["source_kind"],
            source_name=data["source_name"],
            delivery=data["delivery"],
            received_on=data["received_on"],
            entrustment_type=data["entrustment_type"],
            seal_intact=data["seal_intact"],
            anomalies=data["anomalies"],
            education=education,
            employment=employment,
            party_joined_on=data.get("party_joined_on"),
            missing=missing,
            party_name=data["party_name"],
            acknowledged=data["acknowledged"],
            commitment_deadline=data["commitment_deadline"] if missing else None,
        )
        try:
            received = dossier_receive(actor=request.user, data=intake_input)
        except ApplicationError as exc:
            _apply_errors(exc, form, formset)
        else:
            return HttpResponseRedirect(reverse("dossiers:intake_done", args=[received.pk]))
    return render(request, "dossiers/intake.html", {"form": form, "formset": formset}, status=200)


@login_required
def intake_done(request: HttpRequest, pk: int) -> HttpResponse:
    received = intake_for_reader(request.user, pk)
    # R7: a dossier that had been transferred out and was taken back into stock by this intake.
    returning = received.dossier.intakes.filter(received_at__lt=received.received_at).exists()
    return render(
        request,
        "dossiers/intake_done.html",
        {"intake": received, "gaps": received.gaps.all(), "returning": returning},
    )


@login_required
def intake_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The written notice of missing materials with the party's acknowledgement and commitment (R11)."""
    received = intake_for_reader(request.user, pk)
    gaps = list(received.gaps.all())
    if not gaps:
        raise Http404("本次接收没有缺失材料")
    pdf = render_pdf("dossiers/notice_pdf.html", {"intake": received, "gaps": gaps, "dossier": received.dossier})
    return pdf_response(pdf, f"档案材料缺失告知书-{received.dossier.number}.pdf")


@login_required
def gap_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", GapStatus.OPEN)
    gaps = gaps_for_follow_up(request.user, status=status)
    page = Paginator(gaps, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "dossiers/gaps.html",
        {"page": page, "status": status, "statuses": GapStatus.choices, "today": timezone.localdate()},
    )
