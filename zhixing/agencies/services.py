"""协助执行网络的写操作：registry, requests (the outbox), dispatch, answers, notices, the desk.

Reliability (docs/decisions/0007-agency-outbox.md):

* :func:`request_create` writes the row in the caller's transaction — no decision, no request;
  no request, no decision.
* :func:`dispatch_due` claims due rows with a lease (committed), sends them with no transaction
  open, and records each outcome in its own transaction. A worker killed after sending leaves
  the row ``sending`` with a lease that runs out; the next run sends it again **with the same
  request id**, which the agency answers from its record without doing the act twice.
* :func:`reply_record` records a final answer once, whichever arrives first (the synchronous
  response, a callback, a repeated callback, an answer after a poll, a clerk's answer on the
  desk); later copies only count as duplicates; an interim status never overrides a final one.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from zhixing.agencies import adapters, protocol
from zhixing.agencies.models import Agency, AgencyMember, AgencyNotice, AgencyRequest
from zhixing.agencies.protocol import Act, Reply, ReplyStatus
from zhixing.cases.models import EnforcementCase
from zhixing.core import identity
from zhixing.core.errors import Conflict, NotFound, PermissionDenied, ServiceError
from zhixing.core.journal import journal_append
from zhixing.core.models import Court, Party, User
from zhixing.core.roles import CASE_ROLES, Role

logger = logging.getLogger("zhixing.agencies")

S = AgencyRequest.Status
OPEN = (S.QUEUED, S.SENDING, S.AWAITING)
# Who may resend a failed request: the case handlers and the command centre.
OPERATOR_ROLES = frozenset({*CASE_ROLES, Role.COMMAND_OPERATOR})


# --- what other apps do with answers --------------------------------------------------------------
@dataclass
class Origin:
    """How an app that sends requests handles their outcomes (run inside the recording transaction)."""

    on_reply: Callable[[AgencyRequest, Reply], None]
    on_failure: Callable[[AgencyRequest], None] = lambda request: None


_ORIGINS: dict[str, Origin] = {}
_NOTICE_HANDLERS: dict[str, Callable[[Agency, AgencyNotice], None]] = {}


def register_origin(name: str, origin: Origin) -> None:
    _ORIGINS[name] = origin


def register_notice_handler(event: str, fn: Callable[[Agency, AgencyNotice], None]) -> None:
    _NOTICE_HANDLERS[event] = fn


# --- registry --------------------------------------------------------------------------------------
def agency_register(
    *,
    code: str,
    name: str,
    kind: str,
    region: str = "",
    endpoint: str = "",
    key_id: str = "",
    secret: str = "",
    acts: Iterable[str] | None = None,
    answer_hours: int | None = None,
    active: bool = True,
) -> Agency:
    """登记（或更新）协助执行单位。"""
    chosen = agency_validate(kind=kind, acts=acts, endpoint=endpoint, secret=secret)
    if answer_hours is None:
        from zhixing.rules.params import param

        answer_hours = int(param("agency_answer_hours", on=timezone.localdate()).get(kind, 72))
    agency, _ = Agency.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "kind": kind,
            "region": region,
            "endpoint": endpoint.rstrip("/"),
            "key_id": key_id or code,
            "secret": secret,
            "acts": chosen,
            "answer_hours": answer_hours,
            "active": active,
        },
    )
    return agency


def agency_validate(*, kind: str, acts: Iterable[str] | None, endpoint: str, secret: str) -> list[str]:
    """The checks of a registration (also run by the back-office form); returns the acts."""
    if kind not in Agency.Kind.values:
        raise ServiceError(f"未知的单位类别「{kind}」", code="bad_kind", field="kind")
    chosen = list(acts) if acts is not None else [str(a) for a in protocol.AGENCY_KINDS.get(kind, ())]
    unknown = [a for a in chosen if a not in Act.__members__.values()]
    if unknown:
        raise ServiceError(f"未知的协助事项：{'、'.join(unknown)}", code="bad_act", field="acts")
    if endpoint and not secret:
        raise ServiceError("已对接的单位须登记签名密钥", code="secret_required", field="secret")
    return chosen


def agency_member_add(*, user: User, agency: Agency) -> AgencyMember:
    member, _ = AgencyMember.objects.update_or_create(user=user, defaults={"agency": agency})
    return member


# --- requests (the outbox) ----------------------------------------------------------------------
def request_create(
    *,
    agency: Agency,
    act: str,
    court: Court,
    purpose: str,
    legal_basis: list[dict[str, Any]],
    origin: str,
    origin_ref: str = "",
    case: EnforcementCase | None = None,
    subject: Party | None = None,
    officer: User | None = None,
    payload: dict[str, Any] | None = None,
) -> AgencyRequest:
    """生成协助请求。Call inside the transaction of the decision; then :func:`dispatch_kick` once."""
    if not agency.active:
        raise ServiceError(f"{agency.name}已停用", code="agency_inactive")
    if not agency.supports(act):
        raise ServiceError(f"{agency.name}不办理「{act}」", code="act_not_supported", field="act")
    if not purpose.strip():
        raise ServiceError("须写明查控用途", code="purpose_required", field="purpose")
    if not legal_basis:
        raise ServiceError("须写明法律依据", code="legal_basis_required")
    if origin not in _ORIGINS:
        raise ServiceError(f"未登记的请求来源「{origin}」", code="bad_origin")
    now = timezone.now()
    desk = not agency.integrated
    return AgencyRequest.objects.create(
        agency=agency,
        act=act,
        court=court,
        case=case,
        subject=subject,
        officer=officer,
        origin=origin,
        origin_ref=origin_ref,
        legal_basis=legal_basis,
        purpose=purpose.strip()[:255],
        payload=payload or {},
        status=S.AWAITING if desk else S.QUEUED,
        next_attempt_at=now,
        first_sent_at=now if desk else None,  # on the desk at once: the answer time runs from now
        due_at=now + dt.timedelta(hours=agency.answer_hours) if desk else None,
    )


def dispatch_kick() -> None:
    """Enqueue one dispatcher run, in the caller's transaction (the periodic sweep is the safety net)."""
    from zhixing.agencies.tasks import agencies_dispatch

    agencies_dispatch.enqueue()


