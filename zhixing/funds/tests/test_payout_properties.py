"""Payouts conserve money: after any proposals, decisions and sends, balances sum to zero, no case
liability is negative, and no yuan is held by two batches."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhixing.cases.models import EnforcementCase
from zhixing.cases.tests.conftest import World
from zhixing.core import services as core_services
from zhixing.core.errors import ServiceError
from zhixing.core.models import ApprovalRequest
from zhixing.funds import payouts, selectors, services
from zhixing.funds.models import Bank, CaseAccount, LedgerAccount, Payout, PayoutBatch

_keys = itertools.count()
amounts = st.integers(1, 500_000).map(lambda fen: Decimal(fen) / 100)
ops = st.lists(
    st.one_of(
        st.tuples(st.just("receipt"), st.integers(0, 1), amounts),
        st.tuples(st.just("propose"), st.integers(0, 1), st.tuples(amounts, st.booleans())),
        st.tuples(st.just("decide"), st.integers(0, 20), st.booleans()),
        st.tuples(st.just("send"), st.integers(0, 20), st.none()),
    ),
    max_size=14,
)


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=ops)
def test_payouts_conserve_money(
    world: World, account: CaseAccount, second: EnforcementCase, bank: Bank, steps: list[Any]
) -> None:
    cases = [account.case, second]
    numbers = [account.number, second.funds_account.number]
    gw = payouts.SimulatedPayoutGateway()
    for op, a, b in steps:
        batches = list(PayoutBatch.objects.order_by("pk"))
        try:
            if op == "receipt":
                services.receipt_record(
                    court=world.court, account_number=numbers[a], amount=b, idempotency_key=f"p{next(_keys)}"
                )
            elif op == "propose":
                amount, fails = b
                payouts.payout_propose(
                    actor=world.chief,
                    court=world.court,
                    lines=[
                        (cases[a].pk, "王某", "6222020000120000" if fails else "6222020000123456", amount)
                    ],
                )
            elif op == "decide" and batches:
                batch = batches[a % len(batches)]
                assert batch.approval_id is not None
                core_services.approval_decide(
                    actor=_chief2(world),
                    approval_id=batch.approval_id,
                    approve=b,
                    reason="" if b else "不予批准",
                )
            elif op == "send" and batches:
                payouts.payout_batch_process(batch_id=batches[a % len(batches)].pk, gateway=gw)
        except ServiceError:
            pass  # a refused act changes nothing
        derived = selectors.balances()
        assert sum(derived.values()) == 0
        for pk, balance in derived.items():
            if LedgerAccount.objects.get(pk=pk).is_liability:
                assert balance >= 0
        for case in cases:
            assert payouts.case_available(case) >= 0  # nothing proposed twice
        payable = LedgerAccount.objects.filter(kind=LedgerAccount.Kind.PAYEE_PAYABLE).first()
        in_flight = sum(
            (
                p.amount
                for p in Payout.objects.filter(
                    status__in=["pending", "sent"], batch__status__in=["approved", "sent"]
                )
            ),
            start=Decimal("0.00"),
        )
        assert (derived[payable.pk] if payable else 0) == in_flight
        assert set(gw.payments.values()) <= {1}
        for batch in PayoutBatch.objects.filter(status="proposed"):
            assert batch.approval is not None and batch.approval.status in ApprovalRequest.Status.values


def _chief2(world: World) -> Any:
    from zhixing.core.models import User
    from zhixing.core.roles import Role

    found = User.objects.filter(username="chief2").first()
    return found or User.objects.create_user("chief2", role=Role.BUREAU_CHIEF, court=world.court)
