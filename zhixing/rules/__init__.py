"""执行规则（法律即代码）：纯 Python，不依赖 Django，不读时钟和数据库。

Rules are pure functions of facts and a date (``on: date``); each returns a
:class:`RuleResult` carrying the articles it applied and the dated parameters it read.
Legal numbers live only in ``zhixing/rules/parameters/`` (see its README).
"""

from zhixing.rules.calendar import (
    CalendarUnknownYear,
    HolidayCalendar,
    HolidayYear,
    Suspension,
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
from zhixing.rules.case_numbers import ENFORCEMENT_TYPE_CODES, CaseNumber, CaseNumberError, TypeCode
from zhixing.rules.case_numbers import parse as parse_case_number
from zhixing.rules.deadlines import enforcement_deadline, statutory_deadline
from zhixing.rules.params import (
    NoValueInForce,
    Parameter,
    ParameterEntry,
    ParameterError,
    ParameterFileError,
    UnknownParameter,
    get_parameter,
    param,
    param_entry,
    parameter_names,
)
from zhixing.rules.results import Citation, ParameterUse, RuleResult

__all__ = [
    "ENFORCEMENT_TYPE_CODES",
    "CalendarUnknownYear",
    "CaseNumber",
    "CaseNumberError",
    "Citation",
    "HolidayCalendar",
    "HolidayYear",
    "NoValueInForce",
    "Parameter",
    "ParameterEntry",
    "ParameterError",
    "ParameterFileError",
    "ParameterUse",
    "RuleResult",
    "Suspension",
    "TypeCode",
    "UnknownParameter",
    "add_days",
    "add_months",
    "add_working_days",
    "add_years",
    "days_between",
    "deadline_with_suspensions",
    "default_calendar",
    "enforcement_deadline",
    "get_parameter",
    "is_holiday",
    "is_workday",
    "param",
    "param_entry",
    "parameter_names",
    "parse_case_number",
    "statutory_deadline",
    "working_days_between",
]
