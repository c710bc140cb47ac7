"""查控 API (/api/v1/asset-control): network inquiries (single and batch), the debtor's assets,
freezes/seals/seizures, renewals, releases and deductions — the same services as the case page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from zhixing.asset_control import selectors, services
from zhixing.asset_control.models import Asset, ControlMeasure, Deduction, Inquiry, InquiryBatch
from zhixing.cases.models import EnforcementCase
from zhixing.cases.selectors import case_get
from zhixing.core.errors import NotFound
from zhixing.core.models import User

router = Router(tags=["asset-control"])


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _case(request: HttpRequest, case_id: int) -> EnforcementCase:
    case = case_get(user=_user(request), case_id=case_id)
    if case is None:
        raise NotFound()
    return case


class InquiryIn(Schema):
    purpose: str = ""


class InquiryOut(Schema):
    id: int
    case_number: str
    reason: str
    purpose: str
    requested_on: dt.date
    requests_total: int
    completed: bool
    assets_found: int
    legal_basis: list[dict[str, Any]]


def _inquiry_out(i: Inquiry) -> dict[str, Any]:
    return {
        "id": i.pk,
        "case_number": i.case.case_number,
        "reason": i.reason,
        "purpose": i.purpose,
        "requested_on": i.requested_on,
        "requests_total": i.requests_total,
        "completed": i.completed_at is not None,
        "assets_found": i.assets_found,
        "legal_basis": i.legal_basis,
    }


@router.post("/cases/{case_id}/inquiries", response={201: InquiryOut})
def inquiry_start(request: HttpRequest, case_id: int, body: InquiryIn) -> Any:
    """网络查控：本案全部被执行人 × 全部已对接单位，一次发起。"""
    inquiry = services.inquiry_start(actor=_user(request), case_id=case_id, purpose=body.purpose)
    return Status(201, _inquiry_out(Inquiry.objects.select_related("case").get(pk=inquiry.pk)))


@router.get("/cases/{case_id}/inquiries", response=list[InquiryOut])
def inquiries(request: HttpRequest, case_id: int) -> Any:
    return [_inquiry_out(i) for i in selectors.case_inquiries(_case(request, case_id)).select_related("case")]


class BatchIn(Schema):
    case_ids: list[int]
    purpose: str = ""


class BatchOut(Schema):
    id: int
    inquiries: int
    skipped: list[dict[str, Any]]
    total: int
    answered: int
    failed: int
    percent: int
    finished: bool


def _batch_out(b: InquiryBatch) -> dict[str, Any]:
    p = selectors.batch_progress(b)
    return {
        "id": b.pk,
        "inquiries": b.inquiries.count(),
        "skipped": b.skipped,
        "total": p.total,
        "answered": p.answered,
        "failed": p.failed,
        "percent": p.percent,
        "finished": p.finished,
    }


@router.post("/inquiry-batches", response={201: BatchOut})
def batch_start(request: HttpRequest, body: BatchIn) -> Any:
    """批量网络查控（最多 1000 件）；无权办理或不在执行中的案件列为未纳入。"""
    batch = services.inquiry_batch_start(actor=_user(request), case_ids=body.case_ids, purpose=body.purpose)
    return Status(201, _batch_out(batch))


@router.get("/inquiry-batches/{batch_id}", response=BatchOut)
def batch_get(request: HttpRequest, batch_id: int) -> Any:
    batch = selectors.batches_visible(_user(request)).filter(pk=batch_id).first()
    if batch is None:
        raise NotFound()
    return _batch_out(batch)


class AssetOut(Schema):
    id: int
    kind: str
    agency: str
    agency_name: str
    debtor: str
    description: str
    value: Decimal | None
    found_on: dt.date
    encumbrances: list[Any]
    details: dict[str, Any] | None  # only in the single-asset view, for the case's team


def _asset_out(a: Asset, *, details: bool = False, personal: bool = True) -> dict[str, Any]:
    return {
        "id": a.pk,
        "kind": a.kind,
        "agency": a.agency.code,
        "agency_name": a.agency.name,
        "debtor": a.party.name,
        "description": a.description if personal else f"{a.agency.name}：{a.kind}",
        "value": a.value,
        "found_on": a.found_on,
        "encumbrances": a.encumbrances,
        "details": a.details if details else None,
    }


@router.get("/cases/{case_id}/assets", response=list[AssetOut])
def assets(request: HttpRequest, case_id: int) -> Any:
    """查控结果：财产及其来源、日期（个人信息只对本案团队显示）。"""
    case = _case(request, case_id)
    personal = selectors.sees_personal_data(_user(request), case)
    return [_asset_out(a, personal=personal) for a in selectors.case_assets(case)]


@router.get("/assets/{asset_id}", response=AssetOut)
def asset_detail(request: HttpRequest, asset_id: int, purpose: str = "办理本案") -> Any:
    """财产详情（含账号、地址等个人信息）：仅本案团队，每次查看记入案件日志。"""
    return _asset_out(
        services.asset_view(actor=_user(request), asset_id=asset_id, purpose=purpose), details=True
    )


class ControlIn(Schema):
    asset_id: int
    kind: str | None = None
    amount: Decimal | None = None
    confirm_overreach: bool = False
    overreach_reason: str = ""


class ControlOut(Schema):
    id: int
    kind: str
    status: str
    asset_id: int
    asset: str
    agency: str
    amount_requested: Decimal | None
    amount_controlled: Decimal | None
    amount_deducted: Decimal
    rank: int | None
    first_sealing_court: str
    starts_on: dt.date
    expires_on: dt.date
    renewals: int
    overreach: dict[str, Any]
    citations: list[dict[str, Any]]


def _control_out(m: ControlMeasure) -> dict[str, Any]:
    return {
        "id": m.pk,
        "kind": m.kind,
        "status": m.status,
        "asset_id": m.asset_id,
        "asset": m.asset.description,
        "agency": m.asset.agency.code,
        "amount_requested": m.amount_requested,
        "amount_controlled": m.amount_controlled,
        "amount_deducted": m.amount_deducted,
        "rank": m.rank,
        "first_sealing_court": m.first_sealing_court,
        "starts_on": m.starts_on,
        "expires_on": m.expires_on,
        "renewals": m.renewals,
        "overreach": m.overreach,
        "citations": m.citations,
    }


def _measure(pk: int) -> ControlMeasure:
    return ControlMeasure.objects.select_related("asset", "asset__agency").get(pk=pk)


@router.get("/cases/{case_id}/controls", response=list[ControlOut])
def controls(request: HttpRequest, case_id: int) -> Any:
    return [_control_out(m) for m in selectors.case_controls(_case(request, case_id))]


@router.post("/cases/{case_id}/controls", response={201: ControlOut})
def control_request(request: HttpRequest, case_id: int, body: ControlIn) -> Any:
    """查封、扣押、冻结（法官）：超标的时须 confirm_overreach 并说明理由，否则 409 overreach。"""
    m = services.control_request(
        actor=_user(request),
        case_id=case_id,
        asset_id=body.asset_id,
        kind=body.kind,
        amount=body.amount,
        confirm_overreach=body.confirm_overreach,
        overreach_reason=body.overreach_reason,
    )
    return Status(201, _control_out(_measure(m.pk)))


@router.post("/controls/{measure_id}/renew", response=ControlOut)
def control_renew(request: HttpRequest, measure_id: int) -> Any:
    """续行（届满前，最长同类法定期限）。"""
    m = services.control_renew(actor=_user(request), measure_id=measure_id)
    return _control_out(_measure(m.pk))


class ReleaseIn(Schema):
    ground: str  # paid | third_party | excess | guarantee | other | case_closed


@router.post("/controls/{measure_id}/release", response=ControlOut)
def control_release(request: HttpRequest, measure_id: int, body: ReleaseIn) -> Any:
    m = services.control_release(actor=_user(request), measure_id=measure_id, ground=body.ground)
    return _control_out(_measure(m.pk))


class AssistanceIn(Schema):
    agency: str  # the agency's code, e.g. GRID-SX
    text: str


class AssistanceOut(Schema):
    request_id: str
    agency: str
    status: str


@router.post("/cases/{case_id}/assistance-notices", response={201: AssistanceOut})
def assistance_notice(request: HttpRequest, case_id: int, body: AssistanceIn) -> Any:
    """协助执行通知（如请网格员协助查找被执行人、报告财产线索）；答复中的线索自动登记待核查。"""
    row = services.assistance_notice_send(
        actor=_user(request), case_id=case_id, agency_code=body.agency, text=body.text
    )
    return Status(201, {"request_id": str(row.request_id), "agency": body.agency, "status": row.status})


class DeductionIn(Schema):
    amount: Decimal


class DeductionOut(Schema):
    id: int
    measure_id: int
    amount: Decimal
    amount_deducted: Decimal | None
    status: str
    transfer_reference: str
    posting_id: int | None


def _deduction_out(d: Deduction) -> dict[str, Any]:
    return {
        "id": d.pk,
        "measure_id": d.measure_id,
        "amount": d.amount,
        "amount_deducted": d.amount_deducted,
        "status": d.status,
        "transfer_reference": d.transfer_reference,
        "posting_id": d.posting_id,
    }


@router.post("/controls/{measure_id}/deductions", response={201: DeductionOut})
def deduction_request(request: HttpRequest, measure_id: int, body: DeductionIn) -> Any:
    """扣划（法官）：到账后自动记入本案案款账。"""
    d = services.deduction_request(actor=_user(request), measure_id=measure_id, amount=body.amount)
    return Status(201, _deduction_out(d))


@router.get("/cases/{case_id}/deductions", response=list[DeductionOut])
def deductions(request: HttpRequest, case_id: int) -> Any:
    return [_deduction_out(d) for d in selectors.case_deductions(_case(request, case_id))]
