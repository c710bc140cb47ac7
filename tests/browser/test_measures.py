"""强制措施 in Chromium: the judge reviews a case whose debtor let the performance notice lapse and
takes the 限制消费 proposal; after the debtor refuses to report property, the 失信 proposal; the
president approves both on the approvals page; a partner checks the debtor over the HTTP API (singly
and in a batch of 1,000) and finds them listed, as does the public page; the debtor pays in full; the
judge lifts the restriction and deletes the listing; the partner and the public page no longer find
them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.browser.test_shell import login
from zhixing.cases import services as case_services
from zhixing.cases.tests.conftest import parties, title
from zhixing.core import identity
from zhixing.core.demo import resident_id
from zhixing.core.journal import verify_chains
from zhixing.core.models import Team, User
from zhixing.core.roles import Role
from zhixing.measures import lists
from zhixing.measures.models import Measure, Proposal

pytestmark = pytest.mark.browser


def notice_delivered(judge: User, case: Any, on: dt.date) -> None:
    from zhixing.documents.models import Delivery
    from zhixing.documents.services import delivery_record_receipt, delivery_send

    case_services.case_act(actor=judge, case_id=case.pk, kind="performance_notice.issued", on=on)
    for d in Delivery.objects.filter(document__stream=case.stream, document__kind="performance_notice"):
        delivery_send(actor=judge, delivery=d, tracking_number="EMS1234567890CN")
        delivery_record_receipt(actor=judge, delivery=d, received_on=on + dt.timedelta(days=2))


def others(n: int) -> list[str]:
    """``n`` valid resident IDs of people on no list."""
    first = dt.date(1960, 1, 1)
    return [resident_id("330603", (first + dt.timedelta(days=i)).strftime("%Y%m%d"), 500) for i in range(n)]


def test_restrict_list_approve_check_pay_and_release(
    live_server: Any,
    deletable_history: None,
    browser: Any,
    monkeypatch: pytest.MonkeyPatch,
    make_user: Callable[..., User],
    make_team: Callable[..., Team],
) -> None:
    monkeypatch.setattr(lists, "INDEX", lists.ListIndex(refresh_seconds=0))  # no stale index from other tests
    fast = make_team("浙0602", name="快执1组", track=Team.Track.FAST)
    make_team("浙0602", name="精执1组", track=Team.Track.COMPLEX)
    clerk = make_user(Role.CLERK, "浙0602", team=fast)
    judge = make_user(Role.JUDGE, "浙0602", team=fast, full_name="王法官")
    president = make_user(Role.PRESIDENT, "浙0602", full_name="院长")
    assert clerk.court is not None
    app = case_services.application_submit(
        actor=clerk,
        court=clerk.court,
        title=title(),
        parties=parties(),
        jurisdiction_basis="first_instance",
        materials=["application", "title", "identity"],
        received_on=dt.date(2026, 11, 2),
    )
    case = case_services.application_accept(actor=clerk, application_id=app.pk, on=dt.date(2026, 11, 3))
    assert case.judge == judge
    notice_delivered(judge, case, dt.date(2026, 11, 4))  # the period to perform has passed since
    debtor = case.parties.get(role="debtor").party
    number = identity.decrypt(debtor.id_cipher)
    base = live_server.url
    partner, key = lists.partner_create(name="某航空公司", kind="airline")
    api = httpx.Client(
        base_url=f"{base}/api/v1/measures/partners", headers={"X-Partner-Key": key}, timeout=30
    )

    def single() -> dict[str, Any]:
        r = api.post("/check", json={"id_number": number})
        assert r.status_code == 200, r.text
        return dict(r.json())

    def public(query: str) -> Any:
        p = browser.new_context(locale="zh-CN").new_page()  # no login
        p.set_default_timeout(15000)
        p.goto(f"{base}/public/lists/")
        p.fill("[data-testid=public-q]", query)
        p.click("[data-testid=public-submit]")
        p.wait_for_selector("[data-testid=public-results]")
        return p

    page = browser.new_context(locale="zh-CN").new_page()
    page.set_default_timeout(15000)
    login(page, base, judge)
    page.goto(f"{base}/cases/{case.pk}/")
    page.wait_for_selector("[data-testid=measures-panel]")
    assert "暂无措施建议" in page.locator("[data-testid=proposals]").inner_text()

    def review() -> None:
        page.click("[data-testid=measures-review]")
        page.wait_for_selector(".messages >> text=审查完毕")
        page.wait_for_selector("[data-testid=measures-panel]")

    def take(kind: str, state: str) -> None:
        p = Proposal.objects.get(case=case, kind=kind, status=Proposal.Status.OPEN)
        page.fill(f"[data-testid=proposal-acts-{p.pk}] [data-testid=decide-note]", "依法决定采取")
        page.click(f"[data-testid=proposal-acts-{p.pk}] [data-testid=take]")
        page.wait_for_selector(f"[data-testid=proposal-{p.pk}][data-state={state}]")

    # 立即审查: 限制消费 is due (the notice's period passed); the judge takes it, for the president
    review()
    row = page.locator("[data-testid=proposals] tr[data-kind=consumption_restriction][data-state=open]")
    assert "依法应当" in row.inner_text() and "《最高人民法院关于限制被执行人高消费" in row.inner_text()
    take("consumption_restriction", "approval")
    assert "已报院长批准" in page.locator(".messages").inner_text()

    # the debtor refused to report property (the case page's act), so 失信 is due on that ground
    form = page.locator("form.act:has(button[data-act='asset_report.violated'])")
    form.locator("input[name=note]").fill("逾期拒不报告财产")
    form.locator("button").click()
    page.wait_for_selector(".messages >> text=已办理")
    page.wait_for_selector("[data-testid=measures-panel]")
    review()
    row = page.locator("[data-testid=proposals] tr[data-kind=dishonest_listing][data-state=open]")
    text = row.inner_text()
    assert "违反财产报告制度" in text and "履行能力" in text
    assert row.locator("[data-testid=ability]").count() == 1
    take("dishonest_listing", "approval")
    page.context.close()

    # the president approves both on the approvals page
    boss = browser.new_context(locale="zh-CN").new_page()
    boss.set_default_timeout(20000)
    login(boss, base, president)
    boss.goto(f"{base}/approvals/")
    assert boss.locator(".approval").count() == 2
    for left in (1, 0):
        with boss.expect_navigation():
            boss.locator(".approval button[value=approve]").first.click()
        assert "审批已记录" in boss.locator(".messages").inner_text()
        assert boss.locator(".approval").count() == left
    boss.context.close()

    # the case page shows both measures with their document numbers
    page = browser.new_context(locale="zh-CN").new_page()
    page.set_default_timeout(15000)
    login(page, base, judge)
    page.goto(f"{base}/cases/{case.pk}/")
    restriction = Measure.objects.get(case=case, kind="consumption_restriction")
    listing = Measure.objects.get(case=case, kind="dishonest_listing")
    for m in (restriction, listing):
        assert m.document_number
        cell = page.locator(f"[data-testid=coercive-{m.pk}][data-state=active] [data-testid=document-number]")
        assert cell.inner_text() == m.document_number
        assert cell.locator("a").get_attribute("href", timeout=5000) is not None
    assert "（2 年）" in page.locator(f"[data-testid=coercive-{listing.pk}] [data-testid=term]").inner_text()

    # a partner checks the debtor over the HTTP API: singly, and in a batch of 1,000
    result = single()
    assert result["listed"] and set(result["lists"]) == {"dishonest", "consumption"}
    batch = others(999)
    batch.insert(500, number)
    r = api.post("/check-batch", json={"id_numbers": batch})
    assert r.status_code == 200, r.text
    answers = r.json()
    assert len(answers) == 1000 and all(a["valid"] for a in answers)
    assert [i for i, a in enumerate(answers) if a["listed"]] == [500]
    # the public page shows the published fields, the ID masked
    p = public(debtor.name)
    assert p.locator("[data-testid=public-entry]").count() == 2
    shown = p.locator("[data-testid=public-results]").inner_text()
    assert debtor.id_masked in shown and case.case_number in shown and number not in p.content()
    p.context.close()

    # the debtor pays in full
    from zhixing.funds.selectors import case_account_of
    from zhixing.funds.services import receipt_record

    account = case_account_of(case)
    assert account is not None
    receipt_record(
        court=case.court, account_number=account.number, amount=case.claim_amount, idempotency_key="pay-all"
    )

    # credit repair: lifting is due, early deletion allowed; the judge takes both
    review()
    row = page.locator("[data-testid=proposals] tr[data-kind=restriction_lifting][data-state=open]")
    assert "依法应当" in row.inner_text()
    take("restriction_lifting", "done")
    take("listing_deletion", "done")
    for m in (restriction, listing):
        page.wait_for_selector(f"[data-testid=coercive-{m.pk}][data-state=lifted]")
    page.context.close()
    assert not single()["listed"]
    p = public(debtor.name)
    p.wait_for_selector("[data-testid=public-none]")
    p.context.close()
    api.close()
    assert partner.checks.count() == 3
    assert verify_chains().ok
