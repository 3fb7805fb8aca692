"""Console pages of the storerooms: thin, calling the same services and selectors as the API."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangan.agencies.policies import staff_of
from dangan.audit.services import record
from dangan.core.errors import ApplicationError, NotFound
from dangan.core.pdf import pdf_response
from dangan.core.spreadsheets import xlsx_response
from dangan.dossiers.models import Dossier
from dangan.storage import events, labels, selectors, services, stocktaking
from dangan.storage.checklist import checklist
from dangan.storage.forms import (
    LocationsForm,
    PlaceForm,
    ProtectionsForm,
    RoomForm,
    ScanForm,
    StocktakeCancelForm,
    StocktakeScanForm,
)
from dangan.storage.models import DiscrepancyKind, Room, ScanResult, Stocktake
from dangan.storage.policies import can_create_room, can_keep, can_view_storage


def _require_reader(request: HttpRequest) -> None:
    if not can_view_storage(request.user):
        raise DjangoPermissionDenied(_("您的岗位无权查看库房"))


def _room_or_404(request: HttpRequest, room_id: int) -> Room:
    try:
        return selectors.room_for(request.user, room_id)
    except NotFound:
        raise Http404(_("房间不存在或无权查看")) from None


def _dossier_or_404(request: HttpRequest, dossier_id: int) -> Dossier:
    try:
        return selectors.dossier_for_storage(request.user, dossier_id)
    except NotFound:
        raise Http404(_("档案不存在或无权查看")) from None


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    staff = staff_of(request.user)
    context = {
        "rooms": list(selectors.rooms_visible_to(request.user)),
        "checklist": checklist(),
        "may_create_room": staff is not None and can_create_room(request.user, staff.agency),
        "scan_form": ScanForm(),
    }
    return render(request, "storage/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def room_create(request: HttpRequest) -> HttpResponse:
    staff = staff_of(request.user)
    if staff is None or not can_create_room(request.user, staff.agency):
        raise DjangoPermissionDenied(_("只有系统管理员可以建立房间"))
    form = RoomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            room = services.room_create(actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(
                request, _("已建立%(kind)s“%(name)s”") % {"kind": room.get_kind_display(), "name": room.name}
            )
            return HttpResponseRedirect(reverse("storage:room", args=[room.pk]))
    return render(request, "storage/room_form.html", {"form": form})


def _room_page(
    request: HttpRequest,
    room: Room,
    form: LocationsForm | None = None,
    status: int = 200,
    protections_form: ProtectionsForm | None = None,
) -> HttpResponse:
    cabinets = selectors.cabinets_of(room)
    selected: int | None = None
    raw = request.GET.get("cabinet", "")
    if raw.isdigit() and any(c.cabinet == int(raw) for c in cabinets):
        selected = int(raw)
    elif cabinets:
        selected = cabinets[0].cabinet
    grid: list[list[object]] = []
    if selected is not None:
        rows: dict[int, list[object]] = {}
        for location in selectors.locations_of(room, selected):
            rows.setdefault(location.tier, []).append(location)
        grid = [rows[tier] for tier in sorted(rows)]
    may_keep = can_keep(request.user, room.agency)
    context = {
        "room": room,
        "cabinets": cabinets,
        "selected": selected,
        "grid": grid,
        "may_keep": may_keep,
        "form": form or (LocationsForm() if may_keep and room.is_storeroom else None),
    }
    if room.is_storeroom and can_create_room(request.user, room.agency):
        context["protections_form"] = protections_form or ProtectionsForm(initial={"protections": room.protections})
    return render(request, "storage/room_detail.html", context, status=status)


@login_required
@require_POST
def room_protections(request: HttpRequest, room_id: int) -> HttpResponse:
    """R39: the administrator records the storeroom's protections as they stand now."""
    _require_reader(request)
    room = _room_or_404(request, room_id)
    if not can_create_room(request.user, room.agency):
        raise DjangoPermissionDenied(_("只有系统管理员可以修改房间的防护措施"))
    form = ProtectionsForm(request.POST)
    if form.is_valid():
        try:
            services.room_protections_update(actor=request.user, room_id=room.pk, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("已更新防护措施"))
            return HttpResponseRedirect(reverse("storage:room", args=[room.pk]))
    return _room_page(request, room, status=400, protections_form=form)


@login_required
@require_GET
def room_detail(request: HttpRequest, room_id: int) -> HttpResponse:
    _require_reader(request)
    return _room_page(request, _room_or_404(request, room_id))


