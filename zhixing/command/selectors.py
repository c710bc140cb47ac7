"""指挥中心的读操作：KPIs over any window and unit, summed from the roll-ups; rankings, trends, alerts,
instructions — each screen a handful of aggregate queries whatever the number of journal events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from zhixing.command.models import ALL_FIELDS, TOTALS_FIELDS, Alert, Instruction, MonthlyFigure, Rollup
from zhixing.core.models import Court, Team, User
from zhixing.core.scoping import scope_for, scoped
from zhixing.rules.kpis import KPIS, Ratio, Totals, meets_target
from zhixing.rules.supervision import evaluation_score

MONEY = {"amount_applied", "amount_recovered", "received"}
# The KPIs shown on every screen, in order (all of rules/kpis.py).
SCREEN_KPIS = tuple(KPIS)
CARD_KPIS = (
    "closure_rate",
    "actual_closure_rate",
    "recovery_rate",
    "on_time_closure_rate",
    "no_assets_closure_rate",
    "mean_days_to_close",
    "voluntary_performance_rate",
    "overall_closure_rate",
)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def year_before(self) -> Period:
        return Period(_minus_year(self.start), _minus_year(self.end))

    def label(self) -> str:
        return f"{self.start:%Y-%m-%d} — {self.end:%Y-%m-%d}"


def _minus_year(d: dt.date) -> dt.date:
    try:
        return d.replace(year=d.year - 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year - 1, day=28)


def half_year(on: dt.date) -> Period:
    """The half-year to date (the seed states its results by half-year)."""
    start = dt.date(on.year, 1 if on.month <= 6 else 7, 1)
    return Period(start, on)


@dataclass
class Figures:
    """A unit's counted totals over a period, its other counters and its KPIs."""

    totals: Totals
    extras: dict[str, Any]
    kpis: dict[str, Ratio] = field(default_factory=dict)

    @property
    def pending_at_end(self) -> int:
        return self.totals.pending_at_start + self.totals.filed - self.totals.closed


def _figures(totals: Totals, extras: Mapping[str, Any]) -> Figures:
    return Figures(totals, dict(extras), {code: k.compute(totals) for code, k in KPIS.items()})


def visible_courts(user: User | AnonymousUser) -> QuerySet[Court]:
    return scoped(Court.objects.all(), user, court_field="id")


def sees_command(user: User | AnonymousUser) -> bool:
    """Command screens are for those who see a whole court or more (bureau chief, president,
    command operators, supervisors, admins) — and judges for their own figures."""
    return scope_for(user).all_courts or bool(scope_for(user).court_ids)


def _sum_rows(qs: QuerySet[Rollup], group: str | None) -> dict[Any, dict[str, Any]]:
    sums = {f: Sum(f) for f in ALL_FIELDS}
    if group is None:
        row = qs.aggregate(**sums)
        return {None: row}
    return {r[group]: r for r in qs.values(group).annotate(**sums).order_by()}


def figures_by(
    *,
    period: Period,
    court_ids: Iterable[int],
    group: str | None = None,
    team_id: int | None = None,
    judge_id: int | None = None,
    branch_of: Mapping[int, int] | None = None,
) -> dict[Any, Figures]:
    """KPIs of every unit (``group``: None, "court_id", "team_id", "judge_id") over ``period``.

    Three queries: the period's sums, the stock before it (旧存 = filed − closed before the start) and
    the courts' reported figures. ``branch_of`` folds courts into their branch (a basic court's
    tribunals into it; every court into the child of the screen's court it lies under).
    """
    ids = list(court_ids)
    base = Rollup.objects.filter(court_id__in=ids)
    if team_id is not None:
        base = base.filter(team_id=team_id)
    if judge_id is not None:
        base = base.filter(judge_id=judge_id)
    now = _sum_rows(base.filter(day__gte=period.start, day__lte=period.end), group)
    earlier = base.filter(day__lt=period.start)
    if group is None:
        before = {None: earlier.aggregate(f=Sum("filed"), c=Sum("closed"))}
    else:
        before = {
            r[group]: r for r in earlier.values(group).annotate(f=Sum("filed"), c=Sum("closed")).order_by()
        }
    reported: dict[Any, dict[str, int]] = {}
    if team_id is None and judge_id is None and group in (None, "court_id"):
        month0 = period.start.replace(day=1)
        rows = MonthlyFigure.objects.filter(court_id__in=ids, month__gte=month0, month__lte=period.end)
        for r in rows.values("court_id").annotate(
            t=Sum("titles_with_payment"),
            m=Sum("mediations"),
            pr=Sum("petitions_received"),
            pc=Sum("petitions_concluded"),
        ):
            key = r["court_id"] if group else None
            got = reported.setdefault(key, {"t": 0, "m": 0, "pr": 0, "pc": 0})
            for k in got:
                got[k] += r[k] or 0  # type: ignore[literal-required]

    def fold(key: Any) -> Any:
        if branch_of is None or key is None or group != "court_id":
            return key
        return branch_of.get(key, key)

    acc: dict[Any, dict[str, Any]] = {}
    for key in set(now) | set(before) | set(reported):
        target = acc.setdefault(
            fold(key), {f: 0 for f in ALL_FIELDS} | {"pending": 0, "t": 0, "m": 0, "pr": 0, "pc": 0}
        )
        row = now.get(key) or {}
        for f in ALL_FIELDS:
            target[f] += row.get(f) or 0
        b = before.get(key) or {}
        target["pending"] += (b.get("f") or 0) - (b.get("c") or 0)
        for k, v in (reported.get(key) or {}).items():
            target[k] += v
    out: dict[Any, Figures] = {}
    for key, a in acc.items():
        titles = a["t"]
        totals = Totals(
            pending_at_start=a["pending"],
            **{f: int(a[f]) for f in TOTALS_FIELDS},
            amount_applied=Decimal(a["amount_applied"]),
            amount_recovered=Decimal(a["amount_recovered"]),
            titles_with_payment=titles,
            titles_enforced=min(a["filed"], titles) if titles else 0,
            petitions_received=a["pr"],
            petitions_concluded=a["pc"],
        )
        extras = {f: a[f] for f in ALL_FIELDS if f not in TOTALS_FIELDS} | {"mediations": a["m"]}
        out[key] = _figures(totals, extras)
    if group is None and None not in out:
        out[None] = _figures(
            Totals(), {f: 0 for f in ALL_FIELDS if f not in TOTALS_FIELDS} | {"mediations": 0}
        )
    return out


