"""Fault test of the agency network: ~1,000 requests in flight while the workers, the web process
(which receives the banks' callbacks) and the agency simulator are killed (SIGKILL) and restarted at
random, and the simulator itself drops answers, answers 503, sends malformed bodies, times out and
sends callbacks twice and out of order. It ends with every request answered exactly once: recorded
once on the platform, executed once by the simulator.

Real processes throughout: the simulator (``python -m zhixing.simulation.agency_sim``), gunicorn,
and two ``zhixing_worker`` processes, all on the test database. The test process plays the periodic
scheduler (it enqueues dispatcher runs) and the chaos monkey.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.conf import settings

from zhixing.agencies.demo import registry_seed
from zhixing.agencies.models import AgencyRequest
from zhixing.agencies.tasks import agencies_dispatch
from zhixing.asset_control import services as asset_services
from zhixing.asset_control.models import Asset, Inquiry
from zhixing.cases import services as case_services
from zhixing.core import services as core_services
from zhixing.core.journal import verify_chains
from zhixing.core.models import Department, JournalEvent, Team, User
from zhixing.core.roles import Role
from zhixing.core.worker.tests.conftest import child_database_url
from zhixing.simulation.world import World

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

CASES = 84  # × 12 integrated agencies = 1,008 requests
MASTER = "fault-test-master-secret"
CHAOS_SECONDS = 20
SETTLE_TIMEOUT = 240


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Proc:
    """A restartable child process in its own process group (so SIGKILL takes its children too)."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], log: Path) -> None:
        self.name, self.argv, self.env, self.log = name, argv, env, log
        self.process: subprocess.Popen[bytes] | None = None
        self.kills = 0

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                self.argv,
                cwd=settings.REPO_DIR,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.kills += 1

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def ensure_running(self) -> None:
        if self.process is None or self.process.poll() is not None:
            self.start()


def wait_for(predicate: Callable[[], Any], *, timeout: float, what: str, tick: Callable[[], None]) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        tick()
        time.sleep(0.25)


