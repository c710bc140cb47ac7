"""发放基准：payout lines settled per second for one batch, against raw single-row INSERT+COMMIT.

    uv run python bench/bench_payouts.py [--full]      # SQLite under /tmp; --full = 10,000 lines
    DATABASE_URL=postgres://… uv run python bench/bench_payouts.py

Measured in one run, on one database:

1. baseline: raw single-row ``INSERT`` + ``COMMIT`` into a scratch table (no ORM);
2. payouts: ``payout_propose`` + the bureau chief's approval (one posting, one entry per line) +
   ``payout_batch_process`` against the bank simulator (chunks of 1,000: lines marked sent, the bank
   asked, results, postings and the journal written) — lines settled per second, end to end.

The last line is the ratio payout lines per second / raw INSERT+COMMIT per second.
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


def timed(fn, n: int) -> float:  # type: ignore[no-untyped-def,unused-ignore]
    start = time.perf_counter()
    for i in range(n):
        fn(i)
    return n / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--full", action="store_true", help="a batch of 10,000 lines instead of 1,000")
    args = parser.parse_args()
    n = 10_000 if args.full else 1000

    with tempfile.TemporaryDirectory(prefix="zhixing-bench-", dir="/tmp") as tmp:
        setup_django(Path(tmp))
        from django.db import connection, transaction

        from zhixing.cases import services as case_services
        from zhixing.core import services as core_services
        from zhixing.core.demo import resident_id
        from zhixing.core.models import Department, Team, User
        from zhixing.core.roles import Role
        from zhixing.funds import payouts, services
        from zhixing.funds.models import Bank

        courts = {c.court_code: c for c in core_services.org_seed_courts()}
        court = courts["浙0602"]
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
                team=team if role == Role.CLERK else None,
                role=role,
                password="x",
                check_password=False,
            )

        clerk, chief, chief2 = (
            staff("c", Role.CLERK),
            staff("b1", Role.BUREAU_CHIEF),
            staff("b2", Role.BUREAU_CHIEF),
        )
        lawyer = User.objects.create_user("l", role=Role.LAWYER)
        Bank.objects.create(code="SIM", name="模拟银行", court=court, key="k")

        def new_case(i: int):  # type: ignore[no-untyped-def,unused-ignore]
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
        for i, acct in enumerate(accounts):
            services.receipt_record(
                court=court, account_number=acct.number, amount="50000000.00", idempotency_key=f"fund:{i}"
            )

        with connection.cursor() as cur:
            cur.execute("CREATE TABLE bench_raw (id INTEGER PRIMARY KEY, payload TEXT)")

        def raw(i: int) -> None:
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute("INSERT INTO bench_raw (id, payload) VALUES (%s, %s)", [i, "x" * 100])

        lines = [
            (
                accounts[i % len(accounts)].case_id,
                f"收款人{i}",
                "6222020000120000" if i % 500 == 7 else f"6222{i:012d}1",
                "12.50",
            )
            for i in range(n)
        ]
        raw_rate = timed(raw, min(n, 2000))
        start = time.perf_counter()
        batch = payouts.payout_propose(actor=chief, court=court, lines=lines)
        assert batch.approval_id is not None
        core_services.approval_decide(actor=chief2, approval_id=batch.approval_id, approve=True)
        report = payouts.payout_batch_process(batch_id=batch.pk, gateway=payouts.SimulatedPayoutGateway())
        pay_rate = n / (time.perf_counter() - start)
        assert report.paid + report.failed == n, report
        print(f"\ndatabase: {connection.vendor}; payout lines in the batch: {n} ({report.failed} failed)")
        print(f"{'measure':<40} {'rate':>10}   {'baseline':<24} {'rate':>10}   ratio")
        print(
            f"{'payout lines (propose+approve+send)':<40} {pay_rate:>10.1f}   {'raw INSERT+COMMIT':<24} "
            f"{raw_rate:>10.1f}   {pay_rate / raw_rate:.3f}  (lines/s)"
        )
        print(f"payout lines settled per second / raw INSERT+COMMIT per second = {pay_rate / raw_rate:.3f}")


if __name__ == "__main__":
    main()
