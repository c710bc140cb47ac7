"""执行款 API：the banks' transfer notices (signed), mounted at /api/v1/funds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from zhixing.core.errors import NotFound
from zhixing.funds.distribution import distribution_execute, distribution_propose
from zhixing.funds.models import Bank, DistributionPlan
from zhixing.funds.reconciliation import statement_import
from zhixing.funds.selectors import case_account_of, case_delay_interest, case_position, distribution_plans
from zhixing.funds.services import bank_notice_receive, notice_post

router = Router(tags=["funds"])


class NoticeOut(Schema):
    id: int
    status: str
    posting_id: int | None


@router.post("/bank-notices/{bank_code}", auth=None, response={200: NoticeOut})
def bank_notice(request: HttpRequest, bank_code: str) -> Any:
    """银行到账通知：body is the bank's JSON; header ``X-Zhixing-Signature`` = HMAC-SHA256(key, body) in hex.

    A bad signature is refused (401) and changes nothing. The notice is stored first, then posted in its own
    transaction; the same notice twice posts once.
    """
    notice = bank_notice_receive(
        bank_code=bank_code, body=request.body, signature=request.headers.get("X-Zhixing-Signature", "")
    )
    if notice.status == "received":
        notice = notice_post(notice_id=notice.pk)
    return {"id": notice.pk, "status": notice.status, "posting_id": notice.posting_id}


# --- the case's money: position, distribution ----------------------------------------------------
class PositionOut(Schema):
    account_number: str | None
    delay_interest: Decimal | None
    owed: Decimal
    received: Decimal
    paid_out: Decimal
    balance: Decimal
    outstanding: Decimal


class ExtraClaimIn(Schema):
    creditor: str
    amount: Decimal
    kind: str = "ordinary"
    account: str
    secured_rank: int | None = None


class DistributionIn(Schema):
    applicant_account: str
    extra_claims: list[ExtraClaimIn] = []


class PlanOut(Schema):
    id: int
    status: str
    proceeds: Decimal
    surplus: Decimal
    method: str
    lines: list[dict[str, Any]]
    warnings: list[str]
    approval_id: int | None
    objection_deadline: dt.date | None
    document_number: str | None
    payout_batch_id: int | None
    payout_approval_id: int | None


def _case(request: HttpRequest, case_id: int) -> Any:
    from zhixing.cases.selectors import case_get

    case = case_get(user=request.user, case_id=case_id)
    if case is None:
        raise NotFound("案件不存在或无权查看")
    return case


def _plan_out(p: DistributionPlan) -> dict[str, Any]:
    return {
        "id": p.pk,
        "status": p.status,
        "proceeds": p.proceeds,
        "surplus": p.surplus,
        "method": p.method,
        "lines": [{k: v for k, v in line.items() if k != "account"} for line in p.lines],
        "warnings": p.warnings,
        "approval_id": p.approval_id,
        "objection_deadline": p.objection_deadline,
        "document_number": p.document.number if p.document_id and p.document else None,
        "payout_batch_id": p.payout_batch_id,
        "payout_approval_id": p.payout_batch.approval_id if p.payout_batch_id and p.payout_batch else None,
    }


@router.get("/cases/{case_id}/position", response=PositionOut)
def position(request: HttpRequest, case_id: int) -> Any:
    """案款情况：owed, received, paid out, balance, outstanding."""
    case = _case(request, case_id)
    account = case_account_of(case)
    interest = case_delay_interest(case, on=timezone.localdate())
    return {
        "account_number": account.number if account else None,
        "delay_interest": interest.value.total if interest else None,
        **case_position(case)._asdict(),
    }


class StatementIn(Schema):
    bank_code: str
    csv_text: str


class ReconciliationOut(Schema):
    id: int
    period_start: dt.date
    period_end: dt.date
    statement_lines: int
    matched: int
    differences: list[dict[str, Any]]


@router.post("/reconciliations", response=ReconciliationOut)
def reconciliation(request: HttpRequest, data: StatementIn) -> Any:
    """对账：import the bank statement CSV of the user's court; every difference is listed."""
    user = request.user
    court_id = getattr(user, "court_id", None)
    bank = Bank.objects.filter(code=data.bank_code, court_id=court_id).first() if court_id else None
    if bank is None:
        raise NotFound("本院没有该银行")
    rec = statement_import(court=bank.court, bank=bank, csv_text=data.csv_text, actor=user)  # type: ignore[arg-type]
    return {
        "id": rec.pk,
        "period_start": rec.period_start,
        "period_end": rec.period_end,
        "statement_lines": rec.statement_lines,
        "matched": rec.matched,
        "differences": rec.differences,
    }


@router.get("/cases/{case_id}/distributions", response=list[PlanOut])
def plans(request: HttpRequest, case_id: int) -> Any:
    return [_plan_out(p) for p in distribution_plans(case=_case(request, case_id))]


@router.post("/cases/{case_id}/distributions", response=PlanOut)
def plan_propose(request: HttpRequest, case_id: int, data: DistributionIn) -> Any:
    """拟定分配方案（承办法官）；执行局长经 /approvals 审批。"""
    case = _case(request, case_id)
    plan = distribution_propose(
        actor=request.user,  # type: ignore[arg-type]
        case_id=case.pk,
        applicant_account=data.applicant_account,
        extra_claims=[c.dict() for c in data.extra_claims],
    )
    return _plan_out(plan)


@router.post("/distributions/{plan_id}/execute", response=PlanOut)
def plan_execute(request: HttpRequest, plan_id: int) -> Any:
    """执行分配方案：the fee is posted and a payout batch proposed for the bureau chief's approval."""
    return _plan_out(distribution_execute(actor=request.user, plan_id=plan_id))  # type: ignore[arg-type]
