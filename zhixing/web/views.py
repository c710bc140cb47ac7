"""界面视图 — thin: parse, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhixing.core import selectors, services
from zhixing.core.auth import (
    LoginError,
    api_token_issue,
    api_token_revoke,
    login_attempt,
    totp_begin,
    totp_confirm,
)
from zhixing.core.errors import ServiceError
from zhixing.core.models import User
from zhixing.core.roles import Role, ScopeLevel
from zhixing.web.forms import DecideForm, LoginForm, PartyRegisterForm, RevealForm, TokenForm, TotpConfirmForm


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            user = login_attempt(**form.cleaned_data)
        except LoginError as e:
            error = e.message
        else:
            login(request, user, backend="zhixing.core.auth.LockoutBackend")
            nxt = request.GET.get("next", "")
            if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
                return redirect(nxt)
            return redirect("web:home")
    return render(request, "web/login.html", {"form": form, "error": error}, status=401 if error else 200)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("web:login")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """工作台：one page per role — what this user works on first."""
    user = _user(request)
    level = user.scope_level
    ctx: dict[str, object] = {"scope_level": level, "role_label": Role(user.role).label if user.role else ""}
    if user.is_superuser or level == ScopeLevel.SUBTREE:
        ctx["courts"] = selectors.court_list(user=user)
    if user.team_id:
        assert user.team is not None
        ctx["team"] = user.team
        ctx["team_members"] = user.team.members.filter(is_active=True).order_by("role")
    if user.court_id and level in (ScopeLevel.COURT, ScopeLevel.TEAM):
        assert user.court is not None
        ctx["court_teams"] = (
            selectors.team_list(user=user, court=user.court) if level == ScopeLevel.COURT else None
        )
    ctx["approvals_for_me"] = selectors.approvals_pending_for(user=user)[:10]
    from zhixing.command.selectors import waiting_for

    ctx["waiting"] = waiting_for(user)
    ctx["recent_events"] = selectors.journal_recent(user=user, limit=10)
    return render(request, "web/home.html", ctx)


@login_required
def court_list(request: HttpRequest) -> HttpResponse:
    return render(request, "web/court_list.html", {"courts": selectors.court_list(user=_user(request))})


@login_required
def court_detail(request: HttpRequest, court_code: str) -> HttpResponse:
    user = _user(request)
    court = selectors.court_get(user=user, court_code=court_code)
    if court is None:
        raise Http404(_("法院不存在或无权查看"))
    return render(
        request,
        "web/court_detail.html",
        {
            "court": court,
            "teams": selectors.team_list(user=user, court=court),
            "staff": selectors.staff_list(user=user, court=court),
            "children": selectors.court_list(user=user).filter(parent=court),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def party_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = PartyRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            party, created = services.party_register(actor=user, **form.cleaned_data)
        except ServiceError as e:
            form.add_error(e.field if e.field in form.fields else None, e.message)
        else:
            if created:
                messages.success(request, _("已登记当事人：%(name)s") % {"name": party.name})
            else:
                messages.info(request, _("该证件号已登记为：%(name)s") % {"name": party.name})
            return redirect("web:party_detail", party_id=party.pk)
    q = request.GET.get("q", "").strip()
    return render(
        request,
        "web/party_list.html",
        {"parties": selectors.party_list(user=user, search=q)[:200], "form": form, "q": q},
        status=400 if form.errors else 200,
    )


@login_required
def party_detail(request: HttpRequest, party_id: int) -> HttpResponse:
    user = _user(request)
    party = selectors.party_get(user=user, party_id=party_id)
    if party is None:
        raise Http404(_("当事人不存在或无权查看"))
    events = selectors.journal_for_stream(user=user, stream=f"party:{party.pk}")
    return render(request, "web/party_detail.html", {"party": party, "events": events, "form": RevealForm()})


@login_required
@require_POST
def party_reveal(request: HttpRequest, party_id: int) -> HttpResponse:
    """查看完整证件号（htmx fragment）：requires a purpose and is journaled."""
    user = _user(request)
    party = selectors.party_get(user=user, party_id=party_id)
    if party is None:
        raise Http404(_("当事人不存在或无权查看"))
    form = RevealForm(request.POST)
    number, error = "", ""
    if form.is_valid():
        try:
            number = services.party_identity_reveal(
                actor=user, party=party, purpose=form.cleaned_data["purpose"]
            )
        except ServiceError as e:
            error = e.message
    else:
        error = _("请填写查看用途")
    ctx = {"party": party, "number": number, "error": error, "form": form}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "web/_reveal.html", ctx, status=400 if error else 200)
    if error:
        messages.error(request, error)
    else:
        messages.info(request, _("完整证件号：%(n)s（本次查看已记录）") % {"n": number})
    return redirect("web:party_detail", party_id=party.pk)


@login_required
def approval_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "web/approval_list.html",
        {
            "pending": selectors.approvals_pending_for(user=user),
            "all": selectors.approval_list(user=user)[:100],
            "form": DecideForm(),
        },
    )


@login_required
@require_POST
def approval_decide(request: HttpRequest, approval_id: int) -> HttpResponse:
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择审批结果"))
        return redirect("web:approval_list")
    try:
        services.approval_decide(
            actor=_user(request),
            approval_id=approval_id,
            approve=form.cleaned_data["decision"] == "approve",
            reason=form.cleaned_data["reason"],
        )
    except ServiceError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("审批已记录"))
    return redirect("web:approval_list")


@login_required
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    """账号安全：动态口令（TOTP）与 API 令牌。"""
    user = _user(request)
    ctx: dict[str, object] = {"totp_form": TotpConfirmForm(), "token_form": TokenForm()}
    action = request.POST.get("action")
    try:
        if action == "totp_begin":
            ctx["totp_uri"] = totp_begin(user=user)
        elif action == "totp_confirm":
            form = TotpConfirmForm(request.POST)
            if form.is_valid():
                totp_confirm(user=user, code=form.cleaned_data["code"])
                messages.success(request, _("动态口令已启用，下次登录时需要输入"))
                return redirect("web:account")
        elif action == "token_issue":
            tform = TokenForm(request.POST)
            if tform.is_valid():
                ctx["new_token"] = api_token_issue(user=user, name=tform.cleaned_data["name"])[1]
        elif action == "token_revoke":
            api_token_revoke(user=user, prefix=request.POST.get("prefix", ""))
            messages.success(request, _("令牌已吊销"))
            return redirect("web:account")
    except ServiceError as e:
        messages.error(request, e.message)
    ctx["tokens"] = selectors.api_tokens_for(user=user)
    return render(request, "web/account.html", ctx)


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cur:
        cur.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})


def _error(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    return render(request, "web/error.html", {"status": status, "title": title, "text": text}, status=status)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, _("无权访问"), _("您没有访问此页面的权限。如需办理，请联系本院执行局。"))


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, _("页面不存在"), _("页面不存在，或您无权查看该法院、团队的数据。"))


def error_500(request: HttpRequest) -> HttpResponse:
    # No context processors, no database: the error page must render when the database is down.
    return HttpResponse(loader.get_template("web/error500.html").render({}), status=500)
