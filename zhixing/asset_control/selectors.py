"""查控的读操作：a case's inquiries, assets and measures; batch progress; who may see personal data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet

from zhixing.agencies.models import AgencyRequest
from zhixing.asset_control.models import Asset, ControlMeasure, Deduction, Inquiry, InquiryBatch
from zhixing.cases.models import EnforcementCase
from zhixing.core.models import User
from zhixing.core.roles import TEAM_ROLES
from zhixing.core.scoping import scoped


def sees_personal_data(user: User | AnonymousUser, case: EnforcementCase) -> bool:
    """Agency data about a person (account numbers, addresses) is for the case's team only."""
    return (
        isinstance(user, User) and user.is_active and user.role in TEAM_ROLES and user.team_id == case.team_id
    )


def case_inquiries(case: EnforcementCase) -> QuerySet[Inquiry]:
    return case.inquiries.select_related("requested_by").order_by("-requested_at")


def case_assets(case: EnforcementCase) -> QuerySet[Asset]:
    return case.assets.select_related("agency", "party").order_by("kind", "pk")


def case_controls(case: EnforcementCase) -> QuerySet[ControlMeasure]:
    return case.controls.select_related("asset", "asset__agency").order_by("-created_at")


def case_deductions(case: EnforcementCase) -> QuerySet[Deduction]:
    return (
        Deduction.objects.filter(case=case)
        .select_related("measure", "measure__asset")
        .order_by("-created_at")
    )


def inquiry_requests(inquiry: Inquiry) -> QuerySet[AgencyRequest]:
    return AgencyRequest.objects.filter(
        origin="asset_control", origin_ref=f"inquiry:{inquiry.pk}"
    ).select_related("agency", "subject")


@dataclass(frozen=True)
class Progress:
    total: int
    answered: int
    failed: int

    @property
    def done(self) -> int:
        return self.answered + self.failed

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * self.done / self.total)

    @property
    def finished(self) -> bool:
        return self.done >= self.total


def batches_visible(user: User | AnonymousUser) -> QuerySet[InquiryBatch]:
    return scoped(InquiryBatch.objects.all(), user).order_by("-created_at")


def batch_progress(batch: InquiryBatch) -> Progress:
    refs = [f"inquiry:{pk}" for pk in batch.inquiries.values_list("pk", flat=True)]
    counts = AgencyRequest.objects.filter(origin="asset_control", origin_ref__in=refs).aggregate(
        total=Count("id"),
        answered=Count("id", filter=Q(status=AgencyRequest.Status.ANSWERED)),
        failed=Count("id", filter=Q(status=AgencyRequest.Status.FAILED)),
    )
    return Progress(counts["total"] or 0, counts["answered"] or 0, counts["failed"] or 0)


def controls_expiring(*, until: Any) -> list[dict[str, Any]]:
    """Effective freezes, seals and seizures ending by ``until`` on open cases (for supervision alerts)."""
    labels = dict(ControlMeasure.Kind.choices)
    rows: list[dict[str, Any]] = [
        dict(r)
        for r in ControlMeasure.objects.filter(status=ControlMeasure.Status.EFFECTIVE, expires_on__lte=until)
        .exclude(case__stage="closed")
        .values(
            "id",
            "kind",
            "expires_on",
            "court_id",
            "case_id",
            "case__case_number",
            "case__team_id",
            "case__judge_id",
        )
    ]
    for r in rows:
        r["label"] = str(labels.get(r["kind"], r["kind"]))
    return rows
