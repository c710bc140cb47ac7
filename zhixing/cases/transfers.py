"""上级法院对执行案件的监督权 — 督促执行令、提级执行、指定执行、交叉执行（民事诉讼法第237条）。

The acts of an upper court on a lower court's enforcement case (rules: :mod:`zhixing.rules.upper_court`):

* :func:`case_urge` — 督促执行令: the enforcing court must enforce within a time limit. A node
  ``urging_deadline`` runs on the case; the order is issued by the upper court and delivered to the
  enforcing court, and the applicant is notified in writing (督促执行通知书).
* :func:`case_escalate` (提级执行), :func:`case_designate` (指定执行), :func:`case_cross_enforce` (交叉执行):
  by a ruling served on the parties, the case moves to another court. The mechanism is the one of
  委托执行: an application lands in the new court's filing queue (``channel`` = the power, ``origin_case``
  = this case); when that court files it, the origin is closed as 销案 with the ground ``escalated`` /
  ``designated`` / ``cross_enforced`` (``services.application_accept``).

Who: the supervisor, president or bureau chief of a court above the enforcing court. Every act is
journalled on the case's stream with the citations and parameters the decision relied on.

This module is imported only by its tests, the case API and page, and the command center.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from zhixing.cases import services
from zhixing.cases.models import CaseApplication, CaseParty, EnforcementCase, Node
from zhixing.core.errors import Conflict, NotFound, PermissionDenied, ServiceError
from zhixing.core.journal import journal_append
from zhixing.core.models import Court, JournalEvent, User
from zhixing.core.roles import Role
from zhixing.rules import upper_court as rules
from zhixing.rules.filing import UPPER_COURT_ORDER
from zhixing.rules.params import NoValueInForce, param
from zhixing.rules.provisional import is_provisional
from zhixing.rules.results import RuleResult
from zhixing.rules.results import citations_json as _citations
from zhixing.rules.upper_court import Power

__all__ = [
    "EVENTS",
    "UPPER_COURT_ROLES",
    "URGING_NODE",
    "case_cross_enforce",
    "case_designate",
    "case_escalate",
    "case_urge",
    "grounds_for",
    "powers_taken",
]

UPPER_COURT_ROLES = frozenset({Role.SUPERVISOR, Role.PRESIDENT, Role.BUREAU_CHIEF})
URGING_NODE = "urging_deadline"
#: The journal event on the enforcing court's case for each power.
EVENTS = {
    Power.URGING: "case.urged",
    Power.ESCALATION: "case.escalated",
    Power.DESIGNATION: "case.designated",
    Power.CROSS_ENFORCEMENT: "case.cross_enforced",
}
#: Linked review cases (执异、执复) are not enforcement cases of CPL Art. 237.
_NOT_ENFORCEMENT = (EnforcementCase.Kind.OBJECTION, EnforcementCase.Kind.REVIEW)


# --- checks ---------------------------------------------------------------------------------------
def _ref(court: Court) -> rules.CourtRef:
    return rules.CourtRef(code=court.court_code, path=court.path, level=court.level)


def _require_upper_court(actor: User, case: EnforcementCase, power: Power) -> Court:
    """The actor decides for a court above the case's court, in one of the deciding roles."""
    what = power.label
    court = actor.court if actor.is_active else None
    if court is None:
        raise NotFound()
    origin = case.court
    if court.pk == origin.pk:
        raise PermissionDenied(
            f"{what}由上级人民法院决定；本院不能对本院执行的案件{what}（可以报请上级法院）",
            code="own_court",
        )
    if rules.is_upper_court(_ref(court), _ref(origin)):
        if actor.role not in UPPER_COURT_ROLES:
            roles = "、".join(str(Role(r).label) for r in sorted(UPPER_COURT_ROLES))
            raise PermissionDenied(f"{what}须由上级法院的{roles}决定", code="forbidden")
        return court
    if rules.is_upper_court(_ref(origin), _ref(court)):
        raise PermissionDenied(f"下级法院不能对上级法院执行的案件{what}", code="lower_court")
    raise NotFound()  # another branch of the tree: the case is not in the actor's view at all


