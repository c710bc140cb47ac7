"""执行款发放 — batches proposed, approved by the bureau chief, sent to the bank, settled per line.

Money path (each arrow a ledger entry, insert-only):

* approval:  case liability → 应付收款人 (payee_payable), one posting per batch, one entry per line;
* paid:      应付收款人 → 执行款专户 (the money leaves the court's bank account), one posting per chunk;
* failed:    应付收款人 → case liability, with the bank's reason, one posting per chunk;
* returned:  执行款专户 → case liability (退汇 after a payment), one posting per line.

Sending is a task (``payout_batch_send``), at-least-once: each line's id is its idempotency key at
the bank; a line is marked ``sent`` (committed) before the bank is called, and on a re-run the lines
already ``sent`` are only *queried*, never submitted again. Results are written per chunk in one
transaction (line states, bank references, the posting, the journal), so a crash loses at most the
chunk in flight, and the bank's answer for it is fetched again.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple, Protocol

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.module_loading import import_string

from zhixing.cases.models import EnforcementCase
from zhixing.core import services as core_services
from zhixing.core.errors import Conflict, NotFound, PermissionDenied, ServiceError
from zhixing.core.journal import journal_append
from zhixing.core.models import ApprovalRequest, Court, JournalEvent, User
from zhixing.core.money import yuan
from zhixing.core.roles import Role
from zhixing.core.scoping import scope_for
from zhixing.funds.models import Bank, Entry, LedgerAccount, Payout, PayoutBatch, Posting
from zhixing.funds.selectors import ZERO, balances
from zhixing.funds.services import Leg, _amount, _post, court_stream, ledger_account
from zhixing.rules.deadlines import statutory_deadline
from zhixing.rules.provisional import provisional_calendar

logger = logging.getLogger("zhixing.funds")

K = LedgerAccount.Kind
S = Payout.Status
B = PayoutBatch.Status
APPROVAL_ACT = "funds.payout"
CHUNK = 1000
OVERDUE = "funds.payout_overdue"

Line = tuple[int, str, str, Any]  # (case_id, payee_name, payee_account, amount)


# --- the bank's payout interface ------------------------------------------------------------------
class PayoutLine(NamedTuple):
    line_id: int  # our Payout id: the idempotency key at the bank
    payee_name: str
    payee_account: str
    amount: Decimal


class PayoutResult(NamedTuple):
    line_id: int
    paid: bool
    bank_reference: str  # empty when not paid
    reason: str  # the bank's reason when not paid


class PayoutGateway(Protocol):
    def submit(self, *, bank_code: str, batch_key: str, lines: Sequence[PayoutLine]) -> list[PayoutResult]:
        """Pay a batch file; a line id already known returns its first result, never pays again."""

    def query(self, *, bank_code: str, line_ids: Sequence[int]) -> list[PayoutResult]:
        """The results of lines already submitted; line ids the bank never saw are left out."""


class SimulatedPayoutGateway:
    """本地模拟的银行代发接口 (deterministic): an account ending in 0000 fails with 「账户不存在」,
    one ending in 9999 with 「账户已冻结」; every other line is paid with reference ``SIM-<bank>-<id>``.
    Results are remembered per (bank, line id): the same line submitted twice is paid once."""

    FAILURES = {"0000": "账户不存在", "9999": "账户已冻结"}

    def __init__(self) -> None:
        self.results: dict[tuple[str, int], PayoutResult] = {}
        self.payments: dict[tuple[str, int], int] = defaultdict(int)  # how often each line was paid

    def submit(self, *, bank_code: str, batch_key: str, lines: Sequence[PayoutLine]) -> list[PayoutResult]:
        out = []
        for line in lines:
            key = (bank_code, line.line_id)
            if key not in self.results:
                reason = self.FAILURES.get(line.payee_account[-4:], "")
                if reason:
                    self.results[key] = PayoutResult(line.line_id, False, "", reason)
                else:
                    self.payments[key] += 1
                    ref = f"SIM-{bank_code}-{line.line_id:010d}"
                    self.results[key] = PayoutResult(line.line_id, True, ref, "")
            out.append(self.results[key])
        return out

    def query(self, *, bank_code: str, line_ids: Sequence[int]) -> list[PayoutResult]:
        return [self.results[(bank_code, i)] for i in line_ids if (bank_code, i) in self.results]


_simulator = SimulatedPayoutGateway()


def default_gateway() -> PayoutGateway:
    """``settings.FUNDS_PAYOUT_GATEWAY`` (a dotted path to a zero-argument factory), else the simulator."""
    path = getattr(settings, "FUNDS_PAYOUT_GATEWAY", "")
    return import_string(path)() if path else _simulator


# --- helpers ----------------------------------------------------------------------------------
def _sum(value: Any) -> Decimal:
    """A SUM from the database as yuan. SQLite sums decimals as floats (12.34 × 5,000 comes back as
    61699.9999999922): round to the fen, which is exact for any realistic number of rows."""
    return yuan(Decimal(value).quantize(Decimal("0.01"))) if value is not None else ZERO


def _clean_account(raw: Any, n: int) -> str:
    account = "".join(str(raw or "").split())
    if not account.isdigit() or not 6 <= len(account) <= 34:
        raise ServiceError(
            f"第{n}笔：收款账号应为6至34位数字", code="bad_payee_account", field="payee_account"
        )
    return account


def _locked(qs: Any) -> list[Any]:
    return list(qs.select_for_update().order_by("pk"))


def reserved_by_case(case_ids: Iterable[int]) -> dict[int, Decimal]:
    """Money of each case in batches proposed and awaiting approval (not yet moved in the ledger)."""
    rows = (
        Payout.objects.filter(
            case_id__in=list(case_ids),
            batch__status=B.PROPOSED,
            batch__approval__status=ApprovalRequest.Status.PENDING,
        )
        .values("case_id")
        .annotate(s=Sum("amount"))
    )
    return {r["case_id"]: _sum(r["s"]) for r in rows}


def case_available(case: EnforcementCase | int) -> Decimal:
    """可发放余额 = 案款余额 − 待审批批次中已列入的金额."""
    case_id = case.pk if isinstance(case, EnforcementCase) else case
    account = LedgerAccount.objects.filter(kind=K.CASE_LIABILITY, case_id=case_id).first()
    if account is None:
        return ZERO
    balance = balances_of([account.pk])[account.pk]
    return balance - reserved_by_case([case_id]).get(case_id, ZERO)


def _sync_closed_approvals(court_id: int) -> None:
    """Batches whose approval was refused or withdrawn become rejected (their money was never moved)."""
    PayoutBatch.objects.filter(court_id=court_id, status=B.PROPOSED).exclude(
        approval__status=ApprovalRequest.Status.PENDING
    ).exclude(approval__status=ApprovalRequest.Status.APPROVED).update(status=B.REJECTED)


# --- propose ----------------------------------------------------------------------------------
@transaction.atomic
def payout_propose(
    *,
    actor: User,
    court: Court,
    lines: Sequence[Line],
    bank: Bank | None = None,
    idempotency_key: str = "",
    reason: str = "",
) -> PayoutBatch:
    """提出发放批次 (the judge of each case's team, or the court's bureau chief); the chief approves.

    Refused (nothing written) when a case's lines exceed its available balance: the case liability
    balance minus what batches awaiting approval already hold, so no yuan is proposed twice.
    """
    if not scope_for(actor).allows_court(court.pk):
        raise NotFound()
    if idempotency_key:
        existing = PayoutBatch.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            if existing.court_id != court.pk or existing.line_count != len(lines):
                raise Conflict("幂等键已用于另一发放批次", code="idempotency_conflict")
            return existing
    if not lines:
        raise ServiceError("发放批次至少要有一笔", code="empty_batch", field="lines")
    chief = actor.role == Role.BUREAU_CHIEF and actor.court_id == court.pk
    if not chief and actor.role != Role.JUDGE:
        raise PermissionDenied("发放须由承办团队的法官或本院执行局长提出", code="wrong_proposer")
    if bank is None:
        banks = list(Bank.objects.filter(court=court, active=True)[:2])
        if len(banks) != 1:
            raise ServiceError("须指定付款银行", code="bank_required", field="bank")
        bank = banks[0]
    elif bank.court_id != court.pk or not bank.active:
        raise ServiceError("付款银行不属本院或已停用", code="bad_bank", field="bank")

    cleaned: list[tuple[int, str, str, Decimal]] = []
    for n, (case_id, payee_name, payee_account, amount) in enumerate(lines, start=1):
        name = str(payee_name or "").strip()
        if not name or len(name) > 128:
            raise ServiceError(f"第{n}笔：收款人姓名不能为空", code="bad_payee_name", field="payee_name")
        try:
            money = _amount(amount)
        except ServiceError as e:
            raise ServiceError(f"第{n}笔：{e}", code="bad_amount", field="amount") from None
        cleaned.append((int(case_id), name, _clean_account(payee_account, n), money))

    wanted: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for case_id, _n, _a, money in cleaned:
        wanted[case_id] += money
    cases = {
        c.pk: c
        for c in EnforcementCase.objects.select_related("court").filter(pk__in=list(wanted), court=court)
    }
    missing = sorted(set(wanted) - set(cases))
    if missing:
        raise NotFound(f"案件不存在或不属本院：{missing[:5]}", field="lines")
    if not chief:
        outside = [c.case_number for c in cases.values() if c.team_id is None or c.team_id != actor.team_id]
        if outside or actor.court_id != court.pk:
            raise PermissionDenied(
                f"只能为本团队承办的案件提出发放：{'、'.join(outside[:3])}", code="wrong_proposer"
            )
    # serialise proposals of the same cases (the liability rows are the lock), then check availability
    accounts = {
        a.case_id: a
        for a in _locked(LedgerAccount.objects.filter(kind=K.CASE_LIABILITY, case_id__in=list(wanted)))
    }
    _sync_closed_approvals(court.pk)
    held = reserved_by_case(wanted)
    bal = balances_of([a.pk for a in accounts.values()])
    for case_id, money in sorted(wanted.items()):
        account = accounts.get(case_id)
        available = (bal.get(account.pk, ZERO) if account else ZERO) - held.get(case_id, ZERO)
        if money > available:
            raise ServiceError(
                f"案件{cases[case_id].case_number}可发放余额{available}元，不足{money}元",
                code="insufficient_funds",
                field="lines",
            )

    total = sum(wanted.values(), start=ZERO)
    batch = PayoutBatch.objects.create(
        court=court,
        proposed_by=actor,
        bank=bank,
        idempotency_key=idempotency_key or f"payout:{court.pk}:{uuid.uuid4().hex}",
        total=total,
        line_count=len(cleaned),
    )
    Payout.objects.bulk_create(
        [
            Payout(batch=batch, case_id=case_id, payee_name=name, payee_account=account, amount=money)
            for case_id, name, account, money in cleaned
        ],
        batch_size=CHUNK,
    )
    stream = court_stream(court)
    batch.approval = core_services.approval_request(
        actor=actor,
        act=APPROVAL_ACT,
        title=f"执行款发放批次#{batch.pk}（{len(cleaned)}笔，合计{total}元）",
        stream=stream,
        approver_role=Role.BUREAU_CHIEF,
        payload={"batch": batch.pk, "total": str(total), "lines": len(cleaned), "cases": len(cases)},
        reason=reason,
        court=court,
    )
    batch.save(update_fields=["approval"])
    for case_id, money in sorted(wanted.items()):
        journal_append(
            stream=cases[case_id].stream,
            kind="funds.payout_proposed",
            actor=actor,
            court=court,
            payload={
                "batch": batch.pk,
                "amount": money,
                "lines": sum(1 for c, *_r in cleaned if c == case_id),
            },
        )
    return batch


def balances_of(account_ids: list[int]) -> dict[int, Decimal]:
    """Balances of a few ledger accounts (two grouped queries)."""
    out: dict[int, Decimal] = {pk: ZERO for pk in account_ids}
    for row in (
        Entry.objects.filter(credit_account_id__in=account_ids)
        .values("credit_account_id")
        .annotate(s=Sum("amount"))
    ):
        out[row["credit_account_id"]] += _sum(row["s"])
    for drow in (
        Entry.objects.filter(debit_account_id__in=account_ids)
        .values("debit_account_id")
        .annotate(s=Sum("amount"))
    ):
        out[drow["debit_account_id"]] -= _sum(drow["s"])
    return out


# --- approval effect --------------------------------------------------------------------------
@core_services.approval_effect(APPROVAL_ACT)
def _on_approved(req: ApprovalRequest) -> None:
    """批准：the batch's money moves case liability → 应付收款人 in one posting; the send is enqueued."""
    batch = PayoutBatch.objects.select_for_update().select_related("court").get(approval=req)
    if batch.status != B.PROPOSED:
        raise Conflict(f"发放批次状态为「{batch.get_status_display()}」，不能批准", code="bad_batch_state")
    court = batch.court
    lines = list(Payout.objects.filter(batch=batch).order_by("pk").values_list("case_id", "amount"))
    case_ids = sorted({c for c, _a in lines})
    liabilities = {
        a.case_id: a for a in LedgerAccount.objects.filter(kind=K.CASE_LIABILITY, case_id__in=case_ids)
    }
    payable = ledger_account(kind=K.PAYEE_PAYABLE, court=court)
    legs: list[Leg] = [(liabilities[c], payable, a) for c, a in lines]
    posting = _post(
        kind=Posting.Kind.PAYOUT,
        court=court,
        case=None,
        legs=legs,
        reason=f"发放批次#{batch.pk}经批准转入应付收款人",
        actor=req.decided_by,
        key=f"payout:{batch.pk}:approved",
        stream=court_stream(court),
    )
    batch.status = B.APPROVED
    batch.posting = posting
    batch.approved_at = timezone.now()
    batch.save(update_fields=["status", "posting", "approved_at"])
    per_case: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for c, a in lines:
        per_case[c] += a
    for case in EnforcementCase.objects.filter(pk__in=case_ids).select_related("court").order_by("pk"):
        journal_append(
            stream=case.stream,
            kind="funds.payout_approved",
            actor=req.decided_by,
            court=court,
            payload={"batch": batch.pk, "posting": posting.pk, "amount": per_case[case.pk]},
        )
    from zhixing.funds.payout_tasks import payout_batch_send

    payout_batch_send.enqueue(batch.pk)  # in this transaction: no approval, no task


