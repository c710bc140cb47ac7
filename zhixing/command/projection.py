"""KPI roll-ups kept from the journal (and the ledger at closing), incrementally.

One projector at a time reads the journal after its cursor, turns the events that count into
deltas per day and unit (court · team · judge) and adds them to ``Rollup`` rows — all in one
transaction with the cursor's move, so a crash at any point applies a batch wholly or not at
all, and never twice. Screens then sum roll-up rows: their cost depends on days × units, not on
the number of events.

Ids are read in order, but on PostgreSQL a transaction that took a lower id may commit after one
that took a higher id. Ids skipped below the cursor are remembered as *gaps* and looked at again
on every run until they appear or are older than ``COMMAND_GAP_SECONDS`` (a rolled-back insert
never appears). See docs/decisions/0010-kpi-rollups.md.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from zhixing.command.models import ALL_FIELDS, CaseFact, ProjectionCursor, Rollup
from zhixing.core.models import JournalEvent

NAME = "kpi"
FIRST = "first"
PRESERVATION = "preservation"

RELEVANT = frozenset(
    {
        "case.filed",
        "case.assigned",
        "case.closed",
        "node.overdue",
        "funds.receipt",
        "funds.unidentified_resolved",
        "settlement.recorded",
        "measures.taken",
        "asset_control.effective",
        "asset_control.released",
        "asset_control.deducted",
        "command.no_assets_check",
    }
)
COERCIVE = frozenset({"measures.taken", "asset_control.effective", "asset_control.deducted"})
COUNTERS = {
    "node.overdue": "nodes_overdue",
    "settlement.recorded": "settlements",
    "measures.taken": "measures_taken",
    "asset_control.effective": "controls_effective",
    "asset_control.released": "controls_released",
    "asset_control.deducted": "deductions",
}

MAX_LEADING_GAP = 10_000
Key = tuple[dt.date, int, int | None, int | None]


def _day(event: dict[str, Any]) -> dt.date:
    on = event["payload"].get("on") if isinstance(event["payload"], dict) else None
    if isinstance(on, str):
        try:
            return dt.date.fromisoformat(on[:10])
        except ValueError:
            pass
    return timezone.localtime(event["occurred_at"]).date()


def _case_id(stream: str) -> int | None:
    if stream.startswith("case:"):
        try:
            return int(stream[5:])
        except ValueError:
            return None
    return None


class _Batch:
    """The deltas of one batch of events and the case facts they touched."""

    def __init__(
        self, facts: dict[int, CaseFact], rows: dict[int, dict[str, Any]], received: dict[int, Decimal]
    ):
        self.facts = facts
        self.rows = rows
        self.received = received
        self.new_facts: dict[int, CaseFact] = {}
        self.changed: set[int] = set()
        self.deltas: dict[Key, dict[str, Any]] = defaultdict(lambda: defaultdict(int))

    def add(self, key: Key, field: str, amount: Any = 1) -> None:
        self.deltas[key][field] += amount

    def unit(self, fact: CaseFact, day: dt.date) -> Key:
        return (day, fact.court_id, fact.team_id, fact.judge_id)

    def fact(self, cid: int) -> CaseFact | None:
        fact = self.facts.get(cid)
        if fact is None and cid in self.rows:  # a case filed before the projection began
            row = self.rows[cid]
            fact = CaseFact(
                case_id=cid,
                court_id=row["court_id"],
                team_id=row["team_id"],
                judge_id=row["judge_id"],
                kind=row["kind"],
                filed_on=row["filed_on"],
            )
            self.facts[cid] = self.new_facts[cid] = fact
        return fact

    def touch(self, fact: CaseFact) -> None:
        if fact.case_id not in self.new_facts:
            self.changed.add(fact.case_id)

    def move_to_current(self, fact: CaseFact) -> None:
        """Count an open case's filing where the case is now (its team and judge)."""
        row = self.rows.get(fact.case_id)
        if row is None or fact.closed_on is not None:
            return
        if (row["team_id"], row["judge_id"]) == (fact.team_id, fact.judge_id):
            return
        field = "filed" if fact.kind == FIRST else "filed_other"
        self.add(self.unit(fact, fact.filed_on), field, -1)
        fact.team_id, fact.judge_id = row["team_id"], row["judge_id"]
        self.add(self.unit(fact, fact.filed_on), field, 1)
        self.touch(fact)

    def apply(self, event: dict[str, Any]) -> None:
        kind = event["kind"]
        cid = _case_id(event["stream"])
        if cid is None:
            return
        if kind == "case.filed":
            row = self.rows.get(cid)
            if row is None or cid in self.facts:
                return
            fact = CaseFact(case_id=cid, court_id=row["court_id"], kind=row["kind"], filed_on=row["filed_on"])
            self.facts[cid] = self.new_facts[cid] = fact
            self.add(self.unit(fact, fact.filed_on), "filed" if fact.kind == FIRST else "filed_other")
            return
        known = self.fact(cid)
        if known is None:
            return
        fact = known
        if kind == "case.assigned":
            self.move_to_current(fact)
        elif kind == "case.closed":
            self.close(fact, event)
        elif kind in ("funds.receipt", "funds.unidentified_resolved"):
            self.add(
                self.unit(fact, _day(event)), "received", Decimal(str(event["payload"].get("amount", "0")))
            )
        elif kind == "command.no_assets_check":
            if fact.closed_on is not None and event["payload"].get("compliant") is False:
                self.add(self.unit(fact, fact.closed_on), "no_assets_compliant", -1)
        else:
            self.add(self.unit(fact, _day(event)), COUNTERS[kind])
            if kind in COERCIVE:
                fact.coerced = True
                if kind != "measures.taken":
                    fact.assets_found = True
                self.touch(fact)

    def close(self, fact: CaseFact, event: dict[str, Any]) -> None:
        row = self.rows.get(fact.case_id)
        if row is None or fact.closed_on is not None:
            return
        self.move_to_current(fact)
        on = row["closed_on"] or _day(event)
        mode = row["closing_mode"] or event["payload"].get("mode", "")
        key = self.unit(fact, on)
        fact.closed_on = on
        self.touch(fact)
        if fact.kind != FIRST:
            self.add(key, "closed_other")
            if fact.kind == PRESERVATION:
                self.add(key, "preservation_closed")
            return
        received = self.received.get(fact.case_id, Decimal(0))
        deadline = row["enforcement_deadline"]
        within = deadline is None or on <= deadline
        paid = received > 0
        executed = mode == "fully_performed" or (mode == "termination" and paid)
        with_property = paid or fact.assets_found
        self.add(key, "closed")
        self.add(key, "days_to_close", (on - fact.filed_on).days)
        self.add(key, "amount_applied", Decimal(row["claim_amount"] or 0))
        self.add(key, "amount_recovered", received)
        if within:
            self.add(key, "closed_within_period")
        if mode == "fully_performed":
            self.add(key, "closed_fully_performed")
            if not fact.coerced:
                self.add(key, "voluntary_closed")
        elif mode == "termination" and paid:
            self.add(key, "closed_termination_with_payment")
        elif mode == "no_assets_closure":
            # the closing checklist (rules/closing.py) is the system check every 终本 passes;
            # a later spot check that finds it wanting subtracts (command.no_assets_check)
            self.add(key, "closed_no_assets")
            self.add(key, "no_assets_checked")
            self.add(key, "no_assets_compliant")
        if with_property:
            self.add(key, "with_property")
            if executed and within:
                self.add(key, "with_property_executed_in_period")


