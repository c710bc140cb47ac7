"""执行案件的写操作 — filing, numbering, triage, assignment, nodes, suspension, settlement,
closing, restoring.

Every act: check permission and stage, call the rules, write in one transaction, journal the act on
``case:<id>`` with the citations the rules returned.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from zhixing.cases.acts import ACTS, EQUIVALENT_KINDS
from zhixing.cases.models import (
    CaseApplication,
    CaseNumberCounter,
    CaseParty,
    EnforcementCase,
    EnforcementTitle,
    Node,
    Settlement,
    SettlementPayment,
    Suspension,
)
from zhixing.core import services as core_services
from zhixing.core.errors import Conflict, NotFound, PermissionDenied, ServiceError
from zhixing.core.journal import journal_append
from zhixing.core.models import Court, JournalEvent, Party, Team, User
from zhixing.core.money import MoneyError, yuan
from zhixing.core.roles import EXTERNAL_ROLES, Role
from zhixing.core.scoping import scope_for
from zhixing.rules import case_numbers, stages
from zhixing.rules import closing as closing_rules
from zhixing.rules import filing as filing_rules
from zhixing.rules import nodes as node_rules
from zhixing.rules import objections as objection_rules
from zhixing.rules import settlement as settlement_rules
from zhixing.rules import suspension as suspension_rules
from zhixing.rules import triage as triage_rules
from zhixing.rules import upper_court as upper_court_rules
from zhixing.rules.provisional import is_provisional, provisional_calendar
from zhixing.rules.results import RuleResult, to_jsonable
from zhixing.rules.results import citations_json as _citations
from zhixing.rules.triage import triage as triage_rule

# Deadlines may reach into a year whose holiday arrangement is not yet published: computed
# provisionally (weekends and fixed-date holidays), flagged, and recomputed when it is.
CAL = provisional_calendar

DELEGATION_MATERIALS = ("application", "title", "identity", "effectiveness_certificate")
OBJECTION_NODE_TITLES = {"filing": "立案审查", "decision": "审查决定", "forward_file": "移送案卷"}
FILING_ROLES = frozenset({Role.CLERK, Role.BUREAU_CHIEF})
ASSIGNING_ROLES = frozenset({Role.BUREAU_CHIEF})
TEAM_ROLES = frozenset({Role.JUDGE, Role.ASSISTANT, Role.CLERK, Role.OFFICER})


def today() -> dt.date:
    return timezone.localdate()


def _rule_payload(result: RuleResult) -> dict[str, Any]:
    """What a legal decision relied on, for the journal: citations, parameters, provisional dates."""
    return {
        "citations": [c.as_dict() for c in result.citations],
        "parameters_used": to_jsonable(result.parameters_used),
        "provisional": is_provisional(result),
    }


def _journal(
    case: EnforcementCase, kind: str, actor: User | None, payload: dict[str, Any] | None = None
) -> None:
    """Journal an act on the case; every act also refreshes the case's activity time and alert summary."""
    journal_append(stream=case.stream, kind=kind, actor=actor, court=case.court, payload=payload or {})
    refresh_case_alerts(case.pk, touch=True)


ALERT_RANK = {"none": 0, "due_soon": 1, "overdue": 2}


def refresh_case_alerts(case_id: int, *, touch: bool = False) -> None:
    """Keep the case's alert rank and next due date in step with its open nodes."""
    open_nodes = list(
        Node.objects.filter(case_id=case_id, status=Node.Status.OPEN).values_list("alert", "due_on")
    )
    rank = max((ALERT_RANK.get(a, 0) for a, _ in open_nodes), default=0)
    next_due = min((d for _, d in open_nodes), default=None)
    fields: dict[str, Any] = {"alert_rank": rank, "next_due_on": next_due}
    if touch:
        fields["last_activity_at"] = timezone.now()
    EnforcementCase.objects.filter(pk=case_id).update(**fields)


def _move(case: EnforcementCase, target: str, actor: User | None, **payload: Any) -> None:
    try:
        stages.check_transition(case.stage, target)
    except stages.StageError as e:
        raise ServiceError(str(e), code="illegal_stage_move") from e
    before = case.stage
    case.stage = target
    case.save(update_fields=["stage"])
    _journal(case, "case.stage_changed", actor, {"from": before, "to": target, **payload})


# --- permissions --------------------------------------------------------------------------------
def _require_court(actor: User, court: Court, roles: Iterable[str], what: str) -> None:
    if not scope_for(actor).allows_court(court.pk):
        raise NotFound()
    if actor.court_id != court.pk or actor.role not in roles:
        raise PermissionDenied(f"{what}须由本院{'、'.join(str(Role(r).label) for r in roles)}办理")


def _require_team(actor: User, case: EnforcementCase, roles: Iterable[str] = TEAM_ROLES) -> None:
    """A team act: the case's own team (or the court's bureau chief for oversight acts)."""
    scope = scope_for(actor)
    if not scope.allows_court(case.court_id) or (scope.team_id is not None and scope.team_id != case.team_id):
        raise NotFound()
    if actor.role not in roles:
        raise PermissionDenied(f"此操作须由{'、'.join(str(Role(r).label) for r in roles)}办理")
    if actor.role in TEAM_ROLES and actor.team_id != case.team_id:
        raise PermissionDenied("只能办理本团队承办的案件")


def _locked(case_id: int) -> EnforcementCase:
    try:
        return EnforcementCase.objects.select_for_update(of=("self",)).select_related("court").get(pk=case_id)
    except EnforcementCase.DoesNotExist:
        raise NotFound() from None


# --- numbering ------------------------------------------------------------------------------------
def case_number_allocate(*, court: Court, year: int, type_code: str) -> tuple[int, str]:
    """分配案号：per court, year and type, no gap and no duplicate (the counter row is locked)."""
    counter = (
        CaseNumberCounter.objects.select_for_update()
        .filter(court=court, year=year, type_code=type_code)
        .first()
    )
    if counter is None:
        try:
            with transaction.atomic():
                CaseNumberCounter.objects.create(court=court, year=year, type_code=type_code)
        except IntegrityError:
            pass  # created by a concurrent filing; lock theirs
        counter = CaseNumberCounter.objects.select_for_update().get(
            court=court, year=year, type_code=type_code
        )
    counter.last += 1
    counter.save(update_fields=["last"])
    number = case_numbers.CaseNumber(
        year=year, court_code=court.court_code, type_code=type_code, sequence=counter.last
    ).format()
    return counter.last, number


# --- applications ---------------------------------------------------------------------------------
def _date(value: Any, field: str, *, required: bool = True) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise ServiceError(f"缺少{field}", code="missing_field", field=field)
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ServiceError(
            f"日期格式错误：{value}（应为 YYYY-MM-DD）", code="bad_date", field=field
        ) from None


def _required_date(value: Any, field: str) -> dt.date:
    d = _date(value, field)
    assert d is not None
    return d


def _money(value: Any, field: str) -> Decimal:
    try:
        amount = yuan(value if value not in (None, "") else "0")
    except MoneyError as e:
        raise ServiceError(str(e), code="bad_money", field=field) from e
    if amount < 0:
        raise ServiceError("金额不能为负数", code="bad_money", field=field)
    return amount


def _fingerprint(issuing_body: str, document_number: str) -> str:
    norm = "".join((issuing_body + "|" + document_number).split())
    return norm.replace("(", "（").replace(")", "）")


def _title_create(data: dict[str, Any]) -> EnforcementTitle:
    kind = data.get("kind", "")
    if kind not in filing_rules.TITLE_KINDS:
        raise ServiceError(f"未知的执行依据类型「{kind}」", code="bad_title_kind", field="title.kind")
    body = str(data.get("issuing_body", "")).strip()
    number = str(data.get("document_number", "")).strip()
    if not body or not number:
        raise ServiceError(
            "执行依据须写明作出机关和文书编号", code="missing_field", field="title.document_number"
        )
    issuing_court = None
    if data.get("issuing_court_code"):
        issuing_court = Court.objects.filter(court_code=data["issuing_court_code"]).first()
    return EnforcementTitle.objects.create(
        kind=kind,
        issuing_body=body,
        issuing_court=issuing_court,
        document_number=number,
        effective_on=_required_date(data.get("effective_on"), "title.effective_on"),
        performance_deadline=_date(
            data.get("performance_deadline"), "title.performance_deadline", required=False
        ),
        last_instalment_due=_date(
            data.get("last_instalment_due"), "title.last_instalment_due", required=False
        ),
        principal=_money(data.get("principal"), "title.principal"),
        interest_terms=str(data.get("interest_terms", "")),
        costs=_money(data.get("costs"), "title.costs"),
        non_money_obligations=str(data.get("non_money_obligations", "")),
        fingerprint=_fingerprint(body, number),
    )


