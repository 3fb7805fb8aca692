"""A material's life (pure): statuses, the transition table, return reasons and the R20 test."""

from __future__ import annotations

import datetime
import re

from django.db import models
from django.utils.translation import gettext_lazy as _


class MaterialStatus(models.TextChoices):
    RECEIVED = "received", _("待鉴别")
    ACCEPTED = "accepted", _("鉴别合格待归档")
    FILED = "filed", _("已归档")
    RETURNED = "returned", _("已退回")


class Decision(models.TextChoices):
    ACCEPT = "accept", _("合格")
    RETURN = "return", _("退回")


class ReturnReason(models.TextChoices):
    INCOMPLETE = "incomplete", _("不完整")
    UNSIGNED_UNSTAMPED = "unsigned_unstamped", _("未签字盖章")
    NOT_DOSSIER_MATERIAL = "not_dossier_material", _("不属于归档材料")
    ABOLISHED = "abolished", _("政策已取消的材料（R20）")
    COPY_NOT_ORIGINAL = "copy_not_original", _("复印件非原件")


S = MaterialStatus

# from → {to: the service that moves it}
TRANSITIONS: dict[str, dict[str, str]] = {
    S.RECEIVED: {S.ACCEPTED: "appraise", S.RETURNED: "appraise"},
    S.ACCEPTED: {S.FILED: "file"},
    S.FILED: {},
    S.RETURNED: {},
}

DECISION_TARGET: dict[str, str] = {Decision.ACCEPT: S.ACCEPTED, Decision.RETURN: S.RETURNED}


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, {})


def process_for(current: str, target: str) -> str | None:
    return TRANSITIONS.get(current, {}).get(target)


# --- R20: kinds of material the policy abolished -----------------------------------------------

# Wage records (sub-class 9-1) formed after this year are no longer dossier material.
WAGE_CLASS = "9-1"
WAGE_RECORDS_LAST_YEAR = 2014
ABOLISHED_TITLE_WORDS: tuple[str, ...] = ("转正定级", "工资调整", "调资", "工资介绍信", "行政介绍信")

_SPACES = re.compile(r"\s+")


def abolished_kind(material_class: str, title: str, formed_on: datetime.date | None) -> str | None:
    """Why R20 keeps this material out of the dossier (a Chinese phrase), or None when it may be filed."""
    compact = _SPACES.sub("", title)
    for word in ABOLISHED_TITLE_WORDS:
        if word in compact:
            return str(_("“%(w)s”类材料已不再归入档案") % {"w": word})
    if material_class == WAGE_CLASS and formed_on is not None and formed_on.year > WAGE_RECORDS_LAST_YEAR:
        return str(_("%(y)d年以后形成的工资材料已不再归入档案") % {"y": WAGE_RECORDS_LAST_YEAR})
    return None
