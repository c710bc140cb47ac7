"""执行款发放的后台任务：sending an approved batch, and the daily payout-deadline sweep.

Imported by ``FundsConfig.ready()`` so that the approval effect can enqueue the send task and the
worker's scheduler knows the sweep.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django_tasks import task

from zhixing.core.worker import TransientError, periodic, retry_policy

# Daily periods are aligned on UTC midnight; -8 h is Beijing midnight, +3 h runs at 03:00.
BEIJING_3AM = dt.timedelta(hours=-5)


@retry_policy(max_attempts=8, backoff_seconds=5, max_backoff_seconds=1800, retry_on=(TransientError, OSError))
@task()
def payout_batch_send(batch_id: int) -> dict[str, Any]:
    """发送发放批次并记录银行结果；idempotent (lines already sent are queried, never paid again)."""
    from zhixing.funds.payouts import payout_batch_process

    report = payout_batch_process(batch_id=batch_id)
    return {"batch": report.batch_id, "status": report.status, "paid": report.paid, "failed": report.failed}


@periodic(every=dt.timedelta(days=1), offset=BEIJING_3AM, name="funds.payout_overdue_sweep")
@task()
def payout_overdue_sweep() -> int:
    """执行款超期未发放巡查：journal funds.payout_overdue once per case (rules §10.1, payout_days)."""
    from zhixing.funds.payouts import payout_overdue_journal

    return payout_overdue_journal(on=timezone.localdate())