@transaction.atomic
def application_submit(
    *,
    actor: User,
    court: Court,
    title: dict[str, Any],
    parties: Sequence[dict[str, Any]],
    jurisdiction_basis: str,
    materials: Sequence[str] = (),
    claim_amount: Any = None,
    received_on: dt.date | None = None,
) -> CaseApplication:
    """提交执行申请：online by a party or lawyer, or at the counter by a clerk; it waits in the queue."""
    if actor.role in EXTERNAL_ROLES:
        channel = CaseApplication.Channel.ONLINE
    else:
        _require_court(actor, court, FILING_ROLES, "窗口登记执行申请")
        channel = CaseApplication.Channel.COUNTER
    if court.level == Court.Level.HIGH:
        raise ServiceError("执行案件由中级或基层人民法院受理", code="bad_court", field="court")
    if jurisdiction_basis == filing_rules.UPPER_COURT_ORDER:
        raise ServiceError(
            "上级法院提级执行、指定执行的案件由上级法院裁定移交，不能自行申请",
            code="bad_jurisdiction_basis",
            field="jurisdiction_basis",
        )
    received_on = received_on or today()
    title_row = _title_create(title)
    roles = {p.get("role") for p in parties}
    if "applicant" not in roles or "debtor" not in roles:
        raise ServiceError("至少须有一名申请执行人和一名被执行人", code="parties_required", field="parties")
    party_rows: list[dict[str, Any]] = []
    for i, p in enumerate(parties):
        if p.get("role") not in ("applicant", "debtor"):
            raise ServiceError(
                f"第 {i + 1} 位当事人的诉讼地位无效", code="bad_party_role", field=f"parties[{i}].role"
            )
        try:
            party, _ = core_services.party_register(
                actor=actor,
                kind=p.get("kind", ""),
                name=p.get("name", ""),
                id_number=p.get("id_number", ""),
                legal_representative=p.get("legal_representative", ""),
                phone=p.get("phone", ""),
                address=p.get("address", ""),
                court=court,
            )
        except ServiceError as e:
            raise ServiceError(
                f"第 {i + 1} 位当事人：{e.message}", code=e.code, field=f"parties[{i}].{e.field}"
            ) from e
        party_rows.append(
            {
                "party_id": party.pk,
                "role": p["role"],
                "agent_name": p.get("agent_name", ""),
                "agent_phone": p.get("agent_phone", ""),
                "address": p.get("address", ""),
            }
        )
    amount = (
        _money(claim_amount, "claim_amount") if claim_amount not in (None, "") else title_row.claim_amount
    )
    due = node_rules.node_deadline("filing_decision", anchor_date=received_on, holidays=CAL())
    app = CaseApplication.objects.create(
        court=court,
        channel=channel,
        submitted_by=actor,
        received_on=received_on,
        acceptance_due_on=due.value,
        title=title_row,
        jurisdiction_basis=jurisdiction_basis,
        materials=sorted(set(materials)),
        parties=party_rows,
        claim_amount=amount,
    )
    journal_append(
        stream=f"application:{app.pk}",
        kind="application.submitted",
        actor=actor,
        court=court,
        payload={
            "channel": channel,
            "title": str(title_row),
            "acceptance_due_on": due.value,
            **_rule_payload(due),
        },
    )
    return app


def _filing_facts(app: CaseApplication) -> filing_rules.FilingFacts:
    t = app.title
    return filing_rules.FilingFacts(
        title=filing_rules.TitleFacts(
            kind=t.kind,
            effective_on=t.effective_on,
            performance_deadline=t.performance_deadline,
            last_instalment_due=t.last_instalment_due,
            issuing_court_code=t.issuing_court.court_code if t.issuing_court else None,
        ),
        court_code=app.court.court_code,
        jurisdiction_basis=app.jurisdiction_basis,
        materials=frozenset(app.materials),
        received_on=app.received_on,
    )


def application_review(*, application: CaseApplication, on: dt.date | None = None) -> RuleResult:
    """立案审查：the rules' decision (refusals and warnings with citations) for the clerk to see."""
    return filing_rules.filing_check(_filing_facts(application), on=on or today(), holidays=CAL())


def _pending_application(actor: User, application_id: int) -> CaseApplication:
    app = (
        CaseApplication.objects.select_for_update()
        .select_related("court", "title")
        .filter(pk=application_id)
        .first()
    )
    if app is None:
        raise NotFound()
    _require_court(actor, app.court, FILING_ROLES, "立案审查")
    if app.status != CaseApplication.Status.PENDING:
        raise Conflict(f"该申请已处理（{app.get_status_display()}）", code="already_decided")
    return app


@transaction.atomic
def application_reject(*, actor: User, application_id: int, reasons: str) -> CaseApplication:
    """不予受理：with reasons (and the citations the filing rules found)."""
    app = _pending_application(actor, application_id)
    if not reasons.strip():
        raise ServiceError("不予受理须说明理由", code="reason_required", field="reasons")
    decision = application_review(application=app)
    findings = [
        {"code": f.code, "message": f.message, "citations": [c.as_dict() for c in f.citations]}
        for f in decision.value.refusals
    ]
    app.status = CaseApplication.Status.REJECTED
    app.decided_by = actor
    app.decided_at = timezone.now()
    app.findings = [{"code": "clerk", "message": reasons.strip(), "citations": []}, *findings]
    app.save(update_fields=["status", "decided_by", "decided_at", "findings"])
    journal_append(
        stream=f"application:{app.pk}",
        kind="application.rejected",
        actor=actor,
        court=app.court,
        payload={"reasons": reasons.strip(), "findings": findings},
    )
    return app


@transaction.atomic
def application_accept(*, actor: User, application_id: int, on: dt.date | None = None) -> EnforcementCase:
    """立案：the filing rules must not refuse; then number, triage, open the nodes and assign."""
    app = _pending_application(actor, application_id)
    on = on or today()
    decision = application_review(application=app, on=on)
    if decision.value.refusals:
        items = "；".join(f.message for f in decision.value.refusals)
        raise ServiceError(f"不符合立案条件：{items}", code="filing_refused", refusals=items)
    case = _case_file(
        actor=actor,
        court=app.court,
        title=app.title,
        parties=app.parties,
        received_on=app.received_on,
        filed_on=on,
        claim_amount=app.claim_amount,
        kind=EnforcementCase.Kind.FIRST,
        filing_result=decision,
        parent=app.origin_case,
        channel=app.channel if app.origin_case_id else "",
    )
    app.status = CaseApplication.Status.ACCEPTED
    app.decided_by = actor
    app.decided_at = timezone.now()
    app.case = case
    app.findings = [
        {"code": w.code, "message": w.message, "citations": [c.as_dict() for c in w.citations]}
        for w in decision.value.warnings
    ]
    app.save(update_fields=["status", "decided_by", "decided_at", "case", "findings"])
    journal_append(
        stream=f"application:{app.pk}",
        kind="application.accepted",
        actor=actor,
        court=app.court,
        payload={"case_number": case.case_number},
    )
    if app.origin_case_id:
        _close_delegated_origin(app.origin_case_id, case, actor, channel=app.channel)
    return case


# --- filing ---------------------------------------------------------------------------------------
def _duplicates(title: EnforcementTitle, debtor_ids: set[int]) -> list[str]:
    """The same title against the same debtor already filed in any court (not closed or closed)."""
    return list(
        EnforcementCase.objects.filter(
            title__fingerprint=title.fingerprint,
            parties__role=CaseParty.Role.DEBTOR,
            parties__party_id__in=debtor_ids,
        )
        .exclude(kind__in=[EnforcementCase.Kind.OBJECTION, EnforcementCase.Kind.REVIEW])
        .values_list("case_number", flat=True)
        .distinct()
    )


