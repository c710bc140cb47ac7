"""指挥中心 in Chromium, on a city loaded through the services (the demo's courts, staff and a few months
of cases in each basic court): the intermediate court's supervisor sees the city screen (KPI cards, the
map and the trend drawn by ECharts), drills into a basic court and one of its judges, and issues a 督办
about one of the judge's cases; the judge answers it and the supervisor closes it; the alert rules raise
an alert on the judge's overdue node, which the judge acknowledges and resolves. The big screen loads
its data and refreshes itself."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from zhixing.cases.demo import demo_cases_seed
from zhixing.cases.models import EnforcementCase
from zhixing.command import services
from zhixing.command.models import Alert, Instruction
from zhixing.command.projection import project_pending
from zhixing.core.demo import DEMO_PASSWORD, demo_seed
from zhixing.core.journal import verify_chains
from zhixing.core.models import User

pytestmark = pytest.mark.browser


def login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{base}/")


def test_supervisor_drills_instructs_and_an_alert_is_resolved(
    live_server: Any, deletable_history: None, browser: Any
) -> None:
    demo_seed()
    today = timezone.localdate()
    demo_cases_seed(today=today)
    assert project_pending() > 0
    supervisor = User.objects.get(username__endswith=".supervisor", court__court_code="浙06")
    base = live_server.url

    page = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000}).new_page()
    page.set_default_timeout(15000)
    login(page, base, supervisor.username)
    page.click("nav.sidebar >> text=指挥中心")
    page.wait_for_selector("[data-testid=screen-title] >> text=绍兴市中级人民法院")
    cards = page.locator("[data-testid=kpi-cards]").inner_text()
    assert "执结率" in cards and "执行到位率" in cards
    page.wait_for_selector("[data-chart=map] canvas")  # ECharts drew the map of the courts
    page.wait_for_selector("[data-chart=trend] canvas")
    ranking = page.locator("[data-testid=ranking-branches]")
    assert ranking.locator("tr[data-name=越城]").count() == 1
    yuecheng = EnforcementCase.objects.filter(court__court_code="浙0602", kind="first")
    row = ranking.locator("tr[data-name=越城]").inner_text()
    assert str(yuecheng.count()) in row.split()  # 新收 as filed

    # drill: the basic court, then a judge with open cases
    ranking.locator("tr[data-name=越城] [data-testid=drill]").click()
    page.wait_for_selector("[data-testid=screen-title] >> text=绍兴市越城区人民法院")
    case = yuecheng.exclude(stage="closed").filter(judge__isnull=False).order_by("filed_on").first()
    assert case is not None and case.judge is not None
    judge = case.judge
    page.locator(f"[data-testid=ranking-judges] tr[data-name={judge.full_name}] [data-testid=drill]").click()
    page.wait_for_selector(f"[data-testid=screen-title] >> text={judge.full_name}")
    assert case.case_number in page.locator("[data-testid=judge-cases]").inner_text()

    # 督办 to the judge about the case
    page.goto(f"{base}/command/instructions/new/")
    page.select_option("[data-testid=kind]", "supervise")
    page.select_option("[data-testid=target-court]", "浙0602")
    page.select_option("[data-testid=target-judge]", str(judge.pk))
    page.fill("[data-testid=case-number]", case.case_number)
    page.fill("[data-testid=subject]", "申请执行人反映执行进展缓慢")
    page.fill("[data-testid=body]", "请核查财产调查与强制措施情况，并书面反馈")
    page.click("[data-testid=issue]")
    page.wait_for_selector(".messages >> text=指令已下达")
    instruction = Instruction.objects.get(case=case)
    assert instruction.target_judge == judge and instruction.status == "issued"

    judge_page = browser.new_context(locale="zh-CN").new_page()
    judge_page.set_default_timeout(15000)
    login(judge_page, base, judge.username)
    judge_page.click("nav.sidebar >> text=交办督办")
    judge_page.click(f"[data-testid=instruction-{instruction.pk}] [data-testid=instruction-link]")
    judge_page.click("[data-testid=acknowledge]")
    judge_page.wait_for_selector(".messages >> text=已签收")
    judge_page.fill("[data-testid=report-body]", "已重新网络查控，冻结存款两笔，拟于本周内扣划")
    judge_page.click("[data-testid=report]")
    judge_page.wait_for_selector("[data-testid=instruction-status] >> text=已反馈")

    page.goto(f"{base}/command/instructions/{instruction.pk}/")
    assert "冻结存款两笔" in page.locator("[data-testid=entries]").inner_text()
    page.fill("[data-testid=review-body]", "同意办结，请按期扣划")
    page.click("[data-testid=accept]")
    page.wait_for_selector("[data-testid=instruction-status] >> text=已办结")

    # the rules raise an alert for the judge's overdue node; the judge acknowledges and resolves it
    services.alerts_sweep(on=today + dt.timedelta(days=200))
    alert = Alert.objects.filter(assignee=judge, rule="node_overdue", status="open").order_by("pk").first()
    assert alert is not None
    judge_page.click("nav.sidebar >> text=监督预警")
    row = judge_page.locator(f"[data-testid=alert-{alert.pk}]")
    row.locator("[data-testid=alert-acknowledge]").click()
    judge_page.wait_for_selector(f"[data-testid=alert-{alert.pk}][data-state=acknowledged]")
    row = judge_page.locator(f"[data-testid=alert-{alert.pk}]")
    row.locator("[data-testid=alert-resolution]").fill("节点事项已办结，已补录")
    row.locator("[data-testid=alert-resolve]").click()
    judge_page.wait_for_selector(".messages >> text=预警已处理完毕")
    alert.refresh_from_db()
    assert alert.status == "resolved" and alert.resolved_by == judge

    # the big screen fetches its data and draws itself
    page.goto(f"{base}/command/screen/?court=浙06")
    page.wait_for_selector("[data-testid=screen-kpi-closure_rate]")
    page.wait_for_selector("[data-chart=map] canvas")
    assert page.locator("[data-field=filed]").inner_text() != "—"
    assert verify_chains().ok
