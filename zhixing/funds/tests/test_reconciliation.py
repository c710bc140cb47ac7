"""对账：each kind of difference is found; a bad statement changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from zhixing.cases.tests.conftest import World
from zhixing.core import services as core_services
from zhixing.core.errors import ServiceError
from zhixing.core.models import JournalEvent
from zhixing.core.roles import Role
from zhixing.funds import payouts, reconciliation
from zhixing.funds.models import Bank, CaseAccount, Reconciliation
from zhixing.funds.services import court_stream


def test_every_kind_of_difference(
    world: World, account: CaseAccount, bank: Bank, send: Callable[..., Any], make_user: Callable[..., Any]
) -> None:
    send("R1", account.number, "5000.00")
    send("R2", account.number, "3000.00")
    batch = payouts.payout_propose(
        actor=world.chief,
        court=world.court,
        lines=[
            (account.case.pk, "甲", "6222020000111111", "100.00"),
            (account.case.pk, "乙", "6222020000222222", "200.00"),
        ],
    )
    assert batch.approval_id is not None
    chief2 = make_user(Role.BUREAU_CHIEF, "浙0602")
    core_services.approval_decide(actor=chief2, approval_id=batch.approval_id, approve=True)
    payouts.payout_batch_process(batch_id=batch.pk, gateway=payouts.SimulatedPayoutGateway())
    first, second = batch.lines.order_by("pk")
    today = timezone.localdate().isoformat()
    csv_text = (
        "交易日期,流水号,收支,金额,对方账号,摘要\n"
        f"{today},R1,收,5000.00,6217000011112222,执行款\n"  # matches
        f"{today},R2,收,3000.50,6217000011112222,执行款\n"  # amount mismatch
        f"{today},X9,收,10.00,6217000033334444,不明\n"  # not in the ledger
        f"{today},{first.bank_reference},支,100.00,{first.payee_account},发放\n"  # matches
    )  # the second payout is missing from the statement
    report = reconciliation.statement_import(
        court=world.court, bank=bank, csv_text=csv_text, actor=world.clerk
    )
    kinds = sorted((d["kind"], d["reference"]) for d in report.differences)
    assert kinds == sorted(
        [
            ("amount_mismatch", "R2"),
            ("missing_in_ledger", "X9"),
            ("missing_in_statement", second.bank_reference),
        ]
    )
    assert report.matched == 2 and report.statement_lines == 4
    ev = JournalEvent.objects.get(stream=court_stream(world.court), kind="funds.reconciliation")
    assert ev.payload["differences"] == {
        "missing_in_ledger": 1,
        "missing_in_statement": 1,
        "amount_mismatch": 1,
    }
    # English headers and in/out work as well
    english = f"date,reference,direction,amount,counterparty_account,memo\n{today},R1,in,5000.00,1,x\n"
    again = reconciliation.statement_import(court=world.court, bank=bank, csv_text=english)
    assert again.matched == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "对账单第1行"),
        ("交易日期,流水号,金额\n2026-11-03,R1,1.00\n", "缺少「收支」列"),
        ("交易日期,流水号,收支,金额\n2026-11-03,R1,收,1.00\n2026-11-03,R2,收,abc\n", "第3行「金额」列"),
        ("交易日期,流水号,收支,金额\n2026-11-03,R1,收,1.001\n", "第2行「金额」列"),
        ("交易日期,流水号,收支,金额\n2026-13-03,R1,收,1.00\n", "第2行「交易日期」列"),
        ("交易日期,流水号,收支,金额\n2026-11-03,R1,进,1.00\n", "第2行「收支」列"),
        ("交易日期,流水号,收支,金额\n2026-11-03,R1,收,1.00\n2026-11-03,R1,收,2.00\n", "第3行「流水号」列"),
        ("交易日期,流水号,收支,金额\n2026-11-03,R1\n", "第2行"),
        ("交易日期,流水号,收支,金额\n", "没有交易记录"),
    ],
)
def test_a_bad_statement_changes_nothing(world: World, bank: Bank, text: str, message: str) -> None:
    before = JournalEvent.objects.count()
    with pytest.raises(ServiceError, match=message) as e:
        reconciliation.statement_import(court=world.court, bank=bank, csv_text=text)
    assert e.value.code == "bad_statement"
    assert not Reconciliation.objects.exists() and JournalEvent.objects.count() == before
