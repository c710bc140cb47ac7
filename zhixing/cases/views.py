"""案件界面：the workbench, the case page, the filing queue — thin views over services and selectors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhixing.cases import forms as f
from zhixing.cases import selectors, services, transfers
from zhixing.cases.acts import acts_for
from zhixing.cases.models import EnforcementCase, Settlement
from zhixing.core.errors import ServiceError
from zhixing.core.models import User
from zhixing.documents.selectors import archive_for
from zhixing.funds import distribution
from zhixing.funds.selectors import case_account_of, case_delay_interest, case_position, distribution_plans
from zhixing.rules import closing as closing_rules
from zhixing.rules import stages
from zhixing.rules import suspension as suspension_rules


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
def workbench(request: HttpRequest) -> HttpResponse:
    """工作台·案件：due and overdue nodes first; filters; 50 a page."""
    user = _user(request)
    form = f.FilterForm(request.GET or None)
    filters = selectors.CaseFilters()
    if form.is_valid():
        d = form.cleaned_data
        filters = selectors.CaseFilters(
            stage=d["stage"] or "",
            track=d["track"] or "",
            min_age_days=d["min_age_days"],
            min_amount=d["min_amount"],
            max_amount=d["max_amount"],
            q=d["q"] or "",
        )
    page = Paginator(selectors.case_list(user=user, filters=filters), 50).get_page(request.GET.get("page"))
    ctx: dict[str, Any] = {"page": page, "form": form, "query": request.GET.copy()}
    ctx["query"].pop("page", None)
    if user.role in ("bureau_chief", "president") or user.is_superuser:
        ctx["unassigned"] = selectors.case_list(user=user, filters=selectors.CaseFilters(unassigned=True))[
            :20
        ]
        ctx["approvals"] = selectors.case_approvals(user=user)[:20]
        ctx["workload"] = selectors.workload(user=user)
    return render(request, "cases/workbench.html", ctx)


def _case_or_404(request: HttpRequest, case_id: int) -> EnforcementCase:
    case = selectors.case_get(user=_user(request), case_id=case_id)
    if case is None:
        raise Http404(_("案件不存在或无权查看"))
    return case


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _user(request)
    case = _case_or_404(request, case_id)
    settlements = list(case.settlements.all())
    ctx = {
        "case": case,
        "timeline": selectors.case_timeline(case=case)[:200],
        "upper_court_acts": transfers.powers_taken(case),
        "documents": archive_for(stream=case.stream, user=user),
        "account": case_account_of(case),
        "position": case_position(case),
        "delay_interest": case_delay_interest(case, on=timezone.localdate()),
        "plans": distribution_plans(case=case),
        "acts": acts_for(user.role, case.stage, case.kind) if user.team_id == case.team_id else [],
        "settlements": [(s, services.settlement_state(s).value) for s in settlements],
        "close_form": f.CloseForm(),
        "targets": [stages.STAGE_LABELS[t] for t in stages.allowed_targets(case.stage)],
        "suspension_grounds": suspension_rules.SUSPENSION_GROUNDS,
        "termination_grounds": closing_rules.TERMINATION_GROUNDS,
        "teams": selectors.court_teams(case=case),
        "is_team": user.team_id == case.team_id,
        "is_judge": user.team_id == case.team_id and user.role == "judge",
        "is_chief": user.role == "bureau_chief" and user.court_id == case.court_id,
        "is_filing": user.role in services.FILING_ROLES and user.court_id == case.court_id,
        "checklist": request.session.pop(f"checklist:{case.pk}", None),
    }
    return render(request, "cases/case_detail.html", ctx)


def _instalments(text: str) -> list[tuple[dt.date, Decimal]]:
    plan = []
    for i, line in enumerate(filter(None, (ln.strip() for ln in text.splitlines())), start=1):
        parts = line.replace("，", " ").replace(",", " ").split()
        if len(parts) != 2:
            raise ServiceError(f"第 {i} 行应为「日期 金额」", code="bad_instalment", field="instalments")
        try:
            plan.append((dt.date.fromisoformat(parts[0]), Decimal(parts[1])))
        except (ValueError, ArithmeticError):
            raise ServiceError(
                f"第 {i} 行无法识别：{line}", code="bad_instalment", field="instalments"
            ) from None
    return plan


def _extra_claims(text: str) -> list[dict[str, str]]:
    claims = []
    for i, line in enumerate(filter(None, (ln.strip() for ln in text.splitlines())), start=1):
        parts = [p.strip() for p in line.replace("，", ",").split(",")]
        if len(parts) != 4:
            raise ServiceError(
                f"参与分配第 {i} 行应为「债权人,性质,金额,账号」", code="bad_claim", field="extra_claims"
            )
        claims.append({"creditor": parts[0], "kind": parts[1], "amount": parts[2], "account": parts[3]})
    return claims


def _settlement_id(case: EnforcementCase) -> int:
    s = case.settlements.exclude(status=Settlement.Status.RESTORED).order_by("-id").first()
    if s is None:
        raise ServiceError("该案件没有和解协议", code="no_settlement")
    return s.pk


Action = tuple[type[forms.Form], Callable[[User, EnforcementCase, dict[str, Any]], Any]]
ACTIONS: dict[str, Action] = {
    "act": (
        f.ActForm,
        lambda u, c, d: services.case_act(actor=u, case_id=c.pk, kind=d["kind"], note=d["note"]),
    ),
    "close": (
        f.CloseForm,
        lambda u, c, d: services.case_close(
            actor=u,
            case_id=c.pk,
            mode=d["mode"],
            ground=d["ground"] or None,
            note=d["note"],
            applicant_consents=d["applicant_consents"],
        ),
    ),
    "restore": (
        f.ReasonForm,
        lambda u, c, d: services.case_restore(actor=u, case_id=c.pk, reason=d["reason"]),
    ),
    "suspend": (
        f.SuspendForm,
        lambda u, c, d: services.case_suspend(actor=u, case_id=c.pk, ground=d["ground"], note=d["note"]),
    ),
    "resume": (f.ReasonForm, lambda u, c, d: services.case_resume(actor=u, case_id=c.pk, note=d["reason"])),
    "settle": (
        f.SettlementForm,
        lambda u, c, d: services.settlement_record(
            actor=u,
            case_id=c.pk,
            agreed_on=d["agreed_on"],
            terms=d["terms"],
            instalments=_instalments(d["instalments"]),
        ),
    ),
    "pay": (
        f.PaymentForm,
        lambda u, c, d: services.settlement_payment_record(
            actor=u, settlement_id=_settlement_id(c), paid_on=d["paid_on"], amount=d["amount"]
        ),
    ),
    "settlement_restore": (
        f.ReasonForm,
        lambda u, c, d: services.settlement_restore(
            actor=u, settlement_id=_settlement_id(c), note=d["reason"]
        ),
    ),
    "lead": (
        f.LeadForm,
        lambda u, c, d: services.asset_lead_receive(
            actor=u, case_id=c.pk, description=d["description"], urgent=d["urgent"]
        ),
    ),
    "lead_verify": (
        f.LeadVerifyForm,
        lambda u, c, d: services.asset_lead_verify(actor=u, case_id=c.pk, ref=d["ref"], result=d["result"]),
    ),
    "objection": (
        f.ObjectionForm,
        lambda u, c, d: services.objection_file(
            actor=u, case_id=c.pk, kind=d["kind"], objector_party_id=d["objector"], grounds=d["grounds"]
        ),
    ),
    "decide_objection": (
        f.ReasonForm,
        lambda u, c, d: services.objection_decide(actor=u, case_id=c.pk, upheld=False, reasons=d["reason"]),
    ),
    "uphold_objection": (
        f.ReasonForm,
        lambda u, c, d: services.objection_decide(actor=u, case_id=c.pk, upheld=True, reasons=d["reason"]),
    ),
    "distribute": (
        f.DistributionForm,
        lambda u, c, d: distribution.distribution_propose(
            actor=u,
            case_id=c.pk,
            applicant_account=d["applicant_account"],
            extra_claims=_extra_claims(d["extra_claims"]),
        ),
    ),
    "distribution_execute": (
        f.PlanForm,
        lambda u, c, d: distribution.distribution_execute(actor=u, plan_id=d["plan_id"]),
    ),
    "reassign": (
        f.ReassignForm,
        lambda u, c, d: services.case_reassign(actor=u, case_id=c.pk, team_id=d["team"], reason=d["reason"]),
    ),
    "track": (
        f.TrackForm,
        lambda u, c, d: services.case_track_override(
            actor=u, case_id=c.pk, track=d["track"], reason=d["reason"]
        ),
    ),
    "delegate": (
        f.DelegateForm,
        lambda u, c, d: services.case_delegate(
            actor=u, case_id=c.pk, to_court_code=d["to_court"], reason=d["reason"]
        ),
    ),
}


@login_required
@require_POST
def case_action(request: HttpRequest, case_id: int, action: str) -> HttpResponse:
    """One endpoint for the case page's forms: parse, call the service, report in Chinese."""
    case = _case_or_404(request, case_id)
    if action not in ACTIONS:
        raise Http404()
    form_class, call = ACTIONS[action]
    form = form_class(request.POST)
    if not form.is_valid():
        errors = "；".join(
            f"{form.fields[k].label or k}：{' '.join(str(m) for m in v)}"
            for k, v in form.errors.items()
            if k in form.fields
        )
        messages.error(request, errors or _("请检查填写的内容"))
        return redirect("cases:detail", case_id=case.pk)
    try:
        result = call(_user(request), case, form.cleaned_data)
    except ServiceError as e:
        messages.error(request, e.message)
        if e.code == "closing_conditions_unmet":
            request.session[f"checklist:{case.pk}"] = e.message
        return redirect("cases:detail", case_id=case.pk)
    messages.success(request, _("已办理"))
    if isinstance(result, EnforcementCase) and result.pk != case.pk:
        return redirect("cases:detail", case_id=result.pk)
    return redirect("cases:detail", case_id=case.pk)


