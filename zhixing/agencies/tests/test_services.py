"""The agency outbox without the network: registry, validation, answers once, callbacks' signatures,
interim statuses, the desk, failures and overdue alerts."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from zhixing.agencies import protocol, services
from zhixing.agencies.models import Agency, AgencyRequest
from zhixing.agencies.protocol import Reply, ReplyStatus
from zhixing.core.errors import Conflict, NotFound, PermissionDenied, ServiceError
from zhixing.core.journal import verify_chains
from zhixing.core.models import Court, JournalEvent, User
from zhixing.core.roles import Role

S = AgencyRequest.Status
SECRET = "s3cret-key-for-tests"
CALLS: list[tuple[AgencyRequest, Reply]] = []
FAILURES: list[AgencyRequest] = []


@pytest.fixture(autouse=True)
def _test_origin() -> None:
    CALLS.clear()
    FAILURES.clear()
    services.register_origin(
        "test",
        services.Origin(on_reply=lambda r, reply: CALLS.append((r, reply)), on_failure=FAILURES.append),
    )


@pytest.fixture
def bank(db: None) -> Agency:
    return services.agency_register(
        code="TB", name="测试银行", kind="bank", endpoint="http://127.0.0.1:9/agencies/TB", secret=SECRET
    )


@pytest.fixture
def grid(db: None) -> Agency:
    return services.agency_register(code="GRID", name="网格", kind="grid")


def make_request(agency: Agency, court: Court, act: str = "inquiry", **kw: Any) -> AgencyRequest:
    return services.request_create(
        agency=agency,
        act=act,
        court=court,
        purpose=kw.pop("purpose", "测试查询"),
        legal_basis=kw.pop("legal_basis", [{"law": "民事诉讼法", "article": "第253条"}]),
        origin="test",
        **kw,
    )


def reply(row: AgencyRequest, status: str = "completed", **kw: Any) -> Reply:
    return Reply(request_id=str(row.request_id), status=ReplyStatus(status), agency=row.agency.code, **kw)


def test_registry_defaults_acts_and_answer_hours_by_kind(bank: Agency, grid: Agency) -> None:
    assert bank.answer_hours == 24 and "freeze" in bank.acts and bank.integrated
    assert grid.acts == ["assistance_notice"] and not grid.integrated and grid.answer_hours == 168
    with pytest.raises(ServiceError, match="签名密钥"):
        services.agency_register(code="X", name="X", kind="bank", endpoint="http://x")
    with pytest.raises(ServiceError, match="未知的单位类别"):
        services.agency_register(code="X", name="X", kind="church")


def test_a_request_needs_purpose_basis_and_a_supported_act(bank: Agency, courts: dict[str, Court]) -> None:
    court = courts["浙0602"]
    with pytest.raises(ServiceError, match="用途"):
        make_request(bank, court, purpose=" ")
    with pytest.raises(ServiceError, match="法律依据"):
        make_request(bank, court, legal_basis=[])
    with pytest.raises(ServiceError, match="不办理"):
        make_request(bank, court, act="seal")
    assert not AgencyRequest.objects.exists()
    row = make_request(bank, court)
    assert row.status == S.QUEUED and row.due_at is None


def test_a_final_answer_is_recorded_once_and_copies_count_as_duplicates(
    bank: Agency, courts: dict[str, Court]
) -> None:
    row = make_request(bank, courts["浙0602"])
    first = services.reply_record(
        request_pk=row.pk, reply=reply(row, result={"assets": []}), expected_agency_id=None
    )
    again = services.reply_record(
        request_pk=row.pk, reply=reply(row, "rejected", reason_code="x"), expected_agency_id=None
    )
    row.refresh_from_db()
    assert not first.duplicate and again.duplicate
    assert row.status == S.ANSWERED and row.reply_status == "completed" and row.duplicates == 1
    assert len(CALLS) == 1


def test_an_interim_status_after_the_final_answer_changes_nothing(
    bank: Agency, courts: dict[str, Court]
) -> None:
    row = make_request(bank, courts["浙0602"])
    services.reply_record(request_pk=row.pk, reply=reply(row, "processing"), expected_agency_id=None)
    row.refresh_from_db()
    assert row.status == S.QUEUED and row.interim_status == "processing"
    services.reply_record(request_pk=row.pk, reply=reply(row), expected_agency_id=None)
    services.reply_record(request_pk=row.pk, reply=reply(row, "processing"), expected_agency_id=None)
    row.refresh_from_db()
    assert row.status == S.ANSWERED and row.reply_status == "completed" and row.duplicates == 1


def test_a_handler_error_keeps_the_answer_and_alerts(bank: Agency, courts: dict[str, Court]) -> None:
    def broken(r: AgencyRequest, rep: Reply) -> None:
        raise RuntimeError("boom")

    services.register_origin("test", services.Origin(on_reply=broken))
    row = make_request(bank, courts["浙0602"])
    services.reply_record(request_pk=row.pk, reply=reply(row), expected_agency_id=None)
    row.refresh_from_db()
    assert row.status == S.ANSWERED and "boom" in row.handler_error
    assert JournalEvent.objects.filter(kind="agency_request.handler_failed").exists()


def _callback(
    client: Client, agency: Agency, body: dict[str, Any], *, secret: str = SECRET, key: str = ""
) -> Any:
    raw = protocol.dumps({"protocol": protocol.VERSION, **body})
    headers = protocol.signed_headers(key or agency.code, secret, "POST", protocol.CALLBACK_PATH, raw)
    return client.post(
        protocol.CALLBACK_PATH,
        data=raw,
        content_type="application/json",
        headers={k: v for k, v in headers.items() if k != "Content-Type"},
    )


def test_callbacks_are_signed_recorded_once_and_only_for_the_agencys_own_requests(
    client: Client, bank: Agency, grid: Agency, courts: dict[str, Court]
) -> None:
    row = make_request(bank, courts["浙0602"])
    body = {
        "request_id": str(row.request_id),
        "status": "completed",
        "agency": "TB",
        "result": {"assets": []},
    }
    bad = _callback(client, bank, body, secret="wrong")
    assert bad.status_code == 401 and bad.json()["error"]["code"] == "bad_signature"
    row.refresh_from_db()
    assert row.status == S.QUEUED
    ok = _callback(client, bank, body)
    assert ok.status_code == 200 and ok.json() == {"recorded": True, "duplicate": False}
    assert _callback(client, bank, body).json() == {"recorded": True, "duplicate": True}
    # another agency cannot answer this one (its key is different, and the request is not its own)
    other = services.agency_register(
        code="TB2", name="另一银行", kind="bank", endpoint="http://x", secret="k2"
    )
    assert _callback(client, other, body, secret="k2").status_code == 404
    malformed = _callback(client, bank, {"request_id": str(row.request_id), "status": "done"})
    assert malformed.status_code == 400
    unknown = _callback(client, bank, {**body, "request_id": "not-a-uuid"})
    assert unknown.status_code == 404


def test_an_unsolicited_notice_is_recorded_once(client: Client, bank: Agency) -> None:
    seen: list[str] = []
    services.register_notice_handler("test_event", lambda agency, notice: seen.append(notice.notice_id))
    body = {"request_id": "notice:1", "status": "completed", "result": {"event": "test_event"}}
    assert _callback(client, bank, body).status_code == 200
    assert _callback(client, bank, body).status_code == 200
    assert seen == ["notice:1"]


def test_a_stale_signature_is_refused() -> None:
    raw = b"{}"
    headers = protocol.signed_headers("k", SECRET, "POST", "/p", raw)
    protocol.verify(SECRET, "POST", "/p", raw, headers)
    with pytest.raises(protocol.ProtocolError, match="stale"):
        protocol.verify(SECRET, "POST", "/p", raw, headers, now=dt.datetime.now().timestamp() + 301)
    with pytest.raises(protocol.ProtocolError, match="bad signature"):
        protocol.verify(SECRET, "POST", "/other", raw, headers)


def test_the_desk_answers_requests_of_agencies_without_integration(
    grid: Agency, courts: dict[str, Court], make_user: Callable[..., User]
) -> None:
    from conftest import PASSWORD
    from zhixing.core.services import external_user_create

    row = make_request(
        grid, courts["浙0602"], act="assistance_notice", payload={"text": "请协助查找被执行人"}
    )
    assert row.status == S.AWAITING and row.due_at is not None  # no sending: it waits on the desk
    assert services.dispatch_due().claimed == 0
    clerk = external_user_create(
        username="g1", full_name="网格员", role=Role.AGENCY_CLERK, password=PASSWORD + "x!"
    )
    judge = make_user(Role.JUDGE)
    with pytest.raises(PermissionDenied):
        services.desk_answer(actor=clerk, request_pk=row.pk, status="completed")
    services.agency_member_add(user=clerk, agency=grid)
    with pytest.raises(PermissionDenied):
        services.desk_answer(actor=judge, request_pk=row.pk, status="completed")
    with pytest.raises(ServiceError, match="理由"):
        services.desk_answer(actor=clerk, request_pk=row.pk, status="rejected")
    services.desk_answer(actor=clerk, request_pk=row.pk, status="completed", result={"acknowledged": True})
    row.refresh_from_db()
    assert row.status == S.ANSWERED and row.answered_by == clerk
    with pytest.raises(Conflict):
        services.desk_answer(actor=clerk, request_pk=row.pk, status="completed")
    other = services.agency_register(code="G2", name="另一网格", kind="grid")
    foreign = make_request(other, courts["浙0602"], act="assistance_notice")
    with pytest.raises(NotFound):
        services.desk_answer(actor=clerk, request_pk=foreign.pk, status="completed")


def test_an_unreachable_agency_is_retried_with_back_off_then_failed_and_alerted(
    bank: Agency, courts: dict[str, Court], settings: Any
) -> None:
    settings.AGENCY_MAX_ATTEMPTS = 2
    settings.AGENCY_HTTP_TIMEOUT = 1
    row = make_request(bank, courts["浙0602"])  # port 9: connection refused
    r1 = services.dispatch_due()
    row.refresh_from_db()
    assert (
        r1.retried == 1
        and row.status == S.QUEUED
        and row.attempts == 1
        and row.next_attempt_at > timezone.now()
    )
    assert services.dispatch_due().claimed == 0  # not due yet
    services.dispatch_due(now=timezone.now() + dt.timedelta(hours=1))
    row.refresh_from_db()
    assert row.status == S.FAILED and row.attempts == 2 and "网络错误" in row.last_error
    assert FAILURES and JournalEvent.objects.filter(kind="agency_request.failed").count() == 1
    # a late answer after the failure is still recorded (and says so)
    services.reply_record(request_pk=row.pk, reply=reply(row), expected_agency_id=None)
    row.refresh_from_db()
    assert row.status == S.ANSWERED
    assert JournalEvent.objects.filter(kind="agency_request.answered_late").exists()
    assert verify_chains().ok


def test_a_claimed_row_whose_sender_died_is_claimed_again_after_the_lease(
    bank: Agency, courts: dict[str, Court], settings: Any
) -> None:
    settings.AGENCY_LEASE_SECONDS = 5
    row = make_request(bank, courts["浙0602"])
    now = timezone.now()
    calls = services._claim(10, now)  # a sender claims and dies before sending
    assert [c.request_pk for c in calls] == [row.pk]
    assert services._claim(10, now + dt.timedelta(seconds=1)) == []
    again = services._claim(10, now + dt.timedelta(seconds=6))
    assert [c.request_pk for c in again] == [row.pk]
    body = json.loads(again[0].body)
    assert body["request_id"] == str(row.request_id)  # the same idempotency key
    row.refresh_from_db()
    assert row.attempts == 2


def test_overdue_answers_are_alerted_once(grid: Agency, courts: dict[str, Court]) -> None:
    row = make_request(grid, courts["浙0602"], act="assistance_notice")
    later = timezone.now() + dt.timedelta(hours=grid.answer_hours + 1)
    assert services.overdue_alert(now=timezone.now()) == 0
    assert services.overdue_alert(now=later) == 1
    assert services.overdue_alert(now=later) == 0
    row.refresh_from_db()
    assert row.overdue_alerted_at is not None


def test_sending_works_from_a_thread_that_runs_an_event_loop(bank: Agency, courts: dict[str, Court]) -> None:
    """ASGI code or Playwright's sync API run an event loop in the calling thread: the adapter copes."""
    import asyncio

    from zhixing.agencies import adapters

    call = adapters.Call(1, "POST", "http://127.0.0.1:9/x/v1/requests", "/x/v1/requests", b"{}", "k", "s")

    async def inside() -> list[adapters.Outcome]:
        return adapters.send([call], timeout=1)

    outcome = asyncio.run(inside())[0]
    assert outcome.kind == "transient" and "网络错误" in outcome.error


