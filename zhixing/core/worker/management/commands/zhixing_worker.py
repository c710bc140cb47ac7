"""zhixing_worker — 运行后台任务工作进程（心跳、回收、定时任务、重试）。"""

from __future__ import annotations

import importlib
import math
from argparse import ArgumentTypeError
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhixing.core.worker.runtime import MAX_WORKER_ID_LENGTH, run_worker


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ArgumentTypeError("must be at least 1")
    return number


def _interval(value: str) -> float:
    number = float(value)
    if not math.isfinite(number) or number < 0:
        raise ArgumentTypeError("must be a finite number of seconds, zero or more")
    return number


def _worker_id(value: str) -> str:
    if not value or len(value) > MAX_WORKER_ID_LENGTH - 4:
        raise ArgumentTypeError(f"must be 1 to {MAX_WORKER_ID_LENGTH - 4} characters")
    return value


class Command(BaseCommand):
    help = "运行后台任务工作进程：认领并执行任务，回收失联进程的任务，按周期调度定时任务。"
    # Start without the system checks: a worker must not refuse to run because of, say, a URL
    # check, and it starts faster.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--threads",
            type=_positive_int,
            default=getattr(settings, "WORKERS", 1),
            help="worker loops (threads) in this process (default: ZHIXING_WORKERS, %(default)s)",
        )
        parser.add_argument(
            "--interval",
            type=_interval,
            default=0.5,
            help="seconds to wait when no task is ready (default %(default)s)",
        )
        parser.add_argument("--batch", action="store_true", help="exit when no task is ready")
        parser.add_argument(
            "--max-tasks", type=_positive_int, default=None, help="exit after N tasks per loop"
        )
        parser.add_argument("--worker-id", type=_worker_id, default=None, help="default: host-pid-random")
        parser.add_argument(
            "--queue", default="*", help="comma-separated queue names to process (default: all queues)"
        )
        parser.add_argument(
            "--import",
            dest="imports",
            action="append",
            default=[],
            metavar="MODULE",
            help="import this module first (registers its @periodic and @retry_policy tasks); repeatable",
        )
        parser.add_argument(
            "--no-autodiscover",
            dest="autodiscover",
            action="store_false",
            help="do not import every installed app's tasks module",
        )
        parser.add_argument(
            "--no-periodic", dest="periodic", action="store_false", help="do not schedule periodic tasks"
        )

    def handle(
        self,
        *args: Any,
        threads: int,
        interval: float,
        batch: bool,
        max_tasks: int | None,
        worker_id: str | None,
        queue: str,
        imports: list[str],
        autodiscover: bool,
        periodic: bool,
        **options: Any,
    ) -> None:
        for module in imports:
            importlib.import_module(module)
        queue_names = [q.strip() for q in queue.split(",") if q.strip()] or ["*"]
        try:
            count = run_worker(
                worker_id=worker_id,
                interval=interval,
                threads=threads,
                batch=batch,
                max_tasks=max_tasks,
                queue_names=queue_names,
                periodic=None if periodic else (),
                autodiscover=autodiscover,
                handle_signals=True,
            )
        except KeyboardInterrupt:
            raise CommandError("工作进程被强制停止", returncode=130) from None
        if options.get("verbosity", 1) >= 1:
            self.stdout.write(f"工作进程已退出，共执行 {count} 个任务。")
