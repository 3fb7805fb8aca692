"""Reads of storage, always scoped to what the user may see."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, QuerySet
from django.db.models.functions import Length
from django.utils.translation import gettext as _

from dangan.agencies.policies import can_read_agency
from dangan.agencies.selectors import readable_agency_ids
from dangan.core.errors import NotFound
from dangan.dossiers.models import Dossier, DossierStatus
from dangan.dossiers.policies import can_read_dossier
from dangan.dossiers.selectors import dossiers_visible_to
from dangan.storage.models import (
    DiscrepancyKind,
    DossierLocation,
    Location,
    LocationMove,
    Room,
    RoomKind,
    ScanResult,
    Stocktake,
    StocktakeDiscrepancy,
    StocktakeScan,
    mask_name,
)
from dangan.storage.policies import ShelfKey, shelf_key


def rooms_visible_to(user: Any) -> QuerySet[Room]:
    return (
        Room.objects.filter(agency_id__in=readable_agency_ids(user))
        .select_related("agency")
        .annotate(location_count=Count("locations", distinct=True), occupied_count=Count("locations__occupant"))
        .order_by("agency__path", "kind", "name")
    )


def room_for(user: Any, room_id: int) -> Room:
    room = Room.objects.select_related("agency").filter(pk=room_id).first()
    if room is None or not can_read_agency(user, room.agency):
        raise NotFound(_("房间不存在或无权查看"))
    return room


@dataclass(frozen=True)
class CabinetSummary:
    cabinet: int
    tiers: int
    positions: int
    total: int
    occupied: int


def cabinets_of(room: Room) -> list[CabinetSummary]:
    rows = (
        Location.objects.filter(room=room)
        .values("cabinet")
        .annotate(tiers=Max("tier"), positions=Max("position"), total=Count("pk"), occupied=Count("occupant"))
        .order_by("cabinet")
    )
    return [CabinetSummary(**row) for row in rows]


def locations_of(room: Room, cabinet: int | None = None) -> QuerySet[Location]:
    qs = Location.objects.filter(room=room).select_related(
        "room", "occupant__dossier__person", "occupant__dossier__holding_agency"
    )
    if cabinet is not None:
        qs = qs.filter(cabinet=cabinet)
    return qs.order_by("cabinet", "tier", "position")


def dossier_for_storage(user: Any, dossier_id: int) -> Dossier:
    """A dossier the user may read; missing and out of scope look the same."""
    dossier = Dossier.objects.select_related("person", "holding_agency", "custodian").filter(pk=dossier_id).first()
    if dossier is None or not can_read_dossier(user, dossier):
        raise NotFound(_("档案不存在或无权查看"))
    return dossier


def dossier_by_barcode(user: Any, barcode: str) -> Dossier:
    code = barcode.strip()
    dossier = dossiers_visible_to(user).filter(barcode=code).first() if code else None
    if dossier is None:
        raise NotFound(_("没有条码为“%(code)s”的档案，或无权查看") % {"code": code[:40]})
    return dossier


def current_place(dossier: Dossier) -> DossierLocation | None:
    return DossierLocation.objects.select_related("location__room", "placed_by").filter(dossier=dossier).first()


def moves_of(dossier: Dossier) -> QuerySet[LocationMove]:
    return (
        LocationMove.objects.filter(dossier=dossier)
        .select_related("from_location", "to_location", "moved_by__staff")
        .order_by("-moved_at", "-pk")
    )


def location_label(dossier: Any) -> str:
    """Basic-information item 25 (存放位置)."""
    code = DossierLocation.objects.filter(dossier_id=dossier.pk).values_list("location__code", flat=True).first()
    return code or ""


def location_by_code(agency_id: int, code: str) -> Location | None:
    return (
        Location.objects.select_related("room")
        .filter(room__agency_id=agency_id, room__kind=RoomKind.STOREROOM, code=code.strip())
        .first()
    )


def location_in_room(room_id: int, code: str) -> Location | None:
    return Location.objects.filter(room_id=room_id, code=code.strip()).first() if code.strip() else None


def _best_gap(rows: QuerySet[Location], dossier: Dossier, key: ShelfKey) -> int | None:
    """Scan places in shelf order; per cabinet, the first free place after the last smaller number
    and before the first larger one. The cabinet whose smaller neighbour is closest wins."""
    listing = rows.order_by("room__name", "room_id", "cabinet", "tier", "position").values_list(
        "pk", "room_id", "cabinet", "occupant__dossier_id", "occupant__dossier__number",
        "occupant__dossier__holding_agency__code",
    )  # fmt: skip
    best: tuple[ShelfKey | None, int] | None = None
    cabinet: tuple[int, int] | None = None
    free: int | None = None
    lower: ShelfKey | None = None
    closed = False

    def offer() -> None:
        nonlocal best
        if free is not None and (best is None or (lower is not None and (best[0] is None or best[0] < lower))):
            best = (lower, free)

    for pk, room, cab, occupant_id, number, agency_code in listing.iterator(chunk_size=2000):
        if (room, cab) != cabinet:
            offer()
            cabinet, free, lower, closed = (room, cab), None, None, False
        if closed:
            continue
        if occupant_id is None or occupant_id == dossier.pk:
            if free is None:
                free = pk
            continue
        other = shelf_key(number, agency_code)
        if other < key:
            lower, free = other, None
        else:
            closed = True
    offer()
    return best[1] if best is not None else None


def suggest_location(dossier: Dossier, *, room_id: int | None = None) -> Location | None:
    """A free place in the custodian's storerooms that keeps number order (R41)."""
    key = shelf_key(dossier.number, dossier.holding_agency.code)
    rows = Location.objects.filter(room__agency_id=dossier.custodian_id, room__kind=RoomKind.STOREROOM)
    if room_id is not None:
        rows = rows.filter(room_id=room_id)
    # Fast path: numbers of one length sort as text, so the database finds the closest smaller
    # number; its cabinet usually has the gap. Otherwise every cabinet is scanned.
    nearest = (
        DossierLocation.objects.filter(location__in=rows, dossier__number__lt=dossier.number)
        .annotate(length=Length("dossier__number"))
        .filter(length=len(dossier.number))
        .exclude(dossier=dossier)
        .order_by("-dossier__number")
        .values_list("location__room_id", "location__cabinet")
        .first()
    )
    found = None
    if nearest is not None:
        found = _best_gap(rows.filter(room_id=nearest[0], cabinet=nearest[1]), dossier, key)
    if found is None:
        found = _best_gap(rows, dossier, key)
    return Location.objects.select_related("room").get(pk=found) if found is not None else None


