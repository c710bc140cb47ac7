from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import PASSWORD
from zhixing.core import services
from zhixing.core.demo import resident_id
from zhixing.core.models import JournalEvent, User
from zhixing.core.roles import Role


def client_for(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_login_page_and_chinese_error(make_user: Callable[..., User], client: Client) -> None:
    user = make_user()
    r = client.get("/login/")
    assert r.status_code == 200 and "登录智执" in r.content.decode()
    r = client.post("/login/", {"username": user.username, "password": "wrong"})
    assert r.status_code == 401 and "用户名或密码错误" in r.content.decode()
    r = client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert r.status_code == 302 and r.headers["Location"] == "/"


def test_login_redirect_ignores_foreign_next(make_user: Callable[..., User], client: Client) -> None:
    user = make_user()
    r = client.post("/login/?next=https://evil.example/", {"username": user.username, "password": PASSWORD})
    assert r.headers["Location"] == "/"


def test_pages_need_login(client: Client, db: None) -> None:
    for url in ["/", "/courts/", "/parties/", "/approvals/", "/account/"]:
        r = client.get(url)
        assert r.status_code == 302 and r.headers["Location"].startswith("/login/")


def test_home_per_role(make_user: Callable[..., User]) -> None:
    judge_home = client_for(make_user(Role.JUDGE, "浙0602")).get("/").content.decode()
    assert "我的团队" in judge_home and "辖区法院" not in judge_home
    sup_home = client_for(make_user(Role.SUPERVISOR, "浙06")).get("/").content.decode()
    assert "辖区法院" in sup_home
    for name in [
        "绍兴市越城区人民法院",
        "绍兴市柯桥区人民法院",
        "新昌县人民法院",
        "诸暨市人民法院",
        "嵊州市人民法院",
    ]:
        assert name in sup_home
    chief_home = client_for(make_user(Role.BUREAU_CHIEF, "浙0602")).get("/").content.decode()
    assert "本院执行团队" in chief_home


def test_judge_cannot_open_another_courts_page(make_user: Callable[..., User]) -> None:
    c = client_for(make_user(Role.JUDGE, "浙0602"))
    assert c.get(reverse("web:court_detail", args=["浙0602"])).status_code == 200
    r = c.get(reverse("web:court_detail", args=["浙0603"]))
    assert r.status_code == 404 and "无权查看" in r.content.decode()


def test_court_list_query_budget(make_user: Callable[..., User], make_team: Callable) -> None:
    sup = make_user(Role.SUPERVISOR, "浙06")
    for code in ["浙0602", "浙0603", "浙0604"]:
        for _ in range(3):
            make_user(Role.JUDGE, code)
    c = client_for(sup)
    with CaptureQueriesContext(connection) as q:
        assert c.get("/courts/").status_code == 200
    assert len(q) <= 6, [x["sql"] for x in q]


def test_party_register_and_reveal_through_the_ui(make_user: Callable[..., User]) -> None:
    clerk = make_user(Role.CLERK)
    c = client_for(clerk)
    number = resident_id("330602", "19800101", 101)
    r = c.post("/parties/", {"kind": "natural_person", "name": "王建华", "id_number": "12345"})
    assert r.status_code == 400 and "18 位" in r.content.decode()
    r = c.post("/parties/", {"kind": "natural_person", "name": "王建华", "id_number": number})
    assert r.status_code == 302
    detail = c.get(r.headers["Location"]).content.decode()
    assert "3306**********" in detail and number not in detail
    pid = int(r.headers["Location"].strip("/").split("/")[-1])
    r = c.post(f"/parties/{pid}/reveal/", {"purpose": "核对身份"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and number in r.content.decode()
    assert JournalEvent.objects.filter(kind="identity.revealed", actor=clerk).count() == 1


def test_approval_through_the_ui(make_user: Callable[..., User]) -> None:
    judge, chief = make_user(Role.JUDGE), make_user(Role.BUREAU_CHIEF)
    req = services.approval_request(
        actor=judge, act="x", title="延长执行期限", stream="case:3", approver_role=Role.BUREAU_CHIEF
    )
    c = client_for(chief)
    assert "延长执行期限" in c.get("/").content.decode()
    r = c.post(f"/approvals/{req.pk}/decide/", {"decision": "reject", "reason": ""}, follow=True)
    assert "理由" in r.content.decode()
    c.post(f"/approvals/{req.pk}/decide/", {"decision": "approve", "reason": "同意"})
    req.refresh_from_db()
    assert req.status == "approved"
    # the judge cannot decide anything
    r = client_for(judge).post(f"/approvals/{req.pk}/decide/", {"decision": "approve"}, follow=True)
    assert "已处理" in r.content.decode() or "审批" in r.content.decode()


def test_security_headers(client: Client, db: None) -> None:
    r = client.get("/login/")
    assert "default-src 'self'" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_english_is_available(make_user: Callable[..., User], client: Client) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    body = client.get("/login/").content.decode()
    assert 'lang="en"' in body and "Sign in" in body


def test_healthz(client: Client, db: None) -> None:
    assert client.get("/healthz").json()["status"] == "ok"


@pytest.mark.django_db
def test_account_issues_token(make_user: Callable[..., User]) -> None:
    c = client_for(make_user())
    r = c.post("/account/", {"action": "token_issue", "name": "测试"})
    assert "zx_" in r.content.decode()


def test_chinese_is_the_default_whatever_the_browser_says(client: Client, db: None) -> None:
    body = client.get("/login/", headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert 'lang="zh-hans"' in body and "登录智执" in body


def test_navigation_by_role(make_user: Callable[..., User]) -> None:
    judge_page = client_for(make_user(Role.JUDGE)).get("/").content.decode()
    assert 'href="/parties/"' in judge_page and 'href="/admin/"' not in judge_page
    sup_page = client_for(make_user(Role.SUPERVISOR, "浙06")).get("/").content.decode()
    assert 'href="/parties/"' not in sup_page
    admin_page = client_for(make_user(Role.ADMIN)).get("/").content.decode()
    assert 'href="/admin/"' in admin_page


def test_admin_signs_in_through_the_platform_login(client: Client, db: None) -> None:
    r = client.get("/admin/")
    assert r.status_code == 302
    r = client.get(r.headers["Location"])
    assert r.status_code == 302 and r.headers["Location"].startswith("/login/?next=/admin/")


def test_deploy_check_warns_about_generated_keys(settings: object) -> None:
    from zhixing.core.checks import keys_from_environment

    settings.KEYS_FROM_FILES = True  # type: ignore[attr-defined]
    assert [w.id for w in keys_from_environment(None)] == ["zhixing.W001"]
    settings.KEYS_FROM_FILES = False  # type: ignore[attr-defined]
    assert keys_from_environment(None) == []
