"""分配方案：the case's money shared out by the statutory order of payment, approved, served, then paid.

receipt → case account → `distribution_propose` (the rules compute the plan: enforcement fee, secured and
priority claims, ordinary claims pro rata or in sealing order, surplus) → the bureau chief approves → the
plan is issued as a document and served (an objection period of 15 days runs when several creditors share)
→ `distribution_execute`: the fee is posted to fees income and a payout batch is proposed for the creditors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhixing.cases.models import CaseParty, EnforcementCase
from zhixing.core import services as core_services
from zhixing.core.errors import Conflict, NotFound, PermissionDenied, ServiceError
from zhixing.core.journal import journal_append
from zhixing.core.models import ApprovalRequest, User
from zhixing.core.roles import Role
from zhixing.core.scoping import scope_for
from zhixing.funds.models import DistributionPlan, LedgerAccount
from zhixing.funds.payouts import case_available, payout_propose
from zhixing.funds.services import _amount, _post, ledger_account
from zhixing.rules import funds as fund_rules
from zhixing.rules.provisional import provisional_calendar

APPROVAL_ACT = "funds.distribution"
KIND_LABELS = {"costs": "执行费用", "secured": "担保物权", "priority": "优先受偿权", "ordinary": "普通债权"}
DEBTOR_KINDS = {
    "natural_person": "natural_person",
    "other_organisation": "other_organisation",
    "legal_person": "enterprise",
}
COURT_FEE_CREDITOR = "本院（申请执行费）"


def _rank(extra: dict[str, Any], key: str) -> int | None:
    value = extra.get(key)
    return int(value) if value not in (None, "") else None


def _case_for(actor: User, case_id: int) -> EnforcementCase:
    case = (
        EnforcementCase.objects.select_for_update(of=("self",))
        .select_related("court", "title")
        .filter(pk=case_id)
        .first()
    )
    scope = scope_for(actor)
    if (
        case is None
        or not scope.allows_court(case.court_id)
        or (scope.team_id and scope.team_id != case.team_id)
    ):
        raise NotFound()
    return case


@transaction.atomic
def distribution_propose(
    *,
    actor: User,
    case_id: int,
    applicant_account: str,
    extra_claims: Sequence[dict[str, Any]] = (),
    insolvent: bool = False,
    on: dt.date | None = None,
) -> DistributionPlan:
    """拟定分配方案（承办法官）：the rules order the claims; the bureau chief approves."""
    case = _case_for(actor, case_id)
    if actor.role != Role.JUDGE or actor.team_id != case.team_id:
        raise PermissionDenied("分配方案由承办法官拟定", code="judge_only")
    if DistributionPlan.objects.filter(case=case, status__in=["proposed", "approved"]).exists():
        raise Conflict("该案已有未执行完毕的分配方案", code="plan_open")
    on = on or timezone.localdate()
    proceeds = case_available(case)
    if proceeds <= 0:
        raise ServiceError("案款账户没有可分配的款项", code="nothing_to_distribute")
    if not applicant_account.strip():
        raise ServiceError("请填写申请执行人的收款账号", code="account_required", field="applicant_account")
    fee = fund_rules.enforcement_fee(case.claim_amount, on=on)
    applicants = list(case.parties.filter(role=CaseParty.Role.APPLICANT).select_related("party"))
    debtor = case.parties.filter(role=CaseParty.Role.DEBTOR).select_related("party").first()
    claims = [fund_rules.Claim(creditor=COURT_FEE_CREDITOR, amount=fee.value, kind="costs")]
    accounts: dict[str, str] = {}
    for ap in applicants:
        claims.append(
            fund_rules.Claim(
                creditor=ap.party.name,
                amount=case.claim_amount,
                kind="ordinary",
                principal=case.title.principal,
            )
        )
        accounts[ap.party.name] = applicant_account.strip()
    for i, extra in enumerate(extra_claims):
        name = str(extra.get("creditor", "")).strip()
        if not name or name in accounts or name == COURT_FEE_CREDITOR:
            raise ServiceError(
                f"第 {i + 1} 项参与分配的债权人名称无效或重复", code="bad_claim", field="extra_claims"
            )
        kind = extra.get("kind", "ordinary")
        if kind not in ("secured", "priority", "ordinary"):
            raise ServiceError(f"第 {i + 1} 项的债权性质无效", code="bad_claim", field="extra_claims")
        if not str(extra.get("account", "")).strip():
            raise ServiceError(f"第 {i + 1} 项缺少收款账号", code="account_required", field="extra_claims")
        claims.append(
            fund_rules.Claim(
                creditor=name,
                amount=_amount(extra.get("amount")),
                kind=kind,
                secured_rank=_rank(extra, "secured_rank"),
                sealing_rank=_rank(extra, "sealing_rank"),
            )
        )
        accounts[name] = str(extra["account"]).strip()
    debtor_kind = DEBTOR_KINDS.get(debtor.party.kind if debtor else "natural_person", "natural_person")
    # an enterprise debtor that cannot pay its debts: the plan says to offer 执转破 first (JI-CPL Art. 511)
    result = fund_rules.distribution_plan(
        proceeds=proceeds, claims=claims, debtor_kind=debtor_kind, on=on, insolvent=insolvent
    )
    plan_value = result.value
    lines = [
        {
            "creditor": line.creditor,
            "kind": line.kind,
            "kind_label": KIND_LABELS.get(line.kind, line.kind),
            "claimed": str(line.claimed),
            "allocated": str(line.allocated),
            "basis": line.basis,
            "account": accounts.get(line.creditor, ""),
        }
        for line in plan_value.lines
    ]
    citations = [c.as_dict() for c in result.citations]
    plan = DistributionPlan.objects.create(
        case=case,
        court=case.court,
        proceeds=proceeds,
        lines=lines,
        surplus=plan_value.surplus,
        method=plan_value.ordinary_method,
        warnings=[w.message for w in plan_value.warnings],
        citations=citations,
        created_by=actor,
    )
    plan.approval = core_services.approval_request(
        actor=actor,
        act=APPROVAL_ACT,
        title=f"{case.case_number} 执行款分配方案（¥{proceeds}）",
        stream=case.stream,
        approver_role=Role.BUREAU_CHIEF,
        payload={"plan_id": plan.pk},
        court=case.court,
    )
    plan.save(update_fields=["approval"])
    journal_append(
        stream=case.stream,
        kind="funds.distribution_proposed",
        actor=actor,
        court=case.court,
        payload={
            "plan_id": plan.pk,
            "proceeds": proceeds,
            "lines": lines,
            "surplus": plan_value.surplus,
            "citations": citations,
        },
    )
    return plan


@core_services.approval_effect(APPROVAL_ACT)
def _approved(req: ApprovalRequest) -> None:
    """Approved: issue the plan as a document, serve it, start the objection period when creditors share."""
    from zhixing.documents.services import Recipient, document_issue

    assert req.decided_by is not None
    plan = (
        DistributionPlan.objects.select_for_update()
        .select_related("case", "case__court")
        .get(pk=req.payload["plan_id"])
    )
    case = plan.case
    on = timezone.localdate()
    creditors = [line for line in plan.lines if line["kind"] != "costs"]
    sharing = len(creditors) > 1
    deadline = None
    if sharing:
        d = fund_rules.distribution_objection_deadlines(on, holidays=provisional_calendar())
        deadline = d.value["objection"]
    debtor_names = [
        cp.party.name for cp in case.parties.filter(role=CaseParty.Role.DEBTOR).select_related("party")
    ]
    recipients = [
        Recipient(
            name=cp.party.name,
            channel="postal" if cp.delivery_address else "by_announcement",
            party=cp.party,
            address=cp.delivery_address,
        )
        for cp in case.parties.select_related("party")
    ]
    document = document_issue(
        actor=req.decided_by,
        kind="distribution_plan",
        court=case.court,
        stream=case.stream,
        case_number=case.case_number,
        context={
            "debtor_names": debtor_names,
            "proceeds": plan.proceeds,
            "lines": plan.lines,
            "surplus": str(plan.surplus),
            "objection_days": 15,
            "warnings": plan.warnings,
            "method": plan.method,
        },
        recipients=recipients,
        on=on,
    )
    plan.status = DistributionPlan.Status.APPROVED
    plan.document_id = document.pk
    plan.objection_deadline = deadline
    plan.save(update_fields=["status", "document", "objection_deadline"])
    journal_append(
        stream=case.stream,
        kind="funds.distribution_approved",
        actor=req.decided_by,
        court=case.court,
        payload={"plan_id": plan.pk, "document": document.number, "objection_deadline": deadline},
    )


@transaction.atomic
def distribution_execute(*, actor: User, plan_id: int, on: dt.date | None = None) -> DistributionPlan:
    """执行分配方案：after the objection period, post the fee and propose the payout batch."""
    plan = (
        DistributionPlan.objects.select_for_update()
        .select_related("case", "court")
        .filter(pk=plan_id)
        .first()
    )
    if plan is None:
        raise NotFound()
    case = _case_for(actor, plan.case_id)
    if actor.role != Role.JUDGE or actor.team_id != case.team_id:
        raise PermissionDenied("分配方案由承办法官执行", code="judge_only")
    if plan.status != DistributionPlan.Status.APPROVED:
        raise Conflict(f"分配方案状态为「{plan.get_status_display()}」，不能执行", code="not_approved")
    on = on or timezone.localdate()
    if plan.objection_deadline and on <= plan.objection_deadline:
        raise ServiceError(
            f"异议期至 {plan.objection_deadline} 届满，届满后方可按方案发放（民诉法解释第509条）",
            code="objection_period",
        )
    fee = sum((Decimal(line["allocated"]) for line in plan.lines if line["kind"] == "costs"), Decimal("0"))
    if fee > 0:
        _post(
            kind="fee",
            court=case.court,
            case=case,
            legs=[
                (
                    ledger_account(kind=LedgerAccount.Kind.CASE_LIABILITY, court=case.court, case=case),
                    ledger_account(kind=LedgerAccount.Kind.FEES_INCOME, court=case.court),
                    fee,
                )
            ],
            reason=f"分配方案 {plan.pk}：申请执行费",
            actor=actor,
            key=f"distribution:{plan.pk}:fee",
            stream=case.stream,
        )
    lines = [
        (case.pk, line["creditor"], line["account"], Decimal(line["allocated"]))
        for line in plan.lines
        if line["kind"] != "costs" and Decimal(line["allocated"]) > 0
    ]
    batch = None
    if lines:
        batch = payout_propose(
            actor=actor,
            court=case.court,
            lines=lines,
            idempotency_key=f"distribution:{plan.pk}",
            reason=f"分配方案 {plan.pk}",
        )
    plan.status = DistributionPlan.Status.EXECUTED
    plan.payout_batch = batch
    plan.save(update_fields=["status", "payout_batch"])
    journal_append(
        stream=case.stream,
        kind="funds.distribution_executed",
        actor=actor,
        court=case.court,
        payload={"plan_id": plan.pk, "fee": fee, "batch_id": batch.pk if batch else None},
    )
    return plan
