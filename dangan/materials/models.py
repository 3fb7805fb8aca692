from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangan.core.codetables import table
from dangan.dossiers.models import NeverDelete, NeverDeleteQuerySet
from dangan.materials import formed
from dangan.materials.workflow import MaterialStatus, ReturnReason, abolished_kind

__all__ = ["Material", "MaterialSource", "MaterialStatus", "ReturnReason"]


class MaterialSource(models.TextChoices):
    EMPLOYER = "employer", _("用人单位")
    SCHOOL = "school", _("学校")
    PERSON = "person", _("本人")
    AGENCY = "agency", _("其他档案管理机构")
    OTHER = "other", _("其他")


class Material(NeverDelete):
    """One item of a dossier (材料): received, appraised (鉴别), then filed (归档) in its class (R10)."""

    objects: ClassVar[NeverDeleteQuerySet[Material]] = NeverDeleteQuerySet.as_manager()  # type: ignore[assignment]

    # No index of its own: every query of materials names the dossier, which leads `material_dossier_class_idx`
    # and the sequence constraint's index.
    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name=_("档案"), on_delete=models.PROTECT, related_name="materials", db_index=False
    )
    material_class = models.CharField(_("类号"), max_length=4, help_text=_("《干部人事档案工作条例》（2018）类或小类"))
    title = models.CharField(_("材料名称"), max_length=200)
    formed_on = models.DateField(_("材料制成时间"), null=True, blank=True)
    formed_precision = models.CharField(
        _("时间精度"), max_length=8, choices=formed.Precision.choices, default=formed.Precision.DAY
    )
    copies = models.PositiveSmallIntegerField(_("份数"), default=1)
    pages = models.PositiveIntegerField(_("页数"))
    source = models.CharField(_("材料来源"), max_length=10, choices=MaterialSource.choices)
    source_name = models.CharField(_("来源单位"), max_length=100, blank=True)
    received_on = models.DateField(_("收到日期"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.PROTECT, related_name="+"
    )
    volume = models.PositiveSmallIntegerField(_("卷"), default=1)
    # Filtered only together with the dossier (`material_dossier_class_idx`): no index of its own.
    status = models.CharField(_("状态"), max_length=10, choices=MaterialStatus.choices, default=MaterialStatus.RECEIVED)
    return_reason = models.CharField(_("退回原因"), max_length=24, choices=ReturnReason.choices, blank=True)
    appraisal_note = models.CharField(_("鉴别意见"), max_length=200, blank=True)
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("鉴别人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    appraised_at = models.DateTimeField(_("鉴别时间"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("序号"), null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("归档人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    filed_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    remarks = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("档案材料")
        verbose_name_plural = _("档案材料")
        indexes = [models.Index(fields=["dossier", "material_class", "status"], name="material_dossier_class_idx")]
        constraints = [
            # NULL sequences (not yet filed) never collide.
            models.UniqueConstraint(
                fields=["dossier", "material_class", "sequence"], name="material_sequence_unique_per_class"
            ),
            models.CheckConstraint(condition=Q(pages__gt=0), name="material_pages_positive"),
            models.CheckConstraint(condition=Q(copies__gt=0), name="material_copies_positive"),
            models.CheckConstraint(condition=Q(volume__gt=0), name="material_volume_positive"),
            models.CheckConstraint(condition=Q(status__in=MaterialStatus.values), name="material_status_valid"),
            models.CheckConstraint(
                condition=Q(status=MaterialStatus.FILED, sequence__isnull=False)
                | (~Q(status=MaterialStatus.FILED) & Q(sequence__isnull=True)),
                name="material_sequence_only_when_filed",
            ),
            models.CheckConstraint(
                condition=Q(status=MaterialStatus.RETURNED, return_reason__in=ReturnReason.values)
                | (~Q(status=MaterialStatus.RETURNED) & Q(return_reason="")),
                name="material_reason_only_when_returned",
            ),
            models.CheckConstraint(
                condition=Q(formed_precision=formed.Precision.UNDATED, formed_on__isnull=True)
                | Q(formed_precision__in=["day", "month", "year"], formed_on__isnull=False),
                name="material_formed_date_matches_precision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.material_class} {self.title}"

    @property
    def class_name(self) -> str:
        return table("material_class").label(self.material_class)

    @property
    def formed_display(self) -> str:
        return formed.display(self.formed_on, self.formed_precision)

    @property
    def abolished_kind(self) -> str | None:
        """R20: why this material may not be filed, if it is of an abolished kind."""
        return abolished_kind(self.material_class, self.title, self.formed_on)