# --- sending ----------------------------------------------------------------------------------
@dataclass
class SendReport:
    batch_id: int
    status: str
    paid: int = 0
    failed: int = 0
    skipped: int = 0  # lines already settled before this run


def payout_batch_process(
    *, batch_id: int, gateway: PayoutGateway | None = None, chunk: int = CHUNK
) -> SendReport:
    """发送批次并记录结果 (the body of the task). Call it outside a transaction; idempotent."""
    gateway = gateway or default_gateway()
    with transaction.atomic():
        batch = PayoutBatch.objects.select_for_update().select_related("court", "bank").get(pk=batch_id)
        if batch.status in (B.SETTLED, B.PARTLY_FAILED):
            return SendReport(batch.pk, batch.status, skipped=batch.line_count)
        if batch.status not in (B.APPROVED, B.SENT):
            raise Conflict(
                f"发放批次状态为「{batch.get_status_display()}」，不能发送", code="bad_batch_state"
            )
        if batch.status == B.APPROVED:
            batch.status = B.SENT
            batch.sent_at = timezone.now()
            batch.save(update_fields=["status", "sent_at"])
    report = SendReport(batch.pk, batch.status)
    report.skipped = Payout.objects.filter(batch=batch).exclude(status__in=[S.PENDING, S.SENT]).count()
    last = 0
    while True:
        ids = list(
            Payout.objects.filter(batch=batch, pk__gt=last, status__in=[S.PENDING, S.SENT])
            .order_by("pk")
            .values_list("pk", flat=True)[:chunk]
        )
        if not ids:
            break
        last = ids[-1]
        paid, failed = _process_chunk(batch, ids, gateway)
        report.paid += paid
        report.failed += failed
    with transaction.atomic():
        batch = PayoutBatch.objects.select_for_update().select_related("court").get(pk=batch_id)
        if batch.status == B.SENT:
            unsettled = Payout.objects.filter(batch=batch, status__in=[S.PENDING, S.SENT]).exists()
            if not unsettled:
                bad = Payout.objects.filter(batch=batch, status__in=[S.FAILED, S.RETURNED]).exists()
                batch.status = B.PARTLY_FAILED if bad else B.SETTLED
                batch.settled_at = timezone.now()
                batch.save(update_fields=["status", "settled_at"])
                agg = Payout.objects.filter(batch=batch).aggregate(
                    paid=Sum("amount", filter=Q(status=S.PAID)),
                    failed=Sum("amount", filter=Q(status__in=[S.FAILED, S.RETURNED])),
                )
                journal_append(
                    stream=court_stream(batch.court),
                    kind="funds.payout_batch_settled",
                    actor=None,
                    court=batch.court,
                    payload={
                        "batch": batch.pk,
                        "status": batch.status,
                        "paid": _sum(agg["paid"]),
                        "failed": _sum(agg["failed"]),
                    },
                )
        report.status = batch.status
    return report


