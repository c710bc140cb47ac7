"""案件阶段及其允许的转换：立案、执行中、中止执行、和解履行中、结案。

A case moves only along :data:`TRANSITIONS` (ARCHITECTURE §5); each move is a journal event
written by the cases app. A closed case never reopens: restoring enforcement (恢复执行) files
a **new** 执恢 case (rules reference §1.3, §11.3), so ``closed`` has no way out.

* ``filed`` → ``in_enforcement`` (work starts) or ``closed`` (e.g. 销案, 驳回申请 right after filing);
* ``in_enforcement`` → ``suspended`` (中止, CPL Art. 267), ``settlement`` (和解, SETTLE Art. 2) or ``closed``;
* ``suspended`` → ``in_enforcement`` (恢复, CPL Art. 267 end, EXEC-WORK Art. 60) or ``closed`` (e.g. 终结);
* ``settlement`` → ``in_enforcement`` (restoring the original title, CPL Art. 241) or ``closed``
  (settlement performed in full, SETTLE Art. 8).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

__all__ = ["STAGE_LABELS", "TRANSITIONS", "Stage", "StageError", "allowed_targets", "check_transition"]


class Stage(StrEnum):
    """执行案件的阶段。"""

    FILED = "filed"
    IN_ENFORCEMENT = "in_enforcement"
    SUSPENDED = "suspended"
    SETTLEMENT = "settlement"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return STAGE_LABELS[self]


STAGE_LABELS: Mapping[Stage, str] = MappingProxyType(
    {
        Stage.FILED: "已立案",
        Stage.IN_ENFORCEMENT: "执行中",
        Stage.SUSPENDED: "中止执行",
        Stage.SETTLEMENT: "和解履行中",
        Stage.CLOSED: "已结案",
    }
)

TRANSITIONS: Mapping[Stage, frozenset[Stage]] = MappingProxyType(
    {
        Stage.FILED: frozenset({Stage.IN_ENFORCEMENT, Stage.CLOSED}),
        Stage.IN_ENFORCEMENT: frozenset({Stage.SUSPENDED, Stage.SETTLEMENT, Stage.CLOSED}),
        Stage.SUSPENDED: frozenset({Stage.IN_ENFORCEMENT, Stage.CLOSED}),
        Stage.SETTLEMENT: frozenset({Stage.IN_ENFORCEMENT, Stage.CLOSED}),
        Stage.CLOSED: frozenset(),
    }
)

#: Order used when listing targets in messages.
_ORDER = tuple(Stage)


class StageError(ValueError):
    """不允许的阶段转换（信息为中文，可直接显示）。"""

    def __init__(self, message: str, *, current: str, target: str) -> None:
        super().__init__(message)
        self.current = current
        self.target = target


def _stage(value: str, what: str, *, current: str, target: str) -> Stage:
    try:
        return Stage(value)
    except ValueError:
        known = "、".join(f"{s.value}（{s.label}）" for s in _ORDER)
        raise StageError(
            f"未知的{what}「{value}」，应为 {known} 之一", current=current, target=target
        ) from None


def allowed_targets(current: str) -> frozenset[Stage]:
    """从当前阶段可以转入的阶段；未知阶段抛出 :class:`StageError`。"""
    return TRANSITIONS[_stage(current, "案件阶段", current=current, target="")]


def _names(stages: frozenset[Stage]) -> str:
    return "、".join(f"「{s.label}」" for s in _ORDER if s in stages)


def check_transition(current: str, target: str) -> None:
    """检查阶段转换是否允许；不允许时抛出 :class:`StageError`，如「不能从「已结案」转为「执行中」：…」。"""
    source = _stage(current, "当前阶段", current=current, target=target)
    goal = _stage(target, "目标阶段", current=current, target=target)
    allowed = TRANSITIONS[source]
    if goal in allowed:
        return
    prefix = f"不能从「{source.label}」转为「{goal.label}」："
    if source is Stage.CLOSED:
        reason = "案件已结案，不能重新打开；恢复执行应另行立案（执恢案件）"
    elif goal is source:
        reason = f"案件已处于「{source.label}」阶段"
    else:
        reason = f"「{source.label}」只能转为{_names(allowed)}"
    raise StageError(prefix + reason, current=current, target=target)
