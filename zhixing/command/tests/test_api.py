"""/api/v1/command: KPIs with a query budget, alerts and instructions through the same services."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from zhixing.cases.models import EnforcementCase
from zhixing.cases.tests.conftest import World
from zhixing.command import services
from zhixing.command.projection import project_pending
from zhixing.core.auth import api_token_issue
from zhixing.core.models import User
from zhixing.core.roles import Role

pytestmark = pytest.mark.django_db


def auth(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token_issue(user=user, name='t')[1]}"}


def post(url: str, data: dict[str, Any], headers: dict[str, str]) -> Any:
    return Client().post(url, data=json.dumps(data), content_type="application/json", headers=headers)


def test_kpis_instructions_and_alerts_over_the_api(
    world: World, filed: EnforcementCase, make_user: Callable[..., User]
) -> None:
    supervisor = make_user(Role.SUPERVISOR, "浙06")
    s, j = auth(supervisor), auth(world.judge_fast)
    project_pending()
    url = "/api/v1/command/kpis?court=浙06&start=2026-07-01&end=2026-12-31"
    with CaptureQueriesContext(connection) as ctx:
        r = Client().get(url, headers=s)
    assert r.status_code == 200 and len(ctx.captured_queries) <= 15
    body = r.json()
    assert body["compare_start"] == "2025-07-01"
    yuecheng = next(u for u in body["units"] if u["name"] == "越城")
    assert yuecheng["filed"] == 1 and yuecheng["pending"] == 1
    assert {k["code"] for k in body["kpis"]} >= {"closure_rate", "voluntary_performance_rate"}
    by_judge = Client().get(url.replace("浙06", "浙0602") + "&group=judge", headers=s).json()
    assert sum(u["filed"] for u in by_judge["units"]) == 1
    assert Client().get(url, headers=j).status_code == 404
    bad = Client().get(url + "&group=planet", headers=s)
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "group"

    r = post(
        "/api/v1/command/instructions",
        {
            "kind": "supervise",
            "subject": "督促",
            "body": "请反馈",
            "target_court": "浙0602",
            "case_number": filed.case_number,
        },
        s,
    )
    assert r.status_code == 201, r.content
    i = r.json()
    assert i["target_judge"] == filed.judge.full_name if filed.judge else False
    refused = post(f"/api/v1/command/instructions/{i['id']}/report", {"body": " "}, j)
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "body_required"
    assert (
        post(f"/api/v1/command/instructions/{i['id']}/report", {"body": "已办"}, j).json()["status"]
        == "answered"
    )
    done = post(f"/api/v1/command/instructions/{i['id']}/review", {"accept": True}, s).json()
    assert done["status"] == "closed" and [e["kind"] for e in done["entries"]] == ["report", "acceptance"]
    assert (
        post(
            f"/api/v1/command/instructions/{i['id']}/review", {"accept": True}, auth(world.other_judge)
        ).status_code
        == 404
    )

    services.alerts_sweep(on=dt.date(2027, 3, 1))
    mine = Client().get("/api/v1/command/alerts?mine=true", headers=j).json()
    assert mine and all(a["assignee"] == world.judge_fast.full_name for a in mine)
    first = mine[0]["id"]
    assert post(f"/api/v1/command/alerts/{first}/resolve", {"resolution": ""}, j).status_code == 400
    assert (
        post(f"/api/v1/command/alerts/{first}/resolve", {"resolution": "已办"}, j).json()["status"]
        == "resolved"
    )


def test_a_spot_check_over_the_api(
    world: World, filed: EnforcementCase, make_user: Callable[..., User]
) -> None:
    supervisor = make_user(Role.SUPERVISOR, "浙06")
    r = post(
        "/api/v1/command/no-assets-checks",
        {"case_number": filed.case_number, "compliant": False},
        auth(supervisor),
    )
    assert r.status_code == 400 and r.json()["error"]["code"] == "not_no_assets"
    r = post(
        "/api/v1/command/no-assets-checks",
        {"case_number": "（2099）浙0602执1号", "compliant": True},
        auth(supervisor),
    )
    assert r.status_code == 404


def test_rebuilding_the_rollups_gives_the_same_figures(world: World, filed: EnforcementCase) -> None:
    from django.core.management import call_command

    from zhixing.command.models import Rollup

    project_pending()
    before = sorted(Rollup.objects.values_list("day", "unit", "filed", "closed", "nodes_overdue"))
    call_command("command_rollups", "--rebuild", verbosity=0)
    assert sorted(Rollup.objects.values_list("day", "unit", "filed", "closed", "nodes_overdue")) == before
