"""查控界面：the case panel (inquiries, assets, measures, deductions and the acts on them), the asset
detail page (each view journaled), and batch inquiries with their progress bar.

Thin views: parse, call one service (the only writers) or read through scoped selectors, render.
A refused act comes back as its Chinese message on the case page; the 超标的 warning re-shows the
control form with a confirmation and a reason.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhixing.agencies.models import AgencyRequest
from zhixing.asset_control import selectors, services
from zhixing.asset_control.models import Asset, ControlMeasure, Deduction, Inquiry
from zhixing.cases.models import EnforcementCase
from zhixing.cases.selectors import CaseFilters, case_get, case_list
from zhixing.core.errors import NotFound, PermissionDenied, ServiceError
from zhixing.core.models import User
from zhixing.core.roles import TEAM_ROLES, Role
from zhixing.rules import asset_control as rules

M = ControlMeasure.Status
OPEN = (AgencyRequest.Status.QUEUED, AgencyRequest.Status.SENDING, AgencyRequest.Status.AWAITING)
ACTIVE_STAGE = "in_enforcement"
POLL_SECONDS = 2

ASSET_KINDS = {
    "bank_deposit": gettext_lazy("银行存款"),
    "real_estate": gettext_lazy("不动产"),
    "vehicle": gettext_lazy("机动车"),
    "equity": gettext_lazy("股权"),
    "securities": gettext_lazy("证券"),
    "provident_fund": gettext_lazy("住房公积金"),
    "income": gettext_lazy("收入"),
    "household": gettext_lazy("户籍信息"),
    "marriage": gettext_lazy("婚姻登记信息"),
}
ENCUMBRANCE_KINDS = {
    "seal": gettext_lazy("查封"),
    "freeze": gettext_lazy("冻结"),
    "seizure": gettext_lazy("扣押"),
    "mortgage": gettext_lazy("抵押"),
    "pledge": gettext_lazy("质押"),
}
# Release grounds a judge chooses (查封规定第28条); "case_closed" is the system's own, on closing.
RELEASE_GROUNDS = ("paid", "third_party", "excess", "guarantee", "other")
# Labels of the agencies' detail fields (the personal data behind an asset).
DETAIL_LABELS = {
    "bank": gettext_lazy("开户行"),
    "account_number": gettext_lazy("账号"),
    "account_type": gettext_lazy("账户类型"),
    "account": gettext_lazy("账户"),
    "currency": gettext_lazy("币种"),
    "balance": gettext_lazy("余额"),
    "opened_on": gettext_lazy("开户日期"),
    "certificate": gettext_lazy("权属证书号"),
    "address": gettext_lazy("地址"),
    "use": gettext_lazy("用途"),
    "area_m2": gettext_lazy("面积（平方米）"),
    "ownership": gettext_lazy("共有情况"),
    "registered_on": gettext_lazy("登记日期"),
    "plate": gettext_lazy("号牌"),
    "vin": gettext_lazy("车架号"),
    "brand": gettext_lazy("品牌"),
    "model": gettext_lazy("型号"),
    "color": gettext_lazy("颜色"),
    "company": gettext_lazy("公司"),
    "company_uscc": gettext_lazy("公司统一社会信用代码"),
    "share_percent": gettext_lazy("持股比例（%）"),
    "subscribed_capital": gettext_lazy("认缴出资"),
    "registered_capital": gettext_lazy("注册资本"),
    "exchange": gettext_lazy("交易所"),
    "market_value": gettext_lazy("市值"),
    "holdings": gettext_lazy("持仓只数"),
    "employer": gettext_lazy("单位"),
    "employer_uscc": gettext_lazy("单位统一社会信用代码"),
    "monthly_deposit": gettext_lazy("月缴存额"),
    "year": gettext_lazy("年度"),
    "kind": gettext_lazy("类别"),
    "amount": gettext_lazy("金额"),
    "tax_paid": gettext_lazy("已缴税款"),
    "name": gettext_lazy("姓名"),
    "gender": gettext_lazy("性别"),
    "birth_date": gettext_lazy("出生日期"),
    "relation": gettext_lazy("与户主关系"),
    "members": gettext_lazy("户内人数"),
    "police_station": gettext_lazy("户籍派出所"),
    "status": gettext_lazy("婚姻状况"),
    "spouse_name": gettext_lazy("配偶姓名"),
    "spouse_gender": gettext_lazy("配偶性别"),
    "registry": gettext_lazy("登记机关"),
}


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _case_or_404(request: HttpRequest, case_id: int) -> EnforcementCase:
    case = case_get(user=_user(request), case_id=case_id)
    if case is None:
        raise Http404(_("案件不存在或无权查看"))
    return case


def _back(case_id: int) -> HttpResponse:
    return redirect(reverse("cases:detail", kwargs={"case_id": case_id}) + "#asset-control")


def _done(request: HttpRequest, case_id: int, message: str) -> HttpResponse:
    messages.success(request, message)
    return _back(case_id)


def _refused(request: HttpRequest, case_id: int, error: ServiceError) -> HttpResponse:
    messages.error(request, error.message)
    return _back(case_id)


# --- the case panel ------------------------------------------------------------------------------------
@dataclass
class AssetRow:
    asset: Asset
    kind_label: str
    description: str
    encumbrances: list[str]
    control_kinds: list[tuple[str, str]]  # (kind, label) the judge may order now; empty: none
    needs_amount: bool
    measure: ControlMeasure | None  # the measure in force or under way on it


@dataclass
class MeasureRow:
    measure: ControlMeasure
    status_text: str
    deductible: bool
    renewal_pending: bool
    releasing: bool
    available: Any = None  # frozen money not yet deducted


@dataclass
class InquiryRow:
    inquiry: Inquiry
    done: int
    answered: int
    failed: int


@dataclass
class Panel:
    case: EnforcementCase
    inquiries: list[InquiryRow] = field(default_factory=list)
    assets: list[AssetRow] = field(default_factory=list)
    measures: list[MeasureRow] = field(default_factory=list)
    deductions: list[Deduction] = field(default_factory=list)
    pending: int = 0
    version: str = ""


def _encumbrance_text(e: Any) -> str:
    if not isinstance(e, dict):
        return str(e)
    kind = ENCUMBRANCE_KINDS.get(str(e.get("kind", "")), str(e.get("kind", "")))
    text = _("已被%(court)s%(kind)s") % {"court": e.get("court") or _("他院"), "kind": kind}
    rank = e.get("rank")
    if isinstance(rank, int) and rank > 1:
        text += _("（轮候第%(n)d位）") % {"n": rank}
    if e.get("amount"):
        text += _("，金额 %(a)s 元") % {"a": e["amount"]}
    return text


def _status_text(m: ControlMeasure) -> str:
    if m.status == M.WAITING:
        return _("轮候第%(n)d位") % {"n": m.rank or 2}
    return str(m.get_status_display())


def _panel(user: User, case: EnforcementCase) -> Panel:
    """Everything the panel shows, in a fixed number of queries (the case came through case_get)."""
    panel = Panel(case=case)
    personal = selectors.sees_personal_data(user, case)
    # the case's agency requests, counted per origin record (inquiry:1, renewal:7 …) in one query
    counts: dict[str, dict[str, int]] = {}
    for row in (
        AgencyRequest.objects.filter(case=case)
        .values("origin", "origin_ref")
        .annotate(
            open=Count("id", filter=Q(status__in=OPEN)),
            answered=Count("id", filter=Q(status=AgencyRequest.Status.ANSWERED)),
            failed=Count("id", filter=Q(status=AgencyRequest.Status.FAILED)),
        )
        .order_by()
    ):
        panel.pending += int(row["open"])  # any request of the case, whichever app sent it
        if row["origin"] == services.ORIGIN:
            counts[row["origin_ref"]] = {k: int(row[k]) for k in ("open", "answered", "failed")}
    for i in selectors.case_inquiries(case):
        c = counts.get(f"inquiry:{i.pk}", {})
        answered, failed = c.get("answered", 0), c.get("failed", 0)
        panel.inquiries.append(InquiryRow(i, answered + failed, answered, failed))
    measures = list(selectors.case_controls(case))
    in_force = {
        m.asset_id: m for m in measures if m.status in (M.REQUESTED, M.EFFECTIVE, M.WAITING, M.RELEASING)
    }
    for a in selectors.case_assets(case):
        kinds = rules.control_kinds(a.kind)
        panel.assets.append(
            AssetRow(
                asset=a,
                kind_label=str(ASSET_KINDS.get(a.kind, a.kind)),
                description=a.description
                if personal
                else f"{a.agency.name}：{ASSET_KINDS.get(a.kind, a.kind)}",
                encumbrances=[_encumbrance_text(e) for e in a.encumbrances or []],
                control_kinds=[(k, str(ControlMeasure.Kind(k).label)) for k in kinds if a.agency.supports(k)]
                if a.pk not in in_force
                else [],
                needs_amount="freeze" in kinds,
                measure=in_force.get(a.pk),
            )
        )
    for m in measures:
        available = None
        deductible = (
            m.kind == ControlMeasure.Kind.FREEZE
            and m.asset.kind in rules.DEDUCTIBLE
            and m.status == M.EFFECTIVE
        )
        if m.kind == ControlMeasure.Kind.FREEZE and m.amount_controlled is not None:
            available = m.amount_controlled - (m.amount_deducted or 0)
        panel.measures.append(
            MeasureRow(
                measure=m,
                status_text=_status_text(m),
                deductible=deductible and bool(available and available > 0),
                renewal_pending=counts.get(f"renewal:{m.pk}", {}).get("open", 0) > 0,
                releasing=m.status == M.RELEASING,
                available=available,
            )
        )
    panel.deductions = list(selectors.case_deductions(case))
    panel.version = _fingerprint(panel)
    return panel


def _fingerprint(p: Panel) -> str:
    """What the panel shows, hashed: a poll finding nothing changed answers 204 (no swap, no lost input)."""
    state = (
        p.pending,
        [(r.inquiry.pk, r.done, r.inquiry.assets_found, r.inquiry.completed_at) for r in p.inquiries],
        [
            (r.asset.pk, r.asset.last_seen_on, r.asset.value, r.measure.pk if r.measure else None)
            for r in p.assets
        ],
        [
            (m.pk, m.status, m.rank, m.expires_on, m.renewals, m.amount_controlled, m.amount_deducted, wait)
            for m, wait in ((r.measure, r.renewal_pending) for r in p.measures)
        ],
        [(d.pk, d.status, d.amount_deducted) for d in p.deductions],
    )
    return hashlib.sha256(repr(state).encode()).hexdigest()[:16]


def _panel_context(request: HttpRequest, case: EnforcementCase, **extra: Any) -> dict[str, Any]:
    user = _user(request)
    is_team = user.role in TEAM_ROLES and user.team_id == case.team_id
    active = case.stage == ACTIVE_STAGE
    return {
        "case": case,
        "panel": _panel(user, case),
        "personal": selectors.sees_personal_data(user, case),
        "is_team": is_team,
        "can_inquire": is_team and active,
        "can_control": is_team and active and user.role == Role.JUDGE,
        "is_judge": is_team and user.role == Role.JUDGE,
        "release_grounds": [(g, rules.release_basis(g).value) for g in RELEASE_GROUNDS],
        "poll_seconds": POLL_SECONDS,
        **extra,
    }


@login_required
@require_GET
def panel(request: HttpRequest, case_id: int) -> HttpResponse:
    """The case page's 查控 panel (an htmx partial); it polls itself while a request is pending."""
    case = _case_or_404(request, case_id)
    ctx = _panel_context(request, case)
    seen = request.GET.get("v", "")
    if seen and seen == ctx["panel"].version:
        return HttpResponse(status=204)  # nothing changed: htmx keeps the panel (and what is typed in it)
    return render(request, "asset_control/panel.html", ctx)


