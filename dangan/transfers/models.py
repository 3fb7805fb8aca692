from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestLetter(models.Model):
    """调档函: a receiving agency asks the current holder to send a dossier."""

    number = models.CharField(_("调档函编号"), max_length=30, unique=True)
    issuing_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    person_name = models.CharField(_("姓名"), max_length=50)
    person_id_number = models.CharField(_("身份证号码"), max_length=18)
    holder_agency = models.ForeignKey(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("档案现存机构"),
    )
    holder_name = models.CharField(_("档案现存单位（平台外）"), max_length=100, blank=True)
    reason = models.CharField(_("调档原因"), max_length=200)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("开具时间"))

    class Meta:
        verbose_name = _("调档函")
        verbose_name_plural = _("调档函")

    def __str__(self) -> str:
        return self.number

    @property
    def addressee(self) -> str:
        return self.holder_agency.name if self.holder_agency is not None else self.holder_name


class TransferKind(models.TextChoices):
    ORDINARY = "ordinary", _("转出")
    RETIREMENT = "retirement", _("退休移交")
    DEATH = "death", _("死亡移交")


class RequesterKind(models.TextChoices):
    PERSON = "person", _("本人")
    PROXY = "proxy", _("受托人（持书面委托）")
    EMPLOYER = "employer", _("用人单位")
    AGENCY = "agency", _("存档机构（退休、死亡移交）")


class Transfer(models.Model):
    """One dossier leaving its holder; the stub, notice and return slip share `serial` (R12, R41)."""

    request = models.OneToOneField("casework.ServiceRequest", on_delete=models.PROTECT, related_name="transfer")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="transfers")
    kind = models.CharField(_("类型"), max_length=12, choices=TransferKind.choices, default=TransferKind.ORDINARY)
    serial = models.CharField(_("转递编号"), max_length=30, unique=True)
    from_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    to_agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("接收机构")
    )
    to_name = models.CharField(_("接收单位（平台外）"), max_length=100, blank=True)
    to_address = models.CharField(_("接收地址"), max_length=200, blank=True)
    reason = models.CharField(_("转递原因"), max_length=200)
    requester_kind = models.CharField(_("申请人"), max_length=10, choices=RequesterKind.choices)
    letter_number = models.CharField(_("调档函编号"), max_length=30, blank=True)
    volumes = models.PositiveSmallIntegerField(_("卷数"), default=1)
    items = models.PositiveSmallIntegerField(_("份数"), default=0)
    remarks = models.CharField(_("备注"), max_length=200, blank=True)
    delivery = models.CharField(_("转递方式"), max_length=30, blank=True)
    tracking_no = models.CharField(_("运单号/机要编号"), max_length=40, blank=True)
    dispatched_on = models.DateField(_("发出日期"), null=True, blank=True)
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(_("接收时间"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    seal_intact = models.BooleanField(_("密封完好"), null=True)
    catalogue_matches = models.BooleanField(_("与目录相符"), null=True)
    receipt_note = models.CharField(_("接收说明"), max_length=200, blank=True)
    slip_returned_on = models.DateField(_("回执退回日期"), null=True, blank=True)
    slip_signed_by = models.CharField(_("回执签收单位/人"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("档案转递")
        verbose_name_plural = _("档案转递")

    def __str__(self) -> str:
        return self.serial

    @property
    def destination(self) -> str:
        return self.to_agency.name if self.to_agency is not None else self.to_name


class TransferSequence(models.Model):
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10)  # "letter" | "transfer"
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "kind", "year"], name="transfer_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.kind}/{self.year}"