@login_required
@require_POST
def locations_create(request: HttpRequest, room_id: int) -> HttpResponse:
    _require_reader(request)
    room = _room_or_404(request, room_id)
    if not can_keep(request.user, room.agency):
        raise DjangoPermissionDenied(_("只有本机构的库房管理员可以设置存放位置"))
    form = LocationsForm(request.POST)
    if form.is_valid():
        try:
            created = services.locations_create(actor=request.user, room_id=room.pk, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, _("已设置 %(n)d 个存放位置") % {"n": len(created)})
            cabinet = form.cleaned_data["cabinet"]
            return HttpResponseRedirect(f"{reverse('storage:room', args=[room.pk])}?cabinet={cabinet}")
    return _room_page(request, room, form)


@login_required
@require_http_methods(["GET", "POST"])
def place(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """Shelve a dossier (first placement) or move it; the keeper types or scans the place's code."""
    dossier = _dossier_or_404(request, dossier_id)
    if not can_keep(request.user, dossier.custodian):
        raise DjangoPermissionDenied(
            _("该档案实物由%(custodian)s保管，只有其库房管理员可以上架、移位") % {"custodian": dossier.custodian.name}
        )
    current = selectors.current_place(dossier)
    suggestion = selectors.suggest_location(dossier)
    initial = {"location": suggestion.code if suggestion and current is None else ""}
    form = PlaceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["location"]
        target = selectors.location_by_code(dossier.custodian_id, code)
        if target is None:
            form.add_error("location", _("%(custodian)s库房中没有编号为“%(code)s”的位置") % {
                "custodian": dossier.custodian.short_name, "code": code,
            })  # fmt: skip
        else:
            try:
                if current is None:
                    services.dossier_shelve(
                        actor=request.user, dossier_id=dossier.pk, location_id=target.pk,
                        reason=form.cleaned_data["reason"],
                    )  # fmt: skip
                else:
                    services.dossier_move(
                        actor=request.user, dossier_id=dossier.pk, location_id=target.pk,
                        reason=form.cleaned_data["reason"],
                    )  # fmt: skip
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("档案 %(number)s 已放置于 %(code)s") % {
                    "number": dossier.number, "code": target.code,
                })  # fmt: skip
                return HttpResponseRedirect(reverse("storage:place", args=[dossier.pk]))
    context = {
        "dossier": dossier,
        "current": current,
        "suggestion": suggestion,
        "form": form,
        "moves": list(selectors.moves_of(dossier)[:20]),
    }
    return render(request, "storage/place.html", context)


@login_required
@require_GET
def scan(request: HttpRequest) -> HttpResponse:
    """A scanner is a keyboard: it types the barcode and presses Enter, which submits the form."""
    _require_reader(request)
    form = ScanForm(request.GET if "barcode" in request.GET else None)
    if form.is_bound and form.is_valid():
        try:
            dossier = selectors.dossier_by_barcode(request.user, form.cleaned_data["barcode"])
        except NotFound as exc:
            form.add_error("barcode", exc.message)
        else:
            return HttpResponseRedirect(reverse("dossiers:detail", args=[dossier.pk]))
    return render(request, "storage/scan.html", {"form": form})


@login_required
@require_GET
def dossier_section(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """The dossier page's storage section (loaded by htmx): where the paper is and how it moved."""
    dossier = _dossier_or_404(request, dossier_id)
    context = {
        "dossier": dossier,
        "current": selectors.current_place(dossier),
        "moves": list(selectors.moves_of(dossier)[:50]),
        "may_keep": can_keep(request.user, dossier.custodian),
    }
    return render(request, "storage/_dossier_section.html", context)


@login_required
@require_GET
def dossier_label(request: HttpRequest, dossier_id: int) -> HttpResponse:
    dossier = _dossier_or_404(request, dossier_id)
    if not can_keep(request.user, dossier.custodian):
        raise DjangoPermissionDenied(_("只有保管该档案实物的库房管理员可以打印标签"))
    label = labels.label_for(dossier, selectors.location_label(dossier))
    pdf = labels.labels_pdf([label], title=_("档案标签"))
    return pdf_response(pdf, f"档案标签-{dossier.number}.pdf")


@login_required
@require_GET
def cabinet_labels(request: HttpRequest, room_id: int, cabinet: int) -> HttpResponse:
    _require_reader(request)
    room = _room_or_404(request, room_id)
    if not can_keep(request.user, room.agency):
        raise DjangoPermissionDenied(_("只有本机构的库房管理员可以打印标签"))
    sheet = labels.cabinet_labels(room, cabinet)
    if not sheet:
        raise Http404(_("该档案柜没有已上架的档案"))
    pdf = labels.labels_pdf(sheet, title=_("档案柜标签"))
    return pdf_response(pdf, f"档案标签-{room.name}-{cabinet:02d}.pdf")


# 库房盘点 (R42)


def _stocktake_or_404(request: HttpRequest, stocktake_id: int) -> Stocktake:
    try:
        return selectors.stocktake_for(request.user, stocktake_id)
    except NotFound:
        raise Http404(_("盘点不存在或无权查看")) from None


def _require_keeper(request: HttpRequest, room: Room) -> None:
    if not can_keep(request.user, room.agency):
        raise DjangoPermissionDenied(_("只有本机构的库房管理员可以盘点库房"))


@login_required
@require_GET
def stocktakes(request: HttpRequest, room_id: int) -> HttpResponse:
    """A storeroom's stocktakes, newest first, with the button that opens a new one."""
    _require_reader(request)
    room = _room_or_404(request, room_id)
    rows = list(selectors.stocktakes_of(room)[:100])
    context = {
        "room": room,
        "stocktakes": rows,
        "open_stocktake": next((s for s in rows if s.is_open), None),
        "may_keep": room.is_storeroom and can_keep(request.user, room.agency),
    }
    return render(request, "storage/stocktakes.html", context)


@login_required
@require_POST
def stocktake_start(request: HttpRequest, room_id: int) -> HttpResponse:
    _require_reader(request)
    room = _room_or_404(request, room_id)
    _require_keeper(request, room)
    try:
        stocktake = stocktaking.stocktake_start(actor=request.user, room_id=room.pk)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("storage:stocktakes", args=[room.pk]))
    messages.success(request, _("已开始盘点%(room)s") % {"room": room.name})
    return HttpResponseRedirect(reverse("storage:stocktake", args=[stocktake.pk]))


