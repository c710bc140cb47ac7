from django import forms
from django.utils.translation import gettext_lazy as _

from zhixing.core.models import Party


class LoginForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput)
    totp_code = forms.CharField(label=_("动态口令（如已启用）"), max_length=8, required=False)


class PartyRegisterForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=Party.Kind.choices)
    name = forms.CharField(label=_("姓名/名称"), max_length=128)
    id_number = forms.CharField(label=_("身份证号/统一社会信用代码"), max_length=32)
    legal_representative = forms.CharField(label=_("法定代表人/负责人"), max_length=64, required=False)
    phone = forms.CharField(label=_("电话"), max_length=32, required=False)
    address = forms.CharField(label=_("送达地址"), max_length=255, required=False)


class RevealForm(forms.Form):
    purpose = forms.CharField(label=_("查看用途"), max_length=200)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("批准")), ("reject", _("不予批准"))])
    reason = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TotpConfirmForm(forms.Form):
    code = forms.CharField(label=_("动态口令"), max_length=8)


class TokenForm(forms.Form):
    name = forms.CharField(label=_("令牌用途"), max_length=64)
