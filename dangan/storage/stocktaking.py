"""Stocktaking of a storeroom (R42): keepers scan each place and box; finishing compares with the records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from dangan.agencies.policies import can_read_agency
from dangan.audit.services import record
from dangan.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from dangan.dossiers.selectors import dossiers_visible_to
from dangan.storage import events
from dangan.storage.models import (
    DiscrepancyKind,
    DossierLocation,
    Location,
    Room,
    RoomKind,
    ScanResult,
    Stocktake,
    StocktakeDiscrepancy,
    StocktakeScan,
    StocktakeStatus,
)
from dangan.storage.policies import can_keep

BARCODE_MAX = 40
LOCATION_CODE_MAX = 60
_BATCH = 1000


def _room_for_stocktake(actor: Any, room_id: int) -> Room:
    room = Room.objects.select_for_update(of=("self",)).select_related("agency").filter(pk=room_id).first()
    if room is None or not can_read_agency(actor, room.agency):
        raise NotFound(_("房间不存在或无权查看"))
    if not can_keep(actor, room.agency):
        raise PermissionDenied(_("只有本机构的库房管理员可以盘点库房"), code="not_keeper")
    if room.kind != RoomKind.STOREROOM:
        raise ValidationFailed(
            _("只有库房需要盘点：阅档室和办公室不存放档案（R40）"),
            code="not_storeroom",
            fields={"room": [_("“%(room)s”是%(kind)s") % {"room": room.name, "kind": room.get_kind_display()}]},
        )
    return room


def _open_stocktake_for_keeper(actor: Any, stocktake_id: int) -> Stocktake:
    """Lock the stocktake: scans, finish and cancel of one stocktake happen one after the other."""
    stocktake = (
        Stocktake.objects.select_for_update(of=("self",)).select_related("room__agency").filter(pk=stocktake_id).first()
    )
    if stocktake is None or not can_read_agency(actor, stocktake.room.agency):
        raise NotFound(_("盘点不存在或无权查看"))
    if not can_keep(actor, stocktake.room.agency):
        raise PermissionDenied(_("只有本机构的库房管理员可以盘点库房"), code="not_keeper")
    if stocktake.status != StocktakeStatus.OPEN:
        raise Conflict(
            _("该盘点%(status)s，不能再扫描、完成或取消") % {"status": stocktake.get_status_display()},
            code="stocktake_closed",
        )
    return stocktake


def _close(stocktake: Stocktake, actor: Any, status: str, fields: list[str]) -> None:
    """The one place a stocktake leaves "open" (open → finished | cancelled)."""
    if stocktake.status != StocktakeStatus.OPEN or status not in {StocktakeStatus.FINISHED, StocktakeStatus.CANCELLED}:
        raise Conflict(_("盘点状态不允许此操作"), code="stocktake_closed")
    stocktake.status = status
    stocktake.finished_at = timezone.now()
    stocktake.finished_by = actor
    stocktake.save(update_fields=["status", "finished_at", "finished_by", *fields])


def stocktake_start(*, actor: Any, room_id: int) -> Stocktake:
    """An archive keeper of the room's agency opens a stocktake; one open stocktake per storeroom (R42)."""
    with transaction.atomic():
        room = _room_for_stocktake(actor, room_id)  # the lock serializes two keepers starting at once
        current = Stocktake.objects.filter(room=room, status=StocktakeStatus.OPEN).first()
        if current is not None:
            raise Conflict(
                _("%(room)s 已有进行中的盘点（%(at)s 开始），请先完成或取消")
                % {"room": room.name, "at": timezone.localtime(current.started_at).strftime("%Y-%m-%d %H:%M")},
                code="stocktake_open",
            )
        recorded = DossierLocation.objects.filter(location__room=room).count()
        try:
            with transaction.atomic():
                stocktake = Stocktake.objects.create(room=room, started_at=timezone.now(), started_by=actor)
        except IntegrityError:
            raise Conflict(_("该库房已有进行中的盘点"), code="stocktake_open") from None
        record(
            actor=actor,
            action=events.STOCKTAKE_STARTED,
            subject=stocktake,
            after={"room": room.name, "recorded": recorded},
        )
    return stocktake


