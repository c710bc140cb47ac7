"""身份证号与统一社会信用代码 — validation, encryption, keyed lookup hash and masking.

Identity numbers are personal data. They are validated (checksum and, for resident IDs, the
birth date), stored encrypted (AES-256-GCM under ``settings.IDENTITY_KEY``), looked up by an
HMAC-SHA256 keyed hash, and shown masked everywhere (``3306**********123X``). Revealing one in
clear is a journaled act (``core.services.party_identity_reveal``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("居民身份证")
    USCC = "uscc", _("统一社会信用代码")


class IdentityError(ValueError):
    """A malformed identity number; the message is Chinese and says what is wrong."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Identity:
    id_type: str
    number: str  # normalised: 18 characters, upper-case
    birth_date: dt.date | None = None
    sex: str = ""  # "M" / "F" for resident IDs
    converted_from_legacy: bool = False


def _resident_check_digit(body17: str) -> str:
    # stdnum's calc_check_digit wants 18 characters with a placeholder check digit.
    return str(ric.calc_check_digit(body17 + "0"))


def _birth_date(number: str) -> dt.date:
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdentityError("身份证号中的出生日期无效", code="bad_birth_date") from None


def validate_resident_id(raw: str, *, today: dt.date | None = None) -> Identity:
    """校验居民身份证号：18 位（校验码、出生日期），15 位旧号自动升位。

    A county code missing from python-stdnum's table is not an error: counties are created
    after its data was made (e.g. 2021's 临平, 钱塘).
    """
    number = raw.strip().replace(" ", "").upper()
    legacy = False
    if len(number) == 15:
        if not number.isdigit():
            raise IdentityError("15 位身份证号只能由数字组成", code="bad_format")
        body = number[:6] + "19" + number[6:]
        number = body + _resident_check_digit(body)
        legacy = True
    if len(number) != 18:
        raise IdentityError(f"身份证号应为 18 位（或 15 位旧号），收到 {len(number)} 位", code="bad_length")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise IdentityError("身份证号前 17 位必须是数字，末位是数字或 X", code="bad_format")
    birth = _birth_date(number)
    today = today or timezone.localdate()
    if birth > today or birth.year < 1880:
        raise IdentityError("身份证号中的出生日期不合理", code="bad_birth_date")
    if _resident_check_digit(number[:17]) != number[17]:
        raise IdentityError("身份证号校验码错误", code="bad_checksum")
    sex = "M" if int(number[16]) % 2 else "F"
    return Identity(IdType.RESIDENT_ID, number, birth_date=birth, sex=sex, converted_from_legacy=legacy)


def validate_uscc(raw: str) -> Identity:
    """校验统一社会信用代码（GB 32100）。"""
    number = raw.strip().replace(" ", "").upper()
    if len(number) != 18:
        raise IdentityError(f"统一社会信用代码应为 18 位，收到 {len(number)} 位", code="bad_length")
    try:
        uscc.validate(number)
    except (StdnumError, KeyError):
        raise IdentityError("统一社会信用代码格式或校验码错误", code="bad_checksum") from None
    return Identity(IdType.USCC, number)


def validate(id_type: str, raw: str) -> Identity:
    if id_type == IdType.RESIDENT_ID:
        return validate_resident_id(raw)
    if id_type == IdType.USCC:
        return validate_uscc(raw)
    raise IdentityError(f"未知的证件类型「{id_type}」", code="bad_type")


def mask(number: str) -> str:
    """脱敏显示：保留前 4 位与后 4 位（3306**********123X）。"""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def _keys() -> tuple[bytes, bytes]:
    master = settings.IDENTITY_KEY
    enc = hmac.new(master, b"zhixing/identity/encrypt", hashlib.sha256).digest()
    look = hmac.new(master, b"zhixing/identity/lookup", hashlib.sha256).digest()
    return enc, look


def lookup_hash(id_type: str, number: str) -> str:
    """Keyed hash for equality lookups; the same number always gives the same hash."""
    _, key = _keys()
    return hmac.new(key, f"{id_type}:{number}".encode(), hashlib.sha256).hexdigest()


def encrypt(number: str) -> str:
    enc, _ = _keys()
    nonce = os.urandom(12)
    return (nonce + AESGCM(enc).encrypt(nonce, number.encode(), b"zhixing-identity")).hex()


def decrypt(cipher_hex: str) -> str:
    enc, _ = _keys()
    raw = bytes.fromhex(cipher_hex)
    return AESGCM(enc).decrypt(raw[:12], raw[12:], b"zhixing-identity").decode()
