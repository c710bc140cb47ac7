"""名单核查基准：checks of listed identities per second — in process against a bare Python ``set`` of
the same identities, and over HTTP against a bare endpoint of the same framework (Django + Ninja) —
plus the memory the list takes, in one run.

    uv run python bench/bench_lists.py [--full]     # 200,000 listed identities; --full: 5,000,000
    DATABASE_URL=postgres://… uv run python bench/bench_lists.py

Set-up (not timed): N distinct valid resident ID numbers are put on the dishonest-debtor list as
published entries (one synthetic measure; each entry carries the keyed lookup hash of its number,
as the services write them). Queries are batches of 1,000 numbers, 1 % of them listed.

1. in process: ``measures.lists.check`` (validate each number, its keyed hash, the in-memory index,
   the hits confirmed against the database) vs ``n in set`` over the same batches;
2. over HTTP: the partners' batch endpoint ``POST /api/v1/measures/partners/check-batch`` (key,
   rate limit, the check, one log row per call) served by gunicorn, vs ``bench/bare_lists_app.py``
   (Ninja, a set, nothing else) served by gunicorn, one worker each, the same batches;
3. memory: the index after loading N identities (tracemalloc), and the bare set of the numbers.

The last line is the in-process ratio (platform checks per second / set checks per second).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import tracemalloc
import urllib.request
from pathlib import Path

from _common import ROOT, seed_world, setup_django

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"
DIVISIONS = [
    "330602",
    "330603",
    "330604",
    "330624",
    "330681",
    "330682",
    "330683",
    "330102",
    "330106",
    "330110",
]


def resident_ids(n: int, *, offset: int = 0) -> list[str]:
    """n distinct valid resident ID numbers (region, birth date 1950–2004, serial, check digit)."""
    out: list[str] = []
    i = offset
    while len(out) < n:
        division = DIVISIONS[i % len(DIVISIONS)]
        day = (i // len(DIVISIONS)) % 20000
        serial = (i // (len(DIVISIONS) * 20000)) % 999 + 1
        y, rest = divmod(day, 365)
        month, dom = divmod(rest, 28)
        body = f"{division}{1950 + y % 55:04d}{month % 12 + 1:02d}{dom + 1:02d}{serial:03d}"
        out.append(body + CHECK[sum(int(c) * w for c, w in zip(body, WEIGHTS, strict=True)) % 11])
        i += 1
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(argv: list[str], env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return proc
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    raise SystemExit(f"server on {port} did not start")


def post(url: str, body: dict[str, object], headers: dict[str, str], timeout: float = 600) -> object:
    req = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json", **headers}
    )
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.loads(r.read())


def http_rate(url: str, batches: list[list[str]], headers: dict[str, str]) -> float:
    post(url, {"id_numbers": batches[0]}, headers)  # warm-up (the platform loads its index here)
    start = time.perf_counter()
    for batch in batches:
        post(url, {"id_numbers": batch}, headers)
    return sum(len(b) for b in batches) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--full", action="store_true", help="5,000,000 listed identities instead of 200,000")
    args = parser.parse_args()
    n = 5_000_000 if args.full else 200_000
    batches_n = 200 if args.full else 50

    with tempfile.TemporaryDirectory(prefix="zhixing-bench-", dir="/tmp") as tmp:
        setup_django(Path(tmp))
        from django.db import connection, transaction

        from zhixing.core import identity
        from zhixing.measures import lists
        from zhixing.measures.models import ListEntry, Measure

        world = seed_world()
        case = world.new_case(1)
        party = case.parties.filter(role="debtor").first().party
        measure = Measure.objects.create(
            case=case,
            party=party,
            kind="dishonest_listing",
            decided_on=case.filed_on,
            starts_on=case.filed_on,
            decided_by=world.judge,
        )
        listed = resident_ids(n)
        t0 = time.perf_counter()
        table = ListEntry._meta.db_table
        sql = (
            f"INSERT INTO {table} (kind, measure_id, party_id, lookup, public, active, published_at) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s)"
        )
        now = case.filed_on.isoformat() + "T00:00:00+00:00"
        for first in range(0, n, 50_000):
            chunk = listed[first : first + 50_000]
            rows = [
                ("dishonest", measure.pk, party.pk, identity.lookup_hash("resident_id", x), "{}", True, now)
                for x in chunk
            ]
            with transaction.atomic(), connection.cursor() as cur:
                cur.executemany(sql, rows)
        setup_s = time.perf_counter() - t0

        rng = random.Random(7)
        unlisted = resident_ids(batches_n * 1000, offset=n + 17)
        batches = []
        for b in range(batches_n):
            batch = unlisted[b * 1000 : b * 1000 + 990] + rng.sample(listed, 10)
            rng.shuffle(batch)
            batches.append(batch)
        total = batches_n * 1000

        # memory: the index, and the bare set
        tracemalloc.start()
        index = lists.ListIndex()
        index.load()
        index_bytes = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        tracemalloc.start()
        bare = {x.encode().decode() for x in listed}  # new strings: the set and the numbers it holds
        set_bytes = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()

        start = time.perf_counter()
        hits_bare = sum(1 for batch in batches for x in batch if x in bare)
        set_rate = total / (time.perf_counter() - start)
        lists.INDEX = index
        start = time.perf_counter()
        hits = sum(sum(1 for r in lists.check(batch, index=index) if r.listed) for batch in batches)
        check_rate = total / (time.perf_counter() - start)
        assert hits == hits_bare == batches_n * 10, (hits, hits_bare)

        # over HTTP: the partners' endpoint vs the bare Ninja endpoint, gunicorn with one worker each
        _, key = lists.partner_create(name="基准航空", kind="airline", rate_per_minute=1_000_000)
        ids_file = Path(tmp) / "ids.txt"
        ids_file.write_text("\n".join(listed), encoding="ascii")
        env = {**os.environ, "BARE_IDS_FILE": str(ids_file), "PYTHONPATH": str(ROOT)}
        p_port, b_port = free_port(), free_port()
        gunicorn = [sys.executable, "-m", "gunicorn", "--workers", "1", "--timeout", "600"]
        platform = serve(
            [*gunicorn, "--bind", f"127.0.0.1:{p_port}", "zhixing.config.wsgi:application"], env, p_port
        )
        bare_app = serve(
            [*gunicorn, "--bind", f"127.0.0.1:{b_port}", "bench.bare_lists_app:application"], env, b_port
        )
        try:
            http_platform = http_rate(
                f"http://127.0.0.1:{p_port}/api/v1/measures/partners/check-batch",
                batches,
                {"X-Partner-Key": key},
            )
            http_bare = http_rate(f"http://127.0.0.1:{b_port}/check-batch", batches, {})
        finally:
            for proc in (platform, bare_app):
                os.killpg(proc.pid, signal.SIGKILL)  # gunicorn and its worker
                proc.wait()

        print(f"\ndatabase: {connection.vendor}; listed identities: {n:,} (set-up {setup_s:.0f} s); "
              f"checked: {total:,} in batches of 1,000, 1 % listed")  # fmt: skip
        print(f"memory: index {index_bytes / 2**20:,.0f} MiB ({index_bytes / n:.0f} B per identity); "
              f"bare set of the numbers {set_bytes / 2**20:,.0f} MiB")  # fmt: skip
        print(f"{'measure':<44} {'rate':>12}   {'baseline':<28} {'rate':>12}   ratio")
        http_ratio = http_platform / http_bare
        label_p, label_b = "HTTP: partners check-batch (gunicorn ×1)", "HTTP: bare Ninja set (gunicorn ×1)"
        print(f"{label_p:<44} {http_platform:>12,.0f}   {label_b:<28} {http_bare:>12,.0f}   {http_ratio:.3f}")
        ratio = check_rate / set_rate
        print(f"{'in process: lists.check':<44} {check_rate:>12,.0f}   {'in process: n in set':<28} "
              f"{set_rate:>12,.0f}   {ratio:.4f}")  # fmt: skip
        print(f"list checks per second in process / bare set per second = {check_rate / set_rate:.4f}")


if __name__ == "__main__":
    main()