@dataclass(frozen=True)
class ScanOutcome:
    scan: StocktakeScan
    repeated: bool  # the same box scanned again at the same place: nothing new was written


def stocktake_scan(*, actor: Any, stocktake_id: int, barcode: str, location_code: str) -> ScanOutcome:
    """The keeper scans a shelf place and the barcode of the box found there; each box is recorded once."""
    barcode, code = barcode.strip(), location_code.strip()
    errors: dict[str, list[str]] = {}
    if not code:
        errors["location_code"] = [_("请扫描或输入存放位置编号")]
    elif len(code) > LOCATION_CODE_MAX:
        errors["location_code"] = [_("位置编号不能超过%d个字符") % LOCATION_CODE_MAX]
    if not barcode:
        errors["barcode"] = [_("请扫描或输入档案条码")]
    elif len(barcode) > BARCODE_MAX:
        errors["barcode"] = [_("条码不能超过%d个字符") % BARCODE_MAX]
    with transaction.atomic():
        stocktake = _open_stocktake_for_keeper(actor, stocktake_id)
        if errors:
            raise ValidationFailed(_("扫描信息有误，请按提示修改"), fields=errors)
        room = stocktake.room
        location = Location.objects.filter(room=room, code=code).first()
        if location is None:
            message = _("%(room)s 中没有编号为“%(code)s”的位置") % {"room": room.name, "code": code}
            raise ValidationFailed(message, code="unknown_location", fields={"location_code": [message]})
        earlier = StocktakeScan.objects.select_related("location").filter(stocktake=stocktake, barcode=barcode).first()
        if earlier is not None:
            if earlier.location_id == location.pk:
                return ScanOutcome(scan=earlier, repeated=True)
            message = _("条码 %(barcode)s 已在 %(code)s 扫描过；同一档案在一次盘点中只能记一个位置") % {
                "barcode": barcode,
                "code": earlier.location.code,
            }
            raise Conflict(message, code="already_scanned", fields={"barcode": [message]})
        dossier = dossiers_visible_to(actor).filter(barcode=barcode).first()
        recorded: Location | None = None
        if dossier is None:
            result = ScanResult.UNKNOWN
        else:
            place = DossierLocation.objects.select_related("location").filter(dossier=dossier).first()
            recorded = place.location if place is not None else None
            if recorded is None or recorded.room_id != room.pk:
                result = ScanResult.UNRECORDED
            elif recorded.pk == location.pk:
                result = ScanResult.MATCHED
            else:
                result = ScanResult.MISPLACED
        scan = StocktakeScan.objects.create(
            stocktake=stocktake,
            location=location,
            barcode=barcode,
            dossier=dossier,
            recorded_location=recorded,
            result=result,
            scanned_at=timezone.now(),
            scanned_by=actor,
        )
        record(
            actor=actor,
            action=events.STOCKTAKE_SCANNED,
            subject=scan,
            dossier_id=dossier.pk if dossier is not None else None,
            after={
                "stocktake": stocktake.pk,
                "barcode": barcode,
                "location": location.code,
                "recorded": recorded.code if recorded is not None else None,
                "result": result.value,
            },
        )
    return ScanOutcome(scan=scan, repeated=False)


