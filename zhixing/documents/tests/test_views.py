"""Pages and API: scoping (another court's document is a 404), actions, archive, inbox, gateway."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD
from zhixing.core.models import Court, User
from zhixing.core.roles import Role
from zhixing.documents import services
from zhixing.documents.models import Delivery, Document
from zhixing.documents.samples import SAMPLE_CONTEXTS
from zhixing.documents.services import Recipient
from zhixing.documents.tests import urls as test_urls

pytestmark = pytest.mark.urls("zhixing.documents.tests.urls")


def client_for(user: User) -> Client:
    c = Client()
    c.force_login(user, backend="zhixing.core.auth.LockoutBackend")
    return c


@pytest.fixture
def doc(courts: dict[str, Court], judge: User, fast_pdf: list[str]) -> Document:
    return services.document_issue(
        actor=judge,
        kind="performance_notice",
        court=courts["浙0602"],
        stream="case:5",
        case_number="（2026）浙0602执5号",
        context=SAMPLE_CONTEXTS["performance_notice"],
        recipients=[
            Recipient(name="张三", channel="in_person"),
            Recipient(name="李四", channel="postal", address="某路"),
        ],
        on=date(2026, 3, 9),
    )


def test_a_keqiao_judge_cannot_open_a_yuecheng_document(
    doc: Document, make_user: Callable[..., User]
) -> None:
    other = client_for(make_user(Role.JUDGE, court_code="浙0603"))
    for url in (
        f"/documents/{doc.pk}/",
        f"/documents/{doc.pk}/pdf/",
        "/documents/archive/case:5/",
        "/documents/archive/case:5/zip/",
    ):
        assert other.get(url).status_code == 404, url
    d = doc.deliveries.first()
    assert d is not None
    assert (
        other.post(f"/documents/deliveries/{d.pk}/receipt/", {"received_on": "2026-03-10"}).status_code == 404
    )
    assert other.get(f"/{test_urls.API_PREFIX}documents/{doc.pk}").status_code == 404


def test_document_page_download_and_receipt_action(doc: Document, judge: User) -> None:
    c = client_for(judge)
    page = c.get(f"/documents/{doc.pk}/")
    assert page.status_code == 200
    assert doc.number in page.content.decode()
    pdf = c.get(f"/documents/{doc.pk}/pdf/")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    d = doc.deliveries.get(channel="in_person")
    today = timezone.localdate().isoformat()
    r = c.post(f"/documents/deliveries/{d.pk}/receipt/", {"received_on": today, "receipt": "当面签收"})
    assert r.status_code == 302
    d.refresh_from_db()
    assert d.status == Delivery.Status.DELIVERED
    p = doc.deliveries.get(channel="postal")
    c.post(f"/documents/deliveries/{p.pk}/send/", {"tracking_number": "EMS9"})
    c.post(f"/documents/deliveries/{p.pk}/returned/", {"reason": "拒收"})
    p.refresh_from_db()
    assert p.status == Delivery.Status.RETURNED
    alerts = c.get("/documents/alerts/")
    assert "拒收" not in alerts.content.decode() and "邮件退回" in alerts.content.decode()


def test_archive_page_and_zip(doc: Document, judge: User) -> None:
    c = client_for(judge)
    assert doc.number in c.get("/documents/archive/case:5/").content.decode()
    r = c.get("/documents/archive/case:5/zip/")
    assert r.status_code == 200
    zf = zipfile.ZipFile(io.BytesIO(b"".join(r.streaming_content)))  # type: ignore[attr-defined]
    assert len(zf.namelist()) == 3


def test_template_pages_and_preview_error(judge: User, fast_pdf: list[str]) -> None:
    c = client_for(judge)
    assert "performance_notice" in c.get("/documents/templates/").content.decode()
    r = c.post("/documents/templates/performance_notice/", {"context": '{"debtor_names": ["张三"]}'})
    assert r.status_code == 200 and "applicant_names" in r.content.decode()
    ok = c.post(
        "/documents/templates/restoration_notice/",
        {
            "context": '{"party_names": ["甲"], "original_case_number": "x", "reason": "y",'
            ' "restored_on": "2026-09-01"}'
        },
    )
    assert ok["Content-Type"] == "application/pdf"


@pytest.mark.django_db(transaction=True)
def test_inbox_lists_documents_delivered_to_the_user(
    courts: dict[str, Court], make_user: Callable[..., User], fast_pdf: list[str]
) -> None:
    judge = make_user(Role.JUDGE)
    recipient = make_user(Role.CLERK, court_code="浙0603")
    d = services.document_issue(
        actor=judge,
        kind="restoration_notice",
        court=courts["浙0602"],
        stream="case:9",
        case_number="（2026）浙0602执恢9号",
        context=SAMPLE_CONTEXTS["restoration_notice"],
        recipients=[Recipient(name="王五", channel="electronic", user=recipient)],
    )
    services.delivery_dispatch(delivery_id=d.deliveries.get().pk)
    c = client_for(recipient)
    assert d.number in c.get("/documents/inbox/").content.decode()
    assert c.get(f"/documents/inbox/{d.pk}/pdf/").status_code == 200
    assert c.get(f"/documents/{d.pk}/").status_code == 404  # out of scope except through the inbox


def test_api_get_and_gateway_callback(
    doc: Document, judge: User, settings: Any, courts: dict[str, Court]
) -> None:
    c = client_for(judge)
    body = c.get(f"/{test_urls.API_PREFIX}documents/{doc.pk}").json()
    assert body["number"] == doc.number and len(body["deliveries"]) == 2
    e = services.document_issue(
        actor=judge,
        kind="restoration_notice",
        court=courts["浙0602"],
        stream="case:5",
        case_number="x",
        context=SAMPLE_CONTEXTS["restoration_notice"],
        recipients=[Recipient(name="甲", channel="electronic", address="13900000000")],
    )
    settings.DOCUMENTS_SIMULATOR_DELAY_SECONDS = 3600
    d = services.delivery_dispatch(delivery_id=e.deliveries.get().pk)
    url = f"/{test_urls.API_PREFIX}documents/gateway/receipts"
    payload = {
        "gateway_message_id": d.gateway_message_id,
        "status": "delivered",
        "delivered_at": "2026-03-10T09:00:00+08:00",
    }
    anon = Client()
    assert anon.post(url, payload, content_type="application/json").status_code == 401
    settings.DOCUMENTS_GATEWAY_SECRET = "s3cret"
    h = {"X-Gateway-Secret": "s3cret"}
    r1 = anon.post(url, payload, content_type="application/json", headers=h)
    r2 = anon.post(url, payload, content_type="application/json", headers=h)
    assert r1.status_code == r2.status_code == 200
    assert r1.json()["delivered_on"] == r2.json()["delivered_on"] == "2026-03-10"


def test_api_issue_missing_field_is_400_naming_it(judge: User, fast_pdf: list[str]) -> None:
    c = client_for(judge)
    r = c.post(
        f"/{test_urls.API_PREFIX}documents/",
        {
            "kind": "performance_notice",
            "stream": "case:5",
            "case_number": "x",
            "context": {},
            "recipients": [],
        },
        content_type="application/json",
    )
    assert r.status_code == 400
    assert r.json()["error"]["field"] == "applicant_names"
    assert PASSWORD
