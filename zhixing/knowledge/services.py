"""经验交流的写操作：write, edit, publish and withdraw an item (journaled on the publishing court's
``org:<court_code>`` stream), link and unlink it to a case (journaled on the case's stream).

Every function is keyword-only and runs in one transaction; bad input and refused acts raise a
``ServiceError`` with a Chinese message before anything is written. Who may do what: ``policy``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.cases import services as case_services
from zhixing.cases.models import EnforcementCase
from zhixing.core.errors import Conflict, NotFound, PermissionDenied, ServiceError
from zhixing.core.journal import journal_append
from zhixing.core.models import User
from zhixing.core.roles import Role
from zhixing.core.scoping import scoped
from zhixing.knowledge import policy
from zhixing.knowledge.models import KnowledgeItem, KnowledgeKind, KnowledgeLink

S = KnowledgeItem.Status
TITLE_MAX = 120
SUMMARY_MAX = 500
BODY_MAX = 20000
TAG_MAX = 16
TAGS_MAX = 8
CITATION_MAX = 200
CITATIONS_MAX = 20
NOTE_MAX = 200
REASON_MAX = 500
_TAG_SPLIT = re.compile(r"[,，、;；\s]+")
_UNSET: Any = object()


def _roles(roles: Iterable[str]) -> str:
    return "、".join(str(Role(r).label) for r in sorted(roles))


# --- input -----------------------------------------------------------------------------------------------
def clean_tags(value: str | Iterable[str] | None) -> list[str]:
    """Tags from a list or from text separated by commas, 、, semicolons or spaces: stripped, unique."""
    if value is None:
        return []
    raw = _TAG_SPLIT.split(value) if isinstance(value, str) else [str(v) for v in value]
    tags: list[str] = []
    for t in raw:
        t = t.strip().lstrip("#＃")
        if not t or t in tags:
            continue
        if "|" in t:
            raise ServiceError(f"标签「{t}」不能含有竖线「|」", code="bad_tag", field="tags")
        if len(t) > TAG_MAX:
            raise ServiceError(
                f"标签「{t}」过长：每个标签不超过 {TAG_MAX} 个字", code="tag_too_long", field="tags"
            )
        tags.append(t)
    if len(tags) > TAGS_MAX:
        raise ServiceError(f"标签不能超过 {TAGS_MAX} 个", code="too_many_tags", field="tags")
    return tags


def clean_citations(value: str | Iterable[str] | None) -> list[str]:
    """Citations from a list or from text, one a line (e.g. 《民事诉讼法》第二百五十二条)."""
    if value is None:
        return []
    raw = value.splitlines() if isinstance(value, str) else [str(v) for v in value]
    out: list[str] = []
    for c in raw:
        c = c.strip()
        if not c or c in out:
            continue
        if len(c) > CITATION_MAX:
            raise ServiceError(
                f"引用依据每条不超过 {CITATION_MAX} 个字", code="citation_too_long", field="citations"
            )
        out.append(c)
    if len(out) > CITATIONS_MAX:
        raise ServiceError(
            f"引用依据不能超过 {CITATIONS_MAX} 条", code="too_many_citations", field="citations"
        )
    return out


def _text(value: str | None, *, field: str, label: str, limit: int, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ServiceError(f"{label}不能为空", code=f"{field}_required", field=field)
    if len(text) > limit:
        raise ServiceError(f"{label}不能超过 {limit} 个字", code=f"{field}_too_long", field=field)
    return text


def _kind(value: str) -> str:
    if value not in KnowledgeKind.values:
        raise ServiceError(f"未知的类别：{value or '（空）'}", code="unknown_kind", field="kind")
    return value


def _source_case(actor: User, case_id: int | None) -> EnforcementCase | None:
    """The source case, if the author may see it (team roles: their own team's cases only)."""
    if case_id is None:
        return None
    case = scoped(EnforcementCase.objects.all(), actor, team_field="team").filter(pk=case_id).first()
    if case is None:
        raise NotFound("来源案件不存在或无权查看", field="source_case")
    return case


def _tags_text(tags: list[str]) -> str:
    return f"|{'|'.join(tags)}|" if tags else ""


def _org_journal(item: KnowledgeItem, event: str, actor: User, **payload: Any) -> None:
    journal_append(
        stream=f"org:{item.court.court_code}",
        kind=event,
        actor=actor,
        court=item.court,
        payload={"item": item.pk, "title": item.title, **payload},
    )


def _item_for(actor: User, item_id: int) -> KnowledgeItem:
    """The item, locked, if ``actor`` may see it; else NotFound (as a 404 would say)."""
    item = (
        KnowledgeItem.objects.select_for_update(of=("self",))
        .select_related("court")
        .filter(pk=item_id)
        .first()
    )
    if item is None or not policy.may_view(actor, item):
        raise NotFound("经验材料不存在或无权查看")
    return item


# --- items -----------------------------------------------------------------------------------------------
def knowledge_item_create(
    *,
    actor: User,
    kind: str,
    title: str,
    summary: str = "",
    body: str = "",
    tags: str | Iterable[str] | None = None,
    citations: str | Iterable[str] | None = None,
    source_case_id: int | None = None,
) -> KnowledgeItem:
    """撰写经验材料（草稿）：the publishing court is the author's court."""
    if not policy.may_write(actor):
        raise PermissionDenied(f"撰写经验材料须由{_roles(policy.WRITER_ROLES)}办理")
    assert actor.court is not None
    tag_list = clean_tags(tags)
    fields: dict[str, Any] = {
        "kind": _kind(kind),
        "title": _text(title, field="title", label="标题", limit=TITLE_MAX, required=True),
        "summary": _text(summary, field="summary", label="摘要", limit=SUMMARY_MAX),
        "body": _text(body, field="body", label="正文", limit=BODY_MAX),
        "tags": tag_list,
        "citations": clean_citations(citations),
    }
    with transaction.atomic():
        source = _source_case(actor, source_case_id)
        now = timezone.now()
        item = KnowledgeItem.objects.create(
            **fields,
            tags_text=_tags_text(tag_list),
            court=actor.court,
            author=actor,
            source_case=source,
            created_at=now,
            updated_at=now,
        )
        _org_journal(item, "knowledge.created", actor, kind=item.kind)
    return item


def knowledge_item_update(
    *,
    actor: User,
    item_id: int,
    kind: str = _UNSET,
    title: str = _UNSET,
    summary: str = _UNSET,
    body: str = _UNSET,
    tags: str | Iterable[str] | None = _UNSET,
    citations: str | Iterable[str] | None = _UNSET,
    source_case_id: int | None = _UNSET,
) -> KnowledgeItem:
    """修改经验材料：the author while it is not published, the court's bureau chief at any time.
    Only the fields passed change; the journal names them."""
    with transaction.atomic():
        item = _item_for(actor, item_id)
        if not policy.may_edit(actor, item):
            if item.author_id == actor.pk and item.status == S.PUBLISHED:
                raise PermissionDenied("已发布的经验材料须先撤回，或由本院执行局长修改", code="published")
            raise PermissionDenied("只能修改本人撰写的经验材料（本院执行局长可修改本院的经验材料）")
        new: dict[str, Any] = {}
        if kind is not _UNSET:
            new["kind"] = _kind(kind)
        if title is not _UNSET:
            new["title"] = _text(title, field="title", label="标题", limit=TITLE_MAX, required=True)
        if summary is not _UNSET:
            new["summary"] = _text(summary, field="summary", label="摘要", limit=SUMMARY_MAX)
        if body is not _UNSET:
            new["body"] = _text(body, field="body", label="正文", limit=BODY_MAX)
            if item.status == S.PUBLISHED and not new["body"]:
                raise ServiceError("已发布的经验材料正文不能为空", code="body_required", field="body")
        if tags is not _UNSET:
            new["tags"] = clean_tags(tags)
            new["tags_text"] = _tags_text(new["tags"])
        if citations is not _UNSET:
            new["citations"] = clean_citations(citations)
        if source_case_id is not _UNSET and source_case_id != item.source_case_id:
            new["source_case"] = _source_case(actor, source_case_id)
        changed: list[str] = []
        for k, v in new.items():
            if k == "source_case":
                if item.source_case_id != (v.pk if v else None):
                    changed.append(k)
            elif k != "tags_text" and getattr(item, k) != v:
                changed.append(k)
        if not changed:
            return item
        for k, v in new.items():
            setattr(item, k, v)
        item.updated_at = timezone.now()
        item.save()
        _org_journal(item, "knowledge.updated", actor, fields=sorted(changed))
    return item


def knowledge_item_publish(*, actor: User, item_id: int) -> KnowledgeItem:
    """发布：a bureau chief, president, command operator or supervisor; visible city-wide from now on."""
    with transaction.atomic():
        item = _item_for(actor, item_id)
        if actor.role not in policy.PUBLISHER_ROLES:
            raise PermissionDenied(f"发布经验材料须由{_roles(policy.PUBLISHER_ROLES)}办理")
        if item.status == S.PUBLISHED:
            raise Conflict("该经验材料已经发布", code="already_published")
        if not policy.may_publish(actor, item):
            raise PermissionDenied("只能发布本院的经验材料")
        if not item.body.strip():
            raise ServiceError("正文为空，不能发布", code="body_required", field="body")
        item.status = S.PUBLISHED
        item.published_at = item.updated_at = timezone.now()
        item.published_by = actor
        item.withdrawn_reason = ""
        item.save()
        _org_journal(item, "knowledge.published", actor, kind=item.kind, tags=item.tags)
    return item


def knowledge_item_withdraw(*, actor: User, item_id: int, reason: str) -> KnowledgeItem:
    """撤回（须说明理由）：the item leaves the library; its links to cases stay (seen by its author and
    the court's bureau chief)."""
    why = _text(reason, field="reason", label="撤回理由", limit=REASON_MAX, required=True)
    with transaction.atomic():
        item = _item_for(actor, item_id)
        if actor.role not in policy.PUBLISHER_ROLES:
            raise PermissionDenied(f"撤回经验材料须由{_roles(policy.PUBLISHER_ROLES)}办理")
        if item.status != S.PUBLISHED:
            raise Conflict("只能撤回已发布的经验材料", code="not_published")
        if not policy.may_withdraw(actor, item):
            raise PermissionDenied("只能撤回本院或辖区法院发布的经验材料")
        item.status = S.WITHDRAWN
        item.withdrawn_reason = why
        item.updated_at = timezone.now()
        item.save()
        _org_journal(item, "knowledge.withdrawn", actor, reason=why)
    return item


# --- links to cases --------------------------------------------------------------------------------------
def _case_for_link(actor: User, case_id: int) -> EnforcementCase:
    return case_services.case_for_team_act(
        actor=actor, case_id=case_id, roles=policy.LINK_ROLES, what="关联经验材料"
    )


def knowledge_link_case(*, actor: User, item_id: int, case_id: int, note: str = "") -> KnowledgeLink:
    """关联到案件：the case's team (or the bureau chief / command roles over it) marks a published item."""
    text = _text(note, field="note", label="说明", limit=NOTE_MAX)
    with transaction.atomic():
        case = _case_for_link(actor, case_id)
        item = _item_for(actor, item_id)
        if item.status != S.PUBLISHED:
            raise ServiceError("只能关联已发布的经验材料", code="not_published", field="item")
        if KnowledgeLink.objects.filter(item=item, case=case).exists():
            raise Conflict("本案已关联该经验材料", code="already_linked")
        link = KnowledgeLink.objects.create(item=item, case=case, linked_by=actor, note=text)
        journal_append(
            stream=case.stream,
            kind="knowledge.linked",
            actor=actor,
            court=case.court,
            payload={"item": item.pk, "title": item.title, "note": text, "detail": f"《{item.title}》"},
        )
    return link


def knowledge_unlink_case(*, actor: User, item_id: int, case_id: int) -> None:
    """取消关联：the same people who may link."""
    with transaction.atomic():
        case = _case_for_link(actor, case_id)
        link = KnowledgeLink.objects.select_related("item").filter(item_id=item_id, case=case).first()
        if link is None:
            raise NotFound("本案没有关联该经验材料")
        title = link.item.title
        link.delete()
        journal_append(
            stream=case.stream,
            kind="knowledge.unlinked",
            actor=actor,
            court=case.court,
            payload={"item": item_id, "title": title, "detail": f"《{title}》"},
        )
