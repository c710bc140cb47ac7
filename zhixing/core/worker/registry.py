"""任务的重试策略与定时计划登记。

Two in-process registries, filled at import time by decorators applied *outside* django_tasks'
``@task``::

    @periodic(every=timedelta(minutes=5), name="asset_control.renewal_sweep")
    @retry_policy(max_attempts=5, backoff_seconds=2, retry_on=(TransientError,))
    @task()
    def renewal_sweep() -> None: ...

This module imports no models, so it is safe to import while Django loads its apps.
"""

from __future__ import annotations

import inspect
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from django.utils.module_loading import import_string
from django_tasks.base import Task

__all__ = [
    "PERIODIC",
    "RETRY_POLICIES",
    "PeriodicTask",
    "RetryPolicy",
    "TransientError",
    "WorkerLost",
    "period_start",
    "periodic",
    "policy_for",
    "retry_policy",
]

TaskT = TypeVar("TaskT", bound=Task[Any, Any])

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class TransientError(Exception):
    """暂时性错误：稍后重试可能成功（对方系统繁忙、网络超时等）。

    Raise it (or a subclass) from a task whose retry policy lists it in ``retry_on``.
    """


class WorkerLost(Exception):
    """工作进程失联：任务执行中工作进程停止心跳（被杀、崩溃或长时间停顿）。"""


# --- retries ---------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class RetryPolicy:
    """重试策略。

    ``attempt`` counts claims of the task row (``len(worker_ids)``), so a run lost with its
    worker counts as an attempt too. After attempt *n* fails with an exception that is an
    instance of one of ``retry_on`` and ``n < max_attempts``, the task runs again no earlier
    than ``min(max_backoff_seconds, backoff_seconds * 2 ** (n - 1))`` seconds later, stretched by
    up to ``jitter`` (a fraction, 0.1 = +10 %) and capped again at ``max_backoff_seconds``.
    """

    max_attempts: int = 5
    backoff_seconds: float = 2.0
    max_backoff_seconds: float = 600.0
    retry_on: tuple[type[BaseException], ...] = (Exception,)
    jitter: float = 0.1

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.backoff_seconds < 0 or self.max_backoff_seconds < 0 or self.jitter < 0:
            raise ValueError("backoff_seconds, max_backoff_seconds and jitter must not be negative")
        if not self.retry_on or not all(
            isinstance(t, type) and issubclass(t, BaseException) for t in self.retry_on
        ):
            raise ValueError("retry_on must be a non-empty tuple of exception classes")

    def should_retry(self, exc: BaseException, attempt: int) -> bool:
        """第 ``attempt`` 次执行因 ``exc`` 失败后是否再试。"""
        return attempt < self.max_attempts and isinstance(exc, self.retry_on)

    def delay(self, attempt: int, *, rand: Callable[[], float] = random.random) -> timedelta:
        """第 ``attempt`` 次失败后的等待时间（指数退避，有上限）。"""
        base = min(self.max_backoff_seconds, self.backoff_seconds * 2 ** max(attempt - 1, 0))
        seconds = min(self.max_backoff_seconds, base * (1 + self.jitter * rand()))
        return timedelta(seconds=seconds)


RETRY_POLICIES: dict[str, RetryPolicy] = {}
"""Retry policies by the task's ``module_path`` (what ``DBTaskResult.task_path`` stores)."""


def retry_policy(
    *,
    max_attempts: int = 5,
    backoff_seconds: float = 2.0,
    max_backoff_seconds: float = 600.0,
    retry_on: tuple[type[BaseException], ...] = (Exception,),
    jitter: float = 0.1,
) -> Callable[[TaskT], TaskT]:
    """声明任务的重试策略（写在 ``@task`` 之外）。

    Returns the task unchanged; the policy is looked up by ``task.module_path`` when the task
    fails or its worker is lost.
    """
    policy = RetryPolicy(
        max_attempts=max_attempts,
        backoff_seconds=backoff_seconds,
        max_backoff_seconds=max_backoff_seconds,
        retry_on=tuple(retry_on),
        jitter=jitter,
    )

    def register(task: TaskT) -> TaskT:
        if not isinstance(task, Task):
            raise TypeError(
                "@retry_policy must be applied outside @task (it decorates a Task, not a function)"
            )
        RETRY_POLICIES[task.module_path] = policy
        return task

    return register


def policy_for(task_path: str) -> RetryPolicy | None:
    """按任务路径查找重试策略；必要时先导入任务所在模块。"""
    policy = RETRY_POLICIES.get(task_path)
    if policy is None:
        try:
            import_string(task_path)  # importing the module runs its decorators
        except ImportError:
            return None
        policy = RETRY_POLICIES.get(task_path)
    return policy


# --- periodic tasks -------------------------------------------------------------------------
def period_start(now: datetime, every: timedelta, offset: timedelta = timedelta(0)) -> datetime:
    """``now`` 所在周期的起点：自 1970-01-01T00:00Z（加 ``offset``）起按 ``every`` 对齐。"""
    origin = EPOCH + offset
    return origin + ((now - origin) // every) * every


@dataclass(frozen=True, kw_only=True)
class PeriodicTask:
    """定时任务：每个周期入队一次。"""

    name: str
    every: timedelta
    task: Task[Any, Any]
    offset: timedelta = field(default=timedelta(0))

    def __post_init__(self) -> None:
        if self.every <= timedelta(0):
            raise ValueError("every must be positive")
        if not self.name or len(self.name) > 128:
            raise ValueError("name must be 1 to 128 characters")

    def period_start(self, now: datetime) -> datetime:
        return period_start(now, self.every, self.offset)


PERIODIC: dict[str, PeriodicTask] = {}
"""Periodic tasks by name."""


def periodic(
    *, every: timedelta, name: str | None = None, offset: timedelta = timedelta(0)
) -> Callable[[TaskT], TaskT]:
    """声明定时任务（写在 ``@task`` 之外）：每 ``every`` 一个周期，每周期执行一次。

    Periods are aligned on the Unix epoch in UTC, shifted by ``offset``: ``every=timedelta(days=1)``
    with ``offset=timedelta(hours=-8)`` starts each period at midnight Beijing time. The task must
    take no arguments. ``name`` defaults to the task's module path and must stay stable: it keys
    the ``ScheduledRun`` rows that make the schedule fire once per period across workers.
    """

    def register(task: TaskT) -> TaskT:
        if not isinstance(task, Task):
            raise TypeError("@periodic goes outside @task: it decorates a Task, not a function")
        params = list(inspect.signature(task.func).parameters.values())
        if task.takes_context:
            params = params[1:]
        required = [
            p
            for p in params
            if p.default is inspect.Parameter.empty
            and p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
        ]
        if required:
            raise TypeError(f"periodic task {task.module_path} must take no arguments")
        spec = PeriodicTask(name=name or task.module_path, every=every, task=task, offset=offset)
        existing = PERIODIC.get(spec.name)
        if existing is not None and existing.task.module_path != task.module_path:
            raise ValueError(f"periodic name {spec.name!r} is already used by {existing.task.module_path}")
        PERIODIC[spec.name] = spec
        return task

    return register
