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
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(workdir: Path) -> None:
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


def timed(fn, n: int) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    for i in range(n):
        fn(i)
    return n / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--full", action="store_true", help="more postings (2,000 instead of 300)")
    args = parser.parse_args()
    n = 2000 if args.full else 300

    with tempfile.TemporaryDirectory(prefix="zhixing-bench-", dir="/tmp") as tmp:
        setup_django(Path(tmp))
        from django.db import connection, transaction

        from zhixing.cases import services as case_services
        from zhixing.core import services as core_services
        from zhixing.core.demo import resident_id
        from zhixing.core.models import Department, Team, User
        from zhixing.core.roles import Role
        from zhixing.funds import services

        courts = {c.court_code: c for c in core_services.org_seed_courts()}
        court = courts["浙0602"]
        dept = core_services.department_create(
            court=court, kind=Department.Kind.ENFORCEMENT_BUREAU, name="执行局"
        )
        team = core_services.team_create(court=court, department=dept, name="快执1组", track=Team.Track.FAST)
        core_services.team_create(court=court, department=dept, name="精执1组", track=Team.Track.COMPLEX)
        clerk = core_services.staff_create(
            username="c",
            full_name="书记员",
            court=court,
            team=team,
            role=Role.CLERK,
            password="x",
            check_password=False,
        )
        lawyer = User.objects.create_user("l", role=Role.LAWYER)

        def new_case(i: int):  # type: ignore[no-untyped-def]
            app = case_services.application_submit(
                actor=lawyer,
                court=court,
                title={
                    "kind": "judgment",
                    "issuing_body": "绍兴市越城区人民法院",
                    "issuing_court_code": "浙0602",
                    "document_number": f"（2026）浙0602民初{i}号",
                    "effective_on": "2026-06-01",
                    "performance_deadline": "2026-06-15",
                    "principal": "100000000",
                },
                parties=[
                    {
                        "role": "applicant",
                        "kind": "natural_person",
                        "name": "甲",
                        "id_number": resident_id("330602", "19700101", i % 900 + 1),
                    },
                    {
                        "role": "debtor",
                        "kind": "natural_person",
                        "name": "乙",
                        "id_number": resident_id("330602", "19800101", i % 900 + 1),
                    },
                ],
                jurisdiction_basis="first_instance",
                materials=["application", "title", "identity"],
                received_on=date(2026, 11, 2),
            )
            case = case_services.application_accept(actor=clerk, application_id=app.pk, on=date(2026, 11, 3))
            return services.case_account_open(case=case)

        accounts = [new_case(i) for i in range(20)]

        with connection.cursor() as cur:
            cur.execute("CREATE TABLE bench_raw (id INTEGER PRIMARY KEY, payload TEXT)")

        def raw(i: int) -> None:
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute("INSERT INTO bench_raw (id, payload) VALUES (%s, %s)", [i, "x" * 100])

        def receipt(i: int) -> None:
            services.receipt_record(
                court=court,
                account_number=accounts[i % len(accounts)].number,
                amount="123.45",
                idempotency_key=f"bench:{i}",
            )

        raw_rate = timed(raw, n)
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
