from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dangan.casework import registry
from dangan.casework.models import ApplicantKind, Channel
from dangan.certificates import texts
from dangan.certificates.selectors import certificate_types

REQUIRED = {"required": _("此项为必填项")}


def _type_choices() -> list[tuple[str, str]]:
    return [(t.code, t.name) for t in certificate_types()]


def _checklist() -> list[tuple[str, str]]:
    service_type = registry.get("certificate")
    return [(i.key, i.label) for i in service_type.checklist] if service_type else []


class ApplyForm(forms.Form):
    type_code = forms.ChoiceField(label=_("证明类型"), choices=_type_choices, error_messages=REQUIRED)
    person_id_number = forms.CharField(label=_("存档人员身份证号码"), max_length=18, error_messages=REQUIRED)
    applicant_kind = forms.ChoiceField(label=_("申请人类型"), choices=ApplicantKind.choices)
    applicant_name = forms.CharField(label=_("申请人姓名或单位名称"), max_length=100, error_messages=REQUIRED)
    applicant_id_number = forms.CharField(label=_("申请人证件号码或统一社会信用代码"), max_length=32, required=False)
    applicant_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    purpose = forms.CharField(label=_("证明用途"), max_length=100, required=False)
    addressee = forms.CharField(label=_("致（接收单位）"), max_length=100, required=False)
    channel = forms.ChoiceField(
        label=_("渠道"), choices=[(Channel.COUNTER, _("窗口")), (Channel.ONLINE, _("网办"))], initial=Channel.COUNTER
    )
    documents = forms.MultipleChoiceField(
        label=_("已收取的材料"), widget=forms.CheckboxSelectMultiple, required=False, choices=_checklist
    )


class DecideForm(forms.Form):
    to = forms.ChoiceField(
        label=_("办理"), choices=[("approved", _("审核通过")), ("rejected", _("不予出具")), ("withdrawn", _("撤回"))]
    )
    note = forms.CharField(label=_("意见"), max_length=500, required=False)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("作废原因"), max_length=200, error_messages=REQUIRED)


def _placeholder_help() -> str:
    return "；".join(f"{{{p.key}}} {p.title}" for p in texts.PLACEHOLDERS)


class TypeForm(forms.Form):
    code = forms.SlugField(label=_("代码"), max_length=30, error_messages=REQUIRED)
    name = forms.CharField(label=_("证明名称"), max_length=50, error_messages=REQUIRED)
    body = forms.CharField(label=_("证明正文模板"), widget=forms.Textarea(attrs={"rows": 10}), error_messages=REQUIRED)
    needs_approval = forms.BooleanField(label=_("须经审核"), required=False)
    valid_days = forms.IntegerField(label=_("有效期（天，留空为长期有效）"), required=False, min_value=1)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)
    sort_order = forms.IntegerField(label=_("排序"), initial=100, min_value=0, max_value=32767)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = _("可用的档案记载项：") + _placeholder_help()
