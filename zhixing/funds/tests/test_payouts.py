"""发放：propose → approve → send → paid / failed, the guards, crash safety, a large batch, the deadline."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable, Sequence
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from zhixing.cases.models import EnforcementCase
from zhixing.cases.tests.conftest import World
from zhixing.core import services as core_services
from zhixing.core.errors import Conflict, NotFound, PermissionDenied, ServiceError
from zhixing.core.models import ApprovalRequest, JournalEvent, User
from zhixing.core.roles import Role
from zhixing.funds import payouts, selectors, services
from zhixing.funds.models import Bank, CaseAccount, Entry, LedgerAccount, Payout, PayoutBatch

D = Decimal
K = LedgerAccount.Kind
S = Payout.Status
B = PayoutBatch.Status
GOOD = "6222020000123456"
BAD = "6222020000120000"  # ends in 0000: 账户不存在


def judge_of(world: World, case: EnforcementCase) -> User:
    return world.judge_fast if case.team_id == world.fast.pk else world.judge_complex


def fund(world: World, account: CaseAccount, amount: str, key: str) -> None:
    services.receipt_record(
        court=world.court, account_number=account.number, amount=amount, idempotency_key=key
    )


def liability(case: EnforcementCase) -> Decimal:
    return selectors.account_balance(LedgerAccount.objects.get(kind=K.CASE_LIABILITY, case=case))


def court_balance(world: World, kind: str) -> Decimal:
    acct = LedgerAccount.objects.filter(kind=kind, court=world.court, case=None).first()
    return selectors.account_balance(acct) if acct else D("0.00")


def approve(world: World, batch: PayoutBatch) -> PayoutBatch:
    assert batch.approval_id is not None
    core_services.approval_decide(actor=world.chief, approval_id=batch.approval_id, approve=True)
    batch.refresh_from_db()
    return batch


@pytest.fixture
def funded(world: World, account: CaseAccount, bank: Bank) -> CaseAccount:
    fund(world, account, "10000.00", "r1")
    return account


def propose(
    world: World, case: EnforcementCase, lines: Sequence[tuple[str, str, str]], **kw: object
) -> PayoutBatch:
    return payouts.payout_propose(
        actor=judge_of(world, case),
        court=world.court,
        lines=[(case.pk, name, acct, amount) for name, acct, amount in lines],
        **kw,  # type: ignore[arg-type]
    )


def test_propose_approve_send_paid_and_failed(world: World, funded: CaseAccount) -> None:
    case = funded.case
    batch = propose(world, case, [("王建华", GOOD, "6000.00"), ("王某", BAD, "1500.00")])
    assert batch.status == B.PROPOSED and batch.total == D("7500.00") and batch.line_count == 2
    assert batch.approval is not None and batch.approval.approver_role == Role.BUREAU_CHIEF
    assert payouts.case_available(case) == D("2500.00")
    assert liability(case) == D("10000.00")  # nothing moves before approval
    assert "funds.payout_proposed" in JournalEvent.objects.filter(stream=case.stream).values_list(
        "kind", flat=True
    )

    batch = approve(world, batch)
    assert batch.status == B.APPROVED and batch.posting is not None
    assert batch.posting.entries.count() == 2  # one posting per batch, one entry per line
    assert liability(case) == D("2500.00")
    assert court_balance(world, K.PAYEE_PAYABLE) == D("7500.00")
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(
        task_path__endswith="payout_batch_send", args_kwargs__args=[batch.pk]
    ).exists()

    gw = payouts.SimulatedPayoutGateway()
    report = payouts.payout_batch_process(batch_id=batch.pk, gateway=gw)
    assert (report.status, report.paid, report.failed) == (B.PARTLY_FAILED, 1, 1)
    good, bad = batch.lines.order_by("pk")
    assert good.status == S.PAID and good.bank_reference and good.masked_account == "6222********3456"
    assert bad.status == S.FAILED and bad.returned_reason == "账户不存在" and bad.bank_reference is None
    assert liability(case) == D("4000.00")  # the failed 1500 came back
    assert court_balance(world, K.PAYEE_PAYABLE) == D("0.00")
    assert court_balance(world, K.COURT_FUNDS_BANK) == D("-4000.00")  # 10000 in, 6000 out
    pos = selectors.case_position(case)
    assert (pos.received, pos.paid_out, pos.balance) == (D("10000.00"), D("6000.00"), D("4000.00"))
    kinds = list(JournalEvent.objects.filter(stream=case.stream).values_list("kind", flat=True))
    assert {"funds.payout_approved", "funds.payout_paid", "funds.payout_failed"} <= set(kinds)
    # running again changes nothing
    again = payouts.payout_batch_process(batch_id=batch.pk, gateway=gw)
    assert again.paid == 0 and Entry.objects.count() == 5


def test_all_paid_batch_is_settled(world: World, funded: CaseAccount) -> None:
    batch = approve(world, propose(world, funded.case, [("王建华", GOOD, "10000.00")]))
    assert (
        payouts.payout_batch_process(batch_id=batch.pk, gateway=payouts.SimulatedPayoutGateway()).status
        == B.SETTLED
    )
    assert liability(funded.case) == 0
    assert JournalEvent.objects.filter(kind="funds.payout_batch_settled").count() == 1


def test_more_than_available_is_refused(world: World, funded: CaseAccount) -> None:
    with pytest.raises(ServiceError) as e:
        propose(world, funded.case, [("王建华", GOOD, "6000.00"), ("王建华", GOOD, "4000.01")])
    assert e.value.code == "insufficient_funds"
    assert not PayoutBatch.objects.exists() and not ApprovalRequest.objects.exists()


def test_second_proposal_cannot_reuse_money_in_a_batch(world: World, funded: CaseAccount) -> None:
    propose(world, funded.case, [("王建华", GOOD, "8000.00")])
    with pytest.raises(ServiceError, match=re.escape("可发放余额2000.00元")):
        propose(world, funded.case, [("王建华", GOOD, "2000.01")])
    propose(world, funded.case, [("王建华", GOOD, "2000.00")])
    assert payouts.case_available(funded.case) == 0


def test_bad_lines_are_refused(world: World, funded: CaseAccount, second: EnforcementCase) -> None:
    case = funded.case
    for lines, code in [
        ([], "empty_batch"),
        ([("", GOOD, "1")], "bad_payee_name"),
        ([("王", "12ab", "1")], "bad_payee_account"),
        ([("王", GOOD, "0")], "bad_amount"),
        ([("王", GOOD, "1.234")], "bad_amount"),
    ]:
        with pytest.raises(ServiceError) as e:
            propose(world, case, lines)
        assert e.value.code == code
    with pytest.raises(ServiceError):  # the other case has no money
        payouts.payout_propose(actor=world.chief, court=world.court, lines=[(second.pk, "王", GOOD, "1")])


def test_who_may_propose(world: World, funded: CaseAccount) -> None:
    case = funded.case
    other_team_judge = world.judge_complex if case.team_id == world.fast.pk else world.judge_fast
    line = [(case.pk, "王建华", GOOD, "1.00")]
    with pytest.raises(PermissionDenied):
        payouts.payout_propose(actor=other_team_judge, court=world.court, lines=line)
    with pytest.raises(PermissionDenied):
        payouts.payout_propose(actor=world.clerk, court=world.court, lines=line)
    with pytest.raises(NotFound):
        payouts.payout_propose(actor=world.other_judge, court=world.court, lines=line)
    assert payouts.payout_propose(actor=world.chief, court=world.court, lines=line).status == B.PROPOSED


def test_only_the_bureau_chief_approves(
    world: World, funded: CaseAccount, make_user: Callable[..., User]
) -> None:
    batch = propose(world, funded.case, [("王建华", GOOD, "100.00")])
    assert batch.approval_id is not None
    for actor in (judge_of(world, funded.case), world.president, world.clerk):
        with pytest.raises(PermissionDenied):
            core_services.approval_decide(actor=actor, approval_id=batch.approval_id, approve=True)
    other_chief = make_user(Role.BUREAU_CHIEF, "浙0603")
    with pytest.raises(NotFound):
        core_services.approval_decide(actor=other_chief, approval_id=batch.approval_id, approve=True)
    batch.refresh_from_db()
    assert batch.status == B.PROPOSED and liability(funded.case) == D("10000.00")
    assert approve(world, batch).status == B.APPROVED


def test_rejecting_a_batch_frees_the_money(world: World, funded: CaseAccount) -> None:
    batch = propose(world, funded.case, [("王建华", GOOD, "10000.00")])
    assert payouts.case_available(funded.case) == 0
    assert batch.approval_id is not None
    core_services.approval_decide(
        actor=world.chief, approval_id=batch.approval_id, approve=False, reason="收款人有误"
    )
    assert payouts.case_available(funded.case) == D("10000.00")
    again = propose(world, funded.case, [("王建华", GOOD, "10000.00")])
    batch.refresh_from_db()
    assert batch.status == B.REJECTED and again.status == B.PROPOSED
    with pytest.raises(Conflict):  # a rejected batch cannot be sent
        payouts.payout_batch_process(batch_id=batch.pk, gateway=payouts.SimulatedPayoutGateway())
    assert liability(funded.case) == D("10000.00") and Entry.objects.count() == 1


def test_approval_fails_when_the_money_left_meanwhile(
    world: World, funded: CaseAccount, second: EnforcementCase
) -> None:
    batch = propose(world, funded.case, [("王建华", GOOD, "9000.00")])
    services.case_transfer(
        actor=world.chief,
        source_case_id=funded.case.pk,
        target_case_id=second.pk,
        amount="5000",
        reason="错案",
    )
    with pytest.raises(ServiceError) as e:
        approve(world, batch)
    assert e.value.code == "insufficient_funds"
    batch.refresh_from_db()
    assert batch.status == B.PROPOSED and batch.approval is not None
    assert batch.approval.status == ApprovalRequest.Status.PENDING  # the whole decision rolled back


class CrashingGateway(payouts.SimulatedPayoutGateway):
    """The bank pays the n-th submitted file, then the connection drops before we hear the answer."""

    def __init__(
        self, bank: payouts.SimulatedPayoutGateway, crash_on: int, before_bank: bool = False
    ) -> None:
        self.bank, self.crash_on, self.before_bank, self.calls = bank, crash_on, before_bank, 0

    def submit(
        self, *, bank_code: str, batch_key: str, lines: Sequence[payouts.PayoutLine]
    ) -> list[payouts.PayoutResult]:
        self.calls += 1
        if self.calls == self.crash_on:
            if not self.before_bank:
                self.bank.submit(bank_code=bank_code, batch_key=batch_key, lines=lines)
            raise ConnectionError("connection reset")
        return self.bank.submit(bank_code=bank_code, batch_key=batch_key, lines=lines)

    def query(self, *, bank_code: str, line_ids: Sequence[int]) -> list[payouts.PayoutResult]:
        return self.bank.query(bank_code=bank_code, line_ids=line_ids)


@pytest.mark.parametrize("before_bank", [False, True])
def test_rerun_after_a_crash_pays_nobody_twice(world: World, funded: CaseAccount, before_bank: bool) -> None:
    lines = [(f"收款人{i}", BAD if i == 4 else f"622202000{i:05d}1", "100.00") for i in range(7)]
    batch = approve(world, propose(world, funded.case, lines))
    bank = payouts.SimulatedPayoutGateway()
    with pytest.raises(ConnectionError):
        payouts.payout_batch_process(
            batch_id=batch.pk, gateway=CrashingGateway(bank, 2, before_bank), chunk=3
        )
    states = list(batch.lines.order_by("pk").values_list("status", flat=True))
    assert states == [S.PAID] * 3 + [S.SENT] * 3 + [S.PENDING]  # the chunk in flight is marked sent
    report = payouts.payout_batch_process(batch_id=batch.pk, gateway=bank, chunk=3)
    assert (report.status, report.paid, report.failed, report.skipped) == (B.PARTLY_FAILED, 3, 1, 3)
    assert set(bank.payments.values()) == {1} and len(bank.payments) == 6  # every good line paid exactly once
    refs = list(batch.lines.exclude(bank_reference=None).values_list("bank_reference", flat=True))
    assert len(refs) == len(set(refs)) == 6
    assert court_balance(world, K.COURT_FUNDS_BANK) == D("-9400.00")
    assert liability(funded.case) == D("10000.00") - D("600.00")
    assert court_balance(world, K.PAYEE_PAYABLE) == 0


def test_crash_while_recording_results_rolls_the_chunk_back(
    world: World, funded: CaseAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    batch = approve(world, propose(world, funded.case, [("甲", GOOD, "1.00"), ("乙", GOOD, "2.00")]))
    bank = payouts.SimulatedPayoutGateway()
    real = payouts.journal_append

    def boom(**kw: object) -> None:
        raise RuntimeError("killed")

    monkeypatch.setattr(payouts, "journal_append", boom)
    with pytest.raises(RuntimeError):
        payouts.payout_batch_process(batch_id=batch.pk, gateway=bank)
    assert list(batch.lines.values_list("status", flat=True)) == [S.SENT, S.SENT]
    assert court_balance(world, K.COURT_FUNDS_BANK) == D("-10000.00")  # nothing recorded
    monkeypatch.setattr(payouts, "journal_append", real)
    assert payouts.payout_batch_process(batch_id=batch.pk, gateway=bank).status == B.SETTLED
    assert set(bank.payments.values()) == {1}
    assert court_balance(world, K.COURT_FUNDS_BANK) == D("-9997.00")


def test_payout_return_brings_the_money_back_once(world: World, funded: CaseAccount) -> None:
    batch = approve(world, propose(world, funded.case, [("王建华", GOOD, "4000.00")]))
    payouts.payout_batch_process(batch_id=batch.pk, gateway=payouts.SimulatedPayoutGateway())
    line = batch.lines.get()
    assert line.bank_reference
    payouts.payout_return(
        court=world.court, bank_reference=line.bank_reference, reason="户名不符", return_reference="RT1"
    )
    payouts.payout_return(court=world.court, bank_reference=line.bank_reference, reason="户名不符")
    line.refresh_from_db()
    assert line.status == S.RETURNED and liability(funded.case) == D("10000.00")
    assert court_balance(world, K.COURT_FUNDS_BANK) == D("-10000.00")


@pytest.mark.parametrize("n", [10_000])
def test_a_batch_of_ten_thousand_payees(
    world: World,
    funded: CaseAccount,
    second: EnforcementCase,
    make_user: Callable[..., User],
    n: int,
) -> None:
    fund(world, second.funds_account, "100000000.00", "r2")
    fund(world, funded, "100000000.00", "r3")
    cases = [funded.case, second]
    lines = [
        (cases[i % 2].pk, f"收款人{i}", BAD if i % 1000 == 7 else f"6222{i:012d}1", "12.50") for i in range(n)
    ]
    start = time.perf_counter()
    batch = payouts.payout_propose(actor=world.chief, court=world.court, lines=lines)
    assert batch.approval_id is not None
    chief2 = make_user(Role.BUREAU_CHIEF, "浙0602")
    core_services.approval_decide(actor=chief2, approval_id=batch.approval_id, approve=True)
    report = payouts.payout_batch_process(batch_id=batch.pk, gateway=payouts.SimulatedPayoutGateway())
    elapsed = time.perf_counter() - start
    assert (report.paid, report.failed) == (n - n // 1000, n // 1000)
    assert Payout.objects.filter(batch=batch, status=S.PAID).count() == n - n // 1000
    assert court_balance(world, K.PAYEE_PAYABLE) == 0
    assert sum(selectors.balances().values()) == 0
    print(f"\n{n} payout lines proposed, approved and settled in {elapsed:.2f} s")
    assert elapsed < 60


# --- the payout deadline ---------------------------------------------------------------------
def test_overdue_sweep_journals_once(world: World, funded: CaseAccount, second: EnforcementCase) -> None:
    today = timezone.localdate()
    assert payouts.funds_overdue(on=today + dt.timedelta(days=5)) == []
    later = today + dt.timedelta(days=45)
    (item,) = payouts.funds_overdue(on=later)
    assert item.case_id == funded.case.pk and item.unpaid == D("10000.00") and item.since == today
    assert item.deadline >= today + dt.timedelta(days=30)
    assert payouts.payout_overdue_journal(on=later) == 1
    assert payouts.payout_overdue_journal(on=later + dt.timedelta(days=1)) == 0
    assert JournalEvent.objects.filter(stream=funded.case.stream, kind=payouts.OVERDUE).count() == 1
    # paid out in full → no longer overdue; money approved but not yet paid still counts
    batch = approve(world, propose(world, funded.case, [("王建华", GOOD, "10000.00")]))
    assert len(payouts.funds_overdue(on=later)) == 1
    payouts.payout_batch_process(batch_id=batch.pk, gateway=payouts.SimulatedPayoutGateway())
    assert payouts.funds_overdue(on=later) == []


def test_overdue_is_first_in_first_out(world: World, funded: CaseAccount) -> None:
    batch = approve(world, propose(world, funded.case, [("王建华", GOOD, "10000.00")]))
    payouts.payout_batch_process(batch_id=batch.pk, gateway=payouts.SimulatedPayoutGateway())
    fund(world, funded, "300.00", "r9")
    (item,) = payouts.funds_overdue(on=timezone.localdate() + dt.timedelta(days=60))
    assert item.unpaid == D("300.00")


def test_the_tasks_are_registered(world: World) -> None:
    from zhixing.core.worker.registry import PERIODIC
    from zhixing.funds.payout_tasks import payout_overdue_sweep

    assert "funds.payout_overdue_sweep" in PERIODIC
    with transaction.atomic():
        assert payout_overdue_sweep.call() == 0
