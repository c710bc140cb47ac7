"""查控的定时任务：renewal reminders and expiry (daily), re-inquiry of 终本 cases (daily)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django_tasks import task

from zhixing.core.worker import periodic

BEIJING_2AM = dt.timedelta(hours=-6)


@periodic(every=dt.timedelta(days=1), offset=BEIJING_2AM, name="asset_control.renewal_sweep")
@task()
def asset_control_renewal_sweep() -> dict[str, Any]:
    """续行提醒（届满前 30/15/7 日）与期满失效。"""
    from zhixing.asset_control.services import renewal_sweep

    return renewal_sweep()


@periodic(
    every=dt.timedelta(days=1),
    offset=dt.timedelta(hours=-5, minutes=30),
    name="asset_control.reinquiry_sweep",
)
@task()
def asset_control_reinquiry_sweep() -> int:
    """终本案件定期网络查询。"""
    from zhixing.asset_control.services import reinquiry_sweep

    return reinquiry_sweep()
