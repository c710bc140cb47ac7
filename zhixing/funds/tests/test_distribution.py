"""Receipt → match → distribution plan → approval → payout, through the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from zhixing.cases.models import EnforcementCase
from zhixing.cases.tests.conftest import World
from zhixing.core import services as core_services
from zhixing.core.errors import Conflict, PermissionDenied, ServiceError
from zhixing.core.journal import verify_chains
from zhixing.funds import distribution
from zhixing.funds.models import Bank, CaseAccount, DistributionPlan
from zhixing.funds.payouts import payout_batch_process
from zhixing.funds.selectors import case_position
from zhixing.funds.services import receipt_record

ACCT = "6222000011112222"


@pytest.fixture(autouse=True)
def court_bank(world: World) -> Bank:
    """The court's execution-funds bank (its payouts leave from there)."""
    return Bank.objects.create(code="icbc-yc", name="工商银行越城支行", court=world.court, key="k" * 32)


def _pay_in(world: World, case: EnforcementCase, amount: str, key: str = "r1") -> None:
    receipt_record(
        court=world.court,
        account_number=CaseAccount.objects.get(case=case).number,
        amount=amount,
        idempotency_key=key,
    )


def test_single_creditor_from_receipt_to_payout(world: World, filed: EnforcementCase) -> None:
    _pay_in(world, filed, "51000.00")  # claim 51,000 (principal 50,000 + costs 1,000)
    with pytest.raises(PermissionDenied):
        distribution.distribution_propose(
            actor=world.assistant_fast, case_id=filed.pk, applicant_account="6222000011112222"
        )
    with pytest.raises(ServiceError, match="收款账号"):
        distribution.distribution_propose(actor=world.judge_fast, case_id=filed.pk, applicant_account=" ")
    plan = distribution.distribution_propose(
        actor=world.judge_fast, case_id=filed.pk, applicant_account="6222000011112222"
    )
    fee_line, applicant_line = plan.lines
    assert fee_line["kind"] == "costs" and Decimal(fee_line["allocated"]) == Decimal(
        "665.00"
    )  # 50 + 1.5% of 41,000
    assert Decimal(applicant_line["allocated"]) == Decimal("50335.00")
    with pytest.raises(Conflict):
        distribution.distribution_propose(actor=world.judge_fast, case_id=filed.pk, applicant_account="x")
    assert plan.approval is not None
    core_services.approval_decide(actor=world.chief, approval_id=plan.approval.pk, approve=True)
    plan.refresh_from_db()
    assert plan.status == "approved" and plan.objection_deadline is None  # one creditor: no 参与分配
    assert plan.document is not None and plan.document.kind == "distribution_plan"
    plan = distribution.distribution_execute(actor=world.judge_fast, plan_id=plan.pk)
    batch = plan.payout_batch
    assert batch is not None
    assert batch.approval is not None
    core_services.approval_decide(actor=world.chief, approval_id=batch.approval.pk, approve=True)
    report = payout_batch_process(batch_id=batch.pk)
    assert report.paid == 1
    pos = case_position(filed)
    assert pos.balance == Decimal("0.00") and pos.paid_out == Decimal("51000.00")  # fee 665 + payee 50,335
    assert verify_chains().ok


def test_several_creditors_wait_for_the_objection_period(world: World, filed: EnforcementCase) -> None:
    _pay_in(world, filed, "30000.00")
    plan = distribution.distribution_propose(
        actor=world.judge_fast,
        case_id=filed.pk,
        applicant_account=ACCT,
        extra_claims=[
            {
                "creditor": "参与分配债权人甲",
                "amount": "20000",
                "kind": "ordinary",
                "account": "6222000033334444",
            }
        ],
        on=dt.date(2026, 11, 20),
    )
    allocated = [Decimal(line["allocated"]) for line in plan.lines]
    assert sum(allocated) + plan.surplus == plan.proceeds == Decimal("30000.00")
    assert plan.approval is not None
    core_services.approval_decide(actor=world.chief, approval_id=plan.approval.pk, approve=True)
    plan.refresh_from_db()
    assert plan.objection_deadline is not None
    with pytest.raises(ServiceError, match="异议期"):
        distribution.distribution_execute(actor=world.judge_fast, plan_id=plan.pk, on=plan.objection_deadline)
    plan = distribution.distribution_execute(
        actor=world.judge_fast, plan_id=plan.pk, on=plan.objection_deadline + dt.timedelta(days=1)
    )
    assert plan.status == DistributionPlan.Status.EXECUTED
    assert plan.payout_batch is not None and plan.payout_batch.line_count == 2


def test_nothing_to_distribute(world: World, filed: EnforcementCase) -> None:
    with pytest.raises(ServiceError, match="没有可分配"):
        distribution.distribution_propose(actor=world.judge_fast, case_id=filed.pk, applicant_account="6222")


def test_delay_interest_on_the_case(world: World, filed: EnforcementCase) -> None:
    from zhixing.funds.selectors import case_delay_interest

    # title: principal 50,000, performance deadline 2026-09-15; nothing paid by 2026-10-15 → 30 days
    result = case_delay_interest(filed, on=dt.date(2026, 10, 15))
    assert result is not None and result.value.total == Decimal("262.50")  # 50,000 × 0.0175 % × 30
    assert case_delay_interest(filed, on=dt.date(2026, 9, 15)) is None


def test_unidentified_ageing_alert_once(world: World) -> None:
    import time_machine

    from zhixing.core.models import JournalEvent
    from zhixing.funds.tasks import unidentified_ageing

    receipt_record(court=world.court, account_number="ZX-UNKNOWN", amount="10.00", idempotency_key="u1")
    assert unidentified_ageing.call() == 0
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=8)):
        assert unidentified_ageing.call() == 1
        assert unidentified_ageing.call() == 0
    assert JournalEvent.objects.filter(kind="funds.unidentified_ageing").count() == 1


def test_enterprise_debtor_in_sealing_order_with_the_bankruptcy_path(
    world: World, submit: Callable[..., Any]
) -> None:
    from zhixing.cases import services as case_services
    from zhixing.cases.tests.conftest import parties

    app = submit(
        parties=parties(7, debtor_kind="legal_person"), title={"document_number": "（2026）浙0602民初77号"}
    )
    case = case_services.application_accept(actor=world.clerk, application_id=app.pk)
    _pay_in(world, case, "30000.00", key="e1")
    plan = distribution.distribution_propose(
        actor=world.judge_fast,
        case_id=case.pk,
        applicant_account=ACCT,
        extra_claims=[
            {
                "creditor": "先查封债权人",
                "amount": "40000",
                "kind": "ordinary",
                "account": "6222",
                "sealing_rank": 1,
            }
        ],
        insolvent=True,
    )
    assert plan.method == "sealing_order"
    by_name = {line["creditor"]: Decimal(line["allocated"]) for line in plan.lines}
    assert by_name["先查封债权人"] > 0 and plan.warnings  # sealed first is paid first; 执转破 is offered
