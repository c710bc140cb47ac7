"""强制措施界面：the case card (proposals with the judge's decision, 立即审查, the measures taken with
暂缓公布, fines and detentions) and the public search of the published lists (no login).

Thin views: parse, call one service (the only writers) or read through scoped selectors, render.
A refused act comes back as its Chinese message on the case page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhixing.cases.models import EnforcementCase
from zhixing.core.errors import NotFound, ServiceError
from zhixing.core.models import User
from zhixing.core.roles import TEAM_ROLES, Role
from zhixing.measures import lists, selectors, services
from zhixing.measures.forms import SANCTION_ACT_LABELS, PublicSearchForm, SanctionForm
from zhixing.measures.models import Correction, ListEntry, Measure, MeasureKind, Proposal
from zhixing.rules import measures as rules

K = MeasureKind
RELEASES = frozenset({K.RESTRICTION_LIFTING, K.LISTING_DELETION})
GRACE_MONTHS = ("1", "2", "3")  # 宽限期一至三个月（善意文明执行意见）
EXTRA_GROUNDS = {
    "early_deletion": gettext_lazy("提前删除：被执行人积极履行义务或者主动纠正失信行为"),
    "term_expired": gettext_lazy("纳入失信被执行人名单的期限届满"),
}
ABILITY = {
    True: gettext_lazy("失信：有履行能力而拒不履行"),
    False: gettext_lazy("失能：确无履行能力"),
    None: gettext_lazy("履行能力不明：应继续调查"),
}
# The published fields (失信规定第6条) in the order the public page shows them.
PUBLIC_FIELDS = [
    ("name", gettext_lazy("姓名/名称")),
    ("id_masked", gettext_lazy("证件号码")),
    ("sex", gettext_lazy("性别")),
    ("age", gettext_lazy("年龄")),
    ("legal_representative", gettext_lazy("法定代表人或者负责人")),
    ("court", gettext_lazy("执行法院")),
    ("case_number", gettext_lazy("执行案号")),
    ("filed_on", gettext_lazy("立案时间")),
    ("title", gettext_lazy("执行依据")),
    ("obligation", gettext_lazy("生效法律文书确定的义务")),
    ("performance", gettext_lazy("履行情况")),
    ("conduct", gettext_lazy("具体情形")),
    ("published_on", gettext_lazy("发布时间")),
]


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _case_or_404(request: HttpRequest, case_id: int) -> EnforcementCase:
    case = selectors.case_for(user=_user(request), case_id=case_id)
    if case is None:
        raise Http404(_("案件不存在或无权查看"))
    return case


def _back(case_id: int) -> HttpResponse:
    return redirect(reverse("cases:detail", kwargs={"case_id": case_id}) + "#coercive-measures")


def _done(request: HttpRequest, case_id: int, message: str) -> HttpResponse:
    messages.success(request, message)
    return _back(case_id)


def _refused(request: HttpRequest, case_id: int, error: ServiceError) -> HttpResponse:
    if isinstance(error, NotFound):
        raise Http404(error.message)
    messages.error(request, error.message)
    return _back(case_id)


def ground_label(kind: str, code: str) -> str:
    if not code:
        return ""
    if kind in (K.FINE, K.DETENTION) and code in SANCTION_ACT_LABELS:
        return str(SANCTION_ACT_LABELS[code])
    if code in EXTRA_GROUNDS:
        return str(EXTRA_GROUNDS[code])
    return rules.GROUNDS.get(code) or rules.DELETION_GROUNDS.get(code) or code


def citation_texts(citations: list[dict[str, Any]]) -> list[str]:
    """《法律》条文, once each; the version year only where one law is cited in two versions, and
    「待核」 where the citation is not verified (marker U)."""
    years: dict[str, set[Any]] = {}
    for c in citations or []:
        years.setdefault(c.get("law", ""), set()).add(c.get("year"))
    out: list[str] = []
    for c in citations or []:
        law = c.get("law", "")
        year = c.get("year")
        text = f"《{law}》" + (f"（{year}年）" if year and len(years[law]) > 1 else "") + c.get("article", "")
        if c.get("marker") == "U":
            text += _("（待核）")
        if text not in out:
            out.append(text)
    return out


# --- the case card -----------------------------------------------------------------------------------
@dataclass
class ProposalRow:
    proposal: Proposal
    ground: str
    citations: list[str]
    ability: str = ""
    ability_able: bool | None = None
    ability_items: list[str] = field(default_factory=list)
    decidable: bool = False
    may_decline: bool = True
    rejected: str = ""  # the president's reason when the approval was refused


@dataclass
class MeasureRow:
    measure: Measure
    ground: str
    document_id: int | None
    term: str
    withholdable: bool
    correctable: bool = False  # a listing in force: the debtor may apply for correction
    corrections: list[Correction] = field(default_factory=list)


def _term(m: Measure) -> str:
    if m.kind == K.FINE:
        return _("罚款 ¥%(a)s") % {"a": m.amount}
    if m.kind == K.DETENTION:
        return _("拘留 %(n)d 日") % {"n": m.days or 0}
    if m.kind == K.DISHONEST_LISTING:
        if m.ends_on is None:
            return _("%(s)s 起，无固定期限") % {"s": m.starts_on.isoformat()}
        return _("%(s)s 至 %(e)s（%(n)d 年）") % {
            "s": m.starts_on.isoformat(),
            "e": m.ends_on.isoformat(),
            "n": m.term_years or 0,
        }
    if m.kind == K.CONSUMPTION_RESTRICTION:
        return _("%(s)s 起，至解除时止") % {"s": m.starts_on.isoformat()}
    return m.starts_on.isoformat()


def _panel_context(request: HttpRequest, case: EnforcementCase) -> dict[str, Any]:
    user = _user(request)
    is_team = user.role in TEAM_ROLES and user.team_id == case.team_id
    is_judge = is_team and user.role == Role.JUDGE
    proposals = []
    for p in selectors.case_proposals(case):
        row = ProposalRow(
            proposal=p,
            ground=ground_label(p.kind, p.ground),
            citations=citation_texts(p.citations),
            decidable=is_judge and p.status == Proposal.Status.OPEN,
            may_decline=not (p.due and p.kind in RELEASES),
        )
        if p.kind == K.DISHONEST_LISTING and p.evidence:
            able = p.evidence.get("able")
            row.ability_able = able
            row.ability = str(ABILITY.get(able, ABILITY[None]))
            row.ability_items = [str(i) for i in p.evidence.get("items", [])]
        if p.approval is not None and p.approval.status == "rejected":
            row.rejected = p.approval.decision_reason or _("院长不予批准")
        proposals.append(row)
    measures = list(selectors.case_measures(case))
    documents = selectors.documents_by_number(case, [m.document_number for m in measures])
    corrections: dict[int, list[Correction]] = {}
    if any(m.kind == K.DISHONEST_LISTING for m in measures):
        for c in selectors.case_corrections(case):
            corrections.setdefault(c.measure_id, []).append(c)
    rows = [
        MeasureRow(
            measure=m,
            ground=ground_label(m.kind, m.ground),
            document_id=documents.get(m.document_number),
            term=_term(m),
            withholdable=is_judge
            and m.kind in (K.DISHONEST_LISTING, K.CONSUMPTION_RESTRICTION)
            and m.status == Measure.Status.ACTIVE,
            correctable=is_team
            and m.kind == K.DISHONEST_LISTING
            and m.status in (Measure.Status.ACTIVE, Measure.Status.WITHHELD)
            and not any(c.status == Correction.Status.PENDING for c in corrections.get(m.pk, [])),
            corrections=corrections.get(m.pk, []),
        )
        for m in measures
    ]
    can_sanction = is_judge and case.stage in services.OPEN_STAGES
    parties = (
        [  # the debtors first: fines and detentions usually concern them
            (cp.party_id, f"{cp.get_role_display()}：{cp.party.name}")
            for cp in sorted(selectors.case_parties(case), key=lambda cp: cp.role != "debtor")
        ]
        if can_sanction
        else []
    )
    return {
        "case": case,
        "proposals": proposals,
        "open_count": sum(1 for r in proposals if r.proposal.status == Proposal.Status.OPEN),
        "measures": rows,
        "is_team": is_team,
        "is_judge": is_judge,
        "can_sanction": can_sanction,
        "sanction_acts": list(SANCTION_ACT_LABELS.items()),
        "grace_months": GRACE_MONTHS,
        "correction_grounds": Correction.Ground.choices,
        "parties": parties,
    }


@login_required
@require_GET
def panel(request: HttpRequest, case_id: int) -> HttpResponse:
    """The case page's 强制措施 card (an htmx partial)."""
    case = _case_or_404(request, case_id)
    return render(request, "measures/panel.html", _panel_context(request, case))


