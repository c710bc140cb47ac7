"""金额 — a Decimal yuan type and its model field. No float anywhere money flows."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

CENT = Decimal("0.01")
MAX_DIGITS = 18


class MoneyError(ValueError):
    pass


def yuan(value: Any) -> Decimal:
    """把金额规范为两位小数的 Decimal（元）。Floats are refused: they cannot hold 0.10 exactly."""
    if isinstance(value, bool | float):
        raise MoneyError(f"金额不能使用浮点数：{value!r}")
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, int):
        d = Decimal(value)
    elif isinstance(value, str):
        try:
            d = Decimal(value.strip().replace(",", "").replace("，", ""))
        except InvalidOperation:
            raise MoneyError(f"无法识别的金额：「{value}」") from None
    else:
        raise MoneyError(f"无法识别的金额类型：{type(value).__name__}")
    if not d.is_finite():
        raise MoneyError("金额必须是有限数")
    q = d.quantize(CENT, rounding=ROUND_HALF_UP)
    if q != d:
        raise MoneyError(f"金额最多两位小数（到分）：{value}")
    return q


def fen(value: Decimal) -> int:
    """元 → 分 (integer)."""
    return int(yuan(value) * 100)


def from_fen(value: int) -> Decimal:
    return (Decimal(value) / 100).quantize(CENT)


def format_yuan(value: Decimal) -> str:
    """¥1,234.50 — for display."""
    return f"¥{yuan(value):,.2f}"


class MoneyField(models.DecimalField):
    """人民币金额字段：Decimal，两位小数，拒绝浮点数。"""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", MAX_DIGITS)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> Any:
        if value is None or (isinstance(value, Decimal) and value.is_finite()):
            return value if value is None else yuan(value.quantize(CENT))
        try:
            return yuan(value)
        except MoneyError as e:
            raise ValidationError(str(e), code="invalid_money") from e

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, float):
            raise MoneyError(f"金额不能使用浮点数：{value!r}")
        return super().get_prep_value(value)

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "zhixing.core.money.MoneyField", args, kwargs
