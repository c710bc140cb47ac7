"""强制措施 API: the judge's proposals and decisions (/api/v1/measures), the public lists
(/api/v1/measures/public, no login), and the partners' checks and change feed (key in ``X-Partner-Key``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.security import APIKeyHeader

from zhixing.cases.selectors import case_get
from zhixing.core.errors import NotFound
from zhixing.core.models import User
from zhixing.measures import lists, services
from zhixing.measures.models import Measure, Partner, Proposal

router = Router(tags=["measures"])


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


class ProposalOut(Schema):
    id: int
    kind: str
    party: str
    ground: str
    due: bool
    status: str
    reasons: list[str]
    evidence: dict[str, Any]
    citations: list[dict[str, Any]]
    approval_id: int | None


def _proposal_out(p: Proposal) -> dict[str, Any]:
    return {
        "id": p.pk,
        "kind": p.kind,
        "party": p.party.name,
        "ground": p.ground,
        "due": p.due,
        "status": p.status,
        "reasons": p.reasons,
        "evidence": p.evidence,
        "citations": p.citations,
        "approval_id": p.approval_id,
    }


class MeasureOut(Schema):
    id: int
    kind: str
    party: str
    ground: str
    status: str
    decided_on: dt.date
    ends_on: dt.date | None
    document_number: str
    deletion_due_on: dt.date | None
    ended_on: dt.date | None
    citations: list[dict[str, Any]]


def _measure_out(m: Measure) -> dict[str, Any]:
    return {
        "id": m.pk,
        "kind": m.kind,
        "party": m.party.name,
        "ground": m.ground,
        "status": m.status,
        "decided_on": m.decided_on,
        "ends_on": m.ends_on,
        "document_number": m.document_number,
        "deletion_due_on": m.deletion_due_on,
        "ended_on": m.ended_on,
        "citations": m.citations,
    }


@router.get("/cases/{case_id}/proposals", response=list[ProposalOut])
def proposals(request: HttpRequest, case_id: int) -> Any:
    case = case_get(user=_user(request), case_id=case_id)
    if case is None:
        raise NotFound()
    return [_proposal_out(p) for p in case.proposals.select_related("party")]


@router.post("/cases/{case_id}/review", response=list[ProposalOut])
def review(request: HttpRequest, case_id: int) -> Any:
    """立即审查本案（办案团队；不等每日巡查）：返回新提出的建议。"""
    return [_proposal_out(p) for p in services.case_review(actor=_user(request), case_id=case_id)]


class DecideIn(Schema):
    take: bool
    note: str = ""


@router.post("/proposals/{proposal_id}/decide", response=ProposalOut)
def decide(request: HttpRequest, proposal_id: int, body: DecideIn) -> Any:
    """法官决定：采取（限制消费、失信、拘留、罚款报院长批准）或不采取（须说明理由）。"""
    p = services.proposal_decide(
        actor=_user(request), proposal_id=proposal_id, take=body.take, note=body.note
    )
    return _proposal_out(Proposal.objects.select_related("party").get(pk=p.pk))


class SanctionIn(Schema):
    party_id: int
    kind: str  # fine | detention
    act: str
    amount: str | None = None
    days: int | None = None
    note: str = ""


@router.post("/cases/{case_id}/sanctions", response={201: ProposalOut})
def sanction(request: HttpRequest, case_id: int, body: SanctionIn) -> Any:
    """拘留、罚款（报院长批准）：超过法定上限或同一行为重复处罚的，拒绝并说明依据。"""
    p = services.sanction_propose(
        actor=_user(request),
        case_id=case_id,
        party_id=body.party_id,
        kind=body.kind,
        act=body.act,
        amount=body.amount,
        days=body.days,
        note=body.note,
    )
    return Status(201, _proposal_out(Proposal.objects.select_related("party").get(pk=p.pk)))


@router.get("/cases/{case_id}/measures", response=list[MeasureOut])
def measures(request: HttpRequest, case_id: int) -> Any:
    case = case_get(user=_user(request), case_id=case_id)
    if case is None:
        raise NotFound()
    return [_measure_out(m) for m in case.measures.select_related("party")]


# --- the public lists ------------------------------------------------------------------------------------
class PublicEntryOut(Schema):
    list: str
    published: dict[str, Any]


class PublicSearchIn(Schema):
    q: str
    list: str = ""


@router.post("/public/search", auth=None, response=list[PublicEntryOut])
def public_search(request: HttpRequest, body: PublicSearchIn) -> Any:
    """公开查询失信被执行人、限制消费人员：按姓名（名称）或完整证件号（POST：证件号不进入网址和日志）；
    只显示公布事项，证件号脱敏。"""
    found = lists.public_search(query=body.q, kind=body.list)
    return [{"list": e.kind, "published": e.public} for e in found]


# --- partners ---------------------------------------------------------------------------------------------
class PartnerKey(APIKeyHeader):
    param_name = "X-Partner-Key"

    def authenticate(self, request: HttpRequest, key: str | None) -> Partner | None:
        return lists.partner_authenticate(key or "")


def _partner(request: HttpRequest) -> Partner:
    partner = request.auth  # type: ignore[attr-defined]
    assert isinstance(partner, Partner)
    return partner


class CheckIn(Schema):
    id_number: str


class CheckOut(Schema):
    id_number: str
    valid: bool
    listed: bool
    lists: list[str]


class BatchIn(Schema):
    id_numbers: list[str]


@router.post("/partners/check", auth=PartnerKey(), response=CheckOut)
def partner_check(request: HttpRequest, body: CheckIn) -> Any:
    """合作单位单个核查：是否在失信被执行人名单或限制消费人员名单上（每次核查均记录）。"""
    (r,) = lists.partner_check(partner=_partner(request), id_numbers=[body.id_number], kind="single")
    return {"id_number": body.id_number, "valid": r.valid, "listed": r.listed, "lists": list(r.lists)}


@router.post("/partners/check-batch", auth=PartnerKey(), response=list[CheckOut])
def partner_check_batch(request: HttpRequest, body: BatchIn) -> Any:
    """批量核查：一次最多 1,000 个证件号，结果按请求顺序。"""
    results = lists.partner_check(partner=_partner(request), id_numbers=body.id_numbers, kind="batch")
    return [
        {"id_number": n, "valid": r.valid, "listed": r.listed, "lists": list(r.lists)}
        for n, r in zip(body.id_numbers, results, strict=True)
    ]


class ChangeOut(Schema):
    cursor: int
    change: str
    list: str
    at: str
    published: dict[str, Any]
    id_number: str | None


@router.get("/partners/changes", auth=PartnerKey(), response=list[ChangeOut])
def partner_changes(request: HttpRequest, cursor: int = 0, limit: int = 1000) -> Any:
    """名单变更流：从游标之后（不含）按序返回公布、撤下；以最后一条的 cursor 继续。"""
    return [
        {
            "cursor": c.cursor,
            "change": c.change,
            "list": c.list,
            "at": c.at,
            "published": c.public,
            "id_number": c.id_number,
        }
        for c in lists.partner_changes(partner=_partner(request), cursor=cursor, limit=limit)
    ]


class WithholdIn(Schema):
    months: int
    reason: str


@router.post("/measures/{measure_id}/withhold", response=MeasureOut)
def withhold(request: HttpRequest, measure_id: int, body: WithholdIn) -> Any:
    """暂缓公布（宽限期一至三个月）：期满次日自动重新公布。"""
    m = services.listing_withhold(
        actor=_user(request), measure_id=measure_id, months=body.months, reason=body.reason
    )
    return _measure_out(Measure.objects.select_related("party").get(pk=m.pk))


class CorrectionIn(Schema):
    ground: str  # not_to_be_listed | inaccurate | to_be_deleted
    statement: str


class CorrectionOut(Schema):
    id: int
    ground: str
    status: str
    applied_on: dt.date
    review_by: dt.date
    correct_by: dt.date | None
    reconsideration_apply_by: dt.date | None
    citations: list[dict[str, Any]]


def _correction_out(c: Any) -> dict[str, Any]:
    return {
        "id": c.pk,
        "ground": c.ground,
        "status": c.status,
        "applied_on": c.applied_on,
        "review_by": c.review_by,
        "correct_by": c.correct_by,
        "reconsideration_apply_by": c.reconsideration_apply_by,
        "citations": c.citations,
    }


@router.post("/measures/{measure_id}/corrections", response={201: CorrectionOut})
def correction_apply(request: HttpRequest, measure_id: int, body: CorrectionIn) -> Any:
    """登记纠正申请（失信规定第11条）：十五日内审查。"""
    c = services.correction_apply(
        actor=_user(request), measure_id=measure_id, ground=body.ground, statement=body.statement
    )
    return Status(201, _correction_out(c))


class CorrectionDecideIn(Schema):
    justified: bool
    note: str


@router.post("/corrections/{correction_id}/decide", response=CorrectionOut)
def correction_decide(request: HttpRequest, correction_id: int, body: CorrectionDecideIn) -> Any:
    """审查：理由成立的三个工作日内纠正；不成立的决定驳回，可于十日内向上一级法院申请复议。"""
    c = services.correction_decide(
        actor=_user(request), correction_id=correction_id, justified=body.justified, note=body.note
    )
    return _correction_out(c)


class ReconsiderIn(Schema):
    statement: str


@router.post("/corrections/{correction_id}/reconsideration", response=CorrectionOut)
def reconsideration_apply(request: HttpRequest, correction_id: int, body: ReconsiderIn) -> Any:
    """登记向上一级法院申请复议（驳回决定送达之日起十日内）。"""
    c = services.correction_reconsideration_apply(
        actor=_user(request), correction_id=correction_id, statement=body.statement
    )
    return _correction_out(c)


class ReconsiderDecideIn(Schema):
    reverse: bool
    note: str


@router.post("/corrections/{correction_id}/reconsideration/decide", response=CorrectionOut)
def reconsideration_decide(request: HttpRequest, correction_id: int, body: ReconsiderDecideIn) -> Any:
    """上一级法院（监督员）复议决定：十五日内；撤销驳回的，纠正失信信息。"""
    c = services.correction_reconsideration_decide(
        actor=_user(request), correction_id=correction_id, reverse=body.reverse, note=body.note
    )
    return _correction_out(c)
