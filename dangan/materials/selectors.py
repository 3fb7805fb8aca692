"""Reads of materials, always scoped; the catalogue streams from a queryset iterator."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.utils.translation import gettext as _

from dangan.core.codetables import table
from dangan.core.errors import NotFound, PermissionDenied
from dangan.dossiers.models import Dossier, Gap, GapStatus
from dangan.dossiers.policies import can_read_dossier, read_refusal
from dangan.dossiers.selectors import dossier_for_action, dossiers_visible_to
from dangan.materials import formed, policies
from dangan.materials.models import Material, MaterialStatus

# The error code of a refusal for recusal (R13), the same as the dossier read's.
RECUSAL = "recusal"

CATALOGUE_HEADER = ("类号", "序号", "材料名称", "材料制成时间（年 月 日）", "份数", "页数", "备注")


def class_rank() -> Case:
    """The position of a class in the code table (1, 2, … 4-1 … 10), as a database expression."""
    codes = [c.code for c in table("material_class").codes]
    return Case(
        *[When(material_class=code, then=Value(index)) for index, code in enumerate(codes)],
        default=Value(len(codes)),
        output_field=IntegerField(),
    )


def dossier_in_scope(actor: Any, dossier_id: int) -> Dossier:
    """A dossier within the actor's scope; missing and out of scope look the same. Recusal is not checked here."""
    dossier: Dossier | None = (
        Dossier.objects.select_related("person", "holding_agency", "custodian").filter(pk=dossier_id).first()
    )
    if dossier is None or not can_read_dossier(actor, dossier):
        raise NotFound(_("档案不存在或无权查看"))
    return dossier


def recusal_refusal(actor: Any, dossier: Dossier) -> PermissionDenied | None:
    """R13: the refusal to give an actor who must recuse from this dossier (own or a relative's), or None."""
    reason = read_refusal(actor, dossier)
    return PermissionDenied(reason, code=RECUSAL) if reason else None


def readable_dossier(actor: Any, dossier_id: int) -> Dossier:
    """A dossier the actor may read: in scope (else 404) and not one to recuse from (else 403, R13); unaudited."""
    dossier = dossier_in_scope(actor, dossier_id)
    refusal = recusal_refusal(actor, dossier)
    if refusal is not None:
        raise refusal
    return dossier


def dossier_to_receive_into(actor: Any, dossier_id: int) -> Dossier:
    """The dossier whose entry form the actor opens: scope (404), role (403) and recusal (403, R13)."""
    dossier = dossier_for_action(actor, dossier_id, *policies.RECEIVE_ROLES)
    refusal = recusal_refusal(actor, dossier)
    if refusal is not None:
        raise refusal
    return dossier


def dossier_id_of_material(material_id: int) -> int:
    """The dossier a material belongs to (unscoped: callers then check the dossier)."""
    dossier_id: int | None = Material.objects.filter(pk=material_id).values_list("dossier_id", flat=True).first()
    if dossier_id is None:
        raise NotFound(_("材料不存在或无权查看"))
    return dossier_id


def materials_visible_to(user: Any) -> QuerySet[Material]:
    return Material.objects.filter(dossier_id__in=dossiers_visible_to(user).values("pk"))


def materials_of(dossier: Dossier) -> QuerySet[Material]:
    """All materials of one dossier, class by class: filed in sequence, then the rest as they arrived."""
    return (
        Material.objects.filter(dossier=dossier)
        .select_related("received_by__staff")
        .annotate(class_rank=class_rank())
        .order_by("class_rank", F("sequence").asc(nulls_last=True), "received_on", "pk")
    )


# R11: a gap is followed up until closed; one escalated for being overdue still waits for its material.
UNCLOSED_GAP_STATUSES = (GapStatus.OPEN, GapStatus.ESCALATED)


def unclosed_gaps(dossier: Dossier) -> QuerySet[Gap]:
    """The gaps an arriving material may close: open ones and those escalated as overdue (R11)."""
    return Gap.objects.filter(dossier=dossier, status__in=UNCLOSED_GAP_STATUSES).order_by("deadline", "pk")


@dataclass(frozen=True)
class CatalogueRow:
    class_code: str
    sequence: int
    title: str
    formed: str
    copies: int
    pages: int
    remarks: str

    def cells(self) -> tuple[str, int, str, str, int, int, str]:
        return (self.class_code, self.sequence, self.title, self.formed, self.copies, self.pages, self.remarks)


def catalogue_rows(dossier: Dossier, *, chunk_size: int = 500) -> Iterator[CatalogueRow]:
    """The catalogue (目录) of filed materials, class by class and in sequence, streamed."""
    fields = ("material_class", "sequence", "title", "formed_on", "formed_precision", "copies", "pages", "volume")
    rows = (
        Material.objects.filter(dossier=dossier, status=MaterialStatus.FILED)
        .annotate(class_rank=class_rank())
        .order_by("class_rank", "sequence")
        .values_list(*fields, "remarks")
    )
    for code, sequence, title, formed_on, precision, copies, pages, volume, note in rows.iterator(chunk_size):
        remarks = f"第{volume}卷" + (f"；{note}" if note else "") if volume > 1 else note
        yield CatalogueRow(code, sequence or 0, title, formed.display(formed_on, precision), copies, pages, remarks)