@login_required
@require_POST
def review(request: HttpRequest, case_id: int) -> HttpResponse:
    """立即审查 (the case's team): the rules propose what is due now, without waiting for the sweep."""
    case = _case_or_404(request, case_id)
    user = _user(request)
    if user.role not in TEAM_ROLES or user.team_id != case.team_id:
        messages.error(request, _("立即审查须由本案承办团队办理"))
        return _back(case.pk)
    try:
        made = services.case_review(actor=user, case_id=case.pk)
    except ServiceError as e:
        messages.error(request, e.message)
        return _back(case.pk)
    if not made:
        return _done(request, case.pk, _("审查完毕：没有新的措施建议"))
    kinds = "、".join(str(p.get_kind_display()) for p in made)
    return _done(request, case.pk, _("审查完毕：新提出 %(n)d 项建议（%(k)s）") % {"n": len(made), "k": kinds})


@login_required
@require_POST
def decide(request: HttpRequest, case_id: int, proposal_id: int) -> HttpResponse:
    """采取 / 不采取 (the case's judge); declining needs reasons, taking some needs the president."""
    case = _case_or_404(request, case_id)
    if not selectors.case_proposals(case).filter(pk=proposal_id).exists():
        raise Http404(_("本案没有这项措施建议"))
    take = request.POST.get("take")
    if take not in ("1", "0"):
        messages.error(request, _("请选择采取或者不采取"))
        return _back(case.pk)
    try:
        p = services.proposal_decide(
            actor=_user(request),
            proposal_id=proposal_id,
            take=take == "1",
            note=request.POST.get("note", ""),
        )
    except ServiceError as e:
        return _refused(request, case.pk, e)
    kind = p.get_kind_display()
    if p.status == Proposal.Status.APPROVAL:
        return _done(request, case.pk, _("已决定采取%(k)s，已报院长批准") % {"k": kind})
    if p.status == Proposal.Status.DECLINED:
        return _done(request, case.pk, _("已决定不采取%(k)s，理由已记入办案日志") % {"k": kind})
    return _done(request, case.pk, _("已决定%(k)s，文书已签发") % {"k": kind})


