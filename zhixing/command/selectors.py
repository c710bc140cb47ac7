"""指挥中心的读操作：KPIs over any window and unit, summed from the roll-ups; rankings, trends, alerts,
instructions — each screen a handful of aggregate queries whatever the number of journal events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet, Sum

from zhixing.command.models import ALL_FIELDS, TOTALS_FIELDS, Alert, Instruction, MonthlyFigure, Rollup
from zhixing.core.models import Court, Team, User
from zhixing.core.roles import COMMAND_ROLES, TEAM_ROLES, Role
from zhixing.core.scoping import scope_for, scoped
from zhixing.rules.kpis import KPIS, Ratio, Totals, meets_target
from zhixing.rules.supervision import evaluation_score

# The KPIs shown on every screen, in order (all of rules/kpis.py).
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
        out[None] = empty_figures()
    return out


def empty_figures() -> Figures:
    return _figures(Totals(), {f: 0 for f in ALL_FIELDS if f not in TOTALS_FIELDS} | {"mediations": 0})


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
    # Summed by day in SQL and folded into months here: a date truncation is a Python function per
    # row on SQLite (ten times slower), and a window has at most a few hundred days.
    rows = (
        qs.values("day")
        .annotate(
            filed=Sum("filed"),
            closed=Sum("closed"),
            fully=Sum("closed_fully_performed"),
            no_assets=Sum("closed_no_assets"),
            received=Sum("received"),
        )
        .order_by()
    )
    by_month: dict[str, dict[str, Any]] = {}
    for r in rows:
        acc = by_month.setdefault(r["day"].strftime("%Y-%m"), {})
        for k in ("filed", "closed", "fully", "no_assets", "received"):
            acc[k] = acc.get(k, 0) + (r[k] or 0)
    out = []
    month = period.start.replace(day=1)
    while month <= period.end:  # every month of the period, those without rows as zeros
        key = month.strftime("%Y-%m")
        got = by_month.get(key, {})
        out.append(
            {
                "month": key,
                "filed": got.get("filed") or 0,
                "closed": got.get("closed") or 0,
                "fully": got.get("fully") or 0,
                "no_assets": got.get("no_assets") or 0,
                "received": str(got.get("received") or 0),
            }
        )
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return out


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


def waiting_for(user: User | AnonymousUser) -> dict[str, int]:
    """For the workbench: live alerts assigned to the user, instructions waiting for their feedback."""
    if not isinstance(user, User):
        return {"alerts": 0, "instructions": 0}
    alerts = Alert.objects.filter(assignee=user).exclude(status=Alert.Status.RESOLVED).count()
    waiting = (Instruction.Status.ISSUED, Instruction.Status.ACKNOWLEDGED, Instruction.Status.RETURNED)
    mine = Q(target_judge=user)
    if user.team_id:
        mine |= Q(target_team_id=user.team_id, target_judge__isnull=True)
    if user.role in ("bureau_chief", "command_operator", "president") and user.court_id:
        mine |= Q(target_court_id=user.court_id, target_team__isnull=True, target_judge__isnull=True)
    instructions = Instruction.objects.filter(mine, status__in=waiting).count()
    return {"alerts": alerts, "instructions": instructions}


def sees_screens(user: User | AnonymousUser) -> bool:
    return isinstance(user, User) and (user.is_superuser or user.role in COMMAND_ROLES)


def command_court(user: User | AnonymousUser, code: str) -> Court | None:
    """The court whose screens a command role may see: its own or one below it; None otherwise."""
    if not sees_screens(user):
        return None
    court = Court.objects.filter(court_code=code).first()
    return court if court is not None and scope_for(user).allows_court(court.pk) else None


def home_court(user: User) -> Court | None:
    """Where a user's command center opens: their court (a superuser: the intermediate court)."""
    if user.court is not None:
        return user.court
    return Court.objects.filter(level=Court.Level.INTERMEDIATE).order_by("path").first()


def subtree(court: Court) -> list[Court]:
    """The court and every court below it."""
    return list(Court.objects.filter(path__startswith=court.path))