def _open_case(case_id: int, actor: User, power: Power) -> tuple[EnforcementCase, Court]:
    case = services._locked(case_id)
    decider = _require_upper_court(actor, case, power)
    if case.kind in _NOT_ENFORCEMENT:
        raise ServiceError(f"执行异议、复议案件不适用{power.label}", code="not_enforcement_case")
    if case.stage == "closed":
        raise ServiceError(f"案件已结案，不能{power.label}", code="closed")
    pending = case.delegations.filter(status=CaseApplication.Status.PENDING).first()
    if pending is not None:
        raise Conflict(
            f"该案件已{pending.get_channel_display()}至{pending.court.name}，待其立案",
            code="transfer_pending",
        )
    return case, decider


def _reason(reason: str, power: Power) -> str:
    text = (reason or "").strip()
    if not text:
        hint = "（不得以指定执行拖延执行）" if power == Power.DESIGNATION else ""
        raise ServiceError(f"{power.label}须写明理由{hint}", code="reason_required", field="reason")
    return text if text[-1] in "。！？；.!?" else text + "。"


def _facts(case: EnforcementCase, on: dt.date) -> rules.UpperCourtFacts:
    excluded = tuple((s.started_on, s.ended_on or on) for s in case.suspensions.all() if s.started_on <= on)
    last_order = case.nodes.filter(code=URGING_NODE).order_by("-due_on", "-id").first()
    return rules.UpperCourtFacts(
        received_on=case.received_on,
        closed=case.stage == "closed",
        excluded=excluded,
        urging_deadline=last_order.due_on if last_order else None,
    )


def grounds_for(case: EnforcementCase, power: Power | str, *, on: dt.date | None = None) -> RuleResult[Any]:
    """May the upper court use ``power`` on this case (and must it escalate)? For pages and reports."""
    on = on or services.today()
    facts = _facts(case, on)
    try:
        return rules.elevation_grounds(facts, on=on, power=Power(power))
    except NoValueInForce as e:
        raise ServiceError(str(e), code="no_value_in_force") from e


def _checked_grounds(case: EnforcementCase, power: Power, on: dt.date) -> RuleResult[Any]:
    result = grounds_for(case, power, on=on)
    grounds: rules.Grounds = result.value
    if not grounds.allowed:
        raise ServiceError(
            grounds.message,
            code=grounds.refusals[0].code,
            must_escalate=grounds.must_escalate,
            period_end=grounds.period_end.isoformat(),
        )
    return result


# --- documents ------------------------------------------------------------------------------------
def _names(case: EnforcementCase, role: str) -> list[str]:
    return [cp.party.name for cp in case.parties.filter(role=role).select_related("party")]


def _title_description(case: EnforcementCase) -> str:
    t = case.title
    return f"{t.issuing_body}{t.document_number}{t.get_kind_display()}"


def _court_recipient(court: Court, role_label: str) -> list[Any]:
    """A court is told on the platform: electronically to its bureau chief (else its president)."""
    from zhixing.documents.services import Recipient

    for role in (Role.BUREAU_CHIEF, Role.PRESIDENT):
        user = User.objects.filter(court=court, role=role, is_active=True).order_by("pk").first()
        if user is not None:
            return [Recipient(name=court.name, channel="electronic", user=user, role_label=role_label)]
    return []


def _issue(
    actor: User,
    decider: Court,
    case: EnforcementCase,
    kind: str,
    context: dict[str, Any],
    recipients: list[Any],
    *,
    on: dt.date,
) -> Any:
    """The upper court's document, filed in the case's electronic file (its stream)."""
    from zhixing.documents.services import document_issue

    return document_issue(
        actor=actor,
        kind=kind,
        court=decider,
        stream=case.stream,
        case_number=case.case_number,
        context=context,
        recipients=recipients,
        on=on,
    )