def test_the_back_office_registers_agencies_through_the_registry_service(admin_client: Client) -> None:
    r = admin_client.post(
        "/admin/agencies/agency/add/",
        {
            "code": "NEWBANK",
            "name": "新银行",
            "kind": "bank",
            "region": "绍兴",
            "endpoint": "https://bank.example/zhixing",
            "key_id": "NEWBANK",
            "secret": "",
            "acts": ["inquiry", "freeze"],
            "answer_hours": "24",
            "active": "on",
        },
    )
    assert r.status_code == 200 and not Agency.objects.filter(code="NEWBANK").exists()  # no secret: refused
    assert "签名密钥" in r.content.decode()
    r = admin_client.post(
        "/admin/agencies/agency/add/",
        {
            "code": "NEWBANK",
            "name": "新银行",
            "kind": "bank",
            "region": "绍兴",
            "endpoint": "https://bank.example/zhixing",
            "key_id": "NEWBANK",
            "secret": "k-123",
            "acts": ["inquiry", "freeze"],
            "answer_hours": "24",
            "active": "on",
        },
    )
    assert r.status_code == 302
    agency = Agency.objects.get(code="NEWBANK")
    assert agency.acts == ["inquiry", "freeze"] and agency.integrated
    assert admin_client.get("/admin/agencies/agencyrequest/").status_code == 200