def _case_file(
    *,
    actor: User,
    court: Court,
    title: EnforcementTitle,
    parties: Sequence[dict[str, Any]],
    received_on: dt.date,
    filed_on: dt.date,
    claim_amount: Decimal,
    kind: str,
    filing_result: RuleResult | None = None,
    parent: EnforcementCase | None = None,
    type_code: str = "执",
    channel: str = "",
) -> EnforcementCase:
    """``channel`` (with ``parent``): the case comes from another court's case (委托执行, or a transfer
    by the upper court), which is named in ``case.filed`` and is not a duplicate filing."""
    sequence, number = case_number_allocate(court=court, year=filed_on.year, type_code=type_code)
    debtor_ids = {int(p["party_id"]) for p in parties if p["role"] == "debtor"}
    duplicates = _duplicates(title, debtor_ids) if kind == EnforcementCase.Kind.FIRST else []
    if channel and parent is not None:
        duplicates = [n for n in duplicates if n != parent.case_number]
    non_litigation = title.kind in filing_rules.NON_LITIGATION_TITLE_KINDS
    case = EnforcementCase.objects.create(
        court=court,
        case_number=number,
        year=filed_on.year,
        type_code=type_code,
        sequence=sequence,
        kind=kind,
        title=title,
        received_on=received_on,
        filed_on=filed_on,
        claim_amount=claim_amount,
        non_litigation=non_litigation,
        parent=parent,
        duplicate_of=duplicates,
        filing_citations=_citations(filing_result) if filing_result else [],
    )
    CaseParty.objects.bulk_create(
        [
            CaseParty(
                case=case,
                party_id=int(p["party_id"]),
                role=p["role"],
                agent_name=p.get("agent_name", ""),
                agent_phone=p.get("agent_phone", ""),
                delivery_address=p.get("address", ""),
            )
            for p in parties
        ]
    )
    payload: dict[str, Any] = {
        "case_number": number,
        "kind": kind,
        "title": str(title),
        "claim_amount": claim_amount,
        "parent": parent.case_number if parent else None,
        "duplicate_of": duplicates,
    }
    if channel and parent is not None:
        payload.update(origin=parent.case_number, origin_court=parent.court.court_code, power=channel)
    if filing_result is not None:
        payload["warnings"] = [w.message for w in filing_result.value.warnings]
        payload.update(_rule_payload(filing_result))
    _journal(case, "case.filed", actor, payload)
    if kind in (EnforcementCase.Kind.FIRST, EnforcementCase.Kind.RESTORED, EnforcementCase.Kind.PRESERVATION):
        from zhixing.funds.services import case_account_open

        case_account_open(case=case, actor=actor)  # 一案一账号, printed on the performance notice
        _open_initial_nodes(case, actor)
        _triage(case, actor, on=filed_on)
        _auto_assign(case, actor)
    return case


def _open_initial_nodes(case: EnforcementCase, actor: User | None) -> None:
    opened = node_rules.initial_nodes(
        received_on=case.received_on,
        filed_on=case.filed_on,
        non_litigation=case.non_litigation,
        holidays=CAL(),
    )
    for code, result in opened:
        spec = node_rules.NODE_CATALOGUE[code]
        anchor = case.received_on if spec.anchor == "received" else case.filed_on
        Node.objects.create(
            case=case,
            code=code,
            title=spec.title,
            anchor_date=anchor,
            due_on=result.value,
            provisional=is_provisional(result),
            citations=_citations(result),
        )
        if code == "enforcement_period":
            case.enforcement_deadline = result.value
            case.save(update_fields=["enforcement_deadline"])
    _journal(case, "nodes.opened", actor, {"nodes": [{"code": c, "due_on": r.value} for c, r in opened]})


# --- triage and assignment ------------------------------------------------------------------------
def _triage_facts(case: EnforcementCase) -> triage_rules.TriageFacts:
    debtors = list(case.parties.filter(role=CaseParty.Role.DEBTOR).select_related("party"))
    debtor_ids = [d.party_id for d in debtors]
    others = (
        EnforcementCase.objects.filter(parties__party_id__in=debtor_ids, parties__role=CaseParty.Role.DEBTOR)
        .exclude(pk=case.pk)
        .exclude(stage="closed")
        .values("pk")
        .distinct()
        .count()
    )
    return triage_rules.TriageFacts(
        claim_amount=case.claim_amount,
        debtor_kinds=tuple(d.party.kind for d in debtors),
        known_assets=0,
        other_open_cases_against_debtors=others,
        has_non_money_obligation=bool(case.title.non_money_obligations.strip()),
    )


def _triage(case: EnforcementCase, actor: User | None, *, on: dt.date) -> None:
    result = triage_rule(_triage_facts(case), on=on)
    outcome = result.value
    case.track = outcome.track
    case.track_score = outcome.score
    label = "精执" if outcome.track == "complex_track" else "快执"
    verdict = "达到" if outcome.score >= outcome.threshold else "未达到"
    case.track_reasons = [
        {"factor": r.factor, "points": r.points, "text": r.text} for r in outcome.reasons
    ] + [
        {
            "factor": "total",
            "points": outcome.score,
            "text": f"合计 {outcome.score} 分，{verdict}精执阈值 {outcome.threshold} 分：{label}",
        }
    ]
    case.save(update_fields=["track", "track_score", "track_reasons"])
    _journal(
        case,
        "case.triaged",
        actor,
        {
            "track": outcome.track,
            "score": outcome.score,
            "threshold": outcome.threshold,
            **_rule_payload(result),
        },
    )


def _auto_assign(case: EnforcementCase, actor: User | None) -> None:
    """分案：the team of the case's track with the fewest open cases, then its judge with the fewest."""
    teams = (
        Team.objects.filter(court=case.court, track=case.track)
        .annotate(load=Count("cases", filter=~Q(cases__stage="closed")))
        .order_by("load", "pk")
    )
    team = teams.first()
    if team is None:
        team = (
            Team.objects.filter(court=case.court)
            .annotate(load=Count("cases", filter=~Q(cases__stage="closed")))
            .order_by("load", "pk")
            .first()
        )
    if team is None:
        return  # the court has no team: the case waits in the bureau's queue
    _assign(case, team, actor, reason="", auto=True, on=case.filed_on if case.stage == "filed" else None)


def _assign(
    case: EnforcementCase,
    team: Team,
    actor: User | None,
    *,
    reason: str,
    auto: bool,
    on: dt.date | None = None,
) -> None:
    judge = (
        User.objects.filter(team=team, role=Role.JUDGE, is_active=True)
        .annotate(load=Count("cases", filter=~Q(cases__stage="closed")))
        .order_by("load", "pk")
        .first()
    )
    before = case.team.name if case.team else None
    case.team = team
    case.judge = judge
    case.save(update_fields=["team", "judge"])
    Node.objects.filter(case=case, code="assign_officer", status=Node.Status.OPEN).update(
        status=Node.Status.DONE, done_on=on or today()
    )
    _journal(
        case,
        "case.assigned",
        actor,
        {
            "team": team.name,
            "judge": judge.full_name if judge else None,
            "from": before,
            "auto": auto,
            "reason": reason,
        },
    )
    if case.stage == "filed":
        _move(case, "in_enforcement", actor)


@transaction.atomic
def case_track_override(*, actor: User, case_id: int, track: str, reason: str) -> EnforcementCase:
    """改变繁简分流：needs a reason; the case moves to a team of the new track."""
    case = _locked(case_id)
    _require_court(actor, case.court, ASSIGNING_ROLES, "改变繁简分流")
    if track not in EnforcementCase.Track.values:
        raise ServiceError(f"未知的分流「{track}」", code="bad_track", field="track")
    if not reason.strip():
        raise ServiceError("改变分流须说明理由", code="reason_required", field="reason")
    if case.stage == "closed":
        raise ServiceError("已结案件不能改变分流", code="closed")
    before = case.track
    case.track = track
    case.track_override_reason = reason.strip()
    case.save(update_fields=["track", "track_override_reason"])
    _journal(case, "case.track_overridden", actor, {"from": before, "to": track, "reason": reason.strip()})
    _auto_assign(case, actor)
    return case


