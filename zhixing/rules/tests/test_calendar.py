"""期间计算：始日不计入、月末对应日、节假日顺延、工作日、中止扣除、未知年份报错。"""

from __future__ import annotations

from calendar import monthrange
from datetime import date, datetime, timedelta
from pathlib import Path

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhixing.rules.calendar import (
    CPL_85,
    CalendarUnknownYear,
    HolidayCalendar,
    HolidayYear,
    add_days,
    add_months,
    add_working_days,
    add_years,
    days_between,
    deadline_with_suspensions,
    default_calendar,
    is_holiday,
    is_workday,
    working_days_between,
)
from zhixing.rules.params import ParameterFileError, load_parameter_file

# Dates whose periods (up to ~4 years) stay inside years someone knows (2004–2026).
known_dates = st.dates(min_value=date(2004, 1, 1), max_value=date(2022, 6, 30))
day_counts = st.integers(min_value=1, max_value=400)
month_counts = st.integers(min_value=1, max_value=48)


def test_weekends_holidays_and_makeup_workdays() -> None:
    assert is_workday(date(2021, 9, 17))  # Friday
    assert is_holiday(date(2021, 9, 19))  # 中秋节 (Sunday)
    assert is_holiday(date(2021, 9, 20))  # 中秋节 (Monday)
    assert is_workday(date(2021, 9, 18))  # Saturday, 调休上班
    assert is_holiday(date(2021, 3, 6))  # ordinary Saturday
    assert is_holiday(date(2022, 12, 31))  # listed in the 2023 notice (元旦 from 2022-12-31)


def test_holiday_table_matches_chinesecalendar_day_by_day() -> None:
    table = default_calendar()
    assert set(table.table_years) >= {2021, 2022, 2023, 2024, 2025}
    for year in table.table_years:
        if year not in range(2004, 2027):
            continue
        d = date(year, 1, 1)
        while d.year == year:
            assert table.is_workday(d) == chinese_calendar.is_workday(d), d
            d += timedelta(days=1)


def test_table_years_are_recorded_as_verified_and_library_years_as_unverified() -> None:
    table_result = add_days(date(2021, 9, 21), 10)
    assert [u.as_dict() for u in table_result.parameters_used] == [
        {"name": "holidays", "effective_from": "2021-01-01", "value": "holidays.yaml", "verified": True}
    ]
    assert "国务院办公厅关于2021年部分节假日安排的通知（2020）" in table_result.citation_text()
    library_result = add_days(date(2019, 9, 21), 10)
    (use,) = library_result.parameters_used
    assert use.effective_from == date(2019, 1, 1)
    assert use.value.startswith("chinesecalendar") and not use.verified
    assert not library_result.verified


def test_unknown_year_is_a_clear_error_never_a_guess() -> None:
    calendar = HolidayCalendar(use_library=True)
    with pytest.raises(CalendarUnknownYear) as caught:
        calendar.is_workday(date(2099, 3, 4))  # an ordinary Wednesday is still unknown
    assert caught.value.year == 2099
    assert "holidays.yaml" in str(caught.value) and "2099年" in str(caught.value)
    # no library: every year outside the table is unknown
    with pytest.raises(CalendarUnknownYear):
        HolidayCalendar(use_library=False).is_workday(date(2021, 3, 3))


def test_library_not_implemented_error_never_leaks() -> None:
    assert not HolidayCalendar().knows_year(2027) or 2027 in default_calendar().table_years
    for year in (2003, 2099):
        with pytest.raises(CalendarUnknownYear):
            HolidayCalendar().is_workday(date(year, 6, 1))


def test_adding_a_year_to_the_table_makes_it_known() -> None:
    year_2027 = HolidayYear(
        year=2027,
        holidays=frozenset({date(2027, 1, 1)}),
        makeup_workdays=frozenset({date(2027, 1, 2)}),
    )
    calendar = HolidayCalendar([year_2027])
    assert add_days(date(2026, 12, 25), 7, holidays=calendar).value == date(2027, 1, 2)  # Saturday, works
    assert add_days(date(2026, 12, 24), 8, holidays=calendar).value == date(2027, 1, 2)  # 元旦 → Saturday
    rolled = add_days(date(2026, 12, 26), 8, holidays=calendar)  # Sunday 2027-01-03 → Monday
    assert rolled.value == date(2027, 1, 4)
    assert rolled.parameters_used[-1].as_dict()["effective_from"] == "2027-01-01"


