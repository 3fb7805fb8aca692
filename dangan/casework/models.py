from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    COUNTER = "counter", _("窗口")
    ONLINE = "online", _("网办")
    PROXY = "proxy", _("异地代收")


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("个人")
    EMPLOYER = "employer", _("用人单位")
    ORGANISATION = "organisation", _("单位（组织）")


class ServiceRequest(models.Model):
    """One application for a service (办件), whatever its type; one number answers it (R30)."""

    number = models.CharField(_("办件编号"), max_length=24, unique=True)
    service_type = models.CharField(_("服务事项"), max_length=30, db_index=True)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    accepting_agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("受理机构"), on_delete=models.PROTECT, related_name="accepted_requests"
    )
    holding_agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("办理机构"), on_delete=models.PROTECT, related_name="handled_requests"
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("档案"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
    )
    applicant_kind = models.CharField(_("申请人类型"), max_length=12, choices=ApplicantKind.choices)
    applicant_name = models.CharField(_("申请人"), max_length=100)
    applicant_id_number = models.CharField(_("申请人证件号码或统一社会信用代码"), max_length=32, blank=True)
    applicant_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    documents = models.JSONField(_("已提交材料"), default=list, blank=True)
    details = models.JSONField(_("办理信息"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=20, db_index=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="servicerequest_assigned",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("申请时间"))
    work_date = models.DateField(_("受理工作日"))
    due = models.DateField(_("办结期限"), db_index=True)
    due_provisional = models.BooleanField(default=False)
    completed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("办件")
        verbose_name_plural = _("办件")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["holding_agency", "status"]),
            models.Index(fields=["accepting_agency", "status"]),
        ]

    def __str__(self) -> str:
        return self.number


class RequestStep(models.Model):
    """Every step of a request with who and when; append-only."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.PROTECT, related_name="steps")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    label = models.CharField(max_length=50)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    agency = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("办理步骤")
        verbose_name_plural = _("办理步骤")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id}:{self.to_status}"


class RequestSequence(models.Model):
    """Per agency and year, the last request number drawn."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="request_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}:{self.last}"
