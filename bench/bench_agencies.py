"""协助请求基准：agency requests per second end to end, against a bare async HTTP client loop to the same
simulator, measured in one run.

    uv run python bench/bench_agencies.py [--full]      # SQLite under /tmp; --full = 12,000 requests
    DATABASE_URL=postgres://… uv run python bench/bench_agencies.py

The agency simulator runs as its own process (every agency answering synchronously, no faults).

1. baseline: a bare ``aiohttp`` client loop posting N signed inquiry requests to the simulator
   with the dispatcher's concurrency (no database at all);
2. platform: ``inquiry_start`` on N / 12 cases (the decision writes 12 outbox rows each, one per
   integrated agency, in its transaction) and the dispatcher sending them and recording each answer
   (the answer handler writes the debtor's assets and the journal) — requests per second from the
   first decision to the last recorded answer.

The last line is the ratio platform requests per second / bare client requests per second.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

from _common import ROOT, setup_django

MASTER = "bench-agency-master-secret"
AGENCIES_PER_INQUIRY = 12


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_simulator(port: int, state: Path) -> subprocess.Popen[bytes]:
    argv = [
        sys.executable, "-m", "zhixing.simulation.agency_sim", "--port", str(port),
        "--state-path", str(state), "--master-secret", MASTER, "--all-sync", "--quiet",
    ]  # fmt: skip
    proc = subprocess.Popen(argv, cwd=ROOT, stderr=subprocess.DEVNULL)
    import httpx

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/_sim/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the agency simulator did not start")


async def bare_loop(url_base: str, n: int, concurrency: int, people: list[tuple[str, str]]) -> float:
    """Requests per second of a bare async client (aiohttp, the client the dispatcher uses): signed
    inquiry bodies, the same concurrency, no database."""
    import aiohttp

    from zhixing.agencies import protocol
    from zhixing.simulation.catalogue import catalogue

    codes = [s.code for s in catalogue() if s.integrated]

    async def one(session: aiohttp.ClientSession, i: int) -> None:
        code = codes[i % len(codes)]
        name, id_number = people[(i // len(codes)) % len(people)]
        body = protocol.dumps(
            {
                "protocol": protocol.VERSION,
                "request_id": str(uuid.uuid4()),
                "act": "inquiry",
                "court": {"code": "浙0602", "name": "绍兴市越城区人民法院"},
                "case_number": f"（2026）浙0602执{i}号",
                "officer": {"name": "基准", "badge": ""},
                "legal_basis": [{"law": "民事诉讼法", "article": "第253条"}],
                "purpose": "基准测试",
                "subject": {"name": name, "id_type": "resident_id", "id_number": id_number},
                "callback_url": "http://127.0.0.1:9/none",
                "sent_at": "2026-11-29T10:00:00+08:00",
            }
        )
        path = f"/agencies/{code}{protocol.REQUESTS_PATH}"
        headers = protocol.signed_headers(code, protocol.derive_secret(MASTER, code), "POST", path, body)
        async with session.post(f"{url_base}{path}", data=body, headers=headers) as r:
            await r.read()
            r.raise_for_status()

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=30)) as session:
        start = time.perf_counter()
        await asyncio.gather(*(one(session, i) for i in range(n)))
        return n / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--full", action="store_true", help="12,000 requests (1,000 cases) instead of 1,200")
    args = parser.parse_args()
    cases_n = 1000 if args.full else 100
    n = cases_n * AGENCIES_PER_INQUIRY

    with tempfile.TemporaryDirectory(prefix="zhixing-bench-", dir="/tmp") as tmp:
        port = free_port()
        os.environ["ZHIXING_AGENCY_SIM_URL"] = f"http://127.0.0.1:{port}"
        setup_django(Path(tmp))
        from _common import seed_world
        from django.conf import settings
        from django.db import connection

        from zhixing.agencies.demo import registry_seed
        from zhixing.agencies.models import AgencyRequest
        from zhixing.agencies.services import dispatch_all
        from zhixing.asset_control.services import inquiry_start
        from zhixing.cases import services as case_services
        from zhixing.simulation.world import World

        sim = start_simulator(port, Path(tmp) / "sim.sqlite3")
        try:
            registry_seed(base_url=f"http://127.0.0.1:{port}", master_secret=MASTER)
            world = seed_world()
            people = World().people(cases_n + 1)
            cases = []
            for i in range(cases_n):
                app = case_services.application_submit(
                    actor=world.lawyer,
                    court=world.court,
                    title={
                        "kind": "judgment",
                        "issuing_body": "绍兴市越城区人民法院",
                        "issuing_court_code": "浙0602",
                        "document_number": f"（2026）浙0602民初{i}号",
                        "effective_on": "2026-06-01",
                        "performance_deadline": "2026-06-15",
                        "principal": "20000",
                    },
                    parties=[
                        {
                            "role": "applicant",
                            "kind": "natural_person",
                            "name": people[-1].name,
                            "id_number": people[-1].id_number,
                        },
                        {
                            "role": "debtor",
                            "kind": "natural_person",
                            "name": people[i].name,
                            "id_number": people[i].id_number,
                        },
                    ],
                    jurisdiction_basis="first_instance",
                    materials=["application", "title", "identity"],
                    received_on=date(2026, 11, 2),
                )
                cases.append(case_services.application_accept(actor=world.clerk, application_id=app.pk))
            assert all(c.judge_id == world.judge.pk for c in cases)
            assert all(c.judge_id == world.judge.pk for c in cases)
            concurrency = int(settings.AGENCY_DISPATCH_CONCURRENCY)
            bare = asyncio.run(
                bare_loop(f"http://127.0.0.1:{port}", n, concurrency, [(p.name, p.id_number) for p in people])
            )

            start = time.perf_counter()
            for case in cases:
                inquiry_start(actor=world.judge, case_id=case.pk)
            report = dispatch_all()
            platform = n / (time.perf_counter() - start)
            answered = AgencyRequest.objects.filter(status="answered").count()
            assert answered == n and report.failed == 0, (answered, report)
        finally:
            sim.kill()
            sim.wait()

        what = f"{cases_n} inquiries × {AGENCIES_PER_INQUIRY} agencies"
        print(f"\ndatabase: {connection.vendor}; requests: {n} ({what}); concurrency {concurrency}")
        print(f"{'measure':<44} {'rate':>10}   {'baseline':<26} {'rate':>10}   ratio")
        print(
            f"{'agency requests, decision → answer recorded':<44} {platform:>10.1f}   "
            f"{'bare async aiohttp loop':<26} {bare:>10.1f}   {platform / bare:.3f}  (requests/s)"
        )
        print(f"agency requests per second end to end / bare async client per second = {platform / bare:.3f}")


if __name__ == "__main__":
    main()
