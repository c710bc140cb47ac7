"""把 YAML 案例中的普通值（字符串、列表、映射）转换为规则的输入和可比较的输出。

YAML gives dates, numbers, strings, lists and mappings; the rules take dataclasses, Decimal and
tuples. Each adapter builds the facts, calls the rule and returns a ``RuleResult`` whose value is
a namespace of plain values (lists, strings for money) so that ``expect`` can compare fields.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from zhixing.rules import closing, filing, funds, measures, objections, settlement, triage, upper_court
from zhixing.rules.results import RuleResult


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple | list | frozenset | set):
        return [_plain(v) for v in value]
    return value


def _with_value(result: RuleResult[Any], **fields: Any) -> RuleResult[Any]:
    return dataclasses.replace(result, value=SimpleNamespace(**{k: _plain(v) for k, v in fields.items()}))


def closing_check(mode: str, on: date, facts: Mapping[str, Any]) -> RuleResult[Any]:
    data = dict(facts)
    if "outstanding_amount" in data:
        data["outstanding_amount"] = Decimal(str(data["outstanding_amount"]))
    result = closing.closing_check(mode, closing.ClosingFacts(**data), on=on)
    checklist = result.value
    return _with_value(
        result, ok=checklist.ok, unmet_codes=checklist.unmet_codes, needs_approval=checklist.needs_approval
    )


def reinquiry_schedule(closed_on: date) -> RuleResult[Any]:
    result: RuleResult[Any] = closing.reinquiry_schedule(closed_on)
    return dataclasses.replace(result, value=list(result.value))


def triage_case(
    claim_amount: str | int,
    debtor_kinds: Sequence[str],
    on: date,
    known_assets: int = 0,
    other_open_cases_against_debtors: int = 0,
    has_non_money_obligation: bool = False,
) -> RuleResult[Any]:
    facts = triage.TriageFacts(
        claim_amount=Decimal(str(claim_amount)),
        debtor_kinds=tuple(debtor_kinds),
        known_assets=known_assets,
        other_open_cases_against_debtors=other_open_cases_against_debtors,
        has_non_money_obligation=has_non_money_obligation,
    )
    result = triage.triage(facts, on=on)
    outcome = result.value
    return _with_value(
        result,
        track=outcome.track,
        score=outcome.score,
        reasons=[r.text for r in outcome.reasons],
    )


def settlement_state(
    instalments: Sequence[Sequence[Any]], payments: Sequence[Sequence[Any]], on: date
) -> RuleResult[Any]:
    result = settlement.settlement_state(
        [settlement.Instalment(d, Decimal(str(a))) for d, a in instalments],
        [settlement.Payment(d, Decimal(str(a))) for d, a in payments],
        on=on,
    )
    state = result.value
    return _with_value(
        result,
        paid=state.paid,
        due_so_far=state.due_so_far,
        outstanding=state.outstanding,
        defaulted=state.defaulted,
        fully_performed=state.fully_performed,
        first_missed_due_on=state.first_missed.due_on if state.first_missed else None,
        first_missed_grace_until=state.first_missed_grace_until,
    )


def objection_deadlines(kind: str, received_on: date) -> RuleResult[Any]:
    result = objections.objection_deadlines(kind, received_on=received_on)
    return _with_value(result, **result.value)


def _title(title: Mapping[str, Any]) -> filing.TitleFacts:
    return filing.TitleFacts(**title)


def application_deadline(title: Mapping[str, Any], interrupted_on: date | None = None) -> RuleResult[Any]:
    return filing.application_deadline(_title(title), interrupted_on=interrupted_on)


def filing_check(
    title: Mapping[str, Any],
    court_code: str,
    jurisdiction_basis: str,
    materials: Sequence[str],
    received_on: date,
    on: date,
    limitation_interrupted_on: date | None = None,
) -> RuleResult[Any]:
    facts = filing.FilingFacts(
        title=_title(title),
        court_code=court_code,
        jurisdiction_basis=jurisdiction_basis,
        materials=frozenset(materials),
        received_on=received_on,
        limitation_interrupted_on=limitation_interrupted_on,
    )
    result = filing.filing_check(facts, on=on)
    decision = result.value
    return _with_value(
        result,
        accept=decision.accept,
        refusal_codes=decision.refusal_codes,
        warning_codes=decision.warning_codes,
        non_litigation=decision.non_litigation,
        application_deadline=decision.application_deadline,
    )


def check_transition(current: str, target: str) -> str:
    """Returns "allowed" when the transition passes (the rule itself returns None)."""
    from zhixing.rules.stages import check_transition as check

    check(current, target)
    return "allowed"


def suspension_ground(code: str) -> str:
    """The Chinese text of a suspension ground (citations checked in the unit tests)."""
    from zhixing.rules.suspension import suspension_ground as ground

    return ground(code)[0]


def enforcement_fee(amount: str | int, on: date) -> RuleResult[Any]:
    result: RuleResult[Any] = funds.enforcement_fee(Decimal(str(amount)), on=on)
    return dataclasses.replace(result, value=str(result.value))


def delay_interest(
    principal: str | int, due_on: date, until: date, payments: Sequence[Sequence[Any]] = ()
) -> RuleResult[Any]:
    result = funds.delay_interest(
        principal=Decimal(str(principal)),
        due_on=due_on,
        payments=[(d, Decimal(str(a))) for d, a in payments],
        until=until,
    )
    interest = result.value
    return _with_value(
        result,
        total=interest.total,
        periods=[[p.start, p.end, str(p.base), p.days, str(p.amount)] for p in interest.periods],
        unpaid_principal=interest.unpaid_principal,
    )


def distribution_plan(
    proceeds: str | int,
    claims: Sequence[Mapping[str, Any]],
    debtor_kind: str,
    on: date,
    insolvent: bool = False,
    single_title: bool = False,
) -> RuleResult[Any]:
    def claim(data: Mapping[str, Any]) -> funds.Claim:
        fields = dict(data)
        fields["amount"] = Decimal(str(fields["amount"]))
        if fields.get("principal") is not None:
            fields["principal"] = Decimal(str(fields["principal"]))
        return funds.Claim(**fields)

    result = funds.distribution_plan(
        proceeds=Decimal(str(proceeds)),
        claims=[claim(c) for c in claims],
        debtor_kind=debtor_kind,
        on=on,
        insolvent=insolvent,
        single_title=single_title,
    )
    plan = result.value
    return _with_value(
        result,
        allocations=[[line.creditor, str(line.allocated)] for line in plan.lines],
        surplus=plan.surplus,
        method=plan.ordinary_method,
        warning_codes=plan.warning_codes,
    )


def distribution_objection_deadlines(
    served_on: date,
    objection_notice_served_on: date | None = None,
    counter_objection_notice_served_on: date | None = None,
) -> RuleResult[Any]:
    result = funds.distribution_objection_deadlines(
        served_on,
        objection_notice_served_on=objection_notice_served_on,
        counter_objection_notice_served_on=counter_objection_notice_served_on,
    )
    return _with_value(result, **result.value)


def enforcement_fee_without_amount(on: date) -> RuleResult[Any]:
    result = funds.enforcement_fee_without_amount(on=on)
    low, high = result.value
    return _with_value(result, min=low, max=high)


# --- measures (限制消费、失信、罚款、拘留、移送) ---------------------------------------------------------


def _measure_facts(facts: Mapping[str, Any]) -> measures.MeasureFacts:
    data = dict(facts)
    data.setdefault("debtor_birth_date", None)
    data.setdefault("notice_delivered_on", None)
    data.setdefault("fully_performed", False)
    for key in ("outstanding", "controlled_value", "assets_found_value", "monthly_income"):
        if data.get(key) is not None:
            data[key] = Decimal(str(data[key]))
    data["spending"] = tuple(data.get("spending", ()))
    data["sanctions"] = tuple(measures.Sanction(**s) for s in data.get("sanctions", ()))
    return measures.MeasureFacts(**data)


def _decision(result: RuleResult[measures.Decision]) -> RuleResult[Any]:
    decision = result.value
    return _with_value(
        result,
        status=decision.status,
        ground=decision.ground,
        term_years=decision.term_years,
        reasons=decision.reasons,
    )


def measures_listing(facts: Mapping[str, Any], on: date) -> RuleResult[Any]:
    return _decision(measures.listing(_measure_facts(facts), on=on))


def measures_consumption_restriction(facts: Mapping[str, Any], on: date) -> RuleResult[Any]:
    return _decision(measures.consumption_restriction(_measure_facts(facts), on=on))


def measures_lifting_restriction(facts: Mapping[str, Any], on: date) -> RuleResult[Any]:
    return _decision(measures.lifting_restriction(_measure_facts(facts), on=on))


def measures_criminal_referral(facts: Mapping[str, Any], on: date) -> RuleResult[Any]:
    return _decision(measures.criminal_referral(_measure_facts(facts), on=on))


def measures_bound_persons(debtor_kind: str) -> RuleResult[Any]:
    result: RuleResult[Any] = measures.bound_persons(debtor_kind)
    return dataclasses.replace(result, value=list(result.value))


def measures_deletion(
    facts: Mapping[str, Any], listed_on: date, on: date, term_years: int | None = None
) -> RuleResult[Any]:
    result = measures.deletion(_measure_facts(facts), listed_on=listed_on, term_years=term_years, on=on)
    ground, delete_by = result.value if result.value is not None else (None, None)
    return _with_value(result, ground=ground, delete_by=delete_by)


def measures_sanction_check(
    kind: str,
    subject_kind: str,
    amount: str | int,
    act: str,
    on: date,
    previous: Sequence[Mapping[str, Any]] = (),
) -> RuleResult[Any]:
    value: Decimal | int = int(amount) if kind == "detention" else Decimal(str(amount))
    return _decision(
        measures.sanction_check(
            kind,
            subject_kind,
            value,
            act,
            previous=tuple(measures.Sanction(**s) for s in previous),
            on=on,
        )
    )


def measures_correction_deadlines(
    applied_on: date,
    justified_on: date | None = None,
    rejection_served_on: date | None = None,
    reconsideration_received_on: date | None = None,
) -> RuleResult[Any]:
    result = measures.correction_deadlines(
        applied_on,
        justified_on=justified_on,
        rejection_served_on=rejection_served_on,
        reconsideration_received_on=reconsideration_received_on,
    )
    return _with_value(result, **result.value)


def upper_court_grounds(power: str, on: date, facts: Mapping[str, Any]) -> RuleResult[Any]:
    data = dict(facts)
    data["excluded"] = tuple(tuple(pair) for pair in data.get("excluded", ()))
    result = upper_court.elevation_grounds(upper_court.UpperCourtFacts(**data), on=on, power=power)
    g = result.value
    return _with_value(
        result,
        allowed=g.allowed,
        must_escalate=g.must_escalate,
        basis=g.basis,
        period_end=g.period_end,
        refusal_codes=[f.code for f in g.refusals],
    )
