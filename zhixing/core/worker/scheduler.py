"""定时任务调度：每个周期只入队一次。

For each periodic task the scheduler takes the current period (``now`` floored to the task's
interval, aligned on the Unix epoch) and, if no ``ScheduledRun`` exists for it, enqueues the task
and inserts the ``ScheduledRun`` row in one transaction. The unique constraint on
``(name, period_start)`` lets exactly one worker win; the others get an ``IntegrityError``, which
rolls back their enqueue with their insert. Missed periods are not backfilled: after downtime the
task runs once, for the current period.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, MutableMapping
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhixing.core.worker.models import ScheduledRun
from zhixing.core.worker.registry import PERIODIC, PeriodicTask

logger = logging.getLogger("zhixing.worker")


def schedule_period(spec: PeriodicTask, period_start: datetime) -> ScheduledRun | None:
    """为一个周期入队定时任务；若该周期已被（其他工作进程）调度则返回 None。

    The enqueue and the insert share one ``atomic`` block, which is a savepoint when called inside
    a transaction: a lost race rolls back only this block, on PostgreSQL as on SQLite.
    """
    try:
        with transaction.atomic():
            result = spec.task.enqueue()
            run = ScheduledRun.objects.create(
                name=spec.name,
                period_start=period_start,
                enqueued_at=timezone.now(),
                task_result_id=result.id,
            )
    except IntegrityError:
        if ScheduledRun.objects.filter(name=spec.name, period_start=period_start).exists():
            logger.debug("periodic %s for %s already scheduled by another worker", spec.name, period_start)
            return None
        raise
    logger.info(
        "periodic %s enqueued for the period starting %s (task %s)", spec.name, period_start, result.id
    )
    return run


def schedule_due(
    *,
    now: datetime | None = None,
    tasks: Iterable[PeriodicTask] | None = None,
    seen: MutableMapping[str, datetime] | None = None,
) -> list[ScheduledRun]:
    """调度所有到期的定时任务（仅当前周期，不补跑错过的周期）。

    ``tasks`` defaults to every registered ``@periodic`` task. ``seen`` is an optional in-process
    cache (name → last period known to be scheduled) that spares the database a query per loop.
    """
    now = now or timezone.now()
    created: list[ScheduledRun] = []
    for spec in list(PERIODIC.values()) if tasks is None else tasks:
        start = spec.period_start(now)
        if seen is not None and seen.get(spec.name) == start:
            continue
        if not ScheduledRun.objects.filter(name=spec.name, period_start=start).exists():
            run = schedule_period(spec, start)
            if run is not None:
                created.append(run)
        if seen is not None:
            seen[spec.name] = start
    return created
