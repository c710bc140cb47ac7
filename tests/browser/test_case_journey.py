"""A case from counter registration to 终本 and restoring, through the UI in Chromium."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.test_shell import login
from zhixing.cases.models import EnforcementCase
from zhixing.core.demo import resident_id
from zhixing.core.journal import verify_chains
from zhixing.core.models import Team, User
from zhixing.core.roles import Role

pytestmark = pytest.mark.browser


BOOSTED_IDLE = "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"


def test_case_journey(
    live_server: Any, browser: Any, make_user: Callable[..., User], make_team: Callable[..., Team]
) -> None:
    fast = make_team("浙0602", name="快执1组", track=Team.Track.FAST)
    make_team("浙0602", name="精执1组", track=Team.Track.COMPLEX)
    clerk = make_user(Role.CLERK, "浙0602", team=fast)
    judge = make_user(Role.JUDGE, "浙0602", team=fast, full_name="王法官")
    base = live_server.url

    page = browser.new_context(locale="zh-CN").new_page()
    page.set_default_timeout(15000)
    login(page, base, clerk)
    page.goto(f"{base}/cases/applications/")
    page.select_option("select[name=title_kind]", "judgment")
    page.fill("input[name=issuing_body]", "绍兴市越城区人民法院")
    page.fill("input[name=issuing_court_code]", "浙0602")
    page.fill("input[name=document_number]", "（2026）浙0602民初888号")
    page.fill("input[name=effective_on]", "2026-09-01")
    page.fill("input[name=performance_deadline]", "2026-09-15")
    page.fill("input[name=principal]", "30000")
    page.fill("input[name=applicant_name]", "王建华")
    page.fill("input[name=applicant_id]", resident_id("330602", "19750505", 201))
    page.fill("input[name=debtor_name]", "李某")
    page.fill("input[name=debtor_id]", resident_id("330602", "19800101", 101))
    page.fill("input[name=debtor_address]", "越城区某路1号")
    page.select_option("select[name=jurisdiction_basis]", "first_instance")
    for m in ["application", "title", "identity"]:
        page.check(f"input[name=materials][value={m}]")
    page.click("form.stacked button.primary")
    page.wait_for_selector("[data-testid=review]")
    assert "符合立案条件" in page.locator("[data-testid=review]").inner_text()
    page.click("button[value=accept]")
    page.wait_for_selector("[data-testid=case-number]")
    number = page.locator("[data-testid=case-number]").inner_text()
    assert "浙0602执1号" in number
    case = EnforcementCase.objects.get()
    assert case.team == fast and case.judge == judge
    page.context.close()

    page = browser.new_context(locale="zh-CN").new_page()
    page.set_default_timeout(20000)
    login(page, base, judge)
    page.goto(f"{base}/cases/")
    page.click(f"text={case.case_number}")
    # 终本 first: refused with the missing items listed
    page.select_option("select[name=mode]", "no_assets_closure")
    page.click("[data-testid=close-card] button.primary")
    page.wait_for_selector("[data-testid=checklist]")
    missing = page.locator("[data-testid=checklist]").inner_text()
    assert "执行通知" in missing and "超过3个月" in missing

    # do the steps — the forms are boosted (htmx): each waits for its own answer and the swap, since
    # the previous act's "已办理" is still on the page and a click on a form being swapped is lost
    def submitted(click: Any) -> None:
        with page.expect_response(lambda r: r.request.method == "POST"):
            click()
        page.wait_for_function(
            "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
        )
        page.wait_for_selector("text=已办理")

    for kind in ["performance_notice.issued", "asset_report_order.issued"]:
        submitted(page.locator(f"button[data-act='{kind}']").click)
    for kind, note in [
        ("asset_report.handled", "被执行人报告无财产"),
        ("network_inquiry.done", "总对总查询无财产"),
        ("applicant.interviewed", "申请人同意终本"),
    ]:
        form = page.locator(f"form.act:has(button[data-act='{kind}'])")
        form.locator("input[name=note]").fill(note)
        submitted(form.locator("button").click)
    submitted(lambda: page.click("button[data-act='consumption_restriction.issued']"))
    EnforcementCase.objects.filter(pk=case.pk).update(filed_on=dt.date(2026, 1, 5))  # filed long ago
    page.reload()
    page.select_option("select[name=mode]", "no_assets_closure")
    page.check("input[name=applicant_consents]")
    page.click("[data-testid=close-card] button.primary")
    page.wait_for_selector("[data-testid=closing-mode]")
    assert page.locator("[data-testid=closing-mode]").inner_text() == "终结本次执行程序"
    # restoring
    page.fill("form[action$='/restore/'] textarea[name=reason]", "申请人发现被执行人新购车辆")
    page.click("form[action$='/restore/'] button")
    page.wait_for_selector("text=执恢1号")
    assert "恢复执行" in page.locator("h1").inner_text()
    page.context.close()
    assert verify_chains().ok
