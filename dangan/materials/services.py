"""Writes about materials (receive, appraise, file) and the audited reads of dossier content."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangan.audit.services import record
from dangan.core.codetables import table
from dangan.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from dangan.dossiers import services as dossier_services
from dangan.dossiers import workflow as dossier_workflow
from dangan.dossiers.models import Dossier, DossierStatus, Gap
from dangan.dossiers.policies import can_read_dossier
from dangan.dossiers.selectors import dossier_for_action
from dangan.materials import events, formed, policies, workflow
from dangan.materials.models import Material, MaterialSource
from dangan.materials.selectors import UNCLOSED_GAP_STATUSES, dossier_id_of_material, dossier_in_scope, recusal_refusal
from dangan.materials.workflow import Decision, MaterialStatus, ReturnReason

MAX_PAGES = 9999
MAX_COPIES = 99
MAX_VOLUME = 99
# Sequences are moved out of the way (above any real number) while a class is renumbered.
_RENUMBER_OFFSET = 1_000_000


@dataclass(frozen=True)
class MaterialInput:
    material_class: str
    title: str
    formed_on: datetime.date | None
    formed_precision: str
    pages: int
    source: str
    received_on: datetime.date
    copies: int = 1
    source_name: str = ""
    volume: int = 1
    remarks: str = ""


def validate_material(
    data: MaterialInput, *, today: datetime.date
) -> tuple[datetime.date | None, dict[str, list[str]]]:
    """The normalised date formed and the errors by field (in Chinese)."""
    errors: dict[str, list[str]] = {}

    def fail(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if data.material_class not in dict(table("material_class").leaf_choices()):
        fail("material_class", _("请选择材料所属的类或小类（有小类的须选小类）"))
    if not data.title.strip():
        fail("title", _("请填写材料名称"))
    elif len(data.title.strip()) > 200:
        fail("title", _("材料名称不能超过200字"))
    formed_on: datetime.date | None = None
    if data.formed_precision not in formed.Precision.values:
        fail("formed_precision", _("时间精度无效"))
    else:
        try:
            formed_on = formed.normalise(data.formed_on, data.formed_precision)
        except ValueError as exc:
            fail("formed_on", str(exc))
    if formed_on is not None:
        if formed_on > today:
            fail("formed_on", _("材料制成时间不能晚于今天"))
        elif formed_on.year < formed.EARLIEST_YEAR:
            fail("formed_on", _("材料制成时间过早，请核对"))
    if not 1 <= data.pages <= MAX_PAGES:
        fail("pages", _("页数应在1至%(n)d之间") % {"n": MAX_PAGES})
    if not 1 <= data.copies <= MAX_COPIES:
        fail("copies", _("份数应在1至%(n)d之间") % {"n": MAX_COPIES})
    if not 1 <= data.volume <= MAX_VOLUME:
        fail("volume", _("卷号应在1至%(n)d之间") % {"n": MAX_VOLUME})
    if data.source not in MaterialSource.values:
        fail("source", _("请选择材料来源"))
    if len(data.source_name) > 100:
        fail("source_name", _("来源单位不能超过100字"))
    if len(data.remarks) > 200:
        fail("remarks", _("备注不能超过200字"))
    if data.received_on > today:
        fail("received_on", _("收到日期不能晚于今天"))
    elif formed_on is not None and data.received_on < formed_on:
        fail("received_on", _("收到日期不能早于材料制成时间"))
    return formed_on, errors


def _closes_class(gap_class: str, material_class: str) -> bool:
    """A gap names a class or sub-class; a material of it, or of one of its sub-classes, closes it."""
    if not gap_class or gap_class == material_class:
        return True
    item = table("material_class").by_code.get(material_class)
    return item is not None and item.extra.get("parent") == gap_class


def _refuse_if_recused(actor: Any, dossier: Dossier) -> None:
    """R13: no one handles their own dossier or a relative's (the reason comes from the dossiers' read guards)."""
    refusal = recusal_refusal(actor, dossier)
    if refusal is not None:
        raise refusal


def material_receive(
    *,
    actor: Any,
    dossier_id: int,
    data: MaterialInput,
    gap_id: int | None = None,
    today: datetime.date | None = None,
) -> Material:
    """Register a material that has arrived (R10); it may close a gap recorded at intake, open or escalated (R11).

    R13: refused to whoever must recuse from the dossier.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        dossier = dossier_for_action(actor, dossier_id, *policies.RECEIVE_ROLES, lock=True)
        _refuse_if_recused(actor, dossier)
        if dossier.status not in dossier_workflow.IN_STOCK:
            raise Conflict(
                _("档案当前状态为“%(s)s”，本机构不再接收其材料，请转交现存档机构")
                % {"s": DossierStatus(dossier.status).label},
                code="dossier_not_in_stock",
            )
        formed_on, errors = validate_material(data, today=today)
        gap: Gap | None = None
        if gap_id is not None:
            gap = Gap.objects.select_for_update().filter(pk=gap_id).first()
            if gap is None or gap.dossier_id != dossier.pk:
                errors.setdefault("gap", []).append(_("该缺失材料记录不属于此档案"))
            elif gap.status not in UNCLOSED_GAP_STATUSES:
                errors.setdefault("gap", []).append(_("该缺失材料已补齐，不能再次补充"))
            elif "material_class" not in errors and not _closes_class(gap.material_class, data.material_class):
                errors.setdefault("gap", []).append(
                    _("缺失的是第%(c)s类材料，与本材料的类别不符") % {"c": gap.material_class}
                )
        if errors:
            raise ValidationFailed(_("材料信息有误，请按提示修改"), fields=errors)
        material = Material.objects.create(
            dossier=dossier,
            material_class=data.material_class,
            title=data.title.strip(),
            formed_on=formed_on,
            formed_precision=data.formed_precision,
            copies=data.copies,
            pages=data.pages,
            source=data.source,
            source_name=data.source_name.strip(),
            received_on=data.received_on,
            received_by=actor,
            volume=data.volume,
            remarks=data.remarks.strip(),
        )
        record(
            actor=actor,
            action=events.MATERIAL_RECEIVED,
            subject=material,
            dossier_id=dossier.pk,
            after={
                "material_class": material.material_class,
                "title": material.title,
                "formed": material.formed_display,
                "copies": material.copies,
                "pages": material.pages,
                "source": f"{material.get_source_display()} {material.source_name}".strip(),
                "received_on": material.received_on,
                "volume": material.volume,
                "gap": gap.pk if gap else None,
                "gap_status": gap.status if gap else None,
                "abolished_kind": material.abolished_kind,
            },
        )
        if gap is not None:
            dossier_services.gap_close(
                actor=actor, gap_id=gap.pk, material_id=material.pk, note=_("已收到材料：%(t)s") % {"t": material.title}
            )
    return material


