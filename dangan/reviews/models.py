"""Political reviews (政审/考察) and Party-membership transfers (党员组织关系接转), services 6 and 7 (R10)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from dangan.reviews import purposes


class PoliticalReview(models.Model):
    """One organisation's request for a review: the extract is generated from the record, approved, then released."""

    request = models.OneToOneField(
        "casework.ServiceRequest", verbose_name=_("办件"), on_delete=models.PROTECT, related_name="political_review"
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name=_("档案"), on_delete=models.PROTECT, related_name="political_reviews"
    )
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("存档机构"), on_delete=models.PROTECT, related_name="political_reviews"
    )
    serial = models.CharField(_("摘录编号"), max_length=30, unique=True)
    purpose = models.CharField(_("政审（考察）事由"), max_length=20)
    organisation = models.CharField(_("来函单位"), max_length=100)
    letter_number = models.CharField(_("来函编号"), max_length=50, blank=True)
    reviewer_name = models.CharField(_("考察人"), max_length=50)
    reviewer_id_number = models.CharField(_("考察人证件号码"), max_length=32)
    extract = models.JSONField(_("档案情况摘录"), default=dict, blank=True)
    extract_digest = models.CharField(max_length=64, blank=True, editable=False)
    conclusion = models.TextField(_("审查意见"), blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    drafted_at = models.DateTimeField(_("生成时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    approved_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("出具人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    released_at = models.DateTimeField(_("出具时间"), null=True, blank=True)
    released_to = models.CharField(_("领取人"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("政审（考察）")
        verbose_name_plural = _("政审（考察）")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Separation of duties holds for raw SQL too: whoever generated the extract never approves it.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("drafted_by")),
                name="review_approver_is_not_drafter",
            ),
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True) | Q(drafted_at__isnull=False), name="review_approved_after_draft"
            ),
            models.CheckConstraint(
                condition=Q(released_at__isnull=True) | Q(approved_at__isnull=False),
                name="review_released_after_approval",
            ),
        ]

    def __str__(self) -> str:
        return self.serial

    @property
    def status(self) -> str:
        return str(self.request.status)

    @property
    def purpose_name(self) -> str:
        return purposes.name_of(self.purpose)


class ReviewSequence(models.Model):
    """Per agency and year, the last extract serial drawn."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="review_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}:{self.last}"


class Direction(models.TextChoices):
    IN = "in", _("转入")
    OUT = "out", _("转出")


class PartyTransfer(models.Model):
    """A Party member's organisational relation moving in or out with its introduction letter (党员组织关系介绍信)."""

    request = models.OneToOneField(
        "casework.ServiceRequest", verbose_name=_("办件"), on_delete=models.PROTECT, related_name="party_transfer"
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name=_("档案"), on_delete=models.PROTECT, related_name="party_transfers"
    )
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("存档机构"), on_delete=models.PROTECT, related_name="party_transfers"
    )
    membership = models.ForeignKey(
        "dossiers.PartyMembership", verbose_name=_("党组织关系"), on_delete=models.PROTECT, related_name="+"
    )
    direction = models.CharField(_("接转方向"), max_length=3, choices=Direction.choices)
    letter_number = models.CharField(_("党员组织关系介绍信编号"), max_length=50)
    issuing_organisation = models.CharField(_("开具介绍信的党组织"), max_length=100)
    receiving_organisation = models.CharField(_("接收党组织"), max_length=100)
    issued_on = models.DateField(_("开具日期"))
    valid_until = models.DateField(_("有效期至"))
    reported_on = models.DateField(_("报到日期"), null=True, blank=True)
    branch_before = models.CharField(_("原组织关系所在"), max_length=100, blank=True)
    branch_after = models.CharField(_("现组织关系所在"), max_length=100, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("办结人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    completed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("党员组织关系接转")
        verbose_name_plural = _("党员组织关系接转")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gte=F("issued_on")), name="party_letter_valid_after_issue"),
            models.CheckConstraint(
                condition=Q(reported_on__isnull=True)
                | Q(reported_on__gte=F("issued_on"), reported_on__lte=F("valid_until")),
                name="party_reported_within_validity",
            ),
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True) | Q(reported_on__isnull=False),
                name="party_completed_with_report_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.letter_number}"

    @property
    def status(self) -> str:
        return str(self.request.status)
