"""Fixtures for the knowledge tests: the cases' world (a court with teams and staff, a filed case),
and a few people around it — writers, publishers, an upper court's command centre, another court."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from zhixing.cases.models import EnforcementCase
from zhixing.cases.tests.conftest import World, filed, submit, world  # noqa: F401 - fixtures
from zhixing.core.models import User
from zhixing.core.roles import Role
from zhixing.knowledge import services
from zhixing.knowledge.models import KnowledgeItem

BODY = "一、识别线索。\n\n二、应对措施：罚款、拘留，情节严重的移送追究刑事责任。"


@dataclass
class People:
    w: World
    judge: User  # 越城, the fast team's judge (the author in most tests)
    other_judge: User  # 越城, the complex team
    chief: User  # 越城 bureau chief
    president: User  # 越城
    clerk: User  # 越城, a team role that does not write
    keqiao_judge: User
    keqiao_chief: User
    city_operator: User  # 绍兴中院 command centre: sees 越城 and 柯桥
    lawyer: User


@pytest.fixture
def people(world: World, make_user: Callable[..., User]) -> People:  # noqa: F811 - the fixture above
    return People(
        w=world,
        judge=world.judge_fast,
        other_judge=world.judge_complex,
        chief=world.chief,
        president=world.president,
        clerk=world.clerk,
        keqiao_judge=world.other_judge,
        keqiao_chief=make_user(Role.BUREAU_CHIEF, "浙0603"),
        city_operator=make_user(Role.COMMAND_OPERATOR, "浙06"),
        lawyer=world.lawyer,
    )


def write(actor: User, **kw: Any) -> KnowledgeItem:
    args: dict[str, Any] = {
        "kind": "practice_note",
        "title": "被执行人规避执行的识别与应对",
        "summary": "转移财产的识别",
        "body": BODY,
        "tags": ["规避执行", "拒执"],
    }
    args.update(kw)
    return services.knowledge_item_create(actor=actor, **args)


@pytest.fixture
def published(people: People) -> KnowledgeItem:
    item = write(people.judge)
    return services.knowledge_item_publish(actor=people.chief, item_id=item.pk)


@pytest.fixture
def case(filed: EnforcementCase) -> EnforcementCase:  # noqa: F811 - the fixture above
    assert filed.team is not None and filed.judge is not None
    return filed