@login_required
@require_POST
def inquire(request: HttpRequest, case_id: int) -> HttpResponse:
    """网络查控 (the case's team)."""
    case = _case_or_404(request, case_id)
    try:
        inquiry = services.inquiry_start(
            actor=_user(request), case_id=case.pk, purpose=request.POST.get("purpose", "")
        )
    except ServiceError as e:
        return _refused(request, case.pk, e)
    return _done(
        request,
        case.pk,
        _("已发起网络查控：向 %(n)d 个协助单位发出查询") % {"n": inquiry.requests_total},
    )


@login_required
@require_POST
def control(request: HttpRequest, case_id: int, asset_id: int) -> HttpResponse:
    """查封、扣押、冻结 (the judge). 超标的: the form again, with the warning, a confirmation and a reason."""
    case = _case_or_404(request, case_id)
    data = request.POST
    kind = data.get("kind") or None
    amount = data.get("amount", "").strip() or None
    confirm = data.get("confirm_overreach") in ("1", "on", "true")
    reason = data.get("overreach_reason", "")
    try:
        m = services.control_request(
            actor=_user(request),
            case_id=case.pk,
            asset_id=asset_id,
            kind=kind,
            amount=amount,
            confirm_overreach=confirm,
            overreach_reason=reason,
        )
    except ServiceError as e:
        if e.code != "overreach":
            return _refused(request, case.pk, e)
        asset = selectors.case_assets(case).filter(pk=asset_id).first()
        if asset is None:
            raise Http404(_("本案没有这项财产")) from e
        kinds = rules.control_kinds(asset.kind)
        return render(
            request,
            "asset_control/control_confirm.html",
            {
                "case": case,
                "asset": asset,
                "kind_label": ASSET_KINDS.get(asset.kind, asset.kind),
                "description": asset.description
                if selectors.sees_personal_data(_user(request), case)
                else f"{asset.agency.name}：{ASSET_KINDS.get(asset.kind, asset.kind)}",
                "control_kinds": [(k, ControlMeasure.Kind(k).label) for k in kinds],
                "needs_amount": "freeze" in kinds,
                "kind": kind or (kinds[0] if kinds else ""),
                "amount": amount or "",
                "reason": reason,
                "confirm": confirm,
                "warning": e.message,
            },
        )
    return _done(
        request,
        case.pk,
        _("已决定%(kind)s，已通知%(agency)s办理")
        % {"kind": m.get_kind_display(), "agency": m.asset.agency.name},
    )