@transaction.atomic
def case_reassign(*, actor: User, case_id: int, team_id: int, reason: str) -> EnforcementCase:
    """改派：to another team of the same court, with a reason."""
    case = _locked(case_id)
    _require_court(actor, case.court, ASSIGNING_ROLES, "改派案件")
    team = Team.objects.filter(pk=team_id, court=case.court).first()
    if team is None:
        raise ServiceError("只能改派给本院的执行团队", code="bad_team", field="team")
    if not reason.strip():
        raise ServiceError("改派须说明理由", code="reason_required", field="reason")
    if case.stage == "closed":
        raise ServiceError("已结案件不能改派", code="closed")
    _assign(case, team, actor, reason=reason.strip(), auto=False)
    return case


@transaction.atomic
def transfer_application_create(
    *, case: EnforcementCase, target: Court, actor: User, channel: str, jurisdiction_basis: str, on: dt.date
) -> CaseApplication:
    """The application a case's move to another court puts in that court's filing queue (委托执行, and the
    upper court's 提级/指定/交叉执行): the same title, parties and claim, linked to the original case."""
    return CaseApplication.objects.create(
        court=target,
        channel=channel,
        submitted_by=actor,
        received_on=on,
        acceptance_due_on=node_rules.node_deadline("filing_decision", anchor_date=on, holidays=CAL()).value,
        title=case.title,
        jurisdiction_basis=jurisdiction_basis,
        materials=list(DELEGATION_MATERIALS),
        parties=[
            {
                "party_id": cp.party_id,
                "role": cp.role,
                "agent_name": cp.agent_name,
                "agent_phone": cp.agent_phone,
                "address": cp.delivery_address,
            }
            for cp in case.parties.all()
        ],
        claim_amount=case.claim_amount,
        origin_case=case,
    )


def case_delegate(*, actor: User, case_id: int, to_court_code: str, reason: str) -> CaseApplication:
    """委托执行：the entrusted court gets the case in its filing queue; once filed there, this one closes."""
    case = _locked(case_id)
    _require_court(actor, case.court, ASSIGNING_ROLES, "委托执行")
    target = Court.objects.filter(court_code=to_court_code).exclude(pk=case.court_id).first()
    if target is None or target.level == Court.Level.HIGH:
        raise ServiceError("受托法院无效", code="bad_court", field="to_court")
    if (
        case.stage == "closed"
        or case.delegated_to_id
        or case.delegations.filter(status=CaseApplication.Status.PENDING).exists()
    ):
        raise ServiceError("该案件已结案、已委托或已由上级法院决定移交", code="closed")
    if not reason.strip():
        raise ServiceError("委托执行须说明理由（财产所在地等）", code="reason_required", field="reason")
    app = transfer_application_create(
        case=case,
        target=target,
        actor=actor,
        channel=CaseApplication.Channel.DELEGATION,
        jurisdiction_basis="property_location",
        on=today(),
    )
    case.delegated_to = target
    case.save(update_fields=["delegated_to"])
    _journal(
        case,
        "case.delegated",
        actor,
        {"to": target.court_code, "reason": reason.strip(), "application_id": app.pk},
    )
    return app


def _close_delegated_origin(
    origin_id: int,
    new_case: EnforcementCase,
    actor: User,
    *,
    channel: str = CaseApplication.Channel.DELEGATION,
) -> None:
    """销案 of the case another court now enforces: delegated, or moved by the upper court's ruling."""
    origin = _locked(origin_id)
    if origin.stage == "closed":
        return
    if channel in upper_court_rules.TRANSFER_GROUNDS:
        power = upper_court_rules.Power(channel)
        ground = upper_court_rules.TRANSFER_GROUNDS[power]
        citations = [c.as_dict() for c in upper_court_rules.transfer_citations(power)]
        detail = f"{power.label}，{new_case.court.name}已立案：{new_case.case_number}"
    else:
        ground, citations, detail = "delegated", [], f"受托法院已立案：{new_case.case_number}"
    _close(
        origin,
        "withdrawn_from_docket",
        ground,
        actor,
        citations=citations,
        detail=detail,
        on=new_case.filed_on,
    )


# --- acts and nodes -------------------------------------------------------------------------------
@transaction.atomic
def case_act(
    *, actor: User, case_id: int, kind: str, note: str = "", on: dt.date | None = None
) -> EnforcementCase:
    """记录办案行为（执行通知、网络查控、约谈……）; completes the nodes it serves."""
    case = _locked(case_id)
    act = ACTS.get(kind)
    if act is None:
        raise ServiceError(f"未知的办案行为「{kind}」", code="bad_act", field="kind")
    _require_team(actor, case, act.roles)
    if act.case_kinds is not None and case.kind not in act.case_kinds:
        raise ServiceError(f"{act.label}只适用于恢复执行案件", code="wrong_case_kind", field="kind")
    if case.stage not in act.stages:
        raise ServiceError(
            f"案件处于「{case.get_stage_display()}」阶段，不能{act.label}", code="illegal_stage", field="kind"
        )
    if act.note_required and not note.strip():
        raise ServiceError(f"{act.label}须填写情况说明", code="note_required", field="note")
    on = on or today()
    payload: dict[str, Any] = {"note": note.strip(), "on": on}
    if kind in NOTICE_DOCUMENTS:
        document = _notice_issue(case, NOTICE_DOCUMENTS[kind], actor, on=on)
        payload["document_number"] = document.number
    if act.completes:
        Node.objects.filter(case=case, code__in=act.completes, status=Node.Status.OPEN).update(
            status=Node.Status.DONE, done_on=on, alert=Node.Alert.NONE
        )
    _journal(case, kind, actor, payload)
    return case


# --- documents ------------------------------------------------------------------------------------
NOTICE_DOCUMENTS = {
    "performance_notice.issued": "performance_notice",
    "asset_report_order.issued": "asset_report_order",
    "restoration_notice.issued": "restoration_notice",
}


def _names(case: EnforcementCase, role: str) -> list[str]:
    return [cp.party.name for cp in case.parties.filter(role=role).select_related("party")]


def _recipients(case: EnforcementCase, *, roles: tuple[str, ...] = (CaseParty.Role.DEBTOR,)) -> list[Any]:
    """By post to the delivery address; without one, by announcement."""
    from zhixing.documents.services import Recipient

    recipients = []
    for cp in case.parties.filter(role__in=roles).select_related("party"):
        address = cp.delivery_address or cp.party.address
        channel = "postal" if address else "by_announcement"
        recipients.append(
            Recipient(
                name=cp.party.name,
                channel=channel,
                party=cp.party,
                address=address,
                role_label=cp.get_role_display(),
            )
        )
    return recipients


def _notice_issue(case: EnforcementCase, kind: str, actor: User, *, on: dt.date) -> Any:
    """执行通知书 / 报告财产令 through the documents service: numbered, sealed, archived, delivered."""
    from zhixing.documents.services import document_issue
    from zhixing.rules.deadlines import statutory_deadline

    title = case.title
    common = {"debtor_names": _names(case, CaseParty.Role.DEBTOR)}
    if kind == "performance_notice":
        due = statutory_deadline("performance_notice_compliance_days", start=on, holidays=CAL())
        obligations = [
            f"支付执行款人民币 {case.claim_amount} 元（本金 {title.principal} 元，诉讼费等 {title.costs} 元）"
        ]
        if title.interest_terms:
            obligations.append(f"利息：{title.interest_terms}")
        if title.non_money_obligations:
            obligations.append(title.non_money_obligations)
        account = _case_account(case)
        context = {
            **common,
            "account_number": account.number if account else "",
            "account_name": f"{case.court.name}执行款专户",
            "applicant_names": _names(case, CaseParty.Role.APPLICANT),
            "title_description": f"{title.issuing_body}{title.document_number}{title.get_kind_display()}",
            "obligations": obligations,
            "performance_deadline": due.value,
            "amount_due": case.claim_amount,
            "filed_on": case.filed_on,
        }
    elif kind == "restoration_notice":
        origin = JournalEvent.objects.filter(stream=case.stream, kind="case.restored_from").first()
        context = {
            "party_names": [cp.party.name for cp in case.parties.select_related("party")],
            "original_case_number": case.parent.case_number if case.parent else "",
            "reason": origin.payload.get("reason", "") if origin else "",
            "restored_on": case.filed_on,
            "new_case_number": case.case_number,
        }
    else:
        due = statutory_deadline("asset_report_deadline_days", start=on, holidays=CAL())
        context = {**common, "report_deadline": due.value, "notice_received_on": on}
    return document_issue(
        actor=actor,
        kind=kind,
        court=case.court,
        stream=case.stream,
        case_number=case.case_number,
        context=context,
        recipients=_recipients(case),
        on=on,
    )


