"""送达日期规则的测试（rules reference §0.4）。"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from zhixing.rules.calendar import is_workday
from zhixing.rules.delivery import CPL_90, CPL_95, JI_CPL_135, JI_CPL_138, deemed_delivery_date


@pytest.mark.parametrize("channel", ["electronic", "postal", "in_person"])
def test_same_day_channels_deliver_on_the_fact_date(channel: str) -> None:
    # A Sunday stays a Sunday: the delivery date is a fact, not the end of a period.
    result = deemed_delivery_date(channel, event_on=date(2026, 3, 1))
    assert result.value == date(2026, 3, 1)
    assert result.citations


def test_electronic_cites_cpl_90_and_ji_cpl_135() -> None:
    result = deemed_delivery_date("electronic", event_on=date(2026, 5, 6))
    assert result.citations == (CPL_90, JI_CPL_135)
    assert result.verified


def test_announcement_is_deemed_delivered_thirty_days_after_publication() -> None:
    result = deemed_delivery_date("by_announcement", event_on=date(2026, 3, 2))
    assert result.value == date(2026, 4, 1)
    assert CPL_95 in result.citations and JI_CPL_138 in result.citations
    assert result.parameters_used[0].name == "announcement_delivery_days"
    assert result.parameters_used[0].value == 30


def test_announcement_period_ending_on_a_holiday_rolls_to_the_next_workday() -> None:
    # 2026-09-01 + 30 days = 2026-10-01, National Day: the period ends after the holiday.
    result = deemed_delivery_date("by_announcement", event_on=date(2026, 9, 1))
    assert result.value > date(2026, 10, 1)
    assert is_workday(result.value)
    assert all(not is_workday(date(2026, 10, d)) for d in range(1, result.value.day))


def test_announcement_before_2022_used_sixty_days() -> None:
    result = deemed_delivery_date("by_announcement", event_on=date(2021, 6, 1))
    assert result.parameters_used[0].value == 60
    assert not result.verified  # the 2012 value is marked for checking


def test_unknown_channel_and_datetime_are_refused() -> None:
    with pytest.raises(ValueError, match="未知的送达方式"):
        deemed_delivery_date("pigeon", event_on=date(2026, 1, 5))
    with pytest.raises(TypeError):
        deemed_delivery_date("electronic", event_on=datetime(2026, 1, 5, 10, 0))
