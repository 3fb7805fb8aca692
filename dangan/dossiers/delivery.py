"""Delivery ways of a dossier (R12): a setting, with the person carrying it always refused."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

SELF_CARRY = "self_carry"
LABELS = {
    "confidential_courier": _("机要交通"),
    "staff_courier": _("专人送取"),
    "registered_post": _("给据邮件（EMS等）"),
    SELF_CARRY: _("个人自带"),
}


def allowed_ways() -> list[str]:
    return [w for w in settings.DANGAN_DELIVERY_WAYS if w in LABELS and w != SELF_CARRY]


def choices(*, include_self_carry: bool = True) -> list[tuple[str, str]]:
    """Counter forms list self-carry too, so the clerk can record the refusal it causes."""
    ways = allowed_ways() + ([SELF_CARRY] if include_self_carry else [])
    return [(w, str(LABELS[w])) for w in ways]


# Every code that may appear in a delivery field (the schema names this choice set once).
ALL_CODES = tuple(LABELS)
