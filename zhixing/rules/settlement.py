"""执行和解：分期履行情况（是否违约）和申请恢复执行的期间。

Decisions:

* Payments made on or before ``on`` are applied in date order to the instalments in due order
  (a payment first fills the earliest unpaid instalment); payments after ``on`` are ignored.
* An instalment is **missed** when ``on`` is after its due date **rolled over holidays** and the
  cumulative amount paid by ``on`` is less than the cumulative amount due up to and including
  it. The roll-over follows CIVCODE Arts. 203–204 (the last day of a period agreed by the parties
  that is a statutory holiday moves to the next working day, unless the parties agreed
  otherwise): a debtor whose instalment falls on 1 October may pay on the first working day
  after the National Day holiday without being in default.
* A late payment made before ``on`` cures the arrear: the state describes the settlement *as of*
  ``on``; whether an earlier delay justifies restoring the original title is for the court (SETTLE
  Art. 11: no restoration while the debtor is performing).
* Money is conserved: ``paid + outstanding == total + overpaid``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from zhixing.rules import sources
from zhixing.rules.calendar import HolidayCalendar, add_days
from zhixing.rules.deadlines import statutory_deadline
from zhixing.rules.params import require_date
from zhixing.rules.results import Citation, RuleResult, merge_citations, merge_parameter_uses
from zhixing.rules.sources import cite

__all__ = ["Instalment", "Payment", "SettlementState", "restoration_deadline", "settlement_state"]

_ZERO = Decimal("0")
_ONE_DAY = timedelta(days=1)

SETTLE_8 = cite(sources.SETTLE, "第8条")
SETTLE_9 = cite(sources.SETTLE, "第9条")
SETTLE_10 = cite(sources.SETTLE, "第10条")
SETTLE_11 = cite(sources.SETTLE, "第11条")
CPL_241 = cite(sources.CPL, "第241条")
JI_CPL_465 = cite(sources.JI_CPL, "第465条")
JI_CPL_466 = cite(sources.JI_CPL, "第466条")
CIVCODE_203 = cite(sources.CIVCODE, "第203条")
CIVCODE_204 = cite(sources.CIVCODE, "第204条")


@dataclasses.dataclass(frozen=True, slots=True)
class Instalment:
    """和解协议约定的一期履行：到期日和金额（元）。"""

    due_on: date
    amount: Decimal


@dataclasses.dataclass(frozen=True, slots=True)
class Payment:
    """一笔履行：付款日和金额（元）。"""

    paid_on: date
    amount: Decimal


@dataclasses.dataclass(frozen=True, slots=True)
class SettlementState:
    """和解协议在某日的履行情况。"""

    paid: Decimal
    due_so_far: Decimal
    outstanding: Decimal
    defaulted: bool
    first_missed: Instalment | None
    fully_performed: bool
    total: Decimal = _ZERO
    overpaid: Decimal = _ZERO
    arrears: Decimal = _ZERO
    first_missed_grace_until: date | None = None


def _amount(value: object, what: str) -> Decimal:
    if not isinstance(value, Decimal) or not value.is_finite() or value <= 0:
        raise ValueError(f"{what}应为正的 Decimal 金额，收到 {value!r}")
    return value


def settlement_state(
    instalments: Sequence[Instalment],
    payments: Sequence[Payment],
    *,
    on: date,
    holidays: HolidayCalendar | None = None,
) -> RuleResult[SettlementState]:
    """和解协议截至 on 日的履行情况：已付、已到期、未付、是否违约（首个逾期未付的一期）。"""
    require_date(on)
    if not instalments:
        raise ValueError("和解协议至少应有一期履行")
    for i in instalments:
        require_date(i.due_on, "履行期限")
        _amount(i.amount, "每期履行金额")
    for p in payments:
        require_date(p.paid_on, "付款日")
        _amount(p.amount, "付款金额")

    schedule = sorted(instalments, key=lambda i: i.due_on)
    total = sum((i.amount for i in schedule), _ZERO)
    paid = sum((p.amount for p in payments if p.paid_on <= on), _ZERO)
    due_so_far = sum((i.amount for i in schedule if i.due_on <= on), _ZERO)

    first_missed: Instalment | None = None
    grace_until: date | None = None
    rollovers: list[RuleResult[date]] = []
    cumulative = _ZERO
    for instalment in schedule:
        cumulative += instalment.amount
        if instalment.due_on >= on:
            break  # not past due whatever the roll-over
        # The due day rolled over holidays: add_days(due - 1, 1) is the due day or the next working day.
        rolled = add_days(instalment.due_on - _ONE_DAY, 1, holidays=holidays)
        rollovers.append(rolled)
        if on > rolled.value and paid < cumulative:
            first_missed, grace_until = instalment, rolled.value
            break

    fully_performed = paid >= total
    outstanding = max(total - paid, _ZERO)
    state = SettlementState(
        paid=paid,
        due_so_far=due_so_far,
        outstanding=outstanding,
        defaulted=first_missed is not None and not fully_performed,
        first_missed=first_missed,
        fully_performed=fully_performed,
        total=total,
        overpaid=max(paid - total, _ZERO),
        arrears=max(due_so_far - paid, _ZERO),
        first_missed_grace_until=grace_until,
    )
    citations: list[Citation] = [CPL_241, SETTLE_9, SETTLE_11]
    if fully_performed:
        citations.insert(1, SETTLE_8)
    if state.defaulted:
        citations.append(JI_CPL_465)
    if rollovers:
        citations.extend((CIVCODE_203, CIVCODE_204))
    return RuleResult(
        value=state,
        citations=merge_citations(
            citations, [c for r in rollovers for c in r.citations if c.law.startswith("国务院办公厅")]
        ),
        parameters_used=merge_parameter_uses(*(r.parameters_used for r in rollovers)),
    )


def restoration_deadline(last_performance_day: date) -> RuleResult[date]:
    """申请恢复执行原生效法律文书的期间届满日：自和解协议约定履行期限的最后一日起二年。"""
    period = statutory_deadline("application_time_limit_years", start=last_performance_day)
    return RuleResult(
        value=period.value,
        citations=merge_citations((SETTLE_10, JI_CPL_466), period.citations),
        parameters_used=period.parameters_used,
    )
