"""The same journey through the JSON API (/api/v1/asset-control) with a bearer token: search, freeze,
renew, deduct into the case account, seal with a waiting rank; structured errors that change nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.test import Client

from conftest import AgencyNetwork
from zhixing.agencies.services import dispatch_all
from zhixing.asset_control.models import ControlMeasure
from zhixing.cases.models import EnforcementCase
from zhixing.cases.tests.conftest import World
from zhixing.core.auth import api_token_issue
from zhixing.core.models import JournalEvent, User

BASE = "/api/v1/asset-control"


def api(user: User) -> Client:
    _, token = api_token_issue(user=user, name="test")
    return Client(headers={"Authorization": f"Bearer {token}"})


def post(c: Client, url: str, body: dict[str, Any]) -> Any:
    return c.post(url, data=body, content_type="application/json")


def test_the_asset_control_journey_through_the_api(
    agency_network: AgencyNetwork, debtor_case: EnforcementCase, world: World
) -> None:
    case = debtor_case
    assert case.judge is not None
    c = api(case.judge)
    r = post(c, f"{BASE}/cases/{case.pk}/inquiries", {"purpose": "查找财产"})
    assert r.status_code == 201, r.content
    assert r.json()["requests_total"] == 12 and r.json()["legal_basis"]
    dispatch_all()
    assert c.get(f"{BASE}/cases/{case.pk}/inquiries").json()[0]["completed"] is True
    assets = c.get(f"{BASE}/cases/{case.pk}/assets").json()
    deposit = max(
        (a for a in assets if a["kind"] == "bank_deposit" and not a["encumbrances"]),
        key=lambda a: Decimal(a["value"]),
    )
    house = next(a for a in assets if a["kind"] == "real_estate" and a["encumbrances"])
    assert deposit["details"] is None  # the list carries no details; the single view does, journaled
    detail = c.get(f"{BASE}/assets/{deposit['id']}?purpose=核对").json()
    assert detail["details"]
    assert JournalEvent.objects.filter(stream=case.stream, kind="asset_control.asset_viewed").count() == 1

    # bad input: a structured error and nothing changed
    bad = post(c, f"{BASE}/cases/{case.pk}/controls", {"asset_id": deposit["id"], "amount": "-1"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad_amount"
    assert not ControlMeasure.objects.exists()

    r = post(c, f"{BASE}/cases/{case.pk}/controls", {"asset_id": deposit["id"], "amount": "40000"})
    assert r.status_code == 201, r.content
    freeze_id = r.json()["id"]
    dispatch_all()
    r = post(c, f"{BASE}/controls/{freeze_id}/renew", {})
    assert r.status_code == 200
    dispatch_all()
    freeze = next(m for m in c.get(f"{BASE}/cases/{case.pk}/controls").json() if m["id"] == freeze_id)
    assert (
        freeze["status"] == "effective"
        and freeze["renewals"] == 1
        and freeze["amount_controlled"] == "40000.00"
    )

    r = post(c, f"{BASE}/controls/{freeze_id}/deductions", {"amount": "25000"})
    assert r.status_code == 201, r.content
    dispatch_all()
    deductions = c.get(f"{BASE}/cases/{case.pk}/deductions").json()
    assert deductions[0]["status"] == "done" and deductions[0]["posting_id"]
    position = c.get(f"/api/v1/funds/cases/{case.pk}/position")
    assert position.status_code == 200 and Decimal(position.json()["received"]) == Decimal("25000")

    over = post(c, f"{BASE}/cases/{case.pk}/controls", {"asset_id": house["id"]})
    assert over.status_code == 409 and over.json()["error"]["code"] == "overreach"
    r = post(
        c,
        f"{BASE}/cases/{case.pk}/controls",
        {"asset_id": house["id"], "confirm_overreach": True, "overreach_reason": "不可分割"},
    )
    assert r.status_code == 201
    dispatch_all()
    seal = next(m for m in c.get(f"{BASE}/cases/{case.pk}/controls").json() if m["kind"] == "seal")
    assert seal["status"] == "waiting" and seal["rank"] == 2 and seal["first_sealing_court"]

    # the agencies' service levels, as the case's judge sees them
    stats = {a["code"]: a for a in c.get("/api/v1/agencies/").json()}
    assert stats["REG-SX"]["answered"] >= 2 and stats["REG-SX"]["mean_seconds"] is not None


def test_outsiders_get_404_and_a_clerk_cannot_freeze(
    agency_network: AgencyNetwork, debtor_case: EnforcementCase, world: World
) -> None:
    case = debtor_case
    assert post(api(world.other_judge), f"{BASE}/cases/{case.pk}/inquiries", {}).status_code == 404
    assert api(world.other_judge).get(f"{BASE}/cases/{case.pk}/assets").status_code == 404
    assert case.judge is not None
    post(api(case.judge), f"{BASE}/cases/{case.pk}/inquiries", {})
    dispatch_all()
    asset = case.assets.filter(kind="bank_deposit").first()
    assert asset is not None
    member = next(u for u in (world.clerk, world.assistant_fast) if u.team_id == case.team_id)
    r = post(api(member), f"{BASE}/cases/{case.pk}/controls", {"asset_id": asset.pk, "amount": "100"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
