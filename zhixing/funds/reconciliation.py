"""银行对账 — a bank statement (CSV) matched against our receipts and payouts, every difference listed.

Columns (English or Chinese headers, any order): ``date``/交易日期, ``reference``/流水号,
``direction``/收支 (in/out, 收/支, 收入/支出), ``amount``/金额, ``counterparty_account``/对方账号,
``memo``/摘要. A bad file is refused with the line and column named, and nothing is written.

Our side, for the statement's period (first to last transaction date):

* in: receipts posted from the bank's notices (key ``bank:<code>:<reference>``), and returned payouts;
* out: payout lines paid by this bank (by bank reference).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from zhixing.core.errors import ServiceError
from zhixing.core.journal import journal_append
from zhixing.core.models import Court, User
from zhixing.core.money import MoneyError, yuan
from zhixing.funds.models import Bank, Entry, LedgerAccount, Payout, Posting, Reconciliation
from zhixing.funds.payouts import _sum
from zhixing.funds.services import FUNDS_ROLES, _require_staff, court_stream

COLUMNS = {
    "date": ("date", "交易日期", "日期"),
    "reference": ("reference", "流水号", "交易流水号"),
    "direction": ("direction", "收支", "收支方向"),
    "amount": ("amount", "金额", "交易金额"),
    "counterparty": ("counterparty_account", "counterparty account", "counterparty", "对方账号"),
    "memo": ("memo", "摘要", "备注"),
}
LABELS = {
    "date": "交易日期",
    "reference": "流水号",
    "direction": "收支",
    "amount": "金额",
    "counterparty": "对方账号",
    "memo": "摘要",
}
REQUIRED = ("date", "reference", "direction", "amount")
DIRECTIONS = {
    "in": "in",
    "收": "in",
    "收入": "in",
    "贷": "in",
    "out": "out",
    "支": "out",
    "支出": "out",
    "借": "out",
}
MISSING_IN_LEDGER = "missing_in_ledger"
MISSING_IN_STATEMENT = "missing_in_statement"
AMOUNT_MISMATCH = "amount_mismatch"
DIFFERENCE_LABELS = {
    MISSING_IN_LEDGER: "对账单有、台账无",
    MISSING_IN_STATEMENT: "台账有、对账单无",
    AMOUNT_MISMATCH: "金额或收支方向不符",
}


class StatementError(ServiceError):
    pass


class StatementLine(NamedTuple):
    line: int
    date: dt.date
    reference: str
    direction: str
    amount: Decimal
    counterparty: str
    memo: str


class LedgerItem(NamedTuple):
    date: dt.date
    reference: str
    direction: str
    amount: Decimal
    what: str  # "receipt" / "payout" / "payout_return"


def _fail(line: int, column: str | None, why: str) -> StatementError:
    where = f"第{line}行" + (f"「{LABELS[column]}」列" if column else "")
    return StatementError(f"对账单{where}：{why}", code="bad_statement", field="csv_text")


def _date(raw: str, line: int) -> dt.date:
    s = raw.strip()
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d"):
        try:
            return dt.datetime.strptime(s, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    raise _fail(line, "date", f"无法识别的日期「{s}」（应为 YYYY-MM-DD）")


def parse_statement(csv_text: str) -> list[StatementLine]:
    """Parse the CSV; raise StatementError naming the line and the column on the first fault."""
    text = csv_text.lstrip("\ufeff")
    if not text.strip():
        raise _fail(1, None, "对账单为空")
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as e:
        raise _fail(1, None, f"CSV 格式错误（{e}）") from None
    header = [h.strip().lower() for h in rows[0]]
    index: dict[str, int] = {}
    for key, names in COLUMNS.items():
        for i, h in enumerate(header):
            if h in names:
                index[key] = i
    for key in REQUIRED:
        if key not in index:
            raise _fail(1, None, f"缺少「{LABELS[key]}」列（表头：{'，'.join(rows[0])}）")
    out: list[StatementLine] = []
    seen: dict[str, int] = {}
    for n, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) < len(header):
            raise _fail(n, None, f"应有{len(header)}列，实有{len(row)}列")

        def cell(key: str, row: list[str] = row) -> str:
            return row[index[key]].strip() if key in index else ""

        reference = cell("reference")
        if not reference or len(reference) > 64:
            raise _fail(n, "reference", "流水号不能为空且不超过64个字符")
        if reference in seen:
            raise _fail(n, "reference", f"流水号「{reference}」与第{seen[reference]}行重复")
        seen[reference] = n
        direction = DIRECTIONS.get(cell("direction").lower())
        if direction is None:
            raise _fail(n, "direction", f"无法识别的收支方向「{cell('direction')}」（应为 收/支 或 in/out）")
        try:
            amount = yuan(cell("amount"))
        except MoneyError as e:
            raise _fail(n, "amount", str(e)) from None
        if amount <= 0:
            raise _fail(n, "amount", "金额必须大于零")
        out.append(
            StatementLine(
                n, _date(cell("date"), n), reference, direction, amount, cell("counterparty"), cell("memo")
            )
        )
    if not out:
        raise _fail(2, None, "对账单没有交易记录")
    return out


def ledger_items(*, court: Court, bank: Bank, start: dt.date, end: dt.date) -> dict[str, LedgerItem]:
    """Our bank movements with this bank's references, in the period (by local date)."""
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    items: dict[str, LedgerItem] = {}
    prefix = f"bank:{bank.code}:"
    receipts = (
        Entry.objects.filter(
            posting__kind=Posting.Kind.RECEIPT,
            posting__court=court,
            posting__idempotency_key__startswith=prefix,
            posting__created_at__gte=lo,
            posting__created_at__lt=hi,
            debit_account__kind=LedgerAccount.Kind.COURT_FUNDS_BANK,
        )
        .values("posting__idempotency_key", "posting__created_at")
        .annotate(s=Sum("amount"))
    )
    for r in receipts:
        ref = r["posting__idempotency_key"][len(prefix) :]
        items[ref] = LedgerItem(
            timezone.localdate(r["posting__created_at"]), ref, "in", _sum(r["s"]), "receipt"
        )
    paid = Payout.objects.filter(
        batch__court=court,
        batch__bank=bank,
        bank_reference__isnull=False,
        settled_at__gte=lo,
        settled_at__lt=hi,
    ).values_list("bank_reference", "settled_at", "amount")
    for out_ref, at, amount in paid:
        if out_ref and at:
            items[out_ref] = LedgerItem(timezone.localdate(at), out_ref, "out", amount, "payout")
    returned = (
        Payout.objects.filter(batch__court=court, batch__bank=bank, return_reference__isnull=False)
        .filter(posting__isnull=False)
        .values_list("return_reference", "amount", "pk")
    )
    for back_ref, amount, pk in returned:
        at = (
            Posting.objects.filter(idempotency_key=f"payout:return:{pk}")
            .values_list("created_at", flat=True)
            .first()
        )
        if back_ref and at is not None and lo <= at < hi:
            items[back_ref] = LedgerItem(timezone.localdate(at), back_ref, "in", amount, "payout_return")
    return items


