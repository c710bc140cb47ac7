"""协助执行网络 API (/api/v1/agencies): the agencies' signed callbacks, the registry with its service
levels, requests (retry), and the agency desk for clerks of agencies without integration."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from zhixing.agencies import selectors, services
from zhixing.agencies.models import Agency, AgencyRequest
from zhixing.agencies.protocol import HEADER_KEY
from zhixing.core.errors import NotFound, ServiceError
from zhixing.core.models import User

router = Router(tags=["agencies"])


class Unauthenticated(ServiceError):
    status = 401


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


class CallbackOut(Schema):
    recorded: bool
    duplicate: bool


@router.post("/callbacks", auth=None, response={200: CallbackOut})
def callback(request: HttpRequest) -> Any:
    """协助单位回调（协议 §5）：signed by the agency (``X-Zhixing-Key`` = agency code). A final answer is
    recorded once; a copy answers ``duplicate: true``; a bad signature is 401 and changes nothing."""
    try:
        recorded = services.callback_receive(
            key_id=request.headers.get(HEADER_KEY, ""),
            method=request.method or "POST",
            path=request.path,
            body=request.body,
            headers=dict(request.headers),
        )
    except services.PermissionDenied as e:
        raise Unauthenticated(e.message, code="bad_signature") from e
    return {"recorded": True, "duplicate": bool(recorded and recorded.duplicate)}


class AgencyOut(Schema):
    code: str
    name: str
    kind: str
    region: str
    integrated: bool
    acts: list[str]
    answer_hours: int
    active: bool
    total: int
    open: int
    answered: int
    rejected: int
    failed: int
    overdue: int
    mean_seconds: float | None
    p95_seconds: float | None


@router.get("/", response=list[AgencyOut])
def agencies(request: HttpRequest) -> Any:
    """协助单位及其近 30 日服务情况（请求量、答复用时、逾期、失败），按本人可见法院统计。"""
    return [
        {
            "code": s.agency.code,
            "name": s.agency.name,
            "kind": s.agency.kind,
            "region": s.agency.region,
            "integrated": s.agency.integrated,
            "acts": s.agency.acts,
            "answer_hours": s.agency.answer_hours,
            "active": s.agency.active,
            "total": s.total,
            "open": s.open,
            "answered": s.answered,
            "rejected": s.rejected,
            "failed": s.failed,
            "overdue": s.overdue,
            "mean_seconds": s.mean_seconds,
            "p95_seconds": s.p95_seconds,
        }
        for s in selectors.agency_stats(_user(request))
    ]


class RequestOut(Schema):
    id: int
    request_id: str
    agency: str
    act: str
    case_number: str | None
    status: str
    attempts: int
    created_at: dt.datetime
    first_sent_at: dt.datetime | None
    due_at: dt.datetime | None
    answered_at: dt.datetime | None
    reply_status: str
    reason: str
    last_error: str
    duplicates: int


def _request_out(r: AgencyRequest) -> dict[str, Any]:
    return {
        "id": r.pk,
        "request_id": str(r.request_id),
        "agency": r.agency.code,
        "act": r.act,
        "case_number": r.case.case_number if r.case else None,
        "status": r.status,
        "attempts": r.attempts,
        "created_at": r.created_at,
        "first_sent_at": r.first_sent_at,
        "due_at": r.due_at,
        "answered_at": r.answered_at,
        "reply_status": r.reply_status,
        "reason": r.reason,
        "last_error": r.last_error,
        "duplicates": r.duplicates,
    }


@router.get("/requests", response=list[RequestOut])
def requests(
    request: HttpRequest, agency: str = "", status: str = "", overdue: bool = False, limit: int = 100
) -> Any:
    """协助请求（本人可见法院），可按单位、状态、逾期筛选；最多 500 条。"""
    found = Agency.objects.filter(code=agency).first() if agency else None
    if agency and found is None:
        raise NotFound("没有这个协助单位")
    qs = selectors.agency_requests(_user(request), agency=found, status=status, overdue=overdue)
    return [_request_out(r) for r in qs[: max(1, min(limit, 500))]]


@router.post("/requests/{request_pk}/retry", response=RequestOut)
def retry(request: HttpRequest, request_pk: int) -> Any:
    """重新发送失败的请求（同一请求编号）。"""
    row = services.request_retry(actor=_user(request), request_pk=request_pk)
    return _request_out(AgencyRequest.objects.select_related("agency", "case").get(pk=row.pk))


class DeskAnswerIn(Schema):
    status: str  # completed | rejected
    result: dict[str, Any] = {}
    reason_code: str = ""
    reason: str = ""


@router.get("/desk/requests", response=list[RequestOut])
def desk_requests(request: HttpRequest, answered: bool = False) -> Any:
    """协助执行工作台：本单位待答复（或已答复）的请求。"""
    services.desk_agency(_user(request))
    return [_request_out(r) for r in selectors.desk_queue(_user(request), answered=answered)[:500]]


@router.post("/desk/requests/{request_pk}/answer", response=CallbackOut)
def desk_answer(request: HttpRequest, request_pk: int, body: DeskAnswerIn) -> Any:
    """人工答复（与协议答复同义：已办理 completed / 不能办理 rejected）。"""
    recorded = services.desk_answer(
        actor=_user(request),
        request_pk=request_pk,
        status=body.status,
        result=body.result,
        reason_code=body.reason_code,
        reason=body.reason,
    )
    return {"recorded": True, "duplicate": recorded.duplicate}
