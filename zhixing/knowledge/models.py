"""经验交流：the library of typical cases (典型案例), practice notes (办案经验) and rule notes (规范指引),
and their links to enforcement cases.

Written only through ``services``; ``tags_text`` is the tags joined as ``|a|b|`` so that searching and
filtering by tag is one portable LIKE on SQLite and PostgreSQL (SQLite stores JSON with ``\\u`` escapes).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhixing.cases.models import EnforcementCase
from zhixing.core.models import Court, User


class KnowledgeKind(models.TextChoices):
    TYPICAL_CASE = "typical_case", _("典型案例")
    PRACTICE_NOTE = "practice_note", _("办案经验")
    RULE_NOTE = "rule_note", _("规范指引")


class KnowledgeItem(models.Model):
    """经验材料：one typical case, practice note or rule note, published by a court for the whole city."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        WITHDRAWN = "withdrawn", _("已撤回")

    kind = models.CharField(_("类别"), max_length=16, choices=KnowledgeKind.choices)
    title = models.CharField(_("标题"), max_length=120)
    summary = models.CharField(_("摘要"), max_length=500, blank=True)
    body = models.TextField(_("正文"), blank=True)
    tags = models.JSONField(_("标签"), default=list, blank=True)
    tags_text = models.CharField(_("标签（检索用）"), max_length=400, blank=True, editable=False)
    citations = models.JSONField(_("引用依据"), default=list, blank=True)
    court = models.ForeignKey(
        Court, verbose_name=_("发布法院"), on_delete=models.PROTECT, related_name="knowledge_items"
    )
    author = models.ForeignKey(
        User, verbose_name=_("撰写人"), on_delete=models.PROTECT, related_name="knowledge_items"
    )
    source_case = models.ForeignKey(
        EnforcementCase,
        verbose_name=_("来源案件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        User, verbose_name=_("发布人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_reason = models.CharField(_("撤回理由"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("修改时间"), default=timezone.now)

    class Meta:
        verbose_name = _("经验材料")
        verbose_name_plural = _("经验材料")
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["status", "-updated_at"], name="knowledge_status_updated")]

    def __str__(self) -> str:
        return self.title


class KnowledgeLink(models.Model):
    """案件关联的经验材料：a team marks an item as relevant to its case."""

    item = models.ForeignKey(
        KnowledgeItem, verbose_name=_("经验材料"), on_delete=models.PROTECT, related_name="links"
    )
    case = models.ForeignKey(
        EnforcementCase, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="knowledge_links"
    )
    linked_by = models.ForeignKey(User, verbose_name=_("关联人"), on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("关联时间"), default=timezone.now)

    class Meta:
        verbose_name = _("案件关联")
        verbose_name_plural = _("案件关联")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["item", "case"], name="knowledge_link_once")]

    def __str__(self) -> str:
        return f"{self.case} · {self.item}"
