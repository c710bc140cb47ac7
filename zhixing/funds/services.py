"""执行款的写入 — account numbers, receipts, bank notices, unidentified funds, reversals, transfers.

Every service is keyword-only and runs in one transaction, except ``bank_notice_receive``, which
commits the raw notice in a transaction of its own *before* posting it in a second one, so that a
crash in between loses nothing (``bank_notices_process_pending`` posts what was left).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, NoReturn

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhixing.cases.models import EnforcementCase
from zhixing.core.errors import Conflict, NotFound, PermissionDenied, ServiceError
from zhixing.core.journal import journal_append
from zhixing.core.models import Court, JournalEvent, User
from zhixing.core.money import MoneyError, yuan
from zhixing.core.roles import Role
from zhixing.core.scoping import scope_for
from zhixing.funds import numbers
from zhixing.funds.models import Bank, BankNoticeLog, CaseAccount, Entry, LedgerAccount, Posting
from zhixing.funds.selectors import account_balance, case_position, is_reversed, is_unresolved

logger = logging.getLogger("zhixing.funds")

K = LedgerAccount.Kind
# Who handles execution funds: the court's clerks and its bureau chief; corrections need the chief.
FUNDS_ROLES = frozenset({Role.CLERK, Role.BUREAU_CHIEF})
CORRECTION_ROLES = frozenset({Role.BUREAU_CHIEF})

FULLY_PERFORMED = "funds.fully_performed"
PERFORMANCE_REVERTED = "funds.fully_performed_reverted"

Leg = tuple[LedgerAccount, LedgerAccount, Decimal]  # (debit = money leaves, credit = money arrives, amount)


class NoticeRejected(ServiceError):
    status = 401


def court_stream(court: Court | int) -> str:
    return f"funds:{court.pk if isinstance(court, Court) else court}"


def _require_staff(actor: User, court_id: int, roles: Iterable[str]) -> None:
    if not scope_for(actor).allows_court(court_id):
        raise NotFound()
    if not actor.is_superuser and actor.role not in roles:
        raise PermissionDenied(f"此操作须由{'、'.join(str(Role(r).label) for r in roles)}办理")


def _amount(value: Any) -> Decimal:
    try:
        amount = yuan(value)
    except MoneyError as e:
        raise ServiceError(str(e), code="bad_amount", field="amount") from None
    if amount <= 0:
        raise ServiceError("金额必须大于零", code="bad_amount", field="amount")
    return amount


# --- ledger accounts ----------------------------------------------------------------------------
def ledger_account(*, kind: str, court: Court, case: EnforcementCase | None = None) -> LedgerAccount:
    """The ledger account of that kind for the court (or the case), created on first use."""
    lookup: dict[str, Any] = (
        {"kind": kind, "case": case} if case else {"kind": kind, "court": court, "case": None}
    )
    found = LedgerAccount.objects.filter(**lookup).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return LedgerAccount.objects.create(kind=kind, court=court, case=case)
    except IntegrityError:
        return LedgerAccount.objects.get(**lookup)


def case_account_for_number(*, court: Court, number: str) -> CaseAccount | None:
    """The case account a (possibly mistyped) number names at this court, or None."""
    n = numbers.normalise(number)
    if not numbers.is_valid(n):
        return None
    return CaseAccount.objects.select_related("case__court").filter(number=n, case__court=court).first()


@transaction.atomic
def case_account_open(*, case: EnforcementCase, actor: User | None = None) -> CaseAccount:
    """开立案款账号（一案一账号）。Idempotent: a case has one number for life."""
    existing = CaseAccount.objects.filter(case=case).first()
    if existing is not None:
        return existing
    number = numbers.compose(court_id=case.court_id, year=case.year, case_id=case.pk)
    try:
        with transaction.atomic():
            account = CaseAccount.objects.create(case=case, number=number)
    except IntegrityError:
        return CaseAccount.objects.get(case=case)
    ledger_account(kind=K.CASE_LIABILITY, court=case.court, case=case)
    journal_append(
        stream=case.stream,
        kind="funds.account_opened",
        actor=actor,
        court=case.court,
        payload={"number": number},
    )
    return account


# --- posting --------------------------------------------------------------------------------------
def _post(
    *,
    kind: str,
    court: Court,
    case: EnforcementCase | None,
    legs: list[Leg],
    reason: str,
    actor: User | None,
    key: str,
    stream: str,
    reversal_of: Posting | None = None,
    source: Posting | None = None,
) -> Posting:
    """Write one posting of balanced entries; no liability account may go below zero."""
    debited = sorted({d.pk for d, _c, _a in legs if d.is_liability})
    if debited:  # serialise concurrent withdrawals from the same accounts
        list(LedgerAccount.objects.select_for_update().filter(pk__in=debited).order_by("pk"))
    posting = Posting.objects.create(
        kind=kind,
        court=court,
        case=case,
        reason=reason,
        reversal_of=reversal_of,
        source=source,
        idempotency_key=key,
        created_by=actor,
        stream=stream,
    )
    Entry.objects.bulk_create(
        [Entry(posting=posting, debit_account=d, credit_account=c, amount=a) for d, c, a in legs]
    )
    for pk in debited:
        if account_balance(pk) < 0:
            raise ServiceError("账户余额不足，不能转出", code="insufficient_funds")
    return posting


def _sync_performance(case: EnforcementCase, actor: User | None) -> None:
    """When received ≥ owed, journal funds.fully_performed (once); if a reversal undoes it, say so."""
    pos = case_position(case)
    performed = pos.owed > 0 and pos.received >= pos.owed
    last = (
        JournalEvent.objects.filter(stream=case.stream, kind__in=[FULLY_PERFORMED, PERFORMANCE_REVERTED])
        .order_by("-seq")
        .values_list("kind", flat=True)
        .first()
    )
    payload = {"owed": pos.owed, "received": pos.received}
    if performed and last != FULLY_PERFORMED:
        journal_append(
            stream=case.stream, kind=FULLY_PERFORMED, actor=actor, court=case.court, payload=payload
        )
    elif not performed and last == FULLY_PERFORMED:
        journal_append(
            stream=case.stream, kind=PERFORMANCE_REVERTED, actor=actor, court=case.court, payload=payload
        )


# --- receipts -------------------------------------------------------------------------------------
@transaction.atomic
def receipt_record(
    *,
    court: Court,
    account_number: str,
    amount: Any,
    idempotency_key: str,
    payer_name: str = "",
    reference: str = "",
    actor: User | None = None,
) -> Posting:
    """到账入账：bank → the case's account, or → unidentified funds if the number names no case here.

    ``actor`` None is the system (a bank notice); staff entering a receipt must handle funds at the court.
    The same ``idempotency_key`` twice posts once.
    """
    amount = _amount(amount)
    if actor is not None:
        _require_staff(actor, court.pk, FUNDS_ROLES)
    existing = Posting.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        if existing.kind != Posting.Kind.RECEIPT or sum(e.amount for e in existing.entries.all()) != amount:
            raise Conflict("幂等键已用于另一笔记账", code="idempotency_conflict")
        return existing
    number = numbers.normalise(account_number)
    account = case_account_for_number(court=court, number=number)
    case = account.case if account else None
    bank = ledger_account(kind=K.COURT_FUNDS_BANK, court=court)
    if case is not None:
        target = ledger_account(kind=K.CASE_LIABILITY, court=court, case=case)
        stream, kind = case.stream, "funds.receipt"
    else:
        target = ledger_account(kind=K.UNIDENTIFIED, court=court)
        stream, kind = court_stream(court), "funds.unidentified_receipt"
    try:
        with transaction.atomic():
            posting = _post(
                kind=Posting.Kind.RECEIPT,
                court=court,
                case=case,
                legs=[(bank, target, amount)],
                reason="",
                actor=actor,
                key=idempotency_key,
                stream=stream,
            )
    except IntegrityError:  # a concurrent caller posted the same key first
        return Posting.objects.get(idempotency_key=idempotency_key)
    journal_append(
        stream=stream,
        kind=kind,
        actor=actor,
        court=court,
        payload={
            "posting": posting.pk,
            "amount": amount,
            "account_number": number,
            "payer": payer_name,
            "reference": reference,
        },
    )
    if case is not None:
        _sync_performance(case, actor)
    return posting


@transaction.atomic
def unidentified_resolve(*, actor: User, posting_id: int, case_id: int, reason: str = "") -> Posting:
    """不明款项认领：move an unidentified receipt into a case of the same court."""
    try:
        source = Posting.objects.select_for_update().select_related("court").get(pk=posting_id)
    except Posting.DoesNotExist:
        raise NotFound() from None
    _require_staff(actor, source.court_id, FUNDS_ROLES)
    if not is_unresolved(source):
        raise Conflict(
            "该笔款项不是待认领的不明款项（已认领、已冲正或并非不明款项）", code="not_unidentified"
        )
    case = (
        EnforcementCase.objects.select_related("court").filter(pk=case_id, court_id=source.court_id).first()
    )
    if case is None:
        raise NotFound("案件不存在或不属本院", field="case_id")
    unidentified = ledger_account(kind=K.UNIDENTIFIED, court=source.court)
    amount = sum(
        (e.amount for e in source.entries.all() if e.credit_account_id == unidentified.pk), start=Decimal("0")
    )
    target = ledger_account(kind=K.CASE_LIABILITY, court=source.court, case=case)
    n = source.followups.count()
    posting = _post(
        kind=Posting.Kind.TRANSFER,
        court=source.court,
        case=case,
        legs=[(unidentified, target, amount)],
        reason=reason or "不明款项认领",
        actor=actor,
        key=f"resolve:{source.pk}:{n}",
        stream=case.stream,
        source=source,
    )
    journal_append(
        stream=case.stream,
        kind="funds.unidentified_resolved",
        actor=actor,
        court=case.court,
        payload={"posting": posting.pk, "source": source.pk, "amount": amount, "reason": posting.reason},
    )
    _sync_performance(case, actor)
    return posting


@transaction.atomic
def case_transfer(
    *,
    actor: User,
    source_case_id: int,
    target_case_id: int,
    amount: Any,
    reason: str,
    idempotency_key: str | None = None,
) -> Posting:
    """案款划转：move money booked on one case to another case of the same court (bureau chief)."""
    amount = _amount(amount)
    if not reason.strip():
        raise ServiceError("划转须写明事由", code="reason_required", field="reason")
    cases = {
        c.pk: c
        for c in EnforcementCase.objects.select_related("court").filter(
            pk__in=[source_case_id, target_case_id]
        )
    }
    src, dst = cases.get(source_case_id), cases.get(target_case_id)
    if src is None or dst is None:
        raise NotFound()
    if src.pk == dst.pk or src.court_id != dst.court_id:
        raise ServiceError("只能在本院不同案件之间划转", code="bad_transfer")
    _require_staff(actor, src.court_id, CORRECTION_ROLES)
    key = idempotency_key or f"transfer:{src.pk}:{dst.pk}:{timezone.now().isoformat()}"
    existing = Posting.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    posting = _post(
        kind=Posting.Kind.TRANSFER,
        court=src.court,
        case=src,
        legs=[
            (
                ledger_account(kind=K.CASE_LIABILITY, court=src.court, case=src),
                ledger_account(kind=K.CASE_LIABILITY, court=dst.court, case=dst),
                amount,
            )
        ],
        reason=reason.strip(),
        actor=actor,
        key=key,
        stream=src.stream,
    )
    payload = {"posting": posting.pk, "amount": amount, "reason": posting.reason}
    journal_append(
        stream=src.stream,
        kind="funds.transfer_out",
        actor=actor,
        court=src.court,
        payload={**payload, "to": dst.case_number},
    )
    journal_append(
        stream=dst.stream,
        kind="funds.transfer_in",
        actor=actor,
        court=dst.court,
        payload={**payload, "from": src.case_number},
    )
    _sync_performance(src, actor)
    _sync_performance(dst, actor)
    return posting


@transaction.atomic
def posting_reverse(*, actor: User, posting_id: int, reason: str) -> Posting:
    """冲正：a posting that moves every amount of the original back, with a reason. Once per posting."""
    if not reason.strip():
        raise ServiceError("冲正须写明事由", code="reason_required", field="reason")
    try:
        original = Posting.objects.select_for_update().select_related("court").get(pk=posting_id)
    except Posting.DoesNotExist:
        raise NotFound() from None
    _require_staff(actor, original.court_id, CORRECTION_ROLES)
    if is_reversed(original):
        raise Conflict("该笔记账已冲正", code="already_reversed")
    entries = list(original.entries.select_related("debit_account", "credit_account__case__court"))
    legs: list[Leg] = [(e.credit_account, e.debit_account, e.amount) for e in entries]
    try:
        with transaction.atomic():
            posting = _post(
                kind=Posting.Kind.REVERSAL,
                court=original.court,
                case=original.case,
                legs=legs,
                reason=reason.strip(),
                actor=actor,
                key=f"reversal:{original.pk}",
                stream=original.stream,
                reversal_of=original,
            )
    except IntegrityError:
        raise Conflict("该笔记账已冲正", code="already_reversed") from None
    cases = {
        a.case.pk: a.case for e in entries for a in (e.debit_account, e.credit_account) if a.case is not None
    }
    payload = {
        "posting": posting.pk,
        "reverses": original.pk,
        "amount": sum((e.amount for e in entries), start=Decimal("0")),
        "reason": posting.reason,
    }
    streams = [original.stream] + [c.stream for c in cases.values() if c.stream != original.stream]
    for stream in streams:
        journal_append(
            stream=stream, kind="funds.reversal", actor=actor, court=original.court, payload=payload
        )
    for case in cases.values():
        _sync_performance(case, actor)
    return posting


# --- bank notices ---------------------------------------------------------------------------------
def notice_signature(key: str, body: bytes) -> str:
    """HMAC-SHA256 (hex) of the notice body with the bank's key."""
    return hmac.new(key.encode("utf-8"), body, hashlib.sha256).hexdigest()