@login_required
@require_POST
def renew(request: HttpRequest, case_id: int, measure_id: int) -> HttpResponse:
    """续行 (the judge)."""
    case = _case_or_404(request, case_id)
    try:
        m = services.control_renew(actor=_user(request), measure_id=measure_id)
    except ServiceError as e:
        return _refused(request, case.pk, e)
    return _done(request, m.case_id, _("已申请续行，等待协助单位办理"))


@login_required
@require_POST
def release(request: HttpRequest, case_id: int, measure_id: int) -> HttpResponse:
    """解除 with its ground (the judge)."""
    case = _case_or_404(request, case_id)
    ground = request.POST.get("ground", "")
    try:
        if ground not in RELEASE_GROUNDS:
            raise ServiceError(_("请选择解除事由"), code="bad_ground", field="ground")
        m = services.control_release(actor=_user(request), measure_id=measure_id, ground=ground)
    except ServiceError as e:
        return _refused(request, case.pk, e)
    return _done(request, m.case_id, _("已决定解除，等待协助单位办理"))


@login_required
@require_POST
def deduct(request: HttpRequest, case_id: int, measure_id: int) -> HttpResponse:
    """扣划 from an effective freeze (the judge); the money is posted to the case account on arrival."""
    case = _case_or_404(request, case_id)
    try:
        d = services.deduction_request(
            actor=_user(request), measure_id=measure_id, amount=request.POST.get("amount", "").strip()
        )
    except ServiceError as e:
        return _refused(request, case.pk, e)
    return _done(request, d.case_id, _("已决定扣划 %(a)s 元，到账后计入本案执行款") % {"a": d.amount})


