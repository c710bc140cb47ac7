"""执行款：申请执行费、迟延履行期间的加倍部分债务利息、执行款发放期限、分配方案（参考资料第10节）。

Decisions (documented here because the texts leave them to the reader):

* **Money** is :class:`~decimal.Decimal` in yuan. Inputs must have at most two decimal places;
  each computation is rounded once, at its end, to 0.01 yuan with ``ROUND_HALF_UP``.
* **Enforcement fee** (FEES Art. 14): marginal bands read from ``enforcement_fee_bands``; an
  amount of at most 10,000 yuan pays the flat 50 yuan, each further band pays its rate on the
  part of the amount inside the band. A case without an amount pays within the range
  ``enforcement_fee_without_amount`` (50–500 yuan), which the court fixes.
* **Delay interest** (DELAYINT Arts. 1–4, CPL Art. 264): ``due_on`` is the **last day** of the
  performance period. Following "自履行期间届满之日起…计算至…履行完毕之日" read with CPL Art. 85 and
  JI-CPL Art. 125 (the starting day is not counted), the delay runs from ``due_on + 1`` through the
  payment date **inclusive**: days = payment date − ``due_on``. So 100,000 yuan due on 1 March and
  paid on 31 March bears 30 days: 100,000 × 0.0175% × 30 = 525.00. A payment reduces the unpaid
  principal from the day after it is made. Payments go to the principal first and only the excess
  to the doubled interest (DELAYINT Art. 4, unless the parties agreed otherwise — not modelled).
  Each period's amount is rounded to the cent; the total is the sum of the rounded periods. The
  rate is the value in force on each day (periods are split where the parameter changes); days
  before the first value (2014-08-01, DELAYINT Art. 7) raise ``NoValueInForce``.
* **Distribution** (JI-CPL Arts. 506–514, EXEC-WORK Arts. 31, 34, 55): see
  :func:`distribution_plan`. Pro rata shares are computed in cents by the largest-remainder
  method (ties by creditor name, then input order), so the shares add up exactly.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from zhixing.rules import sources
from zhixing.rules.calendar import HolidayCalendar
from zhixing.rules.deadlines import statutory_deadline
from zhixing.rules.filing import Finding
from zhixing.rules.params import get_parameter, param_entry, require_date
from zhixing.rules.results import Citation, ParameterUse, RuleResult, merge_citations, merge_parameter_uses
from zhixing.rules.sources import cite

__all__ = [
    "CLAIM_KINDS",
    "DEBTOR_KINDS",
    "Claim",
    "DelayInterest",
    "InterestPeriod",
    "Plan",
    "PlanLine",
    "delay_interest",
    "distribution_objection_deadlines",
    "distribution_plan",
    "enforcement_fee",
    "enforcement_fee_without_amount",
    "payout_deadline",
]

FEES = "诉讼费用交纳办法"
DELAYINT = "最高人民法院关于执行程序中计算迟延履行期间的债务利息适用法律若干问题的解释"

FEES_14 = Citation(FEES, "第14条", 2006, "V")
FEES_20 = Citation(FEES, "第20条", 2006, "V")
DELAYINT_1 = Citation(DELAYINT, "第1条", 2014, "V")
DELAYINT_3 = Citation(DELAYINT, "第3条", 2014, "V")
DELAYINT_4 = Citation(DELAYINT, "第4条", 2014, "V")
CPL_264 = cite(sources.CPL, "第264条")
CPL_85 = cite(sources.CPL, "第85条")
JI_CPL_125 = cite(sources.JI_CPL, "第125条")
JI_CPL_506 = cite(sources.JI_CPL, "第506条")
JI_CPL_508 = cite(sources.JI_CPL, "第508条")
JI_CPL_509 = cite(sources.JI_CPL, "第509条")
JI_CPL_510 = cite(sources.JI_CPL, "第510条")
JI_CPL_511 = cite(sources.JI_CPL, "第511条")
JI_CPL_514 = cite(sources.JI_CPL, "第514条")
EXEC_WORK_31 = cite(sources.EXEC_WORK, "第31条")
EXEC_WORK_34 = cite(sources.EXEC_WORK, "第34条")
EXEC_WORK_55 = cite(sources.EXEC_WORK, "第55条")
BANKR_2 = cite(sources.BANKR, "第2条")
#: Equal-ranking security rights share pro rata (civil code on mortgages) — not read in the reference.
CIVCODE_414 = cite(sources.CIVCODE, "第414条", "U")

CENT = Decimal("0.01")
_ZERO = Decimal("0")
_ONE_DAY = timedelta(days=1)

#: Claim kinds in order of payment (JI-CPL Art. 508; EXEC-WORK Art. 55).
CLAIM_KINDS: Mapping[str, str] = {
    "costs": "执行费用",
    "secured": "担保物权",
    "priority": "优先受偿权",
    "ordinary": "普通债权",
}
#: Debtor kinds: natural person, other organisation (参与分配), enterprise legal person (先封先得/执转破).
DEBTOR_KINDS: Mapping[str, str] = {
    "natural_person": "自然人",
    "other_organisation": "其他组织",
    "enterprise": "企业法人",
}


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _check_money(value: object, what: str) -> Decimal:
    if not isinstance(value, Decimal):
        raise TypeError(f"{what}应为 Decimal（元），收到 {value!r}；金额不得使用浮点数")
    if not value.is_finite():
        raise ValueError(f"{what}应为有限的金额，收到 {value!r}")
    if value != value.quantize(CENT):
        raise ValueError(f"{what}最多保留两位小数（分），收到 {value}")
    if value < 0:
        raise ValueError(f"{what}不得为负数，收到 {value}")
    return value


# --------------------------------------------------------------------------- 申请执行费


def enforcement_fee(amount: Decimal, *, on: date) -> RuleResult[Decimal]:
    """申请执行费：按执行金额或价额超额累进计算（诉讼费用交纳办法第14条）。

    ``on`` is the date whose fee schedule applies (e.g. the date the fee is settled). The fee is
    paid after enforcement and borne by the debtor (FEES Art. 20, 38). ``amount`` must be
    positive; for a case without an amount see :func:`enforcement_fee_without_amount`.
    """
    require_date(on)
    _check_money(amount, "执行金额")
    if amount == 0:
        raise ValueError(
            "执行金额为零：没有执行金额或价额的案件，申请执行费见 enforcement_fee_without_amount"
        )
    entry = param_entry("enforcement_fee_bands", on=on)
    table = entry.value
    fee = Decimal(str(table["base_fee"]))
    bands = sorted(
        ((Decimal(str(b["over"])), Decimal(str(b["rate"]))) for b in table["bands"]), key=lambda b: b[0]
    )
    for index, (lower, rate) in enumerate(bands):
        upper = bands[index + 1][0] if index + 1 < len(bands) else None
        if amount <= lower:
            break
        part = (min(amount, upper) if upper is not None else amount) - lower
        fee += part * rate
    return RuleResult(
        value=_money(fee),
        citations=merge_citations((FEES_14, entry.citation, FEES_20)),
        parameters_used=(entry.use(),),
    )


def enforcement_fee_without_amount(*, on: date) -> RuleResult[tuple[Decimal, Decimal]]:
    """没有执行金额或价额的申请执行费幅度（最低、最高，元）；具体数额由法院在幅度内确定。"""
    require_date(on)
    entry = param_entry("enforcement_fee_without_amount", on=on)
    low, high = (_money(Decimal(str(entry.value[k]))) for k in ("min", "max"))
    return RuleResult(
        value=(low, high),
        citations=merge_citations((FEES_14, entry.citation, FEES_20)),
        parameters_used=(entry.use(),),
    )


# --------------------------------------------------------------------------- 迟延履行利息


@dataclasses.dataclass(frozen=True, slots=True)
class InterestPeriod:
    """一段计息期间：首日、末日（均含）、计息本金、天数、日利率（小数）、利息。"""

    start: date
    end: date
    base: Decimal
    days: int
    daily_rate: Decimal
    amount: Decimal


@dataclasses.dataclass(frozen=True, slots=True)
class DelayInterest:
    """加倍部分债务利息：合计、分段明细、尚欠本金、已付款中冲抵利息的部分、尚欠利息。"""

    total: Decimal
    periods: tuple[InterestPeriod, ...]
    unpaid_principal: Decimal
    paid_towards_interest: Decimal
    outstanding_interest: Decimal


def _rate_segments(start: date, end: date) -> list[tuple[date, date, Any]]:
    """Split [start, end] where the daily rate changes; NoValueInForce before the first value."""
    parameter = get_parameter("delay_interest_daily_rate")
    segments = []
    cursor = start
    while cursor <= end:
        entry = parameter.entry_on(cursor)
        later = [e.effective_from for e in parameter.entries if cursor < e.effective_from <= end]
        segment_end = min(later) - _ONE_DAY if later else end
        segments.append((cursor, segment_end, entry))
        cursor = segment_end + _ONE_DAY
    return segments


def delay_interest(
    *,
    principal: Decimal,
    due_on: date,
    payments: Sequence[tuple[date, Decimal]],
    until: date,
) -> RuleResult[DelayInterest]:
    """迟延履行期间的加倍部分债务利息（民事诉讼法第264条；迟延履行利息解释第1—4条）。

    ``principal`` is the money debt fixed by the title **excluding ordinary interest**;
    ``due_on`` the last day of the performance period (for instalments call once per instalment);
    ``payments`` ``(date, amount)`` pairs — payments after ``until`` are ignored; ``until`` the day
    up to which interest is computed (inclusive), e.g. the date of a transfer (划拨) or of the
    ruling on a sale taking effect (DELAYINT Art. 3). Day count and rounding: module docstring.
    """
    require_date(due_on, "履行期间届满日")
    require_date(until, "计息截止日")
    _check_money(principal, "本金")
    events: dict[date, Decimal] = {}
    for paid_on, amount in payments:
        require_date(paid_on, "付款日")
        _check_money(amount, "付款金额")
        if paid_on <= until:
            events[paid_on] = events.get(paid_on, _ZERO) + amount

    remaining = principal
    paid_total = _ZERO
    # Payments on or before the due day reduce the principal before any interest runs.
    for paid_on in sorted(d for d in events if d <= due_on):
        paid_total += events[paid_on]
        remaining = max(_ZERO, remaining - events[paid_on])

    periods: list[InterestPeriod] = []
    uses: list[ParameterUse] = []
    entry_citations: list[Citation] = []

    def accrue(first: date, last: date, base: Decimal) -> None:
        if base <= 0 or last < first:
            return
        for seg_start, seg_end, entry in _rate_segments(first, last):
            rate = entry.value / 100
            days = (seg_end - seg_start).days + 1
            periods.append(InterestPeriod(seg_start, seg_end, base, days, rate, _money(base * rate * days)))
            uses.append(entry.use())
            entry_citations.append(entry.citation)

    start = due_on + _ONE_DAY
    for paid_on in sorted(d for d in events if d > due_on):
        accrue(start, paid_on, remaining)
        paid_total += events[paid_on]
        remaining = max(_ZERO, remaining - events[paid_on])
        start = paid_on + _ONE_DAY
    accrue(start, until, remaining)

    total = _money(sum((p.amount for p in periods), _ZERO))
    towards_interest = _money(min(max(_ZERO, paid_total - principal), total))
    value = DelayInterest(
        total=total,
        periods=tuple(periods),
        unpaid_principal=_money(remaining),
        paid_towards_interest=towards_interest,
        outstanding_interest=total - towards_interest,
    )
    return RuleResult(
        value=value,
        citations=merge_citations(
            (CPL_264, DELAYINT_1, DELAYINT_3, DELAYINT_4), entry_citations, (CPL_85, JI_CPL_125)
        ),
        parameters_used=merge_parameter_uses(uses),
    )


# --------------------------------------------------------------------------- 执行款发放、分配方案异议期限


def payout_deadline(arrived_on: date, *, holidays: HolidayCalendar | None = None) -> RuleResult[date]:
    """执行款发放期限：自财务部门通知执行款到账之日起三十日内（执行款物管理规定，参数 payout_days）。"""
    return statutory_deadline("payout_days", start=arrived_on, holidays=holidays)


def distribution_objection_deadlines(
    served_on: date,
    *,
    objection_notice_served_on: date | None = None,
    counter_objection_notice_served_on: date | None = None,
    holidays: HolidayCalendar | None = None,
) -> RuleResult[dict[str, date | None]]:
    """分配方案异议的期限（民诉法解释第509—510条；执行程序解释第17—18条）。

    * ``objection``: written objection within 15 days of receiving the plan (``served_on``);
    * ``counter_objection``: the others may object within 15 days of receiving notice of the
      objection (``objection_notice_served_on``);
    * ``suit``: the objector may sue within 15 days of receiving notice of the counter-objection
      (``counter_objection_notice_served_on``).

    A deadline whose starting notice has not been served yet is ``None``.
    """
    require_date(served_on, "分配方案送达日")
    parts: list[tuple[str, str, date | None]] = [
        ("objection", "distribution_objection_days", served_on),
        ("counter_objection", "distribution_counter_objection_days", objection_notice_served_on),
        ("suit", "distribution_suit_days", counter_objection_notice_served_on),
    ]
    value: dict[str, date | None] = {}
    results: list[RuleResult[date]] = []
    for key, name, start in parts:
        if start is None:
            value[key] = None
            continue
        require_date(start, "通知送达日")
        result = statutory_deadline(name, start=start, holidays=holidays)
        value[key] = result.value
        results.append(result)
    return RuleResult(
        value=value,
        citations=merge_citations(*(r.citations for r in results)),
        parameters_used=merge_parameter_uses(*(r.parameters_used for r in results)),
    )


# --------------------------------------------------------------------------- 分配方案


@dataclasses.dataclass(frozen=True, slots=True)
class Claim:
    """参与分配的一项债权。

    ``kind``: ``costs`` (执行费用), ``secured`` (担保物权), ``priority`` (优先受偿权), ``ordinary``.
    ``secured_rank``: for secured and priority claims, the order of creation of the right (lower
    first; the caller ranks statutory priorities against securities); equal ranks share pro rata.
    ``sealing_rank``: order of preservation/sealing (先封先得) for an enterprise debtor.
    ``principal``: for ordinary claims, the principal money debt, paid before the rest of the claim
    (the doubled delay interest, DELAYINT Art. 4); ``None`` means the whole claim is principal.
    """

    creditor: str
    amount: Decimal
    kind: str
    secured_rank: int | None = None
    sealing_rank: int | None = None
    principal: Decimal | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class PlanLine:
    """分配方案的一行：债权人、债权种类、申报数额、分配数额、分配理由和依据。"""

    creditor: str
    kind: str
    claimed: Decimal
    allocated: Decimal
    basis: str
    citations: tuple[Citation, ...]

    @property
    def shortfall(self) -> Decimal:
        """未受清偿的数额（可继续执行，民诉法解释第508条）。"""
        return self.claimed - self.allocated


@dataclasses.dataclass(frozen=True, slots=True)
class Plan:
    """分配方案：各行（按清偿顺序）、退还被执行人的余额、提示。``sum(allocated) + surplus == proceeds``。"""

    proceeds: Decimal
    lines: tuple[PlanLine, ...]
    surplus: Decimal
    ordinary_method: str  # "pro_rata" | "sealing_order" | "none"
    warnings: tuple[Finding, ...] = ()

    @property
    def allocated(self) -> Decimal:
        return sum((line.allocated for line in self.lines), _ZERO)

    @property
    def warning_codes(self) -> tuple[str, ...]:
        return tuple(w.code for w in self.warnings)


def _to_cents(value: Decimal) -> int:
    return int((value * 100).to_integral_value())


def _pro_rata(available: int, claims: Sequence[tuple[int, str, int]]) -> dict[int, int]:
    """Split ``available`` cents over ``(index, creditor, claimed cents)`` by largest remainder."""
    total = sum(c for _, _, c in claims)
    if available >= total:
        return {i: c for i, _, c in claims}
    shares: dict[int, int] = {}
    remainders: list[tuple[int, str, int]] = []
    for index, creditor, claimed in claims:
        share, remainder = divmod(available * claimed, total)
        shares[index] = share
        remainders.append((remainder, creditor, index))
    leftover = available - sum(shares.values())
    remainders.sort(key=lambda r: (-r[0], r[1], r[2]))
    for _, _, index in remainders[:leftover]:
        shares[index] += 1
    return shares


def _pay_groups(
    available: int, groups: Sequence[Sequence[tuple[int, str, int]]]
) -> tuple[dict[int, int], int]:
    """Pay groups in order (each group pro rata within itself); return shares and what is left."""
    paid: dict[int, int] = {}
    for group in groups:
        shares = _pro_rata(available, group)
        for index, cents in shares.items():
            paid[index] = paid.get(index, 0) + cents
        available -= sum(shares.values())
    return paid, available


def _ranked_groups(
    items: Sequence[tuple[int, str, int]], rank: Mapping[int, int | None]
) -> list[list[tuple[int, str, int]]]:
    """Group claims by rank (lower first, ``None`` last); each group is paid pro rata."""
    keyed: dict[tuple[int, int], list[tuple[int, str, int]]] = {}
    for item in items:
        r = rank[item[0]]
        keyed.setdefault((1, 0) if r is None else (0, r), []).append(item)
    return [keyed[k] for k in sorted(keyed)]


def _validate_claims(claims: Sequence[Claim]) -> None:
    for claim in claims:
        if not isinstance(claim, Claim):
            raise TypeError(f"应为 Claim，收到 {claim!r}")
        if claim.kind not in CLAIM_KINDS:
            raise ValueError(f"未知的债权种类「{claim.kind}」，应为 {'/'.join(CLAIM_KINDS)} 之一")
        _check_money(claim.amount, f"{claim.creditor}的债权数额")
        if claim.kind in {"secured", "priority"} and claim.secured_rank is None:
            raise ValueError(
                f"{claim.creditor}的{CLAIM_KINDS[claim.kind]}缺少 secured_rank（设立或受偿顺序）"
            )
        if claim.principal is not None:
            if claim.kind != "ordinary":
                raise ValueError(f"{claim.creditor}：只有普通债权区分本金和加倍部分债务利息")
            _check_money(claim.principal, f"{claim.creditor}的本金")
            if claim.principal > claim.amount:
                raise ValueError(f"{claim.creditor}的本金 {claim.principal} 大于债权数额 {claim.amount}")


def distribution_plan(
    *,
    proceeds: Decimal,
    claims: Sequence[Claim],
    debtor_kind: str,
    on: date,
    insolvent: bool = False,
    single_title: bool = False,
) -> RuleResult[Plan]:
    """执行款分配方案（民诉法解释第506—514条；执行工作规定第31、34、55条）。

    Order of payment:

    1. enforcement costs (JI-CPL Art. 508), pro rata among themselves if short;
    2. secured and priority claims by ``secured_rank`` (JI-CPL Arts. 506 ¶2, 508; EXEC-WORK Arts.
       31, 55 ¶2); equal ranks pro rata;
    3. ordinary claims — principal parts first, then the rest (doubled delay interest, DELAYINT
       Art. 4), each tier distributed as follows:

       * natural person / other organisation debtor: pro rata (参与分配, JI-CPL Arts. 506–508);
       * several creditors under one title (``single_title``), none secured: pro rata (EXEC-WORK
         Art. 55 ¶3);
       * enterprise legal person: in sealing order (``sealing_rank``, unsealed last, equal ranks
         pro rata; JI-CPL Art. 514); with ``insolvent`` the plan warns that 执转破 must be offered
         first (JI-CPL Art. 511).

    4. any surplus returns to the debtor (EXEC-WORK Art. 34).

    The proceeds are assumed to come from the property the secured/priority claims attach to.
    ``on`` is the date of the plan (kept for the result's record and future dated rules).
    """
    require_date(on)
    _check_money(proceeds, "可供分配的执行款")
    if debtor_kind not in DEBTOR_KINDS:
        raise ValueError(f"未知的被执行人类型「{debtor_kind}」，应为 {'/'.join(DEBTOR_KINDS)} 之一")
    _validate_claims(claims)

    available = _to_cents(proceeds)
    paid: dict[int, int] = {}
    citations: list[Citation] = [JI_CPL_508]
    warnings: list[Finding] = []

    def add(shares: Mapping[int, int]) -> None:
        for index, cents in shares.items():
            paid[index] = paid.get(index, 0) + cents

    def item(index: int, cents: int) -> tuple[int, str, int]:
        return (index, claims[index].creditor, cents)

    # 1. Costs.
    costs = [item(i, _to_cents(c.amount)) for i, c in enumerate(claims) if c.kind == "costs"]
    shares, available = _pay_groups(available, [costs])
    add(shares)

    # 2. Secured and priority claims by rank.
    secured = [
        item(i, _to_cents(c.amount)) for i, c in enumerate(claims) if c.kind in {"secured", "priority"}
    ]
    secured_groups = _ranked_groups(secured, {i: claims[i].secured_rank for i, _, _ in secured})
    shares, available = _pay_groups(available, secured_groups)
    add(shares)
    if secured:
        citations += [JI_CPL_506, EXEC_WORK_31, EXEC_WORK_55]
    if any(len(g) > 1 for g in secured_groups):
        citations.append(CIVCODE_414)

    # 3. Ordinary claims: principal tier, then the rest.
    ordinary = [i for i, c in enumerate(claims) if c.kind == "ordinary"]
    if not ordinary:
        method = "none"
    elif debtor_kind == "enterprise" and not single_title:
        method = "sealing_order"
    else:
        method = "pro_rata"
    principal_cents = {i: _to_cents(_principal(claims[i])) for i in ordinary}
    tiers = [
        [item(i, principal_cents[i]) for i in ordinary],
        [item(i, _to_cents(claims[i].amount) - principal_cents[i]) for i in ordinary],
    ]
    for raw_tier in tiers:
        tier = [t for t in raw_tier if t[2] > 0]
        if not tier:
            continue
        if method == "sealing_order":
            groups = _ranked_groups(tier, {i: claims[i].sealing_rank for i, _, _ in tier})
        else:
            groups = [tier]
        shares, available = _pay_groups(available, groups)
        add(shares)
    if any(claims[i].principal is not None for i in ordinary):
        citations.append(DELAYINT_4)
    if method == "sealing_order":
        citations.append(JI_CPL_514)
        if insolvent:
            warnings.append(
                Finding(
                    "offer_bankruptcy_transfer",
                    "被执行人为企业法人且不能清偿到期债务，资产不足以清偿全部债务或明显缺乏清偿能力：应当先征询当事人意见，"
                    "经申请执行人之一或被执行人书面同意的，裁定中止对其执行并移送破产审查（执转破）；"
                    "当事人不同意或破产申请不予受理的，再按查封先后顺序清偿。",
                    (JI_CPL_511, BANKR_2, JI_CPL_514),
                )
            )
            citations.append(JI_CPL_511)
    elif method == "pro_rata":
        if debtor_kind == "enterprise":
            citations.append(EXEC_WORK_55)
        else:
            citations += [JI_CPL_506, JI_CPL_508]

    surplus_cents = available
    if surplus_cents:
        citations.append(EXEC_WORK_34)

    lines = []
    order = sorted(
        range(len(claims)), key=lambda i: (list(CLAIM_KINDS).index(claims[i].kind), _line_rank(claims[i]), i)
    )
    for i in order:
        claim = claims[i]
        basis, line_citations = _basis(claim, debtor_kind, method)
        lines.append(
            PlanLine(
                creditor=claim.creditor,
                kind=claim.kind,
                claimed=_money(claim.amount),
                allocated=_money(Decimal(paid.get(i, 0)) / 100),
                basis=basis,
                citations=line_citations,
            )
        )
    plan = Plan(
        proceeds=_money(proceeds),
        lines=tuple(lines),
        surplus=_money(Decimal(surplus_cents) / 100),
        ordinary_method=method,
        warnings=tuple(warnings),
    )
    return RuleResult(value=plan, citations=merge_citations(citations))


def _principal(claim: Claim) -> Decimal:
    return claim.principal if claim.principal is not None else claim.amount


def _line_rank(claim: Claim) -> tuple[int, int]:
    rank = claim.secured_rank if claim.kind in {"secured", "priority"} else claim.sealing_rank
    return (1, 0) if rank is None else (0, rank)


def _basis(claim: Claim, debtor_kind: str, method: str) -> tuple[str, tuple[Citation, ...]]:
    if claim.kind == "costs":
        return "执行费用优先扣除", (JI_CPL_508,)
    if claim.kind in {"secured", "priority"}:
        return (
            f"{CLAIM_KINDS[claim.kind]}按设立或受偿顺序（第{claim.secured_rank}顺位）优先受偿",
            (JI_CPL_506, JI_CPL_508, EXEC_WORK_31, EXEC_WORK_55),
        )
    principal_note = "；先清偿本金，再清偿加倍部分债务利息" if claim.principal is not None else ""
    extra = (DELAYINT_4,) if claim.principal is not None else ()
    if method == "sealing_order":
        rank = (
            "未查封，列于已查封债权之后"
            if claim.sealing_rank is None
            else f"查封顺序第{claim.sealing_rank}位"
        )
        return f"企业法人被执行人，普通债权按查封先后顺序清偿（{rank}）{principal_note}", (JI_CPL_514, *extra)
    if debtor_kind == "enterprise":
        return f"同一执行依据的多个债权人，按债权比例受偿{principal_note}", (EXEC_WORK_55, *extra)
    return f"参与分配，普通债权按债权比例受偿{principal_note}", (JI_CPL_506, JI_CPL_508, *extra)