def _status_conflict(material: Material, doing: str) -> Conflict:
    return Conflict(
        _("材料当前状态为“%(s)s”，不能%(d)s") % {"s": MaterialStatus(material.status).label, "d": doing},
        code="invalid_transition",
    )


def material_appraise(
    *, actor: Any, material_id: int, decision: str, return_reason: str = "", note: str = ""
) -> Material:
    """Accept a material for filing or return it with a reason (鉴别); never by whoever received it.

    R20: a material of an abolished kind (wage records, 转正定级, introduction letters) is never accepted.
    R13: refused to whoever must recuse from the dossier.
    """
    with transaction.atomic():
        dossier = dossier_for_action(actor, dossier_id_of_material(material_id), *policies.APPRAISE_ROLES, lock=True)
        _refuse_if_recused(actor, dossier)
        material = Material.objects.select_for_update().get(pk=material_id)
        if policies.received_it(actor, material):
            raise PermissionDenied(
                _("鉴别须由接收人以外的人员办理（岗位分离），您接收了这份材料，不能鉴别"), code="separation_of_duties"
            )
        if decision not in Decision.values:
            raise ValidationFailed(_("请选择鉴别结论"), fields={"decision": [_("鉴别结论无效")]})
        target = workflow.DECISION_TARGET[decision]
        if not workflow.can_move(material.status, target):
            raise _status_conflict(material, _("鉴别"))
        if dossier.status not in dossier_workflow.IN_STOCK:
            raise Conflict(_("档案已不在本机构，不能鉴别其材料"), code="dossier_not_in_stock")
        if len(note) > 200:
            raise ValidationFailed(_("鉴别意见不能超过200字"), fields={"note": [_("鉴别意见不能超过200字")]})
        if decision == Decision.ACCEPT:
            why = material.abolished_kind
            if why:
                message = _("%(w)s，不能鉴别为合格，应以“政策已取消的材料”退回（R20）") % {"w": why}
                raise ValidationFailed(message, code="abolished_material", fields={"decision": [message]})
            return_reason = ""
        elif return_reason not in ReturnReason.values:
            raise ValidationFailed(_("退回材料须选择退回原因"), fields={"return_reason": [_("请选择退回原因")]})
        before = material.status
        material.status = target
        material.return_reason = return_reason
        material.appraisal_note = note.strip()
        material.appraised_by = actor
        material.appraised_at = timezone.now()
        material.save(update_fields=["status", "return_reason", "appraisal_note", "appraised_by", "appraised_at"])
        accepted = decision == Decision.ACCEPT
        record(
            actor=actor,
            action=events.MATERIAL_ACCEPTED if accepted else events.MATERIAL_RETURNED,
            subject=material,
            dossier_id=dossier.pk,
            reason="" if accepted else str(ReturnReason(return_reason).label),
            before={"status": before},
            after={"status": target, "return_reason": return_reason, "note": material.appraisal_note},
        )
    return material


