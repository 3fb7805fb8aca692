"""Console pages of the storerooms: thin, calling the same services and selectors as the API."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangan.agencies.policies import staff_of
from dangan.core.errors import ApplicationError, NotFound
from dangan.core.pdf import pdf_response
from dangan.dossiers.models import Dossier
from dangan.storage import labels, selectors, services
from dangan.storage.checklist import checklist
from dangan.storage.forms import LocationsForm, PlaceForm, RoomForm, ScanForm
from dangan.storage.models import Room
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


def _room_page(request: HttpRequest, room: Room, form: LocationsForm | None = None, status: int = 200) -> HttpResponse:
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
    return render(request, "storage/room_detail.html", context, status=status)


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