MEASURE_ACTS = {
    "network_inquiry.done": "网络执行查控系统查询被执行人财产",
    "asset_report_order.issued": "责令被执行人报告财产",
    "consumption_restriction.issued": "对被执行人采取限制消费措施",
    "dishonest_listing.published": "将被执行人纳入失信被执行人名单",
    "debtor.searched": "依法查找被执行人",
    "applicant.interviewed": "约谈申请执行人，告知案件情况并听取意见",
}


def _no_assets_ruling_issue(
    case: EnforcementCase, actor: User, *, on: dt.date, approval: Any, applicant_consents: bool
) -> Any:
    """终结本次执行程序裁定书: what was done, found and realised, read from the case's journal."""
    from zhixing.documents.services import document_issue

    kinds = {k for k, _, _ in _event_kinds(case)}
    measures = [text for kind, text in MEASURE_ACTS.items() if kind in kinds]
    title = case.title
    context: dict[str, Any] = {
        "applicant_names": _names(case, CaseParty.Role.APPLICANT),
        "debtor_names": _names(case, CaseParty.Role.DEBTOR),
        "title_description": f"{title.issuing_body}{title.document_number}{title.get_kind_display()}",
        "claim": case.claim_amount,
        "measures_taken": measures,
        "property_found": "未发现可供执行的财产"
        if "property.found" not in kinds
        else "发现的财产经处置无法变价",
        "amount_realised": Decimal("0"),
        "amount_outstanding": case.claim_amount,
    }
    if applicant_consents:
        context["applicant_confirmed_on"] = on
    recipients = _recipients(case, roles=(CaseParty.Role.APPLICANT, CaseParty.Role.DEBTOR))
    return document_issue(
        actor=actor,
        kind="no_assets_closure_ruling",
        court=case.court,
        stream=case.stream,
        case_number=case.case_number,
        context=context,
        recipients=recipients,
        on=on,
        approval=approval,
    )


def _case_account(case: EnforcementCase) -> Any:
    from zhixing.funds.models import CaseAccount

    return CaseAccount.objects.filter(case=case).first()


def asset_report_deadline_open(delivery: Any) -> None:
    """报告财产令送达后：the report deadline runs from the deemed delivery date."""
    stream = delivery.document.stream
    if not stream.startswith("case:") or delivery.delivered_on is None:
        return
    case = EnforcementCase.objects.filter(pk=int(stream.split(":", 1)[1])).first()
    if case is None or case.stage == "closed":
        return
    from zhixing.rules.deadlines import statutory_deadline

    due = statutory_deadline("asset_report_deadline_days", start=delivery.delivered_on, holidays=CAL())
    _node, created = Node.objects.get_or_create(
        case=case,
        code="asset_report_due",
        ref=str(delivery.pk),
        defaults={
            "title": f"被执行人报告财产期限（{delivery.recipient_name}）",
            "anchor_date": delivery.delivered_on,
            "due_on": due.value,
            "provisional": is_provisional(due),
            "citations": _citations(due),
        },
    )
    if created:
        _journal(
            case,
            "asset_report.deadline_opened",
            None,
            {"due_on": due.value, "delivered_on": delivery.delivered_on},
        )


LEAD_SOURCES = {"team": "承办团队登记", "party": "当事人提交", "grid": "网格员报告"}


@transaction.atomic
def asset_lead_receive(*, actor: User, case_id: int, description: str, urgent: bool = False) -> Node:
    """收到财产线索：opens a verification node (7 days, 3 if urgent)."""
    case = _locked(case_id)
    _require_team(actor, case)
    return _asset_lead_open(case, description=description, urgent=urgent, actor=actor, source="team")


@transaction.atomic
def asset_lead_submit(*, actor: User, case_id: int, description: str, urgent: bool = False) -> Node:
    """当事人提交财产线索：the party or lawyer who applied for enforcement of this case."""
    case = _locked(case_id)
    if (
        actor.role not in EXTERNAL_ROLES
        or not CaseApplication.objects.filter(case=case, submitted_by=actor).exists()
    ):
        raise NotFound()
    return _asset_lead_open(case, description=description, urgent=urgent, actor=actor, source="party")


def asset_lead_record(*, case_id: int, description: str, source: str, urgent: bool = False) -> Node:
    """Record a lead that reached the case through another app (e.g. a grid worker's answer on the desk)."""
    case = _locked(case_id)
    return _asset_lead_open(case, description=description, urgent=urgent, actor=None, source=source)


def _asset_lead_open(
    case: EnforcementCase, *, description: str, urgent: bool, actor: User | None, source: str
) -> Node:
    if case.stage not in ("in_enforcement", "suspended", "settlement"):
        raise ServiceError("案件不在执行中", code="illegal_stage")
    if not description.strip():
        raise ServiceError("请写明财产线索", code="note_required", field="description")
    if source not in LEAD_SOURCES:
        raise ServiceError("未知的线索来源", code="bad_source")
    received = today()
    due = node_rules.node_deadline(
        "asset_lead_verification", anchor_date=received, urgent=urgent, holidays=CAL()
    )
    ref = f"lead-{case.nodes.filter(code='asset_lead_verification').count() + 1}"
    node = Node.objects.create(
        case=case,
        code="asset_lead_verification",
        ref=ref,
        title=f"核查财产线索（{ref}）",
        anchor_date=received,
        due_on=due.value,
        provisional=is_provisional(due),
        citations=_citations(due),
    )
    _journal(
        case,
        "asset_lead.received",
        actor,
        {
            "ref": ref,
            "description": description.strip(),
            "urgent": urgent,
            "due_on": due.value,
            "source": source,
            "citations": _citations(due),
        },
    )
    return node


@transaction.atomic
def asset_lead_verify(*, actor: User, case_id: int, ref: str, result: str) -> Node:
    case = _locked(case_id)
    _require_team(actor, case)
    node = Node.objects.filter(
        case=case, code="asset_lead_verification", ref=ref, status=Node.Status.OPEN
    ).first()
    if node is None:
        raise NotFound("没有待核查的该条线索")
    if not result.strip():
        raise ServiceError("请写明核查结果", code="note_required", field="result")
    node.status = Node.Status.DONE
    node.done_on = today()
    node.alert = Node.Alert.NONE
    node.save(update_fields=["status", "done_on", "alert"])
    _journal(case, "asset_lead.verified", actor, {"ref": ref, "result": result.strip()})
    return node


def nodes_sweep(*, on: dt.date | None = None) -> dict[str, int]:
    """节点预警：mark open nodes due soon or overdue; journal each change once."""
    on = on or today()
    changed = {"due_soon": 0, "overdue": 0}
    for node in Node.objects.filter(status=Node.Status.OPEN).select_related("case", "case__court").iterator():
        level = node_rules.alert_level(node.due_on, today=on, done=False)
        if level != node.alert:
            with transaction.atomic():
                Node.objects.filter(pk=node.pk).update(alert=level)
                if level in changed:
                    changed[level] += 1
                    journal_append(
                        stream=node.case.stream,
                        kind=f"node.{level}",
                        actor=None,
                        court=node.case.court,
                        payload={"node": node.code, "ref": node.ref, "due_on": node.due_on},
                    )
                refresh_case_alerts(node.case_id)
    return changed