# --- 督促执行令 --------------------------------------------------------------------------------------
@transaction.atomic
def case_urge(*, actor: User, case_id: int, days: int, reason: str, on: dt.date | None = None) -> Node:
    """督促执行令：责令执行法院在 days 日内执行（超过六个月未执行；CPL Art. 237, EXEC-PROC Arts. 10–12）."""
    power = Power.URGING
    case, decider = _open_case(case_id, actor, power)
    text = _reason(reason, power)
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise ServiceError("督促执行的期限应为正整数日", code="bad_days", field="days")
    on = on or services.today()
    grounds = _checked_grounds(case, power, on)
    deadline = rules.urging_deadline(on=on, days=days, holidays=services.CAL())
    applicants = _names(case, CaseParty.Role.APPLICANT)
    order = _issue(
        actor,
        decider,
        case,
        "urging_order",
        {
            "enforcing_court_name": case.court.name,
            "applicant_names": applicants,
            "debtor_names": _names(case, CaseParty.Role.DEBTOR),
            "title_description": _title_description(case),
            "received_on": case.received_on,
            "months": param("upper_court_application_months", on=case.received_on),
            "days": days,
            "deadline": deadline.value,
            "reason": text,
        },
        _court_recipient(case.court, "执行法院"),
        on=on,
    )
    notice = _issue(
        actor,
        decider,
        case,
        "urging_notice",
        {
            "applicant_names": applicants,
            "enforcing_court_name": case.court.name,
            "order_number": order.number,
            "deadline": deadline.value,
        },
        services.case_recipients(case, roles=(CaseParty.Role.APPLICANT,)),
        on=on,
    )
    citations = _citations(grounds, deadline)
    node = Node.objects.create(
        case=case,
        code=URGING_NODE,
        ref=order.number[:48],
        title=f"督促执行令期限（{decider.short_name}）"[:64],
        anchor_date=on,
        due_on=deadline.value,
        provisional=is_provisional(deadline),
        citations=citations,
    )
    services._journal(
        case,
        EVENTS[power],
        actor,
        {
            "on": on,
            "by": decider.court_code,
            "days": days,
            "deadline": deadline.value,
            "reason": text,
            "order_number": order.number,
            "notice_number": notice.number,
            "basis": grounds.value.basis,
            "must_escalate": grounds.value.must_escalate,
            "period_end": grounds.value.period_end,
            **services._rule_payload(grounds),
            "citations": citations,
            "provisional": is_provisional(deadline),
        },
    )
    return node


# --- 提级执行、指定执行、交叉执行 --------------------------------------------------------------------------
def _target(
    power: Power, decider: Court, case: EnforcementCase, to_court_code: str | None, on: dt.date
) -> Court:
    if power == Power.ESCALATION:
        target: Court | None = decider
    else:
        code = (to_court_code or "").strip()
        if not code:
            raise ServiceError(f"{power.label}须写明执行法院", code="missing_field", field="to_court_code")
        target = Court.objects.filter(court_code=code).first()
        if target is None:
            raise ServiceError(f"未知的法院代字「{code}」", code="bad_court", field="to_court_code")
    assert target is not None
    try:
        problems = rules.target_problems(
            power, decider=_ref(decider), origin=_ref(case.court), target=_ref(target), on=on
        ).value
    except NoValueInForce as e:
        raise ServiceError(str(e), code="no_value_in_force") from e
    if problems:
        raise ServiceError(
            "；".join(p.message for p in problems), code=problems[0].code, field="to_court_code"
        )
    return target


