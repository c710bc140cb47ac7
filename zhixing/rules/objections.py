"""执行异议、复议、案外人异议的期限（参考资料第13节）。

* 执行行为异议（执异）: file within 3 days of receipt (OBJ Art. 2), decide within 15 days of
  receiving the written objection (CPL Art. 236);
* 执行复议（执复）: the enforcing court forwards the file within 5 days of receiving the
  application (EXEC-PROC Art. 7); the upper court decides within 30 days of receiving it
  (EXEC-PROC Art. 8; +30 days with the president's approval — not computed here). Both are
  counted from ``received_on``: when the application goes through the enforcing court, the upper
  court's own receipt date is later and the caller should pass it for the decision;
* 案外人异议（执异）: file within 3 days (OBJ Art. 2 covers it too), decide within 15 days
  (CPL Art. 238);
* applying for review: within 10 days of service of the objection ruling (CPL Art. 236; written
  form, EXEC-PROC Art. 6).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from zhixing.rules import sources
from zhixing.rules.calendar import HolidayCalendar
from zhixing.rules.deadlines import statutory_deadline
from zhixing.rules.params import require_date
from zhixing.rules.results import Citation, RuleResult, merge_citations, merge_parameter_uses
from zhixing.rules.sources import cite

__all__ = [
    "OBJECTION_KIND_LABELS",
    "OBJECTION_NODES",
    "OBJECTION_TYPE_CODES",
    "ObjectionKind",
    "objection_deadlines",
    "review_application_deadline",
]


class ObjectionKind(StrEnum):
    """执行审查案件的种类。"""

    ACT_OBJECTION = "act_objection"
    REVIEW = "review"
    THIRD_PARTY_OBJECTION = "third_party_objection"

    @property
    def label(self) -> str:
        return OBJECTION_KIND_LABELS[self]

    @property
    def type_code(self) -> str:
        return OBJECTION_TYPE_CODES[self]


OBJECTION_KIND_LABELS: Mapping[ObjectionKind, str] = MappingProxyType(
    {
        ObjectionKind.ACT_OBJECTION: "执行行为异议",
        ObjectionKind.REVIEW: "执行复议",
        ObjectionKind.THIRD_PARTY_OBJECTION: "案外人异议",
    }
)

#: Case type code (类型代字) of the review case each kind opens (rules reference §1.3).
OBJECTION_TYPE_CODES: Mapping[ObjectionKind, str] = MappingProxyType(
    {
        ObjectionKind.ACT_OBJECTION: "执异",
        ObjectionKind.REVIEW: "执复",
        ObjectionKind.THIRD_PARTY_OBJECTION: "执异",
    }
)

_EXEC_PROC_6 = cite(sources.EXEC_PROC, "第6条")

#: kind → ((node code, node title, parameter, extra citations), …)
OBJECTION_NODES: Mapping[ObjectionKind, tuple[tuple[str, str, str, tuple[Citation, ...]], ...]] = (
    MappingProxyType(
        {
            ObjectionKind.ACT_OBJECTION: (
                ("filing", "异议立案", "objection_filing_days", (cite(sources.CPL, "第236条"),)),
                ("decision", "异议审查裁定", "objection_decision_days", ()),
            ),
            ObjectionKind.REVIEW: (
                ("forward_file", "报送复议案卷材料", "review_forward_days", (cite(sources.CPL, "第236条"),)),
                ("decision", "复议审查裁定", "review_decision_days", (cite(sources.CPL, "第236条"),)),
            ),
            ObjectionKind.THIRD_PARTY_OBJECTION: (
                ("filing", "异议立案", "objection_filing_days", (cite(sources.CPL, "第238条"),)),
                ("decision", "异议审查裁定", "third_party_objection_decision_days", ()),
            ),
        }
    )
)


def _kind(kind: str) -> ObjectionKind:
    try:
        return ObjectionKind(kind)
    except ValueError:
        known = "、".join(f"{k.value}（{k.label}）" for k in ObjectionKind)
        raise ValueError(f"未知的异议种类「{kind}」，应为 {known} 之一") from None


def objection_deadlines(
    kind: str, *, received_on: date, holidays: HolidayCalendar | None = None
) -> RuleResult[dict[str, date]]:
    """异议、复议的节点期限：{节点代码: 届满日}，自收到异议（复议申请）之日起算。"""
    require_date(received_on, "收到异议之日")
    nodes = OBJECTION_NODES[_kind(kind)]
    value: dict[str, date] = {}
    results = []
    for code, _title, parameter, extra in nodes:
        period = statutory_deadline(parameter, start=received_on, holidays=holidays)
        value[code] = period.value
        results.append((period, extra))
    return RuleResult(
        value=value,
        citations=merge_citations(
            *(p.citations[:1] for p, _ in results),
            *(extra for _, extra in results),
            *(p.citations[1:] for p, _ in results),
        ),
        parameters_used=merge_parameter_uses(*(p.parameters_used for p, _ in results)),
    )


def review_application_deadline(
    served_on: date, *, holidays: HolidayCalendar | None = None
) -> RuleResult[date]:
    """对异议裁定申请复议的期限届满日：自裁定送达之日起十日。"""
    period = statutory_deadline("review_application_days", start=served_on, holidays=holidays)
    return RuleResult(
        value=period.value,
        citations=merge_citations(period.citations[:1], (_EXEC_PROC_6,), period.citations[1:]),
        parameters_used=period.parameters_used,
    )
