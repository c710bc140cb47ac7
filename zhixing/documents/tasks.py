"""文书的后台任务：rendering issued documents, sending electronic deliveries, simulator receipts, sweeps."""

from __future__ import annotations

import datetime as dt

from django.db import OperationalError
from django.utils import timezone
from django_tasks import task

from zhixing.core.worker import TransientError, periodic, retry_policy
from zhixing.documents import services
from zhixing.documents.gateway import GatewayError, simulator_post_due_receipts


@retry_policy(
    max_attempts=5, backoff_seconds=30, max_backoff_seconds=1800, retry_on=(OSError, OperationalError)
)
@task()
def document_render_task(document_id: int) -> str:
    """生成文书文件（queued with the document; idempotent: a second run finds the file and stops）。"""
    return services.document_render(document_id=document_id).content_hash


@periodic(every=dt.timedelta(minutes=10), name="documents.render_pending")
@task()
def render_pending() -> int:
    """每十分钟：issued documents still without a file after ten minutes (a task that failed) are rendered."""
    return services.documents_render_pending(
        limit=200, issued_before=timezone.now() - dt.timedelta(minutes=10)
    )


@retry_policy(max_attempts=6, backoff_seconds=10, max_backoff_seconds=1800, retry_on=(TransientError,))
@task()
def delivery_dispatch_task(delivery_id: int) -> str:
    """发送一项电子送达（idempotent: a second run finds it sent and does nothing）。"""
    try:
        d = services.delivery_dispatch(delivery_id=delivery_id)
    except GatewayError as e:
        raise TransientError(str(e)) from e
    return d.status


@periodic(every=dt.timedelta(minutes=1), name="documents.simulator_receipts")
@task()
def simulator_receipts() -> int:
    """模拟网关：post the receipts whose simulated delay has passed."""
    return simulator_post_due_receipts()


@periodic(every=dt.timedelta(hours=1), name="documents.delivery_alert_sweep")
@task()
def delivery_alert_sweep() -> int:
    """每小时：未送达预警。"""
    return services.delivery_alert_sweep()


@periodic(every=dt.timedelta(hours=1), name="documents.announcements_mature")
@task()
def announcements_mature() -> int:
    """公告期满视为送达（每小时检查，当天生效）。"""
    return services.delivery_mature_announcements()
