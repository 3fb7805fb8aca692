"""The only code that writes to storage: rooms, locations, shelving and moves (R39–R41, R47)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dangan.agencies.policies import can_read_agency, staff_of
from dangan.audit.services import record
from dangan.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from dangan.dossiers.models import Dossier, DossierStatus
from dangan.dossiers.policies import can_read_dossier
from dangan.dossiers.selectors import dossiers_visible_to
from dangan.storage import events
from dangan.storage.checklist import checklist
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
    StocktakeStatus,
    location_code,
)
from dangan.storage.policies import can_create_room, can_keep, in_order, shelf_key

MAX_CABINET = 999
MAX_TIERS = 20
MAX_POSITIONS = 200


def assert_reading_room(room: Room) -> None:
    """Dossiers are read only in a reading room, never in a storeroom or an office (R40)."""
    if room.kind != RoomKind.READING_ROOM:
        raise ValidationFailed(
            _("“%(room)s”是%(kind)s，档案只能在阅档室查阅（R40：库房、阅档室、办公室三室分开）")
            % {"room": room.name, "kind": room.get_kind_display()},
            code="not_reading_room",
            fields={"room": [_("请选择阅档室")]},
        )


def room_create(*, actor: Any, name: str, kind: str, protections: Iterable[str] = ()) -> Room:
    """An administrator adds a room to the agency; storerooms carry the nine-protection checklist (R39)."""
    staff = staff_of(actor)
    if staff is None or not can_create_room(actor, staff.agency):
        raise PermissionDenied(_("只有系统管理员可以建立房间"))
    name = name.strip()
    keys = list(dict.fromkeys(protections))
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("请填写房间名称")]
    elif "-" in name:
        errors["name"] = [_("名称不能包含“-”：位置编号以“-”分隔")]
    elif len(name) > 30:
        errors["name"] = [_("名称不能超过30个字")]
    if kind not in RoomKind.values:
        errors["kind"] = [_("请选择库房、阅档室或办公室")]
    unknown = [k for k in keys if k not in checklist().keys]
    if unknown:
        errors["protections"] = [_("未知的防护措施：%(keys)s") % {"keys": "、".join(unknown)}]
    if errors:
        raise ValidationFailed(_("房间信息有误，请按提示修改"), fields=errors)
    with transaction.atomic():
        if Room.objects.filter(agency=staff.agency, name=name).exists():
            raise ValidationFailed(_("本机构已有同名房间"), fields={"name": [_("本机构已有名为“%s”的房间") % name]})
        ordered = [k for k in checklist().keys if k in keys]
        room = Room.objects.create(agency=staff.agency, name=name, kind=kind, protections=ordered)
        record(
            actor=actor,
            action=events.ROOM_CREATED,
            subject=room,
            after={"name": room.name, "kind": room.kind, "protections": ordered},
        )
    return room


def room_protections_update(*, actor: Any, room_id: int, protections: Iterable[str], note: str) -> Room:
    """The administrator records the storeroom's protections as they stand now (R39: a new alarm, a broken
    dehumidifier); the note says what changed. Audited with before and after."""
    staff = staff_of(actor)
    room = Room.objects.filter(pk=room_id).select_related("agency").first()
    if room is None or staff is None or room.agency_id != staff.agency_id:
        raise NotFound(_("房间不存在或无权查看"))
    if not can_create_room(actor, room.agency):
        raise PermissionDenied(_("只有系统管理员可以修改房间的防护措施"))
    keys = list(dict.fromkeys(protections))
    note = note.strip()
    errors: dict[str, list[str]] = {}
    if room.kind != RoomKind.STOREROOM:
        errors["protections"] = [_("九防针对档案库房，阅档室和办公室不登记")]
    unknown = [k for k in keys if k not in checklist().keys]
    if unknown:
        errors["protections"] = [_("未知的防护措施：%(keys)s") % {"keys": "、".join(unknown)}]
    if not note:
        errors["note"] = [_("请说明变化（如：新装温湿度监控）")]
    elif len(note) > 200:
        errors["note"] = [_("说明不能超过200字")]
    if errors:
        raise ValidationFailed(_("防护措施信息有误，请按提示修改"), fields=errors)
    with transaction.atomic():
        room = Room.objects.select_for_update().get(pk=room.pk)
        ordered = [k for k in checklist().keys if k in keys]
        before = list(room.protections)
        if ordered == before:
            raise ValidationFailed(_("防护措施没有变化"), fields={"protections": [_("与现有登记相同")]})
        room.protections = ordered
        room.save(update_fields=["protections"])
        record(actor=actor, action=events.ROOM_PROTECTIONS_CHANGED, subject=room, reason=note,
               before={"protections": before}, after={"protections": ordered})  # fmt: skip
    return room


def locations_create(*, actor: Any, room_id: int, cabinet: int, tiers: int, positions: int) -> list[Location]:
    """Lay out one cabinet: tiers × positions box places, in a storeroom only (R40)."""
    errors: dict[str, list[str]] = {}
    if not 1 <= cabinet <= MAX_CABINET:
        errors["cabinet"] = [_("档案柜号应在 1 至 %d 之间") % MAX_CABINET]
    if not 1 <= tiers <= MAX_TIERS:
        errors["tiers"] = [_("层数应在 1 至 %d 之间") % MAX_TIERS]
    if not 1 <= positions <= MAX_POSITIONS:
        errors["positions"] = [_("每层格数应在 1 至 %d 之间") % MAX_POSITIONS]
    with transaction.atomic():
        room = Room.objects.select_for_update(of=("self",)).select_related("agency").filter(pk=room_id).first()
        if room is None or not can_read_agency(actor, room.agency):
            raise NotFound(_("房间不存在或无权查看"))
        if not can_keep(actor, room.agency):
            raise PermissionDenied(_("只有本机构的库房管理员可以设置存放位置"))
        if room.kind != RoomKind.STOREROOM:
            raise ValidationFailed(
                _("只有库房可以设置存放位置：阅档室和办公室不存放档案（R40）"),
                code="not_storeroom",
                fields={"room": [_("“%(room)s”是%(kind)s") % {"room": room.name, "kind": room.get_kind_display()}]},
            )
        if errors:
            raise ValidationFailed(_("存放位置信息有误，请按提示修改"), fields=errors)
        if Location.objects.filter(room=room, cabinet=cabinet).exists():
            raise Conflict(
                _("%(room)s 的 %(cabinet)02d 号档案柜已设置存放位置") % {"room": room.name, "cabinet": cabinet},
                fields={"cabinet": [_("该档案柜已存在")]},
            )
        rows = [
            Location(
                room=room,
                cabinet=cabinet,
                tier=tier,
                position=position,
                code=location_code(room.name, cabinet, tier, position),
            )
            for tier in range(1, tiers + 1)
            for position in range(1, positions + 1)
        ]
        try:
            with transaction.atomic():
                Location.objects.bulk_create(rows)
        except IntegrityError:
            raise Conflict(_("该档案柜已设置存放位置"), fields={"cabinet": [_("该档案柜已存在")]}) from None
        record(
            actor=actor,
            action=events.LOCATIONS_CREATED,
            subject=room,
            after={"cabinet": cabinet, "tiers": tiers, "positions": positions, "count": len(rows)},
        )
    return list(Location.objects.filter(room=room, cabinet=cabinet).order_by("tier", "position"))


def _locked_dossier_for_keeper(actor: Any, dossier_id: int) -> Dossier:
    dossier = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("person", "holding_agency", "custodian")
        .filter(pk=dossier_id)
        .first()
    )
    if dossier is None or not can_read_dossier(actor, dossier):
        raise NotFound(_("档案不存在或无权查看"))
    if not can_keep(actor, dossier.custodian):
        # R47: a district whose paper the city keeps does not shelve it itself.
        raise PermissionDenied(
            _("该档案实物由%(custodian)s保管，只有其库房管理员可以上架、移位") % {"custodian": dossier.custodian.name},
            code="not_custodian",
        )
    if dossier.status != DossierStatus.IN_CUSTODY:
        raise Conflict(
            _("档案当前状态为“%(status)s”，不在库中，不能上架或移位") % {"status": dossier.get_status_display()},
            code="not_in_custody",
        )
    return dossier


def _target_location(dossier: Dossier, location_id: int) -> Location:
    location = (
        Location.objects.select_related("room")
        .filter(pk=location_id, room__agency_id=dossier.custodian_id, room__kind=RoomKind.STOREROOM)
        .first()
    )
    if location is None:
        raise ValidationFailed(
            _("存放位置不存在，或不在该档案保管机构的库房中"),
            fields={"location": [_("请选择%(custodian)s库房中的位置") % {"custodian": dossier.custodian.short_name}]},
        )
    return location


def _lock_cabinets(*locations: Location) -> None:
    """Placements in one cabinet are serialized: the order check reads the neighbours it protects."""
    condition = Q(pk__in=[])
    for location in locations:
        condition |= Q(room_id=location.room_id, cabinet=location.cabinet)
    list(Location.objects.select_for_update().filter(condition).order_by("pk").values_list("pk", flat=True))


def _check_free(location: Location) -> None:
    occupant = DossierLocation.objects.select_related("dossier").filter(location=location).first()
    if occupant is not None:
        raise Conflict(
            _("位置 %(code)s 已存放档案 %(number)s") % {"code": location.code, "number": occupant.dossier.number},
            code="location_taken",
            fields={"location": [_("该位置已被占用")]},
        )


def _check_order(dossier: Dossier, location: Location) -> None:
    """R41: within a cabinet, in tier then position order, dossier numbers increase."""
    same_cabinet = (
        DossierLocation.objects.filter(location__room_id=location.room_id, location__cabinet=location.cabinet)
        .exclude(dossier=dossier)
        .select_related("dossier__holding_agency", "location")
    )
    earlier = Q(location__tier__lt=location.tier) | Q(
        location__tier=location.tier, location__position__lt=location.position
    )
    before = same_cabinet.filter(earlier).order_by("-location__tier", "-location__position").first()
    after = same_cabinet.exclude(earlier).order_by("location__tier", "location__position").first()
    key = shelf_key(dossier.number, dossier.holding_agency.code)

    def key_of(row: DossierLocation | None) -> tuple[Any, ...] | None:
        return None if row is None else shelf_key(row.dossier.number, row.dossier.holding_agency.code)

    if in_order(key_of(before), key, key_of(after)):
        return
    neighbours = []
    if before is not None:
        neighbours.append(
            _("前一位置 %(code)s 为 %(number)s") % {"code": before.location.code, "number": before.dossier.number}
        )
    if after is not None:
        neighbours.append(
            _("后一位置 %(code)s 为 %(number)s") % {"code": after.location.code, "number": after.dossier.number}
        )
    message = _("档案须按编号顺序排架（R41）：%(number)s 不能放在 %(code)s，%(neighbours)s") % {
        "number": dossier.number,
        "code": location.code,
        "neighbours": "，".join(neighbours),
    }
    raise ValidationFailed(message, code="out_of_order", fields={"location": [message]})


def _move(
    actor: Any, dossier: Dossier, current: DossierLocation | None, target: Location | None, reason: str
) -> LocationMove:
    now = timezone.now()
    move = LocationMove.objects.create(
        dossier=dossier,
        from_location=current.location if current else None,
        to_location=target,
        moved_by=actor,
        moved_at=now,
        reason=reason,
    )
    action = events.DOSSIER_SHELVED if current is None else events.DOSSIER_MOVED
    if target is None:
        action = events.DOSSIER_UNSHELVED
    record(
        actor=actor,
        action=action,
        subject=move,
        dossier_id=dossier.pk,
        reason=reason,
        before={"location": current.location.code if current else None},
        after={"location": target.code if target else None},
    )
    return move


def dossier_shelve(*, actor: Any, dossier_id: int, location_id: int, reason: str = "") -> DossierLocation:
    """First placement of a dossier on a shelf of its custodian's storeroom (R40, R41, R47)."""
    reason = reason.strip()
    with transaction.atomic():
        dossier = _locked_dossier_for_keeper(actor, dossier_id)
        current = DossierLocation.objects.select_related("location").filter(dossier=dossier).first()
        if current is not None:
            raise Conflict(
                _("档案已存放在 %(code)s，请办理移位") % {"code": current.location.code}, code="already_shelved"
            )
        target = _target_location(dossier, location_id)
        _lock_cabinets(target)
        _check_free(target)
        _check_order(dossier, target)
        placed = DossierLocation.objects.create(
            dossier=dossier, location=target, placed_at=timezone.now(), placed_by=actor
        )
        _move(actor, dossier, None, target, reason or _("入库上架"))
    return placed