def nodes_recompute_provisional() -> int:
    """暂定期限重算：once a year's holiday arrangement is published, provisional deadlines become final."""
    from zhixing.rules.deadlines import statutory_deadline

    changed = 0
    for node in Node.objects.filter(status=Node.Status.OPEN, provisional=True).select_related(
        "case", "case__court"
    ):
        case = node.case
        with transaction.atomic():
            if node.code == "enforcement_period":
                _recompute_enforcement_deadline(case)
                if Node.objects.filter(pk=node.pk, provisional=True).exists():
                    continue
            else:
                if node.code in node_rules.NODE_CATALOGUE:
                    result = node_rules.node_deadline(node.code, anchor_date=node.anchor_date, holidays=CAL())
                elif node.code == "asset_report_due":
                    result = statutory_deadline(
                        "asset_report_deadline_days", start=node.anchor_date, holidays=CAL()
                    )
                else:
                    continue
                if is_provisional(result):
                    continue
                Node.objects.filter(pk=node.pk).update(
                    due_on=result.value, provisional=False, citations=_citations(result)
                )
            changed += 1
            _journal(case, "node.recomputed", None, {"node": node.code, "ref": node.ref, "was": node.due_on})
    return changed


# --- suspension -----------------------------------------------------------------------------------
def _recompute_enforcement_deadline(case: EnforcementCase) -> None:
    spans = [(s.started_on, s.ended_on or dt.date.max) for s in case.suspensions.all()]
    spans = [(a, b if b != dt.date.max else today()) for a, b in spans]
    result = node_rules.node_deadline(
        "enforcement_period",
        anchor_date=case.filed_on,
        non_litigation=case.non_litigation,
        suspensions=spans,
        holidays=CAL(),
    )
    case.enforcement_deadline = result.value
    case.save(update_fields=["enforcement_deadline"])
    Node.objects.filter(case=case, code="enforcement_period").update(
        due_on=result.value, provisional=is_provisional(result), citations=_citations(result)
    )


@transaction.atomic
def case_suspend(
    *, actor: User, case_id: int, ground: str, note: str = "", on: dt.date | None = None
) -> EnforcementCase:
    """中止执行：with a ground of CPL Art. 267; the enforcement period stops running."""
    case = _locked(case_id)
    _require_team(actor, case, {Role.JUDGE})
    try:
        text, citations = suspension_rules.suspension_ground(ground)
    except (KeyError, ValueError) as e:
        raise ServiceError(str(e), code="bad_ground", field="ground") from e
    on = on or today()
    _move(case, "suspended", actor, ground=ground)
    Suspension.objects.create(
        case=case, ground=ground, started_on=on, citations=[c.as_dict() for c in citations]
    )
    _journal(
        case,
        "case.suspended",
        actor,
        {
            "ground": ground,
            "ground_text": text,
            "note": note,
            "on": on,
            "citations": [c.as_dict() for c in citations],
        },
    )
    return case


@transaction.atomic
def case_resume(*, actor: User, case_id: int, note: str = "", on: dt.date | None = None) -> EnforcementCase:
    """恢复执行（中止原因消除）：the suspension ends, the enforcement period is extended by its length."""
    case = _locked(case_id)
    _require_team(actor, case, {Role.JUDGE})
    on = on or today()
    open_s = case.suspensions.filter(ended_on__isnull=True).last()
    _move(case, "in_enforcement", actor, reason="resumed")
    if open_s:
        open_s.ended_on = on
        open_s.save(update_fields=["ended_on"])
    _recompute_enforcement_deadline(case)
    _journal(
        case,
        "case.resumed",
        actor,
        {"note": note, "on": on, "enforcement_deadline": case.enforcement_deadline},
    )
    return case


# --- settlement -----------------------------------------------------------------------------------
def _instalments(settlement: Settlement) -> list[settlement_rules.Instalment]:
    return [
        settlement_rules.Instalment(due_on=dt.date.fromisoformat(i["due_on"]), amount=Decimal(i["amount"]))
        for i in settlement.instalments
    ]


def _payments(settlement: Settlement) -> list[settlement_rules.Payment]:
    return [settlement_rules.Payment(paid_on=p.paid_on, amount=p.amount) for p in settlement.payments.all()]


@transaction.atomic
def settlement_record(
    *, actor: User, case_id: int, agreed_on: dt.date, terms: str, instalments: Sequence[tuple[dt.date, Any]]
) -> Settlement:
    """执行和解：record the agreement and its instalments; enforcement waits while it is performed."""
    case = _locked(case_id)
    _require_team(actor, case, {Role.JUDGE, Role.ASSISTANT})
    if not terms.strip():
        raise ServiceError("请写明和解内容", code="note_required", field="terms")
    if not instalments:
        raise ServiceError("请至少列出一期履行", code="instalments_required", field="instalments")
    plan = sorted((d, _money(a, "instalments")) for d, a in instalments)
    if any(a <= 0 for _, a in plan):
        raise ServiceError("每期金额必须大于零", code="bad_money", field="instalments")
    _move(case, "settlement", actor)
    s = Settlement.objects.create(
        case=case,
        agreed_on=agreed_on,
        terms=terms.strip(),
        instalments=[{"due_on": d.isoformat(), "amount": str(a)} for d, a in plan],
    )
    from zhixing.documents.services import document_issue

    document_issue(
        actor=actor,
        kind="settlement_record",
        court=case.court,
        stream=case.stream,
        case_number=case.case_number,
        context={
            "applicant_names": _names(case, CaseParty.Role.APPLICANT),
            "debtor_names": _names(case, CaseParty.Role.DEBTOR),
            "terms": terms.strip(),
            "agreed_on": agreed_on,
            "performance_term": "；".join(f"{d.isoformat()} 前支付 {a} 元" for d, a in plan),
        },
        recipients=[],
        on=agreed_on,
    )
    _journal(
        case,
        "settlement.recorded",
        actor,
        {
            "settlement_id": s.pk,
            "agreed_on": agreed_on,
            "instalments": s.instalments,
            "total": sum(a for _, a in plan),
        },
    )
    return s


def settlement_state(settlement: Settlement, *, on: dt.date | None = None) -> RuleResult:
    return settlement_rules.settlement_state(
        _instalments(settlement), _payments(settlement), on=on or today(), holidays=CAL()
    )


@transaction.atomic
def settlement_payment_record(
    *, actor: User, settlement_id: int, paid_on: dt.date, amount: Any
) -> Settlement:
    """记录和解履行；when the plan is performed in full the case closes (SETTLE Art. 8)."""
    s = Settlement.objects.select_for_update().select_related("case").filter(pk=settlement_id).first()
    if s is None:
        raise NotFound()
    case = _locked(s.case_id)
    _require_team(actor, case)
    if (
        s.status not in (Settlement.Status.PERFORMING, Settlement.Status.DEFAULTED)
        or case.stage != "settlement"
    ):
        raise ServiceError("该和解已不在履行中", code="illegal_stage")
    value = _money(amount, "amount")
    if value <= 0:
        raise ServiceError("金额必须大于零", code="bad_money", field="amount")
    SettlementPayment.objects.create(settlement=s, paid_on=paid_on, amount=value, recorded_by=actor)
    state = settlement_state(s, on=paid_on)
    _journal(
        case,
        "settlement.payment",
        actor,
        {"settlement_id": s.pk, "paid_on": paid_on, "amount": value, "outstanding": state.value.outstanding},
    )
    if state.value.fully_performed:
        s.status = Settlement.Status.PERFORMED
        s.save(update_fields=["status"])
        _close(
            case,
            "fully_performed",
            "settlement_performed",
            actor,
            citations=_citations(state),
            detail="和解协议履行完毕",
        )
    return s


@transaction.atomic
def settlement_restore(
    *, actor: User, settlement_id: int, note: str = "", on: dt.date | None = None
) -> EnforcementCase:
    """和解未履行，申请执行人申请恢复执行原生效法律文书 (CPL Art. 241, SETTLE Art. 9, 11)."""
    s = Settlement.objects.select_for_update().filter(pk=settlement_id).first()
    if s is None:
        raise NotFound()
    case = _locked(s.case_id)
    _require_team(actor, case, {Role.JUDGE})
    on = on or today()
    state = settlement_state(s, on=on)
    if not state.value.defaulted:
        raise ServiceError(
            "和解协议正在按期履行或履行期限尚未届至，不得恢复执行（最高人民法院关于执行和解若干问题的规定第十一条）",
            code="not_defaulted",
        )
    s.status = Settlement.Status.RESTORED
    s.save(update_fields=["status"])
    _move(case, "in_enforcement", actor, reason="settlement_defaulted")
    _journal(
        case,
        "settlement.restored",
        actor,
        {"settlement_id": s.pk, "paid": state.value.paid, "note": note, **_rule_payload(state)},
    )
    return case


