"""执行款的读取 — balances are derived from the entries, never stored."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet, Sum

from zhixing.cases.models import EnforcementCase
from zhixing.core.models import User
from zhixing.core.money import CENT, yuan
from zhixing.core.scoping import scoped
from zhixing.funds.models import CaseAccount, Entry, LedgerAccount, Posting

ZERO = Decimal("0.00")
K = LedgerAccount.Kind
# Money a case "received": moved in from the bank, the unidentified account or another case.
INFLOW_KINDS = [K.COURT_FUNDS_BANK, K.UNIDENTIFIED, K.CASE_LIABILITY]


def _money(value: Decimal | float | None) -> Decimal:
    """A database SUM as yuan. SQLite stores decimals as REAL and sums them as floats
    (61699.9999999922): round to the fen — exact for any realistic total; PostgreSQL sums exactly."""
    if value is None:
        return ZERO
    return yuan(Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP))


def account_balance(account: LedgerAccount | int) -> Decimal:
    """余额 = 贷方合计 − 借方合计 (positive for a liability, negative for the bank asset)."""
    pk = account.pk if isinstance(account, LedgerAccount) else account
    credits = Entry.objects.filter(credit_account_id=pk).aggregate(s=Sum("amount"))["s"]
    debits = Entry.objects.filter(debit_account_id=pk).aggregate(s=Sum("amount"))["s"]
    return _money(credits) - _money(debits)


def balances() -> dict[int, Decimal]:
    """Every ledger account's balance, by account id (two grouped queries)."""
    out: dict[int, Decimal] = {pk: ZERO for pk in LedgerAccount.objects.values_list("pk", flat=True)}
    for row in Entry.objects.values("credit_account_id").annotate(s=Sum("amount")):
        out[row["credit_account_id"]] += _money(row["s"])
    for drow in Entry.objects.values("debit_account_id").annotate(s=Sum("amount")):
        out[drow["debit_account_id"]] -= _money(drow["s"])
    return out


class CasePosition(NamedTuple):
    """案款情况：应执行、已到账、已发放、账上余额、尚未履行。"""

    owed: Decimal
    received: Decimal
    paid_out: Decimal
    balance: Decimal
    outstanding: Decimal


def case_account_of(case: EnforcementCase) -> CaseAccount | None:
    """一案一账号 of a case (the case itself was read through a scoped selector)."""
    return CaseAccount.objects.filter(case=case).first()


def case_position(case: EnforcementCase) -> CasePosition:
    owed = yuan(case.claim_amount)
    account = LedgerAccount.objects.filter(kind=K.CASE_LIABILITY, case=case).first()
    if account is None:
        return CasePosition(owed, ZERO, ZERO, ZERO, owed)
    inflow_from = Q(debit_account__kind__in=INFLOW_KINDS)
    back_to = Q(credit_account__kind__in=INFLOW_KINDS)
    cr = Entry.objects.filter(credit_account=account).aggregate(
        inflow=Sum("amount", filter=inflow_from), other=Sum("amount", filter=~inflow_from)
    )
    dr = Entry.objects.filter(debit_account=account).aggregate(
        inflow=Sum("amount", filter=back_to), other=Sum("amount", filter=~back_to)
    )
    received = _money(cr["inflow"]) - _money(dr["inflow"])
    paid_out = _money(dr["other"]) - _money(cr["other"])
    outstanding = max(owed - received, ZERO)
    return CasePosition(owed, received, paid_out, received - paid_out, outstanding)


def is_reversed(posting: Posting) -> bool:
    return Posting.objects.filter(reversal_of=posting).exists()


def _unresolved() -> QuerySet[Posting]:
    not_reversed = ~Exists(Posting.objects.filter(reversal_of=OuterRef("pk")))
    active_resolution = Posting.objects.filter(source=OuterRef("pk"), kind=Posting.Kind.TRANSFER).filter(
        ~Exists(Posting.objects.filter(reversal_of=OuterRef("pk")))
    )
    to_unidentified = Entry.objects.filter(posting=OuterRef("pk"), credit_account__kind=K.UNIDENTIFIED)
    return Posting.objects.filter(
        Exists(to_unidentified), not_reversed, ~Exists(active_resolution), kind=Posting.Kind.RECEIPT
    )


def unidentified_unresolved() -> QuerySet[Posting]:
    """Every court's unidentified receipts still waiting to be assigned (for system sweeps, unscoped)."""
    return _unresolved()


def unidentified_queue(*, user: User | AnonymousUser) -> QuerySet[Posting]:
    """不明款项待认领：receipts on the unidentified account, neither reversed nor resolved."""
    return scoped(_unresolved(), user).select_related("court").order_by("created_at", "id")


def is_unresolved(posting: Posting) -> bool:
    return _unresolved().filter(pk=posting.pk).exists()


def distribution_plans(*, case: EnforcementCase) -> QuerySet[Any]:
    """The case's distribution plans, newest first (the case came through a scoped selector)."""
    from zhixing.funds.models import DistributionPlan

    return (
        DistributionPlan.objects.filter(case=case).select_related("document", "payout_batch").order_by("-id")
    )


def case_receipts(case: EnforcementCase) -> list[tuple[Any, Decimal]]:
    """(date, amount) of every receipt credited to the case, net of reversals, in order."""
    from django.utils import timezone

    rows = (
        Entry.objects.filter(credit_account__case=case, credit_account__kind=K.CASE_LIABILITY)
        .exclude(posting__kind=Posting.Kind.REVERSAL)
        .exclude(posting__reversed_by__isnull=False)
        .values_list("posting__created_at", "amount")
        .order_by("posting__created_at", "id")
    )
    return [(timezone.localdate(at), _money(amount)) for at, amount in rows]


def case_delay_interest(case: EnforcementCase, *, on: Any) -> Any:
    """加倍部分债务利息 (CPL Art. 264, DELAYINT) on the title's principal, from the payments received; None
    when the title has no performance deadline or it has not passed."""
    from zhixing.rules.funds import delay_interest

    due = case.title.performance_deadline
    if due is None or on <= due or case.title.principal <= 0:
        return None
    payments = [(d, a) for d, a in case_receipts(case) if d > due]
    return delay_interest(principal=case.title.principal, due_on=due, payments=payments, until=on)


def received_by_case(case_ids: list[int]) -> dict[int, Decimal]:
    """到位金额 of many cases at once (as ``case_position(...).received``): two grouped queries."""
    if not case_ids:
        return {}
    out: dict[int, Decimal] = dict.fromkeys(case_ids, ZERO)
    credits = (
        Entry.objects.filter(
            credit_account__kind=K.CASE_LIABILITY,
            credit_account__case_id__in=case_ids,
            debit_account__kind__in=INFLOW_KINDS,
        )
        .values("credit_account__case_id")
        .annotate(total=Sum("amount"))
    )
    for row in credits:
        out[row["credit_account__case_id"]] += _money(row["total"])
    debits = (
        Entry.objects.filter(
            debit_account__kind=K.CASE_LIABILITY,
            debit_account__case_id__in=case_ids,
            credit_account__kind__in=INFLOW_KINDS,
        )
        .values("debit_account__case_id")
        .annotate(total=Sum("amount"))
    )
    for debit in debits:
        out[debit["debit_account__case_id"]] -= _money(debit["total"])
    return out
