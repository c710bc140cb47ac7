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


@register.filter
def duration_s(seconds: Any) -> str:
    """An answer time: seconds, minutes or hours."""
    if seconds is None:
        return "—"
    s = float(seconds)
    if s < 120:
        return f"{s:.0f} 秒"
    if s < 7200:
        return f"{s / 60:.0f} 分钟"
    return f"{s / 3600:.1f} 小时"