def dossier_move(*, actor: Any, dossier_id: int, location_id: int, reason: str) -> DossierLocation:
    """Move a shelved dossier to another place; the move is registered with its reason (R41)."""
    reason = reason.strip()
    with transaction.atomic():
        dossier = _locked_dossier_for_keeper(actor, dossier_id)
        current = DossierLocation.objects.select_related("location").filter(dossier=dossier).first()
        if current is None:
            raise Conflict(_("档案尚未上架，请先办理上架"), code="not_shelved")
        if not reason:
            raise ValidationFailed(_("请填写移位原因"), fields={"reason": [_("请填写移位原因")]})
        target = _target_location(dossier, location_id)
        if target.pk == current.location_id:
            raise ValidationFailed(_("新位置与当前位置相同"), fields={"location": [_("新位置与当前位置相同")]})
        _lock_cabinets(current.location, target)
        _check_free(target)
        _check_order(dossier, target)
        _move(actor, dossier, current, target, reason)
        current.location = target
        current.placed_at = timezone.now()
        current.placed_by = actor
        current.save(update_fields=["location", "placed_at", "placed_by"])
    return current


def dossier_unshelve(*, actor: Any, dossier_id: int, reason: str) -> LocationMove:
    """Take a dossier off its shelf for good (transfer out, hand-over); the place becomes free."""
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("请填写下架原因"), fields={"reason": [_("请填写下架原因")]})
    with transaction.atomic():
        dossier = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("holding_agency", "custodian")
            .filter(pk=dossier_id)
            .first()
        )
        if dossier is None or not can_read_dossier(actor, dossier):
            raise NotFound(_("档案不存在或无权查看"))
        if not can_keep(actor, dossier.custodian):
            raise PermissionDenied(_("只有保管该档案实物的库房管理员可以下架"), code="not_custodian")
        current = DossierLocation.objects.select_related("location").filter(dossier=dossier).first()
        if current is None:
            raise Conflict(_("档案尚未上架"), code="not_shelved")
        move = _move(actor, dossier, current, None, reason)
        current.delete()
    return move


def dossier_unshelve_leaving(*, actor: Any, dossier: Dossier, reason: str) -> LocationMove | None:
    """The shelf freed once a dossier has left (R41): called by the service that completes its leaving (a
    transfer's receipt, a returned slip), inside its transaction and after its own permission check. A record
    of the departure, not a keeper's act: the completing staff may belong to another agency than the
    custodian (R47), and the move names them and the reason. None when not shelved."""
    current = DossierLocation.objects.select_related("location").filter(dossier=dossier).first()
    if current is None:
        return None
    move = _move(actor, dossier, current, None, reason)
    current.delete()
    return move


# 库房盘点 (R42): the stock checked against the placement records, one storeroom at a time.

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
