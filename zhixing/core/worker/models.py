"""后台任务的运行数据：工作进程心跳与定时任务运行记录。"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult


class WorkerHeartbeat(models.Model):
    """工作进程心跳。

    One row per worker loop, touched every ``WORKER_HEARTBEAT_SECONDS`` by a daemon thread. A
    running task whose worker has not been seen for ``WORKER_LEASE_SECONDS`` is handed back to the
    queue by the reaper.
    """

    worker_id = models.CharField(_("工作进程标识"), max_length=64, primary_key=True)
    hostname = models.CharField(_("主机名"), max_length=255)
    pid = models.PositiveIntegerField(_("进程号"))
    started_at = models.DateTimeField(_("启动时间"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("最近心跳时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("工作进程心跳")
        verbose_name_plural = _("工作进程心跳")
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"


class ScheduledRun(models.Model):
    """定时任务运行记录。

    One row per periodic task and period, inserted in the same transaction as the task it
    enqueues. The unique constraint on (name, period_start) is what makes a periodic task fire once
    per period however many workers run the scheduler.
    """

    name = models.CharField(_("定时任务名称"), max_length=128)
    period_start = models.DateTimeField(_("周期起点"))
    enqueued_at = models.DateTimeField(_("入队时间"), default=timezone.now)
    task_result = models.ForeignKey(
        DBTaskResult,
        verbose_name=_("任务记录"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("定时任务运行记录")
        verbose_name_plural = _("定时任务运行记录")
        ordering = ["-period_start", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "period_start"], name="worker_scheduledrun_once_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} @ {self.period_start:%Y-%m-%d %H:%M:%S}"
