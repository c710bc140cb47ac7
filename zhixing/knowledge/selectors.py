"""经验交流的读取：the library as a user may see it (published items city-wide; drafts and withdrawn
items only to their author and the court's bureau chief), search, one item, and the links between
items and cases — a case only where ``scoping`` lets the user see it."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import F, Q, QuerySet

from zhixing.cases.models import EnforcementCase
from zhixing.core.models import Court, User
from zhixing.core.roles import Role
from zhixing.core.scoping import scoped
from zhixing.knowledge import policy
from zhixing.knowledge.models import KnowledgeItem, KnowledgeKind, KnowledgeLink

S = KnowledgeItem.Status


def knowledge_visible(*, user: User | AnonymousUser) -> QuerySet[KnowledgeItem]:
    """The items ``user`` may read. Not ``scoping.scoped``: published knowledge is shared city-wide."""
    qs = KnowledgeItem.objects.all()
    if not policy.is_reader(user):
        return qs.none()
    assert isinstance(user, User)
    if user.is_superuser:
        return qs
    q = Q(status=S.PUBLISHED) | Q(author=user)
    if user.role == Role.BUREAU_CHIEF:
        q |= Q(court_id=user.court_id)
    return qs.filter(q)


def knowledge_search(
    *,
    user: User | AnonymousUser,
    q: str = "",
    kind: str = "",
    tag: str = "",
    court: str = "",
    status: str = "",
) -> QuerySet[KnowledgeItem]:
    """检索：words in the title, summary, body or tags (each word must match somewhere); an exact tag;
    the kind; the publishing court (代字). One query; paginate the result. Drafts (not yet published)
    come first — they are the reader's own work or, for a bureau chief, the court's to review."""
    qs = knowledge_visible(user=user)
    for word in q.split()[:8]:
        qs = qs.filter(
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(body__icontains=word)
            | Q(tags_text__icontains=word)
        )
    if kind:
        qs = qs.filter(kind=kind) if kind in KnowledgeKind.values else qs.none()
    if tag:
        qs = qs.filter(tags_text__contains=f"|{tag.strip()}|")
    if court:
        qs = qs.filter(court__court_code=court)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("court", "author").order_by(
        F("published_at").desc(nulls_first=True), "-updated_at", "-pk"
    )


def knowledge_get(*, user: User | AnonymousUser, item_id: int) -> KnowledgeItem | None:
    return (
        knowledge_visible(user=user)
        .select_related("court", "author", "published_by", "source_case", "source_case__court")
        .filter(pk=item_id)
        .first()
    )


def knowledge_item_links(*, user: User | AnonymousUser, item: KnowledgeItem) -> QuerySet[KnowledgeLink]:
    """The item's cases that ``user`` may see (a team role: their own team's only)."""
    return (
        scoped(
            KnowledgeLink.objects.filter(item=item), user, court_field="case__court", team_field="case__team"
        )
        .select_related("case", "case__court", "linked_by")
        .order_by("-created_at", "-pk")
    )


def knowledge_for_case(*, user: User | AnonymousUser, case: EnforcementCase) -> QuerySet[KnowledgeLink]:
    """The items linked to the case (which came through a scoped read) that ``user`` may read."""
    return (
        KnowledgeLink.objects.filter(case=case, item__in=knowledge_visible(user=user))
        .select_related("item", "item__court", "linked_by")
        .order_by("-created_at", "-pk")
    )


def case_for(*, user: User | AnonymousUser, case_id: int) -> EnforcementCase | None:
    """The case if ``user`` may see it (team roles: their own team's only); else None (a 404)."""
    return (
        scoped(EnforcementCase.objects.all(), user, team_field="team")
        .select_related("court")
        .filter(pk=case_id)
        .first()
    )


def case_by_number(*, user: User | AnonymousUser, case_number: str) -> EnforcementCase | None:
    """A case by its 案号, if ``user`` may see it (the source of a typical case)."""
    return (
        scoped(EnforcementCase.objects.all(), user, team_field="team")
        .filter(case_number=case_number.strip())
        .first()
    )


def court_choices() -> list[tuple[str, str]]:
    """(代字, 简称) of every court, for the filter: the library is shared across the city."""
    return list(Court.objects.order_by("path").values_list("court_code", "short_name"))
