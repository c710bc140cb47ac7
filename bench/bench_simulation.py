"""模拟城市基准：simulated journal events per second (the city played through the services in simulated
time) against bare journal appends per second, measured in the same run on the same database.

    uv run python bench/bench_simulation.py            # 30 days at scale 0.005 (CI size), SQLite under /tmp
    uv run python bench/bench_simulation.py --full     # the first half of 2021 at scale 0.01
    DATABASE_URL=postgres://… uv run python bench/bench_simulation.py [--full]

1. baseline: ``core.journal.journal_append`` (the SM3 chain under the stream's head lock), one
   transaction each — the floor of any act, since every act writes at least one event;
2. the simulation: ``zhixing.twin.driver.simulate`` — applications, filings, notices rendered as PDFs,
   asset search through the agency simulator over HTTP, freezes, deductions, receipts, measures,
   closings, the nightly sweeps and the command center's projection — its journal events per second.

The last line is the ratio of the two.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
from pathlib import Path

from _common import setup_django, timed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--full", action="store_true", help="the first half of 2021 at scale 0.01")
    args = parser.parse_args()
    if args.full:
        start, end, scale = dt.date(2021, 1, 1), dt.date(2021, 6, 30), 0.01
    else:
        start, end, scale = dt.date(2021, 3, 1), dt.date(2021, 3, 30), 0.005

    with tempfile.TemporaryDirectory(prefix="zhixing-bench-", dir="/tmp") as tmp:
        setup_django(Path(tmp))
        from django.db import connection, transaction

        from zhixing.core.journal import journal_append, verify_chains
        from zhixing.twin.driver import simulate

        def append(i: int) -> None:
            with transaction.atomic():
                journal_append(stream=f"bench:{i % 50}", kind="bench.event", actor=None, payload={"i": i})

        append_rate = timed(append, 2000 if args.full else 500)
        summary = simulate(start, end, scale=scale, seed=2021)
        sim_rate = summary.events_per_second
        assert verify_chains().ok
        print(f"database: {connection.vendor}; simulated {start} — {end} at scale {scale}")
        print(
            f"cases filed {summary.filed:,}, closed {summary.closed:,}; journal events {summary.events:,} "
            f"in {summary.wall_seconds:.1f} s"
        )
        print(f"bare journal appends per second: {append_rate:,.1f}")
        print(f"simulated journal events per second: {sim_rate:,.1f}")
        print(f"simulated events per second / bare journal appends per second = {sim_rate / append_rate:.4f}")


if __name__ == "__main__":
    main()
