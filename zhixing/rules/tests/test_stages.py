"""案件阶段转换。"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhixing.rules.stages import (
    STAGE_LABELS,
    TRANSITIONS,
    Stage,
    StageError,
    allowed_targets,
    check_transition,
)

STAGES = [s.value for s in Stage]


def test_every_stage_has_a_label_and_transitions() -> None:
    assert set(STAGE_LABELS) == set(Stage) == set(TRANSITIONS)
    assert STAGE_LABELS[Stage.CLOSED] == "已结案"
    assert Stage.IN_ENFORCEMENT.label == "执行中"


def test_closed_is_final() -> None:
    assert allowed_targets("closed") == frozenset()
    with pytest.raises(StageError) as caught:
        check_transition("closed", "in_enforcement")
    assert str(caught.value).startswith("不能从「已结案」转为「执行中」：")
    assert "执恢" in str(caught.value)
    assert caught.value.current == "closed" and caught.value.target == "in_enforcement"


def test_the_specified_graph() -> None:
    assert allowed_targets("filed") == {Stage.IN_ENFORCEMENT, Stage.CLOSED}
    assert allowed_targets("in_enforcement") == {Stage.SUSPENDED, Stage.SETTLEMENT, Stage.CLOSED}
    assert allowed_targets("suspended") == {Stage.IN_ENFORCEMENT, Stage.CLOSED}
    assert allowed_targets("settlement") == {Stage.IN_ENFORCEMENT, Stage.CLOSED}


def test_same_stage_is_not_a_transition() -> None:
    with pytest.raises(StageError, match="已处于「执行中」"):
        check_transition("in_enforcement", "in_enforcement")


def test_unknown_stage_is_a_stage_error_in_chinese() -> None:
    with pytest.raises(StageError, match="未知的目标阶段「archived」"):
        check_transition("filed", "archived")
    with pytest.raises(StageError, match="未知的案件阶段"):
        allowed_targets("archived")
    assert issubclass(StageError, ValueError)


@given(st.sampled_from(STAGES), st.sampled_from(STAGES))
def test_check_transition_agrees_with_the_table(current: str, target: str) -> None:
    allowed = Stage(target) in TRANSITIONS[Stage(current)]
    try:
        check_transition(current, target)
    except StageError as exc:
        assert not allowed
        assert str(exc).startswith(
            f"不能从「{STAGE_LABELS[Stage(current)]}」转为「{STAGE_LABELS[Stage(target)]}」："
        )
    else:
        assert allowed


@given(st.lists(st.sampled_from(STAGES), max_size=12))
def test_every_walk_that_passes_starts_over_never_after_closing(path: list[str]) -> None:
    current = "filed"
    for target in path:
        try:
            check_transition(current, target)
        except StageError:
            continue
        assert current != "closed"
        current = target
