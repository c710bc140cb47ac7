"""表单：preview, receipts, returns, announcements."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class PreviewForm(forms.Form):
    context = forms.CharField(label=_("文书数据（JSON）"), widget=forms.Textarea(attrs={"rows": 14}))

    def clean_context(self) -> dict[str, Any]:
        try:
            data = json.loads(self.cleaned_data["context"])
        except json.JSONDecodeError as e:
            raise forms.ValidationError(_("不是有效的 JSON：%(e)s") % {"e": e}) from e
        if not isinstance(data, dict):
            raise forms.ValidationError(_("应为 JSON 对象"))
        return data


class ReceiptForm(forms.Form):
    received_on = forms.DateField(label=_("签收/收件日期"), widget=forms.DateInput(attrs={"type": "date"}))
    receipt = forms.CharField(label=_("回证说明"), required=False, max_length=500)


class SendForm(forms.Form):
    tracking_number = forms.CharField(label=_("邮件单号"), required=False, max_length=64)
    published_on = forms.DateField(
        label=_("公告日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回原因"), max_length=200)
