"""案件基准：case acts per second against raw single-row INSERT+COMMIT on the same database.

    uv run python bench/bench_cases.py [--full]      # SQLite under /tmp
    DATABASE_URL=postgres://… uv run python bench/bench_cases.py

Measured in one run, on one database:

1. baseline: raw single-row ``INSERT`` + ``COMMIT`` into a scratch table (no ORM);
2. case acts: ``cases.services.case_act`` (permission and stage checks, node completion, the SM3
   journal append under the stream's head lock, the alert summary) — one transaction each;
3. an act on a case with 300 journal events against one with 10 (the chain must not slow down);
4. the workbench's first page (50 rows, sorted by alert and due date) with 1,000 open cases in the
   team against N (10,000, or 100,000 with --full) — an indexed list costs the same.

Each figure is printed as a ratio to its baseline; the last line is the case-act ratio.
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import date
from pathlib import Path

from _common import raw_insert_rate, seed_world, setup_django, timed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--full", action="store_true", help="larger sizes (100,000 cases in the list test)")
    args = parser.parse_args()
    n_acts = 1000 if args.full else 200
    n_list = 100_000 if args.full else 10_000

    with tempfile.TemporaryDirectory(prefix="zhixing-bench-", dir="/tmp") as tmp:
        setup_django(Path(tmp))
        from django.db import connection, transaction

        from zhixing.cases import selectors, services
        from zhixing.cases.models import EnforcementCase, EnforcementTitle
        from zhixing.core.journal import journal_append

        world = seed_world()
        court, team, judge = world.court, world.team, world.judge
        cases = [world.new_case(i) for i in range(20)]
        rows: list[tuple[str, float, str, float, str]] = []

        # 1. raw INSERT+COMMIT vs case acts
        raw_rate = raw_insert_rate(n_acts)
        act_rate = timed(
            lambda i: services.case_act(
                actor=judge, case_id=cases[i % len(cases)].pk, kind="network_inquiry.done", note="查询"
            ),
            n_acts,
        )
        rows.append(
            ("case act (case_act, one transaction)", act_rate, "raw INSERT+COMMIT", raw_rate, "acts/s")
        )

        # 2. an act on a case with 300 events vs one with 10
        long_case, short_case = cases[0], cases[1]
        with transaction.atomic():
            for k in range(300 - journal_count(long_case)):
                journal_append(
                    stream=long_case.stream, kind="network_inquiry.done", actor=judge, payload={"k": k}
                )

        def act_on(c: EnforcementCase):  # type: ignore[no-untyped-def]
            def go(i: int) -> None:
                services.case_act(actor=judge, case_id=c.pk, kind="network_inquiry.done", note="q")

            return go

        # short, long, short again: the baseline is the mean of the two short runs
        short_rate = timed(act_on(short_case), 100)
        long_rate = timed(act_on(long_case), 100)
        short_rate = (short_rate + timed(act_on(short_case), 100)) / 2
        rows.append(("act on a case with 300 events", long_rate, "on a case with ~10", short_rate, "acts/s"))

        # 3. the workbench page with 1,000 vs n_list open cases in the team
        title = EnforcementTitle.objects.first()
        assert title is not None

        def fill(total: int) -> None:
            have = EnforcementCase.objects.count()
            batch = []
            for i in range(have, total):
                batch.append(
                    EnforcementCase(
                        court=court,
                        case_number=f"（2025）浙0602执{i + 100000}号",
                        year=2025,
                        type_code="执",
                        sequence=i + 100000,
                        title=title,
                        stage="in_enforcement",
                        track="fast_track",
                        team=team,
                        judge=judge,
                        received_on=date(2025, 3, 1),
                        filed_on=date(2025, 3, 2),
                        claim_amount=1000,
                        alert_rank=i % 3,
                        next_due_on=date(2025, 4, 1 + i % 28),
                    )
                )
                if len(batch) == 5000:
                    EnforcementCase.objects.bulk_create(batch)
                    batch = []
            EnforcementCase.objects.bulk_create(batch)

        def page(_: int) -> None:
            list(selectors.case_list(user=judge)[:50])

        fill(1000)
        small = timed(page, 50)
        fill(n_list)
        if connection.vendor == "postgresql":  # fresh statistics, as autovacuum keeps them in production
            with connection.cursor() as cur:
                cur.execute("ANALYZE cases_enforcementcase")
        large = timed(page, 50)
        rows.append((f"workbench page, {n_list:,} cases", large, "1,000 cases", small, "pages/s"))

        print(f"\ndatabase: {connection.vendor}; acts measured: {n_acts}")
        print(f"{'measure':<40} {'rate':>10}   {'baseline':<24} {'rate':>10}   ratio")
        for name, value, base_name, base, unit in rows:
            print(f"{name:<40} {value:>10.1f}   {base_name:<24} {base:>10.1f}   {value / base:.3f}  ({unit})")
        print(f"case acts per second / raw INSERT+COMMIT per second = {act_rate / raw_rate:.3f}")


def journal_count(case: object) -> int:
    from zhixing.core.models import JournalEvent

    return JournalEvent.objects.filter(stream=case.stream).count()  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
