"""Money is conserved: whatever happens, all balances sum to zero and match a recomputation."""

from __future__ import annotations

import itertools
from collections import defaultdict
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhixing.cases.models import EnforcementCase
from zhixing.cases.tests.conftest import World
from zhixing.core.errors import ServiceError
from zhixing.funds import selectors, services
from zhixing.funds.models import CaseAccount, Entry, Posting

_keys = itertools.count()
amounts = st.integers(1, 10_000_000).map(lambda fen: Decimal(fen) / 100)
ops = st.lists(
    st.one_of(
        st.tuples(st.just("receipt"), st.integers(0, 2), amounts),  # 2 = a mistyped number
        st.tuples(st.just("reverse"), st.integers(0, 50), st.none()),
        st.tuples(st.just("resolve"), st.integers(0, 50), st.integers(0, 1)),
        st.tuples(st.just("transfer"), st.integers(0, 1), amounts),
    ),
    max_size=15,
)


def recomputed() -> dict[int, Decimal]:
    out: dict[int, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for debit, credit, amount in Entry.objects.values_list("debit_account_id", "credit_account_id", "amount"):
        out[credit] += amount
        out[debit] -= amount
    return out


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=ops)
def test_money_is_conserved(world: World, account: CaseAccount, second: EnforcementCase, steps: list) -> None:
    cases = [account.case, second]
    numbers = [account.number, second.funds_account.number, account.number[:-1] + "X"]
    for op, a, b in steps:
        postings = list(Posting.objects.order_by("pk"))
        try:
            if op == "receipt":
                services.receipt_record(
                    court=world.court, account_number=numbers[a], amount=b, idempotency_key=f"h{next(_keys)}"
                )
            elif op == "reverse" and postings:
                services.posting_reverse(
                    actor=world.chief, posting_id=postings[a % len(postings)].pk, reason="测试"
                )
            elif op == "resolve" and postings:
                services.unidentified_resolve(
                    actor=world.clerk, posting_id=postings[a % len(postings)].pk, case_id=cases[b].pk
                )
            elif op == "transfer":
                services.case_transfer(
                    actor=world.chief,
                    source_case_id=cases[a].pk,
                    target_case_id=cases[1 - a].pk,
                    amount=b,
                    reason="测试",
                    idempotency_key=f"h{next(_keys)}",
                )
        except ServiceError:
            pass  # a refused act changes nothing; the invariants below still hold
        derived = selectors.balances()
        assert sum(derived.values()) == 0
        again = recomputed()
        assert all(derived[pk] == again[pk] for pk in derived)
        for pk, balance in derived.items():
            acct = selectors.LedgerAccount.objects.get(pk=pk)
            if acct.is_liability:
                assert balance >= 0
        for case in cases:
            pos = selectors.case_position(case)
            assert pos.balance == pos.received - pos.paid_out
            liab = selectors.LedgerAccount.objects.get(case=case)
            assert pos.balance == derived[liab.pk]
