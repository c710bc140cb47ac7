"""登录与令牌 — password login with lockout, optional TOTP, API tokens.

Passwords are hashed with Argon2 (settings.PASSWORD_HASHERS). After
``LOGIN_LOCKOUT_THRESHOLD`` consecutive failures an account is locked for
``LOGIN_LOCKOUT_MINUTES``; a wrong or missing TOTP code counts as a failure.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

import pyotp
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from zhixing.core import identity
from zhixing.core.errors import ServiceError
from zhixing.core.journal import journal_append
from zhixing.core.models import ApiToken, User


class LoginError(ServiceError):
    status = 401


_DUMMY_HASH: list[str] = []


def _dummy_check(password: str) -> None:
    """Spend the cost of a real password check, so timing does not reveal unknown usernames."""
    from django.contrib.auth.hashers import check_password, make_password

    if not _DUMMY_HASH:
        _DUMMY_HASH.append(make_password("timing-equaliser"))
    check_password(password, _DUMMY_HASH[0])


def _fail(user: User) -> None:
    User.objects.filter(pk=user.pk).update(failed_login_count=F("failed_login_count") + 1)
    user.refresh_from_db(fields=["failed_login_count", "locked_until"])
    if user.failed_login_count >= settings.LOGIN_LOCKOUT_THRESHOLD:
        until = timezone.now() + dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
        User.objects.filter(pk=user.pk).update(locked_until=until, failed_login_count=0)
        journal_append(
            stream=f"user:{user.pk}",
            kind="login.locked",
            actor=None,
            court=user.court,
            payload={"until": until, "threshold": settings.LOGIN_LOCKOUT_THRESHOLD},
        )


def login_attempt(*, username: str, password: str, totp_code: str = "") -> User:
    """校验用户名、密码（及动态口令）。Raises LoginError with a Chinese message."""
    user = User.objects.select_related("court", "team").filter(username=username).first()
    if user is None:
        _dummy_check(password)
        raise LoginError("用户名或密码错误", code="bad_credentials")
    if user.is_locked:
        assert user.locked_until is not None
        local = timezone.localtime(user.locked_until).strftime("%H:%M")
        raise LoginError(f"连续登录失败次数过多，账号已锁定至 {local}", code="locked")
    if not user.is_active:
        raise LoginError("账号已停用", code="inactive")
    if not user.check_password(password):
        _fail(user)
        raise LoginError("用户名或密码错误", code="bad_credentials")
    if user.totp_enabled and not totp_verify(user, totp_code):
        _fail(user)
        raise LoginError("动态口令错误或缺失", code="bad_totp")
    if user.failed_login_count:
        User.objects.filter(pk=user.pk).update(failed_login_count=0)
    return user


class LockoutBackend(ModelBackend):
    """Django auth backend (admin, test client) that applies the same lockout and TOTP rules."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kw: Any
    ) -> User | None:
        if username is None or password is None:
            return None
        try:
            return login_attempt(username=username, password=password, totp_code=kw.get("totp_code", ""))
        except LoginError:
            return None


# --- TOTP -----------------------------------------------------------------------------------
def totp_begin(*, user: User) -> str:
    """生成动态口令密钥（未启用），返回 otpauth:// 链接供手机扫描。"""
    secret = pyotp.random_base32()
    user.totp_secret = identity.encrypt(secret)
    user.totp_enabled = False
    user.save(update_fields=["totp_secret", "totp_enabled"])
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name="智执")


def _totp(user: User) -> pyotp.TOTP | None:
    if not user.totp_secret:
        return None
    return pyotp.TOTP(identity.decrypt(user.totp_secret))


def totp_verify(user: User, code: str) -> bool:
    totp = _totp(user)
    code = (code or "").strip().replace(" ", "")
    return bool(totp and code and totp.verify(code, valid_window=1))


@transaction.atomic
def totp_confirm(*, user: User, code: str) -> None:
    if not totp_verify(user, code):
        raise ServiceError("动态口令不正确，请重新输入", code="bad_totp", field="code")
    user.totp_enabled = True
    user.save(update_fields=["totp_enabled"])
    journal_append(stream=f"user:{user.pk}", kind="totp.enabled", actor=user, court=user.court)


# --- API tokens -----------------------------------------------------------------------------
def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_issue(*, user: User, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """签发 API 令牌；the clear token is returned once and never stored."""
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        key_hash=_digest(secret),
        expires_at=timezone.now() + dt.timedelta(days=days or settings.API_TOKEN_DAYS),
    )
    journal_append(
        stream=f"user:{user.pk}",
        kind="api_token.issued",
        actor=user,
        court=user.court,
        payload={"prefix": prefix, "name": name},
    )
    return token, f"zx_{prefix}_{secret}"


def api_token_authenticate(raw: str) -> User | None:
    parts = raw.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != "zx":
        return None
    token = ApiToken.objects.select_related("user", "user__court").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.key_hash, _digest(parts[2])):
        return None
    now = timezone.now()
    if token.revoked_at or token.expires_at <= now or not token.user.is_active or token.user.is_locked:
        return None
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def api_token_revoke(*, user: User, prefix: str) -> None:
    ApiToken.objects.filter(user=user, prefix=prefix, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
