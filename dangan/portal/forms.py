from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

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
