"""协助执行协议 v1 — the open HTTP+JSON protocol between the platform and the agencies.

Both sides import this module (the platform's adapter and the agency simulator), so it imports
nothing from Django. The normative text is ``docs/agency-protocol.md`` and
``docs/agency-protocol.openapi.yaml``; this module is its reference implementation:

* :func:`sign` / :func:`verify` — the HMAC-SHA256 signature every request and callback carries;
* :class:`Act`, :class:`ReplyStatus`, :data:`ASSET_KINDS` — the protocol's vocabulary;
* :func:`parse_reply` — strict validation of a reply or callback body (a malformed reply is an
  error the sender retries, never a silently accepted answer).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

VERSION = "zhixing-agency/1"
REQUESTS_PATH = "/v1/requests"  # appended to an agency's endpoint
CALLBACK_PATH = "/api/v1/agencies/callbacks"  # on the platform

HEADER_KEY = "X-Zhixing-Key"
HEADER_TIMESTAMP = "X-Zhixing-Timestamp"
HEADER_SIGNATURE = "X-Zhixing-Signature"
MAX_SKEW_SECONDS = 300


class Act(StrEnum):
    """协助执行事项。"""

    INQUIRY = "inquiry"  # 查询
    FREEZE = "freeze"  # 冻结
    SEAL = "seal"  # 查封
    SEIZURE = "seizure"  # 扣押
    DEDUCTION = "deduction"  # 扣划
    RENEWAL = "renewal"  # 续行（续冻、续封）
    RELEASE = "release"  # 解除（解冻、解封）
    ASSISTANCE_NOTICE = "assistance_notice"  # 协助执行通知
    JOINT_REVIEW = "joint_review"  # 联合审查（处置前）
    TITLE_TRANSFER = "title_transfer"  # 过户（处置后）


CONTROL_ACTS = frozenset({Act.FREEZE, Act.SEAL, Act.SEIZURE})


class ReplyStatus(StrEnum):
    ACCEPTED = "accepted"  # received; the answer follows by callback
    PROCESSING = "processing"  # interim progress (optional); never overrides a final answer
    COMPLETED = "completed"  # final: done, result attached
    REJECTED = "rejected"  # final: the agency refuses or cannot (reason_code, reason)


FINAL_STATUSES = frozenset({ReplyStatus.COMPLETED, ReplyStatus.REJECTED})


# Kinds of asset an inquiry may return (our enums; an agency's own vocabulary stays in its adapter).
ASSET_KINDS = (
    "bank_deposit",  # 银行存款
    "real_estate",  # 不动产
    "vehicle",  # 机动车
    "equity",  # 股权
    "securities",  # 证券
    "provident_fund",  # 住房公积金
    "income",  # 收入（税务）
    "household",  # 户籍（信息，非财产）
    "marriage",  # 婚姻登记（信息，非财产）
)

# What the registry records as an agency's kind, and the acts each kind typically supports.
AGENCY_KINDS = {
    "bank": (Act.INQUIRY, Act.FREEZE, Act.DEDUCTION, Act.RENEWAL, Act.RELEASE, Act.ASSISTANCE_NOTICE),
    "real_estate_registry": (
        Act.INQUIRY,
        Act.SEAL,
        Act.RENEWAL,
        Act.RELEASE,
        Act.ASSISTANCE_NOTICE,
        Act.JOINT_REVIEW,
        Act.TITLE_TRANSFER,
    ),
    "public_security": (Act.INQUIRY, Act.SEAL, Act.SEIZURE, Act.RENEWAL, Act.RELEASE, Act.ASSISTANCE_NOTICE),
    "civil_affairs": (Act.INQUIRY,),
    "market_regulation": (Act.INQUIRY, Act.FREEZE, Act.RENEWAL, Act.RELEASE, Act.TITLE_TRANSFER),
    "securities_depository": (Act.INQUIRY, Act.FREEZE, Act.RENEWAL, Act.RELEASE, Act.DEDUCTION),
    "provident_fund": (Act.INQUIRY, Act.FREEZE, Act.DEDUCTION, Act.RENEWAL, Act.RELEASE),
    "tax": (Act.INQUIRY, Act.ASSISTANCE_NOTICE),
    "grid": (Act.ASSISTANCE_NOTICE,),
}


class ProtocolError(ValueError):
    """The other side sent something the protocol does not allow (bad signature, malformed body)."""


# --- signatures -----------------------------------------------------------------------------------
def canonical(method: str, path: str, timestamp: str, body: bytes) -> bytes:
    """The signed string: timestamp, method, path and the body's SHA-256, one per line."""
    return "\n".join([timestamp, method.upper(), path, hashlib.sha256(body).hexdigest()]).encode()


