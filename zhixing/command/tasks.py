"""指挥中心的后台任务：the KPI projection every minute, the alert rules hourly, instruction reminders and
escalation daily."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django_tasks import task

from zhixing.core.worker import periodic


@periodic(every=dt.timedelta(seconds=settings.COMMAND_PROJECT_EVERY_SECONDS), name="command.project")
@task()
def command_project() -> int:
    """把新的日志事件计入日统计（每分钟）。"""
    from zhixing.command.projection import project_pending

    return project_pending()


@periodic(every=dt.timedelta(hours=1), name="command.alerts_sweep")
@task()
def command_alerts_sweep() -> dict[str, Any]:
    """监督预警规则巡查（每小时）：新发现的预警，已消除的系统核销。"""
    from zhixing.command.services import alerts_sweep

    return alerts_sweep()


@periodic(every=dt.timedelta(days=1), offset=dt.timedelta(hours=-2), name="command.instructions_sweep")
@task()
def command_instructions_sweep() -> dict[str, Any]:
    """交办督办：到期提醒、逾期升级（每日 06:00）。"""
    from zhixing.command.services import instructions_sweep

    return instructions_sweep()
