"""测试专用任务（不属于产品代码）。"""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path

from django_tasks import TaskContext, task

from zhixing.core.worker.registry import TransientError, retry_policy

MARKER_DIR_ENV = "ZHIXING_TEST_MARKER_DIR"
TICK_NAME = "worker-tests.tick"
TICK_EVERY = timedelta(seconds=2)


def append_line(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as f:
        f.write(line + "\n")
        f.flush()
        os.fsync(f.fileno())


def count_lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines()) if path.exists() else 0


@task()
def noop(value: int) -> int:
    return value


@retry_policy(max_attempts=5, backoff_seconds=1, max_backoff_seconds=60, retry_on=(TransientError,), jitter=0)
@task(takes_context=True)
def flaky(context: TaskContext, fail_times: int) -> str:
    if context.attempt <= fail_times:
        raise TransientError(f"agency busy (attempt {context.attempt})")
    return f"ok after {context.attempt}"


@retry_policy(
    max_attempts=5, backoff_seconds=0.05, max_backoff_seconds=1, retry_on=(TransientError,), jitter=0
)
@task(takes_context=True)
def fast_flaky(context: TaskContext, fail_times: int) -> int:
    if context.attempt <= fail_times:
        raise TransientError(f"agency busy (attempt {context.attempt})")
    return context.attempt


@retry_policy(max_attempts=3, backoff_seconds=1, max_backoff_seconds=60, retry_on=(TransientError,), jitter=0)
@task()
def always_transient() -> None:
    raise TransientError("agency down")


@retry_policy(max_attempts=5, backoff_seconds=1, retry_on=(TransientError,), jitter=0)
@task()
def wrong_kind() -> None:
    raise ValueError("bad data: retrying will not help")


@task()
def transient_without_policy() -> None:
    raise TransientError("no policy: fails at once")


@task()
def interrupted() -> None:
    raise KeyboardInterrupt


@task()
def slow_job(marker_dir: str, seconds: float) -> int:
    """Count its starts in ``starts``, sleep, then count completions in ``done`` (idempotent design:
    the real side effect would be keyed; here the counters show how often it ran)."""
    folder = Path(marker_dir)
    append_line(folder / "starts", str(os.getpid()))
    time.sleep(seconds)
    append_line(folder / "done", str(os.getpid()))
    return count_lines(folder / "starts")


@task(takes_context=True)
def tick(context: TaskContext) -> str:
    """A periodic sweep: records which task result ran, and in which process."""
    folder = Path(os.environ[MARKER_DIR_ENV])
    append_line(folder / "ticks", f"{context.task_result.id} {os.getpid()}")
    return context.task_result.id
