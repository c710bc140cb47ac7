"""由法定参数计算的期限：参数按起算日取值，结果同时引用参数条文和期间条文。"""

from __future__ import annotations

from datetime import date

import pytest

from zhixing.rules.deadlines import TERM00_ART9, enforcement_deadline, statutory_deadline
from zhixing.rules.params import NoValueInForce, UnknownParameter


def test_statutory_deadline_uses_the_value_in_force_on_the_start_day() -> None:
    before = statutory_deadline("announcement_delivery_days", start=date(2021, 12, 1))
    after = statutory_deadline("announcement_delivery_days", start=date(2022, 1, 1))
    assert before.value == date(2022, 1, 30)  # 60 days: a Sunday, but a make-up workday
    assert after.value == date(2022, 2, 7)  # 30 days: 2022-01-31 is 春节 → first workday after it
    assert before.parameters_used[0].value == 60 and not before.verified
    assert after.parameters_used[0].value == 30
    assert str(after.citations[0]) == "民事诉讼法（2021）第95条"


@pytest.mark.parametrize(
    "name, start, expected",
    [
        ("filing_decision_days", date(2024, 9, 20), date(2024, 9, 27)),
        ("dishonest_deletion_working_days", date(2024, 9, 27), date(2024, 10, 8)),  # 9-29 Sunday works
        ("enforcement_period_months", date(2024, 8, 31), date(2025, 2, 28)),
        ("dishonest_listing_term_years", date(2023, 5, 6), date(2025, 5, 6)),
    ],
)
def test_statutory_deadline_by_unit(name: str, start: date, expected: date) -> None:
    result = statutory_deadline(name, start=start)
    assert result.value == expected
    assert result.parameters_used[0].name == name


def test_statutory_deadline_errors() -> None:
    with pytest.raises(ValueError, match="不能据以计算期限"):
        statutory_deadline("fine_max_individual_yuan", start=date(2024, 1, 1))
    with pytest.raises(UnknownParameter):
        statutory_deadline("filing_days", start=date(2024, 1, 1))
    with pytest.raises(NoValueInForce):
        statutory_deadline("payout_days", start=date(2016, 1, 1))


def test_enforcement_deadline_result() -> None:
    result = enforcement_deadline(date(2021, 3, 1), suspensions=[(date(2021, 4, 1), date(2021, 4, 30))])
    assert result.value == date(2021, 10, 8)
    assert TERM00_ART9 in result.citations
    names = [p.name for p in result.parameters_used]
    assert names == ["enforcement_period_months", "holidays"]
    assert enforcement_deadline(date(2021, 3, 10), non_litigation=True).parameters_used[0].value == 3
