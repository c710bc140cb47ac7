"""KPI definitions (rules reference §16): formulas, empty denominators, additivity of roll-ups, targets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhixing.rules import kpis
from zhixing.rules.kpis import Totals

T = Totals(
    pending_at_start=40,
    filed=60,
    closed=80,
    closed_fully_performed=30,
    closed_termination_with_payment=2,
    closed_no_assets=40,
    no_assets_checked=20,
    no_assets_compliant=19,
    closed_within_period=70,
    with_property=35,
    with_property_executed_in_period=32,
    days_to_close=80 * 95,
    amount_applied=Decimal("1000000"),
    amount_recovered=Decimal("456789.12"),
    titles_with_payment=200,
    titles_enforced=90,
    petitions_received=10,
    petitions_concluded=9,
)


@pytest.mark.parametrize(
    ("code", "value"),
    [
        ("closure_rate", Decimal("80.00")),
        ("actual_closure_rate", Decimal("40.00")),
        ("full_performance_rate", Decimal("37.50")),
        ("recovery_rate", Decimal("45.68")),
        ("no_assets_closure_rate", Decimal("50.00")),
        ("no_assets_closure_compliance_rate", Decimal("95.00")),
        ("on_time_closure_rate", Decimal("87.50")),
        ("property_cases_on_time_rate", Decimal("91.43")),
        ("overall_closure_rate", Decimal("90.00")),  # (40 终本 + 32 executed in time) ÷ 80 closings
        ("mean_days_to_close", Decimal("95.0")),
        ("voluntary_performance_rate", Decimal("55.00")),
        ("petition_conclusion_rate", Decimal("90.00")),
    ],
)
def test_each_kpi_by_its_formula(code: str, value: Decimal) -> None:
    result = kpis.kpi(code, T)
    assert result.value == value
    assert result.citations and kpis.KPIS[code].label and kpis.KPIS[code].formula


def test_an_empty_denominator_is_no_value_not_zero() -> None:
    for code in kpis.KPIS:
        assert kpis.kpi(code, Totals()).value is None


def test_unverified_definitions_are_marked() -> None:
    assert not kpis.KPIS["voluntary_performance_rate"].verified
    assert kpis.KPIS["recovery_rate"].verified
    assert all(c.marker == "U" for c in kpis.KPIS["closure_rate"].citations)
    with pytest.raises(ValueError, match="未定义"):
        kpis.kpi("happiness", T)


def test_targets_of_basically_solving_enforcement_difficulty() -> None:
    on = date(2018, 6, 30)
    assert kpis.meets_target("no_assets_closure_compliance_rate", Decimal("95"), on=on).value is True
    assert kpis.meets_target("property_cases_on_time_rate", Decimal("89.99"), on=on).value is False
    assert kpis.meets_target("overall_closure_rate", Decimal("80"), on=on).value is True
    assert kpis.meets_target("closure_rate", Decimal("50"), on=on).value is None
    result = kpis.meets_target("overall_closure_rate", None, on=on)
    assert result.value is None and result.parameters_used[0].name == "kpi_targets"


counts = st.integers(min_value=0, max_value=10_000)


@given(st.lists(st.tuples(counts, counts, counts), min_size=1, max_size=20))
def test_roll_ups_add_up_to_the_whole(days: list[tuple[int, int, int]]) -> None:
    """A KPI over a month equals the KPI over the sum of its days' totals (the roll-ups are additive)."""
    parts = [Totals(filed=f, closed=min(c, f), closed_fully_performed=min(p, c, f)) for f, c, p in days]
    whole = sum(parts[1:], parts[0])
    assert whole.filed == sum(p.filed for p in parts)
    assert kpis.kpi("closure_rate", whole).value == kpis._ratio(whole.closed, whole.filed)
