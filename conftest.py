"""Shared test fixtures: the court tree, staff factories, fast password hashing."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection

from zhixing.core import services
from zhixing.core.models import Court, Department, Team, User
from zhixing.core.roles import TEAM_ROLES, Role

PASSWORD = "Correct-Horse-9"  # noqa: S105 - test accounts only
_seq = itertools.count(1)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL (run under `make test-postgres`)")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fast_hasher(settings: pytest.FixtureRequest, request: pytest.FixtureRequest) -> None:
    """Argon2 costs ~0.1 s a hash; tests that are not about hashing use a fast one."""
    if "argon2" not in request.keywords:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture
def courts(db: None) -> dict[str, Court]:
    return {c.court_code: c for c in services.org_seed_courts()}


@pytest.fixture
def make_team(courts: dict[str, Court]) -> Callable[..., Team]:
    def make(court_code: str = "浙0602", name: str | None = None, track: str = Team.Track.FAST) -> Team:
        court = courts[court_code]
        dept = services.department_create(court=court, kind=Department.Kind.ENFORCEMENT_BUREAU, name="执行局")
        return services.team_create(
            court=court, department=dept, name=name or f"团队{next(_seq)}", track=track
        )

    return make


@pytest.fixture
def make_user(courts: dict[str, Court], make_team: Callable[..., Team]) -> Callable[..., User]:
    def make(
        role: str = Role.JUDGE, court_code: str = "浙0602", team: Team | None = None, **kw: object
    ) -> User:
        if role in TEAM_ROLES and team is None:
            team = make_team(court_code)
        return services.staff_create(
            username=kw.pop("username", None) or f"{role}{next(_seq)}",  # type: ignore[arg-type]
            full_name=str(kw.pop("full_name", "测试")),
            court=courts[court_code],
            team=team,
            role=role,
            password=PASSWORD,
            check_password=False,
        )

    return make


@pytest.fixture(scope="session", autouse=True)
def _close_connection_pools(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Before the PostgreSQL test database is dropped: close the pools, end stray sessions.

    Worker threads and pooled connections of the tests would otherwise block `DROP DATABASE`.
    """
    yield
    from django.db import connections

    with django_db_blocker.unblock():
        for conn in connections.all():
            if conn.vendor != "postgresql":
                continue
            with conn.cursor() as cur:
                cur.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            conn.close_pool()  # type: ignore[attr-defined]