@login_required
@require_POST
def sanction(request: HttpRequest, case_id: int) -> HttpResponse:
    """罚款、拘留 (the case's judge, the president approves)."""
    case = _case_or_404(request, case_id)
    parties = [(cp.party_id, cp.party.name) for cp in selectors.case_parties(case)]
    form = SanctionForm(request.POST, parties=parties)
    if not form.is_valid():
        first = str(next(iter(form.errors.values()))[0])
        messages.error(request, first)
        return _back(case.pk)
    data = form.cleaned_data
    try:
        p = services.sanction_propose(
            actor=_user(request),
            case_id=case.pk,
            party_id=data["party"],
            kind=data["kind"],
            act=data["act"],
            amount=(data.get("amount") or "").strip() or None,
            days=data.get("days"),
            note=data.get("note", ""),
        )
    except ServiceError as e:
        return _refused(request, case.pk, e)
    return _done(request, case.pk, _("已提出%(k)s，已报院长批准") % {"k": p.get_kind_display()})


@login_required
@require_POST
def withhold(request: HttpRequest, case_id: int, measure_id: int) -> HttpResponse:
    """暂缓公布 (the case's judge): a grace period of one to three months, with reasons."""
    case = _case_or_404(request, case_id)
    if not selectors.case_measures(case).filter(pk=measure_id).exists():
        raise Http404(_("本案没有这项措施"))
    months = request.POST.get("months", "")
    if months not in GRACE_MONTHS:
        messages.error(request, _("请选择宽限期（一至三个月）"))
        return _back(case.pk)
    try:
        m = services.listing_withhold(
            actor=_user(request),
            measure_id=measure_id,
            months=int(months),
            reason=request.POST.get("reason", ""),
        )
    except ServiceError as e:
        return _refused(request, case.pk, e)
    until = m.withheld_until.isoformat() if m.withheld_until else ""
    return _done(request, case.pk, _("已暂缓公布至 %(d)s，名单信息已撤下，期满后自动重新公布") % {"d": until})


