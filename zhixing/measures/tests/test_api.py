"""The journey through the JSON API: review, decide, the president approves, partner checks (single,
batch), payment, lifting and deletion; structured errors for refusals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.test import Client

from zhixing.cases import services as case_services
from zhixing.cases.models import CaseApplication, EnforcementCase
from zhixing.cases.tests.conftest import World
from zhixing.core import identity
from zhixing.core.auth import api_token_issue
from zhixing.core.demo import resident_id
from zhixing.core.models import User
from zhixing.measures import lists
from zhixing.measures.tests.test_services import notice_delivered


def api(user: User) -> Client:
    _, token = api_token_issue(user=user, name="t")
    return Client(headers={"Authorization": f"Bearer {token}"})


def post(c: Client, url: str, body: dict[str, Any]) -> Any:
    return c.post(url, data=body, content_type="application/json")


def test_restricted_listed_checked_paid_and_deleted_through_the_api(
    world: World, submit: Callable[..., CaseApplication]
) -> None:
    from zhixing.funds.selectors import case_account_of
    from zhixing.funds.services import receipt_record

    case: EnforcementCase = case_services.application_accept(
        actor=world.clerk, application_id=submit().pk, on=dt.date(2026, 11, 3)
    )
    notice_delivered(world, case, dt.date(2026, 11, 4))
    case.refresh_from_db()
    assert case.judge is not None
    judge, president = api(case.judge), api(world.president)
    base = "/api/v1/measures"
    case_services.case_act(actor=case.judge, case_id=case.pk, kind="asset_report.violated", note="拒不报告")
    proposals = post(judge, f"{base}/cases/{case.pk}/review", {}).json()
    assert {p["kind"] for p in proposals} >= {"consumption_restriction", "dishonest_listing"}
    for p in proposals:
        if p["kind"] in ("consumption_restriction", "dishonest_listing"):
            r = post(judge, f"{base}/proposals/{p['id']}/decide", {"take": True, "note": "依法采取"})
            assert r.status_code == 200 and r.json()["status"] == "approval"
            approved = post(
                president, f"/api/v1/approvals/{r.json()['approval_id']}/decide", {"approve": True}
            )
            assert approved.status_code == 200, approved.content
    measures = judge.get(f"{base}/cases/{case.pk}/measures").json()
    assert {m["kind"] for m in measures} == {"consumption_restriction", "dishonest_listing"}
    assert all(m["document_number"] for m in measures)

    _, key = lists.partner_create(name="铁路", kind="railway")
    partner = Client(headers={"X-Partner-Key": key})
    number = identity.decrypt(case.parties.get(role="debtor").party.id_cipher)
    one = post(partner, f"{base}/partners/check", {"id_number": number}).json()
    assert one["listed"] and set(one["lists"]) == {"dishonest", "consumption"}
    batch = [resident_id("330602", "19700101", i) for i in range(1, 1000)] + [number]
    answers = post(partner, f"{base}/partners/check-batch", {"id_numbers": batch}).json()
    assert [a["listed"] for a in answers].count(True) == 1 and answers[-1]["listed"]

    account = case_account_of(case)
    assert account is not None
    receipt_record(
        court=case.court, account_number=account.number, amount=case.claim_amount, idempotency_key="p"
    )
    for p in post(judge, f"{base}/cases/{case.pk}/review", {}).json():
        assert p["kind"] in ("restriction_lifting", "listing_deletion")
        assert (
            post(judge, f"{base}/proposals/{p['id']}/decide", {"take": True, "note": "已履行"}).status_code
            == 200
        )
    assert not post(partner, f"{base}/partners/check", {"id_number": number}).json()["listed"]
    assert Client().post(f"{base}/public/search", {"q": number}, content_type="application/json").json() == []


def test_refusals_are_structured_and_name_their_basis(
    world: World, submit: Callable[..., CaseApplication]
) -> None:
    case = case_services.application_accept(
        actor=world.clerk, application_id=submit().pk, on=dt.date(2026, 11, 3)
    )
    assert case.judge is not None
    debtor = case.parties.get(role="debtor").party
    r = post(
        api(case.judge),
        f"/api/v1/measures/cases/{case.pk}/sanctions",
        {"party_id": debtor.pk, "kind": "detention", "act": "refusal_to_perform", "days": 16},
    )
    assert r.status_code == 400 and r.json()["error"]["code"] == "measure_forbidden"
    assert "15" in r.json()["error"]["message"]
    assert api(world.other_judge).get(f"/api/v1/measures/cases/{case.pk}/proposals").status_code == 404
