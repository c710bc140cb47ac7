"""工作进程运行时：多线程、心跳、命令行、被杀后任务不丢、收到 SIGTERM 时优雅退出。"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from zhixing.core.worker.models import WorkerHeartbeat
from zhixing.core.worker.runtime import Heartbeat, WorkerPool, run_worker
from zhixing.core.worker.tests import tasks_for_tests as t
from zhixing.core.worker.tests.conftest import ChildWorker, stop_after, wait_until


@pytest.mark.django_db(transaction=True)
def test_several_threads_run_every_task_exactly_once() -> None:
    ids = [t.noop.enqueue(i).id for i in range(30)]
    stop = threading.Event()
    with stop_after(stop, 20):
        ran = run_worker(
            worker_id="pool",
            threads=3,
            batch=True,
            interval=0.01,
            periodic=(),
            autodiscover=False,
            handle_signals=False,
            stop_event=stop,
        )
    assert not stop.is_set(), "the worker hit the safety timeout"
    assert ran == 30
    rows = DBTaskResult.objects.filter(pk__in=ids)
    assert {r.status for r in rows} == {TaskResultStatus.SUCCESSFUL}
    assert all(len(r.worker_ids) == 1 and r.worker_ids[0].startswith("pool-") for r in rows)
    assert sorted(r.return_value or 0 for r in rows) == list(range(30))
    assert not WorkerHeartbeat.objects.exists()  # removed on a clean exit


@pytest.mark.django_db(transaction=True)
def test_the_pool_stops_on_request_and_removes_its_heartbeats() -> None:
    pool = WorkerPool(worker_id="stoppable", threads=2, interval=0.05, periodic=())
    runner = threading.Thread(target=pool.run)
    runner.start()
    try:
        wait_until(lambda: WorkerHeartbeat.objects.count() == 2, timeout=10, what="heartbeat rows")
        assert set(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == {
            "stoppable-1",
            "stoppable-2",
        }
    finally:
        pool.stop()
        runner.join(timeout=10)
    assert not runner.is_alive()
    assert not WorkerHeartbeat.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_thread_keeps_the_row_fresh_and_recreates_it() -> None:
    beat = Heartbeat(["hb-1"], every=0.05)
    beat.register()
    first = WorkerHeartbeat.objects.get().last_seen_at
    beat.start()
    try:
        wait_until(
            lambda: WorkerHeartbeat.objects.get().last_seen_at > first, timeout=5, what="a fresher heartbeat"
        )
        WorkerHeartbeat.objects.all().delete()  # as a reaper would after a long stall
        wait_until(WorkerHeartbeat.objects.exists, timeout=5, what="the heartbeat row to come back")
    finally:
        beat.stop()
    assert not WorkerHeartbeat.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_command_runs_a_batch_and_exits() -> None:
    result = t.noop.enqueue(5)
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    call_command(
        "zhixing_worker", "--batch", "--threads", "2", "--no-autodiscover", "--no-periodic", verbosity=0
    )
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.return_value == 5
    assert {s: signal.getsignal(s) for s in handlers} == handlers  # handlers restored


# --- real processes -------------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_task_loses_nothing_and_the_task_runs_again(
    spawn_worker: Callable[..., ChildWorker], marker_dir: Path
) -> None:
    result = t.slow_job.enqueue(str(marker_dir), 1.5)
    first = spawn_worker("killed", "--no-periodic")
    wait_until(lambda: t.count_lines(marker_dir / "starts") == 1, timeout=20, what="the task to start")
    running = DBTaskResult.objects.get(pk=result.id)
    assert running.status == TaskResultStatus.RUNNING
    assert running.worker_ids == ["killed"]

    first.signal(signal.SIGKILL)
    assert first.wait(timeout=10) == -signal.SIGKILL
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.RUNNING  # stuck, until reaped
    killed_at = time.monotonic()

    second = spawn_worker("rescuer", "--no-periodic")
    wait_until(
        lambda: DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL,
        timeout=25,
        what=f"the task to be reaped and run again:\n{second.output}",
    )
    assert time.monotonic() - killed_at >= 2  # not before the lease ran out
    second.signal(signal.SIGTERM)
    assert second.wait(timeout=15) == 0, second.output

    done = DBTaskResult.objects.get(pk=result.id)
    assert done.status == TaskResultStatus.SUCCESSFUL
    assert done.worker_ids == ["killed", "rescuer"]
    assert done.return_value == 2
    assert t.count_lines(marker_dir / "starts") == 2  # it ran again…
    assert t.count_lines(marker_dir / "done") == 1  # …and completed exactly once
    assert DBTaskResult.objects.count() == 1
    assert not WorkerHeartbeat.objects.filter(worker_id="killed").exists()  # stale heartbeat deleted
    assert "lost with worker killed" in second.output


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_sigterm_lets_the_current_task_finish_then_exits(
    spawn_worker: Callable[..., ChildWorker], marker_dir: Path
) -> None:
    result = t.slow_job.enqueue(str(marker_dir), 1.0)
    worker = spawn_worker("graceful")
    wait_until(lambda: t.count_lines(marker_dir / "starts") == 1, timeout=20, what="the task to start")
    later = t.noop.enqueue(9)  # ready while the worker is busy: left for the next worker
    worker.signal(signal.SIGTERM)
    assert worker.wait(timeout=15) == 0, worker.output
    done = DBTaskResult.objects.get(pk=result.id)
    assert done.status == TaskResultStatus.SUCCESSFUL
    assert t.count_lines(marker_dir / "done") == 1
    assert DBTaskResult.objects.get(pk=later.id).status == TaskResultStatus.READY
    assert not WorkerHeartbeat.objects.exists()
    assert "finishing the current task" in worker.output