def _reject(*, bank_code: str, bank: Bank | None, body: bytes, signature: str, why: str) -> NoReturn:
    with transaction.atomic():
        log = BankNoticeLog.objects.create(
            bank_code=bank_code[:32],
            bank=bank,
            body=body.decode("utf-8", errors="replace"),
            signature=signature[:256],
            status=BankNoticeLog.Status.REJECTED,
            error=why,
        )
    logger.warning("bank notice rejected: bank=%r notice=%s reason=%s", bank_code, log.pk, why)
    raise NoticeRejected(f"到账通知已拒收：{why}", code="notice_rejected", notice_id=log.pk)


def bank_notice_receive(*, bank_code: str, body: bytes, signature: str) -> BankNoticeLog:
    """接收银行到账通知（系统行为）。Call it outside any transaction.

    Body: JSON ``{"reference", "account_number", "amount" (a string), "payer_name"}``, signed with
    HMAC-SHA256 by the bank's key. A bad signature or body changes nothing but a rejected log row
    (and a warning), then raises ``NoticeRejected``. The notice is committed first (status received),
    then posted in a second transaction; the same notice twice posts once.
    """
    bank = Bank.objects.select_related("court").filter(code=bank_code, active=True).first()
    if bank is None:
        _reject(bank_code=bank_code, bank=None, body=body, signature=signature, why="未知或已停用的银行")
    if not hmac.compare_digest(notice_signature(bank.key, body), (signature or "").strip().lower()):
        _reject(bank_code=bank_code, bank=bank, body=body, signature=signature, why="签名无效")
    try:
        data = json.loads(body.decode("utf-8"), parse_float=Decimal)
        reference = str(data["reference"]).strip()
        account_number = str(data["account_number"]).strip()
        if not isinstance(data["amount"], str):
            raise TypeError("the amount must be a string")  # a JSON number may be a float
        amount = yuan(data["amount"])
        payer_name = str(data.get("payer_name", ""))[:128]
        if not reference or amount <= 0 or len(reference) > 64 or len(account_number) > 64:
            raise ValueError("bad field")
    except (ValueError, KeyError, TypeError, MoneyError, UnicodeDecodeError):
        _reject(bank_code=bank_code, bank=bank, body=body, signature=signature, why="通知格式错误")
    try:
        with transaction.atomic():
            notice = BankNoticeLog.objects.create(
                bank_code=bank_code,
                bank=bank,
                reference=reference,
                account_number=account_number,
                amount=amount,
                payer_name=payer_name,
                body=body.decode("utf-8"),
                signature=signature,
                status=BankNoticeLog.Status.RECEIVED,
            )
    except IntegrityError:  # the same notice again
        notice = BankNoticeLog.objects.exclude(status=BankNoticeLog.Status.REJECTED).get(
            bank_code=bank_code, reference=reference
        )
        if notice.status != BankNoticeLog.Status.RECEIVED:
            return notice
    return notice_post(notice_id=notice.pk)


