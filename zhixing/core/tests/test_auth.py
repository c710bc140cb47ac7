import datetime as dt
from collections.abc import Callable

import pyotp
import pytest
import time_machine
from django.utils import timezone

from conftest import PASSWORD
from zhixing.core import auth, identity
from zhixing.core.auth import LoginError, api_token_authenticate, api_token_issue, login_attempt
from zhixing.core.models import ApiToken, User
from zhixing.core.roles import Role


@pytest.mark.argon2
def test_passwords_are_hashed_with_argon2(make_user: Callable[..., User]) -> None:
    user = make_user()
    assert user.password.startswith("argon2$")


def test_login_and_wrong_password(make_user: Callable[..., User]) -> None:
    user = make_user()
    assert login_attempt(username=user.username, password=PASSWORD) == user
    with pytest.raises(LoginError, match="用户名或密码错误"):
        login_attempt(username=user.username, password="nope")
    with pytest.raises(LoginError, match="用户名或密码错误"):
        login_attempt(username="ghost", password="nope")


def test_lockout_after_repeated_failures(make_user: Callable[..., User], settings: object) -> None:
    user = make_user()
    for _ in range(5):
        with pytest.raises(LoginError):
            login_attempt(username=user.username, password="wrong")
    with pytest.raises(LoginError) as e:
        login_attempt(username=user.username, password=PASSWORD)  # right password, still locked
    assert e.value.code == "locked"
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)):
        assert login_attempt(username=user.username, password=PASSWORD) == user


def test_success_resets_the_failure_count(make_user: Callable[..., User]) -> None:
    user = make_user()
    for _ in range(4):
        with pytest.raises(LoginError):
            login_attempt(username=user.username, password="wrong")
    login_attempt(username=user.username, password=PASSWORD)
    user.refresh_from_db()
    assert user.failed_login_count == 0 and user.locked_until is None


def test_totp_is_required_once_enabled(make_user: Callable[..., User]) -> None:
    user = make_user()
    uri = auth.totp_begin(user=user)
    secret = pyotp.parse_uri(uri).secret
    assert secret not in user.totp_secret  # stored encrypted
    with pytest.raises(Exception, match="动态口令"):
        auth.totp_confirm(user=user, code="000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    auth.totp_confirm(user=user, code=pyotp.TOTP(secret).now())
    with pytest.raises(LoginError) as e:
        login_attempt(username=user.username, password=PASSWORD)
    assert e.value.code == "bad_totp"
    assert (
        login_attempt(username=user.username, password=PASSWORD, totp_code=pyotp.TOTP(secret).now()) == user
    )
    assert identity.decrypt(User.objects.get(pk=user.pk).totp_secret) == secret


def test_api_tokens(make_user: Callable[..., User]) -> None:
    user = make_user(Role.CLERK)
    token, raw = api_token_issue(user=user, name="批量立案")
    assert raw.startswith("zx_") and token.key_hash not in raw
    assert api_token_authenticate(raw) == user
    assert api_token_authenticate(raw[:-1] + ("a" if raw[-1] != "a" else "b")) is None
    assert api_token_authenticate("garbage") is None
    with time_machine.travel(timezone.now() + dt.timedelta(days=91)):
        assert api_token_authenticate(raw) is None  # expired
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    assert api_token_authenticate(raw) is None
