"""工作进程运行时：心跳、回收、定时调度、认领任务并按重试策略执行。

Built on django-tasks-db's ``Worker`` (its claim: ``select_for_update(skip_locked=True)`` in an
exclusive transaction). Each loop iteration:

1. the heartbeat thread keeps this worker's ``WorkerHeartbeat`` row fresh (also during long tasks);
2. the reaper runs, at most every ``min(WORKER_HEARTBEAT_SECONDS, WORKER_LEASE_SECONDS / 2)`` s
   per process;
3. the scheduler enqueues periodic tasks whose current period has no ``ScheduledRun`` yet;
4. one ready task is claimed and run; a failure is retried or recorded according to the task's
   :class:`~zhixing.core.worker.registry.RetryPolicy`.

Outcomes are written with a fence (``status=RUNNING`` and the claim's ``started_at``), so a worker
whose task was reaped while it stalled cannot overwrite the row's newer state.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Sequence
from traceback import format_exception
from types import FrameType
from typing import Any

from django.conf import settings
from django.db import DatabaseError, OperationalError, close_old_connections, connections
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.module_loading import autodiscover_modules
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks.base import TaskResultStatus
from django_tasks.signals import task_finished, task_started
from django_tasks_db.compat import TaskContext
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from zhixing.core.worker.models import WorkerHeartbeat
from zhixing.core.worker.reaper import lost_attempts_limit, reap, running_row
from zhixing.core.worker.registry import PeriodicTask, policy_for
from zhixing.core.worker.scheduler import schedule_due

__all__ = ["Heartbeat", "Maintenance", "WorkerPool", "ZhixingWorker", "make_worker_id", "run_worker"]

logger = logging.getLogger("zhixing.worker")

MAX_WORKER_ID_LENGTH = 64


def make_worker_id() -> str:
    """生成工作进程标识：主机名-进程号-随机串（不超过 64 字符）。"""
    return f"{socket.gethostname()[:30]}-{os.getpid()}-{get_random_string(8)}"[:MAX_WORKER_ID_LENGTH]


def _exception_path(exc: BaseException) -> str:
    return f"{type(exc).__module__}.{type(exc).__qualname__}"


# --- heartbeat ------------------------------------------------------------------------------
class Heartbeat:
    """心跳线程：定期刷新本进程各工作循环的心跳行。"""

    def __init__(self, worker_ids: Sequence[str], *, every: float | None = None) -> None:
        self.worker_ids = list(worker_ids)
        self.every = float(settings.WORKER_HEARTBEAT_SECONDS if every is None else every)
        self.hostname = socket.gethostname()[:255]
        self.pid = os.getpid()
        self.started_at = timezone.now()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def register(self) -> None:
        """写入（或刷新）心跳行。"""
        now = timezone.now()
        for worker_id in self.worker_ids:
            WorkerHeartbeat.objects.update_or_create(
                worker_id=worker_id,
                defaults={
                    "hostname": self.hostname,
                    "pid": self.pid,
                    "started_at": self.started_at,
                    "last_seen_at": now,
                },
            )

    def beat(self) -> None:
        """刷新心跳时间；心跳行若已被回收者删除（进程曾停顿超过租约）则重建。"""
        updated = WorkerHeartbeat.objects.filter(worker_id__in=self.worker_ids).update(
            last_seen_at=timezone.now()
        )
        if updated < len(self.worker_ids):
            logger.warning("worker heartbeat rows were missing (stalled past the lease?): recreating them")
            self.register()

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.every):
                try:
                    self.beat()
                except DatabaseError:
                    logger.exception("worker heartbeat failed; retrying in %g s", self.every)
                    connections.close_all()  # drop a broken connection; the next beat reconnects
        finally:
            connections.close_all()

    def start(self) -> None:
        """启动心跳守护线程。"""
        self._thread = threading.Thread(target=self._run, name="zhixing-worker-heartbeat", daemon=True)
        self._thread.start()

    def stop(self, *, remove: bool = True) -> None:
        """停止心跳线程，并（默认）删除心跳行。"""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=max(self.every, 1.0) + 5)
        if remove:
            try:
                WorkerHeartbeat.objects.filter(worker_id__in=self.worker_ids).delete()
            except DatabaseError:
                logger.exception("could not delete worker heartbeat rows; the reaper will")


# --- maintenance shared by the loops of one process -----------------------------------------
class Maintenance:
    """每轮循环的维护工作：回收（限频）与定时调度，由同一进程的各工作循环共享。"""

    def __init__(
        self,
        *,
        periodic: Sequence[PeriodicTask] | None = None,
        reaper: bool = True,
        reap_every: float | None = None,
    ) -> None:
        self.periodic = None if periodic is None else list(periodic)
        self.reaper = reaper
        if reap_every is None:
            reap_every = min(
                float(settings.WORKER_HEARTBEAT_SECONDS), float(settings.WORKER_LEASE_SECONDS) / 2
            )
        self.reap_every = max(reap_every, 0.2)
        self._next_reap = 0.0
        self._lock = threading.Lock()
        self.seen: dict[str, Any] = {}

    def _reap_due(self) -> bool:
        with self._lock:
            now = time.monotonic()
            if now < self._next_reap:
                return False
            self._next_reap = now + self.reap_every
            return True

    def run(self) -> None:
        """执行到期的回收与定时调度；数据库错误只记录日志，下一轮再试。"""
        if self.reaper and self._reap_due():
            try:
                reap()
            except DatabaseError:
                logger.exception("reaper failed; will retry")
        if self.periodic is None or self.periodic:
            try:
                schedule_due(tasks=self.periodic, seen=self.seen)
            except DatabaseError:
                logger.exception("scheduler failed; will retry")


# --- one worker loop ------------------------------------------------------------------------
class ZhixingWorker(Worker):
    """工作循环：认领并执行任务，执行前做维护（回收、定时调度），失败时按重试策略处理。"""

    def __init__(
        self,
        *,
        worker_id: str,
        interval: float = 0.5,
        batch: bool = False,
        max_tasks: int | None = None,
        queue_names: Sequence[str] = ("*",),
        backend_name: str = DEFAULT_TASK_BACKEND_ALIAS,
        stop_event: threading.Event | None = None,
        maintenance: Maintenance | None = None,
    ) -> None:
        if not worker_id or len(worker_id) > MAX_WORKER_ID_LENGTH:
            raise ValueError(f"worker_id must be 1 to {MAX_WORKER_ID_LENGTH} characters: {worker_id!r}")
        super().__init__(
            queue_names=list(queue_names),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=False,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        self.stop_event = stop_event or threading.Event()
        self.maintenance = maintenance if maintenance is not None else Maintenance()

    @property
    def tasks_run(self) -> int:
        """本循环已执行的任务数。"""
        return self._run_tasks

    # claiming -------------------------------------------------------------------------------
    def ready_tasks(self) -> QuerySet[DBTaskResult]:
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        return tasks

    def claim_next(self) -> tuple[DBTaskResult | None, bool]:
        """认领一个就绪任务。返回 (任务行或 None, 是否真的查询成功)。"""
        tasks = self.ready_tasks()
        with exclusive_transaction(tasks.db):
            try:
                task_result = tasks.get_locked()  # type: ignore[attr-defined]
                if task_result is not None:
                    task_result.claim(self.worker_id)
            except OperationalError as e:
                if is_locked_database_exception(e):
                    return None, False
                raise
        return task_result, True

    def run_one(self) -> bool:
        """认领并执行一个就绪任务；没有就绪任务时返回 False。"""
        task_result, _ = self.claim_next()
        if task_result is None:
            return False
        self.run_task(task_result)
        return True

    # the loop -------------------------------------------------------------------------------
    def run(self) -> None:
        logger.info("worker %s started (queues %s)", self.worker_id, ",".join(self.queue_names))
        while self.running and not self.stop_event.is_set():
            close_old_connections()
            self.maintenance.run()
            try:
                task_result, retrieved = self.claim_next()
            except DatabaseError:
                logger.exception("worker %s could not claim a task; retrying", self.worker_id)
                close_old_connections()
                self.stop_event.wait(max(self.interval, 1.0))
                continue
            if task_result is not None:
                self.run_task(task_result)
            if self.batch and retrieved and task_result is None:
                logger.info("worker %s: no more ready tasks, exiting (batch)", self.worker_id)
                break
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                logger.info("worker %s ran %d tasks, exiting (max_tasks)", self.worker_id, self._run_tasks)
                break
            close_old_connections()
            if task_result is None:
                self.stop_event.wait(self.interval)
        logger.info("worker %s stopped after %d task(s)", self.worker_id, self._run_tasks)

    # running one task -----------------------------------------------------------------------
    def run_task(self, db_task_result: DBTaskResult) -> None:
        """执行已认领的任务并记录结果（成功、重试、失败）。"""
        self.running_task = True
        try:
            try:
                task = db_task_result.task
                task_result = db_task_result.task_result
                sender = type(task.get_backend())
                task_started.send(sender=sender, task_result=task_result)
                if task.takes_context:
                    return_value = task.call(
                        TaskContext(task_result=task_result), *task_result.args, **task_result.kwargs
                    )
                else:
                    return_value = task.call(*task_result.args, **task_result.kwargs)
                # inside the try, so that an error storing the value (not JSON) is recorded
                if self._finish(
                    db_task_result,
                    status=TaskResultStatus.SUCCESSFUL,
                    finished_at=timezone.now(),
                    return_value=return_value,
                    exception_class_path="",
                    traceback="",
                ):
                    self._send_finished(db_task_result)
            except Exception as exc:
                self._handle_failure(db_task_result, exc)
            except BaseException as exc:
                # KeyboardInterrupt / SystemExit: a forced stop in the middle of the task.
                self._handle_interrupted(db_task_result, exc)
                raise
        finally:
            self.running_task = False
            self._run_tasks += 1

    def _handle_failure(self, db_task_result: DBTaskResult, exc: Exception) -> None:
        attempt = len(db_task_result.worker_ids)
        policy = policy_for(db_task_result.task_path)
        error = {"exception_class_path": _exception_path(exc), "traceback": "".join(format_exception(exc))}
        if policy is not None and policy.should_retry(exc, attempt):
            delay = policy.delay(attempt)
            if self._finish(
                db_task_result,
                status=TaskResultStatus.READY,
                run_after=timezone.now() + delay,
                started_at=None,
                **error,
            ):
                logger.warning(
                    "task %s (%s) failed on attempt %d of %d with %s: retrying in %.1f s",
                    db_task_result.pk,
                    db_task_result.task_path,
                    attempt,
                    policy.max_attempts,
                    error["exception_class_path"],
                    delay.total_seconds(),
                )
            return
        if self._finish(
            db_task_result,
            status=TaskResultStatus.FAILED,
            finished_at=timezone.now(),
            return_value=None,
            **error,
        ):
            self._send_finished(db_task_result)

    def _handle_interrupted(self, db_task_result: DBTaskResult, exc: BaseException) -> None:
        attempt = len(db_task_result.worker_ids)
        try:
            if attempt >= lost_attempts_limit(db_task_result.task_path):
                self._finish(
                    db_task_result,
                    status=TaskResultStatus.FAILED,
                    finished_at=timezone.now(),
                    return_value=None,
                    exception_class_path=_exception_path(exc),
                    traceback="".join(format_exception(exc)),
                )
            else:
                self._finish(db_task_result, status=TaskResultStatus.READY, started_at=None)
                logger.warning("task %s interrupted by a forced stop: back to the queue", db_task_result.pk)
        except DatabaseError:
            logger.exception("could not release interrupted task %s; the reaper will", db_task_result.pk)

    def _finish(self, db_task_result: DBTaskResult, **fields: Any) -> bool:
        """带围栏地写入结果：只有当任务仍是本次认领时才写。"""
        updated = 0
        for attempt in range(1, 4):
            try:
                updated = running_row(db_task_result.pk, db_task_result.started_at).update(**fields)
                break
            except OperationalError:
                if attempt == 3:
                    raise
                time.sleep(0.1 * attempt)
        if not updated:
            logger.warning(
                "task %s was taken back from worker %s (lease expired); this outcome is discarded",
                db_task_result.pk,
                self.worker_id,
            )
            return False
        for name, value in fields.items():
            setattr(db_task_result, name, value)
        return True

    def _send_finished(self, db_task_result: DBTaskResult) -> None:
        try:
            sender = type(db_task_result.task.get_backend())
            task_result = db_task_result.task_result
        except Exception:
            logger.exception("task %s finished but cannot be loaded for signals", db_task_result.pk)
            return
        task_finished.send(sender=sender, task_result=task_result)


# --- a process: several loops and one heartbeat ----------------------------------------------
class WorkerPool:
    """一个进程内的工作循环组：若干工作线程共用一个心跳线程和一份维护状态。"""

    def __init__(
        self,
        *,
        worker_id: str | None = None,
        interval: float = 0.5,
        threads: int = 1,
        batch: bool = False,
        max_tasks: int | None = None,
        queue_names: Sequence[str] = ("*",),
        periodic: Sequence[PeriodicTask] | None = None,
        reaper: bool = True,
        stop_event: threading.Event | None = None,
    ) -> None:
        if threads < 1:
            raise ValueError("threads must be at least 1")
        base = worker_id or make_worker_id()
        worker_ids = [base] if threads == 1 else [f"{base}-{i}" for i in range(1, threads + 1)]
        self.stop_event = stop_event or threading.Event()
        self.maintenance = Maintenance(periodic=periodic, reaper=reaper)
        self.workers = [
            ZhixingWorker(
                worker_id=wid,
                interval=interval,
                batch=batch,
                max_tasks=max_tasks,
                queue_names=queue_names,
                stop_event=self.stop_event,
                maintenance=self.maintenance,
            )
            for wid in worker_ids
        ]
        self.heartbeat = Heartbeat(worker_ids)
        self.errors: list[BaseException] = []

    @property
    def stopping(self) -> bool:
        return self.stop_event.is_set()

    def stop(self) -> None:
        """请求停止：各循环执行完当前任务后退出。"""
        self.stop_event.set()

    @property
    def tasks_run(self) -> int:
        return sum(w.tasks_run for w in self.workers)

    def _run_in_thread(self, worker: ZhixingWorker) -> None:
        try:
            worker.run()
        except BaseException as exc:
            logger.exception("worker %s crashed; stopping the pool", worker.worker_id)
            self.errors.append(exc)
            self.stop()
        finally:
            connections.close_all()

    def run(self) -> int:
        """运行到停止（或批处理完成、达到 max_tasks），返回执行的任务数。

        With one loop it runs in the calling thread; with several, each runs in its own daemon
        thread with its own database connection, closed when the loop ends.
        """
        self.heartbeat.register()
        self.heartbeat.start()
        try:
            if len(self.workers) == 1:
                self.workers[0].run()
            else:
                threads = [
                    threading.Thread(
                        target=self._run_in_thread, args=(w,), name=f"zhixing-worker-{i}", daemon=True
                    )
                    for i, w in enumerate(self.workers, start=1)
                ]
                for t in threads:
                    t.start()
                for t in threads:
                    while t.is_alive():
                        t.join(timeout=0.2)
        finally:
            self.heartbeat.stop()
        if self.errors:
            raise RuntimeError("a worker thread crashed") from self.errors[0]
        return self.tasks_run


def run_worker(
    *,
    worker_id: str | None = None,
    interval: float = 0.5,
    threads: int = 1,
    batch: bool = False,
    max_tasks: int | None = None,
    queue_names: Sequence[str] = ("*",),
    periodic: Sequence[PeriodicTask] | None = None,
    autodiscover: bool = True,
    handle_signals: bool | None = None,
    stop_event: threading.Event | None = None,
) -> int:
    """运行工作进程，直到收到 SIGTERM/SIGINT（或批处理完成、达到 max_tasks）；返回执行的任务数。

    - ``worker_id``: defaults to ``host-pid-random``; with ``threads > 1`` each loop gets ``-1``,
      ``-2``… appended (64 characters at most).
    - ``interval``: seconds to wait when no task is ready.
    - ``batch``: exit when no task is ready (tasks waiting for a retry are not ready).
    - ``max_tasks``: per loop.
    - ``periodic``: the periodic tasks this worker schedules; ``None`` means every registered
      ``@periodic`` task, ``()`` none.
    - ``autodiscover``: import every installed app's ``tasks`` module first, so that their
      ``@periodic`` and ``@retry_policy`` declarations are registered.
    - ``handle_signals``: install SIGTERM/SIGINT handlers (default: when called from the main
      thread). The first signal lets the current tasks finish, then exits; a second one raises
      ``KeyboardInterrupt``: a task interrupted in the calling thread goes back to the queue,
      tasks in other threads are abandoned and come back through the reaper after the lease.
    - ``stop_event``: set it to stop the worker from another thread (embedding).
    """
    if autodiscover:
        autodiscover_modules("tasks")
    pool = WorkerPool(
        worker_id=worker_id,
        interval=interval,
        threads=threads,
        batch=batch,
        max_tasks=max_tasks,
        queue_names=queue_names,
        periodic=periodic,
        stop_event=stop_event,
    )
    if handle_signals is None:
        handle_signals = threading.current_thread() is threading.main_thread()
    previous: dict[int, Any] = {}
    if handle_signals:

        def on_signal(signum: int, frame: FrameType | None) -> None:
            if pool.stopping:
                logger.warning("received %s again: stopping now", signal.strsignal(signum))
                raise KeyboardInterrupt
            logger.warning(
                "received %s: finishing the current task(s), then exiting (repeat to force)",
                signal.strsignal(signum),
            )
            pool.stop()

        for signum in (signal.SIGINT, signal.SIGTERM):
            previous[signum] = signal.signal(signum, on_signal)
    try:
        return pool.run()
    finally:
        for restored, handler in previous.items():
            signal.signal(restored, handler)
