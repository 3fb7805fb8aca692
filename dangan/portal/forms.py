from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangan.agreements import catalogue
from dangan.agreements.models import ChangeField, ExitChoice
from dangan.core.codetables import table
from dangan.portal.models import AccountKind

REQUIRED = {"required": _("此项为必填项")}


class SignUpForm(forms.Form):
    kind = forms.ChoiceField(label=_("注册类型"), choices=AccountKind.choices, initial=AccountKind.PERSON)
    name = forms.CharField(label=_("姓名（单位注册填单位名称）"), max_length=100, error_messages=REQUIRED)
    id_number = forms.CharField(label=_("身份证号码（个人）"), max_length=18, required=False)
    credit_code = forms.CharField(label=_("统一社会信用代码（单位）"), max_length=18, required=False)
    phone = forms.CharField(label=_("手机号码"), max_length=14, error_messages=REQUIRED)
    password = forms.CharField(label=_("设置密码"), strip=False, widget=forms.PasswordInput, error_messages=REQUIRED)


class SignInForm(forms.Form):
    phone = forms.CharField(label=_("手机号码"), max_length=14, error_messages={"required": _("请输入手机号码")})
    password = forms.CharField(
        label=_("密码"), strip=False, widget=forms.PasswordInput, error_messages={"required": _("请输入密码")}
    )


class DateInput(forms.DateInput):
    """An HTML date input: its value is ISO whatever the locale's date format."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:
        super().__init__(attrs, format or "%Y-%m-%d")


DATE_ERRORS = {"required": _("请填写日期"), "invalid": _("日期格式应为YYYY-MM-DD")}


class ReportForm(forms.Form):
    """Shapes the input only: the report services check the rules and name the fields in error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if getattr(field.widget, "input_type", "") in ("checkbox", "radio"):
                field.widget.attrs["style"] = "width:auto;flex:none;margin-top:.3rem"


class DepartureReportForm(ReportForm):
    left_on = forms.DateField(label=_("离职日期"), widget=DateInput, error_messages=DATE_ERRORS)
    choice = forms.ChoiceField(
        label=_("按离职职工意愿，档案去向"), choices=ExitChoice.choices, widget=forms.RadioSelect, required=False
    )
    transfer_to = forms.CharField(
        label=_("拟转往单位或机构"), max_length=100, required=False, help_text=_("选择办理档案转出时填写"),
        error_messages={"max_length": _("不能超过%(limit_value)d个字")},
    )  # fmt: skip
    personal_services = forms.MultipleChoiceField(
        label=_("个人委托存档服务事项"), required=False, help_text=_("选择签订个人委托存档协议时勾选（附件2 二）"),
        widget=forms.CheckboxSelectMultiple, choices=lambda: catalogue.choices(catalogue.PERSONAL),
        error_messages={"invalid_choice": _("请从所列服务事项中选择")},
    )  # fmt: skip
    note = forms.CharField(label=_("说明"), max_length=200, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["left_on"].initial = timezone.localdate()
        self.fields["personal_services"].initial = catalogue.codes(catalogue.PERSONAL)


def _nature_help() -> str:
    return "、".join(f"{c.code} {c.name}" for c in table("employer_nature").codes)


class ChangeReportForm(ReportForm):
    field = forms.ChoiceField(
        label=_("变更内容"), choices=[("", _("——请选择——")), *ChangeField.choices], required=False
    )
    new_value = forms.CharField(label=_("变更后信息"), max_length=200, required=False)
    effective_on = forms.DateField(label=_("变更日期"), widget=DateInput, error_messages=DATE_ERRORS)
    note = forms.CharField(label=_("说明"), max_length=200, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_value"].help_text = _("单位性质填写代码或名称：%(n)s") % {"n": _nature_help()}


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("退回原因"), max_length=200, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写退回原因")},
    )  # fmt: skip
