"""监督管理规则：instruction deadlines, reminders and escalation; evaluation scores; alert thresholds."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zhixing.rules import supervision as s

ON = date(2026, 12, 1)


def test_default_deadlines_by_kind_and_the_supervision_letter() -> None:
    assert s.instruction_due(kind="assign", issued_on=ON).value == date(2026, 12, 16)
    r = s.instruction_due(kind="supervise", issued_on=ON)
    assert r.value == date(2026, 12, 11)
    assert any("督办" in c.law for c in r.citations)
    assert {u.name for u in r.parameters_used} == {"instruction_terms", "supervision_letter_days"}
    assert s.instruction_due(kind="supervise", issued_on=ON, days=3).value == date(2026, 12, 4)
    with pytest.raises(ValueError):
        s.instruction_due(kind="order", issued_on=ON)
    with pytest.raises(ValueError):
        s.instruction_due(kind="assign", issued_on=ON, days=0)


@pytest.mark.parametrize(
    ("on", "remind", "overdue", "level"),
    [
        (date(2026, 12, 7), False, 0, 0),
        (date(2026, 12, 8), True, 0, 0),  # two days before
        (date(2026, 12, 10), True, 0, 0),  # the last day
        (date(2026, 12, 11), False, 1, 1),
        (date(2026, 12, 13), False, 3, 1),
        (date(2026, 12, 14), False, 4, 2),
        (date(2026, 12, 17), False, 7, 3),
        (date(2027, 3, 1), False, 81, 3),  # never beyond the issuing court
    ],
)
def test_reminder_then_one_level_per_three_days_overdue(
    on: date, remind: bool, overdue: int, level: int
) -> None:
    r = s.instruction_state(due_on=date(2026, 12, 10), on=on)
    assert (r.value.remind, r.value.overdue_days, r.value.level) == (remind, overdue, level)
    if level == 3:  # the issuing court's powers: CPL 237 (urge, elevate, designate)
        assert s.CPL237 in r.citations


def test_evaluation_score_weights_points_and_penalties() -> None:
    r = s.evaluation_score(
        kpis={
            "closure_rate": Decimal("80.00"),
            "recovery_rate": None,
            "mean_days_to_close": Decimal("100.0"),
        },
        counts={"settlement": 2, "voluntary_performance": 1, "node_overdue": 4},
        on=ON,
    )
    assert r.value.parts == {
        "closure_rate": Decimal("24.00"),
        "mean_days_to_close": Decimal("-5.00"),
        "settlement": Decimal("2.00"),
        "voluntary_performance": Decimal("1.00"),
        "node_overdue": Decimal("-2.00"),
    }
    assert r.value.total == Decimal("20.00")
    assert r.parameters_used[0].verified is False  # a local practice, not law


def test_alert_thresholds_are_a_dated_local_parameter() -> None:
    r = s.alert_thresholds(on=ON)
    assert r.value["idle_days"] == 30 and r.citations[0].marker == "Local"
    assert set(s.ALERT_RULES) >= {
        "node_overdue",
        "idle_case",
        "near_limit",
        "payout_overdue",
        "control_expiring",
    }