# --- dispatch ----------------------------------------------------------------------------------------
@dataclass
class DispatchReport:
    claimed: int = 0
    answered: int = 0
    accepted: int = 0
    retried: int = 0
    failed: int = 0
    resent: int = 0
    errors: list[str] = field(default_factory=list)


def _lease() -> dt.timedelta:
    """How long a claimed row stays claimed: a dead sender's rows come back after it."""
    configured = float(getattr(settings, "AGENCY_LEASE_SECONDS", 0) or 0)
    return dt.timedelta(seconds=configured or max(30.0, 3 * float(settings.AGENCY_HTTP_TIMEOUT)))


def _backoff(attempts: int) -> dt.timedelta:
    base = float(getattr(settings, "AGENCY_RETRY_BACKOFF_SECONDS", 10))
    cap = float(getattr(settings, "AGENCY_RETRY_MAX_BACKOFF_SECONDS", 1800))
    return dt.timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def _max_attempts() -> int:
    return int(getattr(settings, "AGENCY_MAX_ATTEMPTS", 10))


def _poll_after() -> dt.timedelta:
    return dt.timedelta(seconds=float(getattr(settings, "AGENCY_POLL_SECONDS", 600)))


def _callback_url() -> str:
    return f"{settings.PUBLIC_URL}{protocol.CALLBACK_PATH}"


def _subject(party: Party | None) -> dict[str, str] | None:
    if party is None:
        return None
    return {"name": party.name, "id_type": party.id_type, "id_number": identity.decrypt(party.id_cipher)}


def request_body(row: AgencyRequest) -> bytes:
    """The protocol body of a request (the subject's identity number is decrypted only here)."""
    officer = row.officer
    fields: dict[str, Any] = {
        "request_id": str(row.request_id),
        "act": row.act,
        "court": {"code": row.court.court_code, "name": row.court.name},
        "case_number": row.case.case_number if row.case else "",
        "officer": {
            "name": officer.full_name if officer else "系统",
            "badge": officer.username if officer else "",
        },
        "legal_basis": row.legal_basis,
        "purpose": row.purpose,
        "subject": _subject(row.subject),
        "callback_url": _callback_url(),
        "sent_at": (row.first_sent_at or timezone.now()).isoformat(),
        **row.payload,
    }
    return adapters.request_body(fields)


def _call(row: AgencyRequest) -> adapters.Call:
    agency = row.agency
    if row.status == S.AWAITING:
        url = f"{agency.endpoint}{protocol.REQUESTS_PATH}/{row.request_id}"
        return adapters.Call(row.pk, "GET", url, adapters.path_of(url), b"", agency.key_id, agency.secret)
    url = f"{agency.endpoint}{protocol.REQUESTS_PATH}"
    return adapters.Call(
        row.pk, "POST", url, adapters.path_of(url), request_body(row), agency.key_id, agency.secret
    )


