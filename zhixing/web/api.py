"""JSON API (Django Ninja, OpenAPI at /api/v1/docs): bearer tokens for clients, sessions for the UI.

Errors are structured: ``{"error": {"code": "...", "message": "中文说明", "field": "..."}}``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from zhixing.core import selectors, services
from zhixing.core.auth import LoginError, api_token_authenticate, api_token_issue, login_attempt
from zhixing.core.errors import NotFound, ServiceError
from zhixing.core.models import User


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(title="智执 API", version="1", auth=[TokenAuth(), SessionAuth()], urls_namespace="api")


def _error(request: HttpRequest, status: int, code: str, message: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"error": {"code": code, "message": message, **extra}}, status=status)


@api.exception_handler(ServiceError)
def service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    return api.create_response(request, {"error": exc.as_dict()}, status=exc.status)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return _error(request, 422, "invalid_request", "请求格式错误", detail=exc.errors)


@api.exception_handler(AuthenticationError)
def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "unauthenticated", "未登录或令牌无效")


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


# --- schemas --------------------------------------------------------------------------------
class ErrorOut(Schema):
    error: dict[str, Any]


class TokenIn(Schema):
    username: str
    password: str
    totp_code: str = ""
    name: str = "api"


class TokenOut(Schema):
    token: str
    expires_at: dt.datetime


class MeOut(Schema):
    username: str
    full_name: str
    role: str
    court_code: str | None
    team: str | None


class CourtOut(Schema):
    court_code: str
    name: str
    short_name: str
    level: str
    parent_code: str | None


class PartyIn(Schema):
    kind: str
    name: str
    id_number: str
    legal_representative: str = ""
    phone: str = ""
    address: str = ""


class PartyOut(Schema):
    id: int
    kind: str
    name: str
    id_type: str
    id_masked: str
    birth_date: dt.date | None
    registered_by_court: str | None


class PartyCreated(PartyOut):
    created: bool


class RevealIn(Schema):
    purpose: str


class RevealOut(Schema):
    id_number: str


class DecideIn(Schema):
    approve: bool
    reason: str = ""


class ApprovalOut(Schema):
    id: int
    act: str
    title: str
    status: str
    approver_role: str
    court_code: str
    requested_by: str


def _party(p: Any) -> dict[str, Any]:
    return {
        "id": p.pk,
        "kind": p.kind,
        "name": p.name,
        "id_type": p.id_type,
        "id_masked": p.id_masked,
        "birth_date": p.birth_date,
        "registered_by_court": p.registered_by_court.court_code if p.registered_by_court else None,
    }


def _approval(a: Any) -> dict[str, Any]:
    return {
        "id": a.pk,
        "act": a.act,
        "title": a.title,
        "status": a.status,
        "approver_role": a.approver_role,
        "court_code": a.court.court_code,
        "requested_by": a.requested_by.username,
    }


# --- endpoints ------------------------------------------------------------------------------
@api.post("/auth/token", auth=None, response={200: TokenOut, 401: ErrorOut}, tags=["auth"])
def token_issue(request: HttpRequest, data: TokenIn) -> Any:
    """以用户名、密码（和动态口令）换取 API 令牌。"""
    try:
        user = login_attempt(username=data.username, password=data.password, totp_code=data.totp_code)
    except LoginError as e:
        return Status(401, {"error": e.as_dict()})
    token, raw = api_token_issue(user=user, name=data.name)
    return {"token": raw, "expires_at": token.expires_at}


@api.get("/me", response=MeOut, tags=["auth"])
def me(request: HttpRequest) -> Any:
    u = _user(request)
    return {
        "username": u.username,
        "full_name": u.full_name,
        "role": u.role,
        "court_code": u.court.court_code if u.court else None,
        "team": u.team.name if u.team else None,
    }


@api.get("/courts", response=list[CourtOut], tags=["org"])
def courts(request: HttpRequest) -> Any:
    return [
        {
            "court_code": c.court_code,
            "name": c.name,
            "short_name": c.short_name,
            "level": c.level,
            "parent_code": c.parent.court_code if c.parent else None,
        }
        for c in selectors.court_list(user=_user(request))
    ]


@api.get("/parties", response=list[PartyOut], tags=["parties"])
def parties(request: HttpRequest, search: str = "") -> Any:
    return [_party(p) for p in selectors.party_list(user=_user(request), search=search)[:200]]


@api.post("/parties", response={200: PartyCreated, 201: PartyCreated, 400: ErrorOut}, tags=["parties"])
def party_create(request: HttpRequest, data: PartyIn) -> Any:
    """登记当事人；证件号校验失败返回 400 与中文说明。"""
    party, created = services.party_register(actor=_user(request), **data.dict())
    return Status(201 if created else 200, {**_party(party), "created": created})


@api.post(
    "/parties/{party_id}/reveal", response={200: RevealOut, 400: ErrorOut, 404: ErrorOut}, tags=["parties"]
)
def party_reveal(request: HttpRequest, party_id: int, data: RevealIn) -> Any:
    user = _user(request)
    party = selectors.party_get(user=user, party_id=party_id)
    if party is None:
        raise NotFound()
    return {"id_number": services.party_identity_reveal(actor=user, party=party, purpose=data.purpose)}


@api.get("/approvals/pending", response=list[ApprovalOut], tags=["approvals"])
def approvals_pending(request: HttpRequest) -> Any:
    return [_approval(a) for a in selectors.approvals_pending_for(user=_user(request))]


@api.post(
    "/approvals/{approval_id}/decide",
    response={200: ApprovalOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    tags=["approvals"],
)
def approval_decide(request: HttpRequest, approval_id: int, data: DecideIn) -> Any:
    a = services.approval_decide(
        actor=_user(request), approval_id=approval_id, approve=data.approve, reason=data.reason
    )
    return _approval(a)


def _mount_routers() -> None:
    """Each app's Router under /api/v1/<app>."""
    from zhixing.cases.api import router as cases_router
    from zhixing.documents.api import router as documents_router

    api.add_router("/cases", cases_router)
    api.add_router("/documents", documents_router)
    from zhixing.funds.api import router as funds_router

    api.add_router("/funds", funds_router)
    from zhixing.agencies.api import router as agencies_router
    from zhixing.asset_control.api import router as asset_control_router

    api.add_router("/agencies", agencies_router)
    api.add_router("/asset-control", asset_control_router)
    from zhixing.measures.api import router as measures_router

    api.add_router("/measures", measures_router)
    from zhixing.knowledge.api import router as knowledge_router

    api.add_router("/knowledge", knowledge_router)
    from zhixing.command.api import router as command_router

    api.add_router("/command", command_router)


_mount_routers()