def _process_chunk(batch: PayoutBatch, ids: list[int], gateway: PayoutGateway) -> tuple[int, int]:
    # 1. lines never sent are marked sent (committed) before the bank sees them
    with transaction.atomic():
        Payout.objects.filter(pk__in=ids, status=S.PENDING).update(status=S.SENT)
    lines = list(Payout.objects.filter(pk__in=ids, status=S.SENT).order_by("pk"))
    if not lines:
        return 0, 0
    # 2. ask the bank what it already knows, submit only the rest
    bank_code = batch.bank.code
    known = {r.line_id: r for r in gateway.query(bank_code=bank_code, line_ids=[p.pk for p in lines])}
    fresh = [PayoutLine(p.pk, p.payee_name, p.payee_account, p.amount) for p in lines if p.pk not in known]
    if fresh:
        for r in gateway.submit(bank_code=bank_code, batch_key=batch.idempotency_key, lines=fresh):
            known[r.line_id] = r
    # 3. record the results, the postings and the journal in one transaction
    return _record_results(batch, lines, known)


@transaction.atomic
def _record_results(
    batch: PayoutBatch, lines: list[Payout], results: dict[int, PayoutResult]
) -> tuple[int, int]:
    court = batch.court
    # re-read under lock: a concurrent run of the same chunk records nothing twice
    current = {p.pk: p for p in _locked(Payout.objects.filter(pk__in=[p.pk for p in lines], status=S.SENT))}
    paid = [(current[i], r) for i, r in results.items() if i in current and r.paid]
    failed = [(current[i], r) for i, r in results.items() if i in current and not r.paid]
    if not paid and not failed:
        return 0, 0
    now = timezone.now()
    payable = ledger_account(kind=K.PAYEE_PAYABLE, court=court)
    stream = court_stream(court)
    per_case: dict[tuple[int, str], list[Decimal]] = defaultdict(list)
    if paid:
        bank = ledger_account(kind=K.COURT_FUNDS_BANK, court=court)
        span = f"{paid[0][0].pk}-{paid[-1][0].pk}"
        posting = _post(
            kind=Posting.Kind.PAYOUT,
            court=court,
            case=None,
            legs=[(payable, bank, p.amount) for p, _r in paid],
            reason=f"发放批次#{batch.pk}银行支付成功（{len(paid)}笔）",
            actor=None,
            key=f"payout:{batch.pk}:paid:{span}",
            stream=stream,
            source=batch.posting,
        )
        for p, r in paid:
            p.status, p.bank_reference, p.posting, p.settled_at = S.PAID, r.bank_reference, posting, now
            per_case[(p.case_id, "paid")].append(p.amount)
    if failed:
        liabilities = {
            a.case_id: a
            for a in LedgerAccount.objects.filter(
                kind=K.CASE_LIABILITY, case_id__in={p.case_id for p, _r in failed}
            )
        }
        span = f"{failed[0][0].pk}-{failed[-1][0].pk}"
        back = _post(
            kind=Posting.Kind.TRANSFER,
            court=court,
            case=None,
            legs=[(payable, liabilities[p.case_id], p.amount) for p, _r in failed],
            reason=f"发放批次#{batch.pk}银行支付失败，退回案款（{len(failed)}笔）",
            actor=None,
            key=f"payout:{batch.pk}:failed:{span}",
            stream=stream,
            source=batch.posting,
        )
        for p, r in failed:
            p.status, p.returned_reason, p.posting, p.settled_at = (
                S.FAILED,
                r.reason or "银行未说明原因",
                back,
                now,
            )
            per_case[(p.case_id, "failed")].append(p.amount)
    # shared fields in one UPDATE per outcome, per-line fields with executemany (bulk_update's
    # CASE WHEN is far slower for thousands of rows)
    table = Payout._meta.db_table
    with connection.cursor() as cur:
        if paid:
            Payout.objects.filter(pk__in=[p.pk for p, _r in paid]).update(
                status=S.PAID, posting=paid[0][0].posting, settled_at=now
            )
            cur.executemany(
                f"UPDATE {table} SET bank_reference = %s WHERE id = %s",  # noqa: S608 - model table name
                [(p.bank_reference, p.pk) for p, _r in paid],
            )
        if failed:
            Payout.objects.filter(pk__in=[p.pk for p, _r in failed]).update(
                status=S.FAILED, posting=failed[0][0].posting, settled_at=now
            )
            cur.executemany(
                f"UPDATE {table} SET returned_reason = %s WHERE id = %s",  # noqa: S608 - model table name
                [(p.returned_reason, p.pk) for p, _r in failed],
            )
    cases = {
        c.pk: c
        for c in EnforcementCase.objects.filter(pk__in={c for c, _k in per_case}).select_related("court")
    }
    for (case_id, outcome), amounts in sorted(per_case.items()):
        journal_append(
            stream=cases[case_id].stream,
            kind="funds.payout_paid" if outcome == "paid" else "funds.payout_failed",
            actor=None,
            court=court,
            payload={
                "batch": batch.pk,
                "lines": len(amounts),
                "amount": sum(amounts, start=ZERO),
                "reasons": sorted({p.returned_reason for p, _r in failed if p.case_id == case_id})
                if outcome == "failed"
                else [],
            },
        )
    return len(paid), len(failed)


