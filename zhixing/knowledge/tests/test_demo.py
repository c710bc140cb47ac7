"""The demo library: six published items through the services, once."""

from __future__ import annotations

from collections.abc import Callable

from zhixing.core.models import JournalEvent, User
from zhixing.core.roles import Role
from zhixing.knowledge.demo import SEEDS, knowledge_seed
from zhixing.knowledge.models import KnowledgeItem


def test_the_demo_seed_publishes_six_items_once(make_user: Callable[..., User]) -> None:
    for court in {s.court for s in SEEDS}:
        for role in {r for s in SEEDS if s.court == court for r in (s.author_role, s.publisher_role)}:
            make_user(role, court)
    assert knowledge_seed() == 6
    assert knowledge_seed() == 0
    assert KnowledgeItem.objects.filter(status="published").count() == 6
    assert {i.kind for i in KnowledgeItem.objects.all()} == {"typical_case", "practice_note", "rule_note"}
    assert JournalEvent.objects.filter(kind="knowledge.published").count() == 6
    assert (
        KnowledgeItem.objects.filter(court__court_code="浙06", author__role=Role.COMMAND_OPERATOR).count()
        == 2
    )