def _stocktake_differences(stocktake: Stocktake) -> dict[str, int]:
    """Compare the scans with the placement records as they stand now, writing the report lines in batches.
    Streams both sides (a storeroom may hold 100,000 dossiers): nothing is held but one batch."""
    room_id = stocktake.room_id
    counts = {"scanned": 0, "matched": 0, "missing": 0, "misplaced": 0, "unrecorded": 0}
    batch: list[StocktakeDiscrepancy] = []

    def add(kind: str, **values: Any) -> None:
        counts[kind] += 1
        batch.append(StocktakeDiscrepancy(stocktake=stocktake, kind=kind, **values))
        if len(batch) >= _BATCH:
            StocktakeDiscrepancy.objects.bulk_create(batch)
            batch.clear()

    scans = (
        StocktakeScan.objects.filter(stocktake=stocktake)
        .order_by("pk")
        .values_list(
            "dossier_id", "barcode", "location_id",
            "dossier__storage_place__location_id", "dossier__storage_place__location__room_id",
        )
    )  # fmt: skip
    for dossier_id, barcode, found, recorded, recorded_room in scans.iterator(chunk_size=2000):
        counts["scanned"] += 1
        if dossier_id is None or recorded_room != room_id:
            # (c) found here, but not on this room's books: unknown barcode, unshelved, or booked elsewhere
            add(
                DiscrepancyKind.UNRECORDED,
                dossier_id=dossier_id,
                barcode=barcode,
                recorded_location_id=recorded,
                found_location_id=found,
            )
        elif recorded != found:
            # (b) on this room's books, found at another place
            add(
                DiscrepancyKind.MISPLACED,
                dossier_id=dossier_id,
                barcode=barcode,
                recorded_location_id=recorded,
                found_location_id=found,
            )
        else:
            counts["matched"] += 1
    found_here = StocktakeScan.objects.filter(stocktake=stocktake, dossier_id=OuterRef("dossier_id"))
    missing = (
        DossierLocation.objects.filter(location__room_id=room_id)
        .filter(~Exists(found_here))
        .order_by("location__cabinet", "location__tier", "location__position")
        .values_list("dossier_id", "dossier__barcode", "location_id")
    )
    for dossier_id, barcode, recorded in missing.iterator(chunk_size=2000):
        # (a) on this room's books, not found
        add(DiscrepancyKind.MISSING, dossier_id=dossier_id, barcode=barcode, recorded_location_id=recorded)
    if batch:
        StocktakeDiscrepancy.objects.bulk_create(batch)
    return counts


def stocktake_finish(*, actor: Any, stocktake_id: int) -> Stocktake:
    """Close the stocktake and fix its report: (a) on the books but not found, (b) found at another place,
    (c) found but not on this room's books (R42). The counts and lines are stored for reopening."""
    with transaction.atomic():
        stocktake = _open_stocktake_for_keeper(actor, stocktake_id)
        counts = _stocktake_differences(stocktake)
        # On the books of the room: found at their place, found elsewhere in it, or not found.
        stocktake.recorded_count = counts["matched"] + counts["misplaced"] + counts["missing"]
        stocktake.scanned_count = counts["scanned"]
        stocktake.matched_count = counts["matched"]
        stocktake.missing_count = counts["missing"]
        stocktake.misplaced_count = counts["misplaced"]
        stocktake.unrecorded_count = counts["unrecorded"]
        _close(
            stocktake,
            actor,
            StocktakeStatus.FINISHED,
            [
                "recorded_count", "scanned_count", "matched_count",
                "missing_count", "misplaced_count", "unrecorded_count",
            ],
        )  # fmt: skip
        record(
            actor=actor,
            action=events.STOCKTAKE_FINISHED,
            subject=stocktake,
            before={"status": StocktakeStatus.OPEN.value},
            after={
                "status": stocktake.status,
                "room": stocktake.room.name,
                "recorded": stocktake.recorded_count,
                **counts,
            },
        )
    return stocktake


def stocktake_cancel(*, actor: Any, stocktake_id: int, reason: str) -> Stocktake:
    """Abandon an open stocktake (started by mistake, interrupted); its scans stay on record."""
    reason = reason.strip()
    with transaction.atomic():
        stocktake = _open_stocktake_for_keeper(actor, stocktake_id)
        if not reason:
            raise ValidationFailed(_("请填写取消原因"), fields={"reason": [_("请填写取消原因")]})
        if len(reason) > 200:
            raise ValidationFailed(_("取消原因不能超过200个字"), fields={"reason": [_("取消原因不能超过200个字")]})
        stocktake.cancel_reason = reason
        _close(stocktake, actor, StocktakeStatus.CANCELLED, ["cancel_reason"])
        record(
            actor=actor,
            action=events.STOCKTAKE_CANCELLED,
            subject=stocktake,
            reason=reason,
            before={"status": StocktakeStatus.OPEN.value},
            after={"status": stocktake.status, "room": stocktake.room.name},
        )
    return stocktake
