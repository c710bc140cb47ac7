"""结案审查清单与终本后定期查询。"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhixing.rules.closing import (
    CLOSING_MODE_LABELS,
    DISMISSAL_GROUNDS,
    REFUSAL_GROUNDS,
    TERMINATION_GROUNDS,
    WITHDRAWAL_GROUNDS,
    ClosingFacts,
    ClosingMode,
    closing_check,
    reinquiry_schedule,
    shift_months,
)

COMPLETE = ClosingFacts(
    filed_on=date(2024, 1, 15),
    performance_notice_issued=True,
    asset_report_order_issued=True,
    asset_report_handled=True,
    network_inquiries=1,
    last_network_inquiry_on=date(2024, 4, 1),
    consumption_restriction_issued=True,
    applicant_interviewed=True,
    outstanding_amount=Decimal("50000.00"),
    applicant_consents=True,
)


def test_labels() -> None:
    assert set(CLOSING_MODE_LABELS) == set(ClosingMode)
    assert ClosingMode.NO_ASSETS_CLOSURE.label == "终结本次执行程序"


def test_complete_no_assets_closure() -> None:
    result = closing_check("no_assets_closure", COMPLETE, on=date(2024, 4, 16))
    checklist = result.value
    assert checklist.ok and checklist.unmet == () and checklist.needs_approval is None
    assert checklist.summary == "符合「终结本次执行程序」的结案条件"
    assert {p.name for p in result.parameters_used} == {
        "no_assets_closure_min_months",
        "no_assets_network_inquiry_recency_months",
    }
    assert "民法典（2020）第1259条" in result.citation_text()


def test_exactly_three_months_is_not_more_than_three_months() -> None:
    checklist = closing_check("no_assets_closure", COMPLETE, on=date(2024, 4, 15)).value
    assert checklist.unmet_codes == ("more_than_three_months",)
    assert "2024-04-16起" in checklist.unmet[0].detail
    assert "自立案之日起已超过3个月" in checklist.summary


def test_default_facts_list_every_missing_step() -> None:
    checklist = closing_check(
        "no_assets_closure", ClosingFacts(filed_on=date(2024, 1, 15)), on=date(2024, 6, 1)
    ).value
    assert checklist.unmet_codes == (
        "performance_notice",
        "asset_report_order",
        "asset_report_handled",
        "network_inquiry",
        "consumption_restriction",
        "applicant_interviewed",
    )
    assert checklist.needs_approval == "president"


def test_fully_performed_case_cannot_close_by_no_assets() -> None:
    facts = dataclasses.replace(COMPLETE, ledger_shows_full_performance=True)
    assert closing_check("no_assets_closure", facts, on=date(2024, 4, 16)).value.unmet_codes == (
        "not_fully_performed",
    )


def test_network_inquiry_in_the_future_is_an_error() -> None:
    facts = dataclasses.replace(COMPLETE, last_network_inquiry_on=date(2024, 5, 1))
    with pytest.raises(ValueError, match="晚于审查日"):
        closing_check("no_assets_closure", facts, on=date(2024, 4, 16))


def test_unknown_mode_and_date_order() -> None:
    with pytest.raises(ValueError, match="未知的结案方式"):
        closing_check("archived", COMPLETE, on=date(2024, 4, 16))
    with pytest.raises(ValueError, match="早于立案日"):
        closing_check("fully_performed", COMPLETE, on=date(2024, 1, 1))


@pytest.mark.parametrize(
    ("mode", "table"),
    [
        ("termination", TERMINATION_GROUNDS),
        ("withdrawn_from_docket", WITHDRAWAL_GROUNDS),
        ("refused", REFUSAL_GROUNDS),
        ("dismissed", DISMISSAL_GROUNDS),
    ],
)
def test_every_ground_of_its_table_closes_and_others_do_not(mode: str, table: dict) -> None:
    for ground, (text, citation) in table.items():
        result = closing_check(
            mode, ClosingFacts(filed_on=date(2024, 1, 15), ground=ground), on=date(2024, 2, 1)
        )
        assert result.value.ok, ground
        assert result.value.items[0].detail == text
        assert citation in result.citations
    missing = closing_check(mode, ClosingFacts(filed_on=date(2024, 1, 15)), on=date(2024, 2, 1)).value
    assert not missing.ok and "未选择事由" in missing.items[0].detail


def test_cpl_268_grounds_are_all_there() -> None:
    cpl = [c for _, c in TERMINATION_GROUNDS.values() if c.law == "民事诉讼法"]
    assert sorted(c.article for c in cpl) == [f"第268条第{i}项" for i in range(1, 7)]


def test_reinquiry_schedule() -> None:
    result = reinquiry_schedule(date(2024, 1, 10))
    assert len(result.value) == 10
    assert result.value[0] == date(2024, 7, 10) and result.value[-1] == date(2029, 1, 10)
    assert {p.name for p in result.parameters_used} == {
        "no_assets_reinquiry_interval_months",
        "no_assets_reinquiry_years",
    }


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)), st.integers(-36, 36))
def test_shift_months_is_the_corresponding_day(start: date, months: int) -> None:
    shifted = shift_months(start, months)
    assert (shifted.year * 12 + shifted.month) - (start.year * 12 + start.month) == months
    if shifted.day != start.day:  # no corresponding day: the last day of that month
        assert shifted.day < start.day
        assert (shifted + timedelta(days=1)).day == 1