@transaction.atomic
def payout_return(
    *, court: Court, bank_reference: str, reason: str, return_reference: str = "", actor: User | None = None
) -> Payout:
    """退汇：a paid line comes back from the payee's bank; the money returns to the case (once)."""
    if not reason.strip():
        raise ServiceError("退回须写明原因", code="reason_required", field="reason")
    line = (
        Payout.objects.select_for_update()
        .select_related("batch", "case__court")
        .filter(bank_reference=bank_reference, batch__court=court)
        .first()
    )
    if line is None:
        raise NotFound("没有该银行流水号的发放", field="bank_reference")
    if line.status == S.RETURNED:
        return line
    if line.status != S.PAID:
        raise Conflict("只有已支付的发放才能退回", code="not_paid")
    _post(
        kind=Posting.Kind.TRANSFER,
        court=court,
        case=line.case,
        legs=[
            (
                ledger_account(kind=K.COURT_FUNDS_BANK, court=court),
                ledger_account(kind=K.CASE_LIABILITY, court=court, case=line.case),
                line.amount,
            )
        ],
        reason=f"发放退回：{reason.strip()}",
        actor=actor,
        key=f"payout:return:{line.pk}",
        stream=line.case.stream,
        source=line.posting,
    )
    line.status = S.RETURNED
    line.returned_reason = reason.strip()
    line.return_reference = return_reference or None
    line.save(update_fields=["status", "returned_reason", "return_reference"])
    journal_append(
        stream=line.case.stream,
        kind="funds.payout_returned",
        actor=actor,
        court=court,
        payload={
            "batch": line.batch_id,
            "line": line.pk,
            "amount": line.amount,
            "reason": line.returned_reason,
        },
    )
    return line


