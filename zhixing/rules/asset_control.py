"""查控规则 — inquiries, the terms of freezes and seals, renewal reminders, waiting ranks, 超标的.

Rules reference §3. Pure functions of facts and a date; every result carries its citations.
"""

from __future__ import annotations

import calendar as _cal
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from zhixing.rules.params import param_entry
from zhixing.rules.results import Citation, RuleResult
from zhixing.rules.sources import CPL, INVEST, JI_CPL, cite

SEAL = "最高人民法院关于人民法院民事执行中查封、扣押、冻结财产的规定"
NETFREEZE = "最高人民法院关于网络查询、冻结被执行人存款的规定"
EXEC_WORK = "最高人民法院关于人民法院执行工作若干问题的规定（试行）"

CONTROL_TERM = cite(JI_CPL, "第485条")
SEAL_ART19 = Citation(SEAL, "第19条", 2020, "V")
SEAL_ART26 = Citation(SEAL, "第26条", 2020, "V")
SEAL_ART27 = Citation(SEAL, "第27条", 2020, "V")
SEAL_ART28 = Citation(SEAL, "第28条", 2020, "V")
CPL_253 = cite(CPL, "第253条")  # 查询、冻结、划拨；不得超出应当履行义务的范围
CPL_255 = cite(CPL, "第255条")  # 查封、扣押
EXEC_WORK_56 = Citation(EXEC_WORK, "第56条", 2020, "V")
NETFREEZE_3 = Citation(NETFREEZE, "第3条", 2013, "V")
INVEST_13 = cite(INVEST, "第13条")
JI_CPL_484 = cite(JI_CPL, "第484条")

# Which statutory category (parameter asset_control_term_months) each asset kind falls in.
# Deposits 1 year; movables 2 years; real estate and other property rights 3 years (JI-CPL 485).
# Provident-fund balances are treated as deposits and securities as other property rights.
TERM_CATEGORY = {
    "bank_deposit": "bank_deposit",
    "provident_fund": "bank_deposit",
    "vehicle": "movable",
    "real_estate": "real_estate",
    "equity": "other_property_right",
    "securities": "other_property_right",
}

# The control act each kind of asset takes: 冻结 for money and rights, 查封 (or 扣押) for things.
CONTROL_KINDS = {
    "bank_deposit": ("freeze",),
    "provident_fund": ("freeze",),
    "securities": ("freeze",),
    "equity": ("freeze",),
    "real_estate": ("seal",),
    "vehicle": ("seal", "seizure"),
}
DEDUCTIBLE = frozenset({"bank_deposit", "provident_fund", "securities"})


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, _cal.monthrange(year, month)[1]))


def inquiry_basis(*, on: date) -> RuleResult[str]:
    """网络查控的法律依据：the court may inquire into the debtor's property through the network."""
    return RuleResult(
        "网络执行查控：查询被执行人的存款、债券、股票、基金份额等财产情况",
        (CPL_253, INVEST_13, NETFREEZE_3),
    )


def control_kinds(asset_kind: str) -> tuple[str, ...]:
    """The control acts allowed on an asset kind (empty: information, not property)."""
    return CONTROL_KINDS.get(asset_kind, ())


def control_term(asset_kind: str, *, start: date) -> RuleResult[date]:
    """查封、扣押、冻结的期限届满日：起始日起按类别一年、二年或三年，届满日为期限最后一日。"""
    category = TERM_CATEGORY.get(asset_kind)
    if category is None:
        raise ValueError(f"「{asset_kind}」不是可以查封、扣押、冻结的财产")
    entry = param_entry("asset_control_term_months", on=start)
    months = int(entry.value[category])
    return RuleResult(_add_months(start, months) - timedelta(days=1), (entry.citation,), (entry.use(),))


def renewal_term(asset_kind: str, *, current_expiry: date) -> RuleResult[date]:
    """续行：自原期限届满次日起，续行期限不超过同类财产的法定期限。"""
    nxt = control_term(asset_kind, start=current_expiry + timedelta(days=1))
    return RuleResult(nxt.value, (CONTROL_TERM, *nxt.citations), nxt.parameters_used)


def renewal_reminders(expires_on: date, *, on: date) -> RuleResult[tuple[int, ...]]:
    """到今天为止已到期的续行提醒（届满前 30/15/7 日……），按提前日数从大到小。"""
    entry = param_entry("asset_control_renewal_reminder_days", on=on)
    left = (expires_on - on).days
    due = tuple(sorted((int(d) for d in entry.value if left <= int(d)), reverse=True))
    return RuleResult(due, (CONTROL_TERM, entry.citation), (entry.use(),))


def is_expired(expires_on: date, *, on: date) -> RuleResult[bool]:
    """期限届满未续行的，查封、扣押、冻结效力消灭。"""
    return RuleResult(on > expires_on, (SEAL_ART27,))