def _outcome_text(outcome: stocktaking.ScanOutcome) -> tuple[str, str]:
    """(css class, sentence) telling the keeper what the scan found."""
    scan = outcome.scan
    who = f"{scan.dossier.number} {scan.masked_name}" if scan.dossier is not None else scan.barcode
    if outcome.repeated:
        return "info", _("%(who)s 已在 %(code)s 扫描过，不重复计数") % {"who": who, "code": scan.location.code}
    if scan.result == ScanResult.MATCHED:
        return "success", _("相符：%(who)s 在 %(code)s") % {"who": who, "code": scan.location.code}
    if scan.result == ScanResult.MISPLACED:
        recorded = scan.recorded_location.code if scan.recorded_location else ""
        return "warning", _("位置不符：%(who)s 账面位置 %(recorded)s，实际在 %(code)s") % {
            "who": who, "recorded": recorded, "code": scan.location.code,
        }  # fmt: skip
    if scan.result == ScanResult.UNRECORDED:
        return "warning", _("不在本库房账上：%(who)s（实际在 %(code)s）") % {"who": who, "code": scan.location.code}
    return "error", _("条码不明：%(barcode)s 不是本机构可查的档案（在 %(code)s）") % {
        "barcode": scan.barcode, "code": scan.location.code,
    }  # fmt: skip


def _scan_context(
    request: HttpRequest, stocktake: Stocktake, form: StocktakeScanForm | None = None, outcome: object = None
) -> dict[str, object]:
    may_keep = can_keep(request.user, stocktake.room.agency)
    return {
        "stocktake": stocktake,
        "room": stocktake.room,
        "may_keep": may_keep,
        "form": form or (StocktakeScanForm() if may_keep and stocktake.is_open else None),
        "outcome": outcome,
        "progress": selectors.stocktake_progress(stocktake) if stocktake.is_open else None,
        "scans": selectors.last_scans(stocktake),
    }


@login_required
@require_GET
def stocktake_detail(request: HttpRequest, stocktake_id: int) -> HttpResponse:
    """The open stocktake: scan form, running counts, the last scans; finish and cancel."""
    _require_reader(request)
    stocktake = _stocktake_or_404(request, stocktake_id)
    context = _scan_context(request, stocktake)
    context["cancel_form"] = StocktakeCancelForm() if context["may_keep"] and stocktake.is_open else None
    return render(request, "storage/stocktake.html", context)


@login_required
@require_POST
def stocktake_scan(request: HttpRequest, stocktake_id: int) -> HttpResponse:
    """One scan; htmx swaps the scan panel, a plain form post comes back to the page."""
    _require_reader(request)
    stocktake = _stocktake_or_404(request, stocktake_id)
    _require_keeper(request, stocktake.room)
    form = StocktakeScanForm(request.POST)
    outcome = None
    prompt = ""
    code = request.POST.get("location_code", "").strip()
    if code and not request.POST.get("barcode", "").strip() and stocktake.is_open:
        # The scanner's Enter after the shelf place: keep the place, wait for the box's barcode.
        form = StocktakeScanForm(initial={"location_code": code})
        if selectors.location_in_room(stocktake.room_id, code) is None:
            form = StocktakeScanForm(request.POST)
            form.fields["barcode"].required = False
            form.is_valid()
            form.add_error("location_code", _("%(room)s 中没有编号为“%(code)s”的位置") % {
                "room": stocktake.room.name, "code": code,
            })  # fmt: skip
        else:
            prompt = _("位置 %(code)s：请扫描该格中的档案盒条码") % {"code": code}
    elif form.is_valid():
        try:
            result = stocktaking.stocktake_scan(actor=request.user, stocktake_id=stocktake.pk, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_service_error(exc)
            stocktake.refresh_from_db(fields=["status"])
            if not stocktake.is_open:  # finished or cancelled meanwhile: no form to show the error on
                outcome = ("error", exc.message)
        else:
            outcome = _outcome_text(result)
            form = StocktakeScanForm()
            if not request.htmx:  # type: ignore[attr-defined]
                getattr(messages, outcome[0])(request, outcome[1])
                return HttpResponseRedirect(reverse("storage:stocktake", args=[stocktake.pk]))
    context = _scan_context(request, stocktake, form if stocktake.is_open else None, outcome)
    context["prompt"] = prompt
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "storage/_stocktake_scan.html", context)
    context["cancel_form"] = StocktakeCancelForm() if stocktake.is_open else None
    return render(request, "storage/stocktake.html", context)


