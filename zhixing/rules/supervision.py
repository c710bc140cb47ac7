"""监督管理：supervision alerts' thresholds, instructions' deadlines and escalation, evaluation scores.

Rules reference §14 (督办, upper-court supervision) and §16 (KPIs). The thresholds and weights are a
command center's management practice, not statute: they are dated parameters marked ``verified: false``
(``supervision_alert_thresholds``, ``instruction_terms``, ``evaluation_weights``); only the 10-day
supervision letter comes from the SPC's 2006 rule as quoted (``supervision_letter_days``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from zhixing.rules.kpis import KPIS, Ratio
from zhixing.rules.params import param_entry
from zhixing.rules.results import Citation, RuleResult

SUPERV06 = Citation(
    "最高人民法院关于对执行工作实行“统一管理、统一指挥、统一协调”及督办工作的规定", "", 2006, "Vq"
)
CPL237 = Citation("中华人民共和国民事诉讼法", "第二百三十七条", 2023, "V")
EXEC_WORK74 = Citation("最高人民法院关于人民法院执行工作若干问题的规定（试行）", "第七十四条", 1998, "V")

ALERT_RULES: Mapping[str, str] = {
    "node_overdue": "节点超期",
    "idle_case": "消极执行（长期无办案活动）",
    "near_limit": "临近法定执行期限",
    "payout_overdue": "执行款超期未发放",
    "control_expiring": "查封冻结即将到期未续行",
    "no_assets_noncompliant": "终本案件未按期网络查询",
    "agency_late": "协助单位逾期未答复",
    "instruction_overdue": "指令逾期未反馈",
}


def alert_thresholds(*, on: date) -> RuleResult[Mapping[str, int]]:
    """The thresholds of the supervision alerts in force on ``on``."""
    entry = param_entry("supervision_alert_thresholds", on=on)
    return RuleResult(entry.value, (entry.citation,), (entry.use(),))


def instruction_due(*, kind: str, issued_on: date, days: int | None = None) -> RuleResult[date]:
    """The feedback deadline of an instruction: the days the issuer set, else the default of its kind
    (督办: the supervision letter's 10 days as quoted from SUPERV06)."""
    if kind not in ("assign", "supervise"):
        raise ValueError(f"未知的指令类型「{kind}」")
    entry = param_entry("instruction_terms", on=issued_on)
    citations: tuple[Citation, ...] = (entry.citation,)
    uses = [entry.use()]
    if days is None:
        if kind == "supervise":
            letter = param_entry("supervision_letter_days", on=issued_on)
            days = int(letter.value)
            citations = (entry.citation, letter.citation)
            uses.append(letter.use())
        else:
            days = int(entry.value["assign_days"])
    if days < 1:
        raise ValueError("反馈期限至少 1 日")
    if kind == "supervise" and len(citations) == 1:
        citations = (*citations, SUPERV06)
    return RuleResult(issued_on + timedelta(days=days), citations, tuple(uses))


@dataclass(frozen=True)
class InstructionState:
    remind: bool  # within the reminder window and not yet reminded
    overdue_days: int  # days past the deadline (0 when not overdue)
    level: int  # the escalation level the instruction should be at (0 = none)


def instruction_state(*, due_on: date, on: date) -> RuleResult[InstructionState]:
    """Where an unanswered instruction stands on ``on``: remind before the deadline, escalate one
    level per ``escalate_every_days`` overdue, up to ``max_level`` (level 3 = the issuing court may
    urge, designate or elevate — CPL 237, EXEC-WORK 74)."""
    entry = param_entry("instruction_terms", on=on)
    t = entry.value
    overdue = max((on - due_on).days, 0)
    level = 0
    if overdue > 0:
        level = min(1 + (overdue - 1) // int(t["escalate_every_days"]), int(t["max_level"]))
    remind = overdue == 0 and (due_on - on).days <= int(t["remind_days"])
    citations = (entry.citation, SUPERV06) + ((CPL237, EXEC_WORK74) if level >= int(t["max_level"]) else ())
    return RuleResult(InstructionState(remind, overdue, level), citations, (entry.use(),))


@dataclass(frozen=True)
class Score:
    total: Decimal
    parts: Mapping[str, Decimal]  # each KPI's, each point's and each penalty's contribution


def evaluation_score(*, kpis: Mapping[str, Ratio], counts: Mapping[str, int], on: date) -> RuleResult[Score]:
    """业绩考评得分 = Σ weight × KPI + Σ points × count − Σ penalty × count (``evaluation_weights``).
    A KPI without a value (no cases) contributes nothing rather than a zero."""
    entry = param_entry("evaluation_weights", on=on)
    w = entry.value
    parts: dict[str, Decimal] = {}
    for code, weight in w["kpis"].items():
        if code not in KPIS:
            raise ValueError(f"考评权重中的指标「{code}」未定义")
        value = kpis.get(code)
        if value is not None:
            parts[code] = Decimal(str(weight)) * value
    for name, points in w["points"].items():
        if counts.get(name):
            parts[name] = Decimal(str(points)) * counts[name]
    for name, penalty in w["penalties"].items():
        if counts.get(name):
            parts[name] = -Decimal(str(penalty)) * counts[name]
    q = Decimal("0.01")
    rounded = {k: v.quantize(q, rounding=ROUND_HALF_UP) for k, v in parts.items()}
    total = sum(parts.values(), Decimal(0)).quantize(q, rounding=ROUND_HALF_UP)
    return RuleResult(Score(total, rounded), (entry.citation,), (entry.use(),))
