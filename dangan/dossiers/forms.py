from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangan.core.codetables import region_name, table
from dangan.dossiers import delivery
from dangan.dossiers.models import EntrustmentType, Person, SourceKind

REQUIRED = {"required": _("此项为必填项")}


def _code_choices(name: str, blank: str = "请选择") -> list[tuple[str, str]]:
    return [("", f"——{blank}——"), *table(name).choices()]


def _region_choices() -> list[tuple[str, str]]:
    regions = table("regions").codes
    shandong = [
        (c.code, region_name(c.code)) for c in regions if c.code.startswith("37") and c.extra["level"] == "county"
    ]
    others = [(c.code, region_name(c.code)) for c in regions if not c.code.startswith("37") and c.name != "市辖区"]
    return [("", "——请选择——"), ("山东省", shandong), ("其他省份", others)]  # type: ignore[list-item]


class DateInput(forms.DateInput):
    """An HTML date picker; its value must be ISO whatever the display locale."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class IntakeForm(forms.Form):
    # 人员基础信息 (items of the collection standard; see basicinfo.py)
    name = forms.CharField(label=_("姓名"), max_length=50, error_messages=REQUIRED)
    id_type = forms.ChoiceField(label=_("证件类型"), choices=Person.IdType.choices, initial=Person.IdType.RESIDENT_ID)
    id_number = forms.CharField(label=_("证件号码"), max_length=32, error_messages=REQUIRED)
    sex = forms.ChoiceField(
        label=_("性别"), choices=_code_choices("sex"), required=False, help_text=_("可由身份证号码自动识别")
    )
    birth_date = forms.DateField(
        label=_("出生日期"), required=False, widget=DateInput, help_text=_("可由身份证号码自动识别")
    )
    ethnic_group = forms.ChoiceField(label=_("民族"), choices=_code_choices("ethnic_group"), error_messages=REQUIRED)
    native_place = forms.CharField(label=_("籍贯"), max_length=50, error_messages=REQUIRED)
    household_region = forms.ChoiceField(label=_("户籍所在地"), choices=_region_choices, error_messages=REQUIRED)
    political_status = forms.ChoiceField(
        label=_("政治面貌"), choices=_code_choices("political_status"), error_messages=REQUIRED
    )
    party_joined_on = forms.DateField(label=_("入党（团）时间"), required=False, widget=DateInput)
    work_started_on = forms.DateField(label=_("参加工作时间"), required=False, widget=DateInput)
    person_category = forms.ChoiceField(
        label=_("人员类别"), choices=_code_choices("person_category"), error_messages=REQUIRED
    )
    phone = forms.CharField(label=_("联系电话"), max_length=20, error_messages=REQUIRED)
    # 学历 (highest)
    education = forms.ChoiceField(label=_("最高学历"), choices=_code_choices("education"), required=False)
    degree = forms.ChoiceField(label=_("最高学位"), choices=_code_choices("degree", "无"), required=False)
    school = forms.CharField(label=_("毕业院校"), max_length=100, required=False)
    major = forms.CharField(label=_("所学专业"), max_length=100, required=False)
    graduated_on = forms.DateField(label=_("毕业时间"), required=False, widget=DateInput)
    # 工作单位 (current)
    employer_name = forms.CharField(label=_("工作单位"), max_length=100, required=False)
    credit_code = forms.CharField(label=_("单位统一社会信用代码"), max_length=18, required=False)
    # 档案来源与送达
    entrustment_type = forms.ChoiceField(
        label=_("存档类型"), choices=EntrustmentType.choices, initial=EntrustmentType.PERSONAL
    )
    source_kind = forms.ChoiceField(
        label=_("档案来源类型"), choices=[("", "——请选择——"), *SourceKind.choices], error_messages=REQUIRED
    )
    source_name = forms.CharField(label=_("档案来源（单位或机构名称）"), max_length=100, error_messages=REQUIRED)
    delivery = forms.ChoiceField(label=_("送达方式"), choices=delivery.choices, error_messages=REQUIRED)
    seal_intact = forms.BooleanField(label=_("密封完好、骑缝章完整"), required=False, initial=True)
    anomalies = forms.CharField(label=_("异常情况"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    received_on = forms.DateField(label=_("接收日期"), widget=DateInput, error_messages=REQUIRED)
    # 告知承诺 (only when key materials are missing, R11)
    party_name = forms.CharField(label=_("告知对象（本人或单位）"), max_length=100, required=False)
    acknowledged = forms.BooleanField(label=_("当事人已签署知情说明并承诺补充"), required=False)
    commitment_deadline = forms.DateField(label=_("承诺补充期限"), required=False, widget=DateInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["received_on"].initial = today
        self.fields["commitment_deadline"].initial = today + datetime.timedelta(days=settings.DANGAN_GAP_DEFAULT_DAYS)

    SECTIONS = (
        (_("人员基础信息"), ("name", "id_type", "id_number", "sex", "birth_date", "ethnic_group", "native_place",
                            "household_region", "political_status", "party_joined_on", "work_started_on",
                            "person_category", "phone")),
        (_("最高学历"), ("education", "degree", "school", "major", "graduated_on")),
        (_("现工作单位"), ("employer_name", "credit_code")),
        (_("档案来源与送达"), ("entrustment_type", "source_kind", "source_name", "delivery", "seal_intact", "anomalies",
                              "received_on")),
    )  # fmt: skip
    COMMITMENT = ("party_name", "acknowledged", "commitment_deadline")

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(str(title), [self[name] for name in names]) for title, names in self.SECTIONS]

    def commitment_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.COMMITMENT]


class MissingMaterialForm(forms.Form):
    material_class = forms.ChoiceField(
        label=_("材料类别"), choices=lambda: [("", "——"), *table("material_class").leaf_choices()]
    )
    title = forms.CharField(label=_("缺少的材料"), max_length=100)
    consequence = forms.CharField(label=_("可能产生的影响"), max_length=200, required=False)


MissingMaterialFormSet = forms.formset_factory(MissingMaterialForm, extra=3, max_num=20)
