"""协助执行网络界面：per-agency service levels and requests (staff), and the agency desk where the
clerk of an agency without integration answers requests with the protocol's vocabulary.

Thin views: the selectors read (scoped), the services write; a desk answer is shaped exactly as
the protocol's ``result`` (docs/agency-protocol.md §3) and recorded like a callback.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhixing.agencies import selectors, services
from zhixing.agencies.models import Agency, AgencyRequest
from zhixing.agencies.protocol import ASSET_KINDS, CONTROL_ACTS, Act, ReplyStatus
from zhixing.core.errors import PermissionDenied, ServiceError
from zhixing.core.models import User
from zhixing.core.roles import CASE_ROLES, Role

S = AgencyRequest.Status
# Who sees the agencies' service levels: the case handlers, the command centre, the supervisors.
STAFF_VIEWERS = frozenset({*CASE_ROLES, Role.COMMAND_OPERATOR, Role.SUPERVISOR})

ACT_LABELS = {
    Act.INQUIRY: gettext_lazy("查询"),
    Act.FREEZE: gettext_lazy("冻结"),
    Act.SEAL: gettext_lazy("查封"),
    Act.SEIZURE: gettext_lazy("扣押"),
    Act.DEDUCTION: gettext_lazy("扣划"),
    Act.RENEWAL: gettext_lazy("续行"),
    Act.RELEASE: gettext_lazy("解除"),
    Act.ASSISTANCE_NOTICE: gettext_lazy("协助执行通知"),
    Act.JOINT_REVIEW: gettext_lazy("联合审查（处置前）"),
    Act.TITLE_TRANSFER: gettext_lazy("过户（处置后）"),
}
ASSET_KIND_LABELS = {
    "bank_deposit": gettext_lazy("银行存款"),
    "real_estate": gettext_lazy("不动产"),
    "vehicle": gettext_lazy("机动车"),
    "equity": gettext_lazy("股权"),
    "securities": gettext_lazy("证券"),
    "provident_fund": gettext_lazy("住房公积金"),
    "income": gettext_lazy("收入"),
    "household": gettext_lazy("户籍"),
    "marriage": gettext_lazy("婚姻登记"),
}
REASON_CODES = {
    "not_found": gettext_lazy("查无此人或此财产"),
    "insufficient_balance": gettext_lazy("余额不足"),
    "already_released": gettext_lazy("已解除"),
    "not_supported": gettext_lazy("本单位不办理该事项"),
    "invalid_term": gettext_lazy("期限不合法"),
    "other": gettext_lazy("其他原因"),
}
INQUIRY_ROWS = 4  # blank asset rows on the desk's inquiry form


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _act_label(act: str) -> str:
    return str(ACT_LABELS.get(act, act))  # type: ignore[call-overload]


def human_duration(seconds: float | None) -> str:
    """答复用时 in human units: 秒, 分钟, 小时, 天."""
    if seconds is None:
        return "—"
    if seconds < 60:
        return _("%(n)d 秒") % {"n": round(seconds)}
    if seconds < 3600:
        return _("%(n)d 分钟") % {"n": round(seconds / 60)}
    if seconds < 86400:
        return _("%(n)s 小时") % {"n": f"{seconds / 3600:.1f}"}
    return _("%(n)s 天") % {"n": f"{seconds / 86400:.1f}"}


def _require_staff(user: User) -> None:
    if not (user.is_superuser or user.role in STAFF_VIEWERS):
        raise DjangoPermissionDenied(_("无权查看协助执行单位的服务情况"))


# --- staff: service levels and requests -------------------------------------------------------------------
@login_required
@require_GET
def agency_list(request: HttpRequest) -> HttpResponse:
    """协助单位：每个单位近 30 日的请求量、未答复、已答复、拒绝、失败、逾期、答复用时（平均、95%）。"""
    user = _user(request)
    _require_staff(user)
    rows = [
        {
            "s": s,
            "mean": human_duration(s.mean_seconds),
            "p95": human_duration(s.p95_seconds),
            "late": bool(s.p95_seconds and s.p95_seconds > s.agency.answer_hours * 3600),
        }
        for s in selectors.agency_stats(user)
    ]
    return render(request, "agencies/list.html", {"rows": rows})


@login_required
@require_GET
def agency_requests(request: HttpRequest, code: str) -> HttpResponse:
    """一个单位的协助请求：按状态、逾期筛选；发送失败的可重新发送。"""
    user = _user(request)
    _require_staff(user)
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise Http404(_("没有这个协助单位"))
    status = request.GET.get("status", "")
    if status not in S.values:
        status = ""
    overdue = request.GET.get("overdue") in ("1", "on", "true")
    qs = selectors.agency_requests(user, agency=agency, status=status, overdue=overdue)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    now = timezone.now()
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "agencies/requests.html",
        {
            "agency": agency,
            "page": page,
            "rows": [
                {
                    "r": r,
                    "act": _act_label(r.act),
                    "overdue": r.status in selectors.OPEN and r.due_at is not None and r.due_at < now,
                }
                for r in page
            ],
            "statuses": S.choices,
            "status": status,
            "overdue": overdue,
            "query": query,
            "can_retry": user.role in services.OPERATOR_ROLES,
        },
    )


@login_required
@require_POST
def request_retry(request: HttpRequest, request_pk: int) -> HttpResponse:
    """重新发送失败的请求（同一请求编号）。"""
    user = _user(request)
    _require_staff(user)
    back = request.POST.get("next", "")
    try:
        row = services.request_retry(actor=user, request_pk=request_pk)
    except ServiceError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("已重新发送"))
        if not back:
            back = reverse("agencies:requests", kwargs={"code": row.agency.code})
    if not back or not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect("agencies:list")
    return redirect(back)


# --- the agency desk ------------------------------------------------------------------------------------
def _desk_agency(user: User) -> Agency:
    try:
        return services.desk_agency(user)
    except PermissionDenied as e:
        raise DjangoPermissionDenied(e.message) from e


@login_required
@require_GET
def desk(request: HttpRequest) -> HttpResponse:
    """协助执行工作台：本单位待答复的请求（期限最近的在前），以及最近答复的。"""
    user = _user(request)
    agency = _desk_agency(user)
    now = timezone.now()

    def rows(qs: Any) -> list[dict[str, Any]]:
        return [
            {
                "r": r,
                "act": _act_label(r.act),
                "overdue": r.due_at is not None and r.due_at < now and r.status != S.ANSWERED,
            }
            for r in qs
        ]

    return render(
        request,
        "agencies/desk.html",
        {
            "agency": agency,
            "waiting": rows(selectors.desk_queue(user)[:500]),
            "answered": rows(selectors.desk_queue(user, answered=True)[:20]),
        },
    )


def _desk_row(user: User, request_pk: int) -> AgencyRequest:
    row = (
        selectors.desk_queue(user).filter(pk=request_pk).first()
        or selectors.desk_queue(user, answered=True).filter(pk=request_pk).first()
    )
    if row is None:
        raise Http404(_("没有这个协助请求"))
    return row


def _money(raw: str, field: str) -> str:
    try:
        value = Decimal(raw.replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ServiceError(_("%(f)s格式不正确") % {"f": field}, code="bad_amount") from None
    if value < 0:
        raise ServiceError(_("%(f)s不能为负数") % {"f": field}, code="bad_amount")
    return f"{value.quantize(Decimal('0.01'))}"


def _date(raw: str, field: str) -> str:
    try:
        return dt.date.fromisoformat(raw.strip()).isoformat()
    except ValueError:
        raise ServiceError(_("%(f)s应为日期（如 2027-11-28）") % {"f": field}, code="bad_date") from None


def _measure_ref(row: AgencyRequest) -> str:
    return str(row.payload.get("measure_ref") or f"{row.agency.code}:M-{row.pk}")


def desk_result(row: AgencyRequest, data: Any) -> dict[str, Any]:
    """The protocol ``result`` of a 已办理 answer, from the desk form (docs/agency-protocol.md §3)."""
    today = timezone.localdate().isoformat()
    act = row.act
    term = row.payload.get("term") or {}
    if act == Act.INQUIRY:
        if data.get("outcome") == "none":
            return {"assets": []}
        assets = []
        for i in range(INQUIRY_ROWS):
            description = data.get(f"description_{i}", "").strip()
            if not description:
                continue
            kind = data.get(f"kind_{i}", "")
            if kind not in ASSET_KINDS:
                raise ServiceError(_("请选择财产类别"), code="bad_kind")
            raw_value = data.get(f"value_{i}", "").strip()
            assets.append(
                {
                    "ref": f"{row.agency.code}:DESK-{row.pk}-{i + 1}",
                    "kind": kind,
                    "description": description,
                    "value": _money(raw_value, _("价值")) if raw_value else None,
                    "details": {},
                    "encumbrances": [],
                }
            )
        if not assets:
            raise ServiceError(_("请填写查到的财产，或选择「未查到」"), code="no_assets")
        return {"assets": assets}
    if act in CONTROL_ACTS:
        try:
            rank = int(data.get("rank") or 1)
        except ValueError:
            rank = 0
        if rank < 1:
            raise ServiceError(_("顺位从 1 开始"), code="bad_rank")
        result: dict[str, Any] = {
            "measure_ref": _measure_ref(row),
            "rank": rank,
            "first_sealing_court": data.get("first_sealing_court", "").strip()
            or (row.court.court_code if rank == 1 else ""),
            "effective_from": today,
            "expires_on": _date(data.get("expires_on") or str(term.get("to", "")), _("届满日")),
        }
        if act == Act.FREEZE:
            result["amount_controlled"] = _money(
                data.get("amount_controlled") or str(row.payload.get("amount", "0")), _("实际冻结金额")
            )
        return result
    if act == Act.RENEWAL:
        return {
            "measure_ref": _measure_ref(row),
            "rank": 1,
            "expires_on": _date(data.get("expires_on") or str(term.get("to", "")), _("届满日")),
        }
    if act == Act.RELEASE:
        return {
            "measure_ref": _measure_ref(row),
            "released_on": _date(data.get("released_on") or today, _("解除日期")),
            "promoted": [],
        }
    if act == Act.DEDUCTION:
        return {
            "amount_deducted": _money(
                data.get("amount_deducted") or str(row.payload.get("amount", "0")), _("实际扣划金额")
            ),
            "transfer_reference": data.get("transfer_reference", "").strip()
            or f"{row.agency.code}-DESK-{row.pk}",
        }
    if act == Act.ASSISTANCE_NOTICE:
        return {"acknowledged": True, "note": data.get("note", "").strip()}
    if act == Act.JOINT_REVIEW:
        return {"opinion": data.get("opinion", "").strip(), "encumbrances": []}
    if act == Act.TITLE_TRANSFER:
        return {
            "registered_on": _date(data.get("registered_on") or today, _("登记日期")),
            "certificate": data.get("certificate", "").strip(),
        }
    raise ServiceError(_("未知的协助事项"), code="bad_act")


@login_required
@require_http_methods(["GET", "POST"])
def desk_request(request: HttpRequest, request_pk: int) -> HttpResponse:
    """一件协助请求：内容（与协议请求相同）与答复表单（已办理 / 不能办理）。"""
    user = _user(request)
    agency = _desk_agency(user)
    row = _desk_row(user, request_pk)
    error = ""
    if request.method == "POST":
        outcome = request.POST.get("outcome", "")
        try:
            if outcome == "rejected":
                code = request.POST.get("reason_code", "other")
                services.desk_answer(
                    actor=user,
                    request_pk=row.pk,
                    status=ReplyStatus.REJECTED,
                    reason_code=code if code in REASON_CODES else "other",
                    reason=request.POST.get("reason", ""),
                )
            else:
                services.desk_answer(
                    actor=user,
                    request_pk=row.pk,
                    status=ReplyStatus.COMPLETED,
                    result=desk_result(row, request.POST),
                )
        except ServiceError as e:
            error = e.message
        else:
            messages.success(
                request,
                _("已答复：%(act)s（%(case)s）")
                % {"act": _act_label(row.act), "case": row.case.case_number if row.case else "—"},
            )
            return redirect("agencies:desk")
    body = json.loads(services.request_body(row))
    term = body.get("term") or {}
    return render(
        request,
        "agencies/desk_request.html",
        {
            "agency": agency,
            "r": row,
            "body": body,
            "act": _act_label(row.act),
            "is_control": row.act in CONTROL_ACTS,
            "overdue": row.status != S.ANSWERED and row.due_at is not None and row.due_at < timezone.now(),
            "asset_kinds": list(ASSET_KIND_LABELS.items()),
            "asset_kind_label": ASSET_KIND_LABELS.get((body.get("asset") or {}).get("kind", ""), ""),
            "inquiry_rows": range(INQUIRY_ROWS),
            "reason_codes": list(REASON_CODES.items()),
            "default_expiry": term.get("to", ""),
            "today": timezone.localdate().isoformat(),
            "error": error,
        },
        status=400 if error else 200,
    )
