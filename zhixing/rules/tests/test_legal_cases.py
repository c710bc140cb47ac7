"""法律案例：运行 cases/*.yaml 中律师可读的案例（每个案例注明所依据的条文）。"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from zhixing.rules import (
    calendar,
    case_numbers,
    deadlines,
    funds,
    nodes,
    objections,
    settlement,
    stages,
    suspension,
)
from zhixing.rules.params import NoValueInForce
from zhixing.rules.results import RuleResult
from zhixing.rules.tests import legal_case_adapters as adapters

CASES_DIR = Path(__file__).parent / "cases"

RULES: Mapping[str, Callable[..., Any]] = {
    "add_days": calendar.add_days,
    "add_months": calendar.add_months,
    "add_years": calendar.add_years,
    "add_working_days": calendar.add_working_days,
    "working_days_between": calendar.working_days_between,
    "deadline_with_suspensions": calendar.deadline_with_suspensions,
    "is_workday": calendar.is_workday,
    "enforcement_deadline": deadlines.enforcement_deadline,
    "statutory_deadline": deadlines.statutory_deadline,
    "parse_case_number": case_numbers.parse,
    "node_deadline": nodes.node_deadline,
    "closing_check": adapters.closing_check,
    "reinquiry_schedule": adapters.reinquiry_schedule,
    "triage": adapters.triage_case,
    "settlement_state": adapters.settlement_state,
    "restoration_deadline": settlement.restoration_deadline,
    "objection_deadlines": adapters.objection_deadlines,
    "review_application_deadline": objections.review_application_deadline,
    "application_deadline": adapters.application_deadline,
    "filing_check": adapters.filing_check,
    "check_transition": adapters.check_transition,
    "suspension_ground": adapters.suspension_ground,
    "enforcement_fee": adapters.enforcement_fee,
    "enforcement_fee_without_amount": adapters.enforcement_fee_without_amount,
    "delay_interest": adapters.delay_interest,
    "payout_deadline": funds.payout_deadline,
    "distribution_plan": adapters.distribution_plan,
    "distribution_objection_deadlines": adapters.distribution_objection_deadlines,
    "measures_listing": adapters.measures_listing,
    "measures_consumption_restriction": adapters.measures_consumption_restriction,
    "measures_lifting_restriction": adapters.measures_lifting_restriction,
    "measures_criminal_referral": adapters.measures_criminal_referral,
    "measures_bound_persons": adapters.measures_bound_persons,
    "measures_deletion": adapters.measures_deletion,
    "measures_sanction_check": adapters.measures_sanction_check,
    "measures_correction_deadlines": adapters.measures_correction_deadlines,
    "upper_court_grounds": adapters.upper_court_grounds,
}

ERRORS: Mapping[str, type[Exception]] = {
    "CalendarUnknownYear": calendar.CalendarUnknownYear,
    "CaseNumberError": case_numbers.CaseNumberError,
    "NoValueInForce": NoValueInForce,
    "StageError": stages.StageError,
    "UnknownSuspensionGround": suspension.UnknownSuspensionGround,
    "ValueError": ValueError,
}

REQUIRED_KEYS = {"title", "cites", "rule", "input", "expect"}


def _load_cases() -> list[Any]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            cases.append(pytest.param(case, id=f"{path.stem}: {case.get('title')}"))
    return cases


CASES = _load_cases()


def test_cases_exist_and_titles_are_unique() -> None:
    titles = [p.values[0]["title"] for p in CASES]
    assert len(titles) >= 30
    assert len(titles) == len(set(titles))


@pytest.mark.parametrize("case", CASES)
def test_legal_case(case: dict[str, Any]) -> None:
    assert set(case) == REQUIRED_KEYS, f"案例字段应为 {sorted(REQUIRED_KEYS)}"
    assert isinstance(case["cites"], str) and case["cites"], "案例必须注明所依据的条文（cites）"
    assert case["rule"] in RULES, f"未知的规则「{case['rule']}」，可用：{sorted(RULES)}"
    rule = RULES[case["rule"]]
    expect = case["expect"]

    if isinstance(expect, Mapping) and "error" in expect:
        with pytest.raises(ERRORS[expect["error"]]) as caught:
            rule(**case["input"])
        assert expect.get("message_contains", "") in str(caught.value)
        return

    result = rule(**case["input"])
    if isinstance(result, RuleResult):
        cited = [str(c) for c in result.citations]
        assert case["cites"] in cited, f"结果应引用「{case['cites']}」，实际引用：{cited}"
        result = result.value
    if isinstance(expect, Mapping):
        for field, expected in expect.items():
            actual = getattr(result, field)
            if callable(actual):
                actual = actual()
            assert actual == expected, f"{field}: {actual!r} != {expected!r}"
    else:
        assert result == expect
