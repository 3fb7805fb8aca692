"""Ratings of every completed service (好差评, R32) and the rectification of poor ones."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangan.ratings.grades import Category, Grade


class CounterVisit(models.Model):
    """One visit at the window, recorded by the clerk when it ends; its one-time token rates it once."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("服务机构"), on_delete=models.PROTECT, related_name="counter_visits"
    )
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("窗口经办"), on_delete=models.PROTECT, related_name="counter_visits"
    )
    service_type = models.CharField(_("服务事项"), max_length=30, blank=True)
    request = models.ForeignKey(
        "casework.ServiceRequest",
        verbose_name=_("办件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="counter_visits",
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    ended_at = models.DateTimeField(_("办结时间"))
    used_at = models.DateTimeField(_("评价时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("窗口服务")
        verbose_name_plural = _("窗口服务")
        ordering = ["-ended_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.agency_id}@{self.ended_at:%Y-%m-%d %H:%M}"


class Rating(models.Model):
    """One rating: per matter online (one per request), per visit at the counter (one per visit)."""

    class Channel(models.TextChoices):
        COUNTER = "counter", _("窗口")
        ONLINE = "online", _("网办")

    channel = models.CharField(_("评价渠道"), max_length=10, choices=Channel.choices)
    request = models.OneToOneField(
        "casework.ServiceRequest",
        verbose_name=_("办件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rating",
    )
    visit = models.OneToOneField(
        CounterVisit, verbose_name=_("窗口服务"), null=True, blank=True, on_delete=models.PROTECT, related_name="rating"
    )
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("被评价机构"), on_delete=models.PROTECT, related_name="ratings"
    )
    service_type = models.CharField(_("服务事项"), max_length=30, blank=True, db_index=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("被评价人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ratings_received",
    )
    grade = models.CharField(_("评价等级"), max_length=20, choices=Grade.choices)
    category = models.CharField(_("好差评类别"), max_length=10, choices=Category.choices, db_index=True)
    comment = models.CharField(_("评价内容"), max_length=500, blank=True)
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="ratings_given"
    )
    rated_at = models.DateTimeField(_("评价时间"))
    excluded = models.BooleanField(_("申诉成立，不计入统计"), default=False)

    class Meta:
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        ordering = ["-rated_at", "-pk"]
        indexes = [models.Index(fields=["agency", "rated_at"])]
        constraints = [
            # One matter: exactly one of the two subjects; the OneToOne fields make each rated at most once.
            models.CheckConstraint(
                condition=Q(channel="online", request__isnull=False, visit__isnull=True)
                | Q(channel="counter", request__isnull=True, visit__isnull=False),
                name="rating_one_subject_per_channel",
            ),
            models.CheckConstraint(condition=Q(grade__in=Grade.values), name="rating_grade_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_grade_display()} {self.rated_at:%Y-%m-%d}"


class CaseStatus(models.TextChoices):
    OPEN = "open", _("待核实")
    VERIFIED = "verified", _("已核实")
    ANSWERED = "answered", _("已整改答复")
    CLOSED = "closed", _("已办结")
    APPEALED = "appealed", _("申诉中")
    VOIDED = "voided", _("申诉成立")


class RectificationCase(models.Model):
    """A poor rating checked, rectified and answered within the time limit, or appealed (R32)."""

    rating = models.OneToOneField(Rating, verbose_name=_("评价"), on_delete=models.PROTECT, related_name="case")
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("整改机构"), on_delete=models.PROTECT, related_name="rectification_cases"
    )
    status = models.CharField(_("状态"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    opened_on = models.DateField(_("立案日期"))
    due = models.DateField(_("办结期限"), db_index=True)
    due_provisional = models.BooleanField(default=False)
    working_days = models.PositiveSmallIntegerField(_("时限（工作日）"))
    verification = models.TextField(_("核实情况"), blank=True)
    substantiated = models.BooleanField(_("反映问题属实"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    rectification = models.TextField(_("整改措施"), blank=True)
    answer = models.TextField(_("答复评价人"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    appeal_reason = models.TextField(_("申诉理由"), blank=True)
    appealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    appealed_at = models.DateTimeField(null=True, blank=True)
    status_before_appeal = models.CharField(max_length=10, blank=True)
    appeal_upheld = models.BooleanField(_("申诉成立"), null=True, blank=True)
    appeal_decision = models.TextField(_("申诉处理意见"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("差评整改")
        verbose_name_plural = _("差评整改")
        ordering = ["due", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=CaseStatus.values), name="rectification_status_valid"),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False), name="rectification_closed_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.due}"

    @property
    def is_finished(self) -> bool:
        return self.status in (CaseStatus.CLOSED, CaseStatus.VOIDED)

    def is_overdue(self, today: datetime.date) -> bool:
        """Still open after its due date (a case answered late shows in the report as closed late)."""
        return not self.is_finished and self.due < today
