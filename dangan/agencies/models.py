from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AgencyLevel(models.TextChoices):
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    DISTRICT = "district", _("区县级")
    TOWNSHIP = "township", _("乡镇（街道）")


class Agency(models.Model):
    """A public employment and talent service body that holds or serves dossiers."""

    code = models.CharField(_("机构代码"), max_length=20, unique=True)
    name = models.CharField(_("机构名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=40)
    level = models.CharField(_("层级"), max_length=10, choices=AgencyLevel.choices)
    region_code = models.CharField(_("所在行政区划代码"), max_length=6, help_text="GB/T 2260")
    statistical_code = models.CharField(_("统计用区划代码"), max_length=12, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级机构"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Materialized path of ids ("/1/2/5/") for subtree queries.
    path = models.CharField(max_length=255, db_index=True, editable=False)
    # R47: a city may keep its districts' paper in one central storeroom.
    default_custodian = models.ForeignKey(
        "self",
        verbose_name=_("实物保管地"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    holds_dossiers = models.BooleanField(_("可存档"), default=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=6, blank=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level="province", parent__isnull=True) | Q(parent__isnull=False),
                name="agency_only_province_has_no_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_within(self, other: Agency) -> bool:
        return self.path.startswith(other.path)


class ServiceBranch(models.Model):
    """A service window that is not a region of its own (e.g. 昆嵛山 under 牟平区)."""

    agency = models.ForeignKey(Agency, verbose_name=_("所属机构"), on_delete=models.PROTECT, related_name="branches")
    code = models.CharField(_("网点代码"), max_length=20, unique=True)
    name = models.CharField(_("网点名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("服务网点")
        verbose_name_plural = _("服务网点")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    COUNTER_CLERK = "counter_clerk", _("窗口经办")
    ONLINE_OFFICER = "online_officer", _("网办专员")
    ARCHIVE_KEEPER = "archive_keeper", _("库房管理员")
    APPROVER = "approver", _("审批负责人")
    DATA_CLERK = "data_clerk", _("信息采集员")
    SUPERVISOR = "supervisor", _("督导")
    ADMINISTRATOR = "administrator", _("系统管理员")


class Staff(models.Model):
    """An agency's user (经办人员): one agency, one or more roles."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff")
    agency = models.ForeignKey(Agency, verbose_name=_("所属机构"), on_delete=models.PROTECT, related_name="staff")
    branch = models.ForeignKey(
        ServiceBranch, verbose_name=_("服务网点"), null=True, blank=True, on_delete=models.PROTECT
    )
    full_name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(_("身份证号码"), max_length=18, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("经办人员")
        verbose_name_plural = _("经办人员")

    def __str__(self) -> str:
        return f"{self.full_name}（{self.agency.short_name}）"

    @property
    def role_set(self) -> frozenset[str]:
        cached = getattr(self, "_role_cache", None)
        if cached is None:
            cached = frozenset(self.roles.values_list("role", flat=True))
            self._role_cache = cached
        return cached


class StaffRole(models.Model):
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        constraints = [models.UniqueConstraint(fields=["staff", "role"], name="staff_role_unique")]

    def __str__(self) -> str:
        return self.get_role_display()


class LoginAttempt(models.Model):
    """Every sign-in attempt, for throttling and review."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(db_index=True)
    succeeded = models.BooleanField()
    channel = models.CharField(max_length=20)

    class Meta:
        verbose_name = _("登录记录")
        verbose_name_plural = _("登录记录")
