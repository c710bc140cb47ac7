"""查控 in Chromium against the agency simulator: a judge searches the debtor across the network,
freezes a deposit, renews and deducts it into the case account, and seals a house another court
sealed first (超标的 confirmed with a reason). The test plays the worker with ``dispatch_all()``; the
case page's panel polls itself and shows each answer."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connections

from tests.browser.test_shell import login
from zhixing.agencies.services import dispatch_all
from zhixing.asset_control.models import Asset, ControlMeasure, Deduction
from zhixing.cases import services as case_services
from zhixing.cases.tests.conftest import parties, title
from zhixing.core.models import Team, User
from zhixing.core.roles import Role
from zhixing.funds.selectors import case_position
from zhixing.simulation.world import World as SimWorld

pytestmark = pytest.mark.browser


def dispatched() -> None:
    """Play the worker: send everything due. In a thread of its own, because the dispatcher runs its
    HTTP calls with ``asyncio.run`` and Playwright's sync API keeps an event loop running in this one."""
    out: dict[str, Any] = {}

    def run() -> None:
        try:
            out["report"] = dispatch_all()
        finally:
            connections.close_all()

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(60)
    report = out.get("report")
    assert report is not None and report.failed == 0 and not report.errors, report


def test_search_freeze_renew_deduct_and_seal_on_the_case_page(
    live_server: Any,
    deletable_history: None,
    agency_network: Any,
    browser: Any,
    make_user: Callable[..., User],
    make_team: Callable[..., Team],
) -> None:
    fast = make_team("浙0602", name="快执1组", track=Team.Track.FAST)
    make_team("浙0602", name="精执1组", track=Team.Track.COMPLEX)
    clerk = make_user(Role.CLERK, "浙0602", team=fast)
    judge = make_user(Role.JUDGE, "浙0602", team=fast, full_name="王法官")
    person = SimWorld().debtor_with_deposit_and_sealed_house()
    ps = parties()
    ps[1].update(name=person.name, id_number=person.id_number, address=person.address)
    assert clerk.court is not None
    app = case_services.application_submit(
        actor=clerk,
        court=clerk.court,
        title=title(principal="80000.00"),
        parties=ps,
        jurisdiction_basis="first_instance",
        materials=["application", "title", "identity"],
        received_on=dt.date(2026, 11, 2),
    )
    case = case_services.application_accept(actor=clerk, application_id=app.pk, on=dt.date(2026, 11, 3))
    case.refresh_from_db()
    assert case.stage == "in_enforcement" and case.judge == judge
    base = live_server.url

    page = browser.new_context(locale="zh-CN").new_page()
    page.set_default_timeout(15000)
    login(page, base, judge)
    page.goto(f"{base}/cases/{case.pk}/")
    page.wait_for_selector("[data-testid=asset-panel]")

    # 网络查控: sent; the panel polls while the agencies have not answered
    page.click("[data-testid=inquire]")
    page.wait_for_selector("[data-testid=asset-poll]", state="attached")
    assert "已发起网络查控" in page.locator(".messages").inner_text()
    dispatched()
    page.wait_for_selector("[data-testid=assets] tr[data-asset-kind=bank_deposit]")
    page.wait_for_selector("[data-testid=asset-poll]", state="detached")  # nothing pending: polling stopped
    deposit = next(
        a
        for a in Asset.objects.filter(case=case, kind="bank_deposit").order_by("-value")
        if not a.encumbrances
    )
    house = next(a for a in Asset.objects.filter(case=case, kind="real_estate") if len(a.encumbrances) == 1)
    first_court = house.encumbrances[0]["court"]
    assets = page.locator("[data-testid=assets]").inner_text()
    assert deposit.description in assets and house.description in assets
    assert f"已被{first_court}查封" in assets
    assert "REG-SX" in page.locator(f"[data-testid=asset-{house.pk}]").get_attribute("data-agency")

    # 冻结 30,000 of the deposit
    row = page.locator(f"[data-testid=asset-{deposit.pk}]")
    row.locator("input[name=amount]").fill("30000")
    row.locator("[data-testid=control-button]").click()
    page.wait_for_selector("[data-testid=controls] tr[data-status=requested]")
    freeze = ControlMeasure.objects.get(case=case, kind="freeze")
    dispatched()
    page.wait_for_selector(f"[data-testid=measure-{freeze.pk}][data-status=effective]")
    text = page.locator(f"[data-testid=measure-{freeze.pk}]").inner_text()
    assert "有效" in text and "实际冻结 ¥30000.00" in text

    # 续行: the agency extends the term by a year
    acts = f"[data-testid=measure-acts-{freeze.pk}]"
    first_expiry = freeze.expires_on
    page.click(f"{acts} [data-testid=renew]")
    page.wait_for_selector("text=续行办理中")
    dispatched()
    page.wait_for_selector(f"[data-testid=measure-{freeze.pk}] >> text=续行1次")
    freeze.refresh_from_db()
    assert freeze.expires_on > first_expiry
    expiry = page.locator(f"[data-testid=measure-{freeze.pk}] [data-testid=expires-on]").inner_text()
    assert expiry == freeze.expires_on.isoformat()

    # 扣划 12,000 into the case account
    page.fill(f"{acts} input[name=amount]", "12000")
    page.click(f"{acts} [data-testid=deduct]")
    page.wait_for_selector("[data-testid=deductions] tr[data-status=requested]")
    dispatched()
    page.wait_for_selector("[data-testid=deductions] tr[data-status=done]")
    assert "¥12000.00" in page.locator("[data-testid=deductions]").inner_text()
    assert Deduction.objects.get().status == Deduction.Status.DONE
    assert case_position(case).received == Decimal("12000.00")
    page.reload()
    assert "已到账 ¥12000.00" in page.locator(".facts").inner_text()

    # 查封 the house: 超标的, confirmed with a reason; it waits behind the first sealing court
    page.wait_for_selector(f"[data-testid=asset-{house.pk}] [data-testid=control-button]")
    page.click(f"[data-testid=asset-{house.pk}] [data-testid=control-button]")
    page.wait_for_selector("[data-testid=overreach-message]")
    assert "超标的" in page.locator("[data-testid=overreach-message]").inner_text()
    page.check("[data-testid=confirm-overreach]")
    page.fill("[data-testid=overreach-reason]", "房产为唯一可供执行的不动产，不可分割")
    page.click("[data-testid=overreach] ~ section [data-testid=control-button]")
    page.wait_for_selector("[data-testid=controls] tr[data-measure-kind=seal]")
    seal = ControlMeasure.objects.get(case=case, kind="seal")
    assert seal.overreach["reason"].startswith("房产为唯一")
    dispatched()
    page.wait_for_selector(f"[data-testid=measure-{seal.pk}][data-status=waiting]")
    text = page.locator(f"[data-testid=measure-{seal.pk}]").inner_text()
    assert "轮候第2位" in text and first_court in text
    page.context.close()
