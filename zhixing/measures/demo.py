"""演示数据：the daily review run over the demo cases (so judges find proposals waiting), one consumption
restriction per court taken and approved by its president (so the public list and partner checks have
entries), and a demo partner whose key is printed once."""

from __future__ import annotations

from zhixing.core.models import Court, User
from zhixing.core.roles import Role
from zhixing.core.services import approval_decide
from zhixing.measures import lists, services
from zhixing.measures.models import Partner, Proposal


def _notices_delivered() -> int:
    """The postal receipts of the demo's performance notices come back (two days after issue)."""
    import datetime as dt

    from zhixing.cases.models import EnforcementCase
    from zhixing.cases.services import case_act
    from zhixing.core.models import JournalEvent
    from zhixing.documents.models import Delivery
    from zhixing.documents.services import delivery_record_receipt, delivery_send

    # the judges issue the notices their open cases still lack (dated three days after filing)
    for case in EnforcementCase.objects.filter(stage="in_enforcement", judge__isnull=False):
        if JournalEvent.objects.filter(stream=case.stream, kind="performance_notice.issued").exists():
            continue
        assert case.judge is not None
        case_act(
            actor=case.judge,
            case_id=case.pk,
            kind="performance_notice.issued",
            on=case.filed_on + dt.timedelta(days=3),
        )
    n = 0
    pending = Delivery.objects.filter(
        document__kind="performance_notice", channel="postal", status__in=["pending", "sent"]
    ).select_related("document")
    for d in pending:
        owner = EnforcementCase.objects.filter(case_number=d.document.case_number).first()
        if owner is None or owner.judge is None:
            continue
        if d.status == "pending":
            delivery_send(actor=owner.judge, delivery=d, tracking_number=f"EMS{d.pk:010d}CN")
            d.refresh_from_db()
        delivery_record_receipt(
            actor=owner.judge, delivery=d, received_on=d.document.issued_on + dt.timedelta(days=2)
        )
        n += 1
    return n


def demo_measures_seed() -> tuple[int, str | None]:
    """Returns (proposals made, the demo partner's key or None when it exists already)."""
    _notices_delivered()
    made = services.proposals_sweep()
    for court in Court.objects.filter(level=Court.Level.BASIC).order_by("path"):
        president = User.objects.filter(court=court, role=Role.PRESIDENT).first()
        p = (
            Proposal.objects.filter(
                case__court=court, kind="consumption_restriction", status="open", due=True
            )
            .select_related("case")
            .order_by("pk")
            .first()
        )
        if p is None or president is None or p.case.judge is None:
            continue
        decided = services.proposal_decide(
            actor=p.case.judge, proposal_id=p.pk, take=True, note="演示：依法限制消费"
        )
        if decided.approval_id is not None:
            approval_decide(actor=president, approval_id=decided.approval_id, approve=True)
    key = None
    if not Partner.objects.exists():
        _, key = lists.partner_create(name="东方航空（演示）", kind="airline", rate_per_minute=600)
    return made, key
