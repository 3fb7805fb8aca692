from __future__ import annotations

import datetime
from typing import Any, ClassVar, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangan.audit.services import record
from dangan.core.errors import PermissionDenied

_M = TypeVar("_M", bound=models.Model)


def _refuse_delete(subject: str, ids: list[Any]) -> None:
    """Record the refused attempt (in a savepoint: kept unless the caller's own transaction rolls back)."""
    with transaction.atomic():
        record(actor=None, action="delete.refused", subject=(subject, ",".join(map(str, ids))[:64]))


class NeverDeleteQuerySet(models.QuerySet[_M]):
    def delete(self) -> tuple[int, dict[str, int]]:
        _refuse_delete(self.model._meta.label_lower, list(self.values_list("pk", flat=True)[:20]))
        raise PermissionDenied(
            gettext("档案及其人员信息不可删除，只能通过转递、退休移交或死亡移交离开本机构（R6）"), code="never_delete"
        )


class NeverDelete(models.Model):
    """Rows that leave only through a recorded process, never by deletion (R6)."""

    class Meta:
        abstract = True

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        _refuse_delete(self._meta.label_lower, [self.pk])
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

    objects: ClassVar[NeverDeleteQuerySet[Person]] = NeverDeleteQuerySet.as_manager()  # type: ignore[assignment]

    id_type = models.CharField(_("证件类型"), max_length=20, choices=IdType.choices, default=IdType.RESIDENT_ID)
    id_number = models.CharField(_("证件号码"), max_length=32, unique=True)
    # No plain index: `person_name_prefix_idx` (below) serves the prefix search and equality; ordering by name
    # sorts the few rows a prefix matched. Two more name indexes only slowed every insert (the ledger import).
    name = models.CharField(_("姓名"), max_length=50)
    sex = models.CharField(_("性别"), max_length=1)
    birth_date = models.DateField(_("出生日期"))
    ethnic_group = models.CharField(_("民族"), max_length=2, blank=True)
    native_place = models.CharField(_("籍贯"), max_length=50, blank=True)
    household_region = models.CharField(_("户籍所在地"), max_length=6, blank=True)
    pre_enrolment_region = models.CharField(_("入学前户籍所在地"), max_length=6, blank=True)
    political_status = models.CharField(_("政治面貌"), max_length=2, blank=True)
    work_started_on = models.DateField(_("参加工作时间"), null=True, blank=True)
    person_category = models.CharField(_("人员类别"), max_length=2, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    former_name = models.CharField(_("曾用名"), max_length=50, blank=True)
    marital_status = models.CharField(_("婚姻状况"), max_length=2, blank=True)
    health = models.CharField(_("健康状况"), max_length=20, blank=True)
    birthplace = models.CharField(_("出生地"), max_length=50, blank=True)
    home_address = models.CharField(_("家庭住址"), max_length=200, blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=6, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    social_security_no = models.CharField(_("社会保障号码"), max_length=20, blank=True)
    died_on = models.DateField(_("死亡日期"), null=True, blank=True)
    retirement_track = models.CharField(
        _("原法定退休年龄"),
        max_length=12,
        blank=True,
        choices=[("male_60", _("男职工60周岁")), ("female_55", _("女干部55周岁")), ("female_50", _("女职工50周岁"))],
        help_text=_("留空时男性按60周岁、女性按55周岁计算"),
    )
    # Mandatory items the data clerk has confirmed as "无" (e.g. no degree, no title, no employer).
    declared_none = models.JSONField(_("确认为“无”的采集项"), default=list, blank=True)

    class Meta:
        verbose_name = _("存档人员")
        verbose_name_plural = _("存档人员")
        indexes = [
            # Name-prefix search (LIKE 'x%') needs a pattern index on PostgreSQL; other databases ignore opclasses.
            models.Index(fields=["name"], name="person_name_prefix_idx", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)


def mask_id_number(number: str) -> str:
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


class History(models.Model):
    """A dated row of a person's history; rows are corrected, never deleted."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class EducationRecord(History):
    education = models.CharField(_("学历"), max_length=2, help_text="GB/T 4658")
    degree = models.CharField(_("学位"), max_length=4, blank=True, help_text="GB/T 6864")
    school = models.CharField(_("毕业院校"), max_length=100)
    major = models.CharField(_("所学专业"), max_length=100, blank=True)
    started_on = models.DateField(_("入学时间"), null=True, blank=True)
    graduated_on = models.DateField(_("毕业时间"), null=True, blank=True)
    is_highest = models.BooleanField(_("最高学历"), default=False)

    class Meta:
        verbose_name = _("学习经历")
        verbose_name_plural = _("学习经历")
        ordering = ["graduated_on", "pk"]
        default_related_name = "education"

    def __str__(self) -> str:
        return f"{self.school} {self.major}"


class EmploymentRecord(History):
    employer_name = models.CharField(_("工作单位"), max_length=100)
    credit_code = models.CharField(_("单位统一社会信用代码"), max_length=18, blank=True)
    position = models.CharField(_("职务/岗位"), max_length=50, blank=True)
    started_on = models.DateField(_("起始时间"), null=True, blank=True)
    ended_on = models.DateField(_("终止时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("工作经历")
        verbose_name_plural = _("工作经历")
        ordering = ["started_on", "pk"]
        default_related_name = "employment"

    def __str__(self) -> str:
        return self.employer_name


class TitleRecord(History):
    class Level(models.TextChoices):
        JUNIOR = "junior", _("初级")
        INTERMEDIATE = "intermediate", _("中级")
        ASSOCIATE_SENIOR = "associate_senior", _("副高级")
        SENIOR = "senior", _("正高级")

    title = models.CharField(_("专业技术职务（职称）"), max_length=50)
    level = models.CharField(_("级别"), max_length=20, choices=Level.choices)
    obtained_on = models.DateField(_("取得时间"), null=True, blank=True)
    issuer = models.CharField(_("评审（认定）机构"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("职称经历")
        verbose_name_plural = _("职称经历")
        ordering = ["obtained_on", "pk"]
        default_related_name = "titles"

    def __str__(self) -> str:
        return self.title


class QualificationRecord(History):
    name = models.CharField(_("职业资格"), max_length=100)
    level = models.CharField(_("等级"), max_length=20, blank=True)
    certificate_no = models.CharField(_("证书编号"), max_length=50, blank=True)
    obtained_on = models.DateField(_("取得时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("职业资格")
        verbose_name_plural = _("职业资格")
        ordering = ["obtained_on", "pk"]
        default_related_name = "qualifications"

    def __str__(self) -> str:
        return self.name


class PartyMembership(History):
    class Organisation(models.TextChoices):
        PARTY = "party", _("中国共产党")
        LEAGUE = "league", _("中国共产主义青年团")

    organisation = models.CharField(_("组织"), max_length=10, choices=Organisation.choices)
    joined_on = models.DateField(_("入党（团）时间"))
    full_member_on = models.DateField(_("转正时间"), null=True, blank=True)
    branch = models.CharField(_("组织关系所在"), max_length=100, blank=True)
    left_on = models.DateField(_("离开时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("党团关系")
        verbose_name_plural = _("党团关系")
        ordering = ["joined_on", "pk"]
        default_related_name = "memberships"

    def __str__(self) -> str:
        return f"{self.get_organisation_display()} {self.joined_on}"


class FamilyMember(History):
    relation = models.CharField(_("称谓"), max_length=20)
    name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(_("身份证号码"), max_length=18, blank=True)
    employer = models.CharField(_("工作单位及职务"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("家庭成员及主要社会关系")
        verbose_name_plural = _("家庭成员及主要社会关系")
        default_related_name = "family"

    def __str__(self) -> str:
        return f"{self.relation} {self.name}"


class DossierStatus(models.TextChoices):
    IN_CUSTODY = "in_custody", _("在库")
    ON_LOAN = "on_loan", _("借出")
    IN_TRANSFER = "in_transfer", _("转递中")
    TRANSFERRED_OUT = "transferred_out", _("已转出")
    RETIRED = "retired", _("退休移交")
    DECEASED = "deceased", _("死亡移交")


class EntrustmentType(models.TextChoices):
    COLLECTIVE = "collective", _("单位委托集体存档")
    PERSONAL = "personal", _("个人委托存档")


class SourceKind(models.TextChoices):
    SCHOOL = "school", _("毕业院校")
    EMPLOYER = "employer", _("用人单位")
    AGENCY = "agency", _("其他档案管理机构")
    APPLICATION = "application", _("本人申请调入")
    MIGRATION = "migration", _("历史数据迁移")


class Dossier(NeverDelete):
    """One person's paper dossier; exactly one holding agency at a time (R1)."""

    objects: ClassVar[NeverDeleteQuerySet[Dossier]] = NeverDeleteQuerySet.as_manager()  # type: ignore[assignment]

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
    entrustment_type = models.CharField(
        _("存档类型"), max_length=12, choices=EntrustmentType.choices, default=EntrustmentType.PERSONAL
    )
    source_kind = models.CharField(_("档案来源类型"), max_length=12, choices=SourceKind.choices, blank=True)
    source_name = models.CharField(_("档案来源"), max_length=100, blank=True)
    volumes = models.PositiveSmallIntegerField(_("卷数"), default=1)

    class Meta:
        verbose_name = _("档案")
        verbose_name_plural = _("档案")
        constraints = [
            models.UniqueConstraint(fields=["holding_agency", "number"], name="dossier_number_unique_per_agency"),
        ]
        # The unfiltered list, newest first (`lookup`): read backwards, the scope checked in the index itself.
        indexes = [
            models.Index(fields=["received_on", "id", "holding_agency", "custodian"], name="dossier_received_idx")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.person.name}"


class DossierNumberSequence(models.Model):
    """The next dossier number of one agency; locked while a number is drawn."""

    agency = models.OneToOneField("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("档案编号序列")

    def __str__(self) -> str:
        return f"{self.agency_id}:{self.last}"


class Intake(models.Model):
    """One receipt of a dossier at the counter or by transfer (R7, R11, R35, R41)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="intakes")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(_("接收时间"))
    source_kind = models.CharField(_("档案来源类型"), max_length=12, choices=SourceKind.choices)
    source_name = models.CharField(_("档案来源"), max_length=100)
    delivery = models.CharField(_("送达方式"), max_length=30)
    seal_intact = models.BooleanField(_("密封完好"), default=True)
    anomalies = models.TextField(_("异常情况"), blank=True)
    party_name = models.CharField(_("告知对象"), max_length=100, blank=True)
    acknowledged_at = models.DateTimeField(_("签署知情承诺时间"), null=True, blank=True)
    commitment_deadline = models.DateField(_("承诺补充期限"), null=True, blank=True)
    commitment_text = models.TextField(_("承诺内容"), blank=True)

    class Meta:
        verbose_name = _("档案接收")
        verbose_name_plural = _("档案接收")

    def __str__(self) -> str:
        return f"{self.dossier_id}@{self.received_at:%Y-%m-%d}"


class GapStatus(models.TextChoices):
    OPEN = "open", _("待补充")
    CLOSED = "closed", _("已补齐")
    ESCALATED = "escalated", _("已逾期上报")


class Gap(models.Model):
    """A key material missing at intake, notified in writing and followed up until closed (R11)."""

    intake = models.ForeignKey(Intake, on_delete=models.PROTECT, related_name="gaps")
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="gaps")
    material_class = models.CharField(_("材料类别"), max_length=4)
    title = models.CharField(_("缺少的材料"), max_length=100)
    consequence = models.CharField(_("可能产生的影响"), max_length=200, blank=True)
    deadline = models.DateField(_("补充期限"))
    status = models.CharField(_("状态"), max_length=10, choices=GapStatus.choices, default=GapStatus.OPEN)
    closed_at = models.DateTimeField(_("补齐时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    material_id = models.BigIntegerField(_("补充的材料"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("已提醒次数"), default=0)
    last_reminded_on = models.DateField(_("最近提醒日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("缺失材料")
        verbose_name_plural = _("缺失材料")
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: datetime.date) -> bool:
        return self.status == GapStatus.OPEN and self.deadline < today


class IntakeRefusal(models.Model):
    """A dossier turned away, only for a reason the rules name (R7, R12, R1)."""

    class Reason(models.TextChoices):
        SELF_CARRIED = "self_carried", _("档案由本人自带，不予接收（R12）")
        HELD_ELSEWHERE = "held_elsewhere", _("档案已由其他机构保管，应办理转递（R1）")

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    refused_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    refused_at = models.DateTimeField()
    id_number = models.CharField(_("证件号码"), max_length=32)
    name = models.CharField(_("姓名"), max_length=50)
    reason = models.CharField(_("不予接收原因"), max_length=20, choices=Reason.choices)
    detail = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("不予接收记录")
        verbose_name_plural = _("不予接收记录")

    def __str__(self) -> str:
        return f"{self.name} {self.get_reason_display()}"
