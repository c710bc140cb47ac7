from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from zhixing.core.money import MoneyError, MoneyField, fen, format_yuan, from_fen, yuan


def test_yuan_accepts_exact_values() -> None:
    assert yuan("1,234.5") == Decimal("1234.50")
    assert yuan(3) == Decimal("3.00")
    assert yuan(Decimal("0.10")) == Decimal("0.10")


@pytest.mark.parametrize("bad", [0.1, 1.0, True, "abc", "1.005", Decimal("NaN"), None])
def test_yuan_refuses_floats_and_garbage(bad: object) -> None:
    with pytest.raises(MoneyError):
        yuan(bad)


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_fen_round_trip(n: int) -> None:
    assert fen(from_fen(n)) == n


def test_format() -> None:
    assert format_yuan(Decimal("1234567.5")) == "¥1,234,567.50"


def test_money_field_refuses_float() -> None:
    field = MoneyField()
    with pytest.raises(MoneyError):
        field.get_prep_value(0.1)
    with pytest.raises(ValidationError):
        field.to_python("1.001")
    assert field.to_python("12.3") == Decimal("12.30")
    assert field.max_digits == 18 and field.decimal_places == 2
