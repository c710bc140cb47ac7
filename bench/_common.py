"""Shared set-up of the benchmarks: Django on a throwaway database, a court with its staff, cases, timing,
and the raw INSERT+COMMIT baseline measured on the same database."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def setup_django(workdir: Path) -> None:
    """SQLite under ``workdir`` unless DATABASE_URL names another database; migrated."""
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("ZHIXING_VAR", str(workdir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhixing.config.settings")
    import django
    from django.conf import settings

    django.setup()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timed(fn: Callable[[int], Any], n: int) -> float:
    """Calls per second of ``fn(i)`` for i in range(n)."""
    start = time.perf_counter()
    for i in range(n):
        fn(i)
    return n / (time.perf_counter() - start)


def raw_insert_rate(n: int) -> float:
    """The baseline: raw single-row INSERT + COMMIT into a scratch table, no ORM."""
    from django.db import connection, transaction

    with connection.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS bench_raw (id INTEGER PRIMARY KEY, payload TEXT)")
        cur.execute("DELETE FROM bench_raw")

    def raw(i: int) -> None:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("INSERT INTO bench_raw (id, payload) VALUES (%s, %s)", [i, "x" * 100])

    return timed(raw, n)


def _id(birth: str, i: int) -> str:
    from zhixing.core.demo import resident_id

    return resident_id("330602", birth, i % 900 + 1)


@dataclass
class World:
    court: Any
    team: Any
    clerk: Any
    judge: Any
    lawyer: Any

    def new_case(self, i: int, *, principal: str = "10000") -> Any:
        """File case ``i`` through the services: an online application accepted by the clerk."""
        from zhixing.cases import services

        app = services.application_submit(
            actor=self.lawyer,
            court=self.court,
            title={
                "kind": "judgment",
                "issuing_body": "绍兴市越城区人民法院",
                "issuing_court_code": "浙0602",
                "document_number": f"（2026）浙0602民初{i}号",
                "effective_on": "2026-06-01",
                "performance_deadline": "2026-06-15",
                "principal": principal,
            },
            parties=[
                {
                    "role": "applicant",
                    "kind": "natural_person",
                    "name": "甲",
                    "id_number": _id("19700101", i),
                },
                {"role": "debtor", "kind": "natural_person", "name": "乙", "id_number": _id("19800101", i)},
            ],
            jurisdiction_basis="first_instance",
            materials=["application", "title", "identity"],
            received_on=date(2026, 11, 2),
        )
        return services.application_accept(actor=self.clerk, application_id=app.pk, on=date(2026, 11, 3))


def seed_world() -> World:
    """越城 with a fast and a complex team, a clerk, a judge and an online lawyer."""
    from zhixing.core import services
    from zhixing.core.models import Department, Team, User
    from zhixing.core.roles import Role

    court = {c.court_code: c for c in services.org_seed_courts()}["浙0602"]
    dept = services.department_create(court=court, kind=Department.Kind.ENFORCEMENT_BUREAU, name="执行局")
    team = services.team_create(court=court, department=dept, name="快执1组", track=Team.Track.FAST)
    services.team_create(court=court, department=dept, name="精执1组", track=Team.Track.COMPLEX)

    def staff(username: str, role: str) -> Any:
        return services.staff_create(
            username=username,
            full_name=username,
            court=court,
            team=team,
            role=role,
            password="x",
            check_password=False,
        )

    lawyer = User.objects.create_user("bench.lawyer", role=Role.LAWYER)
    return World(
        court=court,
        team=team,
        clerk=staff("bench.clerk", Role.CLERK),
        judge=staff("bench.judge", Role.JUDGE),
        lawyer=lawyer,
    )