def _dossier_for_filing(actor: Any, dossier_id: int) -> Dossier:
    dossier = (
        Dossier.objects.select_related("person", "holding_agency", "custodian")
        .select_for_update(of=("self",))
        .filter(pk=dossier_id)
        .first()
    )
    if dossier is None or not can_read_dossier(actor, dossier):
        raise NotFound(_("档案不存在或无权查看"))
    if not policies.can_file(actor, dossier):
        raise PermissionDenied(_("只有库房管理员可以将材料归档"))
    _refuse_if_recused(actor, dossier)
    return dossier


def material_file(*, actor: Any, material_id: int) -> Material:
    """File an accepted material in its class (归档): numbered from 1 in order of the date formed.

    A material older than some already filed renumbers the class so the catalogue stays in date order.
    R13: refused to whoever must recuse from the dossier.
    """
    with transaction.atomic():
        dossier = _dossier_for_filing(actor, dossier_id_of_material(material_id))
        material = Material.objects.select_for_update().get(pk=material_id)
        if not workflow.can_move(material.status, MaterialStatus.FILED):
            raise _status_conflict(material, _("归档（须先鉴别合格）"))
        if dossier.status != DossierStatus.IN_CUSTODY:
            raise Conflict(
                _("档案当前状态为“%(s)s”，不在库中，不能归档") % {"s": DossierStatus(dossier.status).label},
                code="dossier_not_in_custody",
            )
        siblings = list(
            Material.objects.select_for_update()
            .filter(dossier=dossier, material_class=material.material_class, status=MaterialStatus.FILED)
            .order_by("sequence")
        )
        ordered = sorted(
            [*siblings, material],
            key=lambda m: (*formed.sort_key(m.formed_on, m.formed_precision), m.sequence or _RENUMBER_OFFSET, m.pk),
        )
        numbers = {m.pk: index for index, m in enumerate(ordered, start=1)}
        moved = [m for m in siblings if m.sequence != numbers[m.pk]]
        renumbered = [{"id": m.pk, "from": m.sequence, "to": numbers[m.pk]} for m in moved]
        if moved:
            # Two steps so that no intermediate state breaks the unique (class, sequence) constraint.
            for m in moved:
                m.sequence = numbers[m.pk] + _RENUMBER_OFFSET
            Material.objects.bulk_update(moved, ["sequence"])
            for m in moved:
                m.sequence = numbers[m.pk]
            Material.objects.bulk_update(moved, ["sequence"])
        material.status = MaterialStatus.FILED
        material.sequence = numbers[material.pk]
        material.filed_by = actor
        material.filed_at = timezone.now()
        material.save(update_fields=["status", "sequence", "filed_by", "filed_at"])
        record(
            actor=actor,
            action=events.MATERIAL_FILED,
            subject=material,
            dossier_id=dossier.pk,
            before={"status": MaterialStatus.ACCEPTED},
            after={
                "status": MaterialStatus.FILED,
                "material_class": material.material_class,
                "sequence": material.sequence,
                "renumbered": renumbered,
            },
        )
    return material


# --- Audited reads of dossier content (R43) ------------------------------------------------------


def _dossier_to_read(actor: Any, dossier_id: int, *, what: str) -> Dossier:
    """In scope (else 404) and not one to recuse from (else 403, R13); a refusal is audited like the dossier read's."""
    dossier = dossier_in_scope(actor, dossier_id)
    refusal = recusal_refusal(actor, dossier)
    if refusal is not None:
        with transaction.atomic():
            record(
                actor=actor, action=events.DOSSIER_READ_REFUSED, subject=dossier, dossier_id=dossier.pk,
                reason=refusal.message, after={"read": what},
            )  # fmt: skip
        raise refusal
    return dossier


def dossier_materials_read(*, actor: Any, dossier_id: int) -> Dossier:
    """Open the list of a dossier's materials; the view is audited."""
    dossier = _dossier_to_read(actor, dossier_id, what="materials")
    with transaction.atomic():
        record(actor=actor, action=events.MATERIALS_VIEWED, subject=dossier, dossier_id=dossier.pk)
    return dossier


def material_read(*, actor: Any, material_id: int) -> Material:
    material = Material.objects.select_related("received_by__staff").filter(pk=material_id).first()
    if material is None:
        raise NotFound(_("材料不存在或无权查看"))
    _dossier_to_read(actor, material.dossier_id, what="material")
    with transaction.atomic():
        record(actor=actor, action=events.MATERIAL_VIEWED, subject=material, dossier_id=material.dossier_id)
    return material


CATALOGUE_FORMATS = ("html", "json", "pdf", "xlsx")


def catalogue_read(*, actor: Any, dossier_id: int, fmt: str) -> Dossier:
    """Open a dossier's catalogue (目录) to show, print or export; audited like any view of its content."""
    if fmt not in CATALOGUE_FORMATS:
        raise ValidationFailed(_("目录格式无效"), fields={"format": [_("目录格式无效")]})
    dossier = _dossier_to_read(actor, dossier_id, what=f"catalogue.{fmt}")
    with transaction.atomic():
        record(
            actor=actor, action=events.CATALOGUE_VIEWED, subject=dossier, dossier_id=dossier.pk, after={"format": fmt}
        )
    return dossier