def test_holiday_year_validation() -> None:
    with pytest.raises(ValueError, match="调休上班日应为周六或周日"):
        HolidayYear(2021, frozenset(), frozenset({date(2021, 3, 3)}))
    with pytest.raises(ValueError, match="既是放假日又是调休上班日"):
        HolidayYear(2021, frozenset({date(2021, 9, 18)}), frozenset({date(2021, 9, 18)}))
    with pytest.raises(ValueError, match="只能列明2020年12月至2021年底"):
        HolidayYear(2021, frozenset({date(2020, 11, 30)}), frozenset())
    with pytest.raises(ValueError, match="重复"):
        HolidayCalendar([HolidayYear(2021, frozenset(), frozenset())] * 2)


def _holiday_file(tmp_path: Path, *years: tuple[str, str]) -> Path:
    """holidays.yaml with one value per (effective_from, value in YAML flow style)."""
    entries = "".join(
        f"""
  - effective_from: {effective_from}
    verified: true
    citation: {{law: 国务院办公厅关于部分节假日安排的通知, article: "", marker: Vq}}
    value: {value}"""
        for effective_from, value in years
    )
    path = tmp_path / "holidays.yaml"
    path.write_text(f"name: holidays\ntitle: 节假日\nunit: calendar\nvalues:{entries}\n", encoding="utf-8")
    return path


HOLIDAY_TABLE_ERRORS = {
    "not on 1 January": ([("2021-02-01", "{holidays: [], makeup_workdays: []}")], "应为该年1月1日"),
    "missing key": ([("2021-01-01", "{holidays: []}")], "恰有 holidays 和 makeup_workdays"),
    "range backwards": (
        [("2021-01-01", "{holidays: [{name: 春节, from: 2021-02-17, to: 2021-02-11}], makeup_workdays: []}")],
        "「春节」的日期段无效",
    ),
    "weekday make-up day": (
        [("2021-01-01", "{holidays: [], makeup_workdays: [2021-09-17]}")],
        "应为周六或周日",
    ),
    "date of another year": ([("2021-01-01", "{holidays: [], makeup_workdays: [2022-01-08]}")], "只能列明"),
    "contradicting years": (
        [
            ("2021-01-01", "{holidays: [], makeup_workdays: [2021-12-26]}"),
            (
                "2022-01-01",
                "{holidays: [{name: 元旦, from: 2021-12-26, to: 2022-01-01}], makeup_workdays: []}",
            ),
        ],
        "互相矛盾",
    ),
}


@pytest.mark.parametrize("years, message", HOLIDAY_TABLE_ERRORS.values(), ids=HOLIDAY_TABLE_ERRORS.keys())
def test_malformed_holiday_table_names_the_file(
    tmp_path: Path, years: list[tuple[str, str]], message: str
) -> None:
    with pytest.raises(ParameterFileError) as caught:
        HolidayCalendar.from_parameter(load_parameter_file(_holiday_file(tmp_path, *years)))
    assert "参数文件 holidays.yaml 格式错误" in str(caught.value)
    assert message in str(caught.value)


def test_well_formed_holiday_file_builds_a_calendar(tmp_path: Path) -> None:
    path = _holiday_file(
        tmp_path,
        ("2027-01-01", "{holidays: [{name: 元旦, from: 2027-01-01, to: 2027-01-03}], makeup_workdays: []}"),
    )
    calendar = HolidayCalendar.from_parameter(load_parameter_file(path))
    assert calendar.table_years == (2027,)
    assert calendar.is_holiday(date(2027, 1, 1)) and calendar.is_workday(date(2027, 1, 4))


def test_period_functions_cite_the_period_articles() -> None:
    days = add_days(date(2021, 3, 1), 10)
    assert CPL_85 in days.citations
    assert "民法典（2020）第202条" in add_months(date(2021, 3, 1), 1).citation_text()
    assert "民法典（2020）第202条" in add_years(date(2021, 3, 1), 1).citation_text()


@pytest.mark.parametrize("bad", [0, -1, True, 1.5])
def test_counts_must_be_positive_integers(bad: object) -> None:
    for fn in (add_days, add_months, add_years, add_working_days):
        with pytest.raises(ValueError, match="正整数"):
            fn(date(2021, 3, 1), bad)  # type: ignore[arg-type]


def test_datetimes_are_rejected() -> None:
    with pytest.raises(TypeError, match=r"datetime\.date"):
        add_days(datetime(2021, 3, 1, 9, 0), 1)
    with pytest.raises(TypeError):
        is_workday(datetime(2021, 3, 1, 9, 0))


