"""上级法院的执行监督权：督促执行令、提级执行、指定执行、交叉执行。

Rules reference §14 and §2.3. A case not executed for six months from the day the enforcing court
received the application lets the upper court order enforcement within a time limit (督促执行令),
enforce the case itself (提级执行) or designate another court (指定执行) — CPL Art. 237, EXEC-PROC
Arts. 10–12. If the time-limited order is not met, the upper court **must** elevate or designate.
交叉执行 (an SPC pilot, opinion of 2024-06-17) hands the case to another court of the district; its
criteria were not read and are unverified parameters.

Decisions:

* **"超过六个月"** (parameter ``upper_court_application_months``) runs from the day the application was
  received (收到申请执行书之日, CPL Art. 237), and excludes the number itself (CIVCODE Art. 1259): the
  six months end on the corresponding day, and the power exists only from the next day. That end is
  **not** rolled over holidays — nobody has to act by that day; the law fixes a minimum age of the
  case (the same reading as the three months of 终本, :mod:`zhixing.rules.closing`).
* **Periods not counted** (EXEC-PROC Art. 13: public notice, appraisal and valuation, jurisdiction
  disputes, coordination of disputes between courts, deferral, suspension) are given by the caller as
  inclusive ``(first, last)`` intervals; every excluded day inside the running period pushes its end
  back by one day.
* The four situations of EXEC-PROC Art. 10 (property at application not executed; property found
  later; a conduct obligation without measures; other) are not told apart: the platform counts from
  the receipt of the application for all of them.
* **The urging order unmet**: once the time limit of a 督促执行令 has passed and the case is not
  closed, the rule reports ``must_escalate``. Whether the delay had good cause (无正当理由) is the
  upper court's judgement, recorded as its reason; escalation and designation are then allowed on
  that ground whatever the six months.
* **The time limit of an urging order** is chosen by the upper court in days; it ends like any period
  in days (start day not counted, a last day on a holiday rolls to the next working day, CPL Art. 85).
* **Who may decide** is a court above the enforcing court in the court tree (a strict ancestor). The
  enforcing court itself, a court below it or a court of another branch has no such power.
* **Targets**: escalation goes to the deciding court itself; designation to another court of its
  district (not the enforcing court, not itself — that is escalation —, never a high court);
  cross enforcement to a court of the district at the level the parameter
  ``cross_enforcement_target_levels`` allows for the enforcing court's level.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType

from zhixing.rules import sources
from zhixing.rules.calendar import HolidayCalendar, add_days
from zhixing.rules.closing import shift_months
from zhixing.rules.filing import Finding
from zhixing.rules.params import ParameterEntry, param_entry, require_date
from zhixing.rules.results import Citation, ParameterUse, RuleResult, merge_citations, merge_parameter_uses
from zhixing.rules.sources import cite

__all__ = [
    "POWER_LABELS",
    "TRANSFER_GROUNDS",
    "CourtRef",
    "Grounds",
    "Power",
    "UpperCourtFacts",
    "elevation_grounds",
    "is_upper_court",
    "pending_period_end",
    "target_problems",
    "transfer_citations",
    "urging_allowed",
    "urging_deadline",
]


class Power(StrEnum):
    """上级法院的执行监督权。"""

    URGING = "urging"
    ESCALATION = "escalation"
    DESIGNATION = "designation"
    CROSS_ENFORCEMENT = "cross_enforcement"

    @property
    def label(self) -> str:
        return POWER_LABELS[self]


POWER_LABELS: Mapping[Power, str] = MappingProxyType(
    {
        Power.URGING: "督促执行",
        Power.ESCALATION: "提级执行",
        Power.DESIGNATION: "指定执行",
        Power.CROSS_ENFORCEMENT: "交叉执行",
    }
)

#: The ground the enforcing court's case is closed with (销案) once the new court has filed it.
TRANSFER_GROUNDS: Mapping[Power, str] = MappingProxyType(
    {
        Power.ESCALATION: "escalated",
        Power.DESIGNATION: "designated",
        Power.CROSS_ENFORCEMENT: "cross_enforced",
    }
)

CPL_237 = cite(sources.CPL, "第237条")
EXEC_PROC_10_12 = cite(sources.EXEC_PROC, "第10条至第12条")
EXEC_PROC_13 = cite(sources.EXEC_PROC, "第13条")
EXEC_WORK_74 = cite(sources.EXEC_WORK, "第74条")
CIVCODE_1259 = cite(sources.CIVCODE, "第1259条")
CHECKS21_28 = cite(sources.CHECKS21, "第28条")
CROSS24 = cite(sources.CROSS24, "")

_BASE: tuple[Citation, ...] = (CPL_237, EXEC_PROC_10_12)
_POWER_CITATIONS: Mapping[Power, tuple[Citation, ...]] = MappingProxyType(
    {
        Power.URGING: _BASE,
        Power.ESCALATION: (*_BASE, EXEC_WORK_74),
        Power.DESIGNATION: (*_BASE, EXEC_WORK_74, CHECKS21_28),
        Power.CROSS_ENFORCEMENT: (*_BASE, CROSS24),
    }
)


def transfer_citations(power: Power | str) -> tuple[Citation, ...]:
    """该项权力所依据的条文（提级、指定、交叉执行的裁定和原案销案时引用）。"""
    return _POWER_CITATIONS[Power(power)]


@dataclasses.dataclass(frozen=True, slots=True)
class UpperCourtFacts:
    """上级法院决定时的案件事实（由 cases 应用汇总）。"""

    received_on: date  # 执行法院收到申请执行书之日
    closed: bool = False
    excluded: tuple[tuple[date, date], ...] = ()  # 不计入的期间（执行程序解释第13条），首尾均含
    urging_deadline: date | None = None  # 最近一份督促执行令的期限


@dataclasses.dataclass(frozen=True, slots=True)
class CourtRef:
    """法院在法院树中的位置：代字、物化路径（"/浙/浙06/"）、层级（high / intermediate / basic）。"""

    code: str
    path: str
    level: str


@dataclasses.dataclass(frozen=True, slots=True)
class Grounds:
    """上级法院能否行使该项权力；refusals 为不能的理由，must_escalate 为应当提级或指定执行。"""

    power: str
    allowed: bool
    must_escalate: bool
    basis: str  # "pending_period" | "urging_unmet" | ""
    period_end: date  # 期间届满日（次日起「超过」）
    refusals: tuple[Finding, ...] = ()

    @property
    def message(self) -> str:
        return "；".join(f.message for f in self.refusals)


def is_upper_court(decider: CourtRef, origin: CourtRef) -> bool:
    """decider 是否为 origin 的上级法院（法院树中严格的祖先）。"""
    return origin.path.startswith(decider.path) and origin.path != decider.path


def _merge(intervals: Iterable[tuple[date, date]]) -> list[tuple[date, date]]:
    merged: list[tuple[date, date]] = []
    for first, last in sorted(intervals):
        require_date(first, "不计入期间的起日")
        require_date(last, "不计入期间的止日")
        if last < first:
            raise ValueError(f"不计入期间的止日 {last.isoformat()} 早于起日 {first.isoformat()}")
        if merged and first <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def _period_end(entry: ParameterEntry, received_on: date, excluded: Iterable[tuple[date, date]]) -> date:
    end = shift_months(received_on, int(entry.value))
    for first, last in _merge(excluded):
        first = max(first, received_on + timedelta(days=1))
        if first > last:
            continue
        if first > end:
            break
        end += timedelta(days=(last - first).days + 1)
    return end


def pending_period_end(
    received_on: date,
    excluded: Iterable[tuple[date, date]] = (),
    *,
    parameter: str = "upper_court_application_months",
    in_force_on: date | None = None,
) -> RuleResult[date]:
    """「超过六个月未执行」的六个月届满日（不顺延）：其次日起上级法院可以督促、提级或指定执行。

    The length is the parameter's value in force on ``in_force_on`` (the day of receipt by default, as
    for every statutory period).
    """
    require_date(received_on, "收到申请执行书之日")
    entry = param_entry(parameter, on=in_force_on or received_on)
    excluded = tuple(excluded)
    citations = (entry.citation, CIVCODE_1259, *((EXEC_PROC_13,) if excluded else ()))
    return RuleResult(
        value=_period_end(entry, received_on, excluded),
        citations=merge_citations(citations),
        parameters_used=(entry.use(),),
    )


def _closed(power: Power) -> Finding:
    return Finding("closed", f"案件已结案，不能{power.label}", (CPL_237,))


def _not_yet(power: Power, end: date, citations: tuple[Citation, ...]) -> Finding:
    return Finding(
        "pending_period_not_reached",
        f"执行法院收到申请执行书之日起至 {end.isoformat()} 未满规定期间（扣除不计入的期间），"
        f"{end.isoformat()} 之后方可{power.label}",
        citations,
    )


def _must(facts: UpperCourtFacts, on: date) -> bool:
    return not facts.closed and facts.urging_deadline is not None and on > facts.urging_deadline


def urging_allowed(facts: UpperCourtFacts, *, on: date) -> RuleResult[Grounds]:
    """督促执行令：超过六个月未执行，且没有期限未届满或已届满未执结的督促执行令。"""
    require_date(on)
    period = pending_period_end(facts.received_on, facts.excluded)
    refusals: list[Finding] = []
    must = _must(facts, on)
    if facts.closed:
        refusals.append(_closed(Power.URGING))
    elif must:
        assert facts.urging_deadline is not None
        refusals.append(
            Finding(
                "urging_unmet",
                f"督促执行令的期限已于 {facts.urging_deadline.isoformat()} 届满而案件未执结，"
                "上级法院应当提级执行或者指定执行，不再督促",
                (EXEC_PROC_10_12,),
            )
        )
    elif facts.urging_deadline is not None and on <= facts.urging_deadline:
        refusals.append(
            Finding(
                "urging_running",
                f"已发出督促执行令，期限至 {facts.urging_deadline.isoformat()} 尚未届满",
                (EXEC_PROC_10_12,),
            )
        )
    elif on <= period.value:
        refusals.append(_not_yet(Power.URGING, period.value, period.citations))
    grounds = Grounds(
        power=Power.URGING.value,
        allowed=not refusals,
        must_escalate=must,
        basis="" if refusals else "pending_period",
        period_end=period.value,
        refusals=tuple(refusals),
    )
    return RuleResult(
        value=grounds,
        citations=merge_citations(_BASE, period.citations, *(f.citations for f in refusals)),
        parameters_used=period.parameters_used,
    )


def elevation_grounds(
    facts: UpperCourtFacts, *, on: date, power: Power | str = Power.ESCALATION
) -> RuleResult[Grounds]:
    """提级执行、指定执行（或交叉执行）的条件：超过规定期间未执行，或督促执行令期限届满未执结。

    For escalation and designation the period is ``upper_court_application_months`` and an unmet urging
    order is a ground by itself (``must_escalate``). Cross enforcement has its own, unverified, period
    (``cross_enforcement_min_pending_months``); an unmet urging order is reported but is no ground for it.
    """
    require_date(on)
    power = Power(power)
    if power == Power.URGING:
        return urging_allowed(facts, on=on)
    cross = power == Power.CROSS_ENFORCEMENT
    refusals: list[Finding] = []
    if cross:
        # a condition of the pilot in force on the day of the decision (NoValueInForce before it)
        period = pending_period_end(
            facts.received_on,
            facts.excluded,
            parameter="cross_enforcement_min_pending_months",
            in_force_on=on,
        )
    else:
        period = pending_period_end(facts.received_on, facts.excluded)
    must = _must(facts, on)
    basis = ""
    if facts.closed:
        refusals.append(_closed(power))
    elif must and not cross:
        basis = "urging_unmet"
    elif on > period.value:
        basis = "pending_period"
    else:
        refusals.append(_not_yet(power, period.value, period.citations))
    grounds = Grounds(
        power=power.value,
        allowed=not refusals,
        must_escalate=must,
        basis=basis,
        period_end=period.value,
        refusals=tuple(refusals),
    )
    return RuleResult(
        value=grounds,
        citations=merge_citations(
            _POWER_CITATIONS[power], period.citations, *(f.citations for f in refusals)
        ),
        parameters_used=period.parameters_used,
    )


def urging_deadline(*, on: date, days: int, holidays: HolidayCalendar | None = None) -> RuleResult[date]:
    """督促执行令的期限：自发出之日起 days 日（始日不计入，届满日为休假日的顺延）。"""
    require_date(on)
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise ValueError(f"督促执行的期限应为正整数日，收到 {days!r}")
    period = add_days(on, days, holidays=holidays)
    return RuleResult(
        value=period.value,
        citations=merge_citations(_BASE, period.citations),
        parameters_used=merge_parameter_uses(period.parameters_used),
    )


def target_problems(
    power: Power | str, *, decider: CourtRef, origin: CourtRef, target: CourtRef, on: date
) -> RuleResult[tuple[Finding, ...]]:
    """执行法院是否可以接受移交：提级为决定法院本身，指定、交叉为辖区内原执行法院以外的法院。"""
    require_date(on)
    power = Power(power)
    problems: list[Finding] = []
    citations: list[Citation] = [CPL_237, EXEC_PROC_10_12]
    uses: list[ParameterUse] = []
    in_district = target.path.startswith(decider.path)
    if power == Power.URGING:
        raise ValueError("督促执行不移交案件")
    if power == Power.ESCALATION:
        if target.path != decider.path:
            problems.append(Finding("not_decider", "提级执行由作出决定的上级法院自行执行", (CPL_237,)))
    elif target.path == origin.path:
        problems.append(Finding("same_court", f"{power.label}须交由原执行法院以外的法院", (CPL_237,)))
    elif not in_district:
        problems.append(
            Finding("outside_district", f"{power.label}只能交由本院辖区内的法院", (CPL_237, EXEC_PROC_10_12))
        )
    elif target.path == decider.path:
        problems.append(Finding("is_decider", "由本院执行的，应当提级执行", (CPL_237,)))
    elif target.level == "high":
        problems.append(Finding("high_court", f"{power.label}不能交由高级人民法院", (CPL_237,)))
    elif power == Power.CROSS_ENFORCEMENT:
        entry = param_entry("cross_enforcement_target_levels", on=on)
        uses.append(entry.use())
        citations.append(entry.citation)
        allowed = tuple(entry.value.get(origin.level, ()))
        if target.level not in allowed:
            problems.append(
                Finding(
                    "level_not_allowed",
                    "交叉执行应交由与原执行法院同级的法院" if allowed else "该层级法院的案件不适用交叉执行",
                    (entry.citation,),
                )
            )
    return RuleResult(
        value=tuple(problems),
        citations=merge_citations(citations, *(f.citations for f in problems)),
        parameters_used=tuple(uses),
    )
