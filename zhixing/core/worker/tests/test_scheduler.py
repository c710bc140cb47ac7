"""定时任务：每个周期只入队一次（唯一约束把关），多个工作进程同时运行也一样。"""

from __future__ import annotations

import itertools
import signal
import threading
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.db import connections, transaction
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from zhixing.core.worker import registry
from zhixing.core.worker.models import ScheduledRun, WorkerHeartbeat
from zhixing.core.worker.registry import PeriodicTask, period_start, periodic
from zhixing.core.worker.scheduler import schedule_due, schedule_period
from zhixing.core.worker.tests import tasks_for_tests as t
from zhixing.core.worker.tests.conftest import ChildWorker, wait_until

TICK = PeriodicTask(name="tests.tick", every=timedelta(minutes=5), task=t.tick)
NOW = datetime(2025, 3, 3, 9, 7, 30, tzinfo=UTC)


# --- periods ------------------------------------------------------------------------------------
def test_period_start_floors_to_the_interval_from_the_epoch() -> None:
    assert period_start(NOW, timedelta(minutes=5)) == datetime(2025, 3, 3, 9, 5, tzinfo=UTC)
    assert period_start(NOW, timedelta(hours=1)) == datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
    assert period_start(NOW, timedelta(seconds=2)) == datetime(2025, 3, 3, 9, 7, 30, tzinfo=UTC)
    exact = datetime(2025, 3, 3, 9, 10, tzinfo=UTC)
    assert period_start(exact, timedelta(minutes=5)) == exact


def test_an_offset_aligns_daily_periods_on_beijing_midnight() -> None:
    start = period_start(NOW, timedelta(days=1), timedelta(hours=-8))
    assert start == datetime(2025, 3, 2, 16, 0, tzinfo=UTC)  # 2025-03-03 00:00 in Beijing


# --- declaring ----------------------------------------------------------------------------------
def test_periodic_registers_by_name_and_returns_the_task(isolated_registries: None) -> None:
    returned = periodic(every=timedelta(minutes=10), name="tests.registered")(t.tick)
    assert returned is t.tick
    spec = registry.PERIODIC["tests.registered"]
    assert spec.every == timedelta(minutes=10) and spec.task is t.tick


def test_periodic_rejects_tasks_that_take_arguments_and_plain_functions(isolated_registries: None) -> None:
    with pytest.raises(TypeError, match="no arguments"):
        periodic(every=timedelta(minutes=1))(t.noop)
    with pytest.raises(TypeError, match="outside @task"):
        periodic(every=timedelta(minutes=1))(t.noop.func)  # type: ignore[type-var]
    with pytest.raises(ValueError):
        periodic(every=timedelta(0))(t.tick)


def test_a_periodic_name_cannot_be_taken_by_two_tasks(isolated_registries: None) -> None:
    periodic(every=timedelta(minutes=1), name="tests.same")(t.tick)
    with pytest.raises(ValueError, match="already used"):
        periodic(every=timedelta(minutes=1), name="tests.same")(t.always_transient)


# --- scheduling -----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_scheduling_the_same_period_twice_creates_one_row_and_one_task() -> None:
    start = TICK.period_start(NOW)
    first = schedule_period(TICK, start)
    second = schedule_period(TICK, start)
    assert first is not None and second is None
    assert ScheduledRun.objects.count() == 1
    # the loser's enqueue was rolled back with its insert
    assert DBTaskResult.objects.count() == 1
    assert first.task_result_id is not None
    assert str(first.task_result_id) == str(DBTaskResult.objects.get().pk)


@pytest.mark.django_db
def test_a_lost_race_inside_an_outer_transaction_keeps_that_transaction_usable() -> None:
    start = TICK.period_start(NOW)
    schedule_period(TICK, start)
    with transaction.atomic():
        assert schedule_period(TICK, start) is None
        t.noop.enqueue(1)  # the outer transaction still works (PostgreSQL: savepoint rolled back)
    assert DBTaskResult.objects.count() == 2


@pytest.mark.django_db
def test_schedule_due_enqueues_the_current_period_only_once_and_does_not_backfill() -> None:
    seen: dict[str, datetime] = {}
    assert len(schedule_due(now=NOW, tasks=[TICK], seen=seen)) == 1
    assert schedule_due(now=NOW + timedelta(minutes=1), tasks=[TICK], seen=seen) == []
    assert schedule_due(now=NOW + timedelta(minutes=1), tasks=[TICK]) == []  # without the cache: DB says no
    # twenty minutes later: one run for the current period, none for the three periods missed
    later = schedule_due(now=NOW + timedelta(minutes=20), tasks=[TICK], seen=seen)
    assert [r.period_start for r in later] == [datetime(2025, 3, 3, 9, 25, tzinfo=UTC)]
    assert ScheduledRun.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_racing_for_one_period_create_one_row() -> None:
    barrier = threading.Barrier(4)
    outcomes: list[int] = []
    errors: list[BaseException] = []

    def contender() -> None:
        try:
            barrier.wait(timeout=10)
            outcomes.append(len(schedule_due(now=NOW, tasks=[TICK], seen={})))
        except BaseException as e:
            errors.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=contender) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=30)
    assert not errors, errors
    assert sorted(outcomes) == [0, 0, 0, 1]
    assert ScheduledRun.objects.count() == 1
    assert DBTaskResult.objects.count() == 1


# --- two real worker processes ------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_periodic_sweep_fires_once_per_period_with_two_workers(
    spawn_worker: Callable[..., ChildWorker], marker_dir: Path
) -> None:
    extra = ["--import", "zhixing.core.worker.tests.periodic_for_tests"]
    workers = [spawn_worker("sched-a", *extra), spawn_worker("sched-b", *extra)]
    wait_until(lambda: WorkerHeartbeat.objects.count() == 2, timeout=20, what="both workers to start")
    every = t.TICK_EVERY
    # both workers run side by side through at least two period boundaries
    wait_until(
        lambda: ScheduledRun.objects.filter(name=t.TICK_NAME).count() >= 3,
        timeout=15,
        what="three periods to be scheduled",
    )

    def all_finished() -> bool:
        ids = list(ScheduledRun.objects.filter(name=t.TICK_NAME).values_list("task_result_id", flat=True))
        return DBTaskResult.objects.filter(pk__in=ids, status=TaskResultStatus.SUCCESSFUL).count() == len(ids)

    wait_until(all_finished, timeout=10, what="the scheduled ticks to run")
    for w in workers:
        w.signal(signal.SIGTERM)
    for w in workers:
        assert w.wait(timeout=15) == 0, w.output
    for w in workers:
        assert all(m not in w.output for m in ("Traceback", "ERROR")), w.output

    runs = list(ScheduledRun.objects.filter(name=t.TICK_NAME).order_by("period_start"))
    starts = [r.period_start for r in runs]
    assert len(starts) == len(set(starts))
    assert all(s == period_start(s, every) for s in starts)  # aligned on the period
    assert all(b - a == every for a, b in itertools.pairwise(starts))  # consecutive, no gaps
    # every tick enqueued belongs to a ScheduledRun: the losers' enqueues were rolled back
    tick_rows = DBTaskResult.objects.filter(task_path=t.tick.module_path)
    assert tick_rows.count() == len(runs)
    assert set(tick_rows.values_list("status", flat=True)) == {TaskResultStatus.SUCCESSFUL}
    # and each ran exactly once
    executed = Counter(
        line.split()[0] for line in (marker_dir / "ticks").read_text().splitlines() if line.strip()
    )
    assert executed == Counter({str(r.task_result_id): 1 for r in runs})
