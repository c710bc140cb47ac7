"""查控规则：terms by asset kind (JI-CPL 485, and the 2004 figures before 2015), renewals, reminders,
waiting ranks, 超标的."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zhixing.rules import asset_control as rules


@pytest.mark.parametrize(
    ("kind", "start", "expires"),
    [
        ("bank_deposit", date(2026, 11, 29), date(2027, 11, 28)),  # 1 year
        ("provident_fund", date(2026, 1, 1), date(2026, 12, 31)),
        ("vehicle", date(2026, 11, 29), date(2028, 11, 28)),  # movable: 2 years
        ("real_estate", date(2026, 11, 29), date(2029, 11, 28)),  # 3 years
        ("equity", date(2024, 2, 29), date(2027, 2, 27)),  # other right: 3 years from a leap day
        ("bank_deposit", date(2014, 6, 1), date(2014, 11, 30)),  # before 2015: 6 months (2004 SEAL 29)
    ],
)
def test_control_term_by_kind_and_date(kind: str, start: date, expires: date) -> None:
    result = rules.control_term(kind, start=start)
    assert result.value == expires
    assert result.parameters_used[0].name == "asset_control_term_months"
    assert result.citations


def test_information_is_not_controllable() -> None:
    assert rules.control_kinds("marriage") == ()
    with pytest.raises(ValueError, match="不是可以"):
        rules.control_term("household", start=date(2026, 1, 1))


def test_renewal_runs_from_the_day_after_expiry_for_at_most_the_same_term() -> None:
    r = rules.renewal_term("bank_deposit", current_expiry=date(2027, 11, 28))
    assert r.value == date(2028, 11, 28)
    assert any(c.article == "第485条" for c in r.citations)


def test_reminders_fire_at_30_15_and_7_days() -> None:
    expiry = date(2027, 3, 31)
    assert rules.renewal_reminders(expiry, on=date(2027, 2, 28)).value == ()
    assert rules.renewal_reminders(expiry, on=date(2027, 3, 1)).value == (30,)
    assert rules.renewal_reminders(expiry, on=date(2027, 3, 20)).value == (30, 15)
    assert rules.renewal_reminders(expiry, on=date(2027, 3, 30)).value == (30, 15, 7)
    assert rules.renewal_reminders(expiry, on=date(2027, 3, 1)).parameters_used[0].verified is False


def test_expiry_is_the_day_after_the_last_day() -> None:
    assert not rules.is_expired(date(2027, 3, 31), on=date(2027, 3, 31)).value
    assert rules.is_expired(date(2027, 3, 31), on=date(2027, 4, 1)).value


def test_rank_one_is_in_effect_and_later_ranks_wait() -> None:
    assert rules.rank_effect(1).value == "effective"
    waiting = rules.rank_effect(2)
    assert waiting.value == "waiting"
    assert waiting.citations[0].article == "第26条"
    with pytest.raises(ValueError):
        rules.rank_effect(0)


def test_overreach_warns_above_the_tolerance() -> None:
    on = date(2026, 11, 29)
    ok = rules.overreach_check(
        outstanding=Decimal("100000"), controlled_values=[Decimal("50000")], new_value=Decimal("70000"), on=on
    )
    assert not ok.value.exceeds  # 120,000 = 120 %
    over = rules.overreach_check(
        outstanding=Decimal("100000"),
        controlled_values=[Decimal("50000")],
        new_value=Decimal("70000.01"),
        on=on,
    )
    assert over.value.exceeds and "超过应执行金额" in over.value.message
    assert {c.article for c in over.citations} >= {"第253条", "第19条"}
    assert over.parameters_used[0].verified is False


def test_release_grounds_are_the_articles_list() -> None:
    assert rules.release_basis("paid").citations[0].article == "第28条"
    with pytest.raises(ValueError):
        rules.release_basis("because")


def test_the_first_sealing_court_disposes_unless_a_priority_creditor_waited_over_60_days() -> None:
    sealed = date(2026, 1, 10)
    plain = rules.disposal_right(
        first_sealing_court="浙0603",
        first_sealed_on=sealed,
        our_claim_has_priority=False,
        first_is_preservation=False,
        disposal_started=False,
        on=date(2026, 6, 1),
    )
    assert plain.value.disposing_court == "浙0603" and plain.value.transfer_from is None
    assert plain.citations[0].article == "第56条"
    priority = rules.disposal_right(
        first_sealing_court="浙0603",
        first_sealed_on=sealed,
        our_claim_has_priority=True,
        first_is_preservation=False,
        disposal_started=False,
        on=date(2026, 6, 1),
    )
    assert priority.value.transfer_from == date(2026, 3, 12)  # the 61st day after the sealing
    assert {c.article for c in priority.citations} >= {"第1条", "第2条"}
    preservation = rules.disposal_right(
        first_sealing_court="浙0603",
        first_sealed_on=sealed,
        our_claim_has_priority=False,
        first_is_preservation=True,
        disposal_started=False,
        on=date(2026, 6, 1),
    )
    assert preservation.value.transfer_from == date(2027, 1, 11)  # more than a year: from the day after
    started = rules.disposal_right(
        first_sealing_court="浙0603",
        first_sealed_on=sealed,
        our_claim_has_priority=True,
        first_is_preservation=True,
        disposal_started=True,
        on=date(2026, 6, 1),
    )
    assert started.value.transfer_from is None
