"""Console forms: they only shape input; the services check the rules and name the fields in error."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangan.agencies.models import Agency
from dangan.agreements import catalogue
from dangan.agreements.fields import EMPLOYER_REQUIRED, INDUSTRY_TABLE, PERSONAL_FORM, SIZE_TABLE
from dangan.agreements.jurisdiction import Situation
from dangan.agreements.models import (
    ChangeField,
    EmployerStatus,
    ExitChoice,
    RegistrationAuthority,
    RegistrationLevel,
)
from dangan.agreements.services.employers import clean_employer
from dangan.core.codetables import region_name, table
from dangan.core.errors import ApplicationError, ValidationFailed

REQUIRED = {"required": _("此项为必填项")}


class DateInput(forms.DateInput):
    """An HTML date input: its value must be ISO, whatever the locale's date format."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:
        super().__init__(attrs, format or "%Y-%m-%d")


RECORDED_HELP = _("取自档案记录的人员信息；如有变化，请先在档案的人员基础信息中更正")


def _counties() -> list[tuple[str, Any]]:
    regions = table("regions").codes
    counties = [c for c in regions if c.extra.get("level") == "county"]
    shandong = [(c.code, region_name(c.code)) for c in counties if c.code.startswith("37")]
    others = [(c.code, region_name(c.code)) for c in counties if not c.code.startswith("37")]
    return [("", "——请选择——"), ("山东省", shandong), ("其他省份", others)]


def _industries() -> list[tuple[str, str]]:
    return [("", "——请选择——"), *((c.code, f"{c.code} {c.name}") for c in table(INDUSTRY_TABLE).codes)]


def _sizes() -> list[tuple[str, str]]:
    return [("", "——请选择——"), *table(SIZE_TABLE).choices()]


def _zones() -> list[tuple[str, str]]:
    zones = Agency.objects.filter(is_active=True).exclude(statistical_code="").order_by("code")
    return [("", "——不在功能区——"), *((z.code, z.name) for z in zones)]


