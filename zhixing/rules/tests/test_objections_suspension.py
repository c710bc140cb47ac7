"""执行异议、复议期限与中止执行事由。"""

from __future__ import annotations

from datetime import date

import pytest

from zhixing.rules.objections import (
    OBJECTION_NODES,
    ObjectionKind,
    objection_deadlines,
    review_application_deadline,
)
from zhixing.rules.suspension import SUSPENSION_GROUNDS, UnknownSuspensionGround, suspension_ground


def test_kinds_and_type_codes() -> None:
    assert ObjectionKind.ACT_OBJECTION.type_code == "执异"
    assert ObjectionKind.REVIEW.type_code == "执复"
    assert ObjectionKind.THIRD_PARTY_OBJECTION.type_code == "执异"
    assert ObjectionKind.REVIEW.label == "执行复议"
    assert set(OBJECTION_NODES) == set(ObjectionKind)


def test_deadlines_per_kind() -> None:
    received = date(2024, 3, 1)  # a Friday
    assert objection_deadlines("act_objection", received_on=received).value == {
        "filing": date(2024, 3, 4),
        "decision": date(2024, 3, 18),
    }
    assert objection_deadlines("review", received_on=received).value == {
        "forward_file": date(2024, 3, 6),
        "decision": date(2024, 4, 1),  # 03-31 is a Sunday
    }
    result = objection_deadlines("third_party_objection", received_on=received)
    assert result.value == {"filing": date(2024, 3, 4), "decision": date(2024, 3, 18)}
    names = [p.name for p in result.parameters_used if p.name != "holidays"]
    assert names == ["objection_filing_days", "third_party_objection_decision_days"]
    assert result.verified


def test_review_application_deadline_uses_the_cpl_number_in_force() -> None:
    assert "民事诉讼法（2017）第225条" in review_application_deadline(date(2020, 5, 6)).citation_text()
    assert "民事诉讼法（2023）第236条" in review_application_deadline(date(2024, 5, 6)).citation_text()


def test_suspension_grounds() -> None:
    cpl = sorted(c.article for _, c in SUSPENSION_GROUNDS.values() if c.law == "民事诉讼法")
    assert cpl == [f"第267条第{i}项" for i in range(1, 6)]
    text, citations = suspension_ground("settlement")
    assert text == "当事人达成执行和解协议"
    assert str(citations[0]) == "最高人民法院关于执行和解若干问题的规定（2020）第2条"
    assert "bankruptcy_accepted" in SUSPENSION_GROUNDS
    with pytest.raises(UnknownSuspensionGround, match="未知的中止执行事由「x」") as caught:
        suspension_ground("x")
    assert isinstance(caught.value, ValueError)
