"""The recusal register (回避): staff declare their relatives; a withdrawal keeps the row and its reason."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangan.agencies.policies import staff_of
from dangan.audit.services import record
from dangan.core.errors import Conflict, NotFound, PermissionDenied
from dangan.dossiers.models import Dossier
from dangan.lending import events
from dangan.lending.models import Relative, RelativeRelation
from dangan.lending.recusal import normalise_id
from dangan.lending.services.common import Errors, fail, raise_if, resident_id, text


def relative_declare(*, actor: Any, name: str, id_number: str, relation: str) -> Relative:
    """A staff member declares a relative; from then on that person's dossier is closed to them (R13)."""
    staff = staff_of(actor)
    if staff is None:
        raise PermissionDenied(_("只有本平台的工作人员可以申报回避亲属"))
    errors: Errors = {}
    name = text(errors, "name", name, 50)
    number = resident_id(errors, "id_number", id_number)
    if relation not in RelativeRelation.values:
        fail(errors, "relation", _("请选择夫妻、直系血亲、三代以内旁系血亲或近姻亲关系"))
    if not errors.get("id_number") and staff.id_number and normalise_id(staff.id_number) == number:
        fail(errors, "id_number", _("这是您本人的身份证号码：本人档案始终须回避，无需申报"))
    raise_if(errors, _("亲属信息有误，请按提示修改"))
    with transaction.atomic():
        if Relative.objects.filter(staff=staff, id_number=number, withdrawn_at__isnull=True).exists():
            raise Conflict(_("您已申报过该亲属"), code="duplicate", fields={"id_number": [_("您已申报过该亲属")]})
        try:
            with transaction.atomic():
                relative = Relative.objects.create(
                    staff=staff, name=name, id_number=number, relation=relation, declared_at=timezone.now()
                )
        except IntegrityError:
            raise Conflict(_("您已申报过该亲属"), code="duplicate") from None
        dossier_id = Dossier.objects.filter(person__id_number=number).values_list("pk", flat=True).first()
        record(
            actor=actor, action=events.RELATIVE_DECLARED, subject=relative, dossier_id=dossier_id,
            after={"name": name, "relation": relation, "id_number": relative.masked_id_number},
        )  # fmt: skip
    return relative


def relative_withdraw(*, actor: Any, relative_id: int, reason: str) -> Relative:
    """A declaration made in error is withdrawn with its reason; the row and the audit trail stay."""
    staff = staff_of(actor)
    if staff is None:
        raise NotFound(_("申报记录不存在"))
    errors: Errors = {}
    reason = text(errors, "reason", reason, 200)
    raise_if(errors, _("请填写撤回原因"))
    with transaction.atomic():
        relative = Relative.objects.select_for_update().filter(pk=relative_id, staff=staff).first()
        if relative is None:
            raise NotFound(_("申报记录不存在"))
        if relative.withdrawn_at is not None:
            raise Conflict(_("该申报已撤回"), code="withdrawn")
        relative.withdrawn_at = timezone.now()
        relative.withdrawn_reason = reason
        relative.save(update_fields=["withdrawn_at", "withdrawn_reason"])
        record(actor=actor, action=events.RELATIVE_WITHDRAWN, subject=relative, reason=reason)
    return relative
