from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangan.agreements.models import ChangeField, ExitChoice


class AccountKind(models.TextChoices):
    PERSON = "person", _("个人")
    EMPLOYER = "employer", _("用人单位")


class PortalAccount(models.Model):
    """A citizen or an employer signed up on the portal; the login is the phone number."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="portal_account")
    kind = models.CharField(_("类型"), max_length=10, choices=AccountKind.choices)
    phone = models.CharField(_("手机号码"), max_length=11, unique=True)
    name = models.CharField(_("姓名或单位名称"), max_length=100)
    id_number = models.CharField(_("身份证号码"), max_length=18, blank=True, db_index=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, db_index=True)
    verified_at = models.DateTimeField(_("实名核验时间"), null=True, blank=True)
    verified_by = models.CharField(_("核验方式"), max_length=50, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("网办账号")
        verbose_name_plural = _("网办账号")

    def __str__(self) -> str:
        return f"{self.name}（{self.phone}）"


class Upload(models.Model):
    """A document uploaded with an online application; stored outside the web root, never served directly."""

    account = models.ForeignKey(PortalAccount, on_delete=models.PROTECT, related_name="uploads")
    request = models.ForeignKey(
        "casework.ServiceRequest", null=True, blank=True, on_delete=models.PROTECT, related_name="uploads"
    )
    checklist_key = models.CharField(max_length=30)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    stored_as = models.CharField(max_length=200)
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("上传材料")
        verbose_name_plural = _("上传材料")

    def __str__(self) -> str:
        return self.original_name


class ReportKind(models.TextChoices):
    DEPARTURE = "departure", _("职工离职报告")
    CHANGE = "change", _("单位信息变更报告")


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待存档机构审核")
    ACCEPTED = "accepted", _("已登记")
    REJECTED = "rejected", _("已退回")


class EmployerReport(models.Model):
    """An employer's online report of an employee's departure (annex 1 §三6) or of a change of its registered
    information (annex 1 §三7). It changes no record by itself: a clerk of the agency holding the agreement
    accepts it (the agreements service then records the departure or the change) or rejects it with a reason."""

    kind = models.CharField(_("报告类型"), max_length=10, choices=ReportKind.choices)
    account = models.ForeignKey(PortalAccount, on_delete=models.PROTECT, related_name="employer_reports")
    # The employer is its credit code (R24); the agreement in force when the report was made.
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, db_index=True)
    agreement = models.ForeignKey(
        "agreements.EmployerAgreement", verbose_name=_("委托集体存档协议"), on_delete=models.PROTECT, related_name="+"
    )
    # A departure (annex 1 §三6): who left, when, and the employee's choice.
    entry = models.ForeignKey(
        "agreements.RosterEntry", verbose_name=_("离职职工"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    left_on = models.DateField(_("离职日期"), null=True, blank=True)
    choice = models.CharField(_("离职后档案去向"), max_length=10, choices=ExitChoice.choices, blank=True)
    transfer_to = models.CharField(_("拟转往单位或机构"), max_length=100, blank=True)
    personal_services = models.JSONField(_("个人委托存档服务事项"), default=list, blank=True)
    # A change (annex 1 §三7): one line of the change form.
    field = models.CharField(_("变更内容"), max_length=24, choices=ChangeField.choices, blank=True)
    new_value = models.CharField(_("变更后信息"), max_length=200, blank=True)
    effective_on = models.DateField(_("变更日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    submitted_at = models.DateTimeField(_("报告时间"))
    status = models.CharField(
        _("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED, db_index=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reject_reason = models.CharField(_("退回原因"), max_length=200, blank=True)
    change_record = models.ForeignKey(
        "agreements.ChangeRecord", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("单位网上报告")
        verbose_name_plural = _("单位网上报告")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry"],
                condition=Q(kind="departure", status="submitted"),
                name="one_pending_departure_report_per_entry",
            ),
            models.CheckConstraint(
                condition=~Q(kind="departure")
                | (Q(entry__isnull=False) & Q(left_on__isnull=False) & Q(choice__in=["personal", "transfer"])),
                name="departure_report_complete",
            ),
            models.CheckConstraint(
                condition=~Q(kind="change") | (~Q(field="") & Q(effective_on__isnull=False)),
                name="change_report_complete",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reject_reason=""), name="rejected_report_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(status="submitted") | Q(reviewed_at__isnull=False), name="reviewed_report_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"

    @property
    def submitted_on(self) -> datetime.date:
        """The day the employer reported, in local time: the report date of a change (R28)."""
        return timezone.localdate(self.submitted_at)