# 库房盘点 (R42)

REPORT_PAGE_ROWS = 500


def stocktakes_of(room: Room) -> QuerySet[Stocktake]:
    return (
        Stocktake.objects.filter(room=room)
        .select_related("started_by__staff", "finished_by__staff")
        .order_by("-started_at", "-pk")
    )


def stocktake_for(user: Any, stocktake_id: int) -> Stocktake:
    stocktake = (
        Stocktake.objects.select_related("room__agency", "started_by__staff", "finished_by__staff")
        .filter(pk=stocktake_id)
        .first()
    )
    if stocktake is None or not can_read_agency(user, stocktake.room.agency):
        raise NotFound(_("盘点不存在或无权查看"))
    return stocktake


@dataclass(frozen=True)
class StocktakeProgress:
    """The running counts of an open stocktake, as the scans found things (the finish compares again)."""

    recorded: int
    scanned: int
    matched: int
    misplaced: int
    unrecorded: int
    unknown: int


def stocktake_progress(stocktake: Stocktake) -> StocktakeProgress:
    by_result = dict(
        StocktakeScan.objects.filter(stocktake=stocktake)
        .order_by()
        .values("result")
        .annotate(n=Count("pk"))
        .values_list("result", "n")
    )
    return StocktakeProgress(
        recorded=DossierLocation.objects.filter(location__room_id=stocktake.room_id).count(),
        scanned=sum(by_result.values()),
        matched=by_result.get(ScanResult.MATCHED, 0),
        misplaced=by_result.get(ScanResult.MISPLACED, 0),
        unrecorded=by_result.get(ScanResult.UNRECORDED, 0),
        unknown=by_result.get(ScanResult.UNKNOWN, 0),
    )


def last_scans(stocktake: Stocktake, limit: int = 20) -> list[StocktakeScan]:
    return list(
        StocktakeScan.objects.filter(stocktake=stocktake)
        .select_related("location", "recorded_location", "dossier__person")
        .order_by("-scanned_at", "-pk")[:limit]
    )


def discrepancies_of(stocktake: Stocktake, kind: str | None = None) -> QuerySet[StocktakeDiscrepancy]:
    qs = StocktakeDiscrepancy.objects.filter(stocktake=stocktake).select_related(
        "dossier__person", "recorded_location", "found_location"
    )
    if kind is not None:
        qs = qs.filter(kind=kind)
    return qs.order_by("pk")


REPORT_HEADER = ["差异类别", "档案编号", "姓名", "条码", "账面位置", "实际位置", "档案状态"]


def report_rows(stocktake: Stocktake) -> Iterator[list[str]]:
    """The report's lines for the spreadsheet, kind by kind, streamed from the database."""
    statuses = dict(DossierStatus.choices)
    for kind, label in DiscrepancyKind.choices:
        rows = (
            StocktakeDiscrepancy.objects.filter(stocktake=stocktake, kind=kind)
            .order_by("pk")
            .values_list(
                "dossier__number", "dossier__person__name", "barcode",
                "recorded_location__code", "found_location__code", "dossier__status",
            )
        )  # fmt: skip
        for number, name, barcode, recorded, found, status in rows.iterator(chunk_size=2000):
            yield [
                str(label),
                number or "",
                mask_name(name or ""),
                barcode,
                recorded or "",
                found or "",
                str(statuses.get(status, "")) if status else "",
            ]
