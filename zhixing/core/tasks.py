"""共享内核的后台任务：daily journal verification and housekeeping of finished jobs."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from zhixing.core.journal import verify_chains
from zhixing.core.worker import periodic
from zhixing.core.worker.models import ScheduledRun

logger = logging.getLogger("zhixing.journal")

# Daily periods are aligned on UTC midnight; offset -8 h puts them on Beijing midnight,
# and a further +2 h runs them at 02:00 Beijing time, when courts are quiet.
BEIJING_2AM = dt.timedelta(hours=-6)


@periodic(every=dt.timedelta(days=1), offset=BEIJING_2AM, name="core.journal_verify")
@task()
def journal_verify_sweep() -> dict[str, int]:
    """每日校验全部日志链；a broken link is logged as an error with its stream and position."""
    report = verify_chains()
    for link in report.broken or []:
        logger.error("日志链断裂：%s", link)
    return {"streams": report.streams, "events": report.events, "broken": len(report.broken or [])}


@periodic(every=dt.timedelta(days=1), offset=BEIJING_2AM, name="core.task_results_prune")
@task()
def task_results_prune() -> dict[str, int]:
    """删除保留期外已成功的任务记录与定时运行记录（失败的任务保留，供排查）。"""
    cutoff = timezone.now() - dt.timedelta(days=settings.TASK_RESULT_RETENTION_DAYS)
    runs, _ = ScheduledRun.objects.filter(period_start__lt=cutoff).delete()
    done, _ = DBTaskResult.objects.successful().filter(finished_at__lt=cutoff).delete()
    return {"scheduled_runs": runs, "task_results": done}
