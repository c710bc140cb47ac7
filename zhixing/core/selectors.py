"""共享内核的读操作 — every read that views and APIs use, scoped by `scoping.scoped`."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet

from zhixing.core.models import ApiToken, ApprovalRequest, Court, JournalEvent, Party, Team, User
from zhixing.core.scoping import scoped


def court_list(*, user: User | AnonymousUser) -> QuerySet[Court]:
    """可见的法院，附人员与团队数。"""
    return (
        scoped(Court.objects.all(), user, court_field="id")
        .select_related("parent")
        .annotate(
            staff_count=Count("staff", filter=Q(staff__is_active=True), distinct=True),
            team_count=Count("teams", distinct=True),
        )
        .order_by("path")
    )


def court_get(*, user: User | AnonymousUser, court_code: str) -> Court | None:
    return (
        scoped(Court.objects.select_related("parent"), user, court_field="id")
        .filter(court_code=court_code)
        .first()
    )


def team_list(*, user: User | AnonymousUser, court: Court) -> QuerySet[Team]:
    return (
        scoped(Team.objects.filter(court=court), user)
        .select_related("department")
        .prefetch_related("members")
        .order_by("track", "name")
    )


def staff_list(*, user: User | AnonymousUser, court: Court) -> QuerySet[User]:
    return (
        scoped(User.objects.filter(court=court, is_active=True), user)
        .select_related("team")
        .order_by("role", "username")
    )


def party_list(*, user: User | AnonymousUser, search: str = "") -> QuerySet[Party]:
    qs = scoped(Party.objects.all(), user, court_field="registered_by_court").select_related(
        "registered_by_court"
    )
    if search:
        qs = qs.filter(name__icontains=search)
    return qs


def party_get(*, user: User | AnonymousUser, party_id: int) -> Party | None:
    return party_list(user=user).filter(pk=party_id).first()


def api_tokens_for(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def approvals_pending_for(*, user: User) -> QuerySet[ApprovalRequest]:
    """待我审批：requests of my court addressed to my role."""
    if not user.role or user.court_id is None:
        return ApprovalRequest.objects.none()
    return (
        ApprovalRequest.objects.filter(
            court_id=user.court_id, approver_role=user.role, status=ApprovalRequest.Status.PENDING
        )
        .exclude(requested_by=user)
        .select_related("requested_by", "court")
    )


def approval_list(*, user: User | AnonymousUser) -> QuerySet[ApprovalRequest]:
    return scoped(ApprovalRequest.objects.all(), user).select_related("requested_by", "decided_by", "court")


def journal_for_stream(*, user: User | AnonymousUser, stream: str) -> QuerySet[JournalEvent]:
    return scoped(JournalEvent.objects.filter(stream=stream), user).select_related("actor").order_by("seq")


def journal_recent(*, user: User | AnonymousUser, limit: int = 20) -> QuerySet[JournalEvent]:
    return (
        scoped(JournalEvent.objects.all(), user)
        .select_related("actor", "court")
        .order_by("-occurred_at", "-id")[:limit]
    )
