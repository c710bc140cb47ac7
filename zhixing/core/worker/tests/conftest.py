"""工作进程测试的公共夹具：子进程工作进程、限时等待、隔离的登记表。"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from zhixing.core.worker import registry
from zhixing.core.worker.tests.tasks_for_tests import MARKER_DIR_ENV

LEASE_SECONDS = 2
HEARTBEAT_SECONDS = 0.5


def wait_until(predicate: Callable[[], Any], *, timeout: float, what: str, interval: float = 0.05) -> Any:
    """Poll ``predicate`` until it returns something truthy; fail (never hang) after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


@contextmanager
def stop_after(event: threading.Event, seconds: float) -> Iterator[None]:
    """Safety net for in-process workers: set ``event`` after ``seconds`` so a test cannot hang."""
    timer = threading.Timer(seconds, event.set)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def child_database_url() -> str:
    """The URL of the database pytest-django is using (the test database), for child processes."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(s['NAME']).resolve()}"
    if connection.vendor == "postgresql":
        user = quote(s.get("USER") or "", safe="")
        password = quote(s.get("PASSWORD") or "", safe="")
        auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        port = f":{s['PORT']}" if s.get("PORT") else ""
        return f"postgres://{auth}{s.get('HOST') or 'localhost'}{port}/{quote(s['NAME'], safe='')}"
    raise NotImplementedError(connection.vendor)


class ChildWorker:
    """A ``manage.py zhixing_worker`` subprocess with its output kept in a log file."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        self._log_file = log.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "zhixing_worker", *args],
            cwd=settings.REPO_DIR,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def output(self) -> str:
        self._log_file.flush()
        return self.log.read_text(errors="replace")

    def signal(self, signum: int) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signum)

    def wait(self, timeout: float) -> int:
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired as e:
            raise AssertionError(f"worker did not exit within {timeout} s:\n{self.output}") from e

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)
        self._log_file.close()


@pytest.fixture
def marker_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "markers"
    folder.mkdir()
    return folder


@pytest.fixture
def spawn_worker(marker_dir: Path, tmp_path: Path) -> Iterator[Callable[..., ChildWorker]]:
    """Start worker subprocesses on the test database; all are killed at teardown."""
    children: list[ChildWorker] = []
    env = {
        **os.environ,
        "DATABASE_URL": child_database_url(),
        "ZHIXING_WORKER_LEASE_SECONDS": str(LEASE_SECONDS),
        "ZHIXING_WORKER_HEARTBEAT_SECONDS": str(HEARTBEAT_SECONDS),
        MARKER_DIR_ENV: str(marker_dir),
        "PYTHONUNBUFFERED": "1",
    }

    def spawn(worker_id: str, *extra: str) -> ChildWorker:
        args = [
            "--worker-id",
            worker_id,
            "--threads",
            "1",
            "--interval",
            "0.1",
            "--no-autodiscover",
            "--import",
            "zhixing.core.worker.tests.tasks_for_tests",
            *extra,
        ]
        child = ChildWorker(args, env, tmp_path / f"{worker_id}.log")
        children.append(child)
        return child

    yield spawn
    for child in children:
        if child.process.poll() is None:
            child.signal(signal.SIGKILL)
        child.kill()


@pytest.fixture
def isolated_registries() -> Iterator[None]:
    """Restore the periodic and retry registries after a test that registers into them."""
    periodic = dict(registry.PERIODIC)
    policies = dict(registry.RETRY_POLICIES)
    yield
    registry.PERIODIC.clear()
    registry.PERIODIC.update(periodic)
    registry.RETRY_POLICIES.clear()
    registry.RETRY_POLICIES.update(policies)