# --- the asset detail page ---------------------------------------------------------------------------
@login_required
@require_GET
def asset_detail(request: HttpRequest, asset_id: int) -> HttpResponse:
    """财产详情（个人信息）：only the case's team; every view is journaled on the case."""
    purpose = request.GET.get("purpose", "").strip() or "办理本案"
    try:
        asset = services.asset_view(actor=_user(request), asset_id=asset_id, purpose=purpose)
    except NotFound as e:
        raise Http404(e.message) from e
    except PermissionDenied as e:
        raise DjangoPermissionDenied(e.message) from e
    details = [(str(DETAIL_LABELS.get(k, k)), v) for k, v in (asset.details or {}).items()]
    measures = asset.controls.order_by("-created_at")
    return render(
        request,
        "asset_control/asset_detail.html",
        {
            "asset": asset,
            "case": asset.case,
            "kind_label": ASSET_KINDS.get(asset.kind, asset.kind),
            "details": details,
            "encumbrances": [_encumbrance_text(e) for e in asset.encumbrances or []],
            "measures": measures,
            "purpose": purpose,
        },
    )


# --- batch inquiries -----------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def batches(request: HttpRequest) -> HttpResponse:
    """批量网络查控：the team's cases in enforcement, ticked; one act; then the batch's progress."""
    user = _user(request)
    if user.court_id is None or (request.method == "POST" and user.role not in TEAM_ROLES):
        raise DjangoPermissionDenied(_("批量查控须由办案团队发起"))
    if request.method == "POST":
        try:
            ids = [int(x) for x in request.POST.getlist("case_ids")]
        except ValueError:
            ids = []
        try:
            batch = services.inquiry_batch_start(
                actor=user, case_ids=ids, purpose=request.POST.get("purpose", "")
            )
        except ServiceError as e:
            messages.error(request, e.message)
            return redirect("asset_control:batches")
        started = len(set(ids)) - len(batch.skipped)
        messages.success(request, _("已发起批量查控：%(n)d 件案件") % {"n": started})
        return redirect("asset_control:batch", batch_id=batch.pk)
    cases = (
        case_list(user=user, filters=CaseFilters(stage=ACTIVE_STAGE))[:500]
        if user.role in TEAM_ROLES
        else EnforcementCase.objects.none()
    )
    return render(
        request,
        "asset_control/batches.html",
        {
            "can_start": user.role in TEAM_ROLES,
            "cases": cases,
            "recent": selectors.batches_visible(user).select_related("created_by")[:20],
        },
    )


