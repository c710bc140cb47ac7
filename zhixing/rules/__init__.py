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
from zhixing.rules.closing import (
    Checklist,
    ChecklistItem,
    ClosingFacts,
    ClosingMode,
    closing_check,
    reinquiry_schedule,
)
from zhixing.rules.deadlines import enforcement_deadline, statutory_deadline
from zhixing.rules.filing import (
    FilingDecision,
    FilingFacts,
    Finding,
    TitleFacts,
    application_deadline,
    filing_check,
)
from zhixing.rules.nodes import NODE_CATALOGUE, NodeSpec, alert_level, initial_nodes, node_deadline
from zhixing.rules.objections import ObjectionKind, objection_deadlines, review_application_deadline
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
from zhixing.rules.settlement import (
    Instalment,
    Payment,
    SettlementState,
    restoration_deadline,
    settlement_state,
)
from zhixing.rules.stages import Stage, StageError, allowed_targets, check_transition
from zhixing.rules.suspension import SUSPENSION_GROUNDS, suspension_ground
from zhixing.rules.triage import TriageFacts, TriageOutcome

__all__ = [
    "ENFORCEMENT_TYPE_CODES",
    "NODE_CATALOGUE",
    "SUSPENSION_GROUNDS",
    "CalendarUnknownYear",
    "CaseNumber",
    "CaseNumberError",
    "Checklist",
    "ChecklistItem",
    "Citation",
    "ClosingFacts",
    "ClosingMode",
    "FilingDecision",
    "FilingFacts",
    "Finding",
    "HolidayCalendar",
    "HolidayYear",
    "Instalment",
    "NoValueInForce",
    "NodeSpec",
    "ObjectionKind",
    "Parameter",
    "ParameterEntry",
    "ParameterError",
    "ParameterFileError",
    "ParameterUse",
    "Payment",
    "RuleResult",
    "SettlementState",
    "Stage",
    "StageError",
    "Suspension",
    "TitleFacts",
    "TriageFacts",
    "TriageOutcome",
    "TypeCode",
    "UnknownParameter",
    "add_days",
    "add_months",
    "add_working_days",
    "add_years",
    "alert_level",
    "allowed_targets",
    "application_deadline",
    "check_transition",
    "closing_check",
    "days_between",
    "deadline_with_suspensions",
    "default_calendar",
    "enforcement_deadline",
    "filing_check",
    "get_parameter",
    "initial_nodes",
    "is_holiday",
    "is_workday",
    "node_deadline",
    "objection_deadlines",
    "param",
    "param_entry",
    "parameter_names",
    "parse_case_number",
    "reinquiry_schedule",
    "restoration_deadline",
    "review_application_deadline",
    "settlement_state",
    "statutory_deadline",
    "suspension_ground",
    "working_days_between",
]
