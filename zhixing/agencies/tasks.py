"""协助请求的后台任务：the dispatcher (kicked by each decision, and swept periodically) and the
overdue-answer sweep."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django_tasks import task

from zhixing.core.worker import periodic


@task()
def agencies_dispatch() -> dict[str, Any]:
    """发送到期的协助请求（一次最多 200 件，并发发送）。"""
    from zhixing.agencies.services import dispatch_due

    r = dispatch_due()
    return {
        "claimed": r.claimed,
        "answered": r.answered,
        "accepted": r.accepted,
        "retried": r.retried,
        "failed": r.failed,
        "resent": r.resent,
    }


@periodic(every=dt.timedelta(seconds=settings.AGENCY_DISPATCH_EVERY_SECONDS), name="agencies.dispatch_sweep")
@task()
def agencies_dispatch_sweep() -> dict[str, Any]:
    """补发与追问：retries that are due, leases run out (a worker died), callbacks that are late."""
    from zhixing.agencies.services import dispatch_due

    total = 0
    for _ in range(50):
        r = dispatch_due()
        total += r.claimed
        if r.claimed < 200:
            break
    return {"claimed": total}


@periodic(every=dt.timedelta(minutes=10), name="agencies.overdue_alert")
@task()
def agencies_overdue_alert() -> int:
    """逾期未答复预警。"""
    from zhixing.agencies.services import overdue_alert

    return overdue_alert()
