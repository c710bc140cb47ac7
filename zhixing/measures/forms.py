"""强制措施的表单：a fine or detention proposed by the judge, and the public search."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhixing.measures.models import ListEntry

# The acts a fine or detention punishes (keys of services.SANCTION_ACTS), as the judge reads them.
SANCTION_ACT_LABELS: dict[str, Any] = {
    "refusal_to_perform": _("拒不履行人民法院已经发生法律效力的判决、裁定"),
    "asset_report_violated": _("拒绝报告、虚假报告财产或者无正当理由逾期报告财产"),
    "consumption_order_violated": _("违反限制消费令"),
    "sealed_property": _("隐藏、转移、变卖、毁损已被查封、扣押、冻结的财产"),
    "evidence": _("伪造、毁灭重要证据，妨碍人民法院执行"),
    "witness": _("以暴力、威胁、贿买方法阻止证人作证或者指使、贿买、胁迫他人作伪证"),
    "retaliation": _("对司法工作人员、诉讼参加人、证人、协助执行的人进行侮辱、诽谤、诬陷、殴打或者打击报复"),
    "obstructing_officers": _("以暴力、威胁或者其他方法阻碍司法工作人员执行职务"),
}
SANCTION_KIND_CHOICES = [("fine", _("罚款")), ("detention", _("司法拘留"))]


class SanctionForm(forms.Form):
    party = forms.TypedChoiceField(label=_("对象"), coerce=int, choices=())
    kind = forms.ChoiceField(label=_("措施"), choices=SANCTION_KIND_CHOICES)
    act = forms.ChoiceField(label=_("妨害执行的行为"), choices=list(SANCTION_ACT_LABELS.items()))
    amount = forms.CharField(label=_("罚款金额（元）"), required=False, max_length=20)
    days = forms.IntegerField(label=_("拘留日数"), required=False, min_value=1)
    note = forms.CharField(label=_("事实和理由"), required=False, max_length=2000)

    def __init__(self, *args: Any, parties: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = parties  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == "fine" and not (data.get("amount") or "").strip():
            self.add_error("amount", _("罚款须填写金额"))
        if data.get("kind") == "detention" and not data.get("days"):
            self.add_error("days", _("拘留须填写日数"))
        return data


class PublicSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=64)
    list = forms.ChoiceField(required=False, choices=[("", _("全部名单")), *ListEntry.Kind.choices])
