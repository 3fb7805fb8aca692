"""Recusal register, consultations (查阅) and loans (借阅): R13, R14, R15, R40, R41, R43."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from dangan.dossiers.models import mask_id_number


class RelativeRelation(models.TextChoices):
    """The relations the cadre-dossier regulations name for recusal (回避)."""

    SPOUSE = "spouse", _("夫妻关系")
    LINEAL = "lineal", _("直系血亲关系")
    COLLATERAL = "collateral", _("三代以内旁系血亲关系")
    IN_LAW = "in_law", _("近姻亲关系")


class Relative(models.Model):
    """A relative a staff member declared (回避申报): they may not open, lend or handle that person's dossier."""

    staff = models.ForeignKey(
        "agencies.Staff", verbose_name=_("申报人"), on_delete=models.PROTECT, related_name="declared_relatives"
    )
    name = models.CharField(_("亲属姓名"), max_length=50)
    id_number = models.CharField(_("亲属身份证号码"), max_length=18, db_index=True)
    relation = models.CharField(_("关系"), max_length=12, choices=RelativeRelation.choices)
    declared_at = models.DateTimeField(_("申报时间"))
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("撤回原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("回避亲属")
        verbose_name_plural = _("回避亲属")
        ordering = ["staff_id", "declared_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "id_number"],
                condition=Q(withdrawn_at__isnull=True),
                name="lending_relative_declared_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_relation_display()} {self.name}"

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)


class Consultation(models.Model):
    """An organisation's consultation of one dossier (查阅), carried by a casework request (R13, R41)."""

    request = models.OneToOneField("casework.ServiceRequest", on_delete=models.PROTECT, related_name="consultation")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="consultations")
    organisation_name = models.CharField(_("查阅单位"), max_length=100)
    organisation_code = models.CharField(_("统一社会信用代码或单位代码"), max_length=32)
    letter_number = models.CharField(_("查阅函编号"), max_length=40)
    letter_date = models.DateField(_("查阅函日期"))
    reason = models.CharField(_("查阅事由"), max_length=200)
    content = models.CharField(_("查阅内容"), max_length=500)
    purpose = models.CharField(_("查阅目的"), max_length=30)
    approved_scope = models.CharField(_("批准查阅范围"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("档案查阅")
        verbose_name_plural = _("档案查阅")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.organisation_name}：{self.letter_number}"


class Reader(models.Model):
    """One of the two or more people an organisation names to read (R13)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="readers")
    name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(_("身份证号码"), max_length=18)
    post = models.CharField(_("职务"), max_length=50)

    class Meta:
        verbose_name = _("查阅人")
        verbose_name_plural = _("查阅人")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "id_number"], name="lending_reader_once_per_consultation")
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.post}）"

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)


class ReadingSession(models.Model):
    """One sitting in the reading room, signed in the register: who, in and out, what was read (R13, R40, R41)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="sessions")
    room = models.ForeignKey("storage.Room", verbose_name=_("阅档室"), on_delete=models.PROTECT, related_name="+")
    readers = models.ManyToManyField(Reader, verbose_name=_("到场查阅人"), related_name="sessions")
    scope = models.CharField(_("本次查阅范围"), max_length=500)
    readers_signed = models.BooleanField(_("查阅人已在登记簿签名"), default=False)
    started_at = models.DateTimeField(_("进入时间"))
    ended_at = models.DateTimeField(_("离开时间"), null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("情况说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("查阅登记")
        verbose_name_plural = _("查阅登记")
        ordering = ["started_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation"], condition=Q(ended_at__isnull=True), name="lending_one_open_session"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consultation_id}@{self.started_at:%Y-%m-%d %H:%M}"


class CopyKind(models.TextChoices):
    EXTRACT = "extract", _("摘录")
    COPY = "copy", _("复制")


class CopyStatus(models.TextChoices):
    REQUESTED = "requested", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("不予批准")
    CERTIFIED = "certified", _("已核对盖章")


CERTIFICATION_TEXT = "此件与档案原件核对无误"


class CopyRequest(models.Model):
    """An extract or copy asked for during a session: only with approval, then certified by the keeper (R13)."""

    session = models.ForeignKey(ReadingSession, on_delete=models.PROTECT, related_name="copies")
    kind = models.CharField(_("类型"), max_length=10, choices=CopyKind.choices)
    description = models.CharField(_("材料名称及范围"), max_length=200)
    pages = models.PositiveIntegerField(_("页数"))
    reason = models.CharField(_("用途"), max_length=200)
    status = models.CharField(_("状态"), max_length=10, choices=CopyStatus.choices, default=CopyStatus.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("申请时间"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=200, blank=True)
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    certified_on = models.DateField(_("核对日期"), null=True, blank=True)
    certification = models.CharField(_("核对意见"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("摘录复制")
        verbose_name_plural = _("摘录复制")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="certified") | (Q(certified_on__isnull=False) & ~Q(certification="")),
                name="lending_copy_certified_has_note",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.description}"


class BorrowerKind(models.TextChoices):
    SOCIAL_INSURANCE = "social_insurance", _("社会保险经办机构")
    NOTARY = "notary", _("公证机构")
    OTHER = "other", _("其他单位（组织）")


class LoanState(models.TextChoices):
    REQUESTED = "requested", _("待审批")
    APPROVED = "approved", _("已批准待借出")
    ON_LOAN = "on_loan", _("借出中")
    RETURNED = "returned", _("已归还")
    REJECTED = "rejected", _("不予批准")
    WITHDRAWN = "withdrawn", _("已撤回")


# An approved loan reserves the dossier until it is lent or withdrawn; one open loan per dossier (R14).
OPEN_STATES = (LoanState.APPROVED, LoanState.ON_LOAN)

UNDERTAKING_TEXT = "借档单位承诺：所借档案仅用于借档函所述用途，不转借、不拆封、不涂改、不抽取、不复制，按期密封归还。"


class Loan(models.Model):
    """A dossier lent to an organisation with its letter (借档函), approved, due back, checked on return (R14, R15)."""

    request = models.OneToOneField("casework.ServiceRequest", on_delete=models.PROTECT, related_name="loan")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="loans")
    borrower_kind = models.CharField(_("借档单位类型"), max_length=20, choices=BorrowerKind.choices)
    borrower_name = models.CharField(_("借档单位"), max_length=100)
    borrower_code = models.CharField(_("统一社会信用代码或单位代码"), max_length=32)
    letter_number = models.CharField(_("借档函编号"), max_length=40)
    letter_date = models.DateField(_("借档函日期"))
    purpose = models.CharField(_("借档事由"), max_length=200)
    handler_name = models.CharField(_("经办人姓名"), max_length=50)
    handler_id_number = models.CharField(_("经办人身份证号码"), max_length=18)
    handler_phone = models.CharField(_("经办人联系电话"), max_length=20, blank=True)
    undertaking = models.CharField(_("不转借承诺"), max_length=200)
    state = models.CharField(_("状态"), max_length=10, choices=LoanState.choices, default=LoanState.REQUESTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=500, blank=True)
    lent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lent_at = models.DateTimeField(_("借出时间"), null=True, blank=True)
    lent_on = models.DateField(_("借出日期"), null=True, blank=True)
    due_on = models.DateField(_("应还日期"), null=True, blank=True, db_index=True)
    seal_number = models.CharField(_("密封封签编号"), max_length=40, blank=True)
    # The catalogue of what left, frozen at lending: [{"n", "class_code", "sequence", "title", "formed", "copies",
    # "pages", "remarks"}]; the return is checked against it face to face.
    catalogue = models.JSONField(_("借出材料目录"), default=list, blank=True)
    material_count = models.PositiveIntegerField(_("借出材料份数"), default=0)
    page_count = models.PositiveIntegerField(_("借出材料页数"), default=0)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    returned_at = models.DateTimeField(_("归还时间"), null=True, blank=True)
    seal_intact = models.BooleanField(_("归还时密封完好"), null=True)
    return_check = models.JSONField(_("归还核对结果"), default=list, blank=True)
    discrepancy = models.TextField(_("差异情况"), blank=True)
    escalated_at = models.DateTimeField(_("差异上报时间"), null=True, blank=True)
    overdue_since = models.DateField(_("逾期起始日"), null=True, blank=True)
    overdue_flagged_on = models.DateField(_("最近逾期标记日"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("档案借阅")
        verbose_name_plural = _("档案借阅")
        ordering = ["-pk"]
        constraints = [
            # R14: a dossier is never lent (or reserved for lending) twice, whatever the races in front.
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(state__in=OPEN_STATES), name="lending_one_open_loan_per_dossier"
            ),
            models.CheckConstraint(
                condition=Q(lent_on__isnull=True) | Q(due_on__gt=F("lent_on")), name="lending_loan_due_after_lending"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.borrower_name}：{self.letter_number}"

    def is_overdue(self, today: datetime.date) -> bool:
        return self.state == LoanState.ON_LOAN and self.due_on is not None and self.due_on < today

    @property
    def has_discrepancy(self) -> bool:
        return bool(self.discrepancy)
