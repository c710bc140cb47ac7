"""一案一账号 — virtual account numbers with an ISO 7064 MOD 97-10 check (as in IBAN).

Format: ``ZX`` + court id (4 digits) + year (4) + case id (8) + 2 check digits, e.g.
``ZX0001202600000042`` + ``cc``. The check catches every single-digit error and every swap of
two adjacent digits, so a mistyped number never reaches another case: it is simply unknown.
"""

from __future__ import annotations

import re

PREFIX = "ZX"
_FORMAT = re.compile(r"^ZX(\d{4})(\d{4})(\d{8})(\d{2})$")


def check_digits(body: str) -> str:
    """Two ISO 7064 MOD 97-10 check digits for a string of digits."""
    if not body.isdigit():
        raise ValueError(f"check digits need digits only: {body!r}")
    return f"{98 - int(body + '00') % 97:02d}"


def compose(*, court_id: int, year: int, case_id: int) -> str:
    if not (0 < court_id < 10**4 and 1000 <= year < 10**4 and 0 < case_id < 10**8):
        raise ValueError("court id, year or case id out of range for an account number")
    body = f"{court_id:04d}{year:04d}{case_id:08d}"
    return PREFIX + body + check_digits(body)


def normalise(number: str) -> str:
    return re.sub(r"[\s\-]", "", number or "").upper()


def is_valid(number: str) -> bool:
    m = _FORMAT.match(normalise(number))
    if not m:
        return False
    return int("".join(m.groups())) % 97 == 1


def parse(number: str) -> tuple[int, int, int] | None:
    """(court id, year, case id) of a valid number, else None."""
    n = normalise(number)
    m = _FORMAT.match(n)
    if not m or not is_valid(n):
        return None
    return int(m.group(1)), int(m.group(2)), int(m.group(3))
