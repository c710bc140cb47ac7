"""执行案件 API：the same acts as the UI, typed (django-ninja), mounted at /api/v1/cases."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Router, Schema, Status

from zhixing.cases import selectors, services, transfers
from zhixing.cases.models import CaseApplication, EnforcementCase
from zhixing.core.errors import NotFound, ServiceError
from zhixing.core.models import Court, User

router = Router(tags=["cases"])


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _case(request: HttpRequest, case_id: int) -> EnforcementCase:
    case = selectors.case_get(user=_user(request), case_id=case_id)
    if case is None:
        raise NotFound("案件不存在或无权查看")
    return case


# --- schemas ---------------------------------------------------------------------------------------
class TitleIn(Schema):
    kind: str
    issuing_body: str
    document_number: str
    effective_on: dt.date
    issuing_court_code: str | None = None
    performance_deadline: dt.date | None = None
    last_instalment_due: dt.date | None = None
    principal: Decimal = Decimal("0")
    costs: Decimal = Decimal("0")
    interest_terms: str = ""
    non_money_obligations: str = ""


class PartyIn(Schema):
    role: str
    kind: str
    name: str
    id_number: str
    address: str = ""
    phone: str = ""
    legal_representative: str = ""
    agent_name: str = ""
    agent_phone: str = ""


class ApplicationIn(Schema):
    court_code: str
    title: TitleIn
    parties: list[PartyIn]
    jurisdiction_basis: str
    materials: list[str] = []
    claim_amount: Decimal | None = None


class FindingOut(Schema):
    code: str
    message: str


class ApplicationOut(Schema):
    id: int
    court_code: str
    status: str
    channel: str
    received_on: dt.date
    acceptance_due_on: dt.date
    title: str
    claim_amount: Decimal
    case_number: str | None
    findings: list[dict[str, Any]]


class RejectIn(Schema):
    reasons: str


class NodeOut(Schema):
    code: str
    ref: str
    title: str
    due_on: dt.date
    status: str
    alert: str
    done_on: dt.date | None
    citations: list[dict[str, Any]]


class CasePartyOut(Schema):
    party_id: int
    role: str
    name: str
    id_masked: str


class CaseOut(Schema):
    id: int
    case_number: str
    court_code: str
    kind: str
    stage: str
    track: str
    track_score: int
    track_reasons: list[dict[str, Any]]
    team: str | None
    judge: str | None
    filed_on: dt.date
    claim_amount: Decimal
    enforcement_deadline: dt.date | None
    closing_mode: str
    closed_on: dt.date | None
    parent_case_number: str | None
    duplicate_of: list[str]
    alert_rank: int
    next_due_on: dt.date | None


class CaseDetailOut(CaseOut):
    parties: list[CasePartyOut]
    nodes: list[NodeOut]
    timeline: list[dict[str, Any]]


class CasePage(Schema):
    count: int
    page: int
    pages: int
    results: list[CaseOut]


class ActIn(Schema):
    kind: str
    note: str = ""


class CloseIn(Schema):
    mode: str
    ground: str | None = None
    note: str = ""
    applicant_consents: bool = False


class ReasonIn(Schema):
    reason: str


class SuspendIn(Schema):
    ground: str
    note: str = ""


class InstalmentIn(Schema):
    due_on: dt.date
    amount: Decimal


class SettlementIn(Schema):
    agreed_on: dt.date
    terms: str
    instalments: list[InstalmentIn]


class PaymentIn(Schema):
    paid_on: dt.date
    amount: Decimal


class LeadIn(Schema):
    description: str
    urgent: bool = False


class LeadVerifyIn(Schema):
    ref: str
    result: str


class ObjectionIn(Schema):
    kind: str
    objector_party_id: int
    grounds: str


class DecideIn(Schema):
    upheld: bool
    reasons: str


class TrackIn(Schema):
    track: str
    reason: str


class ReassignIn(Schema):
    team_id: int
    reason: str


class DelegateIn(Schema):
    to_court_code: str
    reason: str


class ChecklistItemOut(Schema):
    code: str
    title: str
    met: bool
    detail: str


class ChecklistOut(Schema):
    mode: str
    ok: bool
    needs_approval: str | None
    items: list[ChecklistItemOut]


def _app_out(a: CaseApplication) -> dict[str, Any]:
    return {
        "id": a.pk,
        "court_code": a.court.court_code,
        "status": a.status,
        "channel": a.channel,
        "received_on": a.received_on,
        "acceptance_due_on": a.acceptance_due_on,
        "title": str(a.title),
        "claim_amount": a.claim_amount,
        "case_number": a.case.case_number if a.case else None,
        "findings": a.findings,
    }


def _case_out(c: EnforcementCase) -> dict[str, Any]:
    return {
        "id": c.pk,
        "case_number": c.case_number,
        "court_code": c.court.court_code,
        "kind": c.kind,
        "stage": c.stage,
        "track": c.track,
        "track_score": c.track_score,
        "track_reasons": c.track_reasons,
        "team": c.team.name if c.team else None,
        "judge": c.judge.full_name if c.judge else None,
        "filed_on": c.filed_on,
        "claim_amount": c.claim_amount,
        "enforcement_deadline": c.enforcement_deadline,
        "closing_mode": c.closing_mode,
        "closed_on": c.closed_on,
        "parent_case_number": c.parent.case_number if c.parent_id and c.parent else None,
        "duplicate_of": c.duplicate_of,
        "alert_rank": c.alert_rank,
        "next_due_on": c.next_due_on,
    }


def _detail(request: HttpRequest, case_id: int) -> dict[str, Any]:
    c = _case(request, case_id)
    return {
        **_case_out(c),
        "parties": [
            {"party_id": p.party_id, "role": p.role, "name": p.party.name, "id_masked": p.party.id_masked}
            for p in c.parties.all()
        ],
        "nodes": [
            {
                "code": n.code,
                "ref": n.ref,
                "title": n.title,
                "due_on": n.due_on,
                "status": n.status,
                "alert": n.alert,
                "done_on": n.done_on,
                "citations": n.citations,
            }
            for n in c.nodes.all()
        ],
        "timeline": [
            {
                "seq": e.seq,
                "kind": e.kind,
                "at": e.occurred_at.isoformat(),
                "actor": e.actor.username if e.actor else None,
                "payload": e.payload,
            }
            for e in selectors.case_timeline(case=c)[:500]
        ],
    }


# --- applications ----------------------------------------------------------------------------------
@router.post("/applications", response={201: ApplicationOut})
def application_submit(request: HttpRequest, data: ApplicationIn) -> Any:
    """提交执行申请（当事人、律师网上申请；书记员窗口登记）。"""
    court = Court.objects.filter(court_code=data.court_code).first()
    if court is None:
        raise ServiceError(f"未知的法院代字「{data.court_code}」", code="bad_court", field="court_code")
    app = services.application_submit(
        actor=_user(request),
        court=court,
        title=data.title.dict(),
        parties=[p.dict() for p in data.parties],
        jurisdiction_basis=data.jurisdiction_basis,
        materials=data.materials,
        claim_amount=data.claim_amount,
    )
    return Status(201, _app_out(app))


@router.get("/applications", response=list[ApplicationOut])
def applications(request: HttpRequest, status: str = "pending") -> Any:
    """立案队列（工作人员）或我提交的申请（当事人、律师）。"""
    return [_app_out(a) for a in selectors.application_queue(user=_user(request), status=status)[:500]]


@router.post("/applications/{application_id}/accept", response=CaseOut)
def application_accept(request: HttpRequest, application_id: int) -> Any:
    return _case_out(services.application_accept(actor=_user(request), application_id=application_id))


@router.post("/applications/{application_id}/reject", response=ApplicationOut)
def application_reject(request: HttpRequest, application_id: int, data: RejectIn) -> Any:
    return _app_out(
        services.application_reject(actor=_user(request), application_id=application_id, reasons=data.reasons)
    )


# --- cases -----------------------------------------------------------------------------------------
@router.get("", response=CasePage)
def cases(
    request: HttpRequest,
    stage: str = "",
    track: str = "",
    min_age_days: int | None = None,
    min_amount: Decimal | None = None,
    max_amount: Decimal | None = None,
    q: str = "",
    page: int = 1,
    page_size: int = 50,
) -> Any:
    """我的案件（超期、临期优先），分页。"""
    filters = selectors.CaseFilters(
        stage=stage, track=track, min_age_days=min_age_days, min_amount=min_amount, max_amount=max_amount, q=q
    )
    pager = Paginator(selectors.case_list(user=_user(request), filters=filters), max(1, min(page_size, 200)))
    p = pager.get_page(page)
    return {
        "count": pager.count,
        "page": p.number,
        "pages": pager.num_pages,
        "results": [_case_out(c) for c in p],
    }


@router.get("/{case_id}", response=CaseDetailOut)
def case_detail(request: HttpRequest, case_id: int) -> Any:
    return _detail(request, case_id)


@router.get("/{case_id}/closing-checklist", response=ChecklistOut)
def closing_checklist(request: HttpRequest, case_id: int, mode: str, ground: str | None = None) -> Any:
    """结案条件核对：which conditions are met, which are not."""
    c = _case(request, case_id)
    cl = services.closing_checklist(c, mode, ground=ground).value
    return {
        "mode": cl.mode,
        "ok": cl.ok,
        "needs_approval": cl.needs_approval,
        "items": [{"code": i.code, "title": i.title, "met": i.met, "detail": i.detail} for i in cl.items],
    }


def _act(request: HttpRequest, case_id: int, fn: Any) -> Any:
    c = _case(request, case_id)
    result = fn(_user(request), c)
    target = result.pk if isinstance(result, EnforcementCase) else c.pk
    return _detail(request, target)


@router.post("/{case_id}/acts", response=CaseDetailOut)
def case_act(request: HttpRequest, case_id: int, data: ActIn) -> Any:
    return _act(
        request,
        case_id,
        lambda u, c: services.case_act(actor=u, case_id=c.pk, kind=data.kind, note=data.note),
    )


@router.post("/{case_id}/close", response=CaseDetailOut)
def case_close(request: HttpRequest, case_id: int, data: CloseIn) -> Any:
    return _act(
        request,
        case_id,
        lambda u, c: services.case_close(
            actor=u,
            case_id=c.pk,
            mode=data.mode,
            ground=data.ground,
            note=data.note,
            applicant_consents=data.applicant_consents,
        ),
    )


@router.post("/{case_id}/restore", response=CaseDetailOut)
def case_restore(request: HttpRequest, case_id: int, data: ReasonIn) -> Any:
    return _act(
        request, case_id, lambda u, c: services.case_restore(actor=u, case_id=c.pk, reason=data.reason)
    )


@router.post("/{case_id}/suspend", response=CaseDetailOut)
def case_suspend(request: HttpRequest, case_id: int, data: SuspendIn) -> Any:
    return _act(
        request,
        case_id,
        lambda u, c: services.case_suspend(actor=u, case_id=c.pk, ground=data.ground, note=data.note),
    )


@router.post("/{case_id}/resume", response=CaseDetailOut)
def case_resume(request: HttpRequest, case_id: int, data: ReasonIn) -> Any:
    return _act(request, case_id, lambda u, c: services.case_resume(actor=u, case_id=c.pk, note=data.reason))


@router.post("/{case_id}/settlements", response=CaseDetailOut)
def settlement_record(request: HttpRequest, case_id: int, data: SettlementIn) -> Any:
    return _act(
        request,
        case_id,
        lambda u, c: services.settlement_record(
            actor=u,
            case_id=c.pk,
            agreed_on=data.agreed_on,
            terms=data.terms,
            instalments=[(i.due_on, i.amount) for i in data.instalments],
        ),
    )


def _open_settlement(c: EnforcementCase) -> int:
    s = c.settlements.exclude(status="restored").order_by("-id").first()
    if s is None:
        raise ServiceError("该案件没有和解协议", code="no_settlement")
    return s.pk


@router.post("/{case_id}/settlement/payments", response=CaseDetailOut)
def settlement_payment(request: HttpRequest, case_id: int, data: PaymentIn) -> Any:
    return _act(
        request,
        case_id,
        lambda u, c: services.settlement_payment_record(
            actor=u, settlement_id=_open_settlement(c), paid_on=data.paid_on, amount=data.amount
        ),
    )


@router.post("/{case_id}/settlement/restore", response=CaseDetailOut)
def settlement_restore(request: HttpRequest, case_id: int, data: ReasonIn) -> Any:
    return _act(
        request,
        case_id,
        lambda u, c: services.settlement_restore(
            actor=u, settlement_id=_open_settlement(c), note=data.reason
        ),
    )


@router.post("/{case_id}/leads", response=CaseDetailOut)
def lead_receive(request: HttpRequest, case_id: int, data: LeadIn) -> Any:
    return _act(
        request,
        case_id,
        lambda u, c: services.asset_lead_receive(
            actor=u, case_id=c.pk, description=data.description, urgent=data.urgent
        ),
    )


class LeadSubmittedOut(Schema):
    ref: str
    due_on: dt.date


@router.post("/{case_id}/leads/submit", response={201: LeadSubmittedOut})
def lead_submit(request: HttpRequest, case_id: int, data: LeadIn) -> Any:
    """当事人提交财产线索（申请执行的当事人或其律师）：法院须在 7 日内（紧急的 3 日内）核查。"""
    node = services.asset_lead_submit(
        actor=_user(request), case_id=case_id, description=data.description, urgent=data.urgent
    )
    return Status(201, {"ref": node.ref, "due_on": node.due_on})


@router.post("/{case_id}/leads/verify", response=CaseDetailOut)
def lead_verify(request: HttpRequest, case_id: int, data: LeadVerifyIn) -> Any:
    return _act(
        request,
        case_id,
        lambda u, c: services.asset_lead_verify(actor=u, case_id=c.pk, ref=data.ref, result=data.result),
    )


@router.post("/{case_id}/objections", response=CaseDetailOut)
def objection_file(request: HttpRequest, case_id: int, data: ObjectionIn) -> Any:
    return _act(
        request,
        case_id,
        lambda u, c: services.objection_file(
            actor=u,
            case_id=c.pk,
            kind=data.kind,
            objector_party_id=data.objector_party_id,
            grounds=data.grounds,
        ),
    )


@router.post("/{case_id}/objection-decision", response=CaseDetailOut)
def objection_decide(request: HttpRequest, case_id: int, data: DecideIn) -> Any:
    return _act(
        request,
        case_id,
        lambda u, c: services.objection_decide(
            actor=u, case_id=c.pk, upheld=data.upheld, reasons=data.reasons
        ),
    )


@router.post("/{case_id}/track", response=CaseDetailOut)
def track_override(request: HttpRequest, case_id: int, data: TrackIn) -> Any:
    return _act(
        request,
        case_id,
        lambda u, c: services.case_track_override(
            actor=u, case_id=c.pk, track=data.track, reason=data.reason
        ),
    )


@router.post("/{case_id}/reassign", response=CaseDetailOut)
def reassign(request: HttpRequest, case_id: int, data: ReassignIn) -> Any:
    return _act(
        request,
        case_id,
        lambda u, c: services.case_reassign(actor=u, case_id=c.pk, team_id=data.team_id, reason=data.reason),
    )


@router.post("/{case_id}/delegate", response=ApplicationOut)
def delegate(request: HttpRequest, case_id: int, data: DelegateIn) -> Any:
    c = _case(request, case_id)
    return _app_out(
        services.case_delegate(
            actor=_user(request), case_id=c.pk, to_court_code=data.to_court_code, reason=data.reason
        )
    )


# --- the upper court's powers (cases/transfers.py) -------------------------------------------------
class UrgeIn(Schema):
    days: int
    reason: str


class TransferIn(Schema):
    to_court_code: str
    reason: str


class UpperCourtActOut(Schema):
    power: str
    case_id: int
    case_number: str
    court_code: str
    by: str
    deadline: dt.date | None
    basis: str
    must_escalate: bool
    documents: list[str]
    application: ApplicationOut | None
    citations: list[dict[str, Any]]


def _power_out(case_id: int, power: str, application: CaseApplication | None = None) -> dict[str, Any]:
    """What the act decided, from its journal event (read right after the act the actor was allowed to do)."""
    case = EnforcementCase.objects.select_related("court").get(pk=case_id)
    event = transfers.powers_taken(case)[-1]
    p = event.payload
    return {
        "power": power,
        "case_id": case.pk,
        "case_number": case.case_number,
        "court_code": case.court.court_code,
        "by": p.get("by", ""),
        "deadline": p.get("deadline"),
        "basis": p.get("basis") or "pending_period",
        "must_escalate": bool(p.get("must_escalate")),
        "documents": [p[k] for k in ("order_number", "notice_number", "ruling_number") if p.get(k)],
        "application": _app_out(application) if application else None,
        "citations": p.get("citations", []),
    }


@router.post("/{case_id}/urge", response={201: UpperCourtActOut})
def case_urge(request: HttpRequest, case_id: int, data: UrgeIn) -> Any:
    """督促执行令（上级法院的监督员、院长、执行局长）：责令执行法院在 days 日内执行完毕。"""
    transfers.case_urge(actor=_user(request), case_id=case_id, days=data.days, reason=data.reason)
    return Status(201, _power_out(case_id, "urging"))


@router.post("/{case_id}/escalate", response={201: UpperCourtActOut})
def case_escalate(request: HttpRequest, case_id: int, data: ReasonIn) -> Any:
    """提级执行：上级法院裁定由本院执行；本院立案后原案销案。"""
    app = transfers.case_escalate(actor=_user(request), case_id=case_id, reason=data.reason)
    return Status(201, _power_out(case_id, "escalation", app))


@router.post("/{case_id}/designate", response={201: UpperCourtActOut})
def case_designate(request: HttpRequest, case_id: int, data: TransferIn) -> Any:
    """指定执行：上级法院裁定由辖区内另一法院执行；该院立案后原案销案。"""
    app = transfers.case_designate(
        actor=_user(request), case_id=case_id, to_court_code=data.to_court_code, reason=data.reason
    )
    return Status(201, _power_out(case_id, "designation", app))


@router.post("/{case_id}/cross-enforce", response={201: UpperCourtActOut})
def case_cross_enforce(request: HttpRequest, case_id: int, data: TransferIn) -> Any:
    """交叉执行（试点，条件待核）：上级法院裁定由辖区内另一同级法院执行。"""
    app = transfers.case_cross_enforce(
        actor=_user(request), case_id=case_id, to_court_code=data.to_court_code, reason=data.reason
    )
    return Status(201, _power_out(case_id, "cross_enforcement", app))