def _cursor() -> ProjectionCursor:
    ProjectionCursor.objects.get_or_create(name=NAME)
    return ProjectionCursor.objects.select_for_update().get(name=NAME)


def _load(ids: Iterable[int]) -> list[dict[str, Any]]:
    rows = JournalEvent.objects.filter(pk__in=list(ids)).order_by("pk")
    return [dict(r) for r in rows.values("id", "stream", "kind", "occurred_at", "payload")]


def _write(batch: _Batch) -> None:
    """Insert the new facts and roll-up rows; add the deltas to the existing rows with one
    ``UPDATE … SET f = f + %s`` statement executed for each row (Django's ``bulk_update`` builds a
    CASE expression per field and row, an order of magnitude slower here)."""
    R = Rollup
    if batch.new_facts:
        CaseFact.objects.bulk_create(list(batch.new_facts.values()), batch_size=500)
    if batch.changed:
        facts = [batch.facts[c] for c in batch.changed]
        with connection.cursor() as cur:
            cur.executemany(
                f"UPDATE {CaseFact._meta.db_table} SET team_id = %s, judge_id = %s, coerced = %s,"  # noqa: S608
                " assets_found = %s, closed_on = %s WHERE case_id = %s",
                [(f.team_id, f.judge_id, f.coerced, f.assets_found, f.closed_on, f.case_id) for f in facts],
            )
    deltas = {k: v for k, v in batch.deltas.items() if any(v.values())}
    if not deltas:
        return
    units = {R.unit_key(c, t, j) for (_d, c, t, j) in deltas}
    days = {d for (d, *_rest) in deltas}
    existing = set(R.objects.filter(unit__in=list(units), day__in=list(days)).values_list("day", "unit"))
    new: list[list[Any]] = []
    updates: list[list[Any]] = []
    for (day, court, team, judge), delta in deltas.items():
        unit = R.unit_key(court, team, judge)
        values = [delta.get(f, 0) for f in ALL_FIELDS]
        if (day, unit) in existing:
            updates.append([*values, day, unit])
        else:
            new.append([day, court, team, judge, unit, *values])
    columns = ("day", "court_id", "team_id", "judge_id", "unit", *ALL_FIELDS)
    with connection.cursor() as cur:
        if new:
            marks = ", ".join(["%s"] * len(columns))
            insert = f"INSERT INTO {R._meta.db_table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
            cur.executemany(insert, new)
        if updates:
            assignments = ", ".join(f"{f} = {f} + %s" for f in ALL_FIELDS)
            update = f"UPDATE {R._meta.db_table} SET {assignments} WHERE day = %s AND unit = %s"  # noqa: S608
            cur.executemany(update, updates)


