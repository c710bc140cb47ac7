"""Fixtures: a case in enforcement whose debtor is a person of the simulated world with a bank deposit
and a house already sealed by another court; the agency network (simulator) from the root conftest."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from zhixing.cases import services as case_services
from zhixing.cases.models import CaseApplication, EnforcementCase
from zhixing.cases.tests.conftest import World, parties, submit, title, world  # noqa: F401 - fixtures
from zhixing.simulation.world import Person
from zhixing.simulation.world import World as SimWorld


@pytest.fixture(scope="session")
def rich_debtor() -> Person:
    return SimWorld().debtor_with_deposit_and_sealed_house()


def case_against(
    world: World,  # noqa: F811 - the fixture's value, passed in
    submit: Callable[..., CaseApplication],  # noqa: F811
    person: Person,
    *,
    principal: str = "80000.00",
    n: int = 1,
) -> EnforcementCase:
    ps = parties(n)
    ps[1].update(name=person.name, id_number=person.id_number, address=person.address)
    app = submit(
        parties=ps, title={"principal": principal, "document_number": f"（2026）浙0602民初{100 + n}号"}
    )
    case = case_services.application_accept(actor=world.clerk, application_id=app.pk, on=dt.date(2026, 11, 3))
    case.refresh_from_db()
    assert case.stage == "in_enforcement", case.stage
    return case


@pytest.fixture
def debtor_case(world: World, submit: Callable[..., CaseApplication], rich_debtor: Person) -> EnforcementCase:  # noqa: F811
    return case_against(world, submit, rich_debtor)
