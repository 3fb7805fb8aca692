"""The only code that writes to storage: rooms, locations, shelving and moves (R39–R41, R47)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dangan.agencies.policies import can_read_agency, staff_of
from dangan.audit.services import record
from dangan.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from dangan.dossiers.models import Dossier, DossierStatus
from dangan.dossiers.policies import can_read_dossier
from dangan.storage import events
from dangan.storage.checklist import checklist
from dangan.storage.models import (
    DossierLocation,
    Location,
    LocationMove,
    Room,
    RoomKind,
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