def ancestors(user: User | AnonymousUser, court: Court) -> list[Court]:
    """The courts above ``court`` that the user may open (the screen's breadcrumbs)."""
    codes = court.path.strip("/").split("/")
    scope = scope_for(user)
    return [
        a for a in Court.objects.filter(court_code__in=codes) if a.pk != court.pk and scope.allows_court(a.pk)
    ]


def court_path(code: str) -> str | None:
    return Court.objects.filter(court_code=code).values_list("path", flat=True).first()


def screen_team(user: User | AnonymousUser, team_id: int) -> Team | None:
    """A team's screen: for command roles of its court or above, and for the team's own members."""
    team = Team.objects.select_related("court").filter(pk=team_id).first()
    if team is None or not scope_for(user).allows_court(team.court_id):
        return None
    if not sees_screens(user) and getattr(user, "team_id", None) != team.pk:
        return None
    return team


def screen_judge(user: User | AnonymousUser, judge_id: int) -> User | None:
    """A team member's screen: for command roles of their court or above, and for themselves."""
    j = User.objects.select_related("court", "team").filter(pk=judge_id, role__in=TEAM_ROLES).first()
    if j is None or j.court is None or not scope_for(user).allows_court(j.court_id):
        return None
    if not sees_screens(user) and getattr(user, "pk", None) != j.pk:
        return None
    return j


