"""经验交流的表单：the search filters and the item form (the services validate again and decide)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zhixing.knowledge.models import KnowledgeItem, KnowledgeKind


class SearchForm(forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("类别"), required=False, choices=())
    tag = forms.CharField(label=_("标签"), required=False, max_length=16)
    court = forms.ChoiceField(label=_("发布法院"), required=False, choices=())

    def __init__(self, *args: Any, courts: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("全部")), *KnowledgeKind.choices]  # type: ignore[attr-defined]
        self.fields["court"].choices = [("", _("全部")), *courts]  # type: ignore[attr-defined]
        self.fields["q"].widget.attrs.update({"type": "search", "placeholder": _("标题、摘要、正文、标签")})


class ItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=KnowledgeKind.choices)
    title = forms.CharField(label=_("标题"), max_length=120)
    summary = forms.CharField(
        label=_("摘要"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    body = forms.CharField(
        label=_("正文"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("纯文本；空一行分段。发布前须填写。"),
    )
    tags = forms.CharField(
        label=_("标签"),
        required=False,
        max_length=200,
        help_text=_("以逗号、顿号或空格分隔，最多 8 个，每个不超过 16 个字"),
    )
    citations = forms.CharField(
        label=_("引用依据"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一条，如：《中华人民共和国刑法》第三百一十三条"),
    )
    source_case = forms.CharField(
        label=_("来源案件（案号）"),
        required=False,
        max_length=64,
        help_text=_("典型案例所取材的执行案件，须为您可查看的案件"),
    )

    @classmethod
    def initial_for(cls, item: KnowledgeItem) -> dict[str, Any]:
        return {
            "kind": item.kind,
            "title": item.title,
            "summary": item.summary,
            "body": item.body,
            "tags": "、".join(item.tags),
            "citations": "\n".join(item.citations),
            "source_case": item.source_case.case_number if item.source_case else "",
        }


class LinkForm(forms.Form):
    item = forms.IntegerField(min_value=1)
    note = forms.CharField(required=False, max_length=200)
