"""暂定期间：deadlines that reach into a year whose holiday arrangement is not yet published.

The strict calendar (`calendar.default_calendar`) refuses such years — it never guesses. But a case
filed in November has a six-month enforcement period ending next May, and a two-year application
deadline ends two years on; courts work with those dates long before the State Council publishes
the year's arrangement. A `ProvisionalCalendar` answers for an unknown year with the weekends and
the fixed-date statutory holidays only, and marks every result that used such a year with a
parameter use named ``holidays`` whose source is ``provisional`` and ``verified=False``: callers
show the date as 暂定 and recompute it when the year is added to ``holidays.yaml``.
"""

from __future__ import annotations

from datetime import date

from zhixing.rules.calendar import CalendarUnknownYear, HolidayCalendar, _Source, default_calendar
from zhixing.rules.params import param_entry
from zhixing.rules.results import ParameterUse, RuleResult

PROVISIONAL_SOURCE = "provisional"


class ProvisionalCalendar(HolidayCalendar):
    """节假日日历（含暂定年份）：known years as the strict calendar, unknown years provisionally."""

    def __init__(self, base: HolidayCalendar | None = None) -> None:
        self._base = base or default_calendar()
        self._provisional: dict[int, tuple[frozenset[date], _Source]] = {}

    def knows_year(self, year: int) -> bool:
        return self._base.knows_year(year)

    def _year(self, year: int) -> tuple[frozenset[date], _Source]:
        cached = self._provisional.get(year)
        if cached is None:
            entry = param_entry("statutory_fixed_holidays", on=date(year, 1, 1))
            days = frozenset(date(year, int(md[:2]), int(md[3:])) for md in entry.value)
            use = ParameterUse("holidays", date(year, 1, 1), PROVISIONAL_SOURCE, False)
            cached = (days, _Source(use, entry.citation))
            self._provisional[year] = cached
        return cached

    def _classify(self, d: date) -> tuple[bool, _Source]:
        try:
            return self._base._classify(d)
        except CalendarUnknownYear:
            days, source = self._year(d.year)
            return (d.weekday() < 5 and d not in days), source


def is_provisional(result: RuleResult) -> bool:
    """Did this result use a provisional year?"""
    return any(p.name == "holidays" and p.value == PROVISIONAL_SOURCE for p in result.parameters_used)


def provisional_calendar() -> ProvisionalCalendar:
    return ProvisionalCalendar()