def rank_effect(rank: int) -> RuleResult[str]:
    """轮候：rank 1 is in effect (首封); a waiting measure takes effect by itself when those before it end."""
    if rank < 1:
        raise ValueError("顺位从 1 开始")
    if rank == 1:
        return RuleResult("effective", (CPL_255, EXEC_WORK_56))
    return RuleResult("waiting", (SEAL_ART26,))


@dataclass(frozen=True)
class Overreach:
    exceeds: bool
    controlled: Decimal  # the value already controlled plus the new one
    limit: Decimal  # outstanding claim (incl. fees) × tolerance
    message: str


def overreach_check(
    *, outstanding: Decimal, controlled_values: Iterable[Decimal], new_value: Decimal | None, on: date
) -> RuleResult[Overreach]:
    """超标的查控提示：已控制与拟控制财产价值合计明显超过应执行金额时提示（须说明理由方可继续）。"""
    entry = param_entry("overreach_tolerance_ratio", on=on)
    total = sum(controlled_values, Decimal(0)) + (new_value or Decimal(0))
    limit = (outstanding * Decimal(entry.value) / Decimal(100)).quantize(Decimal("0.01"))
    exceeds = new_value is not None and outstanding >= 0 and total > limit
    message = (
        f"已控制与拟控制财产价值合计 {total:,.2f} 元，超过应执行金额 {outstanding:,.2f} 元的 {entry.value}%"
        if exceeds
        else ""
    )
    return RuleResult(
        Overreach(exceeds, total, limit, message), (CPL_253, SEAL_ART19, entry.citation), (entry.use(),)
    )


def release_basis(ground: str) -> RuleResult[str]:
    """解除查封、扣押、冻结的事由（查封规定第28条）。"""
    grounds = {
        "case_closed": "案件执行完毕或终结",
        "paid": "债务已清偿",
        "third_party": "查封财产属于案外人",
        "excess": "超标的部分解除",
        "guarantee": "申请执行人接受担保",
        "other": "其他应当解除的情形",
    }
    if ground not in grounds:
        raise ValueError(f"未知的解除事由「{ground}」")
    return RuleResult(grounds[ground], (SEAL_ART28,))


def deduction_basis() -> RuleResult[str]:
    """扣划：扣划裁定同时具有冻结的效力。"""
    return RuleResult("扣划被执行人存款", (JI_CPL_484, CPL_253))


@dataclass(frozen=True)
class DisposalRight:
    """Who disposes of sealed property, and when a waiting court may ask for the file."""

    disposing_court: str  # the first sealing court's code
    transfer_from: date | None  # first day our court may ask for transfer; None: no ground
    ground: str


def disposal_right(
    *,
    first_sealing_court: str,
    first_sealed_on: date | None,
    our_claim_has_priority: bool,
    first_is_preservation: bool,
    disposal_started: bool,
    on: date,
) -> RuleResult[DisposalRight]:
    """首封法院处分；例外：优先债权法院（首封逾 60 日未处分）、轮候执行法院（保全首封逾 1 年）。

    The first sealing court handles disposal (EXEC-WORK Art. 56). A court enforcing a claim with a prior
    security right or priority may ask for transfer once more than 60 days have passed since the first
    sealing without an auction notice or a sale (FIRSTSEAL Art. 1); the first sealing court issues its letter
    within 15 days (Art. 2). Where the first sealing was preservation and the property has not been
    disposed of more than a year after it, the earliest waiting enforcement court may ask (PRES Art. 21).
    """
    citations: list[Citation] = [EXEC_WORK_56]
    used = []
    if first_sealed_on is None or disposal_started:
        why = "首封法院已启动处分" if disposal_started else "首封日期不明"
        return RuleResult(DisposalRight(first_sealing_court, None, why), tuple(citations))
    candidates: list[tuple[date, str]] = []
    if our_claim_has_priority:
        entry = param_entry("first_seal_priority_transfer_days", on=first_sealed_on)
        letter = param_entry("first_seal_transfer_letter_days", on=first_sealed_on)
        # "more than 60 days": the first day after the 60th
        candidates.append(
            (first_sealed_on + timedelta(days=int(entry.value) + 1), "优先债权执行法院可要求首封法院移送执行")
        )
        citations += [entry.citation, letter.citation]
        used += [entry.use(), letter.use()]
    if first_is_preservation:
        entry = param_entry("preservation_disposal_transfer_years", on=first_sealed_on)
        candidates.append(
            (
                _add_months(first_sealed_on, 12 * int(entry.value)) + timedelta(days=1),
                "轮候执行法院可商请保全法院移送",
            )
        )
        citations.append(entry.citation)
        used.append(entry.use())
    if not candidates:
        return RuleResult(DisposalRight(first_sealing_court, None, "由首封法院处分"), tuple(citations))
    when, why = min(candidates)
    return RuleResult(DisposalRight(first_sealing_court, when, why), tuple(citations), tuple(used))
