from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangan.core import dbguards
from dangan.storage.checklist import checklist

# R41: the history of moves is a register; raw SQL may not rewrite it either.
MOVES_APPEND_ONLY = dbguards.register(
    dbguards.Guard(
        name="storage_moves_append_only",
        table="storage_locationmove",
        operations=("UPDATE", "DELETE"),
        message="the register of dossier moves is append-only",
    )
)


class RoomKind(models.TextChoices):
    STOREROOM = "storeroom", _("库房")
    READING_ROOM = "reading_room", _("阅档室")
    OFFICE = "office", _("办公室")


class Room(models.Model):
    """A room of an agency; storeroom, reading room and office are kept apart (R40)."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("所属机构"), on_delete=models.PROTECT, related_name="rooms"
    )
    name = models.CharField(_("名称"), max_length=30)
    kind = models.CharField(_("用途"), max_length=20, choices=RoomKind.choices)
    # Keys of the nine protections (R39) in place; the list itself is data (data/protections.json).
    protections = models.JSONField(_("已落实的防护措施"), default=list, blank=True)
    created_at = models.DateTimeField(_("建立时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("房间")
        verbose_name_plural = _("房间")
        ordering = ["agency_id", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="storage_room_name_unique_per_agency"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_storeroom(self) -> bool:
        return self.kind == RoomKind.STOREROOM

    def protection_rows(self) -> list[tuple[str, bool]]:
        """The checklist as (label, in place) pairs, in the data file's order."""
        present = set(self.protections or [])
        return [(p.label, p.key in present) for p in checklist().protections]

    @property
    def protections_complete(self) -> bool:
        return set(checklist().keys) <= set(self.protections or [])


def location_code(room_name: str, cabinet: int, tier: int, position: int) -> str:
    return f"{room_name}-{cabinet:02d}-{tier}-{position:02d}"


