"""执行节点及其期限：立案、确定承办人、执行通知、报告财产令、财产线索、网络查控、执行期限。

Each node of :data:`NODE_CATALOGUE` names its anchor (the date its period runs from), the
parameter that fixes its length and the articles that set it; :func:`node_deadline` computes
the due date with the calendar rules (start day not counted, last day rolls over holidays).

Anchors:

* ``received`` — the day the application (or the trial division's transfer) was received;
  EXEC-WORK Art. 22 / JI-CPL Art. 480 count the performance notice from receipt, not filing;
* ``filed`` — the day the case was filed (立案);
* ``lead_received`` — the day the applicant's asset lead was received (INVEST Art. 2).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import date
from types import MappingProxyType

from zhixing.rules import sources
from zhixing.rules.calendar import HolidayCalendar, Suspension
from zhixing.rules.deadlines import enforcement_deadline, statutory_deadline
from zhixing.rules.params import param, require_date
from zhixing.rules.results import Citation, RuleResult, merge_citations
from zhixing.rules.sources import cite

__all__ = [
    "ALERT_LEVELS",
    "ANCHORS",
    "INITIAL_NODE_CODES",
    "NODE_CATALOGUE",
    "NodeSpec",
    "alert_level",
    "initial_nodes",
    "node_deadline",
]

ANCHORS: Mapping[str, str] = MappingProxyType(
    {"received": "收到执行申请之日", "filed": "立案之日", "lead_received": "收到财产线索之日"}
)
ALERT_LEVELS: Mapping[str, str] = MappingProxyType({"none": "正常", "due_soon": "临期", "overdue": "超期"})


@dataclasses.dataclass(frozen=True, slots=True)
class NodeSpec:
    """节点：代码、名称、起算点、期限参数和依据。"""

    code: str
    title: str
    anchor: str  # "received" | "filed" | "lead_received"
    parameter: str
    citations: tuple[Citation, ...]
    urgent_parameter: str | None = None
    non_litigation_parameter: str | None = None


NODE_CATALOGUE: Mapping[str, NodeSpec] = MappingProxyType(
    {
        spec.code: spec
        for spec in (
            NodeSpec(
                "filing_decision",
                "决定立案或裁定不予受理",
                "received",
                "filing_decision_days",
                (cite(sources.EXEC_WORK, "第16条"), cite(sources.TERM00, "第6条")),
            ),
            NodeSpec(
                "assign_officer",
                "确定承办人",
                "filed",
                "assign_officer_days",
                (cite(sources.TERM06, "第2条"),),
            ),
            NodeSpec(
                "performance_notice",
                "发出执行通知书",
                "received",
                "performance_notice_days",
                (cite(sources.EXEC_WORK, "第22条"), cite(sources.JI_CPL, "第480条")),
            ),
            NodeSpec(
                "asset_report_order",
                "发出报告财产令（与执行通知书一并发出）",
                "received",
                "performance_notice_days",
                (cite(sources.INVEST, "第3条"), cite(sources.EXEC_WORK, "第22条")),
            ),
            NodeSpec(
                "ask_applicant_for_leads",
                "通知申请执行人提供财产线索",
                "filed",
                "ask_applicant_for_leads_days",
                (cite(sources.TERM06, "第5条"),),
            ),
            NodeSpec(
                "first_network_inquiry",
                "发起首次网络查控",
                "filed",
                "first_network_inquiry_days",
                (cite(sources.TERM06, "第6条", "Local"),),
            ),
            NodeSpec(
                "asset_lead_verification",
                "核实申请执行人提供的财产线索",
                "lead_received",
                "asset_lead_verify_days",
                (cite(sources.INVEST, "第2条"),),
                urgent_parameter="asset_lead_verify_urgent_days",
            ),
            NodeSpec(
                "enforcement_period",
                "执行期限届满",
                "filed",
                "enforcement_period_months",
                (
                    cite(sources.EXEC_WORK, "第63条"),
                    cite(sources.TERM00, "第5条"),
                    cite(sources.TERM00, "第9条"),
                ),
                non_litigation_parameter="non_litigation_enforcement_period_months",
            ),
        )
    }
)

#: The nodes every new money case opens with, in this order (the filing decision is already
#: taken when the case is filed, so it is not an open node; compute it with
#: ``node_deadline("filing_decision", anchor_date=received_on)`` for on-time statistics).
INITIAL_NODE_CODES: tuple[str, ...] = (
    "assign_officer",
    "performance_notice",
    "asset_report_order",
    "ask_applicant_for_leads",
    "first_network_inquiry",
    "enforcement_period",
)


def _spec(code: str) -> NodeSpec:
    spec = NODE_CATALOGUE.get(code)
    if spec is None:
        raise ValueError(f"未知的节点「{code}」，可用：{'、'.join(NODE_CATALOGUE)}")
    return spec


def node_deadline(
    code: str,
    *,
    anchor_date: date,
    non_litigation: bool = False,
    suspensions: Sequence[tuple[date, date]] = (),
    urgent: bool = False,
    holidays: HolidayCalendar | None = None,
) -> RuleResult[date]:
    """节点期限届满日：自起算日（不计入）起按参数计算，届满日为休假日的顺延。

    ``non_litigation`` and ``suspensions`` apply only to ``enforcement_period`` (3 months for
    non-litigation titles; suspended intervals not counted, TERM00 Art. 9); ``urgent`` only to
    ``asset_lead_verification`` (3 days instead of 7, INVEST Art. 2). Passing them for another
    node is an error rather than silently ignored.
    """
    spec = _spec(code)
    require_date(anchor_date, f"节点「{spec.title}」的起算日")
    if code != "enforcement_period" and (non_litigation or suspensions):
        raise ValueError(f"只有执行期限适用非诉执行期限或扣除中止等期间，节点「{spec.title}」不适用")
    if urgent and spec.urgent_parameter is None:
        raise ValueError(f"节点「{spec.title}」没有紧急情况下的期限")
    if code == "enforcement_period":
        susp: list[Suspension] = [(first, last) for first, last in suspensions]
        period = enforcement_deadline(
            anchor_date, non_litigation=non_litigation, suspensions=susp, holidays=holidays
        )
    else:
        name = spec.urgent_parameter if urgent and spec.urgent_parameter else spec.parameter
        period = statutory_deadline(name, start=anchor_date, holidays=holidays)
    return RuleResult(
        value=period.value,
        citations=merge_citations(period.citations[:1], spec.citations, period.citations[1:]),
        parameters_used=period.parameters_used,
    )


def initial_nodes(
    *, received_on: date, filed_on: date, non_litigation: bool, holidays: HolidayCalendar | None = None
) -> list[tuple[str, RuleResult[date]]]:
    """新立金钱给付案件的初始节点及其期限：[(节点代码, 期限结果), …]，顺序见 INITIAL_NODE_CODES。"""
    require_date(received_on, "收到申请日")
    require_date(filed_on, "立案日")
    if filed_on < received_on:
        raise ValueError(f"立案日 {filed_on.isoformat()} 早于收到申请日 {received_on.isoformat()}")
    anchors = {"received": received_on, "filed": filed_on}
    nodes = []
    for code in INITIAL_NODE_CODES:
        spec = NODE_CATALOGUE[code]
        nodes.append(
            (
                code,
                node_deadline(
                    code,
                    anchor_date=anchors[spec.anchor],
                    non_litigation=non_litigation and code == "enforcement_period",
                    holidays=holidays,
                ),
            )
        )
    return nodes


def alert_level(due_on: date, *, today: date, done: bool, due_soon_days: int | None = None) -> str:
    """节点提醒级别：none（正常或已完成）、due_soon（临期）、overdue（超期）。

    Overdue when ``today`` is after ``due_on``; due soon when ``due_on`` is within the next
    ``due_soon_days`` calendar days, today and the due day included (parameter
    ``node_due_soon_days`` in force on ``today``, a local practice value, unless the caller
    passes its court's own setting).
    """
    require_date(due_on, "节点期限")
    require_date(today, "当日")
    if done:
        return "none"
    if today > due_on:
        return "overdue"
    window = param("node_due_soon_days", on=today) if due_soon_days is None else due_soon_days
    if isinstance(window, bool) or not isinstance(window, int) or window < 0:
        raise ValueError(f"临期提醒天数应为非负整数，收到 {window!r}")
    return "due_soon" if (due_on - today).days <= window else "none"
