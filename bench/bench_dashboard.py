"""指挥中心基准：a city screen over N journal events against a direct GROUP BY over the same events.

    uv run python bench/bench_dashboard.py                 # 200,000 events (CI size), SQLite under /tmp
    uv run python bench/bench_dashboard.py --full          # 10,000,000 events
    DATABASE_URL=postgres://… uv run python bench/bench_dashboard.py [--full]

Measured in one run, on one database:

1. the city's journal: the demo organisation (seven courts, their teams and judges), cases bulk-written
   and ~50 journal events per case written straight into the journal table (filings, assignments, acts,
   receipts, measures, controls, overdue nodes, closings in every mode, and many events the KPIs do not
   count) spread over two years — a load generator, not the services (whose cost bench_cases measures);
2. the projection catching up from nothing: events per second into the roll-ups;
3. the city screen (``/command/courts/浙06/``, the full page rendered in process: KPIs with the same
   half-year a year earlier, every court, team and judge ranked, trends, alerts, instructions) — at
   1,000 events and at N events, so that its cost can be seen not to grow with the events;
4. the baseline: the direct GROUP BY over the same events that the screen's filed / closed counts
   need at the least (period totals and the stock before it, by court), timed the same way.

The screen's filed and closed counts are checked against the GROUP BY's. The last line is the ratio
of the screen's latency to the direct GROUP BY's at N events.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import setup_django

FILLER = [
    "network_inquiry.done",
    "document.issued",
    "delivery.sent",
    "delivery.delivered",
    "nodes.opened",
    "case.stage_changed",
    "asset_control.requested",
    "measures.proposed",
    "applicant.leads_requested",
    "performance_notice.issued",
]
START = dt.date(2025, 1, 1)
DAYS = 730


def _events_for_case(
    rng: random.Random, case: dict[str, Any], per_case: int
) -> list[tuple[str, str, dict[str, Any]]]:
    """(kind, iso datetime, payload) of one case, in order."""
    filed = case["filed_on"]
    end = case["closed_on"] or min(filed + dt.timedelta(days=240), START + dt.timedelta(days=DAYS - 1))
    span = max((end - filed).days, 1)

    def at(day: dt.date) -> str:
        return dt.datetime.combine(day, dt.time(9, rng.randrange(60))).isoformat() + "+08:00"

    out = [("case.filed", at(filed), {}), ("case.assigned", at(filed), {})]
    middle: list[tuple[str, str, dict[str, Any]]] = []
    extra = per_case - 3
    for _ in range(extra):
        day = filed + dt.timedelta(days=rng.randrange(span))
        r = rng.random()
        if r < 0.04:
            middle.append(("funds.receipt", at(day), {"amount": f"{rng.randrange(100, 50000)}.00"}))
        elif r < 0.06:
            middle.append(("node.overdue", at(day), {}))
        elif r < 0.07:
            middle.append(("asset_control.effective", at(day), {}))
        elif r < 0.075:
            middle.append(("measures.taken", at(day), {}))
        elif r < 0.078:
            middle.append(("settlement.recorded", at(day), {}))
        else:
            middle.append((rng.choice(FILLER), at(day), {"note": "x"}))
    middle.sort(key=lambda e: e[1])
    out += middle
    if case["closed_on"]:
        out.append(("case.closed", at(case["closed_on"]), {"mode": case["closing_mode"]}))
    return out


def build_city(n_events: int, seed: int = 7) -> dict[str, Any]:
    """Cases and their journal, bulk-written. Returns what was written (for the checks)."""
    from django.db import connection, transaction

    from zhixing.cases.models import EnforcementCase, EnforcementTitle
    from zhixing.core.demo import demo_seed
    from zhixing.core.models import Court, User
    from zhixing.core.roles import Role

    demo_seed()
    rng = random.Random(seed)
    per_case = 50
    n_cases = max(n_events // per_case, 1)
    courts = list(Court.objects.exclude(level=Court.Level.HIGH))
    judges: dict[int, list[tuple[int, int]]] = {}
    for u in User.objects.filter(role=Role.JUDGE, team__isnull=False):
        judges.setdefault(u.court_id or 0, []).append((u.team_id or 0, u.pk))
    courts = [c for c in courts if c.pk in judges]
    title = EnforcementTitle.objects.create(
        kind="judgment",
        issuing_body="绍兴市越城区人民法院",
        document_number="（2024）浙0602民初1号",
        effective_on=dt.date(2024, 12, 1),
        performance_deadline=dt.date(2024, 12, 15),
        principal=10000,
        fingerprint="bench",
    )
    modes = ["fully_performed"] * 5 + ["no_assets_closure"] * 3 + ["termination", "withdrawn_from_docket"]
    written = 0
    first = 900_000 + EnforcementCase.objects.filter(sequence__gte=900_000).count()
    case_rows: list[EnforcementCase] = []
    for i in range(n_cases):
        court = courts[i % len(courts)]
        team_id, judge_id = rng.choice(judges[court.pk])
        filed = START + dt.timedelta(days=rng.randrange(DAYS - 30))
        closed = None
        if rng.random() < 0.65:
            closed = min(
                filed + dt.timedelta(days=rng.randrange(10, 300)), START + dt.timedelta(days=DAYS - 1)
            )
        case_rows.append(
            EnforcementCase(
                court=court,
                case_number=f"（{filed.year}）{court.court_code}执{first + i}号",
                year=filed.year,
                type_code="执",
                sequence=first + i,
                title=title,
                stage="closed" if closed else "in_enforcement",
                track="fast_track",
                team_id=team_id,
                judge_id=judge_id,
                received_on=filed,
                filed_on=filed,
                claim_amount=rng.randrange(1000, 500000),
                enforcement_deadline=filed + dt.timedelta(days=183),
                closed_on=closed,
                closing_mode=rng.choice(modes) if closed else "",
            )
        )
    for k in range(0, len(case_rows), 5000):
        EnforcementCase.objects.bulk_create(case_rows[k : k + 5000])
    cases = list(
        EnforcementCase.objects.filter(sequence__gte=first).values(
            "id", "court_id", "filed_on", "closed_on", "closing_mode"
        )
    )
    sql = (
        "INSERT INTO core_journalevent"
        " (stream, seq, kind, court_id, actor_id, occurred_at, payload, prev_hash, hash)"
        " VALUES (%s, %s, %s, %s, NULL, %s, %s, %s, %s)"
    )
    batch: list[tuple[Any, ...]] = []
    started = time.perf_counter()
    for c in cases:
        stream = f"case:{c['id']}"
        for s, (kind, at, payload) in enumerate(_events_for_case(rng, c, per_case), start=1):
            digest = f"{c['id']:032x}{s:032x}"
            batch.append((stream, s, kind, c["court_id"], at, json.dumps(payload), "0" * 64, digest))
        if len(batch) >= 50_000:
            with transaction.atomic(), connection.cursor() as cur:
                cur.executemany(sql, batch)
            written += len(batch)
            batch = []
            print(f"\r  journal events written: {written:,}", end="", flush=True)
    if batch:
        with transaction.atomic(), connection.cursor() as cur:
            cur.executemany(sql, batch)
        written += len(batch)
    print(f"\r  journal events written: {written:,} in {time.perf_counter() - started:.0f} s", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE core_journalevent")
    return {"events": written, "cases": len(cases)}


def group_by(period_start: dt.date, period_end: dt.date) -> dict[int, tuple[int, int, int, int]]:
    """The baseline: per court, filed and closed events in the period and before it (the stock)."""
    from django.db import connection

    start = dt.datetime.combine(period_start, dt.time.min).isoformat() + "+08:00"
    end = dt.datetime.combine(period_end + dt.timedelta(days=1), dt.time.min).isoformat() + "+08:00"
    q = (
        "SELECT court_id,"
        " SUM(CASE WHEN kind = 'case.filed' AND occurred_at >= %s THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN kind = 'case.closed' AND occurred_at >= %s THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN kind = 'case.filed' AND occurred_at < %s THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN kind = 'case.closed' AND occurred_at < %s THEN 1 ELSE 0 END)"
        " FROM core_journalevent WHERE kind IN ('case.filed', 'case.closed') AND occurred_at < %s"
        " GROUP BY court_id"
    )
    with connection.cursor() as cur:
        cur.execute(q, [start, start, start, start, end])
        return {row[0]: (int(row[1]), int(row[2]), int(row[3]), int(row[4])) for row in cur.fetchall()}


def median_ms(fn: Any, n: int) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return times[len(times) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--full", action="store_true", help="10,000,000 journal events")
    parser.add_argument(
        "--events", type=int, default=None, help="number of journal events (overrides --full)"
    )
    args = parser.parse_args()
    n_events = args.events or (10_000_000 if args.full else 200_000)

    with tempfile.TemporaryDirectory(prefix="zhixing-bench-", dir="/tmp") as tmp:
        setup_django(Path(tmp))
        from django.conf import settings
        from django.db import connection
        from django.test import Client

        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

        from zhixing.command.projection import project_pending
        from zhixing.command.selectors import Period, figures_by
        from zhixing.core.models import Court, User
        from zhixing.core.roles import Role

        period = Period(dt.date(2026, 1, 1), dt.date(2026, 6, 30))
        url = f"/command/courts/浙06/?from={period.start}&to={period.end}"

        def screen_ms(client: Client) -> float:
            def get() -> None:
                r = client.get(url)
                assert r.status_code == 200, r.status_code

            get()  # warm
            return median_ms(get, 9)

        supervisor_of = lambda: User.objects.get(role=Role.SUPERVISOR, court__court_code="浙06")  # noqa: E731
        tenth = build_city(n_events // 10, seed=1)
        project_pending(limit=10_000)
        client = Client()
        client.force_login(supervisor_of())
        tenth_ms = screen_ms(client)

        print(
            f"building the rest of the journal: {n_events - tenth['events']:,} events on {connection.vendor}"
        )
        rest = build_city(n_events - tenth["events"], seed=2)
        t = time.perf_counter()
        projected = project_pending(limit=10_000)
        project_s = time.perf_counter() - t
        big_ms = screen_ms(client)
        ids = list(Court.objects.filter(path__startswith="/浙/浙06/").values_list("pk", flat=True))
        kpi_ms = median_ms(lambda: figures_by(period=period, court_ids=ids), 9)
        base_ms = median_ms(lambda: group_by(period.start, period.end), 5)

        # the screen's counts equal the GROUP BY's over the events
        fig = figures_by(period=period, court_ids=ids)[None].totals
        direct = group_by(period.start, period.end)
        filed = sum(v[0] for v in direct.values())
        closed = sum(v[1] for v in direct.values())
        stock = sum(v[2] - v[3] for v in direct.values())
        assert (fig.filed, fig.closed, fig.pending_at_start) == (filed, closed, stock), (
            fig,
            filed,
            closed,
            stock,
        )

        total = tenth["events"] + rest["events"]
        cases = tenth["cases"] + rest["cases"]
        from zhixing.command.models import Rollup

        print(f"\ndatabase: {connection.vendor}; journal events: {total:,}; cases: {cases:,}")
        print(f"roll-up rows: {Rollup.objects.count():,} (days × court · team · judge)")
        print(
            f"projection: {projected:,} events in {project_s:.1f} s = {projected / project_s:,.0f} events/s"
        )
        print(f"city screen, full page, at {tenth['events']:,} events: {tenth_ms:.1f} ms (median of 9)")
        print(f"city screen, full page, at {total:,} events: {big_ms:.1f} ms (×{big_ms / tenth_ms:.2f})")
        print(f"the city's KPIs alone (3 queries over the roll-ups): {kpi_ms:.1f} ms")
        print(f"direct GROUP BY over the events (filed/closed by court, period and stock): {base_ms:.1f} ms")
        print(f"KPIs from roll-ups / direct GROUP BY = {kpi_ms / base_ms:.4f}")
        print(f"city screen latency / direct GROUP BY latency at {total:,} events = {big_ms / base_ms:.4f}")


if __name__ == "__main__":
    main()