def _claim(limit: int, now: dt.datetime) -> list[adapters.Call]:
    due = (
        Q(status=S.QUEUED, next_attempt_at__lte=now)
        | Q(status=S.SENDING, lease_until__lt=now)
        | (
            Q(status=S.AWAITING, next_attempt_at__lte=now, agency__endpoint__gt="")
            & (Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        )
    )
    with transaction.atomic():
        qs = AgencyRequest.objects.filter(due).select_related("agency", "court", "case", "subject", "officer")
        if connection.vendor == "postgresql":
            qs = qs.select_for_update(skip_locked=True, of=("self",))
        rows = list(qs.order_by("next_attempt_at", "pk")[:limit])
        lease = now + _lease()
        polls = [r.pk for r in rows if r.status == S.AWAITING]
        if polls:
            AgencyRequest.objects.filter(pk__in=polls).update(lease_until=lease)
        sends: dict[int, list[AgencyRequest]] = {}  # by answer time (one UPDATE per distinct value)
        for row in rows:
            row.lease_until = lease
            if row.status != S.AWAITING:
                row.status = S.SENDING
                row.attempts += 1
                row.last_sent_at = now
                if row.first_sent_at is None:
                    row.first_sent_at = now
                    row.due_at = now + dt.timedelta(hours=row.agency.answer_hours)
                sends.setdefault(row.agency.answer_hours, []).append(row)
        for hours, group in sends.items():
            AgencyRequest.objects.filter(pk__in=[r.pk for r in group]).update(
                status=S.SENDING,
                lease_until=lease,
                attempts=F("attempts") + 1,
                last_sent_at=now,
                first_sent_at=Coalesce("first_sent_at", Value(now)),
                due_at=Coalesce("due_at", Value(now + dt.timedelta(hours=hours))),
            )
    return [_call(row) for row in rows]


def dispatch_due(*, limit: int = 200, now: dt.datetime | None = None) -> DispatchReport:
    """发送到期的协助请求（及询问迟迟未回调的请求）。Safe to run in several workers at once."""
    now = now or timezone.now()
    report = DispatchReport()
    calls = _claim(limit, now)
    report.claimed = len(calls)
    outcomes = adapters.send(
        calls,
        timeout=float(settings.AGENCY_HTTP_TIMEOUT),
        concurrency=int(settings.AGENCY_DISPATCH_CONCURRENCY),
    )
    for call, outcome in zip(calls, outcomes, strict=True):
        try:
            _record_outcome(call, outcome, report)
        except Exception as e:  # one row's problem never blocks the others; the lease brings it back
            logger.exception("recording the outcome of agency request %s failed", call.request_pk)
            report.errors.append(f"{call.request_pk}: {e}")
    return report


def dispatch_all(*, rounds: int = 1000) -> DispatchReport:
    """Dispatch until nothing is due (tests, benchmarks, the demo seed)."""
    total = DispatchReport()
    for _ in range(rounds):
        r = dispatch_due()
        if not r.claimed:
            break
        for name in ("claimed", "answered", "accepted", "retried", "failed", "resent"):
            setattr(total, name, getattr(total, name) + getattr(r, name))
        total.errors += r.errors
    return total


def _record_outcome(call: adapters.Call, outcome: adapters.Outcome, report: DispatchReport) -> None:
    now = timezone.now()
    pk = call.request_pk
    if outcome.kind == "answered":
        assert outcome.reply is not None
        reply_record(request_pk=pk, reply=outcome.reply, expected_agency_id=None)
        report.answered += 1
        return
    live = AgencyRequest.objects.filter(pk=pk, status__in=[S.SENDING, S.AWAITING])
    if outcome.kind == "accepted":
        assert outcome.reply is not None
        live.update(
            status=S.AWAITING,
            interim_status=outcome.reply.status,
            agency_ref=outcome.reply.agency_ref,
            lease_until=None,
            next_attempt_at=now + _poll_after(),
            last_error="",
        )
        report.accepted += 1
        return
    if outcome.kind == "unknown":  # a poll found the agency never received it: send it again
        live.update(status=S.QUEUED, lease_until=None, next_attempt_at=now, last_error=outcome.error)
        report.resent += 1
        return
    if call.method == "GET":  # a failed poll: ask again later
        live.update(lease_until=None, next_attempt_at=now + _poll_after(), last_error=outcome.error)
        report.retried += 1
        return
    row = AgencyRequest.objects.filter(pk=pk).only("attempts").first()
    if row is None:
        return
    if outcome.kind == "transient" and row.attempts < _max_attempts():
        AgencyRequest.objects.filter(pk=pk, status=S.SENDING).update(
            status=S.QUEUED,
            lease_until=None,
            next_attempt_at=now + _backoff(row.attempts),
            last_error=outcome.error,
        )
        report.retried += 1
        return
    request_fail(request_pk=pk, error=outcome.error)
    report.failed += 1


def _alert(row: AgencyRequest, kind: str, payload: dict[str, Any]) -> None:
    body = {"request_id": str(row.request_id), "agency": row.agency.code, "act": row.act, **payload}
    stream = row.case.stream if row.case else f"court:{row.court_id}:agencies"
    journal_append(stream=stream, kind=kind, actor=None, payload=body, court=row.court)


@transaction.atomic
def request_fail(*, request_pk: int, error: str) -> AgencyRequest | None:
    """发送失败（永久）：marked failed, the case alerted, the origin told. No-op once answered."""
    row = (
        AgencyRequest.objects.select_for_update(of=("self",))
        .select_related("agency", "case", "court")
        .filter(pk=request_pk, status__in=OPEN)
        .first()
    )
    if row is None:
        return None
    row.status = S.FAILED
    row.lease_until = None
    row.last_error = error[:2000]
    row.save(update_fields=["status", "lease_until", "last_error"])
    _alert(row, "agency_request.failed", {"error": error[:300], "attempts": row.attempts})
    _ORIGINS[row.origin].on_failure(row)
    return row


def request_retry(*, actor: User, request_pk: int) -> AgencyRequest:
    """重新发送失败的请求（同一请求编号，协助单位不会重复办理）。"""
    row = AgencyRequest.objects.select_related("court").filter(pk=request_pk).first()
    if row is None:
        raise NotFound("没有这个协助请求")
    from zhixing.core.scoping import scope_for

    if not scope_for(actor).allows_court(row.court_id) or actor.role not in OPERATOR_ROLES:
        raise PermissionDenied("无权重新发送该请求")
    if row.status != S.FAILED:
        raise Conflict("只有发送失败的请求可以重新发送", code="not_failed")
    AgencyRequest.objects.filter(pk=row.pk, status=S.FAILED).update(
        status=S.QUEUED, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )
    dispatch_kick()
    row.refresh_from_db()
    return row


# --- answers ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Recorded:
    request: AgencyRequest
    duplicate: bool


def reply_record(
    *,
    request_pk: int | None = None,
    request_id: str | None = None,
    reply: Reply,
    expected_agency_id: int | None,
    answered_by: User | None = None,
) -> Recorded:
    """记录答复：a final answer once; duplicates counted; an interim status never overrides a final one."""
    with transaction.atomic():
        qs = AgencyRequest.objects.select_for_update(of=("self",)).select_related(
            "agency", "case", "court", "subject"
        )
        try:
            if request_pk is not None:
                row = qs.get(pk=request_pk)
            else:
                row = qs.get(request_id=uuid.UUID(str(request_id)))
        except (AgencyRequest.DoesNotExist, ValueError) as e:
            raise NotFound("没有这个协助请求", code="unknown_request") from e
        if expected_agency_id is not None and row.agency_id != expected_agency_id:
            raise NotFound("没有这个协助请求", code="unknown_request")
        if row.status == S.ANSWERED:
            AgencyRequest.objects.filter(pk=row.pk).update(duplicates=F("duplicates") + 1)
            return Recorded(row, True)
        if not reply.final:
            row.interim_status = reply.status
            if reply.agency_ref:
                row.agency_ref = reply.agency_ref
            row.save(update_fields=["interim_status", "agency_ref"])
            return Recorded(row, False)
        was_failed = row.status == S.FAILED
        row.status = S.ANSWERED
        row.reply_status = reply.status
        row.reply = reply.result
        row.agency_ref = reply.agency_ref or row.agency_ref
        row.reason_code = reply.reason_code
        row.reason = reply.reason
        row.answered_at = timezone.now()
        row.answered_by = answered_by
        row.lease_until = None
        row.last_error = ""
        row.save()
        if was_failed:
            _alert(row, "agency_request.answered_late", {"status": reply.status})
        try:
            with transaction.atomic():
                _ORIGINS[row.origin].on_reply(row, reply)
        except Exception as e:  # the answer stays recorded; the handling error is shown and alerted
            logger.exception("handling the answer of agency request %s failed", row.pk)
            row.handler_error = f"{type(e).__name__}: {e}"[:2000]
            row.save(update_fields=["handler_error"])
            _alert(row, "agency_request.handler_failed", {"error": row.handler_error[:300]})
        return Recorded(row, False)


def callback_receive(
    *, key_id: str, method: str, path: str, body: bytes, headers: dict[str, str]
) -> Recorded | None:
    """处理协助单位的回调（已验签后记录）。Returns None for an unsolicited notice."""
    agency = Agency.objects.filter(code=key_id, active=True).first()
    if agency is None or not agency.secret:
        raise PermissionDenied("未知的协助单位", code="bad_signature")
    try:
        protocol.verify(agency.secret, method, path, body, headers)
    except protocol.ProtocolError as e:
        raise PermissionDenied(f"签名无效：{e}", code="bad_signature") from e
    try:
        reply = protocol.parse_reply(body)
    except protocol.ProtocolError as e:
        raise ServiceError(f"答复格式错误：{e}", code="malformed_reply") from e
    if reply.request_id.startswith("notice:"):
        notice_record(agency=agency, reply=reply)
        return None
    return reply_record(request_id=reply.request_id, reply=reply, expected_agency_id=agency.pk)


def notice_record(*, agency: Agency, reply: Reply) -> AgencyNotice | None:
    """协助单位的主动通知：recorded once; handled by the app registered for its event."""
    event = str(reply.result.get("event", ""))
    try:
        with transaction.atomic():
            notice = AgencyNotice.objects.create(
                agency=agency, notice_id=reply.request_id, event=event, body=reply.result
            )
            handler = _NOTICE_HANDLERS.get(event)
            if handler is not None:
                try:
                    with transaction.atomic():
                        handler(agency, notice)
                    notice.handled = True
                except Exception as e:
                    logger.exception("handling agency notice %s failed", notice.notice_id)
                    notice.handler_error = f"{type(e).__name__}: {e}"[:2000]
                notice.save(update_fields=["handled", "handler_error"])
            return notice
    except IntegrityError:
        return None  # the same notice again


# --- the agency desk ----------------------------------------------------------------------------------
def desk_agency(actor: User) -> Agency:
    member = AgencyMember.objects.select_related("agency").filter(user=actor).first()
    if member is None or not actor.is_active:
        raise PermissionDenied("您不是协助执行单位的工作人员")
    return member.agency


def desk_answer(
    *,
    actor: User,
    request_pk: int,
    status: str,
    result: dict[str, Any] | None = None,
    reason_code: str = "",
    reason: str = "",
) -> Recorded:
    """工作台人工答复：the clerk of an agency without integration answers a request."""
    agency = desk_agency(actor)
    if status not in (ReplyStatus.COMPLETED, ReplyStatus.REJECTED):
        raise ServiceError("答复结果应为「已办理」或「不能办理」", code="bad_status", field="status")
    if status == ReplyStatus.REJECTED and not reason.strip():
        raise ServiceError("不能办理的须写明理由", code="reason_required", field="reason")
    row = AgencyRequest.objects.filter(pk=request_pk, agency=agency).first()
    if row is None:
        raise NotFound("没有这个协助请求")
    if row.status == S.ANSWERED:
        raise Conflict("该请求已答复", code="already_answered")
    reply = Reply(
        request_id=str(row.request_id),
        status=ReplyStatus(status),
        agency=agency.code,
        agency_ref=f"DESK-{row.pk}",
        result=result or {},
        reason_code=(reason_code or "other") if status == ReplyStatus.REJECTED else "",
        reason=reason.strip(),
        answered_at=timezone.now().isoformat(),
    )
    return reply_record(request_pk=row.pk, reply=reply, expected_agency_id=agency.pk, answered_by=actor)


# --- service levels ---------------------------------------------------------------------------------
def overdue_alert(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """逾期未答复预警：journal each request past its answer time once."""
    now = now or timezone.now()
    n = 0
    for pk in AgencyRequest.objects.filter(
        status__in=OPEN, due_at__lt=now, overdue_alerted_at__isnull=True
    ).values_list("pk", flat=True)[:limit]:
        with transaction.atomic():
            row = (
                AgencyRequest.objects.select_for_update(of=("self",))
                .select_related("agency", "case", "court")
                .filter(pk=pk, overdue_alerted_at__isnull=True, status__in=OPEN)
                .first()
            )
            if row is None:
                continue
            row.overdue_alerted_at = now
            row.save(update_fields=["overdue_alerted_at"])
            _alert(row, "agency_request.overdue", {"due_at": row.due_at.isoformat() if row.due_at else ""})
            n += 1
    return n