def test_every_request_is_answered_exactly_once_under_random_kills(tmp_path: Path) -> None:
    T0 = time.monotonic()
    sim_port, web_port = free_port(), free_port()
    sim_url, web_url = f"http://127.0.0.1:{sim_port}", f"http://127.0.0.1:{web_port}"
    registry_seed(base_url=sim_url, master_secret=MASTER)

    # a court, a team, its judge, and CASES cases whose debtors are people of the simulated world
    court = {c.court_code: c for c in core_services.org_seed_courts()}["浙0602"]
    dept = core_services.department_create(
        court=court, kind=Department.Kind.ENFORCEMENT_BUREAU, name="执行局"
    )
    team = core_services.team_create(court=court, department=dept, name="快执1组", track=Team.Track.FAST)
    core_services.team_create(court=court, department=dept, name="精执1组", track=Team.Track.COMPLEX)

    def staff(username: str, role: str) -> User:
        return core_services.staff_create(
            username=username,
            full_name=username,
            court=court,
            team=team,
            role=role,
            password="x",
            check_password=False,
        )

    clerk, judge = staff("clerk", Role.CLERK), staff("judge", Role.JUDGE)
    lawyer = User.objects.create_user("lawyer", role=Role.LAWYER)
    people = World().people(CASES + 1)
    cases = []
    for i in range(CASES):
        debtor, applicant = people[i], people[CASES]
        app = case_services.application_submit(
            actor=lawyer,
            court=court,
            title={
                "kind": "judgment",
                "issuing_body": "绍兴市越城区人民法院",
                "issuing_court_code": "浙0602",
                "document_number": f"（2026）浙0602民初{1000 + i}号",
                "effective_on": "2026-06-01",
                "performance_deadline": "2026-06-15",
                "principal": "20000",
            },
            parties=[
                {
                    "role": "applicant",
                    "kind": "natural_person",
                    "name": applicant.name,
                    "id_number": applicant.id_number,
                },
                {
                    "role": "debtor",
                    "kind": "natural_person",
                    "name": debtor.name,
                    "id_number": debtor.id_number,
                },
            ],
            jurisdiction_basis="first_instance",
            materials=["application", "title", "identity"],
        )
        cases.append(case_services.application_accept(actor=clerk, application_id=app.pk))
    print(f"[fault] cases filed at {time.monotonic() - T0:.1f} s")
    judges = {c.judge_id for c in cases}
    assert judges == {judge.pk}

    env = {
        **os.environ,
        "DATABASE_URL": child_database_url(),
        "PYTHONUNBUFFERED": "1",
        "ZHIXING_PUBLIC_URL": web_url,
        "ZHIXING_AGENCY_HTTP_TIMEOUT": "1.5",
        "ZHIXING_AGENCY_RETRY_BACKOFF_SECONDS": "0.3",
        "ZHIXING_AGENCY_RETRY_MAX_BACKOFF_SECONDS": "2",
        "ZHIXING_AGENCY_MAX_ATTEMPTS": "100000",
        "ZHIXING_AGENCY_POLL_SECONDS": "2",
        "ZHIXING_AGENCY_LEASE_SECONDS": "4",
        "ZHIXING_WORKER_LEASE_SECONDS": "3",
        "ZHIXING_WORKER_HEARTBEAT_SECONDS": "0.5",
    }
    sim = Proc(
        "simulator",
        [
            sys.executable, "-m", "zhixing.simulation.agency_sim", "--port", str(sim_port),
            "--state-path", str(tmp_path / "sim.sqlite3"), "--master-secret", MASTER,
            "--error-rate", "0.05", "--drop-rate", "0.05", "--malformed-rate", "0.03",
            "--timeout-rate", "0.01", "--timeout-seconds", "3", "--duplicate-callback-rate", "0.3",
            "--callback-delay-ms", "50", "--fault-seed", "7", "--quiet",
        ],
        env,
        tmp_path / "sim.log",
    )  # fmt: skip
    web = Proc(
        "web",
        [
            sys.executable, "-m", "gunicorn", "zhixing.config.wsgi:application",
            "--bind", f"127.0.0.1:{web_port}", "--workers", "2", "--timeout", "30",
        ],
        env,
        tmp_path / "web.log",
    )  # fmt: skip
    workers = [
        Proc(
            f"worker{i}",
            [
                sys.executable,
                "manage.py",
                "zhixing_worker",
                "--worker-id",
                f"fault-w{i}",
                "--threads",
                "2",
                "--interval",
                "0.1",
                "--no-periodic",
            ],
            env,
            tmp_path / f"worker{i}.log",
        )
        for i in (1, 2)
    ]
    procs = [sim, web, *workers]
    rng = random.Random(2026)
    try:
        for p in procs:
            p.start()
        wait_for(lambda: _up(f"{sim_url}/_sim/health"), timeout=30, what="the simulator", tick=lambda: None)

        def tick() -> None:
            agencies_dispatch.enqueue()  # the test plays the periodic dispatcher sweep

        # the chaos monkey: a thread that SIGKILLs a random process every 1-2 s (each at least once)
        stop_chaos = threading.Event()

        def chaos() -> None:
            victims: list[Proc] = []
            while not stop_chaos.is_set():
                if not victims:
                    victims = rng.sample(procs, len(procs))
                victim = victims.pop()
                victim.kill()
                stop_chaos.wait(rng.uniform(0.1, 0.6))
                victim.start()
                stop_chaos.wait(rng.uniform(1.0, 2.0))

        monkey = threading.Thread(target=chaos, daemon=True)
        monkey.start()
        # the decisions: one network inquiry per case (12 requests each), taken while the chaos runs
        chaos_until = time.monotonic() + CHAOS_SECONDS
        for i, case in enumerate(cases):
            asset_services.inquiry_start(actor=judge, case_id=case.pk, purpose="查找可供执行财产")
            if i % 4 == 0:
                tick()
        while time.monotonic() < chaos_until:
            tick()
            time.sleep(0.25)
        stop_chaos.set()
        monkey.join(timeout=30)
        for p in procs:
            p.ensure_running()
        print(
            f"[fault] chaos over at {time.monotonic() - T0:.1f} s; kills {[(p.name, p.kills) for p in procs]}"
        )
        total = AgencyRequest.objects.count()
        assert total == CASES * 12

        wait_for(
            lambda: not AgencyRequest.objects.exclude(status=AgencyRequest.Status.ANSWERED).exists(),
            timeout=SETTLE_TIMEOUT,
            what="every request to be answered",
            tick=tick,
        )
        print(f"[fault] all answered at {time.monotonic() - T0:.1f} s")
        stats = httpx.get(f"{sim_url}/_sim/stats", timeout=10).json()
        print(f"[fault] simulator: {stats}")
    finally:
        for p in procs:
            p.stop()

    # the chaos happened
    assert all(p.kills >= 1 for p in procs) and sum(p.kills for p in procs) >= 8, {
        p.name: p.kills for p in procs
    }

    # every request answered once on the platform …
    rows = AgencyRequest.objects.all()
    assert rows.filter(status=AgencyRequest.Status.ANSWERED).count() == total
    assert rows.filter(handler_error="").count() == total
    # … and executed once by the agencies, although many travelled more than once
    assert stats["multiply_executed"] == [], stats
    assert stats["executed"] == total, stats
    assert stats["received"] > total, "the faults should have made some requests travel twice"
    # the effects: each inquiry done once, each asset recorded once
    assert Inquiry.objects.filter(completed_at__isnull=False).count() == CASES
    for case in cases:
        assert JournalEvent.objects.filter(stream=case.stream, kind="network_inquiry.done").count() == 1
    world = World()
    expected_assets = sum(len(world.assets(people[i].id_number)) for i in range(CASES))
    assert Asset.objects.count() == expected_assets
    assert verify_chains().ok


def _up(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False