def project_batch(limit: int = 5000) -> int:
    """Apply the next events after the cursor (and any gaps that appeared); returns events read."""
    with transaction.atomic():
        cursor = _cursor()
        now = timezone.now()
        ttl = dt.timedelta(seconds=settings.COMMAND_GAP_SECONDS)
        gaps = {int(k): v for k, v in cursor.gaps.items() if now - dt.datetime.fromisoformat(v) < ttl}
        head = list(
            JournalEvent.objects.filter(pk__gt=cursor.last_id)
            .order_by("pk")
            .values_list("pk", "kind")[:limit]
        )
        filled = (
            list(JournalEvent.objects.filter(pk__in=list(gaps)).values_list("pk", "kind")) if gaps else []
        )
        seen = {pk for pk, _k in head}
        if head:
            top = head[-1][0]
            stamp = now.isoformat()
            start = cursor.last_id + 1 if cursor.last_id else head[0][0]
            if head[0][0] - start > MAX_LEADING_GAP:  # e.g. a journal whose early ids were never used
                start = head[0][0]
            for missing in set(range(start, top)) - seen:
                gaps[missing] = stamp
            cursor.last_id = top
        for pk, _k in filled:
            gaps.pop(pk, None)
        wanted = [pk for pk, kind in [*filled, *head] if kind in RELEVANT]
        events = _load(wanted)
        case_ids = {c for e in events if (c := _case_id(e["stream"])) is not None}
        facts = CaseFact.objects.in_bulk(list(case_ids)) if case_ids else {}
        from zhixing.cases.selectors import case_facts
        from zhixing.funds.selectors import received_by_case

        needs_row = {
            c
            for e in events
            if (c := _case_id(e["stream"])) is not None
            and (e["kind"] in ("case.filed", "case.assigned", "case.closed") or c not in facts)
        }
        rows = case_facts(sorted(needs_row)) if needs_row else {}
        closing = sorted({c for e in events if e["kind"] == "case.closed" and (c := _case_id(e["stream"]))})
        batch = _Batch(facts, rows, received_by_case(closing))
        for event in sorted(events, key=lambda e: e["id"]):
            batch.apply(event)
        _write(batch)
        cursor.gaps = {str(k): v for k, v in gaps.items()}
        cursor.events += len(head) + len(filled)
        cursor.updated_at = now
        cursor.save()
        return len(head) + len(filled)


def project_pending(*, limit: int = 5000) -> int:
    """Catch up with the journal: batches until fewer than ``limit`` events are left."""
    total = 0
    while True:
        n = project_batch(limit)
        total += n
        if n < limit:
            return total


def projection_rebuild() -> int:
    """Empty the roll-ups and their case facts and replay the whole journal (after a change to what a KPI
    counts): the roll-ups are derived data."""
    with transaction.atomic():
        ProjectionCursor.objects.select_for_update().filter(name=NAME).delete()
        Rollup.objects.all().delete()
        CaseFact.objects.all().delete()
    return project_pending(limit=10_000)


def projection_state() -> dict[str, Any]:
    cursor = ProjectionCursor.objects.filter(name=NAME).first()
    last = JournalEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    if cursor is None:
        return {"last_id": 0, "behind": last, "updated_at": None, "gaps": 0}
    return {
        "last_id": cursor.last_id,
        "behind": max(last - cursor.last_id, 0),
        "updated_at": cursor.updated_at,
        "gaps": len(cursor.gaps),
    }


__all__ = ["project_batch", "project_pending", "projection_rebuild", "projection_state"]
