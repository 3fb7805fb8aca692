from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from dangan.audit.services import record
from dangan.core.errors import NotFound
from dangan.dossiers import events
from dangan.dossiers.models import Dossier
from dangan.dossiers.policies import can_read_dossier


def dossier_read(*, actor: Any, dossier_id: int) -> Dossier:
    """Open a dossier's content; the view is audited (R43). Out of scope looks like missing."""
    dossier: Dossier | None = (
        Dossier.objects.select_related("person", "holding_agency", "custodian").filter(pk=dossier_id).first()
    )
    if dossier is None or not can_read_dossier(actor, dossier):
        raise NotFound(_("档案不存在或无权查看"))
    with transaction.atomic():
        record(actor=actor, action=events.DOSSIER_VIEWED, subject=dossier, dossier_id=dossier.pk)
    return dossier
