"""Certificates issued from what the dossier records (出具证明, R10, R33)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CertificateType(models.Model):
    """A kind of certificate and its wording; placeholders are filled only from the record (see texts.py)."""

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("证明名称"), max_length=50)
    body = models.TextField(_("证明正文模板"), help_text=_("用 {name} 等占位符引用档案记载，不得填写记载以外的内容"))
    needs_approval = models.BooleanField(_("须经审核"), default=False)
    valid_days = models.PositiveSmallIntegerField(
        _("有效期（天）"), null=True, blank=True, help_text=_("留空为长期有效")
    )
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("证明类型")
        verbose_name_plural = _("证明类型")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("有效")
    REVOKED = "revoked", _("已作废")


class Certificate(models.Model):
    """One issued certificate: its text is frozen at issue; it is revoked, never edited or deleted."""

    serial = models.CharField(_("证明编号"), max_length=30, unique=True)
    certificate_type = models.ForeignKey(
        CertificateType, verbose_name=_("证明类型"), on_delete=models.PROTECT, related_name="certificates"
    )
    title = models.CharField(_("证明名称"), max_length=50)
    request = models.ForeignKey(
        "casework.ServiceRequest", verbose_name=_("办件"), on_delete=models.PROTECT, related_name="certificates"
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name=_("档案"), on_delete=models.PROTECT, related_name="certificates"
    )
    issuing_agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("出具机构"), on_delete=models.PROTECT, related_name="certificates"
    )
    addressee = models.CharField(_("致"), max_length=100, blank=True)
    purpose = models.CharField(_("用途"), max_length=100, blank=True)
    text = models.TextField(_("证明正文"))
    person_name = models.CharField(_("姓名"), max_length=50)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("出具时间"))
    issued_on = models.DateField(_("出具日期"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    token = models.CharField(max_length=64, editable=False)
    status = models.CharField(
        _("状态"), max_length=10, choices=CertificateStatus.choices, default=CertificateStatus.VALID
    )
    revoked_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoke_reason = models.CharField(_("作废原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("证明")
        verbose_name_plural = _("证明")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="valid", revoked_at__isnull=True, revoke_reason="")
                | Q(status="revoked", revoked_at__isnull=False) & ~Q(revoke_reason=""),
                name="certificate_revocation_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.serial} {self.title}"

    @property
    def masked_name(self) -> str:
        return mask_name(self.person_name)

    def is_expired(self, today: datetime.date) -> bool:
        return self.valid_until is not None and self.valid_until < today

    def verdict(self, today: datetime.date) -> str:
        """valid | revoked | expired — what the public verification page says."""
        if self.status == CertificateStatus.REVOKED:
            return "revoked"
        return "expired" if self.is_expired(today) else "valid"


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳明华 → 欧***: the family name's first character only."""
    name = name.strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


class CertificateSequence(models.Model):
    """Per agency and year, the last certificate number drawn."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="certificate_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}:{self.last}"
