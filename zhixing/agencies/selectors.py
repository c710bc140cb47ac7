"""协助执行网络的读操作：per-agency service levels, request lists, the desk's queue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from zhixing.agencies.models import Agency, AgencyMember, AgencyRequest
from zhixing.core.models import User
from zhixing.core.scoping import scoped

S = AgencyRequest.Status
OPEN = (S.QUEUED, S.SENDING, S.AWAITING)


@dataclass(frozen=True)
class AgencyStats:
    agency: Agency
    total: int
    open: int
    answered: int
    rejected: int
    failed: int
    overdue: int
    mean_seconds: float | None
    p95_seconds: float | None


def requests_visible(user: User | AnonymousUser) -> QuerySet[AgencyRequest]:
    """The requests of the courts the user sees (scoped like every court's data)."""
    return scoped(AgencyRequest.objects.all(), user)


def agency_stats(
    user: User | AnonymousUser, *, since: dt.datetime | None = None, now: dt.datetime | None = None
) -> list[AgencyStats]:
    """每个协助单位：请求量、未答复、已答复、拒绝、失败、逾期，答复用时（平均、95%）。"""
    now = now or timezone.now()
    since = since or now - dt.timedelta(days=30)
    qs = requests_visible(user).filter(created_at__gte=since)
    counts = {
        row["agency"]: row
        for row in qs.values("agency").annotate(
            total=Count("id"),
            open=Count("id", filter=Q(status__in=OPEN)),
            answered=Count("id", filter=Q(status=S.ANSWERED)),
            rejected=Count("id", filter=Q(status=S.ANSWERED, reply_status="rejected")),
            failed=Count("id", filter=Q(status=S.FAILED)),
            overdue=Count("id", filter=Q(status__in=OPEN, due_at__lt=now)),
        )
    }
    latencies: dict[int, list[float]] = {}
    answered = (
        qs.filter(status=S.ANSWERED, first_sent_at__isnull=False, answered_at__isnull=False)
        .order_by("-answered_at")
        .values_list("agency", "first_sent_at", "answered_at")[:20000]
    )
    for agency_id, sent, got in answered:
        if sent is None or got is None:
            continue
        latencies.setdefault(agency_id, []).append(max(0.0, (got - sent).total_seconds()))
    out = []
    for agency in Agency.objects.order_by("kind", "code"):
        c: dict[str, Any] = dict(counts.get(agency.pk) or {})
        lat = sorted(latencies.get(agency.pk, []))
        out.append(
            AgencyStats(
                agency=agency,
                total=c.get("total", 0),
                open=c.get("open", 0),
                answered=c.get("answered", 0),
                rejected=c.get("rejected", 0),
                failed=c.get("failed", 0),
                overdue=c.get("overdue", 0),
                mean_seconds=sum(lat) / len(lat) if lat else None,
                p95_seconds=lat[min(len(lat) - 1, int(len(lat) * 0.95))] if lat else None,
            )
        )
    return out


def agency_requests(
    user: User | AnonymousUser, *, agency: Agency | None = None, status: str = "", overdue: bool = False
) -> QuerySet[AgencyRequest]:
    qs = requests_visible(user).select_related("agency", "case", "court")
    if agency is not None:
        qs = qs.filter(agency=agency)
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status__in=OPEN, due_at__lt=timezone.now())
    return qs.order_by("-created_at", "-pk")


def desk_member(user: User | AnonymousUser) -> AgencyMember | None:
    if not isinstance(user, User) or not user.is_active:
        return None
    return AgencyMember.objects.select_related("agency").filter(user=user).first()


def desk_queue(user: User | AnonymousUser, *, answered: bool = False) -> QuerySet[AgencyRequest]:
    """协助执行工作台：the requests addressed to the clerk's agency (waiting first, oldest first)."""
    member = desk_member(user)
    if member is None:
        return AgencyRequest.objects.none()
    qs = AgencyRequest.objects.filter(agency=member.agency).select_related(
        "court", "case", "subject", "officer"
    )
    if answered:
        return qs.filter(status=S.ANSWERED).order_by("-answered_at")
    return qs.filter(status__in=OPEN).order_by("due_at", "pk")


def requests_overdue(*, before: dt.datetime) -> list[dict[str, Any]]:
    """Requests still unanswered after their answer deadline (``due_at`` < ``before``), for alerts."""
    return [
        dict(r)
        for r in AgencyRequest.objects.filter(status__in=OPEN, due_at__lt=before).values(
            "id",
            "act",
            "due_at",
            "court_id",
            "case_id",
            "agency__code",
            "agency__name",
            "case__case_number",
            "case__team_id",
            "case__judge_id",
        )
    ]