# --- the payout deadline (rules §10.1) --------------------------------------------------------
class OverdueFunds(NamedTuple):
    case_id: int
    case_number: str
    court_id: int
    unpaid: Decimal  # still on the case, or approved but not yet paid by the bank
    since: dt.date  # arrival date of the oldest money not paid out (first in, first out)
    deadline: dt.date


def funds_overdue(*, on: dt.date, court: Court | None = None) -> list[OverdueFunds]:
    """执行款超期未发放：cases whose oldest unpaid money arrived more than payout_days before ``on``.

    Unpaid = the case liability balance + the case's lines approved but not yet paid. The oldest
    unpaid arrival is found first-in-first-out over the case's inflows (receipts, resolutions,
    transfers in). The deadline uses the provisional calendar (a future year is never an error).
    """
    accounts = LedgerAccount.objects.filter(kind=K.CASE_LIABILITY)
    if court is not None:
        accounts = accounts.filter(court=court)
    ids = dict(accounts.values_list("pk", "case_id"))
    bal = balances_of(list(ids)) if court is not None else balances()
    in_transit: dict[int, Decimal] = defaultdict(lambda: ZERO)
    transit_rows = (
        Payout.objects.filter(status__in=[S.PENDING, S.SENT], batch__status__in=[B.APPROVED, B.SENT])
        .values("case_id")
        .annotate(s=Sum("amount"))
    )
    for row in transit_rows:
        in_transit[row["case_id"]] = _sum(row["s"])
    unpaid = {
        case_id: bal.get(pk, ZERO) + in_transit[case_id]
        for pk, case_id in ids.items()
        if bal.get(pk, ZERO) + in_transit[case_id] > 0
    }
    if not unpaid:
        return []
    by_account = {pk: c for pk, c in ids.items() if c in unpaid}
    inflows: dict[int, list[tuple[dt.datetime, Decimal]]] = defaultdict(list)
    for credit, at, amount in Entry.objects.filter(
        credit_account_id__in=list(by_account),
        debit_account__kind__in=[K.COURT_FUNDS_BANK, K.UNIDENTIFIED, K.CASE_LIABILITY],
    ).values_list("credit_account_id", "posting__created_at", "amount"):
        inflows[by_account[credit]].append((at, amount))
    cal = provisional_calendar()
    out = []
    numbers = dict(EnforcementCase.objects.filter(pk__in=list(unpaid)).values_list("pk", "case_number"))
    courts = dict(EnforcementCase.objects.filter(pk__in=list(unpaid)).values_list("pk", "court_id"))
    for case_id, amount in unpaid.items():
        rows = sorted(inflows[case_id], reverse=True)  # newest first: what is left is the newest money
        if not rows:
            continue
        left, since_at = amount, rows[-1][0]
        for at, a in rows:
            left -= a
            since_at = at
            if left <= 0:
                break
        since = timezone.localdate(since_at)
        deadline = statutory_deadline("payout_days", start=since, holidays=cal).value
        if deadline < on:
            out.append(OverdueFunds(case_id, numbers[case_id], courts[case_id], amount, since, deadline))
    return sorted(out, key=lambda o: (o.since, o.case_id))


def payout_overdue_journal(*, on: dt.date) -> int:
    """每日巡查：journal funds.payout_overdue once per case and oldest-unpaid date; returns how many."""
    written = 0
    for item in funds_overdue(on=on):
        case = EnforcementCase.objects.select_related("court").get(pk=item.case_id)
        with transaction.atomic():
            seen = JournalEvent.objects.filter(
                stream=case.stream, kind=OVERDUE, payload__since=item.since.isoformat()
            ).exists()
            if seen:
                continue
            journal_append(
                stream=case.stream,
                kind=OVERDUE,
                actor=None,
                court=case.court,
                payload={
                    "since": item.since.isoformat(),
                    "deadline": item.deadline.isoformat(),
                    "unpaid": item.unpaid,
                    "on": on.isoformat(),
                },
            )
            written += 1
    for court_id in (
        PayoutBatch.objects.filter(status=B.PROPOSED).values_list("court_id", flat=True).distinct()
    ):
        _sync_closed_approvals(court_id)
    return written
