"""短信/邮件网关：the interface electronic delivery notices go through, and its local simulator.

A gateway takes a message and returns its own message id at once; the delivery receipt comes
back later through :func:`zhixing.documents.services.gateway_receipt_record` — called by the
gateway's HTTP callback (``POST /api/v1/documents/gateway/receipts`` with the shared secret) or,
for the simulator, by :func:`simulator_post_due_receipts` (right after sending when
``DOCUMENTS_SIMULATOR_DELAY_SECONDS`` is 0, else by the periodic task).

Choose the implementation with the setting ``DOCUMENTS_GATEWAY`` (dotted path to a class with
a ``send(message) -> str`` method); the default is :class:`SimulatorGateway`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from zhixing.documents.models import SimulatedMessage

DEFAULT_GATEWAY = "zhixing.documents.gateway.SimulatorGateway"


@dataclass(frozen=True)
class GatewayMessage:
    to: str  # mobile number or e-mail address
    text: str
    idempotency_key: str  # the same key sent twice is one message


class Gateway(Protocol):
    def send(self, message: GatewayMessage) -> str: ...


class GatewayError(Exception):
    """网关暂时不可用（the send is retried）。"""


def simulator_delay() -> dt.timedelta:
    return dt.timedelta(seconds=float(getattr(settings, "DOCUMENTS_SIMULATOR_DELAY_SECONDS", 0)))


def simulated_outcome(to: str) -> str:
    """The simulator fails addresses that contain "fail" or are the number 10000000000."""
    return "failed" if "fail" in to.lower() or to.strip() == "10000000000" else "delivered"


class SimulatorGateway:
    """本地模拟网关：records each message and reports a receipt after the configured delay."""

    def send(self, message: GatewayMessage) -> str:
        existing = SimulatedMessage.objects.filter(idempotency_key=message.idempotency_key).first()
        if existing is not None:
            return existing.gateway_id
        now = timezone.now()
        try:
            with transaction.atomic():
                row = SimulatedMessage.objects.create(
                    gateway_id=f"SIM-{uuid.uuid4().hex[:16]}",
                    idempotency_key=message.idempotency_key,
                    to=message.to,
                    text=message.text,
                    accepted_at=now,
                    deliver_after=now + simulator_delay(),
                )
        except IntegrityError:
            return SimulatedMessage.objects.get(idempotency_key=message.idempotency_key).gateway_id
        return row.gateway_id


def get_gateway() -> Gateway:
    path = getattr(settings, "DOCUMENTS_GATEWAY", DEFAULT_GATEWAY)
    return import_string(path)()


def simulator_post_due_receipts(*, now: dt.datetime | None = None) -> int:
    """Post the receipts of simulated messages whose delay has passed (idempotent)."""
    from zhixing.core.errors import NotFound
    from zhixing.documents.services import gateway_receipt_record

    now = now or timezone.now()
    posted = 0
    due = SimulatedMessage.objects.filter(receipt_posted_at__isnull=True, deliver_after__lte=now)
    for msg in due.order_by("id")[:500]:
        outcome = simulated_outcome(msg.to)
        try:
            gateway_receipt_record(
                gateway_message_id=msg.gateway_id,
                status=outcome,
                delivered_at=max(msg.deliver_after, msg.accepted_at),
                detail="模拟网关回执",
            )
        except NotFound:
            continue  # the delivery has not recorded the id yet; try again next round
        SimulatedMessage.objects.filter(pk=msg.pk, receipt_posted_at__isnull=True).update(
            receipt_status=outcome, receipt_posted_at=now
        )
        posted += 1
    return posted
