"""The command-center pages: who sees what, drill-down, exports, the big screen's data, the monthly PDF,
and query budgets that do not grow with the data."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from zhixing.cases import services as case_services
from zhixing.cases.models import CaseApplication, EnforcementCase
from zhixing.cases.tests.conftest import World
from zhixing.command import services
from zhixing.command.models import Alert
from zhixing.command.projection import project_pending
from zhixing.core.models import User
from zhixing.core.roles import Role

pytestmark = pytest.mark.django_db
PERIOD = "from=2026-07-01&to=2026-12-31"


def client_for(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def supervisor(make_user: Callable[..., User]) -> User:
    return make_user(Role.SUPERVISOR, "浙06", full_name="中院监督员")


def _more_cases(world: World, submit: Callable[..., CaseApplication], n: int) -> None:
    for k in range(n):
        app = submit(n=10 + k, title={"document_number": f"（2026）浙0602民初{300 + k}号"})
        case_services.application_accept(
            actor=world.clerk, application_id=app.pk, on=dt.date(2026, 11, 3 + k)
        )


def _queries(c: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = c.get(url)
        assert r.status_code == 200, r.content[:500]
    return len(ctx.captured_queries)


def test_the_city_screen_drills_down_and_its_queries_do_not_grow_with_the_data(
    world: World, filed: EnforcementCase, supervisor: User, submit: Callable[..., CaseApplication]
) -> None:
    project_pending()
    c = client_for(supervisor)
    assert c.get("/command/")["Location"] == "/command/courts/%E6%B5%9906/"
    city = f"/command/courts/浙06/?{PERIOD}"
    page = c.get(city).content.decode()
    assert "越城" in page and "柯桥" in page and 'data-chart="map"' in page and "执结率" in page
    small = _queries(c, city)
    _more_cases(world, submit, 5)
    project_pending()
    assert _queries(c, city) == small <= 35
    court = c.get(f"/command/courts/浙0602/?{PERIOD}").content.decode()
    assert world.fast.name in court and 'data-testid="ranking-judges"' in court
    team = c.get(f"/command/teams/{world.fast.pk}/?{PERIOD}").content.decode()
    judge = filed.judge
    assert judge is not None and judge.full_name in team
    page = c.get(f"/command/judges/{judge.pk}/?{PERIOD}").content.decode()
    assert filed.case_number in page
    assert _queries(c, f"/command/judges/{judge.pk}/?{PERIOD}") <= 30


def test_who_sees_which_screen(world: World, filed: EnforcementCase, supervisor: User) -> None:
    judge = filed.judge
    assert judge is not None
    jc = client_for(judge)
    assert jc.get("/command/")["Location"] == f"/command/judges/{judge.pk}/"
    assert jc.get(f"/command/judges/{judge.pk}/").status_code == 200
    assert jc.get("/command/courts/浙0602/").status_code == 404  # a judge is no command center
    assert jc.get(f"/command/judges/{world.judge_complex.pk}/").status_code == 404
    assert jc.get(f"/command/teams/{world.complex.pk}/").status_code == 404
    chief = client_for(world.chief)
    assert chief.get("/command/courts/浙0602/").status_code == 200
    assert chief.get("/command/courts/浙06/").status_code == 404  # not the upper court
    assert chief.get("/command/courts/浙0603/").status_code == 404  # nor a neighbour
    assert client_for(world.other_judge).get(f"/command/judges/{judge.pk}/").status_code == 404
    bad = client_for(supervisor).get("/command/courts/浙06/?from=2026-13-01", follow=True).content.decode()
    assert "日期格式应为" in bad


def test_exports_as_csv_and_xlsx(world: World, filed: EnforcementCase, supervisor: User) -> None:
    from openpyxl import load_workbook

    project_pending()
    c = client_for(supervisor)
    r = c.get(f"/command/courts/浙06/?{PERIOD}&table=branches&format=csv")
    assert r["Content-Type"].startswith("text/csv") and "filename*=UTF-8''" in r["Content-Disposition"]
    text = r.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("名次,单位,旧存,新收") and "越城" in text
    r = c.get(f"/command/courts/浙06/?{PERIOD}&table=branches&format=xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws is not None
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("名次", "单位", "旧存")
    yuecheng = next(row for row in rows if row[1] == "越城")
    assert yuecheng[3] == 1  # 新收 1
    services.alerts_sweep(on=dt.date(2027, 3, 1))
    csv_alerts = c.get("/command/alerts/?format=csv").content.decode("utf-8-sig")
    assert filed.case_number in csv_alerts
    assert c.get("/command/instructions/?format=xlsx").status_code == 200
    assert (
        c.get("/command/evaluation/?court=浙06&format=csv")
        .content.decode("utf-8-sig")
        .startswith("名次,姓名")
    )


def test_big_screen_data_and_monthly_report(world: World, filed: EnforcementCase, supervisor: User) -> None:
    project_pending()
    c = client_for(supervisor)
    page = c.get("/command/screen/?court=浙06").content.decode()
    assert 'data-refresh="' in page and "screen/data.json" in page
    data = c.get(f"/command/screen/data.json?court=浙06&{PERIOD}").json()
    assert data["totals"]["filed"] == 1 and data["as_of"]
    assert {k["code"] for k in data["kpis"]} >= {"closure_rate", "recovery_rate"}
    assert any(
        b["code"] == "浙0602" and b["url"].startswith("/command/courts/") for b in data["chart"]["branches"]
    )
    pdf = c.get("/command/courts/浙06/report/2026-11.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert c.get("/command/courts/浙06/report/2026-13.pdf").status_code == 404
    assert client_for(world.judge_fast).get("/command/screen/data.json?court=浙06").status_code == 404


def test_alert_and_instruction_pages(world: World, filed: EnforcementCase, supervisor: User) -> None:
    services.alerts_sweep(on=dt.date(2027, 3, 1))
    judge = filed.judge
    assert judge is not None
    alert = Alert.objects.filter(assignee=judge).first()
    assert alert is not None
    jc = client_for(judge)
    page = jc.get("/command/alerts/?mine=1").content.decode()
    assert alert.title in page
    r = jc.post(f"/command/alerts/{alert.pk}/resolve", {"resolution": ""}, follow=True)
    assert "请填写处理情况" in r.content.decode()
    jc.post(f"/command/alerts/{alert.pk}/resolve", {"resolution": "已办", "next": "/command/alerts/"})
    alert.refresh_from_db()
    assert alert.status == "resolved"
    assert client_for(world.other_judge).post(f"/command/alerts/{alert.pk}/acknowledge").status_code == 404
    sc = client_for(supervisor)
    r = sc.post(
        "/command/instructions/new/",
        {
            "kind": "supervise",
            "target_court": "浙0602",
            "subject": "",
            "body": "x",
            "case_number": filed.case_number,
        },
    )
    assert r.status_code == 400 and "请填写事项" in r.content.decode()
    r = sc.post(
        "/command/instructions/new/",
        {
            "kind": "supervise",
            "target_court": "浙0602",
            "subject": "督促执行",
            "body": "请反馈",
            "case_number": filed.case_number,
        },
    )
    assert r.status_code == 302
    url = r["Location"]
    assert jc.get("/command/instructions/?box=received").content.decode().count("督促执行") == 1
    jc.post(url, {"act": "report", "body": "已办理"})
    sc.post(url, {"act": "accept", "body": "同意"})
    assert "已办结" in sc.get(url).content.decode()
    assert client_for(world.judge_fast if world.judge_fast != judge else world.judge_complex).get(
        url
    ).status_code in (200, 404)
    assert client_for(world.other_judge).get(url).status_code == 404
    assert jc.get("/command/instructions/new/").status_code == 404


def test_the_city_screen_shows_the_agencies_answer_times(
    world: World, filed: EnforcementCase, supervisor: User
) -> None:
    from zhixing.agencies import services as agency_services
    from zhixing.command.templatetags.command_tags import duration_s

    bank = agency_services.agency_register(code="BANK-T", name="测试银行", kind="bank", acts=["inquiry"])
    agency_services.request_create(
        agency=bank,
        act="inquiry",
        court=world.court,
        purpose="查询被执行人存款",
        legal_basis=[{"law": "民事诉讼法", "article": "第二百五十三条"}],
        origin="asset_control",
        case=filed,
    )
    page = client_for(supervisor).get(f"/command/courts/浙06/?{PERIOD}").content.decode()
    assert 'data-testid="agency-times"' in page and "测试银行" in page
    assert (duration_s(None), duration_s(30), duration_s(600), duration_s(9000)) == (
        "—",
        "30 秒",
        "10 分钟",
        "2.5 小时",
    )


def test_the_workbench_says_what_waits_for_the_user(
    world: World, filed: EnforcementCase, supervisor: User
) -> None:
    judge = filed.judge
    assert judge is not None
    assert 'data-testid="waiting"' not in client_for(judge).get("/").content.decode()
    services.alerts_sweep(on=dt.date(2027, 3, 1))
    services.instruction_issue(
        actor=supervisor, kind="assign", subject="x", body="y", target_court_code="浙0602", case_id=filed.pk
    )
    page = client_for(judge).get("/").content.decode()
    assert "监督预警" in page and "交办督办待反馈 1 件" in page
