"""Shared test fixtures: the court tree, staff factories, fast password hashing."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
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


# --- the agency network: the simulator on loopback and the registry pointing at it ------------------
@dataclass
class AgencyNetwork:
    sim: Any
    url: str
    master_secret: str


SIM_MASTER_SECRET = "test-agency-master-secret"  # noqa: S105 - tests only


@pytest.fixture
def agency_network(db: None, settings: Any, tmp_path: Path) -> Iterator[AgencyNetwork]:
    """The agency simulator in a thread on a free port (every agency answers synchronously), and the
    simulated city's agencies registered with endpoints on it."""
    from zhixing.agencies.demo import registry_seed
    from zhixing.simulation.agency_sim import AgencySimulator

    sim = AgencySimulator(
        host="127.0.0.1",
        port=0,
        state_path=tmp_path / "agency-sim.sqlite3",
        master_secret=SIM_MASTER_SECRET,
        all_sync=True,
    )
    port = sim.start()
    url = f"http://127.0.0.1:{port}"
    settings.AGENCY_SIM_URL = url
    registry_seed(base_url=url, master_secret=SIM_MASTER_SECRET)
    try:
        yield AgencyNetwork(sim=sim, url=url, master_secret=SIM_MASTER_SECRET)
    finally:
        sim.stop()


@pytest.fixture
def deletable_history(request: pytest.FixtureRequest) -> Iterator[None]:
    """For live-server tests on SQLite that write the insert-only tables (ledger, documents): the
    test database is flushed with DELETE, which those tables' triggers refuse. Request this fixture
    *after* ``live_server``: at teardown it lifts the DELETE triggers, empties the tables, and puts
    the triggers back, before pytest-django's own flush. (PostgreSQL flushes with TRUNCATE.)"""
    yield
    if connection.vendor != "sqlite":
        return
    from django.core.management import call_command

    with connection.cursor() as cur:
        cur.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE %s", ["%BEFORE DELETE%"]
        )
        triggers = cur.fetchall()
        for name, _sql in triggers:
            cur.execute(f'DROP TRIGGER "{name}"')
    try:
        call_command("flush", interactive=False, verbosity=0)
    finally:
        with connection.cursor() as cur:
            for _name, sql in triggers:
                cur.execute(sql)
