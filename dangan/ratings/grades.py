"""The five grades of 好差评 and what counts as good, average and poor (pure)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Grade(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("非常满意")
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")
    VERY_DISSATISFIED = "very_dissatisfied", _("非常不满意")


class Category(models.TextChoices):
    GOOD = "good", _("好评")
    AVERAGE = "average", _("中评")
    POOR = "poor", _("差评")


CATEGORY_OF: dict[str, str] = {
    Grade.VERY_SATISFIED: Category.GOOD,
    Grade.SATISFIED: Category.GOOD,
    Grade.BASIC: Category.AVERAGE,
    Grade.DISSATISFIED: Category.POOR,
    Grade.VERY_DISSATISFIED: Category.POOR,
}


def category_of(grade: str) -> str:
    return CATEGORY_OF[grade]


def is_poor(grade: str) -> bool:
    return CATEGORY_OF.get(grade) == Category.POOR
