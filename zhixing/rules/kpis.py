"""执行质效指标 — each KPI defined once: its formula over counted facts, its population, its citations.

Rules reference §16. The formulas are pure functions of period totals (``Totals``), so that the command
center can keep incremental roll-ups by court, team, judge and day and compute any KPI over any window
by adding them up. Definitions marked ``verified=False`` are the platform's working definitions
(§16.2 [U]); courts differ in their 统计口径, which is why each KPI states its population.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType

from zhixing.rules.params import param_entry
from zhixing.rules.results import Citation, RuleResult

QUALITY2008 = "最高人民法院关于开展案件质量评估工作的指导意见（试行）"
BASIC2016 = "最高人民法院关于落实“用两到三年时间基本解决执行难问题”的工作纲要"
PLATFORM = "本平台统计口径（待各院确认）"

C_2008 = Citation(QUALITY2008, "", 2008, "Vq")
C_2016 = Citation(BASIC2016, "", 2016, "Vq")
C_LOCAL = Citation(PLATFORM, "", None, "U")


@dataclass(frozen=True)
class Totals:
    """Counts and amounts over a period and a population (first enforcement cases unless stated).

    Each field is additive over days and over courts, teams and judges, so roll-ups can be summed.
    """

    pending_at_start: int = 0  # 旧存
    filed: int = 0  # 新收
    closed: int = 0  # 结案（执行实施类，不含执保、执恢，除另有配置）
    closed_fully_performed: int = 0  # 执行完毕（含和解履行完毕）
    closed_termination_with_payment: int = 0  # 终结执行中有实际到位款项的
    closed_no_assets: int = 0  # 终本
    no_assets_checked: int = 0  # 终本案件经合格性审查（抽查或系统核查）的
    no_assets_compliant: int = 0  # 其中合格的
    closed_within_period: int = 0  # 法定期限内结案（扣除不计入期间）
    with_property: int = 0  # 有财产可供执行案件
    with_property_executed_in_period: int = 0  # 其中法定期限内实际执结的
    days_to_close: int = 0  # Σ（结案日 − 立案日）
    amount_applied: Decimal = Decimal(0)  # 已结案件申请执行标的额
    amount_recovered: Decimal = Decimal(0)  # 已结案件实际到位金额（含以物抵债）
    titles_with_payment: int = 0  # 生效的给付内容法律文书（自动履行率分母）
    titles_enforced: int = 0  # 其中履行期满后申请强制执行的
    petitions_received: int = 0  # 执行信访
    petitions_concluded: int = 0

    def __add__(self, other: Totals) -> Totals:
        return Totals(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})


Ratio = Decimal | None  # None when the denominator is zero (shown as "—", never as 0 %)


def _ratio(num: Decimal | int, den: Decimal | int) -> Ratio:
    if not den:
        return None
    return (Decimal(num) / Decimal(den) * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Kpi:
    code: str
    label: str
    formula: str  # in words, shown next to the figure
    unit: str  # "percent" | "days"
    compute: Callable[[Totals], Ratio]
    citations: tuple[Citation, ...]
    verified: bool


def _closure_rate(t: Totals) -> Ratio:
    return _ratio(t.closed, t.pending_at_start + t.filed)


def _actual_closure_rate(t: Totals) -> Ratio:
    return _ratio(t.closed_fully_performed + t.closed_termination_with_payment, t.closed)


def _mean_days(t: Totals) -> Ratio:
    if not t.closed:
        return None
    return (Decimal(t.days_to_close) / Decimal(t.closed)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _overall(t: Totals) -> Ratio:
    # 终本结案率 + 法定期限内实际执结率, both over the closings (the quoted "sum of the two rates"): a sum of
    # rates over different denominators can exceed 100 %, which no court would report as a share of its cases.
    return _ratio(t.closed_no_assets + t.with_property_executed_in_period, t.closed)


def _voluntary(t: Totals) -> Ratio:
    return _ratio(t.titles_with_payment - t.titles_enforced, t.titles_with_payment)


_KPIS = (
    Kpi("closure_rate", "执结率", "结案数 ÷（旧存 + 新收）", "percent", _closure_rate, (C_LOCAL,), False),
    Kpi(
        "actual_closure_rate",
        "实际执结率",
        "（执行完毕 + 有到位款的终结执行）÷ 结案数",
        "percent",
        _actual_closure_rate,
        (C_2008,),
        True,
    ),
    Kpi(
        "full_performance_rate",
        "执行完毕率",
        "执行完毕 ÷ 结案数",
        "percent",
        lambda t: _ratio(t.closed_fully_performed, t.closed),
        (C_LOCAL,),
        False,
    ),
    Kpi(
        "recovery_rate",
        "执行到位率",
        "实际到位金额 ÷ 已结案件申请执行标的额",
        "percent",
        lambda t: _ratio(t.amount_recovered, t.amount_applied),
        (C_2008,),
        True,
    ),
    Kpi(
        "no_assets_closure_rate",
        "终本率",
        "终本结案 ÷ 结案数",
        "percent",
        lambda t: _ratio(t.closed_no_assets, t.closed),
        (C_LOCAL,),
        False,
    ),
    Kpi(
        "no_assets_closure_compliance_rate",
        "终本合格率",
        "经审查合格的终本案件 ÷ 经审查的终本案件",
        "percent",
        lambda t: _ratio(t.no_assets_compliant, t.no_assets_checked),
        (C_2016,),
        True,
    ),
    Kpi(
        "on_time_closure_rate",
        "法定期限内结案率",
        "法定期限内（扣除不计入期间）结案 ÷ 结案数",
        "percent",
        lambda t: _ratio(t.closed_within_period, t.closed),
        (C_LOCAL,),
        False,
    ),
    Kpi(
        "property_cases_on_time_rate",
        "有财产可供执行案件法定期限内实际执结率",
        "法定期限内实际执结的有财产案件 ÷ 有财产可供执行案件",
        "percent",
        lambda t: _ratio(t.with_property_executed_in_period, t.with_property),
        (C_2016,),
        True,
    ),
    Kpi(
        "overall_closure_rate",
        "整体执结率",
        "（终本结案 + 法定期限内实际执结的有财产案件）÷ 结案数，即以结案数为分母的两率之和",
        "percent",
        _overall,
        (C_2016, C_LOCAL),  # the common denominator is our reading of the quoted sum
        False,
    ),
    Kpi(
        "mean_days_to_close",
        "结案平均用时",
        "Σ（结案日 − 立案日）÷ 结案数",
        "days",
        _mean_days,
        (C_LOCAL,),
        False,
    ),
    Kpi(
        "voluntary_performance_rate",
        "自动履行率",
        "（给付内容生效文书 − 其中申请强制执行的）÷ 给付内容生效文书",
        "percent",
        _voluntary,
        (C_LOCAL,),
        False,
    ),
    Kpi(
        "petition_conclusion_rate",
        "执行信访办结率",
        "办结的执行信访 ÷ 收到的执行信访",
        "percent",
        lambda t: _ratio(t.petitions_concluded, t.petitions_received),
        (C_2016,),
        True,
    ),
)

KPIS: Mapping[str, Kpi] = MappingProxyType({k.code: k for k in _KPIS})


def kpi(code: str, totals: Totals) -> RuleResult[Ratio]:
    """One KPI over the totals of a period and population, with the citations of its definition."""
    definition = KPIS.get(code)
    if definition is None:
        raise ValueError(f"未定义的指标「{code}」")
    return RuleResult(definition.compute(totals), definition.citations)


def meets_target(code: str, value: Ratio, *, on: date) -> RuleResult[bool | None]:
    """Whether a value meets the KPI's national target in force on ``on`` (parameter ``kpi_targets``);
    None when the KPI has no target or there is no value."""
    if code not in KPIS:
        raise ValueError(f"未定义的指标「{code}」")
    entry = param_entry("kpi_targets", on=on)
    target = entry.value.get(code)
    if target is None or value is None:
        return RuleResult(None, (entry.citation,), (entry.use(),))
    return RuleResult(value >= Decimal(str(target)), (entry.citation,), (entry.use(),))