class Location(models.Model):
    """One box place: room, cabinet (or shelf), tier, position; only in storerooms (R40)."""

    room = models.ForeignKey(Room, verbose_name=_("库房"), on_delete=models.PROTECT, related_name="locations")
    cabinet = models.PositiveSmallIntegerField(_("档案柜"))
    tier = models.PositiveSmallIntegerField(_("层"))
    position = models.PositiveSmallIntegerField(_("格"))
    code = models.CharField(_("位置编号"), max_length=60, db_index=True)

    class Meta:
        verbose_name = _("存放位置")
        verbose_name_plural = _("存放位置")
        ordering = ["room_id", "cabinet", "tier", "position"]
        constraints = [
            models.UniqueConstraint(fields=["room", "cabinet", "tier", "position"], name="storage_location_unique"),
            models.CheckConstraint(
                condition=Q(cabinet__gte=1) & Q(tier__gte=1) & Q(position__gte=1), name="storage_location_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.code


class DossierLocation(models.Model):
    """Where a dossier is now: one place per dossier, one dossier per place."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", verbose_name=_("档案"), on_delete=models.PROTECT, related_name="storage_place"
    )
    location = models.OneToOneField(
        Location, verbose_name=_("存放位置"), on_delete=models.PROTECT, related_name="occupant"
    )
    placed_at = models.DateTimeField(_("放置时间"))
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("档案存放位置")
        verbose_name_plural = _("档案存放位置")

    def __str__(self) -> str:
        return f"{self.dossier_id}@{self.location_id}"


class LocationMove(models.Model):
    """One line of the register of placements (R41): shelved, moved or taken off the shelf."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name=_("档案"), on_delete=models.PROTECT, related_name="location_moves"
    )
    from_location = models.ForeignKey(
        Location, verbose_name=_("原位置"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_location = models.ForeignKey(
        Location, verbose_name=_("新位置"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    moved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    moved_at = models.DateTimeField(_("时间"), db_index=True)
    reason = models.CharField(_("原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("档案位置变动")
        verbose_name_plural = _("档案位置变动")
        ordering = ["moved_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(from_location__isnull=False) | Q(to_location__isnull=False),
                name="storage_move_has_a_side",
            ),
            models.CheckConstraint(
                condition=~Q(from_location=models.F("to_location")), name="storage_move_changes_place"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.from_location_id} → {self.to_location_id}"

    @property
    def kind_label(self) -> str:
        if self.from_location_id is None:
            return str(_("上架"))
        if self.to_location_id is None:
            return str(_("下架"))
        return str(_("移位"))


def mask_name(name: str) -> str:
    """张三 → 张*: the stocktake's lists, which are printed and exported, carry the family name's first character."""
    name = name.strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


class StocktakeStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    FINISHED = "finished", _("已完成")
    CANCELLED = "cancelled", _("已取消")


class ScanResult(models.TextChoices):
    """What one scan found, against the records at the moment of scanning."""

    MATCHED = "matched", _("相符")
    MISPLACED = "misplaced", _("位置不符")
    UNRECORDED = "unrecorded", _("不在本库房账上")
    UNKNOWN = "unknown", _("条码不明")


class DiscrepancyKind(models.TextChoices):
    """The three differences a finished stocktake reports (R42)."""

    MISSING = "missing", _("账上有、架上无")
    MISPLACED = "misplaced", _("位置不符")
    UNRECORDED = "unrecorded", _("架上有、账上无")


class Stocktake(models.Model):
    """库房盘点 (R42): one storeroom's stock checked, box by box, against the placement records."""

    room = models.ForeignKey(Room, verbose_name=_("库房"), on_delete=models.PROTECT, related_name="stocktakes")
    status = models.CharField(
        _("状态"), max_length=12, choices=StocktakeStatus.choices, default=StocktakeStatus.OPEN, editable=False
    )
    started_at = models.DateTimeField(_("开始时间"))
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Who closed it and when: finished, or cancelled with a reason.
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    # The result, fixed when the stocktake is finished.
    recorded_count = models.PositiveIntegerField(_("账面在架"), default=0)
    scanned_count = models.PositiveIntegerField(_("实盘扫描"), default=0)
    matched_count = models.PositiveIntegerField(_("相符"), default=0)
    missing_count = models.PositiveIntegerField(_("账上有、架上无"), default=0)
    misplaced_count = models.PositiveIntegerField(_("位置不符"), default=0)
    unrecorded_count = models.PositiveIntegerField(_("架上有、账上无"), default=0)

    class Meta:
        verbose_name = _("库房盘点")
        verbose_name_plural = _("库房盘点")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["room"],
                condition=Q(status="open"),
                name="storage_one_open_stocktake_per_room",
            ),
            models.CheckConstraint(
                condition=(Q(status="open") & Q(finished_at__isnull=True))
                | (Q(status__in=["finished", "cancelled"]) & Q(finished_at__isnull=False)),
                name="storage_stocktake_closed_has_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.room_id}@{self.started_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.status == StocktakeStatus.OPEN

    @property
    def is_finished(self) -> bool:
        return self.status == StocktakeStatus.FINISHED

    @property
    def discrepancy_count(self) -> int:
        return self.missing_count + self.misplaced_count + self.unrecorded_count


class StocktakeScan(models.Model):
    """One box found during a stocktake: the place scanned and the barcode on the box."""

    stocktake = models.ForeignKey(Stocktake, verbose_name=_("盘点"), on_delete=models.PROTECT, related_name="scans")
    location = models.ForeignKey(Location, verbose_name=_("扫描位置"), on_delete=models.PROTECT, related_name="+")
    barcode = models.CharField(_("条码"), max_length=40)
    # None when the barcode matches no dossier the keeper may see.
    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name=_("档案"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The record at the moment of scanning (the finish compares again, against the records then).
    recorded_location = models.ForeignKey(
        Location, verbose_name=_("账面位置"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    result = models.CharField(_("结果"), max_length=12, choices=ScanResult.choices)
    scanned_at = models.DateTimeField(_("扫描时间"))
    scanned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("盘点扫描")
        verbose_name_plural = _("盘点扫描")
        ordering = ["-scanned_at", "-pk"]
        constraints = [
            # A box is counted once: the same barcode scanned again is the same scan.
            models.UniqueConstraint(fields=["stocktake", "barcode"], name="storage_stocktake_scan_once"),
        ]
        indexes = [models.Index(fields=["stocktake", "dossier"], name="storage_scan_dossier_idx")]

    def __str__(self) -> str:
        return f"{self.barcode}@{self.location_id}"

    @property
    def masked_name(self) -> str:
        dossier = self.dossier
        return mask_name(dossier.person.name) if dossier is not None else ""


class StocktakeDiscrepancy(models.Model):
    """One line of a finished stocktake's report (R42), kept so the report can be reopened."""

    stocktake = models.ForeignKey(
        Stocktake, verbose_name=_("盘点"), on_delete=models.PROTECT, related_name="discrepancies"
    )
    kind = models.CharField(_("差异"), max_length=12, choices=DiscrepancyKind.choices)
    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name=_("档案"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    barcode = models.CharField(_("条码"), max_length=40, blank=True)
    recorded_location = models.ForeignKey(
        Location, verbose_name=_("账面位置"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    found_location = models.ForeignKey(
        Location, verbose_name=_("实际位置"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("盘点差异")
        verbose_name_plural = _("盘点差异")
        ordering = ["pk"]
        indexes = [models.Index(fields=["stocktake", "kind"], name="storage_discrepancy_kind_idx")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.barcode}"

    @property
    def masked_name(self) -> str:
        dossier = self.dossier
        return mask_name(dossier.person.name) if dossier is not None else ""