def colleagues(court_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active staff of each court, for assigning its alerts."""
    out: dict[int, list[User]] = {}
    for u in User.objects.filter(court_id__in=set(court_ids), is_active=True).order_by("role", "full_name"):
        out.setdefault(u.court_id or 0, []).append(u)
    return out


def issue_targets(user: User) -> dict[str, Any]:
    """Whom the user may address an instruction to: their court and those below, its teams and judges."""
    courts = list(visible_courts(user).filter(path__startswith=user.court.path if user.court else "-"))
    ids = [c.pk for c in courts]
    return {
        "courts": courts,
        "teams": Team.objects.filter(court_id__in=ids)
        .select_related("court")
        .order_by("court__path", "name"),
        "judges": User.objects.filter(court_id__in=ids, role=Role.JUDGE, is_active=True)
        .select_related("court", "team")
        .order_by("court__path", "full_name"),
    }


def monthly_figures(court: Court) -> QuerySet[MonthlyFigure]:
    return MonthlyFigure.objects.filter(court=court).select_related("reported_by").order_by("-month")[:24]


def case_id_by_number(number: str) -> int | None:
    """The case an instruction or a spot check names by its 案号 (the services check who may act on it)."""
    from zhixing.cases.models import EnforcementCase

    return EnforcementCase.objects.filter(case_number=number.strip()).values_list("pk", flat=True).first()


def teams_of(court_ids: Iterable[int]) -> dict[int, Team]:
    return {t.pk: t for t in Team.objects.filter(court_id__in=list(court_ids)).select_related("court")}


def judges_of(ids: Iterable[int]) -> dict[int, User]:
    return {
        u.pk: u for u in User.objects.filter(pk__in=[i for i in ids if i]).select_related("team", "court")
    }


# --- screens ----------------------------------------------------------------------------------------------

PLACES_FILE = Path(__file__).with_name("data") / "places.yaml"


def _places() -> dict[str, dict[str, float]]:
    import yaml

    return {str(k): v for k, v in (yaml.safe_load(PLACES_FILE.read_text(encoding="utf-8")) or {}).items()}


def kpi_rows(current: Figures, previous: Figures | None, *, on: dt.date) -> list[dict[str, Any]]:
    """The KPI cards: value, the comparison period's value, the change, the national target."""
    hits = targets(current, on=on)
    rows = []
    for code, k in KPIS.items():
        value = current.kpis.get(code)
        before = previous.kpis.get(code) if previous else None
        change = (value - before) if value is not None and before is not None else None
        rows.append(
            {
                "code": code,
                "label": k.label,
                "formula": k.formula,
                "unit": k.unit,
                "value": value,
                "previous": before,
                "delta": change,
                "better": None if not change else (change < 0) == (k.unit == "days"),
                "meets_target": hits.get(code),
                "verified": k.verified,
                "card": code in CARD_KPIS,
            }
        )
    return rows


def ranking_row(name: str, f: Figures, **extra: Any) -> dict[str, Any]:
    t = f.totals
    return {
        "name": name,
        "pending_at_start": t.pending_at_start,
        "filed": t.filed,
        "closed": t.closed,
        "pending": f.pending_at_end,
        "fully": t.closed_fully_performed,
        "no_assets": t.closed_no_assets,
        "received": f.extras.get("received", 0),
        "recovered": t.amount_recovered,
        "nodes_overdue": f.extras.get("nodes_overdue", 0),
        **{code: f.kpis.get(code) for code in CARD_KPIS},
        **extra,
    }


RANKING_COLUMNS = (
    ("name", "单位"),
    ("pending_at_start", "旧存"),
    ("filed", "新收"),
    ("closed", "已结"),
    ("pending", "未结"),
    ("closure_rate", "执结率%"),
    ("actual_closure_rate", "实际执结率%"),
    ("recovery_rate", "执行到位率%"),
    ("on_time_closure_rate", "法定期限内结案率%"),
    ("no_assets_closure_rate", "终本率%"),
    ("mean_days_to_close", "结案平均用时（日）"),
    ("received", "到账金额（元）"),
    ("nodes_overdue", "节点超期"),
)


def _sorted(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Ranked by 执结率, then 实际执结率 (units without closings last)."""

    def key(r: dict[str, Any]) -> tuple[int, Decimal, Decimal]:
        a, b = r.get("closure_rate"), r.get("actual_closure_rate")
        return (0 if a is not None else 1, -(a or Decimal(0)), -(b or Decimal(0)))

    ranked = sorted(rows, key=key)
    for i, r in enumerate(ranked, start=1):
        r["rank"] = i
    return ranked


def court_screen(
    user: User | AnonymousUser, court: Court, period: Period, *, compare: Period | None, on: dt.date
) -> dict[str, Any]:
    """Everything a court's (or the city's) screen shows: one call, a bounded number of queries."""
    courts = subtree(court)
    ids = [c.pk for c in courts]
    children = [c for c in courts if c.parent_id == court.pk]
    branch_of = branches(court, courts)
    whole = figures_by(period=period, court_ids=ids)[None]
    before = figures_by(period=compare, court_ids=ids)[None] if compare else None
    by_branch = (
        figures_by(period=period, court_ids=ids, group="court_id", branch_of=branch_of) if children else {}
    )
    own_ids = [court.pk]
    by_team = figures_by(period=period, court_ids=own_ids, group="team_id")
    by_judge = figures_by(period=period, court_ids=own_ids, group="judge_id")
    teams = teams_of(own_ids)
    judges = judges_of(k for k in by_judge if k)
    alerts = alert_counts(user, court_ids=ids)
    live_by_court = dict(
        alerts_visible(user)
        .filter(court_id__in=ids)
        .exclude(status=Alert.Status.RESOLVED)
        .values_list("court_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    places = _places()
    branch_rows = []
    for c in [court, *children] if children else []:
        f = by_branch.get(c.pk) or empty_figures()
        live = sum(n for cid, n in live_by_court.items() if branch_of.get(cid) == c.pk)
        place = places.get(c.division_code)
        branch_rows.append(
            ranking_row(
                c.short_name,
                f,
                code=c.court_code,
                alerts=live,
                lng=place["lng"] if place else None,
                lat=place["lat"] if place else None,
                own=c.pk == court.pk,
            )
        )
    team_rows = [
        ranking_row(str(teams[k].name) if k in teams else "未分案", f, team_id=k) for k, f in by_team.items()
    ]
    judge_rows = [
        ranking_row(judges[k].full_name if k in judges else "未分案", f, judge_id=k if k in judges else None)
        for k, f in by_judge.items()
    ]
    cur_trend = trend(period=period, court_ids=ids)
    prev_trend = trend(period=compare, court_ids=ids) if compare else []
    open_instructions = (
        instructions_visible(user)
        .filter(Q(target_court_id__in=ids) | Q(issuing_court_id__in=ids))
        .exclude(status=Instruction.Status.CLOSED)
        .aggregate(
            total=Count("id"),
            overdue=Count("id", filter=Q(due_on__lt=on, status__in=("issued", "acknowledged", "returned"))),
        )
    )
    return {
        "court": court,
        "period": period,
        "compare": compare,
        "figures": whole,
        "kpis": kpi_rows(whole, before, on=on),
        "branches": _sorted(branch_rows),
        "teams": _sorted(team_rows),
        "judges": _sorted(judge_rows),
        "trend": cur_trend,
        "trend_previous": prev_trend,
        "alerts": alerts,
        "instructions": open_instructions,
    }


def unit_screen(
    *,
    court: Court,
    period: Period,
    compare: Period | None,
    on: dt.date,
    team: Team | None = None,
    judge: User | None = None,
) -> dict[str, Any]:
    """A team's or a judge's screen: KPIs with comparison, trend, and (for a team) its judges."""
    team_id = team.pk if team else None
    judge_id = judge.pk if judge else None
    whole = figures_by(period=period, court_ids=[court.pk], team_id=team_id, judge_id=judge_id)[None]
    before = (
        figures_by(period=compare, court_ids=[court.pk], team_id=team_id, judge_id=judge_id)[None]
        if compare
        else None
    )
    judge_rows: list[dict[str, Any]] = []
    if team is not None and judge is None:
        by_judge = figures_by(period=period, court_ids=[court.pk], group="judge_id", team_id=team_id)
        judges = judges_of(k for k in by_judge if k)
        judge_rows = _sorted(
            [
                ranking_row(
                    judges[k].full_name if k in judges else "未分案", f, judge_id=k if k in judges else None
                )
                for k, f in by_judge.items()
            ]
        )
    return {
        "figures": whole,
        "kpis": kpi_rows(whole, before, on=on),
        "judges": judge_rows,
        "trend": trend(period=period, court_ids=[court.pk], team_id=team_id, judge_id=judge_id),
        "trend_previous": trend(period=compare, court_ids=[court.pk], team_id=team_id, judge_id=judge_id)
        if compare
        else [],
    }


def evaluation(
    *, court_ids: Iterable[int], period: Period, on: dt.date, group: str = "judge_id"
) -> list[dict[str, Any]]:
    """业绩考评：each judge's (or team's) KPIs, points and penalties, score by the dated weights."""
    ids = list(court_ids)
    by_unit = figures_by(period=period, court_ids=ids, group=group)
    overdue_field = "target_judge_id" if group == "judge_id" else "target_team_id"
    overdue = dict(
        Instruction.objects.filter(target_court_id__in=ids, due_on__lt=on, due_on__gte=period.start)
        .exclude(status__in=(Instruction.Status.ANSWERED, Instruction.Status.CLOSED))
        .values_list(overdue_field)
        .annotate(n=Count("id"))
        .order_by()
    )
    names: dict[int, str]
    if group == "judge_id":
        names = {k: u.full_name for k, u in judges_of(k for k in by_unit if k).items()}
    else:
        names = {k: t.name for k, t in teams_of(ids).items()}
    rows = []
    for key, f in by_unit.items():
        if key is None:
            continue
        s = score(f, on=on, instructions_overdue=overdue.get(key, 0))
        rows.append(
            ranking_row(
                names.get(key, str(key)),
                f,
                key=key,
                score=s.value.total,
                parts=s.value.parts,
                preservation=f.extras.get("preservation_closed", 0),
                settlements=f.extras.get("settlements", 0),
                voluntary=f.extras.get("voluntary_closed", 0),
                instructions_overdue=overdue.get(key, 0),
            )
        )
    rows.sort(key=lambda r: -r["score"])
    for i, r in enumerate(rows, start=1):
        r["rank"] = i
    return rows