@login_required
@require_POST
def stocktake_finish(request: HttpRequest, stocktake_id: int) -> HttpResponse:
    _require_reader(request)
    stocktake = _stocktake_or_404(request, stocktake_id)
    _require_keeper(request, stocktake.room)
    try:
        done = stocktaking.stocktake_finish(actor=request.user, stocktake_id=stocktake.pk)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("storage:stocktake", args=[stocktake.pk]))
    messages.success(
        request,
        _("盘点完成：账面 %(recorded)d 卷，相符 %(matched)d 卷，差异 %(diff)d 处")
        % {"recorded": done.recorded_count, "matched": done.matched_count, "diff": done.discrepancy_count},
    )
    return HttpResponseRedirect(reverse("storage:stocktake_report", args=[done.pk]))


@login_required
@require_POST
def stocktake_cancel(request: HttpRequest, stocktake_id: int) -> HttpResponse:
    _require_reader(request)
    stocktake = _stocktake_or_404(request, stocktake_id)
    _require_keeper(request, stocktake.room)
    cancel_form = StocktakeCancelForm(request.POST)
    if cancel_form.is_valid():
        try:
            stocktaking.stocktake_cancel(actor=request.user, stocktake_id=stocktake.pk, **cancel_form.cleaned_data)
        except ApplicationError as exc:
            cancel_form.add_service_error(exc)
        else:
            messages.success(request, _("已取消盘点"))
            return HttpResponseRedirect(reverse("storage:stocktakes", args=[stocktake.room_id]))
    context = _scan_context(request, stocktake)
    context["cancel_form"] = cancel_form
    return render(request, "storage/stocktake.html", context)


@login_required
@require_GET
def stocktake_report(request: HttpRequest, stocktake_id: int) -> HttpResponse:
    """The finished stocktake's report, as stored at the finish: three lists of differences."""
    _require_reader(request)
    stocktake = _stocktake_or_404(request, stocktake_id)
    if not stocktake.is_finished:
        return HttpResponseRedirect(reverse("storage:stocktake", args=[stocktake.pk]))
    limit = selectors.REPORT_PAGE_ROWS
    counts = {
        DiscrepancyKind.MISSING: stocktake.missing_count,
        DiscrepancyKind.MISPLACED: stocktake.misplaced_count,
        DiscrepancyKind.UNRECORDED: stocktake.unrecorded_count,
    }
    sections = [
        {
            "kind": kind,
            "label": label,
            "count": counts[DiscrepancyKind(kind)],
            "rows": list(selectors.discrepancies_of(stocktake, kind)[:limit]),
            "truncated": counts[DiscrepancyKind(kind)] > limit,
        }
        for kind, label in DiscrepancyKind.choices
    ]
    context = {"stocktake": stocktake, "room": stocktake.room, "sections": sections, "limit": limit}
    return render(request, "storage/stocktake_report.html", context)


@login_required
@require_GET
def stocktake_report_xlsx(request: HttpRequest, stocktake_id: int) -> FileResponse:
    _require_reader(request)
    stocktake = _stocktake_or_404(request, stocktake_id)
    if not stocktake.is_finished:
        raise Http404(_("盘点尚未完成，没有盘点报告"))
    day = stocktake.started_at.strftime("%Y%m%d")
    with transaction.atomic():  # a list of dossiers leaves the platform: who took it, when (R41, R43)
        record(
            actor=request.user, action=events.STOCKTAKE_EXPORTED, subject=stocktake, agency_id=stocktake.room.agency_id
        )
    return xlsx_response(
        filename=f"盘点报告-{stocktake.room.name}-{day}.xlsx",
        sheet_title=_("盘点差异"),
        header=selectors.REPORT_HEADER,
        rows=selectors.report_rows(stocktake),
    )
