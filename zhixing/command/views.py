"""指挥中心界面：city → court → team → judge → case screens with comparisons, the big screen, alerts,
instructions, evaluation, reported figures, exports (CSV, XLSX) and the monthly report (PDF).

Thin views: parse, call one selector or service, render. Tables export with ``?format=csv|xlsx``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhixing.command import selectors, services
from zhixing.command.models import Alert, Instruction
from zhixing.command.projection import projection_state
from zhixing.core.errors import NotFound, ServiceError
from zhixing.core.models import Court, Team, User
from zhixing.core.roles import TEAM_ROLES, Role
from zhixing.rules.supervision import ALERT_RULES
from zhixing.web.exports import disposition, table_response, wanted


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


_commander = selectors.sees_screens
_home_court = selectors.home_court


def _court_or_404(user: User, code: str) -> Court:
    court = selectors.command_court(user, code)
    if court is None:
        raise Http404(_("法院不存在或无权查看"))
    return court


def _period(request: HttpRequest) -> tuple[selectors.Period, selectors.Period | None]:
    """``?from=&to=`` (default: the half-year to date) and ``?compare=year|previous|none`` (default: the
    same span a year earlier, as the seed compares its half-years)."""
    today = services.today()
    default = selectors.half_year(today)
    try:
        start = dt.date.fromisoformat(request.GET["from"]) if request.GET.get("from") else default.start
        end = dt.date.fromisoformat(request.GET["to"]) if request.GET.get("to") else default.end
    except ValueError:
        messages.error(request, _("日期格式应为 YYYY-MM-DD，已显示默认期间"))
        start, end = default.start, default.end
    if end < start or (end - start).days > 3660:
        messages.error(request, _("期间无效（结束日早于开始日或超过十年），已显示默认期间"))
        start, end = default.start, default.end
    period = selectors.Period(start, end)
    mode = request.GET.get("compare", "year")
    if mode == "none":
        return period, None
    if mode == "previous":
        span = dt.timedelta(days=period.days)
        return period, selectors.Period(start - span, start - dt.timedelta(days=1))
    return period, period.year_before()


def _query(request: HttpRequest, **drop: Any) -> str:
    q = request.GET.copy()
    for k in ("format", *drop):
        q.pop(k, None)
    return q.urlencode()


def _ranking_export(request: HttpRequest, rows: list[dict[str, Any]], filename: str) -> HttpResponse | None:
    fmt = wanted(request)
    if fmt is None:
        return None
    headers = ["名次", *(label for _k, label in selectors.RANKING_COLUMNS)]
    data = [[r.get("rank"), *(r.get(k) for k, _l in selectors.RANKING_COLUMNS)] for r in rows]
    return table_response(fmt, filename=filename, headers=headers, rows=data)


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not _commander(user):
        if user.role in TEAM_ROLES and user.team_id:
            return redirect("command:judge", judge_id=user.pk)
        raise Http404(_("无权查看指挥中心"))
    court = _home_court(user)
    if court is None:
        raise Http404(_("没有可查看的法院"))
    return redirect("command:court", code=court.court_code)


def _chart_data(data: dict[str, Any], *, drill: str | None = None) -> dict[str, Any]:
    def num(v: Any) -> Any:
        return float(v) if isinstance(v, Decimal) else v

    out: dict[str, Any] = {
        "trend": data["trend"],
        "trend_previous": data.get("trend_previous", []),
    }
    if data.get("branches"):
        out["branches"] = [
            {
                "name": r["name"],
                "code": r["code"],
                "closure_rate": num(r["closure_rate"]),
                "actual_closure_rate": num(r["actual_closure_rate"]),
                "pending": r["pending"],
                "closed": r["closed"],
                "alerts": r["alerts"],
                "lng": r["lng"],
                "lat": r["lat"],
                "url": reverse("command:court", kwargs={"code": r["code"]}),
            }
            for r in data["branches"]
        ]
    return out


@login_required
@require_GET
def court(request: HttpRequest, code: str) -> HttpResponse:
    user = _user(request)
    c = _court_or_404(user, code)
    period, compare = _period(request)
    data = selectors.court_screen(user, c, period, compare=compare, on=services.today())
    table = request.GET.get("table")
    if table in ("branches", "teams", "judges"):
        export = _ranking_export(request, data[table], f"{c.short_name}-{table}-{period.start}-{period.end}")
        if export is not None:
            return export
    agencies = []
    if data["branches"]:  # the city screen: the agencies' answer times over the last 30 days
        from zhixing.agencies.selectors import agency_stats

        agencies = [a for a in agency_stats(user) if a.total]
    return render(
        request,
        "command/court.html",
        {
            **data,
            "ancestors": selectors.ancestors(user, c),
            "chart": _chart_data(data),
            "query": _query(request, table=1),
            "state": projection_state(),
            "rule_labels": ALERT_RULES,
            "agencies": agencies,
            "compare_mode": request.GET.get("compare", "year"),
        },
    )


def _team_or_404(user: User, team_id: int) -> Team:
    team = selectors.screen_team(user, team_id)
    if team is None:
        raise Http404(_("团队不存在或无权查看"))
    return team


@login_required
@require_GET
def team(request: HttpRequest, team_id: int) -> HttpResponse:
    user = _user(request)
    t = _team_or_404(user, team_id)
    period, compare = _period(request)
    data = selectors.unit_screen(court=t.court, period=period, compare=compare, on=services.today(), team=t)
    export = _ranking_export(request, data["judges"], f"{t.name}-{period.start}-{period.end}")
    if export is not None:
        return export
    return render(
        request,
        "command/unit.html",
        {
            **data,
            "court": t.court,
            "team": t,
            "period": period,
            "compare": compare,
            "chart": _chart_data(data),
            "query": _query(request),
            "commander": _commander(user),
        },
    )


@login_required
@require_GET
def judge(request: HttpRequest, judge_id: int) -> HttpResponse:
    from zhixing.cases.selectors import case_list

    user = _user(request)
    j = selectors.screen_judge(user, judge_id)
    if j is None or j.court is None:
        raise Http404(_("人员不存在或无权查看"))
    period, compare = _period(request)
    data = selectors.unit_screen(court=j.court, period=period, compare=compare, on=services.today(), judge=j)
    cases = case_list(user=user).filter(judge=j).exclude(stage="closed").order_by("next_due_on", "pk")[:50]
    alerts = selectors.alerts_visible(user).filter(assignee=j).exclude(status=Alert.Status.RESOLVED)[:50]
    return render(
        request,
        "command/unit.html",
        {
            **data,
            "court": j.court,
            "team": j.team,
            "judge": j,
            "period": period,
            "compare": compare,
            "chart": _chart_data(data),
            "cases": cases,
            "alerts": alerts,
            "query": _query(request),
            "commander": _commander(user),
        },
    )


# --- the big screen --------------------------------------------------------------------------------------


def _screen_json(data: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
    def num(v: Any) -> Any:
        return str(v) if isinstance(v, Decimal) else v

    return {
        "court": data["court"].name,
        "period": data["period"].label(),
        "compare": data["compare"].label() if data["compare"] else None,
        "kpis": [
            {
                k: num(v)
                for k, v in row.items()
                if k in ("code", "label", "unit", "value", "previous", "delta", "meets_target")
            }
            for row in data["kpis"]
            if row["card"]
        ],
        "totals": {
            "filed": data["figures"].totals.filed,
            "closed": data["figures"].totals.closed,
            "pending": data["figures"].pending_at_end,
            "received": str(data["figures"].extras.get("received", 0)),
        },
        "alerts": data["alerts"],
        "alert_labels": dict(ALERT_RULES),
        "instructions": data["instructions"],
        "chart": _chart_data(data),
        "as_of": timezone.localtime(state["updated_at"]).strftime("%Y-%m-%d %H:%M:%S")
        if state["updated_at"]
        else None,
    }


@login_required
@require_GET
def screen(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    home = _home_court(user)
    c = _court_or_404(user, request.GET.get("court") or (home.court_code if home else ""))
    return render(
        request,
        "command/screen.html",
        {
            "court": c,
            "data_url": reverse("command:screen_data") + "?" + request.GET.urlencode(),
            "refresh": settings.COMMAND_SCREEN_REFRESH_SECONDS,
        },
    )


@login_required
@require_GET
def screen_data(request: HttpRequest) -> JsonResponse:
    user = _user(request)
    home = _home_court(user)
    c = _court_or_404(user, request.GET.get("court") or (home.court_code if home else ""))
    period, compare = _period(request)
    data = selectors.court_screen(user, c, period, compare=compare, on=services.today())
    return JsonResponse(_screen_json(data, projection_state()))


# --- alerts ----------------------------------------------------------------------------------------------

ALERT_COLUMNS = ("预警", "等级", "法院", "案件", "处理人", "状态", "预警日期", "处理结果")


@login_required
@require_GET
def alerts(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    qs = selectors.alerts_visible(user)
    status = request.GET.get("status", "live")
    if status == "live":
        qs = qs.exclude(status=Alert.Status.RESOLVED)
    elif status in Alert.Status.values:
        qs = qs.filter(status=status)
    rule = request.GET.get("rule", "")
    if rule in ALERT_RULES:
        qs = qs.filter(rule=rule)
    if request.GET.get("mine"):
        qs = qs.filter(assignee=user)
    code = request.GET.get("court", "")
    if code:
        qs = qs.filter(court__path__startswith=selectors.court_path(code) or "-")
    fmt = wanted(request)
    if fmt:
        rows = [
            [
                a.title,
                a.get_level_display(),
                a.court.short_name,
                a.case.case_number if a.case else "",
                a.assignee.full_name if a.assignee else "",
                a.get_status_display(),
                a.raised_on,
                a.resolution,
            ]
            for a in qs[:10000]
        ]
        return table_response(fmt, filename=f"监督预警-{services.today()}", headers=ALERT_COLUMNS, rows=rows)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    colleagues = selectors.colleagues(a.court_id for a in page) if _commander(user) else {}
    return render(
        request,
        "command/alerts.html",
        {
            "page": page,
            "rules": ALERT_RULES,
            "status": status,
            "rule": rule,
            "query": _query(request, page=1),
            "commander": _commander(user),
            "colleagues": colleagues,
        },
    )


def _alert_back(request: HttpRequest) -> HttpResponse:
    nxt = request.POST.get("next", "")
    if nxt.startswith("/") and not nxt.startswith("//"):
        return redirect(nxt)
    return redirect("command:alerts")


@login_required
@require_POST
def alert_act(request: HttpRequest, alert_id: int, act: str) -> HttpResponse:
    user = _user(request)
    try:
        if act == "acknowledge":
            services.alert_acknowledge(actor=user, alert_id=alert_id)
            messages.success(request, _("预警已签收"))
        elif act == "resolve":
            services.alert_resolve(
                actor=user, alert_id=alert_id, resolution=request.POST.get("resolution", "")
            )
            messages.success(request, _("预警已处理完毕"))
        elif act == "assign":
            try:
                assignee = int(request.POST.get("assignee", ""))
            except ValueError:
                raise ServiceError("请选择处理人", code="bad_assignee", field="assignee") from None
            services.alert_assign(actor=user, alert_id=alert_id, assignee_id=assignee)
            messages.success(request, _("预警已指派"))
        else:
            raise Http404()
    except NotFound:
        raise Http404(_("预警不存在或无权查看")) from None
    except ServiceError as e:
        messages.error(request, e.message)
    return _alert_back(request)


# --- instructions ----------------------------------------------------------------------------------------

INSTRUCTION_COLUMNS = (
    "编号",
    "类型",
    "事项",
    "下达法院",
    "承办法院",
    "承办人",
    "案件",
    "下达日期",
    "反馈期限",
    "状态",
    "升级",
)


@login_required
@require_GET
def instructions(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    qs = selectors.instructions_visible(user)
    box = request.GET.get("box", "all")
    if box == "received":
        qs = qs.exclude(issuing_court_id=user.court_id) if _commander(user) else qs.exclude(issued_by=user)
    elif box == "issued":
        qs = qs.filter(issuing_court_id=user.court_id)
    if request.GET.get("open"):
        qs = qs.exclude(status=Instruction.Status.CLOSED)
    fmt = wanted(request)
    if fmt:
        rows = [
            [
                i.number,
                i.get_kind_display(),
                i.subject,
                i.issuing_court.short_name,
                i.target_court.short_name,
                i.target_judge.full_name if i.target_judge else (i.target_team.name if i.target_team else ""),
                i.case.case_number if i.case else "",
                i.issued_on,
                i.due_on,
                i.get_status_display(),
                i.level,
            ]
            for i in qs[:10000]
        ]
        return table_response(
            fmt, filename=f"交办督办-{services.today()}", headers=INSTRUCTION_COLUMNS, rows=rows
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "command/instructions.html",
        {
            "page": page,
            "box": box,
            "query": _query(request, page=1),
            "may_issue": user.role in services.ISSUING_ROLES,
            "today": services.today(),
        },
    )


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
def instruction_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.role not in services.ISSUING_ROLES:
        raise Http404(_("无权下达指令"))
    form: dict[str, Any] = (
        dict(request.POST.items()) if request.method == "POST" else dict(request.GET.items())
    )
    error = None
    if request.method == "POST":
        case_id = None
        if form.get("case_number"):
            case_id = selectors.case_id_by_number(form["case_number"])
            if case_id is None:
                error = _("案号不存在")
        days = _int(form.get("days"))
        if form.get("days") and days is None:
            error = _("反馈期限应为整数日")
        if error is None:
            try:
                i = services.instruction_issue(
                    actor=user,
                    kind=form.get("kind", ""),
                    subject=form.get("subject", ""),
                    body=form.get("body", ""),
                    target_court_code=form.get("target_court", ""),
                    target_team_id=_int(form.get("target_team")),
                    target_judge_id=_int(form.get("target_judge")),
                    case_id=case_id,
                    days=days,
                )
            except ServiceError as e:
                error = e.message
            else:
                messages.success(
                    request, _("指令已下达：%(n)s，反馈期限 %(d)s") % {"n": i.number, "d": i.due_on}
                )
                return redirect("command:instruction", instruction_id=i.pk)
    return render(
        request,
        "command/instruction_new.html",
        {"form": form, "error": error, "kinds": Instruction.Kind.choices, **selectors.issue_targets(user)},
        status=400 if error else 200,
    )


@login_required
def instruction(request: HttpRequest, instruction_id: int) -> HttpResponse:
    user = _user(request)
    i = selectors.instructions_visible(user).filter(pk=instruction_id).first()
    if i is None:
        raise Http404(_("指令不存在或无权查看"))
    if request.method == "POST":
        act = request.POST.get("act", "")
        body = request.POST.get("body", "")
        try:
            if act == "acknowledge":
                services.instruction_acknowledge(actor=user, instruction_id=i.pk)
                messages.success(request, _("已签收"))
            elif act == "report":
                services.instruction_report(actor=user, instruction_id=i.pk, body=body)
                messages.success(request, _("已反馈"))
            elif act in services.POWERS:
                days = _int(request.POST.get("days"))
                services.instruction_power(
                    actor=user,
                    instruction_id=i.pk,
                    power=act,
                    reason=body,
                    days=days,
                    to_court_code=request.POST.get("to_court", ""),
                )
                messages.success(request, _("已采取：%(p)s") % {"p": services.POWERS[act]})
            elif act in ("accept", "return"):
                services.instruction_review(
                    actor=user, instruction_id=i.pk, accept=act == "accept", body=body
                )
                messages.success(request, _("已办结") if act == "accept" else _("已退回补充"))
            else:
                raise ServiceError("未知的操作", code="bad_act")
        except NotFound:
            raise Http404(_("指令不存在或无权查看")) from None
        except ServiceError as e:
            messages.error(request, e.message)
        return redirect("command:instruction", instruction_id=i.pk)
    return render(
        request,
        "command/instruction.html",
        {
            "i": i,
            "entries": i.entries.select_related("author"),
            "is_target": services.instruction_is_target(user, i),
            "is_issuer": services.instruction_is_issuer(user, i),
            "powers": services.POWERS,
            "courts": selectors.visible_courts(user)
            .filter(path__startswith=i.issuing_court.path)
            .exclude(pk=i.target_court_id)
            .exclude(level=Court.Level.HIGH),
        },
    )


# --- evaluation, figures, the monthly report ---------------------------------------------------------------

EVALUATION_COLUMNS = (
    ("rank", "名次"),
    ("name", "姓名/团队"),
    ("score", "得分"),
    ("closed", "已结"),
    ("closure_rate", "执结率%"),
    ("actual_closure_rate", "实际执结率%"),
    ("recovery_rate", "执行到位率%"),
    ("on_time_closure_rate", "法定期限内结案率%"),
    ("mean_days_to_close", "结案平均用时（日）"),
    ("preservation", "保全结案"),
    ("settlements", "执行和解"),
    ("voluntary", "自动履行结案"),
    ("nodes_overdue", "节点超期"),
    ("instructions_overdue", "指令逾期"),
)


@login_required
@require_GET
def evaluation(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    home = _home_court(user)
    c = _court_or_404(user, request.GET.get("court") or (home.court_code if home else ""))
    period, _compare = _period(request)
    group = "team_id" if request.GET.get("by") == "team" else "judge_id"
    ids = [x.pk for x in selectors.subtree(c)]
    rows = selectors.evaluation(court_ids=ids, period=period, on=services.today(), group=group)
    fmt = wanted(request)
    if fmt:
        return table_response(
            fmt,
            filename=f"业绩考评-{c.short_name}-{period.start}-{period.end}",
            headers=[label for _k, label in EVALUATION_COLUMNS],
            rows=[[r.get(k) for k, _l in EVALUATION_COLUMNS] for r in rows],
        )
    from zhixing.rules.params import param_entry

    return render(
        request,
        "command/evaluation.html",
        {
            "court": c,
            "rows": rows,
            "period": period,
            "by": "team" if group == "team_id" else "judge",
            "weights": param_entry("evaluation_weights", on=services.today()),
            "query": _query(request),
        },
    )


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.court is None or user.role not in (Role.COMMAND_OPERATOR, Role.BUREAU_CHIEF, Role.ADMIN):
        raise Http404(_("无权报送统计数"))

    error = None
    if request.method == "POST":
        try:
            month = dt.date.fromisoformat(request.POST.get("month", "") + "-01")
            values = {
                k: int(request.POST.get(k) or 0)
                for k in ("titles_with_payment", "mediations", "petitions_received", "petitions_concluded")
            }
        except ValueError:
            error = _("月份应为 YYYY-MM，统计数应为整数")
        else:
            try:
                services.figures_report(actor=user, court_code=user.court.court_code, month=month, **values)
            except ServiceError as e:
                error = e.message
            else:
                messages.success(request, _("已报送"))
                return redirect("command:figures")
    rows = selectors.monthly_figures(user.court)
    return render(
        request,
        "command/figures.html",
        {"rows": rows, "error": error, "form": request.POST},
        status=400 if error else 200,
    )


@login_required
@require_GET
def monthly_report(request: HttpRequest, code: str, month: str) -> HttpResponse:
    """月度报告（PDF）：the court's KPIs for the month against the same month a year earlier, its units'
    ranking and the live alerts — rendered by WeasyPrint like every document."""
    from zhixing.documents.rendering import html_to_pdf

    user = _user(request)
    c = _court_or_404(user, code)
    try:
        first = dt.date.fromisoformat(month + "-01")
    except ValueError:
        raise Http404(_("月份应为 YYYY-MM")) from None
    last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    period = selectors.Period(first, last)
    data = selectors.court_screen(user, c, period, compare=period.year_before(), on=services.today())
    html = render_to_string(
        "command/monthly_report.html",
        {**data, "month": first, "generated_at": timezone.localtime(), "user": user, "rules": ALERT_RULES},
    )
    pdf = html_to_pdf(html)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = disposition(f"执行工作月报-{c.short_name}-{month}.pdf", inline=True)
    return response