def _batch_or_404(request: HttpRequest, batch_id: int) -> Any:
    batch = (
        selectors.batches_visible(_user(request))
        .select_related("created_by", "court")
        .filter(pk=batch_id)
        .first()
    )
    if batch is None:
        raise Http404(_("批次不存在或无权查看"))
    return batch


def _batch_context(request: HttpRequest, batch: Any) -> dict[str, Any]:
    progress = selectors.batch_progress(batch)
    inquiries = list(batch.inquiries.select_related("case").order_by("case__case_number"))
    skipped = list(batch.skipped or [])
    visible: dict[int, str] = {}
    if skipped:  # the case numbers of the skipped cases the user may see (open or closed)
        ids = [s.get("case_id") for s in skipped]
        for filters in (CaseFilters(), CaseFilters(stage="closed")):
            visible.update(
                case_list(user=_user(request), filters=filters)
                .filter(pk__in=ids)
                .values_list("pk", "case_number")
            )
    return {
        "batch": batch,
        "progress": progress,
        "inquiries": inquiries,
        "skipped": [{**s, "case_number": visible.get(s.get("case_id"), "")} for s in skipped],
        "poll_seconds": POLL_SECONDS,
    }


@login_required
@require_GET
def batch(request: HttpRequest, batch_id: int) -> HttpResponse:
    b = _batch_or_404(request, batch_id)
    return render(request, "asset_control/batch.html", _batch_context(request, b))


@login_required
@require_GET
def batch_progress(request: HttpRequest, batch_id: int) -> HttpResponse:
    """The progress part of the batch page (htmx, every 2 s until finished)."""
    b = _batch_or_404(request, batch_id)
    return render(request, "asset_control/_batch_progress.html", _batch_context(request, b))
