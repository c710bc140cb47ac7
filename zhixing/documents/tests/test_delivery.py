"""送达：each channel from issue to deemed delivery; receipts, returns, alerts, listeners."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from zhixing.core.errors import Conflict, ServiceError
from zhixing.core.models import Court, JournalEvent, User
from zhixing.core.roles import Role
from zhixing.documents import services, tasks
from zhixing.documents.gateway import simulator_post_due_receipts
from zhixing.documents.listeners import on_delivered, remove_listener
from zhixing.documents.models import Delivery, DeliveryAlert, Document, InboxMessage, SimulatedMessage
from zhixing.documents.samples import SAMPLE_CONTEXTS
from zhixing.documents.services import Recipient

ON = date(2026, 3, 9)
NOON = dt.datetime(2026, 3, 9, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def issue(actor: User, court: Court, *recipients: Recipient) -> Document:
    return services.document_issue(
        actor=actor,
        kind="performance_notice",
        court=court,
        stream="case:3",
        case_number="（2026）浙0602执3号",
        context=SAMPLE_CONTEXTS["performance_notice"],
        recipients=list(recipients),
        on=ON,
    )


@pytest.fixture
def clerk(make_user: Callable[..., User]) -> User:
    return make_user(Role.CLERK)


@time_machine.travel(NOON, tick=False)
def test_electronic_by_phone_is_delivered_on_the_gateway_receipt(
    courts: dict[str, Court], judge: User, fast_pdf: list[str]
) -> None:
    seen: list[Delivery] = []
    listener = on_delivered("performance_notice")(seen.append)
    try:
        doc = issue(
            judge, courts["浙0602"], Recipient(name="张三", channel="electronic", address="13800000000")
        )
        d = doc.deliveries.get()
        assert d.status == Delivery.Status.PENDING
        assert tasks.delivery_dispatch_task.call(d.pk) == Delivery.Status.SENT  # simulator receipt follows
        tasks.delivery_dispatch_task.call(d.pk)  # at least once: a second run changes nothing
    finally:
        remove_listener("performance_notice", listener)
    d.refresh_from_db()
    assert SimulatedMessage.objects.count() == 1
    assert d.status == Delivery.Status.DELIVERED
    assert d.delivered_on == ON
    assert d.gateway_message_id.startswith("SIM-")
    assert d.citations["citations"][0]["article"] == "第90条"
    assert [x.pk for x in seen] == [d.pk]
    event = JournalEvent.objects.get(stream="case:3", kind="delivery.delivered")
    assert event.payload["delivered_on"] == "2026-03-09"


def test_electronic_with_a_delayed_simulator_receipt(
    courts: dict[str, Court], judge: User, fast_pdf: list[str], settings: Any
) -> None:
    settings.DOCUMENTS_SIMULATOR_DELAY_SECONDS = 3600
    with time_machine.travel(NOON, tick=False):
        doc = issue(
            judge, courts["浙0602"], Recipient(name="张三", channel="electronic", address="z@example.cn")
        )
        d = doc.deliveries.get()
        services.delivery_dispatch(delivery_id=d.pk)
        assert simulator_post_due_receipts() == 0
    d.refresh_from_db()
    assert d.status == Delivery.Status.SENT
    with time_machine.travel(NOON + dt.timedelta(hours=13), tick=False):  # past midnight: the next day
        assert simulator_post_due_receipts() == 1
        assert simulator_post_due_receipts() == 0
    d.refresh_from_db()
    assert d.status == Delivery.Status.DELIVERED
    assert d.delivered_on == ON  # the message reached the recipient at 13:00 on the 9th


@time_machine.travel(NOON, tick=False)
def test_electronic_to_a_platform_user_arrives_in_the_inbox(
    courts: dict[str, Court], judge: User, make_user: Callable[..., User], fast_pdf: list[str]
) -> None:
    recipient = make_user(Role.CLERK, court_code="浙0603")
    doc = issue(judge, courts["浙0602"], Recipient(name="李四", channel="electronic", user=recipient))
    d = doc.deliveries.get()
    services.delivery_dispatch(delivery_id=d.pk)
    d.refresh_from_db()
    assert d.status == Delivery.Status.DELIVERED and d.delivered_on == ON
    assert InboxMessage.objects.get(recipient_user=recipient).document == doc


def test_electronic_failure_raises_an_alert_and_can_be_resent(
    courts: dict[str, Court], judge: User, clerk: User, fast_pdf: list[str]
) -> None:
    doc = issue(
        judge, courts["浙0602"], Recipient(name="张三", channel="electronic", address="fail@example.cn")
    )
    d = doc.deliveries.get()
    services.delivery_dispatch(delivery_id=d.pk)
    d.refresh_from_db()
    assert d.status == Delivery.Status.FAILED
    assert DeliveryAlert.objects.get(delivery=d).reason == DeliveryAlert.Reason.FAILED
    services.delivery_send(actor=clerk, delivery=d)
    d.refresh_from_db()
    assert d.status == Delivery.Status.PENDING


def test_gateway_receipt_is_idempotent(
    courts: dict[str, Court], judge: User, fast_pdf: list[str], settings: Any
) -> None:
    settings.DOCUMENTS_SIMULATOR_DELAY_SECONDS = 3600
    doc = issue(judge, courts["浙0602"], Recipient(name="张三", channel="electronic", address="13800000000"))
    d = services.delivery_dispatch(delivery_id=doc.deliveries.get().pk)
    at = timezone.now()
    first = services.gateway_receipt_record(
        gateway_message_id=d.gateway_message_id, status="delivered", delivered_at=at
    )
    again = services.gateway_receipt_record(
        gateway_message_id=d.gateway_message_id, status="delivered", delivered_at=at
    )
    assert first.delivered_on == again.delivered_on
    assert JournalEvent.objects.filter(kind="delivery.delivered").count() == 1


def test_postal_from_tracking_number_to_returned_receipt_date(
    courts: dict[str, Court], judge: User, clerk: User, fast_pdf: list[str]
) -> None:
    doc = issue(
        judge, courts["浙0602"], Recipient(name="张三", channel="postal", address="绍兴市越城区某路1号")
    )
    d = doc.deliveries.get()
    with pytest.raises(ServiceError):
        services.delivery_send(actor=clerk, delivery=d, on=ON)  # no tracking number
    services.delivery_send(actor=clerk, delivery=d, tracking_number="EMS1234567890CN", on=ON)
    d = services.delivery_record_receipt(
        actor=clerk,
        delivery=d,
        received_on=date(2026, 3, 11),
        receipt="回执：本人签收",
        receipt_file=b"scan",
        on=date(2026, 3, 14),
    )
    assert d.status == Delivery.Status.DELIVERED
    assert d.delivered_on == date(2026, 3, 11)
    assert d.tracking_number == "EMS1234567890CN" and d.receipt_hash


def test_postal_returned_raises_alert_then_announcement_resolves_it(
    courts: dict[str, Court], judge: User, clerk: User, fast_pdf: list[str]
) -> None:
    doc = issue(judge, courts["浙0602"], Recipient(name="张三", channel="postal", address="查无此人路"))
    d = doc.deliveries.get()
    services.delivery_send(actor=clerk, delivery=d, tracking_number="EMS1", on=ON)
    services.delivery_mark_returned(actor=clerk, delivery=d, reason="查无此人")
    assert DeliveryAlert.objects.get(resolved_at__isnull=True).reason == DeliveryAlert.Reason.RETURNED
    with pytest.raises(Conflict):
        services.delivery_record_receipt(actor=clerk, delivery=d, received_on=ON, on=ON)
    ann = services.delivery_add(
        actor=clerk, document=doc, recipient=Recipient(name="张三", channel="by_announcement")
    )
    services.delivery_send(actor=clerk, delivery=ann, published_on=date(2026, 3, 16), on=date(2026, 3, 16))
    ann.refresh_from_db()
    assert ann.status == Delivery.Status.SENT and ann.delivered_on == date(2026, 4, 15)
    assert services.delivery_mature_announcements(on=date(2026, 4, 14)) == 0
    assert services.delivery_mature_announcements(on=date(2026, 4, 15)) == 1
    ann.refresh_from_db()
    assert ann.status == Delivery.Status.DELIVERED and ann.delivered_on == date(2026, 4, 15)
    assert not DeliveryAlert.objects.filter(resolved_at__isnull=True).exists()


def test_announcement_across_a_holiday_rolls_to_the_next_workday(
    courts: dict[str, Court], judge: User, clerk: User, fast_pdf: list[str]
) -> None:
    doc = issue(judge, courts["浙0602"], Recipient(name="张三", channel="by_announcement"))
    d = services.delivery_send(
        actor=clerk, delivery=doc.deliveries.get(), published_on=date(2026, 9, 1), on=date(2026, 9, 1)
    )
    assert d.delivered_on == date(2026, 10, 8)  # +30 days = 10-01, National Day holiday until 10-07
    services.delivery_mature_announcements(on=date(2026, 10, 8))
    d.refresh_from_db()
    assert d.status == Delivery.Status.DELIVERED
    cited = [c["article"] for c in d.citations["citations"]]
    assert "第95条" in cited and "第138条" in cited


def test_in_person_is_delivered_on_the_signing_date(
    courts: dict[str, Court], judge: User, clerk: User, fast_pdf: list[str]
) -> None:
    doc = issue(judge, courts["浙0602"], Recipient(name="张三", channel="in_person"))
    d = services.delivery_record_receipt(
        actor=clerk, delivery=doc.deliveries.get(), received_on=ON, receipt="受送达人当面签收", on=ON
    )
    assert d.status == Delivery.Status.DELIVERED and d.delivered_on == ON
    with pytest.raises(Conflict):
        services.delivery_record_receipt(actor=clerk, delivery=d, received_on=ON, on=ON)


def test_undelivered_sweep_raises_an_alert_once(
    courts: dict[str, Court], judge: User, fast_pdf: list[str], make_user: Callable[..., User]
) -> None:
    issue(judge, courts["浙0602"], Recipient(name="张三", channel="postal", address="某路1号"))
    assert services.delivery_alert_sweep(now=timezone.now() + dt.timedelta(days=2)) == 0
    later = timezone.now() + dt.timedelta(days=16)
    assert services.delivery_alert_sweep(now=later) == 1
    assert services.delivery_alert_sweep(now=later) == 0
    alert = DeliveryAlert.objects.get()
    assert alert.reason == DeliveryAlert.Reason.OVERDUE
    from zhixing.documents.selectors import alerts_open

    assert list(alerts_open(user=make_user(Role.BUREAU_CHIEF))) == [alert]
    assert not alerts_open(user=make_user(Role.BUREAU_CHIEF, court_code="浙0603")).exists()


def test_staff_of_another_court_cannot_record_a_receipt(
    courts: dict[str, Court], judge: User, make_user: Callable[..., User], fast_pdf: list[str]
) -> None:
    from zhixing.core.errors import PermissionDenied

    doc = issue(judge, courts["浙0602"], Recipient(name="张三", channel="in_person"))
    with pytest.raises(PermissionDenied):
        services.delivery_record_receipt(
            actor=make_user(Role.CLERK, court_code="浙0603"),
            delivery=doc.deliveries.get(),
            received_on=ON,
            on=ON,
        )
