from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarYear(models.Model):
    """A year's official schedule as entered by an administrator; it overrides the package's data."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(
        _("依据文件"), max_length=200, help_text=_("如：国务院办公厅关于2027年部分节假日安排的通知")
    )
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(_("录入时间"))

    class Meta:
        verbose_name = _("年度节假日安排")
        verbose_name_plural = _("年度节假日安排")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("法定节假日（休息）")
    WORKDAY = "workday", _("调休上班")


class CalendarDay(models.Model):
    """A day that differs from the Monday-to-Friday rule in an entered year."""

    calendar_year = models.ForeignKey(CalendarYear, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("节日"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("节假日/调休日")
        verbose_name_plural = _("节假日/调休日")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class Deadline(models.Model):
    """A time limit counted in working days; recomputed when a year's schedule is entered."""

    subject_type = models.CharField(max_length=64)
    subject_id = models.CharField(max_length=64)
    purpose = models.CharField(_("时限事项"), max_length=64)
    start = models.DateField(_("起算日"))
    working_days = models.PositiveSmallIntegerField(_("工作日数"))
    due = models.DateField(_("到期日"), db_index=True)
    provisional = models.BooleanField(_("暂定"), default=False, db_index=True)

    class Meta:
        verbose_name = _("办理时限")
        verbose_name_plural = _("办理时限")
        constraints = [
            models.UniqueConstraint(fields=["subject_type", "subject_id", "purpose"], name="deadline_one_per_purpose")
        ]

    def __str__(self) -> str:
        return f"{self.purpose} {self.due}{'（暂定）' if self.provisional else ''}"
