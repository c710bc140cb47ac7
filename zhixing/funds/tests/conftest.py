"""Funds fixtures: the case fixtures (`world`, `submit`, `filed`), a bank, a second case, notices."""

# ruff: noqa: F811 - the case fixtures are imported to be used here

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from zhixing.cases import services as case_services
from zhixing.cases.models import CaseApplication, EnforcementCase
from zhixing.cases.tests.conftest import World, filed, submit, world  # noqa: F401 - fixtures
from zhixing.funds import services
from zhixing.funds.models import Bank, CaseAccount

BANK_KEY = "bank-key-for-tests"


@pytest.fixture
def bank(world: World) -> Bank:
    return Bank.objects.create(code="ICBC-SX", name="工商银行绍兴分行", court=world.court, key=BANK_KEY)


@pytest.fixture
def account(filed: EnforcementCase) -> CaseAccount:
    return services.case_account_open(case=filed)


@pytest.fixture
def second(world: World, submit: Callable[..., CaseApplication]) -> EnforcementCase:
    app = submit(n=2, title={"document_number": "（2026）浙0602民初200号"})
    case = case_services.application_accept(actor=world.clerk, application_id=app.pk, on=dt.date(2026, 11, 3))
    services.case_account_open(case=case)
    return case


def notice_body(reference: str, account_number: str, amount: str | Decimal, **kw: Any) -> bytes:
    data = {"reference": reference, "account_number": account_number, "amount": str(amount), **kw}
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


@pytest.fixture
def send(bank: Bank) -> Callable[..., Any]:
    def go(reference: str, account_number: str, amount: str, *, key: str = BANK_KEY) -> Any:
        body = notice_body(reference, account_number, amount, payer_name="李某")
        return services.bank_notice_receive(
            bank_code=bank.code, body=body, signature=services.notice_signature(key, body)
        )

    return go