class ServiceErrorsForm(forms.Form):
    SECTIONS: tuple[tuple[Any, tuple[str, ...]], ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if getattr(field.widget, "input_type", "") in ("checkbox", "radio"):
                field.widget.attrs["style"] = "width:auto;flex:none;margin-top:.3rem"

    def add_service_error(self, exc: ApplicationError) -> None:
        """A service refusal as field errors where the form has the field, else on the form."""
        placed: set[str] = set()
        for name, messages in exc.fields.items():
            target = name.removeprefix("form.")
            for message in messages:
                if target in self.fields:
                    self.add_error(target, message)
                    placed.add(message)
                else:
                    self.add_error(None, message)
                    placed.add(message)
        if exc.message not in placed and not exc.fields:
            self.add_error(None, exc.message)

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        if not self.SECTIONS:
            return [("", [self[name] for name in self.fields])]
        return [(str(title), [self[name] for name in names]) for title, names in self.SECTIONS]


class EmployerForm(ServiceErrorsForm):
    name = forms.CharField(label=_("名称"), max_length=100)
    nature = forms.ChoiceField(
        label=_("性质"), choices=lambda: [("", "——请选择——"), *table("employer_nature").choices()]
    )
    credit_code = forms.CharField(label=_("证照号（统一社会信用代码）"), max_length=30)
    legal_representative = forms.CharField(label=_("法定代表人"), max_length=50)
    founded_on = forms.DateField(label=_("成立日期"), widget=DateInput)
    registered_capital = forms.CharField(label=_("注册资金（万元）"), max_length=20, required=False)
    address = forms.CharField(label=_("地址"), max_length=200)
    postcode = forms.CharField(label=_("邮政编码"), max_length=10)
    phone = forms.CharField(label=_("联系电话"), max_length=20)
    contact = forms.CharField(label=_("联系人"), max_length=50)
    contact_post = forms.CharField(label=_("联系人职务"), max_length=50)
    remarks = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    registration_level = forms.ChoiceField(
        label=_("注册（登记管理）部门层级"), choices=[("", "——请选择——"), *RegistrationLevel.choices]
    )
    registration_authority = forms.ChoiceField(
        label=_("注册（登记管理）部门"), choices=[("", "——请选择——"), *RegistrationAuthority.choices]
    )
    county_code = forms.ChoiceField(label=_("单位所在区市"), choices=_counties)
    zone_agency = forms.ChoiceField(
        label=_("所在功能区"), choices=_zones, required=False, help_text=_("单位位于高新区、开发区等功能区时选择")
    )
    industry = forms.ChoiceField(
        label=_("行业门类"), choices=_industries,
        help_text=_("按《国民经济行业分类》（GB/T 4754-2017）选择单位主营业务所属门类"),
    )  # fmt: skip
    size = forms.ChoiceField(
        label=_("企业规模"), choices=_sizes,
        help_text=_("按国家统计局《统计上大中小微型企业划分办法（2017）》；社团法人、民办非企法人等非企业单位选择“不适用”"),
    )  # fmt: skip

    SECTIONS = (
        (_("委托集体存档单位基本情况登记表"), ("name", "nature", "credit_code", "legal_representative", "founded_on",
                                            "registered_capital", "address", "postcode", "phone", "contact",
                                            "contact_post", "remarks")),
        (_("注册（登记管理）情况（确定存档机构，R2）"), ("registration_level", "registration_authority", "county_code",
                                                   "zone_agency")),
        (_("行业和规模（统计分析用，不印在登记表上）"), ("industry", "size")),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.required = name in EMPLOYER_REQUIRED
            field.error_messages["required"] = REQUIRED["required"]

    def clean(self) -> dict[str, Any]:
        """Every problem at once: the service's checks also run on fields that are present."""
        cleaned = super().clean() or {}
        data = {name: cleaned.get(name, self.data.get(name, "")) for name in self.fields}
        try:
            clean_employer(data, timezone.localdate())
        except ValidationFailed as exc:
            for name, messages in exc.fields.items():
                if name in self.fields and name not in self.errors:
                    for message in messages:
                        self.add_error(name, message)
        return cleaned


class AgreementForm(ServiceErrorsForm):
    term_years = forms.IntegerField(
        label=_("协议期限（年）"), min_value=1, max_value=10, initial=3, error_messages=REQUIRED
    )
    start_date = forms.DateField(label=_("委托存档起始日期"), widget=DateInput, error_messages=REQUIRED)
    services = forms.MultipleChoiceField(
        label=_("服务事项（附件1 二）"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=lambda: catalogue.choices(catalogue.EMPLOYER),
    )  # fmt: skip
    hr_contact_name = forms.CharField(label=_("人事专员姓名"), max_length=50, error_messages=REQUIRED)
    hr_contact_post = forms.CharField(label=_("人事专员职务"), max_length=50, error_messages=REQUIRED)
    hr_contact_phone = forms.CharField(label=_("人事专员电话"), max_length=20, error_messages=REQUIRED)
    supplement = forms.CharField(
        label=_("补充协议（每行一条）"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    moving = forms.BooleanField(
        label=_("变更委托存档机构"), required=False,
        help_text=_("单位现在其他机构委托集体存档、申请转到本机构时勾选；原协议自动终止"),
    )  # fmt: skip
    moving_note = forms.CharField(label=_("变更说明（单位申请等材料）"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start_date"].initial = timezone.localdate()


class ChangeForm(ServiceErrorsForm):
    field = forms.ChoiceField(
        label=_("变更内容"), choices=[("", "——请选择——"), *ChangeField.choices], error_messages=REQUIRED
    )
    after = forms.CharField(label=_("变更后信息"), max_length=1000, required=False)
    effective_on = forms.DateField(label=_("变更日期"), widget=DateInput, error_messages=REQUIRED)
    reported_on = forms.DateField(label=_("单位报告日期"), widget=DateInput, error_messages=REQUIRED)
    note = forms.CharField(label=_("变更证明材料"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reported_on"].initial = timezone.localdate()
        self.fields["after"].help_text = _(
            "性质填写代码（%(natures)s）；行业门类填写字母或名称（如 C 或 制造业）；企业规模填写%(sizes)s"
        ) % {
            "natures": "、".join(f"{c.code} {c.name}" for c in table("employer_nature").codes),
            "sizes": "、".join(c.name for c in table(SIZE_TABLE).codes),
        }


class DissolveForm(ServiceErrorsForm):
    kind = forms.ChoiceField(
        label=_("情形"),
        choices=[(EmployerStatus.DEREGISTERED, _("注销")), (EmployerStatus.REVOKED, _("吊销"))],
        widget=forms.RadioSelect,
        error_messages=REQUIRED,
    )
    on = forms.DateField(label=_("注销（吊销）日期"), widget=DateInput, error_messages=REQUIRED)
    note = forms.CharField(label=_("证明材料"), max_length=200, required=False)


class RenewForm(ServiceErrorsForm):
    years = forms.IntegerField(label=_("续签年限"), min_value=1, max_value=10, initial=3, error_messages=REQUIRED)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class DecideForm(ServiceErrorsForm):
    approve = forms.TypedChoiceField(
        label=_("审批意见"), choices=[("1", _("同意续签")), ("0", _("不予续签"))], coerce=lambda v: v == "1",
        widget=forms.RadioSelect, error_messages=REQUIRED,
    )  # fmt: skip
    note = forms.CharField(label=_("理由"), max_length=200, required=False)


class BreachForm(ServiceErrorsForm):
    on = forms.DateField(label=_("终止日期"), widget=DateInput, error_messages=REQUIRED)
    reason = forms.CharField(label=_("违反协议约定的情况"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class RosterAddForm(ServiceErrorsForm):
    dossier = forms.CharField(
        label=_("档案"), max_length=40, error_messages=REQUIRED, help_text=_("档案编号、条码或身份证号码")
    )
    joined_on = forms.DateField(label=_("纳入日期"), widget=DateInput, error_messages=REQUIRED)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["joined_on"].initial = timezone.localdate()


def _personal_form_fields() -> dict[str, forms.Field]:
    fields: dict[str, forms.Field] = {}
    for key, label in PERSONAL_FORM:
        widget = forms.Textarea(attrs={"rows": 2}) if key == "remarks" else None
        fields[key] = forms.CharField(label=label.replace(" ", ""), required=False, max_length=500, widget=widget)
    return fields


class PersonalTermsForm(ServiceErrorsForm):
    start_date = forms.DateField(label=_("委托存档起始日期"), widget=DateInput, error_messages=REQUIRED)
    services = forms.MultipleChoiceField(
        label=_("服务事项（附件2 二）"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=lambda: catalogue.choices(catalogue.PERSONAL),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start_date"].initial = timezone.localdate()
        self.fields.update(_personal_form_fields())

    def form_data(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(key) or "" for key, _label in PERSONAL_FORM}


class PersonalForm(PersonalTermsForm):
    situation = forms.ChoiceField(
        label=_("存档情形"),
        choices=[
            ("", "——请选择——"),
            *((v, label) for v, label in Situation.choices if v != Situation.COLLECTIVE_DEPARTURE),
        ],
        error_messages=REQUIRED,
    )
    # Taken from the person's record (R3, R4): shown, not edited here; the service refuses a different value.
    household_region = forms.ChoiceField(
        label=_("户籍所在地"), choices=_counties, required=False, disabled=True, help_text=RECORDED_HELP
    )
    pre_enrolment_region = forms.ChoiceField(
        label=_("入学前户籍所在地"), choices=_counties, required=False, disabled=True, help_text=RECORDED_HELP
    )
    former_employer_region = forms.ChoiceField(label=_("原用人单位所在地"), choices=_counties, required=False)
    work_region = forms.ChoiceField(label=_("就业、创业所在地"), choices=_counties, required=False)

    SECTIONS = (
        (_("存档情形与相关地点（确定存档机构，R3、R4）"), ("situation", "household_region", "pre_enrolment_region",
                                                     "former_employer_region", "work_region")),
        (_("协议内容"), ("start_date", "services")),
        (_("个人委托存档基本情况登记表"), tuple(key for key, _label in PERSONAL_FORM)),
    )  # fmt: skip


class DepartureForm(PersonalTermsForm):
    left_on = forms.DateField(label=_("离职日期"), widget=DateInput, error_messages=REQUIRED)
    choice = forms.ChoiceField(
        label=_("按离职人员意愿，档案去向"), choices=ExitChoice.choices, widget=forms.RadioSelect, required=False
    )
    transfer_to = forms.CharField(label=_("拟转往单位或机构"), max_length=100, required=False)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start_date"].required = False

    SECTIONS = (
        (_("离职报告"), ("left_on", "choice", "transfer_to", "note")),
        (_("转为个人委托存档时填写"), ("start_date", "services")),
        (_("个人委托存档基本情况登记表"), tuple(key for key, _label in PERSONAL_FORM)),
    )  # fmt: skip


class NoticeForm(ServiceErrorsForm):
    title = forms.CharField(label=_("标题"), max_length=100, error_messages=REQUIRED)
    body = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 5}), error_messages=REQUIRED)
    effective_on = forms.DateField(label=_("生效日期"), widget=DateInput, error_messages=REQUIRED)
