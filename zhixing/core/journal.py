"""日志 — the append-only journal, chained per stream with SM3.

Every legal act is one event. Each event's hash is SM3 over the previous event's hash and the
canonical form of this event (stream, seq, kind, court, actor, time, payload), so changing,
deleting or reordering a stored event breaks the chain, which ``verify_chains`` reports.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhixing.core.models import GENESIS_HASH, Court, JournalEvent, JournalHead, User


class JournalPayloadError(TypeError):
    pass


# What each event kind is called in the UI. Apps add theirs with `register_event_labels`.
EVENT_LABELS: dict[str, Any] = {
    "court.created": _("设立法院"),
    "team.created": _("设立执行团队"),
    "staff.created": _("新增工作人员"),
    "party.registered": _("登记当事人"),
    "identity.revealed": _("查看完整证件号"),
    "approval.requested": _("提请审批"),
    "approval.approved": _("审批批准"),
    "approval.rejected": _("审批不予批准"),
    "login.locked": _("账号因连续登录失败被锁定"),
    "totp.enabled": _("启用动态口令"),
    "api_token.issued": _("签发 API 令牌"),
}


def register_event_labels(labels: dict[str, Any]) -> None:
    EVENT_LABELS.update(labels)


def event_label(kind: str) -> str:
    return str(EVENT_LABELS.get(kind, kind))


def _plain(value: Any) -> Any:
    """Payloads hold only JSON-exact values: no floats (money is a Decimal string)."""
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return value
    if isinstance(value, float):
        raise JournalPayloadError(f"日志内容不能含浮点数：{value!r}（金额请用 Decimal）")
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "as_dict"):
        return _plain(value.as_dict())
    raise JournalPayloadError(f"日志内容含无法记录的类型：{type(value).__name__}")


def canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def sm3(text: str) -> str:
    return hashlib.new("sm3", text.encode("utf-8")).hexdigest()


def _utc_iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_hash(
    *,
    prev_hash: str,
    stream: str,
    seq: int,
    kind: str,
    court_id: int | None,
    actor_id: int | None,
    occurred_at: dt.datetime,
    payload: Any,
) -> str:
    body = canonical(
        {
            "stream": stream,
            "seq": seq,
            "kind": kind,
            "court": court_id,
            "actor": actor_id,
            "at": _utc_iso(occurred_at),
            "payload": payload,
        }
    )
    return sm3(prev_hash + body)


def _lock_head(stream: str) -> JournalHead:
    """Lock the stream's head row, creating it on first use, so appends to one stream serialise."""
    head = JournalHead.objects.select_for_update().filter(stream=stream).first()
    if head is not None:
        return head
    try:
        with transaction.atomic():
            JournalHead.objects.create(stream=stream)
    except IntegrityError:
        pass  # another transaction created it first; lock theirs
    return JournalHead.objects.select_for_update().get(stream=stream)


def journal_append(
    *,
    stream: str,
    kind: str,
    actor: User | None,
    payload: dict[str, Any] | None = None,
    court: Court | None = None,
    occurred_at: dt.datetime | None = None,
) -> JournalEvent:
    """追加一条日志事件。Runs inside the caller's transaction (or its own)."""
    plain = _plain(payload or {})
    # The timestamp is stored at microsecond precision on both databases.
    at = occurred_at or timezone.now()
    with transaction.atomic():
        head = _lock_head(stream)
        seq = head.seq + 1
        digest = event_hash(
            prev_hash=head.hash,
            stream=stream,
            seq=seq,
            kind=kind,
            court_id=court.pk if court else None,
            actor_id=actor.pk if actor else None,
            occurred_at=at,
            payload=plain,
        )
        event = JournalEvent.objects.create(
            stream=stream,
            seq=seq,
            kind=kind,
            court=court,
            actor=actor,
            occurred_at=at,
            payload=plain,
            prev_hash=head.hash,
            hash=digest,
        )
        JournalHead.objects.filter(stream=stream).update(seq=seq, hash=digest)
    return event


@dataclass(frozen=True)
class BrokenLink:
    stream: str
    seq: int | None
    event_id: int | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.stream} 第 {self.seq} 条" if self.seq is not None else self.stream
        return f"{where}（事件 id={self.event_id}）：{self.reason}"


@dataclass
class VerifyReport:
    streams: int = 0
    events: int = 0
    broken: list[BrokenLink] | None = None

    @property
    def ok(self) -> bool:
        return not self.broken


def _verify_stream(
    stream: str, events: Iterator[JournalEvent], head: JournalHead | None
) -> tuple[int, BrokenLink | None]:
    prev = GENESIS_HASH
    expected_seq = 1
    count = 0
    for ev in events:
        count += 1
        if ev.seq != expected_seq:
            return count, BrokenLink(
                stream, expected_seq, ev.pk, f"缺少本条（其后存有第 {ev.seq} 条）：事件被删除或重排"
            )
        if ev.prev_hash != prev:
            return count, BrokenLink(stream, ev.seq, ev.pk, "前一事件摘要不符（有事件被删除、重排或改动）")
        digest = event_hash(
            prev_hash=prev,
            stream=ev.stream,
            seq=ev.seq,
            kind=ev.kind,
            court_id=ev.court_id,
            actor_id=ev.actor_id,
            occurred_at=ev.occurred_at,
            payload=ev.payload,
        )
        if digest != ev.hash:
            return count, BrokenLink(stream, ev.seq, ev.pk, "事件内容与摘要不符（事件被改动）")
        prev = ev.hash
        expected_seq += 1
    if head is None:
        return count, BrokenLink(stream, None, None, "链头缺失")
    if head.seq != expected_seq - 1 or head.hash != prev:
        return count, BrokenLink(
            stream,
            expected_seq,
            None,
            f"链尾与链头不符：链头记录 {head.seq} 条，实存 {expected_seq - 1} 条（末尾事件被删除）",
        )
    return count, None


def verify_chains(*, stream: str | None = None) -> VerifyReport:
    """校验每条日志链；report the first broken link of each broken stream."""
    report = VerifyReport(broken=[])
    assert report.broken is not None
    heads = {
        h.stream: h
        for h in (JournalHead.objects.filter(stream=stream) if stream else JournalHead.objects.all())
    }
    events = JournalEvent.objects.order_by("stream", "seq")
    if stream:
        events = events.filter(stream=stream)
    seen: set[str] = set()
    current: str | None = None
    bucket: list[JournalEvent] = []

    def flush() -> None:
        if current is None:
            return
        n, broken = _verify_stream(current, iter(bucket), heads.get(current))
        report.streams += 1
        report.events += n
        if broken:
            report.broken.append(broken)  # type: ignore[union-attr]

    for ev in events.iterator(chunk_size=2000):
        if ev.stream != current:
            flush()
            current = ev.stream
            seen.add(current)
            bucket = []
        bucket.append(ev)
    flush()
    for name, head in heads.items():
        if name not in seen and head.seq > 0:
            report.streams += 1
            report.broken.append(BrokenLink(name, 1, None, f"链头记录 {head.seq} 条，但事件全部缺失"))
    return report
