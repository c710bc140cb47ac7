import json
from collections.abc import Callable
from typing import Any

from django.test import Client

from conftest import PASSWORD
from zhixing.core.auth import api_token_issue
from zhixing.core.demo import resident_id
from zhixing.core.models import Party, User
from zhixing.core.roles import Role


def bearer(user: User) -> dict[str, str]:
    _, raw = api_token_issue(user=user, name="t")
    return {"Authorization": f"Bearer {raw}"}


def post(c: Client, url: str, data: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
    return c.post(url, data=json.dumps(data), content_type="application/json", headers=headers)


def test_token_by_password_then_me(make_user: Callable[..., User], client: Client) -> None:
    user = make_user(Role.JUDGE, "浙0602")
    r = post(client, "/api/v1/auth/token", {"username": user.username, "password": PASSWORD})
    assert r.status_code == 200
    r = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {r.json()['token']}")
    assert r.json()["court_code"] == "浙0602"
    r = post(client, "/api/v1/auth/token", {"username": user.username, "password": "bad"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "bad_credentials"


def test_unauthenticated_is_structured(client: Client, db: None) -> None:
    r = client.get("/api/v1/courts")
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthenticated"


def test_courts_are_scoped(make_user: Callable[..., User], client: Client) -> None:
    r = client.get("/api/v1/courts", headers=bearer(make_user(Role.JUDGE, "浙0603")))
    assert [c["court_code"] for c in r.json()] == ["浙0603"]
    r = client.get("/api/v1/courts", headers=bearer(make_user(Role.SUPERVISOR, "浙06")))
    assert len(r.json()) == 7


def test_party_create_errors_change_nothing(make_user: Callable[..., User], client: Client) -> None:
    h = bearer(make_user(Role.CLERK))
    r = post(
        client,
        "/api/v1/parties",
        {"kind": "natural_person", "name": "甲", "id_number": "330602198001011010"},
        headers=h,
    )
    assert r.status_code == 400
    assert r.json()["error"] == {
        "code": "bad_checksum",
        "message": "身份证号校验码错误",
        "field": "id_number",
    }
    r = post(client, "/api/v1/parties", {"kind": "natural_person"}, headers=h)
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request"
    assert not Party.objects.exists()
    number = resident_id("330602", "19800101", 101)
    r = post(
        client, "/api/v1/parties", {"kind": "natural_person", "name": "甲", "id_number": number}, headers=h
    )
    assert r.status_code == 201 and r.json()["id_masked"] == "3306**********" + number[-4:]
    r = post(
        client, "/api/v1/parties", {"kind": "natural_person", "name": "甲", "id_number": number}, headers=h
    )
    assert r.status_code == 200 and r.json()["created"] is False


def test_reveal_other_court_is_not_found(make_user: Callable[..., User], client: Client) -> None:
    h = bearer(make_user(Role.CLERK, "浙0602"))
    number = resident_id("330602", "19800101", 101)
    pid = post(
        client, "/api/v1/parties", {"kind": "natural_person", "name": "甲", "id_number": number}, headers=h
    ).json()["id"]
    other = bearer(make_user(Role.JUDGE, "浙0603"))
    r = post(client, f"/api/v1/parties/{pid}/reveal", {"purpose": "查看"}, headers=other)
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    r = post(client, f"/api/v1/parties/{pid}/reveal", {"purpose": "核对"}, headers=h)
    assert r.json()["id_number"] == number


def test_openapi_schema(client: Client, db: None) -> None:
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200 and "/api/v1/parties" in r.json()["paths"]
