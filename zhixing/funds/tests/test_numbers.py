from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from zhixing.funds import numbers


def test_compose_parse_roundtrip() -> None:
    n = numbers.compose(court_id=12, year=2026, case_id=345)
    assert n.startswith("ZX00122026") and len(n) == 20
    assert numbers.is_valid(n)
    assert numbers.parse(n) == (12, 2026, 345)
    assert numbers.parse(" " + n[:6] + " " + n[6:].lower()) == (12, 2026, 345)


@given(
    court=st.integers(1, 9999),
    year=st.integers(2000, 2099),
    case=st.integers(1, 10**8 - 1),
    pos=st.integers(2, 19),
    delta=st.integers(1, 9),
)
def test_any_single_digit_error_is_detected(court: int, year: int, case: int, pos: int, delta: int) -> None:
    n = numbers.compose(court_id=court, year=year, case_id=case)
    wrong = n[:pos] + str((int(n[pos]) + delta) % 10) + n[pos + 1 :]
    assert not numbers.is_valid(wrong)


@given(court=st.integers(1, 9999), case=st.integers(1, 10**8 - 1), pos=st.integers(2, 18))
def test_any_adjacent_swap_is_detected(court: int, case: int, pos: int) -> None:
    n = numbers.compose(court_id=court, year=2026, case_id=case)
    if n[pos] == n[pos + 1]:
        return
    swapped = n[:pos] + n[pos + 1] + n[pos] + n[pos + 2 :]
    assert not numbers.is_valid(swapped)


def test_garbage_is_invalid() -> None:
    for s in ["", "ZX", "ZX123", "AB00122026000003451", "ZX0012202600000345XX"]:
        assert not numbers.is_valid(s)
        assert numbers.parse(s) is None