def _transfer(
    *, actor: User, case_id: int, power: Power, to_court_code: str | None, reason: str, on: dt.date | None
) -> CaseApplication:
    case, decider = _open_case(case_id, actor, power)
    text = _reason(reason, power)
    on = on or services.today()
    target = _target(power, decider, case, to_court_code, on)
    grounds = _checked_grounds(case, power, on)
    g: rules.Grounds = grounds.value
    last_order = case.nodes.filter(code=URGING_NODE).order_by("-due_on", "-id").first()
    urged = g.basis == "urging_unmet" and last_order is not None
    parties = (CaseParty.Role.APPLICANT, CaseParty.Role.DEBTOR)
    recipients = services.case_recipients(case, roles=parties) + _court_recipient(case.court, "原执行法院")
    if target.pk != decider.pk:
        recipients += _court_recipient(target, "执行法院")
    ruling = _issue(
        actor,
        decider,
        case,
        "transfer_ruling",
        {
            "power": power.value,
            "applicant_names": _names(case, CaseParty.Role.APPLICANT),
            "debtor_names": _names(case, CaseParty.Role.DEBTOR),
            "enforcing_court_name": case.court.name,
            "title_description": _title_description(case),
            "target_court_name": target.name,
            "reason": text,
            "received_on": case.received_on,
            "months": param("upper_court_application_months", on=case.received_on),
            "urging_order_number": last_order.ref if urged and last_order else "",
            "urging_deadline": last_order.due_on if urged and last_order else "",
        },
        recipients,
        on=on,
    )
    app = services.transfer_application_create(
        case=case,
        target=target,
        actor=actor,
        channel=power.value,
        jurisdiction_basis=UPPER_COURT_ORDER,
        on=on,
    )
    citations = _citations(grounds)
    journal_append(
        stream=f"application:{app.pk}",
        kind="application.submitted",
        actor=actor,
        court=target,
        payload={
            "channel": power.value,
            "title": str(case.title),
            "origin": case.case_number,
            "ruling_number": ruling.number,
            "acceptance_due_on": app.acceptance_due_on,
        },
    )
    # the urging order's time limit is answered by the ruling
    Node.objects.filter(case=case, code=URGING_NODE, status=Node.Status.OPEN).update(
        status=Node.Status.DONE, done_on=on, alert=Node.Alert.NONE
    )
    services._journal(
        case,
        EVENTS[power],
        actor,
        {
            "on": on,
            "by": decider.court_code,
            "to": target.court_code,
            "to_name": target.name,
            "reason": text,
            "basis": g.basis,
            "must_escalate": g.must_escalate,
            "period_end": g.period_end,
            "urging_order_number": last_order.ref if urged and last_order else None,
            "ruling_number": ruling.number,
            "application_id": app.pk,
            **services._rule_payload(grounds),
            "citations": citations,
        },
    )
    return app


@transaction.atomic
def case_escalate(*, actor: User, case_id: int, reason: str, on: dt.date | None = None) -> CaseApplication:
    """提级执行：the upper court enforces the case itself (ruling served on the parties)."""
    return _transfer(
        actor=actor, case_id=case_id, power=Power.ESCALATION, to_court_code=None, reason=reason, on=on
    )


@transaction.atomic
def case_designate(
    *, actor: User, case_id: int, to_court_code: str, reason: str, on: dt.date | None = None
) -> CaseApplication:
    """指定执行：another court of the upper court's district enforces the case (a reason: not to delay)."""
    return _transfer(
        actor=actor,
        case_id=case_id,
        power=Power.DESIGNATION,
        to_court_code=to_court_code,
        reason=reason,
        on=on,
    )


@transaction.atomic
def case_cross_enforce(
    *, actor: User, case_id: int, to_court_code: str, reason: str, on: dt.date | None = None
) -> CaseApplication:
    """交叉执行（试点）：a court of the same level in the district enforces the case; criteria unverified."""
    return _transfer(
        actor=actor,
        case_id=case_id,
        power=Power.CROSS_ENFORCEMENT,
        to_court_code=to_court_code,
        reason=reason,
        on=on,
    )


# --- reading ----------------------------------------------------------------------------------------
def powers_taken(case: EnforcementCase) -> list[JournalEvent]:
    """The upper court's acts on this case, oldest first (the case was fetched through a scoped read)."""
    return list(
        JournalEvent.objects.filter(stream=case.stream, kind__in=EVENTS.values())
        .select_related("actor", "actor__court")
        .order_by("seq")
    )
