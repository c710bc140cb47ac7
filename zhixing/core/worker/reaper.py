"""回收失联工作进程的任务。

A task row stays RUNNING forever in django-tasks-db when its worker dies. Every worker loop runs
:func:`reap` every few seconds: a RUNNING row whose latest worker (the last of ``worker_ids``) has
not sent a heartbeat for ``WORKER_LEASE_SECONDS`` — and which started at least that long ago —
goes back to READY (``worker_ids`` kept, ``started_at`` cleared), or to FAILED once it has used up
its attempts. Each row is moved by one conditional UPDATE, so several workers may reap at once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from zhixing.core.worker.models import WorkerHeartbeat
from zhixing.core.worker.registry import WorkerLost, policy_for

logger = logging.getLogger("zhixing.worker")

DEFAULT_LOST_MAX_ATTEMPTS = 5


def lease() -> timedelta:
    """租约：心跳停止多久后认为工作进程已失联。"""
    return timedelta(seconds=float(settings.WORKER_LEASE_SECONDS))


def lost_attempts_limit(task_path: str) -> int:
    """任务因工作进程失联最多可被执行的次数。

    The task's retry policy's ``max_attempts``; for a task without a policy,
    ``settings.WORKER_LOST_MAX_ATTEMPTS`` (default 5), so that a task that kills its worker every
    time (a poison pill) cannot loop forever.
    """
    policy = policy_for(task_path)
    if policy is not None:
        return policy.max_attempts
    return int(getattr(settings, "WORKER_LOST_MAX_ATTEMPTS", DEFAULT_LOST_MAX_ATTEMPTS))


def running_row(pk: Any, started_at: datetime | None) -> Any:
    """只匹配仍处于本次认领状态的任务行（以 started_at 作为围栏）。"""
    rows = DBTaskResult.objects.filter(pk=pk, status=TaskResultStatus.RUNNING)
    return rows.filter(started_at__isnull=True) if started_at is None else rows.filter(started_at=started_at)


@dataclass
class ReapReport:
    """一次回收的结果。"""

    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    heartbeats_deleted: int = 0


def reap(*, now: datetime | None = None) -> ReapReport:
    """把失联工作进程手中的任务放回队列（或判为失败），并删除过期心跳。"""
    now = now or timezone.now()
    cutoff = now - lease()
    report = ReapReport()
    alive = set(WorkerHeartbeat.objects.filter(last_seen_at__gte=cutoff).values_list("worker_id", flat=True))
    candidates = (
        DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
        .filter(Q(started_at__isnull=True) | Q(started_at__lt=cutoff))
        .order_by()
        .values_list("pk", "worker_ids", "started_at", "task_path")
    )
    for pk, worker_ids, started_at, task_path in list(candidates):
        worker_id = worker_ids[-1] if worker_ids else None
        if worker_id in alive:
            continue
        attempts = len(worker_ids)
        limit = lost_attempts_limit(task_path)
        if attempts >= limit:
            message = (
                f"{WorkerLost.__module__}.{WorkerLost.__qualname__}: worker {worker_id} stopped sending "
                f"heartbeats during attempt {attempts} of {limit} (lease {lease().total_seconds():g} s)\n"
            )
            moved = running_row(pk, started_at).update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                return_value=None,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=message,
            )
            if moved:
                report.failed.append(str(pk))
                logger.error(
                    "task %s (%s) lost with worker %s on attempt %d of %d: failed",
                    pk,
                    task_path,
                    worker_id,
                    attempts,
                    limit,
                )
        else:
            moved = running_row(pk, started_at).update(status=TaskResultStatus.READY, started_at=None)
            if moved:
                report.requeued.append(str(pk))
                logger.warning(
                    "task %s (%s) lost with worker %s on attempt %d of %d: back to the queue",
                    pk,
                    task_path,
                    worker_id,
                    attempts,
                    limit,
                )
    stale = WorkerHeartbeat.objects.filter(last_seen_at__lt=cutoff)
    if stale.exists():  # a read first: on SQLite a DELETE takes the write lock even when it matches nothing
        report.heartbeats_deleted, _ = stale.delete()
    if report.heartbeats_deleted:
        logger.info("deleted %d stale worker heartbeat(s)", report.heartbeats_deleted)
    return report
