"""执行款的定时任务：bank notices received but not yet posted (after a crash) are posted once."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from zhixing.core.worker import periodic


@periodic(every=dt.timedelta(minutes=1), name="funds.bank_notices_pending")
@task()
def bank_notices_pending() -> int:
    """到账通知补记账：post every notice stored as received; idempotent."""
    from zhixing.funds.services import bank_notices_process_pending

    return bank_notices_process_pending()


@periodic(every=dt.timedelta(days=1), offset=dt.timedelta(hours=-7), name="funds.unidentified_ageing")
@task()
def unidentified_ageing() -> int:
    """不明款项账龄预警（每日 01:00）：journal each unidentified receipt older than the alert age, once."""
    from zhixing.funds.services import unidentified_ageing_alert

    return unidentified_ageing_alert()