def _diff(kind: str, s: StatementLine | None, x: LedgerItem | None) -> dict[str, Any]:
    return {
        "kind": kind,
        "label": DIFFERENCE_LABELS[kind],
        "reference": (s or x).reference,  # type: ignore[union-attr]
        "line": s.line if s else None,
        "date": (s or x).date.isoformat(),  # type: ignore[union-attr]
        "statement_direction": s.direction if s else None,
        "statement_amount": str(s.amount) if s else None,
        "ledger_direction": x.direction if x else None,
        "ledger_amount": str(x.amount) if x else None,
        "ledger_item": x.what if x else None,
        "counterparty": s.counterparty if s else "",
        "memo": s.memo if s else "",
    }


@transaction.atomic
def statement_import(*, court: Court, bank: Bank, csv_text: str, actor: User | None = None) -> Reconciliation:
    """导入银行对账单并对账：store the report (every difference) and journal it on the court's stream."""
    if actor is not None:
        _require_staff(actor, court.pk, FUNDS_ROLES)
    if bank.court_id != court.pk:
        raise ServiceError("该银行不是本院执行款专户的开户银行", code="bad_bank", field="bank")
    lines = parse_statement(csv_text)
    start, end = min(s.date for s in lines), max(s.date for s in lines)
    ours = ledger_items(court=court, bank=bank, start=start, end=end)
    differences: list[dict[str, Any]] = []
    matched = 0
    for s in lines:
        x = ours.pop(s.reference, None)
        if x is None:
            differences.append(_diff(MISSING_IN_LEDGER, s, None))
        elif x.amount != s.amount or x.direction != s.direction:
            differences.append(_diff(AMOUNT_MISMATCH, s, x))
        else:
            matched += 1
    for x in sorted(ours.values(), key=lambda i: (i.date, i.reference)):
        differences.append(_diff(MISSING_IN_STATEMENT, None, x))
    report = Reconciliation.objects.create(
        court=court,
        bank=bank,
        imported_by=actor,
        period_start=start,
        period_end=end,
        statement_lines=len(lines),
        matched=matched,
        differences=differences,
        digest=hashlib.sha256(csv_text.encode("utf-8")).hexdigest(),
    )
    counts = {k: sum(1 for d in differences if d["kind"] == k) for k in DIFFERENCE_LABELS}
    journal_append(
        stream=court_stream(court),
        kind="funds.reconciliation",
        actor=actor,
        court=court,
        payload={
            "reconciliation": report.pk,
            "bank": bank.code,
            "period": [start.isoformat(), end.isoformat()],
            "lines": len(lines),
            "matched": matched,
            "differences": counts,
            "digest": report.digest,
        },
    )
    return report
