from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangan.core.errors import PermissionDenied


class NeverDeleteQuerySet(models.QuerySet[Any]):
    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionDenied(
            gettext("档案及其人员信息不可删除，只能通过转递、退休移交或死亡移交离开本机构（R6）"), code="never_delete"
        )


class NeverDelete(models.Model):
    """Rows that leave only through a recorded process, never by deletion (R6)."""

    objects = NeverDeleteQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionDenied(
            gettext("档案及其人员信息不可删除，只能通过转递、退休移交或死亡移交离开本机构（R6）"), code="never_delete"
        )


class Person(NeverDelete):
    """The person a dossier belongs to (存档人员)."""

    class IdType(models.TextChoices):
        RESIDENT_ID = "resident_id", _("居民身份证")
        PASSPORT = "passport", _("护照")
        HK_MACAO_PERMIT = "hk_macao", _("港澳居民居住证")
        TAIWAN_PERMIT = "taiwan", _("台湾居民居住证")
        FOREIGN_PR = "foreign_pr", _("外国人永久居留身份证")

    id_type = models.CharField(_("证件类型"), max_length=20, choices=IdType.choices, default=IdType.RESIDENT_ID)
    id_number = models.CharField(_("证件号码"), max_length=32, unique=True)
    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    sex = models.CharField(_("性别"), max_length=1)
    birth_date = models.DateField(_("出生日期"))
    ethnic_group = models.CharField(_("民族"), max_length=2, blank=True)
    household_region = models.CharField(_("户籍所在地"), max_length=6, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("存档人员")
        verbose_name_plural = _("存档人员")

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)


def mask_id_number(number: str) -> str:
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


class DossierStatus(models.TextChoices):
    IN_CUSTODY = "in_custody", _("在库")
    ON_LOAN = "on_loan", _("借出")
    IN_TRANSFER = "in_transfer", _("转递中")
    TRANSFERRED_OUT = "transferred_out", _("已转出")
    RETIRED = "retired", _("退休移交")
    DECEASED = "deceased", _("死亡移交")


class Dossier(NeverDelete):
    """One person's paper dossier; exactly one holding agency at a time (R1)."""

    person = models.OneToOneField(Person, verbose_name=_("存档人员"), on_delete=models.PROTECT, related_name="dossier")
    number = models.CharField(_("档案编号"), max_length=32)
    holding_agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("存档机构"), on_delete=models.PROTECT, related_name="held_dossiers"
    )
    custodian = models.ForeignKey(
        "agencies.Agency", verbose_name=_("实物保管地"), on_delete=models.PROTECT, related_name="kept_dossiers"
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=DossierStatus.choices, default=DossierStatus.IN_CUSTODY, db_index=True
    )
    received_on = models.DateField(_("接收日期"))
    barcode = models.CharField(_("条码"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("档案")
        verbose_name_plural = _("档案")
        constraints = [
            models.UniqueConstraint(fields=["holding_agency", "number"], name="dossier_number_unique_per_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.person.name}"
