"""法定期间的计算：始日不计入、月末对应日、节假日顺延、工作日。

Rules (rules reference §0.4):

* Day, month and year periods start on the day **after** the starting day (民事诉讼法第85条,
  民诉法解释第125条, 民法典第201条).
* A month/year period ends on the **corresponding day** of the final month, or on the last
  day of that month if it has none: 2021-01-31 + 1 month = 2021-02-28 (民法典第202条).
* If the last day is a 法定休假日 the period ends on the first working day after it
  (民事诉讼法第85条, 民法典第203条). **Decision:** as in Chinese judicial practice, 法定休假日
  covers the statutory holidays *and* the weekly rest days (Saturday, Sunday); a weekend day
  that the State Council made a working day (调休上班) is a working day and does not roll.
  Only the last day rolls; holidays inside a day period still count.
* Working-day periods (工作日) skip weekends and holidays and count make-up workdays; they
  never roll (their last day is a working day by construction).

Holiday source: our own table ``parameters/holidays.yaml`` first, the ``chinesecalendar``
library second (it knows 2004–2026); a year neither knows raises
:class:`CalendarUnknownYear`: we never guess.

Period computations (``add_days``, ``add_months``, ``add_years``, ``add_working_days``,
``deadline_with_suspensions``) return a :class:`~zhixing.rules.results.RuleResult` whose
value is the last day of the period, with the articles applied and the holiday-table years
consulted (``parameters_used``). Predicates and counts (``is_workday``, ``is_holiday``,
``days_between``, ``working_days_between``) return plain values.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from importlib import metadata
from typing import Any

import chinese_calendar

from zhixing.rules.params import Parameter, ParameterFileError, get_parameter, require_date
from zhixing.rules.results import Citation, ParameterUse, RuleResult, merge_citations

__all__ = [
    "CIVCODE_201",
    "CIVCODE_202",
    "CIVCODE_203",
    "CPL_85",
    "JI_CPL_125",
    "CalendarUnknownYear",
    "HolidayCalendar",
    "HolidayYear",
    "Suspension",
    "add_days",
    "add_months",
    "add_working_days",
    "add_years",
    "days_between",
    "deadline_with_suspensions",
    "default_calendar",
    "is_holiday",
    "is_workday",
    "working_days_between",
]

CPL_85 = Citation("民事诉讼法", "第85条", 2023)
JI_CPL_125 = Citation("最高人民法院关于适用《中华人民共和国民事诉讼法》的解释", "第125条", 2022)
CIVCODE_201 = Citation("民法典", "第201条", 2020)
CIVCODE_202 = Citation("民法典", "第202条", 2020)
CIVCODE_203 = Citation("民法典", "第203条", 2020)

_DAY_CITATIONS = (CPL_85, JI_CPL_125, CIVCODE_201, CIVCODE_203)
_MONTH_CITATIONS = (CPL_85, JI_CPL_125, CIVCODE_201, CIVCODE_202, CIVCODE_203)
_WORKING_DAY_CITATIONS = (JI_CPL_125, CIVCODE_201)

_TABLE_FILE = "holidays.yaml"
_ONE_DAY = timedelta(days=1)

#: A period during which the clock stops: (first day suspended, last day suspended), both inclusive.
Suspension = tuple[date, date]


class CalendarUnknownYear(LookupError):
    """该年度的节假日安排尚未收录（不得猜测）。"""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            f"{year}年的法定节假日和调休安排尚未收录，无法计算期间。请管理员依据"
            f"《国务院办公厅关于{year}年部分节假日安排的通知》在 zhixing/rules/parameters/{_TABLE_FILE} "
            f"中补充{year}年的放假和调休上班日期（系统不会猜测节假日）。"
        )


@dataclasses.dataclass(frozen=True, slots=True)
class HolidayYear:
    """一年的放假日期和调休上班日期（来自国务院办公厅当年的通知）。"""

    year: int
    holidays: frozenset[date]
    makeup_workdays: frozenset[date]
    citation: Citation | None = None
    verified: bool = True

    def __post_init__(self) -> None:
        earliest, latest = date(self.year - 1, 12, 1), date(self.year, 12, 31)
        for d in self.holidays | self.makeup_workdays:
            if isinstance(d, datetime) or not isinstance(d, date):
                raise TypeError(f"{self.year}年：{d!r} 不是日期")
            if not earliest <= d <= latest:
                raise ValueError(
                    f"{self.year}年的安排只能列明{self.year - 1}年12月至{self.year}年底的日期：{d}"
                )
        clash = self.holidays & self.makeup_workdays
        if clash:
            raise ValueError(f"{self.year}年：日期既是放假日又是调休上班日：{sorted(clash)}")
        weekdays = sorted(d for d in self.makeup_workdays if d.weekday() < 5)
        if weekdays:
            raise ValueError(f"{self.year}年：调休上班日应为周六或周日：{weekdays}")

    @property
    def use(self) -> ParameterUse:
        return ParameterUse("holidays", date(self.year, 1, 1), _TABLE_FILE, self.verified)


@dataclasses.dataclass(frozen=True, slots=True)
class _Source:
    use: ParameterUse
    citation: Citation | None


def _library_years() -> range:
    years = [d.year for d in chinese_calendar.holidays]
    return range(min(years), max(years) + 1)


def _library_label() -> str:
    try:
        return f"chinesecalendar {metadata.version('chinesecalendar')}"
    except metadata.PackageNotFoundError:  # pragma: no cover - installed by uv
        return "chinesecalendar"


class HolidayCalendar:
    """节假日日历：先查本系统节假日表，再查 chinesecalendar，都没有则报错。"""

    def __init__(self, years: Iterable[HolidayYear] = (), *, use_library: bool = True) -> None:
        self._years: dict[int, HolidayYear] = {}
        self._explicit: dict[date, tuple[bool, int]] = {}
        for year in years:
            if year.year in self._years:
                raise ValueError(f"节假日表中{year.year}年重复")
            self._years[year.year] = year
            for d in year.holidays:
                self._add_explicit(d, False, year.year)
            for d in year.makeup_workdays:
                self._add_explicit(d, True, year.year)
        self._library = _library_years() if use_library else range(0)
        self._library_use_label = _library_label()
        self._sources: dict[int, _Source] = {}

    def _add_explicit(self, d: date, working: bool, year: int) -> None:
        previous = self._explicit.get(d)
        if previous is not None and previous[0] != working:
            raise ValueError(f"{d} 在{previous[1]}年和{year}年的安排中互相矛盾")
        self._explicit.setdefault(d, (working, year))

    @classmethod
    def from_parameter(cls, parameter: Parameter, *, use_library: bool = True) -> HolidayCalendar:
        """由参数文件 holidays.yaml 构建；内容不合规时抛出 ParameterFileError（写明文件名）。"""
        years = []
        for entry in parameter.entries:
            where = f"参数文件 {parameter.path.name} 格式错误：自 {entry.effective_from} 起的取值"
            if (entry.effective_from.month, entry.effective_from.day) != (1, 1):
                raise ParameterFileError(f"{where}：effective_from 应为该年1月1日")
            try:
                holidays, makeup_workdays = _year_dates(entry.value)
                years.append(
                    HolidayYear(
                        year=entry.effective_from.year,
                        holidays=holidays,
                        makeup_workdays=makeup_workdays,
                        citation=entry.citation,
                        verified=entry.verified,
                    )
                )
            except (TypeError, ValueError) as exc:
                raise ParameterFileError(f"{where}：{exc}") from exc
        try:
            return cls(years, use_library=use_library)
        except ValueError as exc:
            raise ParameterFileError(f"参数文件 {parameter.path.name} 格式错误：{exc}") from exc

    @property
    def table_years(self) -> tuple[int, ...]:
        """本系统节假日表收录的年份。"""
        return tuple(sorted(self._years))

    def knows_year(self, year: int) -> bool:
        """该年的节假日安排是否已知（本表或 chinesecalendar）。"""
        return year in self._years or year in self._library

    def _source(self, year: int) -> _Source:
        source = self._sources.get(year)
        if source is None:
            if year in self._years:
                table = self._years[year]
                source = _Source(table.use, table.citation)
            elif year in self._library:
                # Library data has not been checked against the notice by us: flagged unverified.
                source = _Source(
                    ParameterUse("holidays", date(year, 1, 1), self._library_use_label, False), None
                )
            else:
                raise CalendarUnknownYear(year)
            self._sources[year] = source
        return source

    def _classify(self, d: date) -> tuple[bool, _Source]:
        explicit = self._explicit.get(d)
        if explicit is not None:
            return explicit[0], self._source(explicit[1])
        source = self._source(d.year)
        if d.year in self._years:
            return d.weekday() < 5, source
        try:
            return bool(chinese_calendar.is_workday(d)), source
        except NotImplementedError as exc:  # the library's own range check
            raise CalendarUnknownYear(d.year) from exc

    def is_workday(self, d: date) -> bool:
        """是否为工作日（调休上班日是工作日，周末和法定节假日不是）。"""
        require_date(d)
        return self._classify(d)[0]

    def is_holiday(self, d: date) -> bool:
        """是否为法定休假日（法定节假日或不调休的周六、周日）。"""
        return not self.is_workday(d)


def _year_dates(value: Mapping[str, Any]) -> tuple[frozenset[date], frozenset[date]]:
    """holidays.yaml 一年的取值 →（放假日期，调休上班日期）。"""
    if set(value) != {"holidays", "makeup_workdays"}:
        raise ValueError(f"取值应恰有 holidays 和 makeup_workdays 两项，实有 {sorted(value)}")
    holidays: set[date] = set()
    for item in value["holidays"]:
        if not isinstance(item, Mapping) or set(item) != {"name", "from", "to"}:
            raise ValueError(f"放假日期段应有 name、from、to 三项：{item!r}")
        first, last = item["from"], item["to"]
        if not isinstance(first, date) or not isinstance(last, date) or first > last:
            raise ValueError(f"「{item['name']}」的日期段无效：{first} 至 {last}")
        d = first
        while d <= last:
            holidays.add(d)
            d += _ONE_DAY
    return frozenset(holidays), frozenset(value["makeup_workdays"])


_default: tuple[Parameter, HolidayCalendar] | None = None


def default_calendar() -> HolidayCalendar:
    """默认日历：parameters/holidays.yaml + chinesecalendar（随参数缓存一起刷新）。"""
    global _default
    parameter = get_parameter("holidays")
    if _default is None or _default[0] is not parameter:
        _default = (parameter, HolidayCalendar.from_parameter(parameter))
    return _default[1]


def _calendar(holidays: HolidayCalendar | None) -> HolidayCalendar:
    return holidays if holidays is not None else default_calendar()


def _check_count(n: object, unit: str) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"期间的{unit}数应为正整数，收到 {n!r}")
    return n


class _Trace:
    """记录一次计算中查阅的节假日来源。"""

    def __init__(self, calendar: HolidayCalendar) -> None:
        self.calendar = calendar
        self.sources: dict[int, _Source] = {}

    def is_workday(self, d: date) -> bool:
        working, source = self.calendar._classify(d)
        self.sources.setdefault(source.use.effective_from.year, source)
        return working

    def roll_forward(self, d: date) -> date:
        while not self.is_workday(d):
            d += _ONE_DAY
        return d

    def result(self, value: date, citations: Sequence[Citation]) -> RuleResult[date]:
        sources = [self.sources[y] for y in sorted(self.sources)]
        notices = [s.citation for s in sources if s.citation is not None]
        return RuleResult(
            value=value,
            citations=merge_citations(tuple(citations), notices),
            parameters_used=tuple(s.use for s in sources),
        )


def _shift_months(start: date, months: int) -> date:
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    last_day = _stdlib_calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last_day))


def is_workday(d: date, *, holidays: HolidayCalendar | None = None) -> bool:
    """是否为工作日（调休上班日是工作日）。"""
    return _calendar(holidays).is_workday(d)


def is_holiday(d: date, *, holidays: HolidayCalendar | None = None) -> bool:
    """是否为法定休假日（法定节假日或不调休的周六、周日）。"""
    return _calendar(holidays).is_holiday(d)


def add_days(start: date, n: int, *, holidays: HolidayCalendar | None = None) -> RuleResult[date]:
    """以日计算的期间：始日不计入，届满日为 start + n 日；届满日为休假日的顺延至其后第一个工作日。"""
    require_date(start, "起算日")
    _check_count(n, "日")
    trace = _Trace(_calendar(holidays))
    return trace.result(trace.roll_forward(start + timedelta(days=n)), _DAY_CITATIONS)


def add_months(start: date, n: int, *, holidays: HolidayCalendar | None = None) -> RuleResult[date]:
    """以月计算的期间：到期月的对应日届满，无对应日的为月末日；届满日为休假日的顺延。"""
    require_date(start, "起算日")
    _check_count(n, "月")
    trace = _Trace(_calendar(holidays))
    return trace.result(trace.roll_forward(_shift_months(start, n)), _MONTH_CITATIONS)


def add_years(start: date, n: int, *, holidays: HolidayCalendar | None = None) -> RuleResult[date]:
    """以年计算的期间：到期年同月对应日届满（2月29日起算的为2月末日）；届满日为休假日的顺延。"""
    require_date(start, "起算日")
    _check_count(n, "年")
    trace = _Trace(_calendar(holidays))
    return trace.result(trace.roll_forward(_shift_months(start, 12 * n)), _MONTH_CITATIONS)


def add_working_days(start: date, n: int, *, holidays: HolidayCalendar | None = None) -> RuleResult[date]:
    """以工作日计算的期间：始日不计入，跳过周末和法定节假日，调休上班日计入。"""
    require_date(start, "起算日")
    _check_count(n, "工作日")
    trace = _Trace(_calendar(holidays))
    d, counted = start, 0
    while counted < n:
        d += _ONE_DAY
        if trace.is_workday(d):
            counted += 1
    return trace.result(d, _WORKING_DAY_CITATIONS)


def days_between(start: date, end: date) -> int:
    """两日期之间的日数（始日不计入、末日计入）；end 早于 start 时为负数。"""
    require_date(start, "起算日")
    require_date(end, "截止日")
    return (end - start).days


def working_days_between(start: date, end: date, *, holidays: HolidayCalendar | None = None) -> int:
    """两日期之间的工作日数（始日不计入、末日计入）；end 早于 start 时为负数。"""
    require_date(start, "起算日")
    require_date(end, "截止日")
    if end < start:
        return -working_days_between(end, start, holidays=holidays)
    calendar = _calendar(holidays)
    count, d = 0, start + _ONE_DAY
    while d <= end:
        count += calendar.is_workday(d)
        d += _ONE_DAY
    return count


def _merge_suspensions(suspensions: Iterable[Suspension]) -> list[Suspension]:
    intervals: list[Suspension] = []
    for item in suspensions:
        try:
            first, last = item
        except (TypeError, ValueError):
            raise ValueError(f"中止期间应为（开始日, 结束日）两个日期，收到 {item!r}") from None
        require_date(first, "中止开始日")
        require_date(last, "中止结束日")
        if last < first:
            raise ValueError(f"中止期间的结束日 {last} 早于开始日 {first}")
        intervals.append((first, last))
    intervals.sort()
    merged: list[Suspension] = []
    for first, last in intervals:
        if merged and first <= merged[-1][1] + _ONE_DAY:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def deadline_with_suspensions(
    start: date,
    months: int,
    suspensions: Iterable[Suspension] = (),
    *,
    holidays: HolidayCalendar | None = None,
) -> RuleResult[date]:
    """扣除中止等不计入期间后的月期间届满日。

    The nominal end (``start`` + ``months``, corresponding day) is pushed back by every
    suspended day that falls inside the running period. A suspension is ``(first, last)``,
    both days inclusive (the clock runs again the day after ``last``); overlapping or adjacent
    suspensions are merged; days on or before ``start`` and suspensions beginning after the
    (already extended) deadline do not count. Only the final day rolls over holidays.
    Which intervals count (suspension, public notice, appraisal …) is the caller's rule.
    """
    require_date(start, "起算日")
    _check_count(months, "月")
    deadline = _shift_months(start, months)
    for first, last in _merge_suspensions(suspensions):
        first = max(first, start + _ONE_DAY)
        if first > last:
            continue
        if first > deadline:
            break
        deadline += timedelta(days=(last - first).days + 1)
    trace = _Trace(_calendar(holidays))
    return trace.result(trace.roll_forward(deadline), _MONTH_CITATIONS)
