import datetime as dt

import pytest

from zhixing.core import identity
from zhixing.core.demo import credit_code, resident_id


def test_valid_resident_id_gives_birth_date_and_sex() -> None:
    number = resident_id("330602", "19800101", 101)
    ident = identity.validate_resident_id(number)
    assert ident.birth_date == dt.date(1980, 1, 1)
    assert ident.sex == "M"
    assert ident.number == number


def test_lowercase_x_is_normalised() -> None:
    # find a serial whose check digit is X
    number = next(n for s in range(1000) if (n := resident_id("330602", "19900101", s)).endswith("X"))
    assert identity.validate_resident_id(number.lower()).number == number


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("33060219800101101", "bad_length"),
        ("3306021980010110A8", "bad_format"),
        ("330602198013011012", "bad_birth_date"),
        ("330602298001011012", "bad_birth_date"),
    ],
)
def test_bad_resident_ids_say_what_is_wrong(raw: str, code: str) -> None:
    with pytest.raises(identity.IdentityError) as e:
        identity.validate_resident_id(raw)
    assert e.value.code == code
    assert str(e.value)  # a Chinese message


def test_wrong_check_digit_is_refused() -> None:
    good = resident_id("330602", "19800101", 101)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(identity.IdentityError, match="校验码"):
        identity.validate_resident_id(bad)


def test_unknown_county_code_is_not_rejected() -> None:
    # 330113 临平区 was created in 2021, after python-stdnum's county table.
    number = resident_id("330113", "19850505", 12)
    assert identity.validate_resident_id(number).number == number
    fake_county = resident_id("339999", "19850505", 12)
    assert identity.validate_resident_id(fake_county).number == fake_county


def test_fifteen_digit_legacy_id_is_converted() -> None:
    ident = identity.validate_resident_id("330602800101101")
    assert ident.converted_from_legacy
    assert ident.number == resident_id("330602", "19800101", 101)


def test_uscc() -> None:
    code = credit_code("330602", 7)
    assert identity.validate_uscc(code).number == code
    with pytest.raises(identity.IdentityError, match="统一社会信用代码"):
        identity.validate_uscc(code[:17] + ("0" if code[17] != "0" else "1"))


def test_mask_keeps_four_and_four() -> None:
    assert identity.mask("33060219800101123X") == "3306**********123X"


def test_encryption_round_trip_and_lookup_hash() -> None:
    n = resident_id("330602", "19800101", 101)
    c1, c2 = identity.encrypt(n), identity.encrypt(n)
    assert c1 != c2  # random nonce
    assert n not in c1
    assert identity.decrypt(c1) == n == identity.decrypt(c2)
    assert identity.lookup_hash("resident_id", n) == identity.lookup_hash("resident_id", n)
    assert identity.lookup_hash("resident_id", n) != identity.lookup_hash("uscc", n)
