from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangan.agencies.models import Agency
from dangan.casework import registry
from dangan.dossiers import delivery
from dangan.dossiers.forms import DateInput
from dangan.transfers.models import RequesterKind

REQUIRED = {"required": _("此项为必填项")}


def _agencies() -> Any:
    return Agency.objects.filter(holds_dossiers=True, is_active=True).order_by("path")


class ApplyForm(forms.Form):
    person_id_number = forms.CharField(label=_("存档人员身份证号码"), max_length=18, error_messages=REQUIRED)
    requester_kind = forms.ChoiceField(
        label=_("申请人"), choices=[(k, v) for k, v in RequesterKind.choices if k != RequesterKind.AGENCY]
    )
    applicant_name = forms.CharField(label=_("申请人姓名或单位名称"), max_length=100, error_messages=REQUIRED)
    applicant_id_number = forms.CharField(label=_("申请人证件号码"), max_length=32, required=False)
    applicant_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    to_agency = forms.ModelChoiceField(label=_("接收机构（平台内）"), queryset=_agencies(), required=False)
    to_name = forms.CharField(label=_("接收单位（平台外）"), max_length=100, required=False)
    to_address = forms.CharField(label=_("接收地址"), max_length=200, required=False)
    reason = forms.CharField(label=_("转递原因"), max_length=200, error_messages=REQUIRED)
    letter_number = forms.CharField(label=_("调档函编号"), max_length=30, required=False)
    graduate_labour_ended = forms.BooleanField(label=_("毕业生解除劳动关系后转档（R16）"), required=False)
    documents = forms.MultipleChoiceField(
        label=_("已收取的材料"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        choices=lambda: [(i.key, i.label) for i in registry.get("transfer_out").checklist],  # type: ignore[union-attr]
    )


class DispatchForm(forms.Form):
    way = forms.ChoiceField(label=_("转递方式"), choices=lambda: delivery.choices(include_self_carry=True))
    tracking_no = forms.CharField(label=_("运单号/机要编号"), max_length=40, error_messages=REQUIRED)
    dispatched_on = forms.DateField(label=_("发出日期"), widget=DateInput, initial=timezone.localdate)
    items = forms.IntegerField(label=_("档案材料份数"), min_value=1, max_value=9999)


class ReceiveForm(forms.Form):
    arrived_by = forms.ChoiceField(label=_("送达方式"), choices=lambda: delivery.choices(include_self_carry=True))
    seal_intact = forms.BooleanField(label=_("密封完好、骑缝章完整"), required=False, initial=True)
    catalogue_matches = forms.BooleanField(label=_("与档案材料目录相符"), required=False, initial=True)
    note = forms.CharField(label=_("接收说明"), max_length=200, required=False)


class SlipForm(forms.Form):
    returned_on = forms.DateField(label=_("回执退回日期"), widget=DateInput)
    signed_by = forms.CharField(label=_("回执签收单位"), max_length=100, error_messages=REQUIRED)


class LetterForm(forms.Form):
    person_name = forms.CharField(label=_("姓名"), max_length=50, error_messages=REQUIRED)
    person_id_number = forms.CharField(label=_("身份证号码"), max_length=18, error_messages=REQUIRED)
    holder_agency = forms.ModelChoiceField(label=_("档案现存机构（平台内）"), queryset=_agencies(), required=False)
    holder_name = forms.CharField(label=_("档案现存单位（平台外）"), max_length=100, required=False)
    reason = forms.CharField(label=_("调档原因"), max_length=200, error_messages=REQUIRED)


class HandOverForm(forms.Form):
    person_id_number = forms.CharField(label=_("存档人员身份证号码"), max_length=18, error_messages=REQUIRED)
    kind = forms.ChoiceField(label=_("移交类型"), choices=[("retirement", _("退休移交")), ("death", _("死亡移交"))])
    to_agency = forms.ModelChoiceField(
        label=_("接收机构（户籍所在地乡镇、街道人社服务机构）"),
        queryset=Agency.objects.filter(level="township", is_active=True).order_by("path"),
        required=False,
    )
    to_name = forms.CharField(label=_("接收单位（平台外，如社保经办机构、档案馆）"), max_length=100, required=False)
    basis = forms.CharField(label=_("移交依据"), max_length=200, error_messages=REQUIRED)
    early_retirement_approval = forms.CharField(
        label=_("提前退休批准文件"), max_length=100, required=False,
        help_text=_("未达法定退休年龄、经批准提前退休的，填写批准文件名称和文号"),
    )  # fmt: skip
