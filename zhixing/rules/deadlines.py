"""法定期限：由法定参数和起算日计算节点期限、执行期限。

The period length comes from ``rules/parameters/`` (the value in force on the starting
day); the arithmetic comes from :mod:`zhixing.rules.calendar`. The result carries both the
article that sets the length and the articles on computing periods.

    >>> from datetime import date
    >>> statutory_deadline("filing_decision_days", start=date(2021, 9, 24)).value
    datetime.date(2021, 10, 8)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from types import MappingProxyType

from zhixing.rules.calendar import (
    HolidayCalendar,
    Suspension,
    add_days,
    add_months,
    add_working_days,
    add_years,
    deadline_with_suspensions,
)
from zhixing.rules.params import ParameterEntry, get_parameter, param_entry
from zhixing.rules.results import Citation, RuleResult, merge_citations, merge_parameter_uses

__all__ = ["TERM00_ART9", "enforcement_deadline", "statutory_deadline"]

#: Periods not counted in the enforcement period (public notice, appraisal, suspension …).
TERM00_ART9 = Citation("最高人民法院关于严格执行案件审理期限制度的若干规定", "第9条", 2000)

_Adder = Callable[..., RuleResult[date]]
_ADDERS: Mapping[str, _Adder] = MappingProxyType(
    {"days": add_days, "working_days": add_working_days, "months": add_months, "years": add_years}
)


def _with_parameter(entry: ParameterEntry, period: RuleResult[date], *extra: Citation) -> RuleResult[date]:
    return RuleResult(
        value=period.value,
        citations=merge_citations((entry.citation, *extra), period.citations),
        parameters_used=merge_parameter_uses((entry.use(),), period.parameters_used),
    )


def statutory_deadline(
    name: str, *, start: date, holidays: HolidayCalendar | None = None
) -> RuleResult[date]:
    """按法定参数计算期限届满日：取起算日施行的参数值，按其单位（日、工作日、月、年）计算。"""
    parameter = get_parameter(name)
    adder = _ADDERS.get(parameter.unit)
    if adder is None:
        raise ValueError(f"参数「{name}」的单位是 {parameter.unit}，不是日、工作日、月或年，不能据以计算期限")
    entry = parameter.entry_on(start)
    return _with_parameter(entry, adder(start, entry.value, holidays=holidays))


def enforcement_deadline(
    filed_on: date,
    *,
    non_litigation: bool = False,
    suspensions: Iterable[Suspension] = (),
    holidays: HolidayCalendar | None = None,
) -> RuleResult[date]:
    """执行期限届满日：自立案之日起六个月（非诉执行三个月），扣除不计入执行期限的期间。

    ``suspensions`` are the intervals TERM00 Art. 9 excludes (public notice, appraisal,
    jurisdiction disputes, suspension until restoration, deferral, auction/sale …), each
    ``(first day, last day)`` inclusive; see :func:`~zhixing.rules.calendar.deadline_with_suspensions`.
    """
    name = "non_litigation_enforcement_period_months" if non_litigation else "enforcement_period_months"
    entry = param_entry(name, on=filed_on)
    period = deadline_with_suspensions(filed_on, entry.value, suspensions, holidays=holidays)
    return _with_parameter(entry, period, TERM00_ART9)
