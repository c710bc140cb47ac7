"""公布的名单与合作单位核查：entries published and removed (with a change feed), an in-memory index of
the published identities kept current from that feed, partner accounts, keys, rate limits and checks.

The index maps the first 8 bytes of an identity's keyed lookup hash (``Party.id_lookup``, HMAC-SHA256)
to the number of active entries per list; a hit is confirmed against the full hash in the database
before it is answered, so a (vanishingly rare) prefix collision can never flag the wrong person.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.utils import timezone

from zhixing.core import identity
from zhixing.core.errors import PermissionDenied, ServiceError
from zhixing.measures.models import ListChange, ListEntry, Measure, Partner, PartnerCheck

KINDS = (ListEntry.Kind.DISHONEST, ListEntry.Kind.CONSUMPTION)
_SHIFT: dict[str, int] = {ListEntry.Kind.DISHONEST: 0, ListEntry.Kind.CONSUMPTION: 32}
_MASK = (1 << 32) - 1
BATCH_MAX = 1000


class RateLimited(ServiceError):
    status = 429


# --- publishing --------------------------------------------------------------------------------------
def entry_publish(*, measure: Measure, kind: str, public: dict[str, Any]) -> ListEntry:
    """公布一条（在调用方的事务中）：the entry and its change-feed row."""
    entry = ListEntry.objects.create(
        kind=kind, measure=measure, party=measure.party, lookup=measure.party.id_lookup, public=public
    )
    ListChange.objects.create(entry=entry, change=ListChange.Change.ADDED)
    return entry


def entries_remove(*, measure: Measure) -> int:
    """撤下一项措施的全部公布条目（在调用方的事务中）。"""
    now = timezone.now()
    entries = list(ListEntry.objects.select_for_update().filter(measure=measure, active=True))
    for entry in entries:
        entry.active = False
        entry.removed_at = now
        entry.save(update_fields=["active", "removed_at"])
        ListChange.objects.create(entry=entry, change=ListChange.Change.REMOVED, at=now)
    return len(entries)


# --- the in-memory index -------------------------------------------------------------------------------
def _key(lookup: str) -> int:
    return int(lookup[:16], 16)


class ListIndex:
    """Published identities in memory: lookups answered without the database, refreshed from the feed."""

    def __init__(self, *, refresh_seconds: float = 1.0) -> None:
        self._counts: dict[int, int] = {}
        self._cursor = 0
        self._loaded = False
        self._lock = threading.Lock()
        self._refreshed_at = 0.0
        self.refresh_seconds = refresh_seconds

    def __len__(self) -> int:
        return len(self._counts)

    def load(self) -> None:
        """Build from the active entries (one grouped query), then follow the feed from its end."""
        with self._lock:
            cursor = ListChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
            counts: dict[int, int] = {}
            rows = (
                ListEntry.objects.filter(active=True)
                .values_list("lookup", "kind")
                .annotate(n=Count("id"))
                .order_by()
                .iterator(chunk_size=20000)
            )
            for lookup, kind, n in rows:
                key = _key(lookup)
                counts[key] = counts.get(key, 0) + (n << _SHIFT[kind])
            self._counts, self._cursor, self._loaded = counts, cursor, True
            self._refreshed_at = time.monotonic()

    def refresh(self, *, force: bool = False) -> int:
        """Apply the changes after the cursor (at most once per ``refresh_seconds`` unless forced)."""
        if not self._loaded:
            self.load()
            return 0
        if not force and time.monotonic() - self._refreshed_at < self.refresh_seconds:
            return 0
        newest = ListChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
        if newest < self._cursor:  # the feed went back (a restore, a rolled-back test): rebuild
            self.load()
            return 0
        with self._lock:
            changes = list(
                ListChange.objects.filter(id__gt=self._cursor)
                .order_by("id")
                .values_list("id", "change", "entry__lookup", "entry__kind")[:50000]
            )
            for cid, change, lookup, kind in changes:
                key = _key(lookup)
                delta = (1 if change == ListChange.Change.ADDED else -1) << _SHIFT[kind]
                value = self._counts.get(key, 0) + delta
                if value:
                    self._counts[key] = value
                else:
                    self._counts.pop(key, None)
                self._cursor = cid
            self._refreshed_at = time.monotonic()
            return len(changes)

    def candidates(self, lookups: Sequence[str]) -> list[tuple[str, ...]]:
        """For each lookup hash, the lists it may be on (to be confirmed against the database)."""
        out: list[tuple[str, ...]] = []
        counts = self._counts
        for lookup in lookups:
            value = counts.get(_key(lookup), 0)
            if not value:
                out.append(())
            else:
                out.append(tuple(k for k in KINDS if (value >> _SHIFT[k]) & _MASK))
        return out


INDEX = ListIndex()


@dataclass(frozen=True)
class CheckResult:
    listed: bool
    lists: tuple[str, ...]
    entries: tuple[int, ...]
    valid: bool = True  # False: not a valid identity number


def _lookups(id_numbers: Sequence[str]) -> list[tuple[str | None, bool]]:
    out: list[tuple[str | None, bool]] = []
    for raw in id_numbers:
        number = str(raw).strip().upper()
        id_type = identity.IdType.RESIDENT_ID if len(number) in (15, 18) and number[:17].isdigit() else None
        try:
            if id_type is None:
                identity.validate_uscc(number)
                out.append((identity.lookup_hash(identity.IdType.USCC, number), True))
            else:
                checked = identity.validate_resident_id(number)
                out.append((identity.lookup_hash(identity.IdType.RESIDENT_ID, checked.number), True))
        except (identity.IdentityError, ValueError):
            out.append((None, False))
    return out


def check(id_numbers: Sequence[str], *, index: ListIndex | None = None) -> list[CheckResult]:
    """核查证件号是否在公布名单上（不记录；合作单位调用见 partner_check）。"""
    index = INDEX if index is None else index  # (an empty index is falsy)
    index.refresh()
    pairs = _lookups(id_numbers)
    candidates = index.candidates([lookup or "0" * 16 for lookup, _ in pairs])
    hits = {lookup for (lookup, ok), c in zip(pairs, candidates, strict=True) if ok and c and lookup}
    confirmed: dict[str, list[tuple[str, int]]] = {}
    if hits:
        for lookup, kind, pk in ListEntry.objects.filter(lookup__in=hits, active=True).values_list(
            "lookup", "kind", "id"
        ):
            confirmed.setdefault(lookup, []).append((kind, pk))
    out = []
    for maybe, ok in pairs:
        found = confirmed.get(maybe or "", [])
        kinds = tuple(sorted({k for k, _ in found}))
        out.append(CheckResult(bool(found), kinds, tuple(pk for _, pk in found), ok))
    return out


# --- partners ------------------------------------------------------------------------------------------
def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def partner_create(
    *, name: str, kind: str, rate_per_minute: int = 600, may_mirror: bool = False
) -> tuple[Partner, str]:
    """登记合作单位并签发密钥（明文只返回这一次）。"""
    if kind not in Partner.Kind.values:
        raise ServiceError(f"未知的合作单位类别「{kind}」", code="bad_kind", field="kind")
    if rate_per_minute < 1:
        raise ServiceError("调用上限须为正数", code="bad_rate", field="rate_per_minute")
    prefix = secrets.token_hex(4)
    key = f"zxp_{prefix}_{secrets.token_urlsafe(32)}"
    partner = Partner.objects.create(
        name=name,
        kind=kind,
        key_prefix=prefix,
        key_hash=_hash(key),
        rate_per_minute=rate_per_minute,
        may_mirror=may_mirror,
    )
    return partner, key


def partner_authenticate(key: str) -> Partner | None:
    parts = key.strip().split("_")
    if len(parts) < 3 or parts[0] != "zxp":
        return None
    partner = Partner.objects.filter(key_prefix=parts[1], active=True).first()
    if partner is None or not secrets.compare_digest(partner.key_hash, _hash(key.strip())):
        return None
    return partner


def _rate_check(partner: Partner) -> None:
    since = timezone.now() - dt.timedelta(minutes=1)
    used = PartnerCheck.objects.filter(partner=partner, at__gte=since).count()
    if used >= partner.rate_per_minute:
        raise RateLimited(
            f"调用过于频繁：每分钟最多 {partner.rate_per_minute} 次", code="rate_limited", retry_after=60
        )


def partner_check(*, partner: Partner, id_numbers: Sequence[str], kind: str = "single") -> list[CheckResult]:
    """合作单位核查（单个或批量，一次最多 1,000 个证件号）：rate-limited, and logged."""
    if not partner.active:
        raise PermissionDenied("合作单位已停用")
    if not id_numbers:
        raise ServiceError("请提供证件号", code="empty", field="id_numbers")
    if len(id_numbers) > BATCH_MAX:
        raise ServiceError(f"一次最多核查 {BATCH_MAX} 个证件号", code="too_many", field="id_numbers")
    _rate_check(partner)
    results = check(id_numbers)
    hit_entries = sorted({pk for r in results for pk in r.entries})
    PartnerCheck.objects.create(
        partner=partner,
        kind=kind,
        count=len(id_numbers),
        hits=sum(1 for r in results if r.listed),
        hit_entries=hit_entries[:5000],
    )
    return results


@dataclass(frozen=True)
class Change:
    cursor: int
    change: str
    list: str
    at: str
    public: dict[str, Any]
    id_number: str | None  # only for partners that may mirror the full list (agreement)


def partner_changes(*, partner: Partner, cursor: int = 0, limit: int = 1000) -> list[Change]:
    """名单变更流：changes after ``cursor`` (exclusive), oldest first; logged as a check."""
    if not partner.active:
        raise PermissionDenied("合作单位已停用")
    if cursor < 0 or not 1 <= limit <= 5000:
        raise ServiceError("游标或数量不合法", code="bad_cursor")
    _rate_check(partner)
    rows = list(
        ListChange.objects.filter(id__gt=cursor)
        .select_related("entry", "entry__party")
        .order_by("id")[:limit]
    )
    out = [
        Change(
            cursor=row.pk,
            change=row.change,
            list=row.entry.kind,
            at=row.at.isoformat(),
            public=row.entry.public,
            id_number=identity.decrypt(row.entry.party.id_cipher) if partner.may_mirror else None,
        )
        for row in rows
    ]
    PartnerCheck.objects.create(partner=partner, kind="feed", count=len(out), hits=0)
    return out


def public_search(*, query: str, kind: str = "", limit: int = 50) -> list[ListEntry]:
    """公开查询：by exact identity number, or by name (published entries only)."""
    q = query.strip()
    if len(q) < 2:
        raise ServiceError("请输入姓名（名称）或完整的证件号", code="query_too_short", field="q")
    qs = ListEntry.objects.filter(active=True)
    if kind:
        qs = qs.filter(kind=kind)
    ((lookup, ok),) = _lookups([q])
    qs = qs.filter(lookup=lookup) if ok and lookup else qs.filter(public__name=q)
    return list(qs.order_by("-published_at")[: max(1, min(limit, 200))])
