from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
