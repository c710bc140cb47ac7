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
import tempfile
import time
from pathlib import Path

from _common import raw_insert_rate, seed_world, setup_django


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--full", action="store_true", help="a batch of 10,000 lines instead of 1,000")
    args = parser.parse_args()
    n = 10_000 if args.full else 1000

    with tempfile.TemporaryDirectory(prefix="zhixing-bench-", dir="/tmp") as tmp:
        setup_django(Path(tmp))
        from django.db import connection

        from zhixing.core import services as core_services
        from zhixing.core.roles import Role
        from zhixing.funds import payouts, services
        from zhixing.funds.models import Bank, CaseAccount

        world = seed_world()
        court = world.court
        chief, chief2 = (
            core_services.staff_create(
                username=u,
                full_name=u,
                court=court,
                role=Role.BUREAU_CHIEF,
                password="x",
                check_password=False,
            )
            for u in ("b1", "b2")
        )
        Bank.objects.create(code="SIM", name="模拟银行", court=court, key="k")
        accounts = [CaseAccount.objects.get(case=world.new_case(i, principal="100000000")) for i in range(20)]
        for i, acct in enumerate(accounts):
            services.receipt_record(
                court=court, account_number=acct.number, amount="50000000.00", idempotency_key=f"fund:{i}"
            )
        lines = [
            (
                accounts[i % len(accounts)].case_id,
                f"收款人{i}",
                "6222020000120000" if i % 500 == 7 else f"6222{i:012d}1",
                "12.50",
            )
            for i in range(n)
        ]
        raw_rate = raw_insert_rate(min(n, 2000))
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
