"""台账基准：receipts posted per second against raw single-row INSERT+COMMIT on the same database.

    uv run python bench/bench_ledger.py [--full]      # SQLite under /tmp
    DATABASE_URL=postgres://… uv run python bench/bench_ledger.py

Measured in one run, on one database:

1. baseline: raw single-row ``INSERT`` + ``COMMIT`` into a scratch table (no ORM);
2. receipts: ``funds.services.receipt_record`` (number check, idempotency lookup, posting + entry,
   the SM3 journal append, the case position and the full-performance check) — one transaction each.

The last line is the ratio receipts per second / raw INSERT+COMMIT per second.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from _common import raw_insert_rate, seed_world, setup_django, timed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--full", action="store_true", help="more postings (2,000 instead of 300)")
    args = parser.parse_args()
    n = 2000 if args.full else 300

    with tempfile.TemporaryDirectory(prefix="zhixing-bench-", dir="/tmp") as tmp:
        setup_django(Path(tmp))
        from django.db import connection

        from zhixing.funds import services
        from zhixing.funds.models import CaseAccount

        world = seed_world()
        court = world.court
        accounts = [CaseAccount.objects.get(case=world.new_case(i, principal="100000000")) for i in range(20)]

        def receipt(i: int) -> None:
            services.receipt_record(
                court=court,
                account_number=accounts[i % len(accounts)].number,
                amount="123.45",
                idempotency_key=f"bench:{i}",
            )

        raw_rate = raw_insert_rate(n)
        post_rate = timed(receipt, n)
        tpcb = pgbench_tpcb(connection.settings_dict) if connection.vendor == "postgresql" else None
        print(f"\ndatabase: {connection.vendor}; postings measured: {n}")
        print(f"{'measure':<40} {'rate':>10}   {'baseline':<24} {'rate':>10}   ratio")
        print(
            f"{'receipt (receipt_record, one txn)':<40} {post_rate:>10.1f}   {'raw INSERT+COMMIT':<24} "
            f"{raw_rate:>10.1f}   {post_rate / raw_rate:.3f}  (postings/s)"
        )
        if tpcb:
            print(
                f"{'receipt (receipt_record, one txn)':<40} {post_rate:>10.1f}   {'pgbench TPC-B-like':<24} "
                f"{tpcb:>10.1f}   {post_rate / tpcb:.3f}  (transactions/s)"
            )
            print(f"receipts per second / pgbench TPC-B-like TPS = {post_rate / tpcb:.3f}")
        else:
            print(f"receipts per second / raw INSERT+COMMIT per second = {post_rate / raw_rate:.3f}")


def pgbench_tpcb(db: dict[str, object], *, seconds: int = 5) -> float | None:
    """pgbench's TPC-B-like rate (2 clients, scale 1) on the same PostgreSQL, in its own schema-free database.

    Uses the bench database itself (pgbench creates its pgbench_* tables there). None when pgbench is missing.
    """
    import glob
    import re
    import shutil
    import subprocess

    exe = shutil.which("pgbench") or next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/pgbench"))), None)
    if exe is None:
        return None
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    args = [
        "-h",
        str(db.get("HOST") or "127.0.0.1"),
        "-p",
        str(db.get("PORT") or 5432),
        "-U",
        str(db.get("USER") or "postgres"),
    ]
    name = str(db["NAME"])
    subprocess.run([exe, "-i", "-s", "1", "-q", *args, name], env=env, check=True, capture_output=True)
    out = subprocess.run(
        [exe, "-c", "2", "-j", "2", "-T", str(seconds), "-b", "tpcb-like", *args, name],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    match = re.search(r"tps = ([0-9.]+)", out)
    return float(match.group(1)) if match else None


if __name__ == "__main__":
    main()
