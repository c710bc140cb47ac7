"""执行节点期限与提醒级别。"""

from __future__ import annotations

from datetime import date

import pytest

from zhixing.rules.nodes import (
    ANCHORS,
    INITIAL_NODE_CODES,
    NODE_CATALOGUE,
    alert_level,
    initial_nodes,
    node_deadline,
)
from zhixing.rules.params import get_parameter


def test_catalogue_is_complete_and_consistent() -> None:
    required = {
        "filing_decision",
        "assign_officer",
        "performance_notice",
        "asset_report_order",
        "ask_applicant_for_leads",
        "first_network_inquiry",
        "asset_lead_verification",
        "enforcement_period",
    }
    assert required <= set(NODE_CATALOGUE)
    for code, spec in NODE_CATALOGUE.items():
        assert spec.code == code
        assert spec.anchor in ANCHORS
        assert spec.citations, code
        get_parameter(spec.parameter)  # exists
        for extra in (spec.urgent_parameter, spec.non_litigation_parameter):
            if extra:
                get_parameter(extra)


def test_performance_notice_counts_from_receipt_not_filing() -> None:
    assert NODE_CATALOGUE["performance_notice"].anchor == "received"
    assert NODE_CATALOGUE["asset_report_order"].parameter == NODE_CATALOGUE["performance_notice"].parameter


def test_deadline_carries_node_citations_and_parameter() -> None:
    result = node_deadline("assign_officer", anchor_date=date(2024, 4, 24))
    assert result.value == date(2024, 5, 6)
    cited = [str(c) for c in result.citations]
    assert "最高人民法院关于人民法院办理执行案件若干期限的规定（2006）第2条" in cited
    assert "民事诉讼法（2023）第85条" in cited
    assert result.parameters_used[0].name == "assign_officer_days"


def test_first_network_inquiry_is_flagged_unverified() -> None:
    result = node_deadline("first_network_inquiry", anchor_date=date(2024, 3, 1))
    assert result.value == date(2024, 3, 11)
    assert not result.verified


def test_urgent_lead_verification() -> None:
    normal = node_deadline("asset_lead_verification", anchor_date=date(2024, 7, 1))
    urgent = node_deadline("asset_lead_verification", anchor_date=date(2024, 7, 1), urgent=True)
    assert (normal.value, urgent.value) == (date(2024, 7, 8), date(2024, 7, 4))
    assert urgent.parameters_used[0].name == "asset_lead_verify_urgent_days"
    with pytest.raises(ValueError, match="没有紧急情况下的期限"):
        node_deadline("performance_notice", anchor_date=date(2024, 7, 1), urgent=True)


def test_enforcement_period_non_litigation_and_suspensions() -> None:
    assert node_deadline("enforcement_period", anchor_date=date(2024, 4, 30)).value == date(2024, 10, 30)
    assert node_deadline(
        "enforcement_period", anchor_date=date(2024, 4, 30), non_litigation=True
    ).value == date(2024, 7, 30)
    suspended = node_deadline(
        "enforcement_period",
        anchor_date=date(2024, 1, 10),
        suspensions=[(date(2024, 2, 1), date(2024, 2, 29))],
    )
    assert suspended.value == date(2024, 8, 8)
    with pytest.raises(ValueError, match="只有执行期限"):
        node_deadline("assign_officer", anchor_date=date(2024, 1, 10), non_litigation=True)


def test_initial_nodes() -> None:
    nodes = initial_nodes(received_on=date(2024, 9, 20), filed_on=date(2024, 9, 23), non_litigation=False)
    assert [code for code, _ in nodes] == list(INITIAL_NODE_CODES)
    due = {code: result.value for code, result in nodes}
    assert due["performance_notice"] == date(2024, 9, 30)  # from receipt: 9-30 is a Monday
    assert due["assign_officer"] == date(2024, 9, 30)  # from filing
    assert due["first_network_inquiry"] == date(2024, 10, 8)  # 10-03 rolls over National Day
    assert due["enforcement_period"] == date(2025, 3, 24)  # 03-23 is a Sunday
    lit = initial_nodes(received_on=date(2024, 9, 20), filed_on=date(2024, 9, 23), non_litigation=True)
    assert dict(lit)["enforcement_period"].value == date(2024, 12, 23)
    with pytest.raises(ValueError, match="早于收到申请日"):
        initial_nodes(received_on=date(2024, 9, 20), filed_on=date(2024, 9, 19), non_litigation=False)


@pytest.mark.parametrize(
    ("today", "done", "level"),
    [
        (date(2024, 5, 1), False, "none"),
        (date(2024, 5, 7), False, "due_soon"),  # 3 days before
        (date(2024, 5, 10), False, "due_soon"),  # the due day itself
        (date(2024, 5, 11), False, "overdue"),
        (date(2024, 5, 11), True, "none"),
    ],
)
def test_alert_level(today: date, done: bool, level: str) -> None:
    assert alert_level(date(2024, 5, 10), today=today, done=done) == level


def test_alert_level_accepts_the_courts_own_window() -> None:
    assert alert_level(date(2024, 5, 10), today=date(2024, 5, 1), done=False, due_soon_days=10) == "due_soon"
    with pytest.raises(ValueError):
        alert_level(date(2024, 5, 10), today=date(2024, 5, 1), done=False, due_soon_days=-1)
