from django import forms
from django.utils.translation import gettext_lazy as _


class LoginForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150, error_messages={"required": _("请输入用户名")})
    password = forms.CharField(
        label=_("密码"), strip=False, widget=forms.PasswordInput, error_messages={"required": _("请输入密码")}
    )
