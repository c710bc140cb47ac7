"""The ledger: receipts, notices, the database's guards, reversals, unidentified funds, performance."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from zhixing.cases import services as case_services
from zhixing.cases.models import EnforcementCase
from zhixing.cases.tests.conftest import World
from zhixing.core.errors import Conflict, NotFound, PermissionDenied, ServiceError
from zhixing.core.journal import verify_chains
from zhixing.core.models import JournalEvent
from zhixing.funds import numbers, selectors, services
from zhixing.funds.models import Bank, BankNoticeLog, CaseAccount, Entry, LedgerAccount, Posting

from .conftest import notice_body

D = Decimal
K = LedgerAccount.Kind


def kinds(case: EnforcementCase) -> list[str]:
    return list(
        JournalEvent.objects.filter(stream=case.stream).order_by("seq").values_list("kind", flat=True)
    )


def mistype(number: str) -> str:
    return number[:-3] + str((int(number[-3]) + 1) % 10) + number[-2:]


# --- accounts -------------------------------------------------------------------------------------
def test_case_account_open_is_idempotent(filed: EnforcementCase) -> None:
    a = services.case_account_open(case=filed)
    b = services.case_account_open(case=filed)
    assert a.pk == b.pk and numbers.is_valid(a.number)
    assert numbers.parse(a.number) == (filed.court_id, filed.year, filed.pk)
    assert kinds(filed).count("funds.account_opened") == 1
    assert LedgerAccount.objects.filter(kind=K.CASE_LIABILITY, case=filed).count() == 1


# --- receipts -------------------------------------------------------------------------------------
def test_receipt_posts_bank_to_case_and_journals(world: World, account: CaseAccount) -> None:
    case = account.case
    p = services.receipt_record(
        court=world.court, account_number=account.number, amount="1234.50", idempotency_key="k1"
    )
    assert p.case_id == case.pk and p.stream == case.stream
    (e,) = p.entries.all()
    assert e.debit_account.kind == K.COURT_FUNDS_BANK and e.credit_account.case_id == case.pk
    assert selectors.account_balance(e.credit_account) == D("1234.50")
    assert selectors.account_balance(e.debit_account) == D("-1234.50")
    ev = JournalEvent.objects.get(stream=case.stream, kind="funds.receipt")
    assert ev.payload["amount"] == "1234.50" and ev.payload["posting"] == p.pk
    pos = selectors.case_position(case)
    assert pos == (D("51000.00"), D("1234.50"), D("0.00"), D("1234.50"), D("49765.50"))
    # the same key again posts once
    again = services.receipt_record(
        court=world.court, account_number=account.number, amount="1234.50", idempotency_key="k1"
    )
    assert again.pk == p.pk and Entry.objects.count() == 1
    with pytest.raises(Conflict):
        services.receipt_record(
            court=world.court, account_number=account.number, amount="1", idempotency_key="k1"
        )


def test_receipt_refuses_bad_amounts(world: World, account: CaseAccount) -> None:
    for bad in ["0", "-5", "1.234", 1.5]:
        with pytest.raises(ServiceError):
            services.receipt_record(
                court=world.court, account_number=account.number, amount=bad, idempotency_key="x"
            )
    assert not Posting.objects.exists()


def test_mistyped_number_goes_to_unidentified(world: World, account: CaseAccount) -> None:
    p = services.receipt_record(
        court=world.court, account_number=mistype(account.number), amount="300", idempotency_key="m1"
    )
    assert p.case_id is None
    assert p.entries.get().credit_account.kind == K.UNIDENTIFIED
    assert list(selectors.unidentified_queue(user=world.clerk)) == [p]
    assert selectors.case_position(account.case).received == 0
    assert JournalEvent.objects.filter(
        stream=services.court_stream(world.court), kind="funds.unidentified_receipt"
    ).exists()


def test_staff_receipt_needs_funds_role(world: World, account: CaseAccount) -> None:
    with pytest.raises(PermissionDenied):
        services.receipt_record(
            court=world.court,
            account_number=account.number,
            amount="1",
            idempotency_key="s",
            actor=world.judge_fast,
        )
    with pytest.raises(NotFound):
        services.receipt_record(
            court=world.court,
            account_number=account.number,
            amount="1",
            idempotency_key="s",
            actor=world.other_judge,
        )


# --- bank notices ---------------------------------------------------------------------------------
def test_notice_posts_once(send: Callable[..., Any], account: CaseAccount) -> None:
    n1 = send("REF-1", account.number, "500.00")
    n2 = send("REF-1", account.number, "500.00")
    assert n1.pk == n2.pk and n1.status == BankNoticeLog.Status.POSTED
    assert Posting.objects.count() == 1 and BankNoticeLog.objects.count() == 1
    assert selectors.case_position(account.case).received == D("500.00")


def test_bad_signature_changes_nothing_and_is_logged(
    bank: Bank, account: CaseAccount, caplog: pytest.LogCaptureFixture
) -> None:
    body = notice_body("REF-2", account.number, "500.00")
    before = JournalEvent.objects.count()
    with caplog.at_level(logging.WARNING, logger="zhixing.funds"), pytest.raises(services.NoticeRejected):
        services.bank_notice_receive(bank_code=bank.code, body=body, signature="00" * 32)
    with pytest.raises(services.NoticeRejected):  # signed with another key
        services.bank_notice_receive(
            bank_code=bank.code, body=body, signature=services.notice_signature("x", body)
        )
    with pytest.raises(services.NoticeRejected):  # unknown bank
        services.bank_notice_receive(
            bank_code="NOPE", body=body, signature=services.notice_signature(bank.key, body)
        )
    assert not Posting.objects.exists() and not Entry.objects.exists()
    assert JournalEvent.objects.count() == before
    assert list(BankNoticeLog.objects.values_list("status", flat=True)) == ["rejected"] * 3
    assert "rejected" in caplog.text
    # the forged notices do not block the genuine one with the same reference
    ok = services.bank_notice_receive(
        bank_code=bank.code, body=body, signature=services.notice_signature(bank.key, body)
    )
    assert ok.status == BankNoticeLog.Status.POSTED


def test_malformed_notice_is_rejected(bank: Bank) -> None:
    for body in [b"not json", b'{"reference": "R"}', b'{"reference":"R","account_number":"A","amount":0.1}']:
        with pytest.raises(services.NoticeRejected):
            services.bank_notice_receive(
                bank_code=bank.code, body=body, signature=services.notice_signature(bank.key, body)
            )
    assert not Posting.objects.exists()


def test_crash_between_receiving_and_posting_loses_nothing(
    send: Callable[..., Any], account: CaseAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = services.receipt_record

    def crash(**kw: Any) -> Any:
        raise RuntimeError("power cut")

    monkeypatch.setattr(services, "receipt_record", crash)
    with pytest.raises(RuntimeError):
        send("REF-3", account.number, "700.00")
    with pytest.raises(RuntimeError):
        send("REF-4", "ZX-unknown", "20.00")
    assert list(BankNoticeLog.objects.values_list("status", flat=True)) == ["received", "received"]
    assert not Posting.objects.exists()
    assert services.bank_notices_process_pending() == 0  # still crashing: nothing posted, nothing lost
    monkeypatch.setattr(services, "receipt_record", real)
    assert services.bank_notices_process_pending() == 2
    assert services.bank_notices_process_pending() == 0
    send("REF-3", account.number, "700.00")  # the bank retries: still once
    assert Posting.objects.count() == 2
    assert set(BankNoticeLog.objects.values_list("status", flat=True)) == {"posted"}
    assert selectors.case_position(account.case).received == D("700.00")


# --- the database's guards ------------------------------------------------------------------------
@pytest.fixture
def posted(world: World, account: CaseAccount) -> Posting:
    return services.receipt_record(
        court=world.court, account_number=account.number, amount="10", idempotency_key="g"
    )


@pytest.mark.parametrize(("amount", "same"), [("0", False), ("-1", False), ("5", True)])
def test_database_refuses_zero_negative_and_self_entries(posted: Posting, amount: str, same: bool) -> None:
    e = posted.entries.get()
    credit = e.debit_account if same else e.credit_account
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.create(
            posting=posted, debit_account=e.debit_account, credit_account=credit, amount=D(amount)
        )


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE funds_entry SET amount = amount + 1",
        "DELETE FROM funds_entry",
        "UPDATE funds_posting SET reason = 'x'",
        "DELETE FROM funds_posting",
    ],
)
def test_database_refuses_update_and_delete(posted: Posting, sql: str) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql)
    assert Entry.objects.get().amount == D("10.00")


def test_database_refuses_reversal_without_reason(posted: Posting) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Posting.objects.create(
            kind="reversal", court=posted.court, reversal_of=posted, idempotency_key="r", stream="s"
        )


# --- reversal, unidentified funds, transfers ------------------------------------------------------
def test_reversal_restores_balances(world: World, posted: Posting, account: CaseAccount) -> None:
    before = selectors.balances()
    with pytest.raises(PermissionDenied):
        services.posting_reverse(actor=world.clerk, posting_id=posted.pk, reason="错账")
    with pytest.raises(ServiceError):
        services.posting_reverse(actor=world.chief, posting_id=posted.pk, reason=" ")
    r = services.posting_reverse(actor=world.chief, posting_id=posted.pk, reason="银行退回")
    assert r.reversal_of_id == posted.pk and r.kind == "reversal"
    assert all(v == 0 for v in selectors.balances().values()) and any(v != 0 for v in before.values())
    assert selectors.case_position(account.case).received == 0
    ev = JournalEvent.objects.get(stream=account.case.stream, kind="funds.reversal")
    assert ev.payload == {"posting": r.pk, "reverses": posted.pk, "amount": "10.00", "reason": "银行退回"}
    with pytest.raises(Conflict):
        services.posting_reverse(actor=world.chief, posting_id=posted.pk, reason="再次")


def test_unidentified_resolved_into_case(world: World, account: CaseAccount, second: EnforcementCase) -> None:
    p = services.receipt_record(court=world.court, account_number="ZX0000", amount="800", idempotency_key="u")
    with pytest.raises(PermissionDenied):
        services.unidentified_resolve(actor=world.judge_fast, posting_id=p.pk, case_id=account.case_id)
    with pytest.raises(NotFound):
        services.unidentified_resolve(actor=world.other_judge, posting_id=p.pk, case_id=account.case_id)
    t = services.unidentified_resolve(actor=world.clerk, posting_id=p.pk, case_id=account.case_id)
    assert t.source_id == p.pk and not selectors.unidentified_queue(user=world.clerk).exists()
    assert selectors.case_position(account.case).received == D("800.00")
    assert "funds.unidentified_resolved" in kinds(account.case)
    unid = LedgerAccount.objects.get(kind=K.UNIDENTIFIED)
    assert selectors.account_balance(unid) == 0
    with pytest.raises(Conflict):
        services.unidentified_resolve(actor=world.chief, posting_id=p.pk, case_id=second.pk)
    # wrongly resolved: reverse the resolution, the receipt is back in the queue, resolve again
    services.posting_reverse(actor=world.chief, posting_id=t.pk, reason="认领错误")
    assert list(selectors.unidentified_queue(user=world.chief)) == [p]
    services.unidentified_resolve(actor=world.chief, posting_id=p.pk, case_id=second.pk)
    assert selectors.case_position(second).received == D("800.00")
    assert selectors.case_position(account.case).received == 0
    # the receipt itself cannot be reversed while its money sits in a case
    with pytest.raises(ServiceError, match="余额不足"):
        services.posting_reverse(actor=world.chief, posting_id=p.pk, reason="退回")


def test_transfer_between_cases(world: World, posted: Posting, second: EnforcementCase) -> None:
    case = posted.case
    assert case is not None
    with pytest.raises(ServiceError, match="余额不足"):
        services.case_transfer(
            actor=world.chief, source_case_id=case.pk, target_case_id=second.pk, amount="11", reason="错入"
        )
    services.case_transfer(
        actor=world.chief, source_case_id=case.pk, target_case_id=second.pk, amount="4", reason="错入"
    )
    assert selectors.case_position(case).balance == D("6.00")
    assert selectors.case_position(second).received == D("4.00")
    assert "funds.transfer_in" in kinds(second) and "funds.transfer_out" in kinds(case)


# --- full performance -----------------------------------------------------------------------------
def test_full_performance_journals_once_and_allows_closing(
    world: World, send: Callable[..., Any], account: CaseAccount
) -> None:
    case = account.case
    assert case.claim_amount == D("51000.00")
    send("P-1", account.number, "50000.00")
    assert "funds.fully_performed" not in kinds(case)
    n = send("P-2", account.number, "1000.00")
    send("P-3", account.number, "5.00")  # more than owed: still once
    assert kinds(case).count("funds.fully_performed") == 1
    pos = selectors.case_position(case)
    assert pos.outstanding == 0 and pos.received == D("51005.00")
    # a reversal that drops below owed says so; a new receipt performs again
    services.posting_reverse(actor=world.chief, posting_id=n.posting_id, reason="银行退票")
    assert kinds(case)[-1] == "funds.fully_performed_reverted"
    send("P-4", account.number, "995.00")
    assert kinds(case).count("funds.fully_performed") == 2
    assert verify_chains(stream=case.stream).ok
    case.refresh_from_db()
    judge = case.judge or world.judge_fast
    closed = case_services.case_close(
        actor=judge, case_id=case.pk, mode="fully_performed", on=dt.date(2026, 11, 20)
    )
    assert closed.stage == "closed" and closed.closing_mode == "fully_performed"
