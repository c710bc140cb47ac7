"""经验交流 API (/api/v1/knowledge): search the library and read one item, as the UI shows them
(published items city-wide, drafts to their author and the court's bureau chief; linked cases only
where the caller may see the case)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Router, Schema

from zhixing.core.errors import NotFound
from zhixing.core.models import User
from zhixing.knowledge import selectors
from zhixing.knowledge.models import KnowledgeItem

router = Router(tags=["knowledge"])
MAX_PAGE_SIZE = 100


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


class ItemOut(Schema):
    id: int
    kind: str
    title: str
    summary: str
    tags: list[str]
    status: str
    court_code: str
    court: str
    author: str
    published_at: dt.datetime | None


class LinkedCaseOut(Schema):
    case_id: int
    case_number: str
    court_code: str
    note: str
    linked_at: dt.datetime


class ItemDetailOut(ItemOut):
    body: str
    citations: list[str]
    source_case_number: str | None
    updated_at: dt.datetime
    cases: list[LinkedCaseOut]


class ItemPage(Schema):
    count: int
    page: int
    pages: int
    results: list[ItemOut]


def _item(i: KnowledgeItem) -> dict[str, Any]:
    return {
        "id": i.pk,
        "kind": i.kind,
        "title": i.title,
        "summary": i.summary,
        "tags": i.tags,
        "status": i.status,
        "court_code": i.court.court_code,
        "court": i.court.short_name,
        "author": str(i.author),
        "published_at": i.published_at,
    }


@router.get("", response=ItemPage)
def search(
    request: HttpRequest,
    q: str = "",
    kind: str = "",
    tag: str = "",
    court: str = "",
    page: int = 1,
    page_size: int = 20,
) -> Any:
    """检索经验材料：关键词（标题、摘要、正文、标签，空格分隔的每个词都须出现）、类别、标签、发布法院代字；分页。"""
    qs = selectors.knowledge_search(user=_user(request), q=q, kind=kind, tag=tag, court=court)
    pager = Paginator(qs, max(1, min(page_size, MAX_PAGE_SIZE)))
    p = pager.get_page(page)
    return {
        "count": pager.count,
        "page": p.number,
        "pages": pager.num_pages,
        "results": [_item(i) for i in p],
    }


@router.get("/{item_id}", response=ItemDetailOut)
def detail(request: HttpRequest, item_id: int) -> Any:
    """一份经验材料：正文、引用依据，及调用者有权查看的关联案件。"""
    user = _user(request)
    item = selectors.knowledge_get(user=user, item_id=item_id)
    if item is None:
        raise NotFound("经验材料不存在或无权查看")
    return {
        **_item(item),
        "body": item.body,
        "citations": item.citations,
        "source_case_number": item.source_case.case_number if item.source_case else None,
        "updated_at": item.updated_at,
        "cases": [
            {
                "case_id": link.case_id,
                "case_number": link.case.case_number,
                "court_code": link.case.court.court_code,
                "note": link.note,
                "linked_at": link.created_at,
            }
            for link in selectors.knowledge_item_links(user=user, item=item)
        ],
    }
