"""结案：六种结案方式的审查清单，以及终本后的定期查询。

:func:`closing_check` returns a :class:`Checklist` for the chosen closing mode; the case may
close in that mode only when ``checklist.ok`` (every item met). The 终本 (no-assets closure)
gate follows rules reference §11.2: ZHONGBEN Arts. 1–5 [Vq] and JI-CPL Art. 517 [V].

Decisions:

* **"More than three months since filing"** (ZHONGBEN Art. 1(4)) excludes the number itself
  (CIVCODE Art. 1259): the three months end on the corresponding day of the third month after
  filing (start day not counted, end of month if there is no such day), and the condition is met
  only on a later day. That end is **not** rolled over holidays: CPL Art. 85 extends a period in
  which a person must *act*, so that a closed office does not cost him time; here nobody has to
  act by that day — the law fixes a minimum age of the case, and rolling would only postpone
  the court's power to close for no protective purpose. (It also keeps the test independent of
  holiday tables.)
* **Recent network inquiry**: at least one network (总对总) inquiry, the last one no earlier than
  ``no_assets_network_inquiry_recency_months`` before the closing day (a Local value from
  终本 compliance checks, unverified), computed as a raw corresponding day as well.
* The **applicant's consent** is not an item: without the applicant's signed confirmation the
  ruling needs a collegial panel and the president's approval (JI-CPL Art. 517), reported as
  ``needs_approval = "president"``.
* **Re-inquiry dates** after 终本 are the raw corresponding days every 6 months for 5 years
  (no holiday roll-over): they are internal reminders, not statutory period ends, and rolling
  would need holiday tables five years ahead that do not exist yet.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import dataclasses
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from zhixing.rules import sources
from zhixing.rules.params import param_entry, require_date
from zhixing.rules.results import Citation, ParameterUse, RuleResult, merge_citations, merge_parameter_uses
from zhixing.rules.sources import cite

__all__ = [
    "CLOSING_MODE_LABELS",
    "DISMISSAL_GROUNDS",
    "REFUSAL_GROUNDS",
    "TERMINATION_GROUNDS",
    "WITHDRAWAL_GROUNDS",
    "Checklist",
    "ChecklistItem",
    "ClosingFacts",
    "ClosingMode",
    "closing_check",
    "reinquiry_schedule",
    "shift_months",
]


class ClosingMode(StrEnum):
    """结案方式（执行工作规定第64条；立案结案意见第14条）。"""

    FULLY_PERFORMED = "fully_performed"
    NO_ASSETS_CLOSURE = "no_assets_closure"
    TERMINATION = "termination"
    WITHDRAWN_FROM_DOCKET = "withdrawn_from_docket"
    REFUSED = "refused"
    DISMISSED = "dismissed"

    @property
    def label(self) -> str:
        return CLOSING_MODE_LABELS[self]


CLOSING_MODE_LABELS: Mapping[ClosingMode, str] = MappingProxyType(
    {
        ClosingMode.FULLY_PERFORMED: "执行完毕",
        ClosingMode.NO_ASSETS_CLOSURE: "终结本次执行程序",
        ClosingMode.TERMINATION: "终结执行",
        ClosingMode.WITHDRAWN_FROM_DOCKET: "销案",
        ClosingMode.REFUSED: "不予执行",
        ClosingMode.DISMISSED: "驳回申请",
    }
)

CPL_268 = "第268条"
EXEC_WORK_64 = cite(sources.EXEC_WORK, "第64条")
FILECLOSE_14 = cite(sources.FILECLOSE, "第14条")
JI_CPL_517 = cite(sources.JI_CPL, "第517条")
CIVCODE_1259 = cite(sources.CIVCODE, "第1259条")
ZB_1 = cite(sources.ZHONGBEN, "第1条")
ZB_2 = cite(sources.ZHONGBEN, "第2条")
ZB_3 = cite(sources.ZHONGBEN, "第3条", "U")
ZB_4 = cite(sources.ZHONGBEN, "第4条")
ZB_5 = cite(sources.ZHONGBEN, "第5条")
SETTLE_8 = cite(sources.SETTLE, "第8条")

TERMINATION_GROUNDS: Mapping[str, tuple[str, Citation]] = MappingProxyType(
    {
        "applicant_withdraws": ("申请人撤销申请", cite(sources.CPL, "第268条第1项")),
        "title_revoked": ("据以执行的法律文书被撤销", cite(sources.CPL, "第268条第2项")),
        "debtor_died_no_estate": (
            "作为被执行人的公民死亡，无遗产可供执行，又无义务承担人",
            cite(sources.CPL, "第268条第3项"),
        ),
        "maintenance_creditor_died": (
            "追索赡养费、扶养费、抚养费案件的权利人死亡",
            cite(sources.CPL, "第268条第4项"),
        ),
        "debtor_hardship": (
            "作为被执行人的公民因生活困难无力偿还借款，无收入来源，又丧失劳动能力",
            cite(sources.CPL, "第268条第5项"),
        ),
        "other": ("人民法院认为应当终结执行的其他情形", cite(sources.CPL, "第268条第6项")),
        "debtor_bankrupt": ("被执行人被人民法院裁定宣告破产", cite(sources.EXEC_WORK, "第61条")),
        "object_destroyed": (
            "执行标的物为特定物且已毁损或者灭失，双方当事人对折价赔偿不能协商一致",
            cite(sources.JI_CPL, "第492条"),
        ),
        "settlement_withdrawn": ("达成执行和解协议后申请执行人撤回执行申请", cite(sources.JI_CPL, "第464条")),
        "settlement_suit_accepted": (
            "申请执行人就执行和解协议提起诉讼并被受理",
            cite(sources.SETTLE, "第14条"),
        ),
    }
)

WITHDRAWAL_GROUNDS: Mapping[str, tuple[str, Citation]] = MappingProxyType(
    {
        "entrusted_out": ("委托异地法院执行，已收到受托法院的立案通知", cite(sources.ENTRUST, "第2条")),
        "duplicate_filing": (
            "立案后发现其他有管辖权的法院已先立案（重复立案）",
            cite(sources.EXEC_PROC, "第2条"),
        ),
        "jurisdiction_objection_upheld": (
            "当事人对执行管辖权提出的异议成立",
            cite(sources.EXEC_PROC, "第3条"),
        ),
    }
)

REFUSAL_GROUNDS: Mapping[str, tuple[str, Citation]] = MappingProxyType(
    {
        "arbitration_award_refused": ("仲裁裁决经审查裁定不予执行", cite(sources.CPL, "第248条")),
        "notarised_debt_refused": ("公证债权文书确有错误，裁定不予执行", cite(sources.CPL, "第249条")),
        "limitation_objection_upheld": (
            "被执行人以超过申请执行时效期间提出异议，经审查异议成立",
            cite(sources.JI_CPL, "第481条"),
        ),
    }
)

DISMISSAL_GROUNDS: Mapping[str, tuple[str, Citation]] = MappingProxyType(
    {
        "acceptance_conditions_not_met": (
            "立案后发现不符合受理条件（执行依据未生效、未逾期不履行、本院无管辖权等）",
            cite(sources.EXEC_WORK, "第16条"),
        ),
        "applicant_not_entitled": (
            "申请执行人不是生效法律文书确定的权利人或其继承人、权利承受人",
            cite(sources.EXEC_WORK, "第16条"),
        ),
        "content_not_definite": (
            "执行依据的权利义务主体或给付内容不明确",
            cite(sources.JI_CPL, "第461条", "U"),
        ),
    }
)

_GROUND_TABLES: Mapping[ClosingMode, Mapping[str, tuple[str, Citation]]] = MappingProxyType(
    {
        ClosingMode.TERMINATION: TERMINATION_GROUNDS,
        ClosingMode.WITHDRAWN_FROM_DOCKET: WITHDRAWAL_GROUNDS,
        ClosingMode.REFUSED: REFUSAL_GROUNDS,
        ClosingMode.DISMISSED: DISMISSAL_GROUNDS,
    }
)


@dataclasses.dataclass(frozen=True, slots=True)
class ClosingFacts:
    """结案审查所依据的案件事实（由 cases 应用从案件记录汇总）。"""

    filed_on: date
    performance_notice_issued: bool = False
    asset_report_order_issued: bool = False
    asset_report_handled: bool = False
    network_inquiries: int = 0
    last_network_inquiry_on: date | None = None
    consumption_restriction_issued: bool = False
    dishonest_listing_required: bool = False
    dishonest_listing_done: bool = False
    applicant_interviewed: bool = False
    disposable_property_found: bool = False
    unverified_leads: int = 0
    debtor_missing: bool = False
    debtor_searched: bool = False
    obstruction: bool = False
    obstruction_sanctioned: bool = False
    outstanding_amount: Decimal = Decimal("0")
    ledger_shows_full_performance: bool = False
    applicant_confirms_full_performance: bool = False
    applicant_consents: bool = False  # the applicant's signed confirmation (JI-CPL 517)
    ground: str | None = None  # for termination / withdrawal / refusal / dismissal


@dataclasses.dataclass(frozen=True, slots=True)
class ChecklistItem:
    """审查项：代码、名称、是否满足、具体情况、依据。"""

    code: str
    title: str
    met: bool
    detail: str
    citations: tuple[Citation, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class Checklist:
    """结案审查清单；needs_approval 为 "president" 时须经合议庭审查并报院长批准。"""

    mode: str
    items: tuple[ChecklistItem, ...]
    needs_approval: str | None = None

    @property
    def ok(self) -> bool:
        """全部审查项均满足。"""
        return all(item.met for item in self.items)

    @property
    def unmet(self) -> tuple[ChecklistItem, ...]:
        """未满足的审查项。"""
        return tuple(item for item in self.items if not item.met)

    @property
    def unmet_codes(self) -> tuple[str, ...]:
        return tuple(item.code for item in self.unmet)

    @property
    def summary(self) -> str:
        """中文摘要：可以结案，或列出未满足的事项。"""
        label = CLOSING_MODE_LABELS[ClosingMode(self.mode)]
        if self.ok:
            return f"符合「{label}」的结案条件"
        return f"不符合「{label}」的结案条件，尚缺：" + "；".join(item.title for item in self.unmet)


def shift_months(start: date, months: int) -> date:
    """对应日：start 之后第 months 个月的同一日，无该日的为该月末日（不顺延节假日）。

    A negative ``months`` counts backwards (used for "within N months before").
    """
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, _stdlib_calendar.monthrange(year, month)[1]))


def _item(code: str, title: str, met: bool, detail: str, *citations: Citation) -> ChecklistItem:
    return ChecklistItem(code=code, title=title, met=met, detail=detail, citations=tuple(citations))


def _yes(flag: bool, yes: str, no: str) -> str:
    return yes if flag else no


def _no_assets_items(facts: ClosingFacts, on: date) -> tuple[list[ChecklistItem], list[ParameterUse]]:
    min_months = param_entry("no_assets_closure_min_months", on=on)
    recency = param_entry("no_assets_network_inquiry_recency_months", on=on)
    items: list[ChecklistItem] = []

    items.append(
        _item(
            "performance_notice",
            "已发出执行通知书",
            facts.performance_notice_issued,
            _yes(facts.performance_notice_issued, "已发出执行通知书", "未发出执行通知书"),
            ZB_1,
        )
    )
    items.append(
        _item(
            "asset_report_order",
            "已责令被执行人报告财产",
            facts.asset_report_order_issued,
            _yes(facts.asset_report_order_issued, "已发出报告财产令", "未发出报告财产令"),
            ZB_1,
            ZB_2,
        )
    )
    items.append(
        _item(
            "asset_report_handled",
            "财产报告已核查，拒报、迟报、虚报已依法处理",
            facts.asset_report_handled,
            _yes(facts.asset_report_handled, "已核查处理并记录在卷", "财产报告尚未核查处理"),
            ZB_2,
        )
    )

    earliest = shift_months(on, -recency.value)
    last = facts.last_network_inquiry_on
    if last is not None:
        require_date(last, "最近一次网络查控日")
        if last > on:
            raise ValueError(f"最近一次网络查控日 {last.isoformat()} 晚于审查日 {on.isoformat()}")
    recent = facts.network_inquiries >= 1 and last is not None and last >= earliest
    if facts.network_inquiries < 1 or last is None:
        detail = "尚未通过网络执行查控系统查询被执行人财产"
    elif not recent:
        detail = (
            f"最近一次网络查控在 {last.isoformat()}，早于 {earliest.isoformat()}"
            f"（结案前{recency.value}个月内），应重新查询"
        )
    else:
        detail = f"已网络查控 {facts.network_inquiries} 次，最近一次在 {last.isoformat()}"
    items.append(
        _item(
            "network_inquiry",
            f"结案前{recency.value}个月内已通过网络执行查控系统查询",
            recent,
            detail,
            ZB_1,
            ZB_3,
            recency.citation,
        )
    )

    items.append(
        _item(
            "consumption_restriction",
            "已发出限制消费令",
            facts.consumption_restriction_issued,
            _yes(facts.consumption_restriction_issued, "已限制消费", "未发出限制消费令"),
            ZB_1,
        )
    )
    listing_ok = not facts.dishonest_listing_required or facts.dishonest_listing_done
    items.append(
        _item(
            "dishonest_listing",
            "符合条件的被执行人已纳入失信被执行人名单",
            listing_ok,
            "无须纳入失信名单"
            if not facts.dishonest_listing_required
            else _yes(facts.dishonest_listing_done, "已纳入失信名单", "符合纳入条件但尚未纳入失信名单"),
            ZB_1,
        )
    )
    items.append(
        _item(
            "no_disposable_property",
            "未发现可供执行的财产，或发现的财产不能处置",
            not facts.disposable_property_found,
            _yes(
                facts.disposable_property_found,
                "已发现可供处置的财产，应先行处置（未经拍卖、变卖的财产不属于不能处置）",
                "未发现可供执行或可处置的财产",
            ),
            ZB_1,
            ZB_4,
        )
    )
    if facts.unverified_leads < 0:
        raise ValueError(f"未核实的财产线索数不能为负：{facts.unverified_leads}")
    items.append(
        _item(
            "leads_verified",
            "申请执行人或他人提供的财产线索均已核实",
            facts.unverified_leads == 0,
            "财产线索均已核实"
            if facts.unverified_leads == 0
            else f"尚有 {facts.unverified_leads} 条财产线索未核实",
            ZB_1,
            ZB_3,
        )
    )

    three_months = shift_months(facts.filed_on, min_months.value)
    aged = on > three_months
    items.append(
        _item(
            "more_than_three_months",
            f"自立案之日起已超过{min_months.value}个月",
            aged,
            f"立案于 {facts.filed_on.isoformat()}，{min_months.value}个月于 {three_months.isoformat()} 届满；"
            + (
                "已超过"
                if aged
                else f"「超过」不含本数，{(three_months.toordinal() + 1 - on.toordinal())}日后（"
                f"{date.fromordinal(three_months.toordinal() + 1).isoformat()}起）方可终本"
            ),
            min_months.citation,
            CIVCODE_1259,
        )
    )
    items.append(
        _item(
            "debtor_searched",
            "下落不明的被执行人已依法查找",
            not facts.debtor_missing or facts.debtor_searched,
            "被执行人下落清楚"
            if not facts.debtor_missing
            else _yes(facts.debtor_searched, "已依法查找被执行人", "被执行人下落不明，尚未依法查找"),
            ZB_1,
        )
    )
    items.append(
        _item(
            "obstruction_sanctioned",
            "妨害执行行为已依法罚款、拘留或移送追究刑事责任",
            not facts.obstruction or facts.obstruction_sanctioned,
            "无妨害执行行为"
            if not facts.obstruction
            else _yes(facts.obstruction_sanctioned, "已依法惩戒", "存在妨害执行行为，尚未依法惩戒"),
            ZB_1,
        )
    )
    items.append(
        _item(
            "applicant_interviewed",
            "已约谈申请执行人，告知案件情况并听取意见",
            facts.applicant_interviewed,
            _yes(facts.applicant_interviewed, "已约谈并记录在卷", "尚未约谈申请执行人"),
            ZB_5,
        )
    )
    performed = facts.ledger_shows_full_performance or facts.applicant_confirms_full_performance
    items.append(
        _item(
            "not_fully_performed",
            "债权尚未全部实现",
            not performed,
            "债权已全部实现，应以「执行完毕」结案"
            if performed
            else f"尚未履行金额 {facts.outstanding_amount} 元",
            EXEC_WORK_64,
        )
    )
    return items, [min_months.use(), recency.use()]


def _ground_items(mode: ClosingMode, facts: ClosingFacts) -> list[ChecklistItem]:
    table = _GROUND_TABLES[mode]
    label = CLOSING_MODE_LABELS[mode]
    entry = table.get(facts.ground) if facts.ground is not None else None
    if entry is not None:
        text, citation = entry
        return [_item("ground", f"具有{label}的法定事由", True, text, citation)]
    valid = "；".join(f"{key}（{text}）" for key, (text, _) in table.items())
    problem = "未选择事由" if facts.ground is None else f"未知的事由「{facts.ground}」"
    return [_item("ground", f"具有{label}的法定事由", False, f"{problem}，可选：{valid}", FILECLOSE_14)]


def closing_check(mode: str, facts: ClosingFacts, *, on: date) -> RuleResult[Checklist]:
    """结案审查：按结案方式列出审查项及是否满足（on 为拟结案之日）。"""
    require_date(on, "拟结案日")
    require_date(facts.filed_on, "立案日")
    try:
        closing_mode = ClosingMode(mode)
    except ValueError:
        known = "、".join(f"{m.value}（{m.label}）" for m in ClosingMode)
        raise ValueError(f"未知的结案方式「{mode}」，应为 {known} 之一") from None
    if on < facts.filed_on:
        raise ValueError(f"拟结案日 {on.isoformat()} 早于立案日 {facts.filed_on.isoformat()}")

    uses: list[ParameterUse] = []
    needs_approval: str | None = None
    base: tuple[Citation, ...] = (EXEC_WORK_64,)
    if closing_mode is ClosingMode.NO_ASSETS_CLOSURE:
        items, uses = _no_assets_items(facts, on)
        needs_approval = None if facts.applicant_consents else "president"
        base = (EXEC_WORK_64, ZB_1, JI_CPL_517)
    elif closing_mode is ClosingMode.FULLY_PERFORMED:
        performed = facts.ledger_shows_full_performance or facts.applicant_confirms_full_performance
        if facts.ledger_shows_full_performance:
            detail = "执行款台账显示已全部履行"
        elif facts.applicant_confirms_full_performance:
            detail = "申请执行人确认已全部履行"
        else:
            detail = f"尚未全部履行（未履行金额 {facts.outstanding_amount} 元），申请执行人亦未确认"
        items = [
            _item(
                "full_performance",
                "生效法律文书确定的义务已全部履行",
                performed,
                detail,
                EXEC_WORK_64,
                SETTLE_8,
            )
        ]
    else:
        items = _ground_items(closing_mode, facts)

    checklist = Checklist(mode=closing_mode.value, items=tuple(items), needs_approval=needs_approval)
    return RuleResult(
        value=checklist,
        citations=merge_citations(base, *(item.citations for item in items)),
        parameters_used=merge_parameter_uses(uses),
    )


def reinquiry_schedule(closed_on: date) -> RuleResult[tuple[date, ...]]:
    """终本后五年内每六个月网络查询一次被执行人财产的日期（对应日，不顺延）。"""
    require_date(closed_on, "终本结案日")
    interval = param_entry("no_assets_reinquiry_interval_months", on=closed_on)
    years = param_entry("no_assets_reinquiry_years", on=closed_on)
    total_months = years.value * 12
    if interval.value < 1:
        raise ValueError("查询间隔应至少为一个月")
    dates = tuple(
        shift_months(closed_on, months) for months in range(interval.value, total_months + 1, interval.value)
    )
    return RuleResult(
        value=dates,
        citations=merge_citations((interval.citation, years.citation, JI_CPL_517)),
        parameters_used=(interval.use(), years.use()),
    )
