"""繁简分流：按可解释的计分把新案分入快执团队或精执团队。

There is no national rule: the weights and the threshold are a local court's practice, kept
in ONE table parameter ``triage_weights`` (marker Local, verified: false). Every point comes
with a :class:`TriageReason` whose text says why in Chinese, e.g.
「标的额 120 万元，超过 100 万元：+3」. A score at or above the threshold goes to the
``complex_track`` (精执), below it to the ``fast_track`` (快执).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from zhixing.rules.params import param_entry, require_date
from zhixing.rules.results import RuleResult

__all__ = ["DEBTOR_KINDS", "TRACKS", "TriageFacts", "TriageOutcome", "TriageReason", "triage"]

DEBTOR_KINDS: Mapping[str, str] = {
    "natural_person": "自然人",
    "legal_person": "法人",
    "other_organisation": "其他组织",
}
TRACKS: Mapping[str, str] = {"fast_track": "快执团队（简案）", "complex_track": "精执团队（繁案）"}

_TEN_THOUSAND = Decimal(10000)


@dataclasses.dataclass(frozen=True, slots=True)
class TriageFacts:
    """分流所依据的案件事实。"""

    claim_amount: Decimal
    debtor_kinds: tuple[str, ...]  # "natural_person" | "legal_person" | "other_organisation"
    known_assets: int = 0
    other_open_cases_against_debtors: int = 0
    has_non_money_obligation: bool = False


@dataclasses.dataclass(frozen=True, slots=True)
class TriageReason:
    """一项计分：因素、分值、中文说明。"""

    factor: str
    points: int
    text: str


@dataclasses.dataclass(frozen=True, slots=True)
class TriageOutcome:
    """分流结果：track 为 fast_track 或 complex_track。"""

    track: str
    score: int
    threshold: int
    reasons: tuple[TriageReason, ...]

    @property
    def track_label(self) -> str:
        return TRACKS[self.track]


def _wan(amount: Decimal) -> str:
    """金额以「万元」表示，去掉多余的零：1200000 → 120，1250000 → 125，15000 → 1.5。"""
    value = (amount / _TEN_THOUSAND).normalize()
    text = format(value, "f")
    return text


def _count(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{what}应为非负整数，收到 {value!r}")
    return value


def triage(facts: TriageFacts, *, on: date) -> RuleResult[TriageOutcome]:
    """繁简分流：计算得分并分入快执或精执团队（权重取 on 日施行的 triage_weights）。"""
    require_date(on)
    amount = facts.claim_amount
    if not isinstance(amount, Decimal) or amount < 0:
        raise ValueError(f"标的额应为非负的 Decimal，收到 {amount!r}")
    if not facts.debtor_kinds:
        raise ValueError("至少应有一名被执行人")
    unknown = [k for k in facts.debtor_kinds if k not in DEBTOR_KINDS]
    if unknown:
        raise ValueError(f"未知的被执行人类型 {unknown}，应为 {'、'.join(DEBTOR_KINDS)} 之一")
    assets = _count(facts.known_assets, "已知财产数")
    other_cases = _count(facts.other_open_cases_against_debtors, "其他未结案件数")

    entry = param_entry("triage_weights", on=on)
    w = entry.value
    reasons: list[TriageReason] = []

    band = None
    for candidate in sorted(w["amount_bands"], key=lambda b: Decimal(str(b["above"]))):
        if amount > Decimal(str(candidate["above"])):
            band = candidate
    if band is not None:
        above = Decimal(str(band["above"]))
        reasons.append(
            TriageReason(
                "claim_amount",
                int(band["points"]),
                f"标的额 {_wan(amount)} 万元，超过 {_wan(above)} 万元：+{band['points']}",
            )
        )

    debtors = len(facts.debtor_kinds)
    if debtors > 1:
        points = min((debtors - 1) * int(w["extra_debtor"]), int(w["extra_debtor_max"]))
        reasons.append(TriageReason("debtor_count", points, f"被执行人 {debtors} 人：+{points}"))

    organisations = [k for k in facts.debtor_kinds if k != "natural_person"]
    if organisations:
        points = int(w["organisation_debtor"])
        kinds = "、".join(dict.fromkeys(DEBTOR_KINDS[k] for k in organisations))
        reasons.append(TriageReason("organisation_debtor", points, f"被执行人中有{kinds}：+{points}"))

    if other_cases:
        points = min(other_cases * int(w["other_open_case"]), int(w["other_open_case_max"]))
        reasons.append(
            TriageReason("other_open_cases", points, f"被执行人另有 {other_cases} 件未结执行案件：+{points}")
        )

    if assets:
        points = min(assets * int(w["known_asset"]), int(w["known_asset_max"]))
        reasons.append(TriageReason("known_assets", points, f"已知 {assets} 项财产需要查控、处置：+{points}"))

    if facts.has_non_money_obligation:
        points = int(w["non_money_obligation"])
        reasons.append(TriageReason("non_money_obligation", points, f"有非金钱给付义务：+{points}"))

    reasons = [r for r in reasons if r.points]
    score = sum(r.points for r in reasons)
    threshold = int(w["threshold"])
    track = "complex_track" if score >= threshold else "fast_track"
    return RuleResult(
        value=TriageOutcome(track=track, score=score, threshold=threshold, reasons=tuple(reasons)),
        citations=(entry.citation,),
        parameters_used=(entry.use(),),
    )