# --- closing --------------------------------------------------------------------------------------
def _event_kinds(case: EnforcementCase) -> list[tuple[str, dict[str, Any], dt.datetime]]:
    out = []
    for kind, payload, at in (
        JournalEvent.objects.filter(stream=case.stream)
        .order_by("seq")
        .values_list("kind", "payload", "occurred_at")
    ):
        if kind == "document.issued":
            kind = EQUIVALENT_KINDS.get(f"document.issued:{payload.get('kind')}", kind)
        out.append((kind, payload, at))
    return out


def _last_of(kinds: list[str], wanted: tuple[str, ...]) -> str | None:
    return next((k for k in reversed(kinds) if k in wanted), None)


def closing_facts(case: EnforcementCase) -> closing_rules.ClosingFacts:
    """The facts the closing rules need, read from the case's own journal."""
    events = _event_kinds(case)
    kinds = [k for k, _, _ in events]
    inquiries = [(p, at) for k, p, at in events if k == "network_inquiry.done"]
    last_inquiry = None
    if inquiries:
        p, at = inquiries[-1]
        last_inquiry = dt.date.fromisoformat(p["on"]) if p.get("on") else timezone.localdate(at)
    leads_open = case.nodes.filter(code="asset_lead_verification", status=Node.Status.OPEN).count()
    return closing_rules.ClosingFacts(
        filed_on=case.filed_on,
        performance_notice_issued="performance_notice.issued" in kinds,
        asset_report_order_issued="asset_report_order.issued" in kinds,
        asset_report_handled="asset_report.handled" in kinds or "asset_report.violated" in kinds,
        network_inquiries=len(inquiries),
        last_network_inquiry_on=last_inquiry,
        consumption_restriction_issued="consumption_restriction.issued" in kinds,
        dishonest_listing_required="asset_report.violated" in kinds,
        dishonest_listing_done="dishonest_listing.published" in kinds,
        applicant_interviewed="applicant.interviewed" in kinds,
        disposable_property_found="property.found" in kinds
        and kinds.index("property.found")
        > max((i for i, k in enumerate(kinds) if k == "property.undisposable"), default=-1),
        unverified_leads=leads_open,
        debtor_missing="debtor.missing" in kinds,
        debtor_searched="debtor.searched" in kinds,
        obstruction="obstruction.found" in kinds,
        obstruction_sanctioned="obstruction.sanctioned" in kinds,
        outstanding_amount=case.claim_amount,
        # the ledger's latest word: fully performed, unless a reversal took it back since
        ledger_shows_full_performance=_last_of(
            kinds, ("funds.fully_performed", "funds.fully_performed_reverted")
        )
        == "funds.fully_performed",
        applicant_confirms_full_performance="applicant.confirmed_full_performance" in kinds,
    )


def closing_checklist(
    case: EnforcementCase,
    mode: str,
    *,
    ground: str | None = None,
    applicant_consents: bool = False,
    on: dt.date | None = None,
) -> RuleResult:
    facts = closing_facts(case)
    facts = dataclasses.replace(facts, ground=ground, applicant_consents=applicant_consents)
    return closing_rules.closing_check(mode, facts, on=on or today())


def _close(
    case: EnforcementCase,
    mode: str,
    ground: str,
    actor: User | None,
    *,
    citations: list[dict[str, Any]],
    detail: str = "",
    on: dt.date | None = None,
    approval: Any = None,
    applicant_consents: bool = False,
) -> None:
    on = on or today()
    if mode == "no_assets_closure" and actor is not None:
        # the ruling is issued with the closing: the applicant's consent or the president's approval
        _no_assets_ruling_issue(case, actor, on=on, approval=approval, applicant_consents=applicant_consents)
    try:
        stages.check_transition(case.stage, "closed")
    except stages.StageError as e:
        raise ServiceError(str(e), code="illegal_stage_move") from e
    before = case.stage
    case.stage = "closed"
    case.closed_on = on
    case.closing_mode = mode
    case.closing_ground = ground
    case.closing_citations = citations
    case.save(update_fields=["stage", "closed_on", "closing_mode", "closing_ground", "closing_citations"])
    _journal(case, "case.stage_changed", actor, {"from": before, "to": "closed", "mode": mode})
    Node.objects.filter(case=case, status=Node.Status.OPEN).update(status=Node.Status.CANCELLED)
    _journal(
        case,
        "case.closed",
        actor,
        {"mode": mode, "ground": ground, "detail": detail, "on": on, "citations": citations},
    )
    for listener in _CLOSED_LISTENERS:
        listener(case, actor)
    if mode == "no_assets_closure":
        schedule = closing_rules.reinquiry_schedule(on)
        for i, due in enumerate(schedule.value, start=1):
            Node.objects.create(
                case=case,
                code="reinquiry",
                ref=str(i),
                title=f"终本后第 {i} 次网络查询",
                anchor_date=on,
                due_on=due,
                citations=_citations(schedule),
            )
        _journal(
            case, "reinquiry.scheduled", None, {"dates": list(schedule.value), **_rule_payload(schedule)}
        )


CLOSE_APPROVAL_ACT = "case.close"


@transaction.atomic
def case_close(
    *,
    actor: User,
    case_id: int,
    mode: str,
    ground: str | None = None,
    note: str = "",
    applicant_consents: bool = False,
    on: dt.date | None = None,
) -> EnforcementCase:
    """结案：each mode guarded by its conditions; 终本 without the applicant's consent needs the president."""
    case = _locked(case_id)
    _require_team(actor, case, {Role.JUDGE})
    if case.stage == "closed":
        raise ServiceError("案件已结案", code="closed")
    if mode not in closing_rules.ClosingMode.__members__.values() and mode not in {
        m.value for m in closing_rules.ClosingMode
    }:
        raise ServiceError(f"未知的结案方式「{mode}」", code="bad_mode", field="mode")
    on = on or today()
    result = closing_checklist(case, mode, ground=ground, applicant_consents=applicant_consents, on=on)
    checklist = result.value
    if not checklist.ok:
        missing = "；".join(
            f"{i.title}{('（' + i.detail + '）') if i.detail else ''}" for i in checklist.unmet
        )
        _journal(
            case, "case.close_refused", actor, {"mode": mode, "unmet": [i.code for i in checklist.unmet]}
        )
        raise ServiceError(
            f"不符合结案条件：{missing}",
            code="closing_conditions_unmet",
            unmet=[i.code for i in checklist.unmet],
        )
    if checklist.needs_approval:
        core_services.approval_request(
            actor=actor,
            act=CLOSE_APPROVAL_ACT,
            title=f"{case.case_number} 结案（{closing_rules.ClosingMode(mode).label}）",
            stream=case.stream,
            approver_role=checklist.needs_approval,
            payload={
                "case_id": case.pk,
                "mode": mode,
                "ground": ground,
                "note": note,
                "on": on.isoformat(),
                "citations": _citations(result),
            },
            reason=note,
            court=case.court,
        )
        return case
    _close(
        case,
        mode,
        ground or "",
        actor,
        citations=_citations(result),
        detail=note,
        on=on,
        applicant_consents=applicant_consents,
    )
    return case


@core_services.approval_effect(CLOSE_APPROVAL_ACT)
def _close_after_approval(req: Any) -> None:
    case = _locked(int(req.payload["case_id"]))
    if case.stage == "closed":
        return
    _close(
        case,
        req.payload["mode"],
        req.payload.get("ground") or "",
        req.decided_by,
        citations=req.payload.get("citations", []),
        detail=req.payload.get("note", ""),
        on=dt.date.fromisoformat(req.payload["on"]),
        approval=req,
    )


# --- restoring and objections ---------------------------------------------------------------------


