"""The web shell in a real browser: login, home per role, scoping."""

from collections.abc import Callable
from typing import Any

import pytest

from conftest import PASSWORD
from zhixing.core.models import User
from zhixing.core.roles import Role

pytestmark = pytest.mark.browser


def login(page: Any, base: str, user: User) -> None:
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{base}/")


def test_judge_logs_in_and_sees_home(live_server: Any, page: Any, make_user: Callable[..., User]) -> None:
    judge = make_user(Role.JUDGE, "浙0602", full_name="王法官")
    login(page, live_server.url, judge)
    assert page.locator("h1").inner_text().startswith("工作台")
    who = page.locator("[data-testid=who]").inner_text()
    assert "绍兴市越城区人民法院" in who and "王法官" in who and "执行法官" in who
    assert page.locator("text=我的团队").count() == 1


def test_wrong_password_shows_chinese_error(
    live_server: Any, page: Any, make_user: Callable[..., User]
) -> None:
    judge = make_user()
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", judge.username)
    page.fill("input[name=password]", "wrong-password")
    page.click("button.primary")
    assert page.locator("[role=alert]").inner_text() == "用户名或密码错误"


def test_supervisor_of_intermediate_court_sees_six_basic_courts(
    live_server: Any, page: Any, make_user: Callable[..., User]
) -> None:
    sup = make_user(Role.SUPERVISOR, "浙06")
    login(page, live_server.url, sup)
    rows = page.locator("[data-testid=court-table] tbody tr")
    assert rows.count() == 7  # the intermediate court and its six basic courts
    names = rows.all_inner_texts()
    for name in ["越城区", "柯桥区", "上虞区", "新昌县", "诸暨市", "嵊州市"]:
        assert any(name in n for n in names), name
    page.click("text=绍兴市柯桥区人民法院")
    assert "浙0603" in page.locator("h1").inner_text()


def test_judge_cannot_open_a_keqiao_page(live_server: Any, page: Any, make_user: Callable[..., User]) -> None:
    judge = make_user(Role.JUDGE, "浙0602")
    login(page, live_server.url, judge)
    response = page.goto(f"{live_server.url}/courts/浙0603/")
    assert response.status == 404
    assert "无权查看" in page.content()
    assert page.goto(f"{live_server.url}/courts/浙0602/").status == 200


def test_reveal_with_htmx(live_server: Any, page: Any, make_user: Callable[..., User]) -> None:
    from zhixing.core import services
    from zhixing.core.demo import resident_id

    clerk = make_user(Role.CLERK, "浙0602")
    number = resident_id("330602", "19800101", 101)
    party, _ = services.party_register(actor=clerk, kind="natural_person", name="王建华", id_number=number)
    login(page, live_server.url, clerk)
    page.goto(f"{live_server.url}/parties/{party.pk}/")
    assert number not in page.content()
    page.fill("input[name=purpose]", "核对身份")
    page.click("#reveal button")
    page.wait_for_selector("[data-testid=id-full]")
    assert page.locator("[data-testid=id-full]").inner_text() == number
    assert page.url.endswith(f"/parties/{party.pk}/")  # swapped in place by htmx, no navigation
