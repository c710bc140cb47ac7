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
    from django.conf import settings
    from django.utils import timezone

    from zhixing.core.journal import journal_append
    from zhixing.core.models import JournalEvent
    from zhixing.funds.selectors import _unresolved
    from zhixing.funds.services import court_stream

    age = dt.timedelta(days=getattr(settings, "FUNDS_UNIDENTIFIED_ALERT_DAYS", 7))
    raised = 0
    for posting in _unresolved().filter(created_at__lt=timezone.now() - age).select_related("court"):
        stream = court_stream(posting.court)
        already = JournalEvent.objects.filter(
            stream=stream, kind="funds.unidentified_ageing", payload__posting_id=posting.pk
        ).exists()
        if not already:
            journal_append(
                stream=stream,
                kind="funds.unidentified_ageing",
                actor=None,
                court=posting.court,
                payload={"posting_id": posting.pk, "since": posting.created_at.isoformat()},
            )
            raised += 1
    return raised
