"""执行案件的读操作 — workbench lists, the case page, the filing queue. Always scoped."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from zhixing.cases.models import CaseApplication, CaseParty, EnforcementCase, Node
from zhixing.core.models import ApprovalRequest, JournalEvent, Party, Team, User
from zhixing.core.roles import EXTERNAL_ROLES
from zhixing.core.scoping import scope_for, scoped


@dataclass(frozen=True)
class CaseFilters:
    stage: str = ""
    track: str = ""
    min_age_days: int | None = None
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    q: str = ""
    mine: bool = False
    unassigned: bool = False


def case_list(*, user: User | AnonymousUser, filters: CaseFilters | None = None) -> QuerySet[EnforcementCase]:
    """我的案件：due and overdue nodes first (alert_rank, next_due_on are indexed), then newest."""
    f = filters or CaseFilters()
    qs = scoped(EnforcementCase.objects.all(), user, team_field="team")
    if f.stage:
        qs = qs.filter(stage=f.stage)
    elif not f.q:  # by default the open cases; a case-number search finds closed ones too
        qs = qs.exclude(stage="closed")
    if f.track:
        qs = qs.filter(track=f.track)
    if f.min_age_days is not None:
        qs = qs.filter(filed_on__lte=timezone.localdate() - dt.timedelta(days=f.min_age_days))
    if f.min_amount is not None:
        qs = qs.filter(claim_amount__gte=f.min_amount)
    if f.max_amount is not None:
        qs = qs.filter(claim_amount__lte=f.max_amount)
    if f.q:
        qs = qs.filter(case_number__contains=f.q.strip())
    if f.mine and isinstance(user, User):
        qs = qs.filter(judge=user) if user.role == "judge" else qs.filter(team=user.team)
    if f.unassigned:
        qs = qs.filter(team__isnull=True)
    return qs.select_related("team", "judge", "court").order_by(
        "-alert_rank", "next_due_on", "-filed_on", "-id"
    )


def case_get(*, user: User | AnonymousUser, case_id: int) -> EnforcementCase | None:
    parties = Prefetch("parties", queryset=CaseParty.objects.select_related("party").order_by("role", "id"))
    nodes = Prefetch("nodes", queryset=Node.objects.order_by("status", "due_on", "id"))
    return (
        scoped(EnforcementCase.objects.all(), user, team_field="team")
        .select_related("court", "title", "team", "judge", "parent", "delegated_to")
        .prefetch_related(parties, nodes, "settlements__payments", "suspensions", "children")
        .filter(pk=case_id)
        .first()
    )


def application_parties(*, application: CaseApplication) -> list[dict[str, Any]]:
    """The application's parties with their Party rows (the application itself came through a scoped read)."""
    people = {p.pk: p for p in Party.objects.filter(pk__in=[row["party_id"] for row in application.parties])}
    return [{**row, "party": people.get(row["party_id"])} for row in application.parties]


def court_teams(*, case: EnforcementCase) -> QuerySet[Team]:
    return Team.objects.filter(court_id=case.court_id).order_by("name")


def case_timeline(*, case: EnforcementCase) -> QuerySet[JournalEvent]:
    """The case's timeline, read from its journal (the case was fetched through a scoped selector)."""
    return JournalEvent.objects.filter(stream=case.stream).select_related("actor").order_by("-seq")


def application_queue(*, user: User | AnonymousUser, status: str = "pending") -> QuerySet[CaseApplication]:
    """立案队列：pending applications of the courts in scope; an outside user sees only their own."""
    qs = CaseApplication.objects.select_related("court", "title", "submitted_by", "case")
    if isinstance(user, User) and user.role in EXTERNAL_ROLES:
        qs = qs.filter(submitted_by=user)
    else:
        qs = scoped(qs, user)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("acceptance_due_on", "received_at", "id")


def application_get(*, user: User | AnonymousUser, application_id: int) -> CaseApplication | None:
    return application_queue(user=user, status="").filter(pk=application_id).first()


def case_approvals(*, user: User | AnonymousUser) -> QuerySet[ApprovalRequest]:
    return scoped(
        ApprovalRequest.objects.filter(status="pending", stream__startswith="case:"), user
    ).select_related("requested_by", "court")


def workload(*, user: User | AnonymousUser) -> list[dict[str, Any]]:
    """Open cases per team of the courts in scope (the bureau's balance)."""
    from django.db.models import Count, Q

    from zhixing.core.models import Team

    scope = scope_for(user)
    teams = Team.objects.all() if scope.all_courts else Team.objects.filter(court_id__in=scope.court_ids)
    rows = (
        teams.annotate(
            open_cases=Count("cases", filter=~Q(cases__stage="closed")),
            overdue=Count("cases", filter=~Q(cases__stage="closed") & Q(cases__alert_rank=2)),
        )
        .values("id", "name", "track", "court__short_name", "open_cases", "overdue")
        .order_by("court__path", "name")
    )
    return [dict(r) for r in rows]


FACT_FIELDS = (
    "id",
    "court_id",
    "team_id",
    "judge_id",
    "kind",
    "filed_on",
    "closed_on",
    "closing_mode",
    "enforcement_deadline",
    "claim_amount",
)


def case_facts(case_ids: list[int]) -> dict[int, dict[str, Any]]:
    """The counted facts of many cases at once (for the command center's roll-ups; unscoped)."""
    return {row["id"]: row for row in EnforcementCase.objects.filter(pk__in=case_ids).values(*FACT_FIELDS)}


# --- what the command center's supervision rules look for (unscoped: system sweeps) ----------------------


def _dicts(rows: Any) -> list[dict[str, Any]]:
    return [dict(r) for r in rows]


def overdue_nodes(*, on: dt.date) -> list[dict[str, Any]]:
    """Open nodes past their deadline on open cases (终本 re-inquiries have their own rule)."""
    return _dicts(
        Node.objects.filter(status=Node.Status.OPEN, due_on__lt=on)
        .exclude(case__stage="closed")
        .exclude(code="reinquiry")
        .values(
            "id",
            "title",
            "due_on",
            "case_id",
            "case__case_number",
            "case__court_id",
            "case__team_id",
            "case__judge_id",
        )
    )


def idle_cases(*, before: dt.datetime) -> list[dict[str, Any]]:
    """Cases in enforcement with no act since ``before`` (消极执行); suspended/settling wait lawfully."""
    return _dicts(
        EnforcementCase.objects.filter(stage="in_enforcement", last_activity_at__lt=before).values(
            "id", "case_number", "court_id", "team_id", "judge_id", "last_activity_at"
        )
    )


def near_limit_cases(*, on: dt.date, until: dt.date) -> list[dict[str, Any]]:
    """Open cases whose enforcement period ends by ``until`` (or has ended)."""
    return _dicts(
        EnforcementCase.objects.filter(
            stage__in=("filed", "in_enforcement"),
            enforcement_deadline__isnull=False,
            enforcement_deadline__lte=until,
        ).values("id", "case_number", "court_id", "team_id", "judge_id", "enforcement_deadline")
    )


def no_assets_missed_reinquiry(*, on: dt.date) -> list[dict[str, Any]]:
    """终本 cases whose periodic network inquiry is overdue (one row per case: the earliest)."""
    seen: dict[int, dict[str, Any]] = {}
    rows = (
        Node.objects.filter(code="reinquiry", status=Node.Status.OPEN, due_on__lt=on, case__stage="closed")
        .order_by("due_on")
        .values("case_id", "due_on", "case__case_number", "case__court_id", "case__team_id", "case__judge_id")
    )
    for r in rows:
        seen.setdefault(r["case_id"], dict(r))
    return list(seen.values())
