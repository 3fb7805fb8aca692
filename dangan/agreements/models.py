"""Employers, their collective agreements and rosters, personal agreements, change records, notices."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RegistrationLevel(models.TextChoices):
    """The level of the authority an employer registered with (R2)."""

    CITY = "city", _("市级以上（含市级）")
    DISTRICT = "district", _("区市级")


class RegistrationAuthority(models.TextChoices):
    MARKET_REGULATION = "market_regulation", _("市场监管部门")
    CIVIL_AFFAIRS = "civil_affairs", _("民政部门")
    JUSTICE = "justice", _("司法部门")


class EmployerStatus(models.TextChoices):
    ACTIVE = "active", _("存续")
    DEREGISTERED = "deregistered", _("已注销")
    REVOKED = "revoked", _("已吊销")


class Employer(models.Model):
    """One employer in an agency's register: the registration form of annex 1 (R27)."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("登记机构"), on_delete=models.PROTECT, related_name="+"
    )
    registration_no = models.CharField(_("登记编号"), max_length=24, unique=True)
    registered_on = models.DateField(_("登记日期"))
    name = models.CharField(_("名称"), max_length=100)
    nature = models.CharField(
        _("性质"), max_length=1, help_text=_("公司法人、社团法人、民办非企法人、其他执业许可类机构、其他")
    )
    credit_code = models.CharField(_("证照号（统一社会信用代码）"), max_length=18, db_index=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=50)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    registered_capital = models.DecimalField(
        _("注册资金（万元）"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    address = models.CharField(_("地址"), max_length=200)
    postcode = models.CharField(_("邮政编码"), max_length=6)
    phone = models.CharField(_("联系电话"), max_length=20)
    contact = models.CharField(_("联系人"), max_length=50)
    contact_post = models.CharField(_("联系人职务"), max_length=50)
    remarks = models.TextField(_("备注"), blank=True)
    # Not on the printed form of annex 1: statistical classification for the distribution figures (R38).
    # Required for new registrations (the service); blank on employers registered before they were asked.
    industry = models.CharField(
        _("行业门类"), max_length=1, blank=True, help_text=_("GB/T 4754-2017 国民经济行业分类门类 A–T")
    )
    size = models.CharField(
        _("企业规模"), max_length=1, blank=True,
        help_text=_("《统计上大中小微型企业划分办法（2017）》：1 大型、2 中型、3 小型、4 微型；9 不适用（非企业单位）"),
    )  # fmt: skip
    registration_level = models.CharField(
        _("注册（登记管理）部门层级"), max_length=10, choices=RegistrationLevel.choices
    )
    registration_authority = models.CharField(
        _("注册（登记管理）部门"), max_length=20, choices=RegistrationAuthority.choices
    )
    county_code = models.CharField(_("所在区市"), max_length=6, help_text="GB/T 2260")
    zone_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("所在功能区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("状态"), max_length=12, choices=EmployerStatus.choices, default=EmployerStatus.ACTIVE)
    dissolved_on = models.DateField(_("注销（吊销）日期"), null=True, blank=True)
    dissolution_note = models.CharField(_("注销（吊销）说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("委托集体存档单位")
        verbose_name_plural = _("委托集体存档单位")
        ordering = ["registration_no"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "credit_code"], name="employer_credit_code_unique_per_agency"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_dissolved(self) -> bool:
        return self.status != EmployerStatus.ACTIVE


class EmployerSequence(models.Model):
    """The last registration number an agency gave in a year; locked while a number is drawn."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("登记编号序列")
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="employer_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id}-{self.year}:{self.last}"


class AgreementStatus(models.TextChoices):
    IN_FORCE = "in_force", _("履行中")
    EXPIRED = "expired", _("期满终止")
    ENDED = "ended", _("已终止")


class EndReason(models.TextChoices):
    DEREGISTERED = "deregistered", _("单位注销，协议自注销之日起自动终止")
    REVOKED = "revoked", _("单位被吊销，协议自吊销之日起自动终止")
    MOVED = "moved", _("单位变更委托存档机构，协议自动终止")
    BREACH = "breach", _("违反协议约定，协议终止")
    TRANSFERRED_OUT = "transferred_out", _("档案转出，协议自动终止")
    COLLECTIVE = "collective", _("转为单位委托集体存档")


class EmployerAgreementQuerySet(models.QuerySet["EmployerAgreement"]):
    def in_force(self, on: datetime.date) -> EmployerAgreementQuerySet:
        return self.filter(status=AgreementStatus.IN_FORCE, end_date__gte=on)


class EmployerAgreement(models.Model):
    """单位委托集体存档协议 (annex 1): a fixed term of whole years (R22), listed services (R23)."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("存档机构（甲方）"), on_delete=models.PROTECT, related_name="+"
    )
    employer = models.ForeignKey(
        Employer, verbose_name=_("单位（乙方）"), on_delete=models.PROTECT, related_name="agreements"
    )
    # Copied from the employer: an employer is one credit code across every agency's register (R24).
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18)
    term_years = models.PositiveSmallIntegerField(_("协议期限（年）"))
    start_date = models.DateField(_("起始日期"))
    end_date = models.DateField(_("终止日期"))
    services = models.JSONField(_("服务事项"), default=list)
    hr_contact_name = models.CharField(_("人事专员"), max_length=50)
    hr_contact_post = models.CharField(_("人事专员职务"), max_length=50)
    hr_contact_phone = models.CharField(_("人事专员电话"), max_length=20)
    supplement = models.TextField(_("补充协议"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=AgreementStatus.choices, default=AgreementStatus.IN_FORCE
    )
    end_reason = models.CharField(_("终止原因"), max_length=16, choices=EndReason.choices, blank=True)
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)
    end_note = models.TextField(_("终止说明"), blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("签订时间"))
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = EmployerAgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位委托集体存档协议")
        verbose_name_plural = _("单位委托集体存档协议")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=Q(status="in_force"),
                name="one_collective_agreement_in_force_per_employer",
            ),
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="agreement_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.employer} {self.start_date}—{self.end_date}"


class RenewalStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")


class Renewal(models.Model):
    """An application to renew, made in the month before expiry and decided by an approver (R22)."""

    agreement = models.ForeignKey(EmployerAgreement, on_delete=models.PROTECT, related_name="renewals")
    years = models.PositiveSmallIntegerField(_("续签年限"))
    applied_on = models.DateField(_("申请日期"))
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=RenewalStatus.choices, default=RenewalStatus.PENDING)
    previous_end_date = models.DateField(_("原终止日期"))
    new_end_date = models.DateField(_("续签后终止日期"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("续签申请")
        verbose_name_plural = _("续签申请")
        ordering = ["-applied_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement"], condition=Q(status="pending"), name="one_pending_renewal_per_agreement"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id} +{self.years}"


class RosterStatus(models.TextChoices):
    ACTIVE = "active", _("在册")
    LEFT_PERSONAL = "left_personal", _("离职，转个人委托存档")
    AWAITING_TRANSFER = "awaiting_transfer", _("离职，待转出")
    TRANSFERRED_OUT = "transferred_out", _("离职，已转出")
    # The employer's agreement ended (breach, deregistration or revocation, a move) or expired while the
    # entry was open: the employee is no longer covered and is listed as under no agreement (R22, R25).
    AGREEMENT_ENDED = "agreement_ended", _("单位协议终止，未纳入协议")


class ExitChoice(models.TextChoices):
    PERSONAL = "personal", _("签订个人委托存档协议")
    TRANSFER = "transfer", _("办理档案转出")


class RosterEntry(models.Model):
    """One employee whose dossier the collective agreement covers (annex 1 §三6)."""

    agreement = models.ForeignKey(EmployerAgreement, on_delete=models.PROTECT, related_name="roster")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="roster_entries")
    joined_on = models.DateField(_("纳入日期"))
    status = models.CharField(_("状态"), max_length=20, choices=RosterStatus.choices, default=RosterStatus.ACTIVE)
    left_on = models.DateField(_("离职日期"), null=True, blank=True)
    exit_choice = models.CharField(_("离职后档案去向"), max_length=10, choices=ExitChoice.choices, blank=True)
    transfer_to = models.CharField(_("拟转往单位或机构"), max_length=100, blank=True)
    personal_agreement = models.ForeignKey(
        "PersonalAgreement", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("委托存档人员名册")
        verbose_name_plural = _("委托存档人员名册")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"],
                condition=Q(status__in=["active", "awaiting_transfer"]),
                name="one_open_roster_entry_per_dossier",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id}:{self.dossier_id}"


class PersonalAgreement(models.Model):
    """个人委托存档协议 (annex 2): from a start date until the dossier is transferred out (R26)."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("存档机构（甲方）"), on_delete=models.PROTECT, related_name="+"
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name=_("档案"), on_delete=models.PROTECT, related_name="personal_agreements"
    )
    start_date = models.DateField(_("委托存档起始日期"))
    services = models.JSONField(_("服务事项"), default=list)
    situation = models.CharField(_("存档情形"), max_length=30)
    places = models.JSONField(_("相关地点"), default=dict)
    # The registration form of annex 2 as signed (R27), apart from later changes to the person.
    form = models.JSONField(_("个人委托存档基本情况登记表"), default=dict)
    status = models.CharField(
        _("状态"), max_length=10, choices=AgreementStatus.choices, default=AgreementStatus.IN_FORCE
    )
    end_reason = models.CharField(_("终止原因"), max_length=16, choices=EndReason.choices, blank=True)
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)
    end_note = models.TextField(_("终止说明"), blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("签订时间"))
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("个人委托存档协议")
        verbose_name_plural = _("个人委托存档协议")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(status="in_force"), name="one_personal_agreement_in_force_per_dossier"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.form.get('name', '')} {self.start_date}"


class ChangeField(models.TextChoices):
    """The facts of the registration form an employer reports changes of (R28)."""

    NAME = "name", _("名称")
    NATURE = "nature", _("性质")
    LEGAL_REPRESENTATIVE = "legal_representative", _("法定代表人")
    REGISTERED_CAPITAL = "registered_capital", _("注册资金（万元）")
    ADDRESS = "address", _("地址")
    POSTCODE = "postcode", _("邮政编码")
    PHONE = "phone", _("联系电话")
    CONTACT = "contact", _("联系人")
    CONTACT_POST = "contact_post", _("联系人职务")
    REMARKS = "remarks", _("备注")
    INDUSTRY = "industry", _("行业门类")
    SIZE = "size", _("企业规模")


class ChangeRecord(models.Model):
    """One line of the change form (委托集体存档单位信息变更登记表)."""

    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="changes")
    field = models.CharField(_("变更内容"), max_length=24, choices=ChangeField.choices)
    before = models.TextField(_("变更前信息"), blank=True)
    after = models.TextField(_("变更后信息"))
    effective_on = models.DateField(_("变更日期"))
    reported_on = models.DateField(_("报告日期"))
    overdue = models.BooleanField(_("逾期报告"), default=False, help_text=_("变更后超过一个月才报告"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("单位信息变更登记")
        verbose_name_plural = _("单位信息变更登记")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.employer_id} {self.field}"


class Notice(models.Model):
    """A public notice of a change of services (annex 1 §五, annex 2 §六; R29)."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("发布机构"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("内容"))
    effective_on = models.DateField(_("生效日期"))
    published_at = models.DateTimeField(_("发布时间"), db_index=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("公告")
        verbose_name_plural = _("公告")
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title
