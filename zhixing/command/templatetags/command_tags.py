"""Formatting of KPI values: "—" for no value (never 0 %), percent or days, signed changes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def kpi(value: Any, unit: str = "percent") -> str:
    if value is None or value == "":
        return "—"
    if unit == "days":
        return f"{Decimal(value):.1f} 日"
    return f"{Decimal(value):.2f}%"


@register.filter
def delta(value: Any, unit: str = "percent") -> str:
    if value is None:
        return ""
    v = Decimal(value)
    sign = "+" if v > 0 else ""
    return f"{sign}{v:.1f}" + (" 日" if unit == "days" else " 个百分点")


@register.filter
def money(value: Any) -> str:
    if value is None or value == "":
        return "—"
    return f"{Decimal(value):,.2f}"


@register.filter
def get(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None
