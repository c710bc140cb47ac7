"""执行和解的履行情况与恢复执行期间。"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhixing.rules.settlement import Instalment, Payment, restoration_deadline, settlement_state

D = Decimal


def test_default_on_second_instalment() -> None:
    instalments = [Instalment(date(2024, 3, 1), D(100)), Instalment(date(2024, 4, 1), D(100))]
    result = settlement_state(instalments, [Payment(date(2024, 3, 1), D(150))], on=date(2024, 4, 2))
    state = result.value
    assert state.defaulted and state.first_missed == instalments[1]
    assert (state.paid, state.due_so_far, state.outstanding, state.arrears) == (D(150), D(200), D(50), D(50))
    assert "最高人民法院关于适用《中华人民共和国民事诉讼法》的解释（2022）第465条" in result.citation_text()


def test_due_day_itself_is_not_a_default() -> None:
    state = settlement_state([Instalment(date(2024, 4, 1), D(100))], [], on=date(2024, 4, 1)).value
    assert not state.defaulted and state.due_so_far == D(100) and state.arrears == D(100)


def test_holiday_due_day_rolls_to_next_working_day() -> None:
    instalments = [Instalment(date(2024, 10, 1), D(100))]
    assert not settlement_state(instalments, [], on=date(2024, 10, 8)).value.defaulted
    late = settlement_state(instalments, [], on=date(2024, 10, 9))
    assert late.value.defaulted and late.value.first_missed_grace_until == date(2024, 10, 8)
    assert any(p.name == "holidays" for p in late.parameters_used)


def test_payments_after_on_are_ignored_and_order_of_input_does_not_matter() -> None:
    instalments = [Instalment(date(2024, 4, 1), D(100)), Instalment(date(2024, 3, 1), D(100))]
    payments = [Payment(date(2024, 5, 1), D(100)), Payment(date(2024, 3, 1), D(100))]
    state = settlement_state(instalments, payments, on=date(2024, 4, 2)).value
    assert state.paid == D(100)
    assert state.first_missed == Instalment(date(2024, 4, 1), D(100))


def test_overpayment() -> None:
    state = settlement_state(
        [Instalment(date(2024, 3, 1), D(100))], [Payment(date(2024, 2, 1), D(120))], on=date(2024, 3, 5)
    ).value
    assert state.fully_performed and not state.defaulted
    assert (state.outstanding, state.overpaid) == (D(0), D(20))


@pytest.mark.parametrize(
    ("instalments", "payments"),
    [
        ([], []),
        ([Instalment(date(2024, 3, 1), D(0))], []),
        ([Instalment(date(2024, 3, 1), D(10))], [Payment(date(2024, 3, 1), D(-1))]),
    ],
)
def test_invalid_input(instalments: list[Instalment], payments: list[Payment]) -> None:
    with pytest.raises(ValueError):
        settlement_state(instalments, payments, on=date(2024, 3, 5))


def test_restoration_deadline() -> None:
    result = restoration_deadline(date(2024, 6, 30))
    assert result.value == date(2026, 6, 30)
    assert result.parameters_used[0].name == "application_time_limit_years"
    cited = result.citation_text()
    assert "最高人民法院关于执行和解若干问题的规定（2020）第10条" in cited
    assert "最高人民法院关于适用《中华人民共和国民事诉讼法》的解释（2022）第466条" in cited


amounts = st.decimals(min_value=D("0.01"), max_value=D("1000000"), places=2)
days = st.integers(min_value=0, max_value=700)
START = date(2023, 1, 1)


@given(
    st.lists(st.tuples(days, amounts), min_size=1, max_size=8),
    st.lists(st.tuples(days, amounts), max_size=8),
    days,
)
def test_money_is_conserved_and_default_means_arrears(
    instalments: list[tuple[int, Decimal]], payments: list[tuple[int, Decimal]], on_day: int
) -> None:
    on = START + timedelta(days=on_day)
    state = settlement_state(
        [Instalment(START + timedelta(days=d), a) for d, a in instalments],
        [Payment(START + timedelta(days=d), a) for d, a in payments],
        on=on,
    ).value
    total = sum((a for _, a in instalments), D(0))
    assert state.total == total
    assert state.paid + state.outstanding == total + state.overpaid
    assert state.paid == sum((a for d, a in payments if d <= on_day), D(0))
    assert state.fully_performed == (state.outstanding == 0)
    if state.defaulted:
        assert state.first_missed is not None and state.paid < state.due_so_far
        assert on > state.first_missed.due_on
    if state.paid >= state.due_so_far:
        assert not state.defaulted