def branches(root: Court, courts: Iterable[Court]) -> dict[int, int]:
    """Each court → the child of ``root`` it lies under (``root`` itself for root's own rows)."""
    out: dict[int, int] = {}
    by_code = {c.court_code: c for c in courts}
    depth = root.path.count("/") - 1
    for c in by_code.values():
        parts = c.path.strip("/").split("/")
        if not c.path.startswith(root.path):
            continue
        branch = by_code.get(parts[depth]) if len(parts) > depth else None
        out[c.pk] = (branch or root).pk
    return out


def trend(
    *, period: Period, court_ids: Iterable[int], team_id: int | None = None, judge_id: int | None = None
) -> list[dict[str, Any]]:
    """Month by month: filed, closed, 执行完毕, 终本, received (one query)."""
    qs = Rollup.objects.filter(court_id__in=list(court_ids), day__gte=period.start, day__lte=period.end)
    if team_id is not None:
        qs = qs.filter(team_id=team_id)
    if judge_id is not None:
        qs = qs.filter(judge_id=judge_id)
    rows = (
        qs.annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(
            filed=Sum("filed"),
            closed=Sum("closed"),
            fully=Sum("closed_fully_performed"),
            no_assets=Sum("closed_no_assets"),
            received=Sum("received"),
        )
        .order_by("month")
    )
    return [
        {
            "month": (r["month"].date() if isinstance(r["month"], dt.datetime) else r["month"]).strftime(
                "%Y-%m"
            ),
            "filed": r["filed"] or 0,
            "closed": r["closed"] or 0,
            "fully": r["fully"] or 0,
            "no_assets": r["no_assets"] or 0,
            "received": str(r["received"] or 0),
        }
        for r in rows
    ]


def targets(figures: Figures, *, on: dt.date) -> dict[str, bool | None]:
    return {code: meets_target(code, figures.kpis.get(code), on=on).value for code in KPIS}


def score(figures: Figures, *, on: dt.date, instructions_overdue: int = 0) -> Any:
    counts = {
        "preservation": figures.extras.get("preservation_closed", 0),
        "settlement": figures.extras.get("settlements", 0),
        "voluntary_performance": figures.extras.get("voluntary_closed", 0),
        "mediation": figures.extras.get("mediations", 0),
        "node_overdue": figures.extras.get("nodes_overdue", 0),
        "instruction_overdue": instructions_overdue,
    }
    return evaluation_score(kpis=figures.kpis, counts=counts, on=on)


# --- alerts and instructions --------------------------------------------------------------------------


def alerts_visible(user: User | AnonymousUser) -> QuerySet[Alert]:
    """A team member sees the alerts of their team's cases and those assigned to them; a court or
    subtree role every alert of its courts."""
    scope = scope_for(user)
    qs = Alert.objects.select_related("court", "case", "assignee", "team")
    if scope.team_id is not None and not scope.all_courts:
        assert isinstance(user, User)
        return qs.filter(Q(team_id=scope.team_id) | Q(assignee=user), court_id__in=scope.court_ids)
    return scoped(qs, user)


def alert_counts(user: User | AnonymousUser, *, court_ids: Iterable[int] | None = None) -> dict[str, Any]:
    qs = alerts_visible(user).exclude(status=Alert.Status.RESOLVED)
    if court_ids is not None:
        qs = qs.filter(court_id__in=list(court_ids))
    rows = qs.values("rule").annotate(n=Count("id")).order_by()
    by_rule = {r["rule"]: r["n"] for r in rows}
    return {"total": sum(by_rule.values()), "by_rule": by_rule}


def instructions_visible(user: User | AnonymousUser) -> QuerySet[Instruction]:
    """Issued by the user's courts, or addressed to them (a team member: to their team or to them)."""
    scope = scope_for(user)
    qs = Instruction.objects.select_related(
        "issuing_court", "target_court", "target_team", "target_judge", "case", "issued_by"
    )
    if scope.all_courts:
        return qs
    if not scope.court_ids:
        return qs.none()
    assert isinstance(user, User)
    if scope.team_id is not None:
        return qs.filter(
            Q(target_judge=user)
            | Q(target_team_id=scope.team_id, target_judge__isnull=True)
            | Q(issued_by=user)
        )
    return qs.filter(Q(issuing_court_id__in=scope.court_ids) | Q(target_court_id__in=scope.court_ids))


def teams_of(court_ids: Iterable[int]) -> dict[int, Team]:
    return {t.pk: t for t in Team.objects.filter(court_id__in=list(court_ids)).select_related("court")}


def judges_of(ids: Iterable[int]) -> dict[int, User]:
    return {
        u.pk: u for u in User.objects.filter(pk__in=[i for i in ids if i]).select_related("team", "court")
    }