@transaction.atomic
def notice_post(*, notice_id: int) -> BankNoticeLog:
    """Post one received notice (exactly once: the notice row is locked, the posting key is unique)."""
    notice = BankNoticeLog.objects.select_for_update().get(pk=notice_id)
    if notice.status != BankNoticeLog.Status.RECEIVED:
        return notice
    assert notice.amount is not None and notice.bank_id is not None
    bank = Bank.objects.select_related("court").get(pk=notice.bank_id)
    posting = receipt_record(
        court=bank.court,
        account_number=notice.account_number,
        amount=notice.amount,
        idempotency_key=f"bank:{notice.bank_code}:{notice.reference}",
        payer_name=notice.payer_name,
        reference=notice.reference,
    )
    notice.status = BankNoticeLog.Status.POSTED
    notice.posting = posting
    notice.processed_at = timezone.now()
    notice.save(update_fields=["status", "posting", "processed_at"])
    return notice


def bank_notices_process_pending() -> int:
    """Post every notice left received (after a crash); returns how many were posted."""
    posted = 0
    pending = BankNoticeLog.objects.filter(status=BankNoticeLog.Status.RECEIVED).order_by("received_at", "id")
    for pk in list(pending.values_list("pk", flat=True)):
        try:
            if notice_post(notice_id=pk).status == BankNoticeLog.Status.POSTED:
                posted += 1
        except Exception:
            logger.exception("bank notice %s could not be posted; it stays pending", pk)
    return posted


def unidentified_ageing_alert(*, now: Any = None) -> int:
    """不明款项账龄预警：journal each unidentified receipt older than the alert age, once per receipt."""
    from django.conf import settings

    from zhixing.core.models import JournalEvent
    from zhixing.funds.selectors import unidentified_unresolved

    now = now or timezone.now()
    age = dt.timedelta(days=getattr(settings, "FUNDS_UNIDENTIFIED_ALERT_DAYS", 7))
    raised = 0
    for posting in unidentified_unresolved().filter(created_at__lt=now - age).select_related("court"):
        stream = court_stream(posting.court)
        with transaction.atomic():
            if JournalEvent.objects.filter(
                stream=stream, kind="funds.unidentified_ageing", payload__posting_id=posting.pk
            ).exists():
                continue
            journal_append(
                stream=stream,
                kind="funds.unidentified_ageing",
                actor=None,
                court=posting.court,
                payload={"posting_id": posting.pk, "since": posting.created_at.isoformat()},
            )
            raised += 1
    return raised
