"""中止执行的事由（民事诉讼法第267条等）。

Suspension is not a closing mode: the case moves to the ``suspended`` stage and the suspended
days are not counted in the enforcement period (TERM00 Art. 9). A suspension ruling takes effect
on service (CPL Art. 269); when the ground disappears enforcement resumes (CPL Art. 267,
EXEC-WORK Art. 60).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from zhixing.rules import sources
from zhixing.rules.results import Citation
from zhixing.rules.sources import cite

__all__ = ["SUSPENSION_GROUNDS", "UnknownSuspensionGround", "suspension_ground"]

SUSPENSION_GROUNDS: Mapping[str, tuple[str, Citation]] = MappingProxyType(
    {
        "applicant_agrees_to_defer": ("申请人表示可以延期执行", cite(sources.CPL, "第267条第1项")),
        "third_party_objection": ("案外人对执行标的提出确有理由的异议", cite(sources.CPL, "第267条第2项")),
        "party_died_awaiting_successor": (
            "作为一方当事人的公民死亡，需要等待继承人继承权利或者承担义务",
            cite(sources.CPL, "第267条第3项"),
        ),
        "legal_person_terminated": (
            "作为一方当事人的法人或者其他组织终止，尚未确定权利义务承受人",
            cite(sources.CPL, "第267条第4项"),
        ),
        "other": ("人民法院认为应当中止执行的其他情形", cite(sources.CPL, "第267条第5项")),
        "settlement": ("当事人达成执行和解协议", cite(sources.SETTLE, "第2条")),
        "bankruptcy_accepted": ("人民法院受理了对被执行人的破产申请", cite(sources.BANKR, "第19条")),
        "bankruptcy_referral": ("执行案件移送破产审查", cite(sources.JI_CPL, "第511条")),
    }
)


class UnknownSuspensionGround(ValueError):
    """未知的中止执行事由。"""


def suspension_ground(code: str) -> tuple[str, tuple[Citation, ...]]:
    """中止执行事由的中文表述和依据；未知事由抛出 :class:`UnknownSuspensionGround`。"""
    entry = SUSPENSION_GROUNDS.get(code)
    if entry is None:
        known = "；".join(f"{key}（{text}）" for key, (text, _) in SUSPENSION_GROUNDS.items())
        raise UnknownSuspensionGround(f"未知的中止执行事由「{code}」，可选：{known}")
    text, citation = entry
    return text, (citation,)