@login_required
@require_http_methods(["GET", "POST"])
def application_queue(request: HttpRequest) -> HttpResponse:
    """立案队列与窗口登记。"""
    user = _user(request)
    form = f.CounterApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            court = user.court
            if court is None:
                raise ServiceError(_("只有法院工作人员可以窗口登记"), code="forbidden")
            app = services.application_submit(
                actor=user,
                court=court,
                title={
                    "kind": d["title_kind"],
                    "issuing_body": d["issuing_body"],
                    "issuing_court_code": d["issuing_court_code"],
                    "document_number": d["document_number"],
                    "effective_on": d["effective_on"],
                    "performance_deadline": d["performance_deadline"],
                    "principal": d["principal"],
                    "costs": d["costs"] or 0,
                    "interest_terms": d["interest_terms"],
                },
                parties=[
                    {
                        "role": "applicant",
                        "kind": d["applicant_kind"],
                        "name": d["applicant_name"],
                        "id_number": d["applicant_id"],
                    },
                    {
                        "role": "debtor",
                        "kind": d["debtor_kind"],
                        "name": d["debtor_name"],
                        "id_number": d["debtor_id"],
                        "address": d["debtor_address"],
                    },
                ],
                jurisdiction_basis=d["jurisdiction_basis"],
                materials=d["materials"],
            )
        except ServiceError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("已登记，进入立案审查"))
            return redirect("cases:application", application_id=app.pk)
    return render(
        request,
        "cases/applications.html",
        {"pending": selectors.application_queue(user=user)[:200], "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    user = _user(request)
    app = selectors.application_get(user=user, application_id=application_id)
    if app is None:
        raise Http404(_("申请不存在或无权查看"))
    if request.method == "POST":
        try:
            if request.POST.get("decision") == "accept":
                case = services.application_accept(actor=user, application_id=app.pk)
                messages.success(request, _("已立案：%(n)s") % {"n": case.case_number})
                return redirect("cases:detail", case_id=case.pk)
            reasons = request.POST.get("reasons", "")
            services.application_reject(actor=user, application_id=app.pk, reasons=reasons)
            messages.success(request, _("已决定不予受理"))
            return redirect("cases:applications")
        except ServiceError as e:
            messages.error(request, e.message)
            return redirect("cases:application", application_id=app.pk)
    review = services.application_review(application=app) if app.status == "pending" else None
    rows = selectors.application_parties(application=app)
    return render(
        request,
        "cases/application_detail.html",
        {"app": app, "review": review.value if review else None, "rows": rows, "reject_form": f.RejectForm()},
    )
