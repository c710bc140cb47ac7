"""重试策略：暂时性错误按指数退避重试，超过次数或非匹配错误即失败。"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from zhixing.core.worker.registry import RetryPolicy, TransientError, policy_for
from zhixing.core.worker.runtime import ZhixingWorker, run_worker
from zhixing.core.worker.tests import tasks_for_tests as t
from zhixing.core.worker.tests.conftest import stop_after

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
TRANSIENT = f"{TransientError.__module__}.{TransientError.__qualname__}"


def make_worker(worker_id: str = "w-test") -> ZhixingWorker:
    return ZhixingWorker(worker_id=worker_id, interval=0)


def row(result_id: str) -> DBTaskResult:
    return DBTaskResult.objects.get(pk=result_id)


# --- the policy itself ------------------------------------------------------------------------
def test_delay_doubles_from_the_backoff_and_is_capped() -> None:
    policy = RetryPolicy(max_attempts=10, backoff_seconds=2, max_backoff_seconds=20, jitter=0)
    assert [policy.delay(n).total_seconds() for n in range(1, 6)] == [2, 4, 8, 16, 20]


def test_jitter_stretches_the_delay_but_never_past_the_cap() -> None:
    policy = RetryPolicy(backoff_seconds=10, max_backoff_seconds=11, jitter=0.5)
    assert policy.delay(1, rand=lambda: 0.0) == timedelta(seconds=10)
    assert policy.delay(1, rand=lambda: 0.1) == timedelta(seconds=10.5)
    assert policy.delay(1, rand=lambda: 1.0) == timedelta(seconds=11)


def test_should_retry_needs_a_matching_exception_and_attempts_left() -> None:
    policy = RetryPolicy(max_attempts=3, retry_on=(TransientError,))
    assert policy.should_retry(TransientError(), 2)
    assert not policy.should_retry(TransientError(), 3)
    assert not policy.should_retry(ValueError(), 1)


@pytest.mark.parametrize(
    "kwargs",
    [{"max_attempts": 0}, {"backoff_seconds": -1}, {"retry_on": ()}, {"retry_on": (int,)}],
)
def test_invalid_policies_are_rejected(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        RetryPolicy(**kwargs)


def test_policies_are_registered_by_module_path() -> None:
    policy = policy_for(t.flaky.module_path)
    assert policy is not None and policy.max_attempts == 5
    assert policy_for(t.noop.module_path) is None
    assert policy_for("no.such.module.task") is None


# --- through the worker -------------------------------------------------------------------------
@pytest.mark.django_db
def test_transient_failures_are_retried_with_growing_gaps_until_success() -> None:
    worker = make_worker()
    with time_machine.travel(T0, tick=False) as clock:
        result = t.flaky.enqueue(2)

        assert worker.run_one()  # attempt 1 fails
        first = row(result.id)
        assert first.status == TaskResultStatus.READY
        assert first.started_at is None
        assert first.run_after == T0 + timedelta(seconds=1)
        assert first.exception_class_path == TRANSIENT
        assert "agency busy (attempt 1)" in first.traceback
        assert not worker.run_one()  # not due yet

        clock.move_to(first.run_after)
        assert worker.run_one()  # attempt 2 fails
        second = row(result.id)
        assert second.status == TaskResultStatus.READY
        assert second.run_after == first.run_after + timedelta(seconds=2)
        assert "agency busy (attempt 2)" in second.traceback
        clock.shift(timedelta(seconds=1.9))
        assert not worker.run_one()

        clock.move_to(second.run_after)
        assert worker.run_one()  # attempt 3 succeeds
        done = row(result.id)

    assert done.status == TaskResultStatus.SUCCESSFUL
    assert done.return_value == "ok after 3"
    assert len(done.worker_ids) == 3
    assert done.exception_class_path == "" and done.traceback == ""
    gaps = [first.run_after - T0, second.run_after - first.run_after]
    assert gaps == [timedelta(seconds=1), timedelta(seconds=2)]
    assert gaps[1] > gaps[0]


@pytest.mark.django_db
def test_a_task_exceeding_max_attempts_ends_failed() -> None:
    worker = make_worker()
    with time_machine.travel(T0, tick=False) as clock:
        result = t.always_transient.enqueue()
        for _attempt in range(2):
            assert worker.run_one()
            clock.move_to(row(result.id).run_after)
            assert row(result.id).status == TaskResultStatus.READY
        assert worker.run_one()  # attempt 3 of 3
        assert not worker.run_one()
    final = row(result.id)
    assert final.status == TaskResultStatus.FAILED
    assert len(final.worker_ids) == 3
    assert final.exception_class_path == TRANSIENT
    assert final.finished_at is not None


@pytest.mark.django_db
def test_a_non_matching_exception_fails_at_once() -> None:
    worker = make_worker()
    result = t.wrong_kind.enqueue()
    assert worker.run_one()
    final = row(result.id)
    assert final.status == TaskResultStatus.FAILED
    assert final.exception_class_path == "builtins.ValueError"
    assert len(final.worker_ids) == 1


@pytest.mark.django_db
def test_a_task_without_a_policy_fails_at_once() -> None:
    result = t.transient_without_policy.enqueue()
    assert make_worker().run_one()
    assert row(result.id).status == TaskResultStatus.FAILED


@pytest.mark.django_db(transaction=True)
def test_the_worker_loop_retries_in_real_time() -> None:
    result = t.fast_flaky.enqueue(2)
    stop = threading.Event()
    with stop_after(stop, 15):
        ran = run_worker(
            interval=0.01, max_tasks=3, periodic=(), autodiscover=False, handle_signals=False, stop_event=stop
        )
    assert not stop.is_set(), "the worker hit the safety timeout"
    assert ran == 3
    final = row(result.id)
    assert final.status == TaskResultStatus.SUCCESSFUL
    assert final.return_value == 3
    assert len(final.worker_ids) == 3