def test_counting_between_dates() -> None:
    assert days_between(date(2021, 3, 1), date(2021, 3, 11)) == 10
    assert days_between(date(2021, 3, 11), date(2021, 3, 1)) == -10
    assert working_days_between(date(2021, 9, 16), date(2021, 9, 22)) == 3
    assert working_days_between(date(2021, 9, 22), date(2021, 9, 16)) == -3
    assert working_days_between(date(2021, 9, 16), date(2021, 9, 16)) == 0


class TestDeadlineWithSuspensions:
    start = date(2021, 3, 10)  # six months: 2021-09-10, a Friday

    def test_without_suspensions_it_is_the_month_period(self) -> None:
        result = deadline_with_suspensions(self.start, 6)
        assert result.value == add_months(self.start, 6).value == date(2021, 9, 10)

    def test_suspended_days_inclusive_push_the_deadline(self) -> None:
        # 2021-04-01 … 2021-04-10 is 10 days: 2021-09-20, a 中秋节 holiday → 2021-09-22
        assert deadline_with_suspensions(
            self.start, 6, [(date(2021, 4, 1), date(2021, 4, 10))]
        ).value == date(2021, 9, 22)

    def test_adjacent_and_overlapping_suspensions_are_merged(self) -> None:
        split = [(date(2021, 4, 1), date(2021, 4, 5)), (date(2021, 4, 6), date(2021, 4, 10))]
        overlapping = [(date(2021, 4, 1), date(2021, 4, 8)), (date(2021, 4, 3), date(2021, 4, 10))]
        one = [(date(2021, 4, 1), date(2021, 4, 10))]
        assert {deadline_with_suspensions(self.start, 6, s).value for s in (split, overlapping, one)} == {
            date(2021, 9, 22)
        }

    def test_days_on_or_before_start_do_not_count(self) -> None:
        before = [(date(2021, 3, 1), date(2021, 3, 10))]
        assert deadline_with_suspensions(self.start, 6, before).value == date(2021, 9, 10)
        straddling = [(date(2021, 3, 1), date(2021, 3, 12))]  # only 11 and 12 March count
        assert deadline_with_suspensions(self.start, 6, straddling).value == date(2021, 9, 13)

    def test_suspension_across_the_nominal_deadline_counts_in_full(self) -> None:
        # running days until 2021-09-04 counted; 5–14 Sept suspended (10 days) → 2021-09-20 → roll
        across = [(date(2021, 9, 5), date(2021, 9, 14))]
        assert deadline_with_suspensions(self.start, 6, across).value == date(2021, 9, 22)

    def test_a_suspension_brought_into_range_by_an_earlier_one_counts(self) -> None:
        first = (date(2021, 4, 1), date(2021, 4, 30))  # deadline → 2021-10-10
        second = (date(2021, 9, 20), date(2021, 9, 29))  # after the nominal 2021-09-10, before 2021-10-10
        assert deadline_with_suspensions(self.start, 6, [second, first]).value == date(2021, 10, 20)

    def test_bad_suspensions(self) -> None:
        with pytest.raises(ValueError, match="早于开始日"):
            deadline_with_suspensions(self.start, 6, [(date(2021, 5, 2), date(2021, 5, 1))])
        with pytest.raises(ValueError, match="两个日期"):
            deadline_with_suspensions(self.start, 6, [(date(2021, 5, 2),)])  # type: ignore[list-item]


@given(known_dates, day_counts)
def test_add_days_ends_on_first_workday_on_or_after_start_plus_n(start: date, n: int) -> None:
    end = add_days(start, n).value
    nominal = start + timedelta(days=n)
    assert end >= nominal and is_workday(end)
    assert all(is_holiday(nominal + timedelta(days=i)) for i in range((end - nominal).days))


@given(known_dates, month_counts)
def test_add_months_ends_on_the_corresponding_day_or_month_end_then_rolls(start: date, n: int) -> None:
    index = start.month - 1 + n
    year, month = start.year + index // 12, index % 12 + 1
    nominal = date(year, month, min(start.day, monthrange(year, month)[1]))
    end = add_months(start, n).value
    assert end >= nominal and is_workday(end)
    assert all(is_holiday(nominal + timedelta(days=i)) for i in range((end - nominal).days))


@given(known_dates, st.integers(min_value=1, max_value=60))
def test_working_days_round_trip(start: date, n: int) -> None:
    end = add_working_days(start, n).value
    assert is_workday(end)
    assert working_days_between(start, end) == n
    assert working_days_between(start, end - timedelta(days=1)) == n - 1


@given(known_dates, st.integers(min_value=1, max_value=4))
def test_add_years_equals_twelve_months(start: date, n: int) -> None:
    assert add_years(start, n).value == add_months(start, 12 * n).value
