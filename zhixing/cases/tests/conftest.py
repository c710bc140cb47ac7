"""Fixtures for the case tests: a court with fast and complex teams, its staff, a lawyer, an application."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from conftest import PASSWORD
from zhixing.cases import services
from zhixing.cases.models import CaseApplication, EnforcementCase
from zhixing.core import services as core_services
from zhixing.core.demo import credit_code, resident_id
from zhixing.core.models import Court, Team, User
from zhixing.core.roles import Role


@dataclass
class World:
    court: Court
    fast: Team
    complex: Team
    judge_fast: User
    assistant_fast: User
    judge_complex: User
    clerk: User
    chief: User
    president: User
    lawyer: User
    other_judge: User  # 柯桥


def title(**kw: Any) -> dict[str, Any]:
    data = {
        "kind": "judgment",
        "issuing_body": "绍兴市越城区人民法院",
        "issuing_court_code": "浙0602",
        "document_number": "（2026）浙0602民初100号",
        "effective_on": "2026-09-01",
        "performance_deadline": "2026-09-15",
        "principal": "50000.00",
        "costs": "1000.00",
    }
    data.update(kw)
    return data


def parties(n: int = 1, debtor_kind: str = "natural_person") -> list[dict[str, Any]]:
    debtor_id = (
        resident_id("330602", "19800101", 100 + n)
        if debtor_kind == "natural_person"
        else credit_code("330602", n)
    )
    return [
        {
            "role": "applicant",
            "kind": "natural_person",
            "name": "王建华",
            "id_number": resident_id("330602", "19750505", 200 + n),
        },
        {
            "role": "debtor",
            "kind": debtor_kind,
            "name": "李某" if debtor_kind == "natural_person" else "某公司",
            "id_number": debtor_id,
            "address": "越城区某路1号",
        },
    ]


@pytest.fixture
def world(make_user: Callable[..., User], make_team: Callable[..., Team], courts: dict[str, Court]) -> World:
    fast = make_team("浙0602", name="快执1组", track=Team.Track.FAST)
    complex_ = make_team("浙0602", name="精执1组", track=Team.Track.COMPLEX)
    lawyer = core_services.external_user_create(
        username="lawyer1", full_name="赵律师", role=Role.LAWYER, password=PASSWORD + "x!"
    )
    return World(
        court=courts["浙0602"],
        fast=fast,
        complex=complex_,
        judge_fast=make_user(Role.JUDGE, "浙0602", team=fast, full_name="快执法官"),
        assistant_fast=make_user(Role.ASSISTANT, "浙0602", team=fast),
        judge_complex=make_user(Role.JUDGE, "浙0602", team=complex_, full_name="精执法官"),
        clerk=make_user(Role.CLERK, "浙0602", team=fast),
        chief=make_user(Role.BUREAU_CHIEF, "浙0602"),
        president=make_user(Role.PRESIDENT, "浙0602"),
        lawyer=lawyer,
        other_judge=make_user(Role.JUDGE, "浙0603"),
    )


@pytest.fixture
def submit(world: World) -> Callable[..., CaseApplication]:
    def go(
        actor: User | None = None, n: int = 1, received_on: dt.date | None = None, **kw: Any
    ) -> CaseApplication:
        return services.application_submit(
            actor=actor or world.lawyer,
            court=world.court,
            title=title(**kw.pop("title", {})),
            parties=kw.pop("parties", None) or parties(n),
            jurisdiction_basis=kw.pop("jurisdiction_basis", "first_instance"),
            materials=kw.pop("materials", ["application", "title", "identity"]),
            received_on=received_on or dt.date(2026, 11, 2),
            **kw,
        )

    return go


@pytest.fixture
def filed(world: World, submit: Callable[..., CaseApplication]) -> EnforcementCase:
    app = submit()
    return services.application_accept(actor=world.clerk, application_id=app.pk, on=dt.date(2026, 11, 3))