@transaction.atomic
def case_restore(*, actor: User, case_id: int, reason: str, on: dt.date | None = None) -> EnforcementCase:
    """恢复执行：file a new 执恢 case linked to the closed one, carrying its parties and open measures."""
    original = _locked(case_id)
    _require_court(actor, original.court, FILING_ROLES | {Role.JUDGE}, "恢复执行立案")
    if original.stage != "closed" or original.closing_mode not in ("no_assets_closure", "termination"):
        raise ServiceError("只有终结本次执行程序（或因和解终结）的案件可以恢复执行", code="not_restorable")
    if not reason.strip():
        raise ServiceError("请写明恢复执行的理由（发现财产线索等）", code="reason_required", field="reason")
    on = on or today()
    parties = [
        {
            "party_id": cp.party_id,
            "role": cp.role,
            "agent_name": cp.agent_name,
            "agent_phone": cp.agent_phone,
            "address": cp.delivery_address,
        }
        for cp in original.parties.all()
    ]
    new = _case_file(
        actor=actor,
        court=original.court,
        title=original.title,
        parties=parties,
        received_on=on,
        filed_on=on,
        claim_amount=original.claim_amount,
        kind=EnforcementCase.Kind.RESTORED,
        parent=original,
        type_code="执恢",
    )
    open_measures = [
        k
        for k, _, _ in _event_kinds(original)
        if k in ("consumption_restriction.issued", "dishonest_listing.published")
    ]
    _journal(
        new,
        "case.restored_from",
        actor,
        {"original": original.case_number, "reason": reason.strip(), "measures_carried": open_measures},
    )
    _journal(original, "case.restored", actor, {"new_case": new.case_number, "reason": reason.strip()})
    Node.objects.filter(case=original, code="reinquiry", status=Node.Status.OPEN).update(
        status=Node.Status.CANCELLED
    )
    return new


@transaction.atomic
def objection_file(
    *,
    actor: User,
    case_id: int,
    kind: str,
    objector_party_id: int,
    grounds: str,
    received_on: dt.date | None = None,
) -> EnforcementCase:
    """执行异议、复议、案外人异议：a linked review case (执异 / 执复) with its statutory time limits."""
    case = _locked(case_id)
    _require_court(actor, case.court, FILING_ROLES, "受理执行异议")
    try:
        okind = objection_rules.ObjectionKind(kind)
    except ValueError:
        raise ServiceError(f"未知的异议类型「{kind}」", code="bad_kind", field="kind") from None
    if not grounds.strip():
        raise ServiceError("请写明异议请求和理由", code="note_required", field="grounds")
    party = Party.objects.filter(pk=objector_party_id).first()
    if party is None:
        raise ServiceError("异议人不存在", code="bad_party", field="objector")
    received_on = received_on or today()
    court = case.court
    type_code = "执异"
    if okind == objection_rules.ObjectionKind.REVIEW:
        if court.parent is None:
            raise ServiceError("复议由上一级法院审查", code="bad_court")
        court = court.parent
        type_code = "执复"
    deadlines = objection_rules.objection_deadlines(okind.value, received_on=received_on, holidays=CAL())
    role = "third_party" if okind == objection_rules.ObjectionKind.THIRD_PARTY_OBJECTION else "applicant"
    linked = _case_file(
        actor=actor,
        court=court,
        title=case.title,
        parties=[{"party_id": party.pk, "role": role}],
        received_on=received_on,
        filed_on=received_on,
        claim_amount=Decimal("0"),
        kind=EnforcementCase.Kind.REVIEW if type_code == "执复" else EnforcementCase.Kind.OBJECTION,
        parent=case,
        type_code=type_code,
    )
    for code, due in deadlines.value.items():
        Node.objects.create(
            case=linked,
            code=code,
            title=f"{okind.label}·{OBJECTION_NODE_TITLES.get(code, code)}",
            anchor_date=received_on,
            due_on=due,
            citations=_citations(deadlines),
        )
    _move(linked, "in_enforcement", actor)
    _journal(
        linked,
        "objection.filed",
        actor,
        {
            "kind": okind.value,
            "grounds": grounds.strip(),
            "case": case.case_number,
            **_rule_payload(deadlines),
        },
    )
    _journal(case, "objection.received", actor, {"kind": okind.value, "objection_case": linked.case_number})
    return linked


@transaction.atomic
def objection_decide(*, actor: User, case_id: int, upheld: bool, reasons: str) -> EnforcementCase:
    linked = _locked(case_id)
    if linked.kind not in (EnforcementCase.Kind.OBJECTION, EnforcementCase.Kind.REVIEW):
        raise ServiceError("这不是异议或复议案件", code="not_objection")
    _require_court(actor, linked.court, {Role.JUDGE, Role.BUREAU_CHIEF}, "审查执行异议")
    if not reasons.strip():
        raise ServiceError("请写明裁定理由", code="reason_required", field="reasons")
    mode = "objection_upheld" if upheld else "objection_rejected"
    _close(linked, mode, "", actor, citations=[], detail=reasons.strip())
    if linked.parent_id:
        parent = EnforcementCase.objects.get(pk=linked.parent_id)
        _journal(parent, "objection.decided", actor, {"objection_case": linked.case_number, "upheld": upheld})
    return linked


# --- for other apps: acts on a case done through their own services -----------------------------------
CaseClosedListener = Callable[[EnforcementCase, User | None], None]
_CLOSED_LISTENERS: list[CaseClosedListener] = []


def on_case_closed(fn: CaseClosedListener) -> CaseClosedListener:
    """Register a listener run inside the closing transaction (e.g. release of seals when a case ends)."""
    if fn not in _CLOSED_LISTENERS:
        _CLOSED_LISTENERS.append(fn)
    return fn


def case_for_team_act(
    *,
    actor: User,
    case_id: int,
    roles: Iterable[str] = TEAM_ROLES,
    stages: Iterable[str] | None = None,
    what: str = "",
) -> EnforcementCase:
    """The case, locked, after checking the actor acts for its team (and, if given, its stage)."""
    case = _locked(case_id)
    _require_team(actor, case, roles)
    if stages is not None and case.stage not in set(stages):
        raise ServiceError(
            f"案件处于「{case.get_stage_display()}」阶段，不能{what or '办理此事项'}", code="illegal_stage"
        )
    return case


def case_event_record(
    *, case: EnforcementCase, kind: str, actor: User | None, payload: dict[str, Any] | None = None
) -> None:
    """Journal an act another app did on the case; an act of the case's catalogue also completes its nodes."""
    act = ACTS.get(kind)
    payload = dict(payload or {})
    if act is not None and act.completes:
        on = payload.get("on") or today()
        Node.objects.filter(case=case, code__in=act.completes, status=Node.Status.OPEN).update(
            status=Node.Status.DONE, done_on=on, alert=Node.Alert.NONE
        )
    _journal(case, kind, actor, payload)


def case_recipients(case: EnforcementCase, *, roles: tuple[str, ...] = (CaseParty.Role.DEBTOR,)) -> list[Any]:
    """The recipients of a document another app issues on the case (debtors by default)."""
    return _recipients(case, roles=roles)


def case_node_open(
    *,
    case: EnforcementCase,
    code: str,
    ref: str,
    title: str,
    anchor_date: dt.date,
    due_on: dt.date,
    citations: list[dict[str, Any]],
) -> Node:
    """Open a node another app tracks (once per code and ref while it is open)."""
    node = Node.objects.filter(case=case, code=code, ref=ref, status=Node.Status.OPEN).first()
    if node is None:
        node = Node.objects.create(
            case=case,
            code=code,
            ref=ref,
            title=title[:64],
            anchor_date=anchor_date,
            due_on=due_on,
            citations=citations,
        )
        refresh_case_alerts(case.pk)
    return node


def case_node_finish(*, case: EnforcementCase, code: str, ref: str, done: bool = True) -> int:
    """Close the open node (done, or cancelled when it no longer applies)."""
    fields: dict[str, Any] = {"alert": Node.Alert.NONE}
    if done:
        fields.update(status=Node.Status.DONE, done_on=today())
    else:
        fields.update(status=Node.Status.CANCELLED)
    n = Node.objects.filter(case=case, code=code, ref=ref, status=Node.Status.OPEN).update(**fields)
    if n:
        refresh_case_alerts(case.pk)
    return n
