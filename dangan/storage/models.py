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
