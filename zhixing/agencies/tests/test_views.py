"""The agencies' screens with the Django test client: service levels and requests for staff (with the
resend of failed requests), and the agency desk where a clerk sees only their agency's requests and
answers them in the protocol's vocabulary."""

# ruff: noqa: F811 - fixtures imported to be used here

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD
from zhixing.agencies import services
from zhixing.agencies.demo import desk_clerks_seed, registry_seed
from zhixing.agencies.models import Agency, AgencyRequest
from zhixing.agencies.protocol import Reply
from zhixing.asset_control import services as asset_services
from zhixing.asset_control.models import Asset, Inquiry
from zhixing.cases.models import CaseParty, EnforcementCase
from zhixing.cases.tests.conftest import World, filed, submit, world  # noqa: F401 - fixtures
from zhixing.core.models import User
from zhixing.core.roles import Role
from zhixing.core.services import external_user_create

S = AgencyRequest.Status
CALLS: list[tuple[AgencyRequest, Reply]] = []


@pytest.fixture(autouse=True)
def _origin() -> None:
    CALLS.clear()
    services.register_origin(
        "test_views", services.Origin(on_reply=lambda r, reply: CALLS.append((r, reply)))
    )


def client_for(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def city(world: World) -> dict[str, Any]:
    """The simulated city's agencies (integrated ones on a dead port: nothing is sent), the grid's clerk."""
    registry_seed(base_url="http://127.0.0.1:9", master_secret="test-secret")
    (grid_clerk,) = desk_clerks_seed(password=PASSWORD)
    return {"grid": Agency.objects.get(code="GRID-SX"), "grid_clerk": grid_clerk}


def desk_agency(code: str, username: str) -> tuple[Agency, User]:
    """A bank without integration and its desk clerk."""
    agency = services.agency_register(code=code, name=f"{code}银行", kind="bank")
    clerk = external_user_create(
        username=username, full_name="柜员", role=Role.AGENCY_CLERK, password=PASSWORD
    )
    services.agency_member_add(user=clerk, agency=agency)
    return agency, clerk


def debtor(case: EnforcementCase) -> Any:
    return case.parties.get(role=CaseParty.Role.DEBTOR).party


def notice(
    agency: Agency, case: EnforcementCase, text: str = "请协助向被执行人送达执行通知书"
) -> AgencyRequest:
    return services.request_create(
        agency=agency,
        act="assistance_notice",
        court=case.court,
        case=case,
        subject=debtor(case),
        officer=case.judge,
        purpose=f"执行{case.case_number}案件，协助送达",
        legal_basis=[{"law": "中华人民共和国民事诉讼法", "article": "第251条"}],
        payload={"text": text},
        origin="test_views",
    )


def test_service_levels_for_staff_within_a_query_budget(
    world: World,
    city: dict[str, Any],
    filed: EnforcementCase,
    make_user: Callable[..., User],
    django_assert_max_num_queries: Any,
) -> None:
    icbc = Agency.objects.get(code="ICBC-SX")
    now = timezone.now()
    for hours in (1, 3):
        row = services.request_create(
            agency=icbc,
            act="inquiry",
            court=filed.court,
            case=filed,
            subject=debtor(filed),
            purpose="查询",
            legal_basis=[{"law": "民事诉讼法", "article": "第253条"}],
            origin="test_views",
        )
        AgencyRequest.objects.filter(pk=row.pk).update(
            status=S.ANSWERED,
            reply_status="completed",
            first_sent_at=now - dt.timedelta(hours=hours),
            answered_at=now,
        )
    late = notice(city["grid"], filed)
    AgencyRequest.objects.filter(pk=late.pk).update(due_at=now - dt.timedelta(hours=1))
    c = client_for(world.judge_fast)
    with django_assert_max_num_queries(10):
        r = c.get("/agencies/")
    body = r.content.decode()
    assert r.status_code == 200
    icbc_row = body.split('data-agency="ICBC-SX"')[1].split("</tr>")[0]
    assert "2.0 小时" in icbc_row and "3.0 小时" in icbc_row and "已对接" in icbc_row
    grid_row = body.split('data-agency="GRID-SX"')[1].split("</tr>")[0]
    assert "工作台人工答复" in grid_row and "?overdue=1" in grid_row
    assert 'href="/agencies/ICBC-SX/requests/"' in body
    for role, court in (
        (Role.SUPERVISOR, "浙06"),
        (Role.COMMAND_OPERATOR, "浙06"),
        (Role.BUREAU_CHIEF, "浙0602"),
    ):
        assert client_for(make_user(role, court)).get("/agencies/").status_code == 200
    for outsider in (city["grid_clerk"], world.lawyer):
        assert client_for(outsider).get("/agencies/").status_code == 403
        assert client_for(outsider).get("/agencies/ICBC-SX/requests/").status_code == 403


def test_requests_page_filters_and_resends_a_failed_request(
    world: World, city: dict[str, Any], filed: EnforcementCase, make_user: Callable[..., User]
) -> None:
    grid = city["grid"]
    failed, waiting = notice(grid, filed, "第一份"), notice(grid, filed, "第二份")
    services.request_fail(request_pk=failed.pk, error="connection refused")
    AgencyRequest.objects.filter(pk=waiting.pk).update(due_at=timezone.now() - dt.timedelta(hours=2))
    c = client_for(world.judge_fast)
    body = c.get("/agencies/GRID-SX/requests/").content.decode()
    assert body.count("data-request=") == 2 and "协助执行通知" in body and filed.case_number in body
    assert body.count('data-testid="retry"') == 1 and "connection refused" in body
    body = c.get("/agencies/GRID-SX/requests/?status=failed").content.decode()
    assert f'data-request="{failed.pk}"' in body and f'data-request="{waiting.pk}"' not in body
    body = c.get("/agencies/GRID-SX/requests/?overdue=1").content.decode()
    assert f'data-request="{waiting.pk}"' in body and f'data-request="{failed.pk}"' not in body
    assert "逾期" in body
    # a supervisor sees the list but may not resend
    sup = client_for(make_user(Role.SUPERVISOR, "浙06"))
    assert 'data-testid="retry"' not in sup.get("/agencies/GRID-SX/requests/").content.decode()
    r = sup.post(
        f"/agencies/requests/{failed.pk}/retry", {"next": "/agencies/GRID-SX/requests/"}, follow=True
    )
    assert "无权重新发送该请求" in r.content.decode()
    # another court sees nothing of ours
    assert (
        "data-request="
        not in client_for(world.other_judge).get("/agencies/GRID-SX/requests/").content.decode()
    )
    r = c.post(f"/agencies/requests/{failed.pk}/retry", {"next": "/agencies/GRID-SX/requests/?status=failed"})
    assert r.status_code == 302 and r.headers["Location"] == "/agencies/GRID-SX/requests/?status=failed"
    failed.refresh_from_db()
    assert failed.status == S.QUEUED and failed.attempts == 0
    assert "已重新发送" in c.get(r.headers["Location"]).content.decode()
    assert c.get("/agencies/NOPE/requests/").status_code == 404


def test_an_agency_clerk_sees_only_their_agency_and_only_the_desk_menu(
    world: World, city: dict[str, Any], filed: EnforcementCase
) -> None:
    other, other_clerk = desk_agency("T-DESK", "desk-other")
    mine = notice(city["grid"], filed)
    theirs = services.request_create(
        agency=other,
        act="inquiry",
        court=filed.court,
        case=filed,
        subject=debtor(filed),
        purpose="查询",
        legal_basis=[{"law": "民事诉讼法", "article": "第253条"}],
        origin="test_views",
    )
    grid = client_for(city["grid_clerk"])
    body = grid.get("/agencies/desk/").content.decode()
    assert f'data-request="{mine.pk}"' in body and f'data-request="{theirs.pk}"' not in body
    assert grid.get(f"/agencies/desk/{theirs.pk}/").status_code == 404
    assert grid.post(f"/agencies/desk/{theirs.pk}/", {"outcome": "none"}).status_code == 404
    body = client_for(other_clerk).get("/agencies/desk/").content.decode()
    assert f'data-request="{theirs.pk}"' in body and f'data-request="{mine.pk}"' not in body
    # the clerk's menu: the desk and the account, nothing of the courts
    nav = grid.get("/agencies/desk/").content.decode().split('<nav class="sidebar"')[1].split("</nav>")[0]
    assert nav.count("<a ") == 2 and 'href="/agencies/desk/"' in nav and 'href="/account/"' in nav
    assert grid.get(f"/cases/{filed.pk}/").status_code == 404
    # court staff have no desk; their menu has the agencies and the batch inquiry
    judge = client_for(world.judge_fast)
    assert judge.get("/agencies/desk/").status_code == 403
    home = judge.get("/").content.decode()
    assert 'href="/agencies/"' in home and 'href="/asset-control/batches/"' in home
    assert 'href="/agencies/desk/"' not in home


def test_the_grid_acknowledges_an_assistance_notice_on_the_desk(
    city: dict[str, Any], filed: EnforcementCase
) -> None:
    row = notice(city["grid"], filed)
    AgencyRequest.objects.filter(pk=row.pk).update(due_at=timezone.now() - dt.timedelta(minutes=5))
    c = client_for(city["grid_clerk"])
    body = c.get("/agencies/desk/").content.decode()
    assert filed.case_number in body and "协助执行通知" in body and "绍兴市越城区人民法院" in body
    assert "中华人民共和国民事诉讼法第251条" in body and "已逾期" in body and "协助送达" in body
    body = c.get(f"/agencies/desk/{row.pk}/").content.decode()
    party = debtor(filed)
    assert party.name in body and "请协助向被执行人送达执行通知书" in body
    r = c.post(f"/agencies/desk/{row.pk}/", {"outcome": "rejected", "reason": " "})
    assert r.status_code == 400 and "不能办理的须写明理由" in r.content.decode()
    assert not CALLS
    r = c.post(
        f"/agencies/desk/{row.pk}/", {"outcome": "completed", "note": "已于今日送达被执行人"}, follow=True
    )
    assert "已答复" in r.content.decode()
    row.refresh_from_db()
    assert (
        row.status == S.ANSWERED and row.reply_status == "completed" and row.answered_by == city["grid_clerk"]
    )
    assert row.reply == {"acknowledged": True, "note": "已于今日送达被执行人"}
    assert len(CALLS) == 1 and CALLS[0][1].result["acknowledged"] is True
    body = c.get(f"/agencies/desk/{row.pk}/").content.decode()
    assert "desk-answer" not in body and "已办理" in body
    r = c.post(f"/agencies/desk/{row.pk}/", {"outcome": "completed", "note": "again"})
    assert r.status_code == 400 and "该请求已答复" in r.content.decode()


def test_a_bank_without_integration_answers_an_inquiry_by_hand(filed: EnforcementCase) -> None:
    bank, clerk = desk_agency("T-DESK", "desk-bank")
    assert filed.judge is not None
    inquiry = asset_services.inquiry_start(actor=filed.judge, case_id=filed.pk)
    row = AgencyRequest.objects.get(case=filed, agency=bank)
    c = client_for(clerk)
    body = c.get(f"/agencies/desk/{row.pk}/").content.decode()
    assert "查询" in body and 'name="description_0"' in body and "未查到财产" in body
    r = c.post(
        f"/agencies/desk/{row.pk}/",
        {
            "outcome": "completed",
            "kind_0": "bank_deposit",
            "description_0": "借记卡 尾号0001",
            "value_0": "abc",
        },
    )
    assert r.status_code == 400 and "价值格式不正确" in r.content.decode()
    r = c.post(f"/agencies/desk/{row.pk}/", {"outcome": "completed"})
    assert r.status_code == 400 and "未查到" in r.content.decode()
    r = c.post(
        f"/agencies/desk/{row.pk}/",
        {
            "outcome": "completed",
            "kind_0": "bank_deposit",
            "description_0": "借记卡 尾号0001",
            "value_0": "8,500.5",
            "kind_2": "vehicle",
            "description_2": "浙D12345 小型轿车",
        },
    )
    assert r.status_code == 302 and r.headers["Location"] == "/agencies/desk/"
    assets = {a.kind: a for a in Asset.objects.filter(case=filed)}
    assert (
        assets["bank_deposit"].value == Decimal("8500.50")
        and assets["bank_deposit"].agency_ref == f"T-DESK:DESK-{row.pk}-1"
    )
    assert assets["vehicle"].value is None and assets["vehicle"].description == "浙D12345 小型轿车"
    inquiry = Inquiry.objects.get(pk=inquiry.pk)
    assert inquiry.completed_at is not None and inquiry.assets_found == 2
