"""强制措施的读取：the case panel's rows (through the scoped case), the documents by number."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from zhixing.cases.models import CaseParty, EnforcementCase
from zhixing.core.models import User
from zhixing.core.scoping import scoped
from zhixing.measures.models import Correction, Measure, Proposal


def case_for(*, user: User | AnonymousUser, case_id: int) -> EnforcementCase | None:
    """The case if ``user`` may see it (team roles: their own team's only); else None (a 404)."""
    return (
        scoped(EnforcementCase.objects.all(), user, team_field="team")
        .select_related("court")
        .filter(pk=case_id)
        .first()
    )


def case_proposals(case: EnforcementCase) -> QuerySet[Proposal]:
    """The case's proposals, newest first (the case came through a scoped read)."""
    return (
        Proposal.objects.filter(case=case)
        .select_related("party", "decided_by", "approval", "approval__decided_by")
        .order_by("-proposed_at", "-pk")
    )


def case_measures(case: EnforcementCase) -> QuerySet[Measure]:
    return Measure.objects.filter(case=case).select_related("party").order_by("-decided_on", "-pk")


def case_corrections(case: EnforcementCase) -> QuerySet[Correction]:
    return (
        Correction.objects.filter(measure__case=case)
        .select_related("applied_by", "decided_by")
        .order_by("applied_on", "pk")
    )


def case_parties(case: EnforcementCase) -> QuerySet[CaseParty]:
    return CaseParty.objects.filter(case=case).select_related("party").order_by("role", "pk")


def documents_by_number(case: EnforcementCase, numbers: list[str]) -> dict[str, int]:
    """文书编号 → the document's id, for the case's own documents (one query)."""
    from zhixing.documents.models import Document

    wanted = [n for n in numbers if n]
    if not wanted:
        return {}
    return dict(Document.objects.filter(stream=case.stream, number__in=wanted).values_list("number", "pk"))
