"""回收者：失联工作进程手中的任务回到队列，存活进程的任务不动。"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from zhixing.core.worker.models import WorkerHeartbeat
from zhixing.core.worker.reaper import reap
from zhixing.core.worker.registry import WorkerLost
from zhixing.core.worker.runtime import ZhixingWorker
from zhixing.core.worker.tests import tasks_for_tests as t

LEASE = timedelta(seconds=60)
WORKER_LOST = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"


def running(task_result_id: str, *, worker_ids: list[str], started_ago: timedelta) -> None:
    DBTaskResult.objects.filter(pk=task_result_id).update(
        status=TaskResultStatus.RUNNING, worker_ids=worker_ids, started_at=timezone.now() - started_ago
    )


def heartbeat(worker_id: str, *, seen_ago: timedelta) -> None:
    WorkerHeartbeat.objects.create(
        worker_id=worker_id, hostname="h", pid=1, last_seen_at=timezone.now() - seen_ago
    )


@pytest.fixture(autouse=True)
def _lease() -> object:
    with override_settings(WORKER_LEASE_SECONDS=LEASE.total_seconds()) as o:
        yield o


@pytest.mark.django_db
def test_a_task_of_a_stale_worker_goes_back_to_ready_and_a_live_one_is_untouched() -> None:
    heartbeat("dead", seen_ago=LEASE + timedelta(seconds=5))
    heartbeat("alive", seen_ago=timedelta(seconds=1))
    lost = t.noop.enqueue(1)
    kept = t.noop.enqueue(2)
    running(lost.id, worker_ids=["earlier", "dead"], started_ago=LEASE * 3)
    running(kept.id, worker_ids=["dead", "alive"], started_ago=LEASE * 3)

    report = reap()

    assert report.requeued == [lost.id]
    assert report.failed == []
    back = DBTaskResult.objects.get(pk=lost.id)
    assert back.status == TaskResultStatus.READY
    assert back.started_at is None
    assert back.worker_ids == ["earlier", "dead"]  # history kept: counts as an attempt
    untouched = DBTaskResult.objects.get(pk=kept.id)
    assert untouched.status == TaskResultStatus.RUNNING
    assert untouched.started_at is not None
    # stale heartbeats are deleted, live ones kept
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["alive"]
    assert report.heartbeats_deleted == 1


@pytest.mark.django_db
def test_a_worker_without_heartbeat_keeps_its_task_for_one_lease_after_the_start() -> None:
    fresh = t.noop.enqueue(1)
    old = t.noop.enqueue(2)
    running(fresh.id, worker_ids=["unknown"], started_ago=LEASE / 2)
    running(old.id, worker_ids=["unknown"], started_ago=LEASE * 2)
    assert reap().requeued == [old.id]
    assert DBTaskResult.objects.get(pk=fresh.id).status == TaskResultStatus.RUNNING


@pytest.mark.django_db
def test_reaping_twice_moves_each_row_once() -> None:
    lost = t.noop.enqueue(1)
    running(lost.id, worker_ids=["dead"], started_ago=LEASE * 2)
    assert reap().requeued == [lost.id]
    assert reap().requeued == []


@pytest.mark.django_db
def test_a_task_whose_workers_died_max_attempts_times_ends_failed() -> None:
    # always_transient allows 3 attempts
    lost = t.always_transient.enqueue()
    running(lost.id, worker_ids=["a", "b", "c"], started_ago=LEASE * 2)
    report = reap()
    assert report.failed == [lost.id]
    row = DBTaskResult.objects.get(pk=lost.id)
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == WORKER_LOST
    assert "worker c stopped sending heartbeats during attempt 3 of 3" in row.traceback
    assert row.finished_at is not None


@pytest.mark.django_db
def test_a_task_without_policy_is_rerun_until_the_lost_attempts_limit() -> None:
    again = t.noop.enqueue(1)
    poison = t.noop.enqueue(2)
    running(again.id, worker_ids=["a"], started_ago=LEASE * 2)
    running(poison.id, worker_ids=["a", "b"], started_ago=LEASE * 2)
    with override_settings(WORKER_LOST_MAX_ATTEMPTS=2):
        report = reap()
    assert report.requeued == [again.id]
    assert report.failed == [poison.id]


@pytest.mark.django_db
def test_a_worker_whose_task_was_reaped_cannot_overwrite_it() -> None:
    worker = ZhixingWorker(worker_id="stalled", interval=0)
    result = t.noop.enqueue(7)
    claimed, _ = worker.claim_next()
    assert claimed is not None
    # the worker stalls past the lease; a reaper hands the task back
    DBTaskResult.objects.filter(pk=result.id).update(
        started_at=timezone.now() - LEASE * 2, status=TaskResultStatus.RUNNING
    )
    assert reap().requeued == [result.id]
    worker.run_task(claimed)  # the stalled worker wakes up and finishes
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.READY
    assert row.return_value is None


@pytest.mark.django_db
def test_a_forced_stop_mid_task_puts_the_task_back() -> None:
    worker = ZhixingWorker(worker_id="w", interval=0)
    result = t.interrupted.enqueue()
    with pytest.raises(KeyboardInterrupt):
        worker.run_one()
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.READY
    assert row.started_at is None
    assert row.worker_ids == ["w"]
