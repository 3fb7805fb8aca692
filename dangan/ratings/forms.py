from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangan.casework import registry
from dangan.dossiers.forms import DateInput
from dangan.ratings.grades import Grade

REQUIRED = {"required": _("此项为必填项")}


def _service_choices() -> list[tuple[str, str]]:
    return [("", gettext("窗口咨询及其他")), *((t.code, t.label) for t in registry.all_types())]


class VisitForm(forms.Form):
    service_type = forms.ChoiceField(label=_("服务事项"), choices=_service_choices, required=False)
    request_number = forms.CharField(label=_("办件编号（如有）"), max_length=24, required=False)


class RateForm(forms.Form):
    grade = forms.ChoiceField(
        label=_("您对本次服务的评价"),
        choices=Grade.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择评价等级")},
    )
    comment = forms.CharField(
        label=_("意见建议"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class VerifyForm(forms.Form):
    verification = forms.CharField(
        label=_("核实情况"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, error_messages=REQUIRED
    )
    substantiated = forms.BooleanField(label=_("反映问题属实"), required=False)


class AnswerForm(forms.Form):
    rectification = forms.CharField(
        label=_("整改措施（问题属实时必填）"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )
    answer = forms.CharField(
        label=_("答复评价人"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, error_messages=REQUIRED
    )


class AppealForm(forms.Form):
    reason = forms.CharField(
        label=_("申诉理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, error_messages=REQUIRED
    )


class DecisionForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("申诉处理"),
        choices=[("1", _("申诉成立（该评价不计入统计）")), ("0", _("申诉不成立"))],
        coerce=lambda v: v == "1",
    )
    decision = forms.CharField(
        label=_("处理意见"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, error_messages=REQUIRED
    )


class ReportForm(forms.Form):
    by = forms.ChoiceField(
        label=_("统计口径"),
        choices=[("agency", _("按机构")), ("service_type", _("按服务事项")), ("staff", _("按经办人员"))],
        required=False,
    )
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=DateInput)