def sign(secret: str, method: str, path: str, body: bytes, *, timestamp: int | None = None) -> dict[str, str]:
    """The signature headers (without the key id) for a request or callback."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    mac = hmac.new(secret.encode(), canonical(method, path, ts, body), hashlib.sha256).hexdigest()
    return {HEADER_TIMESTAMP: ts, HEADER_SIGNATURE: mac}


def signed_headers(key_id: str, secret: str, method: str, path: str, body: bytes) -> dict[str, str]:
    return {"Content-Type": "application/json", HEADER_KEY: key_id, **sign(secret, method, path, body)}


def verify(
    secret: str,
    method: str,
    path: str,
    body: bytes,
    headers: Mapping[str, str],
    *,
    now: float | None = None,
) -> None:
    """Raise :class:`ProtocolError` unless the headers carry a fresh, valid signature of the body."""
    lower = {k.lower(): v for k, v in headers.items()}
    ts = lower.get(HEADER_TIMESTAMP.lower(), "")
    given = lower.get(HEADER_SIGNATURE.lower(), "")
    if not ts or not given:
        raise ProtocolError("missing signature")
    try:
        skew = abs((time.time() if now is None else now) - int(ts))
    except ValueError as e:
        raise ProtocolError("bad timestamp") from e
    if skew > MAX_SKEW_SECONDS:
        raise ProtocolError("stale timestamp")
    expected = hmac.new(secret.encode(), canonical(method, path, ts, body), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, given):
        raise ProtocolError("bad signature")


def derive_secret(master: str, agency_code: str) -> str:
    """A per-agency key derived from one master secret (how the simulator and the demo share keys)."""
    return hmac.new(master.encode(), f"agency-key:{agency_code}".encode(), hashlib.sha256).hexdigest()


def dumps(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=str).encode()


# --- replies --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Reply:
    request_id: str
    status: ReplyStatus
    agency: str = ""
    agency_ref: str = ""
    result: dict[str, Any] = field(default_factory=dict)
    reason_code: str = ""
    reason: str = ""
    answered_at: str = ""

    @property
    def final(self) -> bool:
        return self.status in FINAL_STATUSES


def parse_reply(raw: bytes | str | Mapping[str, Any]) -> Reply:
    """Validate a reply (synchronous response or callback body); raise ProtocolError if malformed."""
    if isinstance(raw, bytes | str):
        try:
            data = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as e:
            raise ProtocolError("reply is not JSON") from e
    else:
        data = dict(raw)
    if not isinstance(data, dict):
        raise ProtocolError("reply is not an object")
    if data.get("protocol") != VERSION:
        raise ProtocolError(f"unsupported protocol {data.get('protocol')!r}")
    request_id = data.get("request_id")
    if not isinstance(request_id, str) or not request_id:
        raise ProtocolError("reply without request_id")
    try:
        status = ReplyStatus(str(data.get("status")))
    except ValueError as e:
        raise ProtocolError(f"unknown status {data.get('status')!r}") from e
    result = data.get("result") or {}
    if not isinstance(result, dict):
        raise ProtocolError("result is not an object")
    if status == ReplyStatus.REJECTED and not data.get("reason_code"):
        raise ProtocolError("rejected without reason_code")
    return Reply(
        request_id=request_id,
        status=status,
        agency=str(data.get("agency", "")),
        agency_ref=str(data.get("agency_ref", "")),
        result=result,
        reason_code=str(data.get("reason_code", "")),
        reason=str(data.get("reason", "")),
        answered_at=str(data.get("answered_at", "")),
    )


def reply_body(reply: Reply) -> dict[str, Any]:
    body: dict[str, Any] = {
        "protocol": VERSION,
        "request_id": reply.request_id,
        "status": str(reply.status),
        "agency": reply.agency,
        "agency_ref": reply.agency_ref,
        "result": reply.result,
        "answered_at": reply.answered_at,
    }
    if reply.status == ReplyStatus.REJECTED:
        body["reason_code"] = reply.reason_code
        body["reason"] = reply.reason
    return body