@login_required
@require_POST
def correction_apply(request: HttpRequest, case_id: int, measure_id: int) -> HttpResponse:
    """登记纠正申请 (the case's team, on the listed debtor's written application): reviewed in 15 days."""
    case = _case_or_404(request, case_id)
    if not selectors.case_measures(case).filter(pk=measure_id).exists():
        raise Http404(_("本案没有这项措施"))
    try:
        c = services.correction_apply(
            actor=_user(request),
            measure_id=measure_id,
            ground=request.POST.get("ground", ""),
            statement=request.POST.get("statement", ""),
        )
    except ServiceError as e:
        return _refused(request, case.pk, e)
    return _done(
        request, case.pk, _("已登记纠正申请，应于 %(d)s 前审查完毕") % {"d": c.review_by.isoformat()}
    )


@login_required
@require_POST
def correction_decide(request: HttpRequest, case_id: int, correction_id: int) -> HttpResponse:
    """审查纠正申请 (the case's judge): 理由成立 → corrected; 驳回 → the date to ask the upper court."""
    case = _case_or_404(request, case_id)
    if not selectors.case_corrections(case).filter(pk=correction_id).exists():
        raise Http404(_("本案没有这项纠正申请"))
    justified = request.POST.get("justified")
    if justified not in ("1", "0"):
        messages.error(request, _("请选择理由成立或者驳回"))
        return _back(case.pk)
    try:
        c = services.correction_decide(
            actor=_user(request),
            correction_id=correction_id,
            justified=justified == "1",
            note=request.POST.get("note", ""),
        )
    except ServiceError as e:
        return _refused(request, case.pk, e)
    if c.status == Correction.Status.CORRECTED:
        return _done(request, case.pk, _("纠正申请理由成立，失信信息已纠正"))
    apply_by = c.reconsideration_apply_by.isoformat() if c.reconsideration_apply_by else ""
    return _done(
        request,
        case.pk,
        _("已驳回纠正申请；申请人可于 %(d)s 前向上一级人民法院申请复议") % {"d": apply_by},
    )


# --- the public lists ----------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def public_lists(request: HttpRequest) -> HttpResponse:
    """公开查询失信被执行人、限制消费人员（无需登录）：only the published fields, the ID masked.

    The search is a POST: an identity number typed in never lands in a URL (access logs, history,
    the language switcher's ``next``), and it is not echoed back into the page."""
    form = PublicSearchForm(request.POST if request.method == "POST" else None)
    results: list[dict[str, Any]] | None = None
    error = ""
    query = ""
    kind = ""
    if form.is_bound and not form.is_valid():
        error = _("请输入姓名（名称）或完整的证件号")
    elif form.is_bound:
        query, kind = form.cleaned_data["q"].strip(), form.cleaned_data["list"] or ""
        try:
            entries = lists.public_search(query=query, kind=kind)
        except ServiceError as e:
            error = e.message
        else:
            results = [
                {
                    "kind": e.kind,
                    "list": ListEntry.Kind(e.kind).label,
                    "fields": [
                        (label, e.public[k])
                        for k, label in PUBLIC_FIELDS
                        if e.public.get(k) not in (None, "")
                    ],
                }
                for e in entries
            ]
    echo = query if query and not any(ch.isdigit() for ch in query) else ""
    return render(
        request,
        "measures/public_lists.html",
        {"q": echo, "list": kind, "kinds": ListEntry.Kind.choices, "results": results, "error": error},
    )
