"""协助执行单位模拟器 — serves protocol v1 (docs/agency-protocol.md) for every simulated agency.

One process on loopback answers for all agencies of :mod:`zhixing.simulation.catalogue` at
``/agencies/{code}/v1/requests`` from the seeded :class:`~zhixing.simulation.world.World`, plus
what happened since (measures placed, deductions, transfers), kept in a SQLite state file:

* every request is verified (HMAC, key derived from one master secret per agency), executed
  **once** per ``request_id`` in one ``BEGIN IMMEDIATE`` transaction with its stored reply, and a
  repeat gets the stored reply (same id, other body: 409) — across kills and restarts;
* synchronous agencies answer 200 with the final reply; callback agencies answer 202, execute
  after ``callback_delay_ms`` and POST the final reply to the request's ``callback_url``
  (persisted, retried with back-off until the platform answers 200, given up on 404);
* freezes control at most the free balance; seals and freezes behind others wait (轮候) and are
  promoted when the one before is released, with an unsolicited ``notice:`` callback;
* faults on demand (deterministic with ``fault_seed``): latency, 503 before anything, 500 after
  executing (reply lost), time-outs after executing, malformed replies, duplicate and
  out-of-order callbacks.

Run it with ``zhixing agencies-sim`` or ``python -m zhixing.simulation.agency_sim``; tests start an
:class:`AgencySimulator` in a thread on port 0. Imports nothing from Django or the apps.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import http.client
import json
import logging
import os
import random
import re
import signal
import socket
import sqlite3
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from queue import Empty, SimpleQueue
from typing import Any, cast
from urllib.parse import unquote, urlsplit

from zhixing.agencies import protocol
from zhixing.agencies.protocol import Act, Reply, ReplyStatus
from zhixing.simulation import catalogue
from zhixing.simulation.catalogue import AgencySpec
from zhixing.simulation.world import World, WorldAsset, is_resident_id, is_uscc, money_kind

log = logging.getLogger("zhixing.agency_sim")

CST = timezone(timedelta(hours=8))
CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_BODY = 1 << 20
CALLBACK_TIMEOUT = 5.0
DEFAULT_PORT = 8765

_AGENCY_PATH = re.compile(r"^/agencies/([A-Za-z0-9_.-]+)/v1/requests(?:/([^/]+))?/?$")
_SIM_REQUEST_PATH = re.compile(r"^/_sim/requests/([^/]+)$")

_NEEDS_SUBJECT = {Act.INQUIRY, Act.FREEZE, Act.SEAL, Act.SEIZURE, Act.DEDUCTION, Act.ASSISTANCE_NOTICE}
_NEEDS_ASSET = {Act.FREEZE, Act.SEAL, Act.SEIZURE, Act.DEDUCTION, Act.JOINT_REVIEW, Act.TITLE_TRANSFER}
_NEEDS_AMOUNT = {Act.FREEZE, Act.DEDUCTION}
_NEEDS_TERM = {Act.FREEZE, Act.SEAL, Act.SEIZURE, Act.RENEWAL}
_NEEDS_MEASURE = {Act.DEDUCTION, Act.RENEWAL, Act.RELEASE}
_NEEDS_TEXT = {Act.ASSISTANCE_NOTICE, Act.JOINT_REVIEW, Act.TITLE_TRANSFER}
_SEALABLE = {"real_estate", "vehicle"}

SCHEMA = """
CREATE TABLE IF NOT EXISTS requests (
    request_id   TEXT PRIMARY KEY,
    agency       TEXT NOT NULL,
    act          TEXT NOT NULL,
    body_hash    TEXT NOT NULL,
    body         TEXT NOT NULL,
    http_status  INTEGER NOT NULL,          -- of the first answer: 200 or 202
    first_reply  BLOB NOT NULL,             -- the first answer, returned again to a repeat
    final_reply  BLOB,                      -- the final answer once executed
    status       TEXT NOT NULL,
    callback_url TEXT NOT NULL DEFAULT '',
    received     INTEGER NOT NULL DEFAULT 1,
    executions   INTEGER NOT NULL DEFAULT 0,
    execute_at   REAL,                      -- callback mode: when to execute; NULL once executed
    created_at   REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS requests_execute_at ON requests(execute_at) WHERE execute_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS measures (
    measure_ref     TEXT PRIMARY KEY,
    seq             INTEGER NOT NULL,       -- order of placement on the agency's books
    agency          TEXT NOT NULL,
    asset_ref       TEXT NOT NULL,
    asset_kind      TEXT NOT NULL,
    act             TEXT NOT NULL,          -- freeze / seal / seizure
    court           TEXT NOT NULL,
    request_id      TEXT NOT NULL DEFAULT '',
    callback_url    TEXT NOT NULL DEFAULT '',
    subject_id      TEXT NOT NULL DEFAULT '',
    rank            INTEGER NOT NULL,
    requested       TEXT,                   -- freeze: the amount asked for
    controlled      TEXT,                   -- freeze: the amount held now
    effective_from  TEXT NOT NULL,
    expires_on      TEXT NOT NULL,
    active          INTEGER NOT NULL DEFAULT 1,
    released_on     TEXT,
    foreign_measure INTEGER NOT NULL DEFAULT 0  -- in the world before the simulator saw the asset
);
CREATE INDEX IF NOT EXISTS measures_asset ON measures(asset_ref, active, rank);
CREATE TABLE IF NOT EXISTS asset_state (
    asset_ref      TEXT PRIMARY KEY,
    deducted       TEXT NOT NULL DEFAULT '0.00',
    transferred_to TEXT,
    registered_on  TEXT
);
CREATE TABLE IF NOT EXISTS callbacks (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id      TEXT NOT NULL,
    agency          TEXT NOT NULL,
    url             TEXT NOT NULL,
    body            BLOB NOT NULL,
    kind            TEXT NOT NULL,          -- final / duplicate / processing / notice
    then_processing INTEGER NOT NULL DEFAULT 0,
    due             REAL NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    status          TEXT NOT NULL DEFAULT 'pending',  -- pending / delivered / failed
    last_error      TEXT NOT NULL DEFAULT '',
    delivered_at    REAL
);
CREATE INDEX IF NOT EXISTS callbacks_due ON callbacks(status, due);
"""


# --- small helpers ----------------------------------------------------------------------------------
def _sha(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _money(d: Decimal) -> str:
    return str(d.quantize(CENT))


def _dec(s: str | None) -> Decimal:
    return Decimal(s or "0")


def _now() -> datetime:
    return datetime.now(CST)


def _error(code: str, message: str) -> bytes:
    return protocol.dumps({"error": {"code": code, "message": message}})


class HttpError(Exception):
    """The request itself is wrong: answered with this status and an error object."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class Rejected(Exception):
    """The agency refuses or cannot: a ``rejected`` reply (a legal outcome, not an error)."""

    def __init__(self, reason_code: str, reason: str) -> None:
        super().__init__(reason)
        self.reason_code, self.reason = reason_code, reason


@dataclass
class Faults:
    """Injected faults; change the attributes of a running simulator to change its behaviour."""

    latency_ms: int = 0
    error_rate: float = 0.0  # 503 before doing anything
    drop_rate: float = 0.0  # executed and stored, then 500 (the reply is lost)
    timeout_rate: float = 0.0  # executed and stored, then no answer for timeout_seconds
    timeout_seconds: float = 30.0
    malformed_rate: float = 0.0  # executed and stored, then 200 with a body that is not protocol JSON
    duplicate_callback_rate: float = 0.0  # callbacks sent twice / a late `processing` after the final
    fault_seed: int | None = None
    _rng: random.Random = field(init=False, repr=False)
    _lock: threading.Lock = field(init=False, repr=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.fault_seed) if self.fault_seed is not None else random.Random()

    def draw(self, rate: float) -> bool:
        if rate <= 0:
            return False
        if rate >= 1:
            return True
        with self._lock:
            return self._rng.random() < rate


# --- the parsed request -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Request:
    request_id: str
    act: Act
    court: str
    subject_id: str
    id_type: str
    asset_ref: str
    amount: Decimal | None
    term_from: date | None
    term_to: date | None
    measure_ref: str
    callback_url: str
    text: str
    new_owner: dict[str, Any]


def _parse_date(value: Any, what: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError as e:
        raise HttpError(422, "bad_date", f"{what} 不是 YYYY-MM-DD 日期：{value!r}") from e


def parse_request(body: Any, *, callback_required: bool) -> Request:
    """Check a request body against the protocol (fields by act); HttpError 400/422 if malformed."""
    if not isinstance(body, dict):
        raise HttpError(400, "bad_body", "请求体应为 JSON 对象")
    if body.get("protocol") != protocol.VERSION:
        raise HttpError(422, "unsupported_protocol", f"不支持的协议版本：{body.get('protocol')!r}")
    rid = body.get("request_id")
    if not isinstance(rid, str) or not rid.strip() or len(rid) > 200:
        raise HttpError(422, "bad_request_id", "缺少请求编号 request_id")
    try:
        act = Act(str(body.get("act")))
    except ValueError as e:
        raise HttpError(422, "unknown_act", f"未知的协助事项：{body.get('act')!r}") from e
    court = body.get("court")
    if not isinstance(court, dict) or not isinstance(court.get("code"), str) or not court["code"]:
        raise HttpError(422, "missing_field", "缺少请求法院 court.code")

    def obj(name: str, key: str) -> dict[str, Any]:
        value = body.get(name)
        if not isinstance(value, dict) or not isinstance(value.get(key), str) or not value[key].strip():
            raise HttpError(422, "missing_field", f"{act} 须有 {name}.{key}")
        return value

    subject = obj("subject", "id_number") if act in _NEEDS_SUBJECT else body.get("subject") or {}
    if not isinstance(subject, dict):
        raise HttpError(422, "bad_field", "subject 应为对象")
    asset = obj("asset", "ref") if act in _NEEDS_ASSET else {}
    amount: Decimal | None = None
    if act in _NEEDS_AMOUNT:
        raw = body.get("amount")
        try:
            if isinstance(raw, bool) or not isinstance(raw, str | int):
                raise InvalidOperation
            amount = Decimal(str(raw))
        except InvalidOperation as e:
            raise HttpError(422, "bad_amount", f"金额应为十进制字符串：{raw!r}") from e
        exponent = amount.as_tuple().exponent
        if not amount.is_finite() or amount <= 0 or not isinstance(exponent, int) or exponent < -2:
            raise HttpError(422, "bad_amount", f"金额应为正数，至多两位小数：{raw!r}")
        amount = amount.quantize(CENT)
    term_from = term_to = None
    if act in _NEEDS_TERM:
        term = body.get("term")
        if not isinstance(term, dict) or not term.get("to"):
            raise HttpError(422, "missing_field", f"{act} 须有期限 term.to")
        term_to = _parse_date(term["to"], "term.to")
        term_from = _parse_date(term["from"], "term.from") if term.get("from") else None
    measure_ref = ""
    if act in _NEEDS_MEASURE:
        measure_ref = body.get("measure_ref") or ""
        if not isinstance(measure_ref, str) or not measure_ref:
            raise HttpError(422, "missing_field", f"{act} 须有 measure_ref")
    if act == Act.DEDUCTION and not isinstance(body.get("payee"), dict):
        raise HttpError(422, "missing_field", "扣划须有收款账户 payee")
    text = body.get("text", "")
    if act in _NEEDS_TEXT and not isinstance(body.get("text"), str):
        raise HttpError(422, "missing_field", f"{act} 须有文书内容 text")
    new_owner = body.get("new_owner") or {}
    if act == Act.TITLE_TRANSFER and (not isinstance(new_owner, dict) or not new_owner.get("name")):
        raise HttpError(422, "missing_field", "过户须有新权利人 new_owner.name")
    callback_url = body.get("callback_url") or ""
    if not isinstance(callback_url, str) or (
        callback_url and not callback_url.startswith(("http://", "https://"))
    ):
        raise HttpError(422, "bad_field", "callback_url 应为 http(s) 地址")
    if callback_required and not callback_url:
        raise HttpError(422, "missing_field", "该单位以回调答复，请求须有 callback_url")
    return Request(
        request_id=rid,
        act=act,
        court=court["code"],
        subject_id=str(subject.get("id_number", "")).strip().upper(),
        id_type=str(subject.get("id_type", "")),
        asset_ref=str(asset.get("ref", "")),
        amount=amount,
        term_from=term_from,
        term_to=term_to,
        measure_ref=measure_ref,
        callback_url=callback_url,
        text=str(text),
        new_owner=dict(new_owner) if isinstance(new_owner, dict) else {},
    )


def body_hash(code: str, body: dict[str, Any]) -> str:
    """What makes two requests "the same": the agency and the body, without the volatile ``sent_at``."""
    return _sha(code, protocol.dumps({k: v for k, v in body.items() if k != "sent_at"}).decode())


# --- the state file ---------------------------------------------------------------------------------
class Store:
    """The SQLite state file: WAL, synchronous=NORMAL; one write connection under a lock, pooled readers."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self.lock = threading.Lock()
        self._writer = self._connect()
        self._writer.executescript(SCHEMA)
        self._readers: SimpleQueue[sqlite3.Connection] = SimpleQueue()
        self._all: list[sqlite3.Connection] = [self._writer]
        self.closed = False

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA busy_timeout=30000")
        return conn

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE … COMMIT); rolled back on any exception."""
        with self.lock:
            if self.closed:
                raise RuntimeError("the simulator's state file is closed")
            conn = self._writer
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        try:
            conn = self._readers.get_nowait()
        except Empty:
            conn = self._connect()
            with self.lock:
                self._all.append(conn)
        try:
            yield conn
        finally:
            self._readers.put(conn)

    def close(self) -> None:
        with self.lock:
            self.closed = True
            for conn in self._all:
                conn.close()


# --- the simulator ----------------------------------------------------------------------------------
class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024
    allow_reuse_address = True
    sim: AgencySimulator


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive; every answer has a Content-Length
    server_version = "zhixing-agency-sim/1"
    sys_version = ""
    timeout = 300  # an idle keep-alive connection is closed after this

    def setup(self) -> None:
        super().setup()
        with contextlib.suppress(OSError):  # not a TCP socket
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        cast(_Server, self.server).sim.handle(self, "GET")

    def do_POST(self) -> None:
        cast(_Server, self.server).sim.handle(self, "POST")

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass  # the simulator logs one line per request itself

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)


class AgencySimulator:
    """All simulated agencies behind one HTTP server; ``start()`` in a thread, ``stop()`` to end it."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        state_path: str | Path,
        master_secret: str,
        seed: int = 2026,
        latency_ms: int = 0,
        error_rate: float = 0.0,
        drop_rate: float = 0.0,
        timeout_rate: float = 0.0,
        timeout_seconds: float = 30.0,
        malformed_rate: float = 0.0,
        duplicate_callback_rate: float = 0.0,
        callback_delay_ms: int = 200,
        all_sync: bool = False,
        fault_seed: int | None = None,
        delivery_threads: int = 8,
    ) -> None:
        if not master_secret:
            raise ValueError("the simulator needs a master secret")
        self.host, self.port = host, port
        self.master_secret = master_secret
        self.world = World(seed)
        self.agencies = {s.code: s for s in catalogue.catalogue()}
        self.faults = Faults(
            latency_ms=latency_ms,
            error_rate=error_rate,
            drop_rate=drop_rate,
            timeout_rate=timeout_rate,
            timeout_seconds=timeout_seconds,
            malformed_rate=malformed_rate,
            duplicate_callback_rate=duplicate_callback_rate,
            fault_seed=fault_seed,
        )
        self.callback_delay_ms = callback_delay_ms
        self.all_sync = all_sync
        self.state_path = Path(state_path)
        self.store = Store(self.state_path)
        self._secrets = {code: protocol.derive_secret(master_secret, code) for code in self.agencies}
        self._server: _Server | None = None
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()
        self._wake = threading.Event()
        self._pool = ThreadPoolExecutor(
            max_workers=max(1, delivery_threads), thread_name_prefix="agency-sim-cb"
        )
        self._inflight: set[int] = set()
        self._inflight_lock = threading.Lock()
        self._tls = threading.local()
        self._counters: dict[str, int] = {
            "rejected_signatures": 0,
            "errors": 0,
            "dropped": 0,
            "timeouts": 0,
            "malformed": 0,
        }
        self._counter_lock = threading.Lock()

    # --- life cycle -------------------------------------------------------------------------------
    def start(self) -> int:
        """Bind, serve in a background thread, start callback delivery; return the bound port."""
        server = _Server((self.host, self.port), _Handler)
        server.sim = self
        self._server = server
        self.port = server.server_address[1]
        for name, target in (("agency-sim-http", self._serve), ("agency-sim-delivery", self._delivery_loop)):
            t = threading.Thread(target=target, name=name, daemon=True)
            t.start()
            self._threads.append(t)
        log.info(
            "协助执行单位模拟器已启动 http://%s:%d （%d 个单位）", self.host, self.port, len(self.agencies)
        )
        return self.port

    def _serve(self) -> None:
        assert self._server is not None
        self._server.serve_forever(poll_interval=0.1)

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        for t in self._threads:
            t.join(timeout=5)
        self._pool.shutdown(wait=False, cancel_futures=True)
        self.store.close()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def endpoint(self, code: str) -> str:
        """The protocol endpoint of one simulated agency (``POST {endpoint}/v1/requests``)."""
        return f"{self.url}/agencies/{code}"

    def secret(self, code: str) -> str:
        return self._secrets[code]

    def _count(self, name: str) -> None:
        with self._counter_lock:
            self._counters[name] += 1

    # --- HTTP -------------------------------------------------------------------------------------
    def handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        started = time.perf_counter()
        path = urlsplit(h.path).path
        what = ""
        status = 500
        try:
            if h.headers.get("Transfer-Encoding"):
                h.close_connection = True
                raise HttpError(411, "length_required", "请以 Content-Length 发送请求体")
            length = int(h.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                h.close_connection = True
                raise HttpError(413, "too_large", "请求体过大")
            raw = h.rfile.read(length) if length > 0 else b""
            if path.startswith("/_sim/"):
                status, body = self._handle_sim(method, path)
                self._send(h, status, body)
                return
            m = _AGENCY_PATH.match(path)
            if m is None:
                raise HttpError(404, "not_found", "没有这个地址")
            code, rid_in_path = m.group(1), m.group(2)
            status, what = self._handle_agency(h, method, path, code, rid_in_path, raw)
        except HttpError as e:
            status = e.status
            self._send_quietly(h, e.status, _error(e.code, e.message))
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (its time-out)
            h.close_connection = True
            status = 499
        except Exception:
            log.exception("agency simulator: %s %s failed", method, path)
            status = 500
            self._send_quietly(h, 500, _error("internal", "模拟器内部错误"))
        finally:
            if not path.startswith("/_sim/"):
                elapsed = (time.perf_counter() - started) * 1000
                log.info("%s %s %s → %d %.1fms", method, path, what, status, elapsed)

    def _send_quietly(self, h: BaseHTTPRequestHandler, status: int, body: bytes) -> None:
        try:
            self._send(h, status, body)
        except (BrokenPipeError, ConnectionResetError):
            h.close_connection = True

    @staticmethod
    def _send(
        h: BaseHTTPRequestHandler, status: int, body: bytes, content_type: str = "application/json"
    ) -> None:
        h.send_response(status)
        h.send_header("Content-Type", f"{content_type}; charset=utf-8")
        h.send_header("Content-Length", str(len(body)))
        if status == 503:
            h.send_header("Retry-After", "1")
        h.end_headers()
        h.wfile.write(body)

    def _handle_agency(
        self,
        h: BaseHTTPRequestHandler,
        method: str,
        path: str,
        code: str,
        rid_in_path: str | None,
        raw: bytes,
    ) -> tuple[int, str]:
        f = self.faults
        error, drop = f.draw(f.error_rate), f.draw(f.drop_rate)
        stall, malformed = f.draw(f.timeout_rate), f.draw(f.malformed_rate)
        if f.latency_ms > 0:
            time.sleep(f.latency_ms / 1000)
        if error:
            self._count("errors")
            raise HttpError(503, "unavailable", "协助单位系统繁忙（模拟故障）")
        spec = self.agencies.get(code)
        if spec is None or not spec.integrated:
            raise HttpError(404, "unknown_agency", f"没有对接的协助单位 {code}")
        try:
            protocol.verify(self._secrets[code], method, path, raw, dict(h.headers.items()))
        except protocol.ProtocolError as e:
            self._count("rejected_signatures")
            raise HttpError(401, "bad_signature", f"签名无效：{e}") from e
        if method == "GET":
            if rid_in_path is None:
                raise HttpError(405, "method_not_allowed", "请以 POST 提交请求")
            status, body = self._stored_reply(code, unquote(rid_in_path))
            what = f"GET-reply {unquote(rid_in_path)}"
        else:
            if rid_in_path is not None:
                raise HttpError(405, "method_not_allowed", "请求答复请用 GET")
            try:
                parsed = json.loads(raw)
            except (ValueError, UnicodeDecodeError) as e:
                raise HttpError(400, "bad_json", "请求体不是 JSON") from e
            callback_mode = spec.answer_mode == "callback" and not self.all_sync
            req = parse_request(parsed, callback_required=callback_mode)
            what = f"{req.act} {req.request_id}"
            status, body = self.receive(spec, req, parsed)
        if drop:
            self._count("dropped")
            raise HttpError(500, "internal", "协助单位系统错误（模拟故障：答复丢失）")
        if stall:
            self._count("timeouts")
            time.sleep(f.timeout_seconds)
        if malformed:
            self._count("malformed")
            self._send(h, 200, self._malformed(body))
            return 200, what + " (malformed)"
        self._send(h, status, body)
        return status, what

    def _malformed(self, body: bytes) -> bytes:
        variant = self.faults.draw(0.5)
        if variant:
            return body[: max(1, len(body) // 2)]  # truncated JSON
        return b"<html><body>502 Bad Gateway</body></html>"

    def _handle_sim(self, method: str, path: str) -> tuple[int, bytes]:
        if method == "GET" and path == "/_sim/health":
            return 200, protocol.dumps({"ok": True})
        if method == "GET" and path == "/_sim/stats":
            return 200, protocol.dumps(self.stats())
        if method == "POST" and path == "/_sim/reset":
            self.reset()
            return 200, protocol.dumps({"ok": True})
        m = _SIM_REQUEST_PATH.match(path)
        if method == "GET" and m:
            info = self.request_info(unquote(m.group(1)))
            if info is None:
                raise HttpError(404, "unknown_request", "模拟器未收到该请求")
            return 200, protocol.dumps(info)
        raise HttpError(404, "not_found", "没有这个地址")

    # --- receiving a request ----------------------------------------------------------------------
    def receive(self, spec: AgencySpec, req: Request, body: dict[str, Any]) -> tuple[int, bytes]:
        """Store (and, for a synchronous answer, execute) a request once; a repeat gets the first answer."""
        digest = body_hash(spec.code, body)
        now = time.time()
        with self.store.write() as c:
            row = c.execute(
                "SELECT body_hash, http_status, first_reply FROM requests WHERE request_id = ?",
                (req.request_id,),
            ).fetchone()
            if row is not None:
                if row["body_hash"] != digest:
                    raise HttpError(409, "conflict", "同一请求编号的请求内容不同")
                c.execute(
                    "UPDATE requests SET received = received + 1 WHERE request_id = ?", (req.request_id,)
                )
                return int(row["http_status"]), bytes(row["first_reply"])
            stored = json.dumps(body, ensure_ascii=False)
            if str(req.act) not in spec.acts:
                reply = self._reply(
                    spec, req.request_id, Rejected("not_supported", f"{spec.name}不办理「{req.act}」")
                )
                self._insert(c, spec, req, digest, stored, 200, reply, reply, executions=1, execute_at=None)
                return 200, reply
            if spec.answer_mode == "callback" and not self.all_sync:
                accepted = self._reply(spec, req.request_id, None)
                execute_at = now + self.callback_delay_ms / 1000
                self._insert(
                    c, spec, req, digest, stored, 202, accepted, None, executions=0, execute_at=execute_at
                )
                self._wake.set()
                return 202, accepted
            reply = self._execute(c, spec, req)
            self._insert(c, spec, req, digest, stored, 200, reply, reply, executions=1, execute_at=None)
            return 200, reply

    @staticmethod
    def _insert(
        c: sqlite3.Connection,
        spec: AgencySpec,
        req: Request,
        digest: str,
        stored: str,
        http_status: int,
        first: bytes,
        final: bytes | None,
        *,
        executions: int,
        execute_at: float | None,
    ) -> None:
        status = json.loads(final or first)["status"]
        c.execute(
            "INSERT INTO requests (request_id, agency, act, body_hash, body, http_status, first_reply,"
            " final_reply, status, callback_url, received, executions, execute_at, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)",
            (
                req.request_id,
                spec.code,
                str(req.act),
                digest,
                stored,
                http_status,
                first,
                final,
                status,
                req.callback_url,
                executions,
                execute_at,
                time.time(),
            ),
        )

    def _reply(self, spec: AgencySpec, request_id: str, outcome: dict[str, Any] | Rejected | None) -> bytes:
        """The reply body: accepted (None), completed (a result dict) or rejected."""
        agency_ref = f"{spec.code}:R-{_sha(spec.code, request_id)[:16].upper()}"
        answered_at = _now().isoformat(timespec="seconds")
        if outcome is None:
            reply = Reply(request_id, ReplyStatus.ACCEPTED, spec.code, agency_ref, answered_at=answered_at)
        elif isinstance(outcome, Rejected):
            reply = Reply(
                request_id,
                ReplyStatus.REJECTED,
                spec.code,
                agency_ref,
                reason_code=outcome.reason_code,
                reason=outcome.reason,
                answered_at=answered_at,
            )
        else:
            reply = Reply(
                request_id, ReplyStatus.COMPLETED, spec.code, agency_ref, outcome, answered_at=answered_at
            )
        return protocol.dumps(protocol.reply_body(reply))

    def _stored_reply(self, code: str, request_id: str) -> tuple[int, bytes]:
        with self.store.read() as c:
            row = c.execute(
                "SELECT agency, first_reply, final_reply FROM requests WHERE request_id = ?", (request_id,)
            ).fetchone()
        if row is None or row["agency"] != code:
            raise HttpError(404, "unknown_request", "协助单位未收到该请求")
        return 200, bytes(row["final_reply"] or row["first_reply"])

    # --- executing --------------------------------------------------------------------------------
    def _execute(self, c: sqlite3.Connection, spec: AgencySpec, req: Request) -> bytes:
        """Do the act on the world and the state (inside the caller's transaction); the final reply."""
        handler = getattr(self, f"_act_{req.act.value}")
        c.execute("SAVEPOINT act")
        try:
            result = handler(c, spec, req)
        except Rejected as rejected:
            c.execute("ROLLBACK TO act")
            c.execute("RELEASE act")
            return self._reply(spec, req.request_id, rejected)
        c.execute("RELEASE act")
        return self._reply(spec, req.request_id, result)

    def execute_due(self) -> int:
        """Execute the callback-mode requests whose time has come; each once, in its own transaction."""
        with self.store.read() as c:
            due = [
                r["request_id"]
                for r in c.execute(
                    "SELECT request_id FROM requests WHERE execute_at IS NOT NULL AND execute_at <= ?"
                    " ORDER BY execute_at LIMIT 200",
                    (time.time(),),
                )
            ]
        for rid in due:
            with self.store.write() as c:
                row = c.execute(
                    "SELECT agency, body, executions, callback_url FROM requests WHERE request_id = ?", (rid,)
                ).fetchone()
                if row is None:
                    continue
                if row["executions"]:
                    c.execute("UPDATE requests SET execute_at = NULL WHERE request_id = ?", (rid,))
                    continue
                spec = self.agencies[row["agency"]]
                req = parse_request(json.loads(row["body"]), callback_required=False)
                final = self._execute(c, spec, req)
                c.execute(
                    "UPDATE requests SET final_reply = ?, status = ?, executions = executions + 1,"
                    " execute_at = NULL WHERE request_id = ?",
                    (final, json.loads(final)["status"], rid),
                )
                if row["callback_url"]:
                    self._enqueue_final(c, spec.code, rid, row["callback_url"], final)
        return len(due)

    def _today(self) -> date:
        return _now().date()

    def _asset(self, c: sqlite3.Connection, spec: AgencySpec, req: Request) -> WorldAsset:
        """The world asset the request names, if it is this agency's and (still) the subject's."""
        ref = req.asset_ref
        if not ref.startswith(spec.code + ":"):
            raise Rejected("not_found", f"{spec.name}没有财产 {ref}")
        owner, id_type = req.subject_id, req.id_type or None
        if not owner:
            row = c.execute(
                "SELECT subject_id FROM measures WHERE asset_ref = ? AND subject_id != '' LIMIT 1", (ref,)
            ).fetchone()
            owner, id_type = (row["subject_id"], None) if row else ("", None)
        asset = (
            next((a for a in self.world.assets(owner, id_type=id_type) if a.ref == ref), None)
            if owner
            else None
        )
        if asset is None:
            raise Rejected("not_found", "未查到该被执行人名下的这项财产")
        state = c.execute("SELECT transferred_to FROM asset_state WHERE asset_ref = ?", (ref,)).fetchone()
        if state is not None and state["transferred_to"]:
            raise Rejected("not_found", "该财产已过户，不再登记在被执行人名下")
        return asset

    def _asset_value(self, c: sqlite3.Connection, ref: str) -> Decimal:
        """The world value of an asset the state knows (its owner is named by one of its measures)."""
        row = c.execute(
            "SELECT subject_id FROM measures WHERE asset_ref = ? AND subject_id != '' LIMIT 1", (ref,)
        ).fetchone()
        asset = next((a for a in self.world.assets(row["subject_id"]) if a.ref == ref), None) if row else None
        return asset.value if asset is not None and asset.value is not None else ZERO

    def _deducted(self, c: sqlite3.Connection, ref: str) -> Decimal:
        row = c.execute("SELECT deducted FROM asset_state WHERE asset_ref = ?", (ref,)).fetchone()
        return _dec(row["deducted"]) if row else ZERO

    def _materialize(self, c: sqlite3.Connection, asset: WorldAsset) -> None:
        """Copy the world's foreign seals/freezes of an asset into the state before the first new measure."""
        if not asset.encumbrances:
            return
        if c.execute("SELECT 1 FROM measures WHERE asset_ref = ? LIMIT 1", (asset.ref,)).fetchone():
            return
        for e in asset.encumbrances:
            self._insert_measure(
                c,
                measure_ref=e["measure_ref"],
                agency=asset.agency,
                asset=asset,
                act=e["kind"],
                court=e["court"],
                rank=e["rank"],
                amount=e.get("amount"),
                controlled=e.get("amount"),
                effective_from=e["effective_from"],
                expires_on=e["expires_on"],
                foreign=True,
            )

    @staticmethod
    def _insert_measure(
        c: sqlite3.Connection,
        *,
        measure_ref: str,
        agency: str,
        asset: WorldAsset,
        act: str,
        court: str,
        rank: int,
        amount: str | None,
        controlled: str | None,
        effective_from: str,
        expires_on: str,
        request_id: str = "",
        callback_url: str = "",
        subject_id: str = "",
        foreign: bool = False,
    ) -> None:
        seq = c.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM measures").fetchone()[0]
        c.execute(
            "INSERT INTO measures (measure_ref, seq, agency, asset_ref, asset_kind, act, court,"
            " request_id, callback_url, subject_id, rank, requested, controlled, effective_from,"
            " expires_on, foreign_measure)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                measure_ref,
                seq,
                agency,
                asset.ref,
                asset.kind,
                act,
                court,
                request_id,
                callback_url,
                subject_id,
                rank,
                amount,
                controlled,
                effective_from,
                expires_on,
                int(foreign),
            ),
        )

    @staticmethod
    def _active(c: sqlite3.Connection, asset_ref: str) -> list[sqlite3.Row]:
        return c.execute(
            "SELECT * FROM measures WHERE asset_ref = ? AND active = 1 ORDER BY rank, seq", (asset_ref,)
        ).fetchall()

    @staticmethod
    def _encumbrance(m: sqlite3.Row) -> dict[str, Any]:
        e: dict[str, Any] = {
            "kind": m["act"],
            "court": m["court"],
            "rank": m["rank"],
            "measure_ref": m["measure_ref"],
            "effective_from": m["effective_from"],
            "expires_on": m["expires_on"],
        }
        if m["act"] == "freeze":
            e["amount"] = _money(_dec(m["controlled"]))
        return e

    def _measure_result(self, c: sqlite3.Connection, measure_ref: str) -> dict[str, Any]:
        m = c.execute("SELECT * FROM measures WHERE measure_ref = ?", (measure_ref,)).fetchone()
        first = c.execute(
            "SELECT court FROM measures WHERE asset_ref = ? AND active = 1 AND rank = 1 ORDER BY seq LIMIT 1",
            (m["asset_ref"],),
        ).fetchone()
        result: dict[str, Any] = {
            "measure_ref": m["measure_ref"],
            "asset_ref": m["asset_ref"],
            "rank": m["rank"],
            "first_sealing_court": first["court"] if first else m["court"],
            "effective_from": m["effective_from"],
            "expires_on": m["expires_on"],
        }
        if m["act"] == "freeze":
            result["amount_controlled"] = _money(_dec(m["controlled"]))
        return result

    def _new_measure_ref(self, spec: AgencySpec, request_id: str) -> str:
        return f"{spec.code}:M-{_sha('measure', spec.code, request_id)[:16].upper()}"

    def _term(self, req: Request) -> tuple[date, date]:
        start = req.term_from or self._today()
        assert req.term_to is not None
        if req.term_to < start:
            raise Rejected("invalid_term", f"期限止日 {req.term_to} 早于起日 {start}")
        return start, req.term_to

    # each act: returns the result of a completed reply or raises Rejected
    def _act_inquiry(self, c: sqlite3.Connection, spec: AgencySpec, req: Request) -> dict[str, Any]:
        if not (is_resident_id(req.subject_id) or is_uscc(req.subject_id)):
            raise Rejected("not_found", "证件号码无效，查无此人")
        assets = [
            a for a in self.world.assets(req.subject_id, id_type=req.id_type or None) if a.agency == spec.code
        ]
        out = []
        for asset in assets:
            state = c.execute(
                "SELECT deducted, transferred_to FROM asset_state WHERE asset_ref = ?", (asset.ref,)
            ).fetchone()
            if state is not None and state["transferred_to"]:
                continue
            d = asset.as_protocol()
            if state is not None and asset.value is not None and _dec(state["deducted"]):
                left = asset.value - _dec(state["deducted"])
                d["value"] = _money(left)
                if "balance" in d["details"]:
                    d["details"]["balance"] = _money(left)
            rows = c.execute(
                "SELECT * FROM measures WHERE asset_ref = ? ORDER BY rank, seq", (asset.ref,)
            ).fetchall()
            if rows:  # the state knows this asset: its measures replace the world's
                d["encumbrances"] = [self._encumbrance(m) for m in rows if m["active"]]
            out.append(d)
        return {"assets": out}

    def _act_freeze(self, c: sqlite3.Connection, spec: AgencySpec, req: Request) -> dict[str, Any]:
        asset = self._asset(c, spec, req)
        if not money_kind(asset.kind):
            raise Rejected("not_supported", f"{asset.description} 不能冻结")
        start, end = self._term(req)
        assert req.amount is not None and asset.value is not None
        self._materialize(c, asset)
        active = self._active(c, asset.ref)
        held = sum((_dec(m["controlled"]) for m in active if m["rank"] == 1), ZERO)
        available = asset.value - self._deducted(c, asset.ref) - held
        if available > 0:
            rank, controlled = 1, min(req.amount, available)
        elif active:
            rank, controlled = max(m["rank"] for m in active) + 1, ZERO
        else:
            raise Rejected("insufficient_balance", "账户余额为零，无可冻结款项")
        ref = self._new_measure_ref(spec, req.request_id)
        self._insert_measure(
            c,
            measure_ref=ref,
            agency=spec.code,
            asset=asset,
            act="freeze",
            court=req.court,
            rank=rank,
            amount=_money(req.amount),
            controlled=_money(controlled),
            effective_from=start.isoformat(),
            expires_on=end.isoformat(),
            request_id=req.request_id,
            callback_url=req.callback_url,
            subject_id=req.subject_id,
        )
        return self._measure_result(c, ref)

    def _seal(self, c: sqlite3.Connection, spec: AgencySpec, req: Request) -> dict[str, Any]:
        asset = self._asset(c, spec, req)
        if asset.kind not in _SEALABLE or (req.act == Act.SEIZURE and asset.kind != "vehicle"):
            raise Rejected(
                "not_supported", f"{asset.description} 不能{'扣押' if req.act == Act.SEIZURE else '查封'}"
            )
        start, end = self._term(req)
        self._materialize(c, asset)
        rank = 1 + len(self._active(c, asset.ref))
        ref = self._new_measure_ref(spec, req.request_id)
        self._insert_measure(
            c,
            measure_ref=ref,
            agency=spec.code,
            asset=asset,
            act=str(req.act),
            court=req.court,
            rank=rank,
            amount=None,
            controlled=None,
            effective_from=start.isoformat(),
            expires_on=end.isoformat(),
            request_id=req.request_id,
            callback_url=req.callback_url,
            subject_id=req.subject_id,
        )
        return self._measure_result(c, ref)

    _act_seal = _seal
    _act_seizure = _seal

    def _measure(self, c: sqlite3.Connection, spec: AgencySpec, req: Request) -> sqlite3.Row:
        m = c.execute(
            "SELECT * FROM measures WHERE measure_ref = ? AND agency = ?", (req.measure_ref, spec.code)
        ).fetchone()
        if m is None or m["court"] != req.court:
            raise Rejected("not_found", f"没有该法院的控制措施 {req.measure_ref}")
        if not m["active"]:
            raise Rejected("already_released", f"措施 {req.measure_ref} 已于 {m['released_on']} 解除")
        return cast(sqlite3.Row, m)

    def _act_renewal(self, c: sqlite3.Connection, spec: AgencySpec, req: Request) -> dict[str, Any]:
        m = self._measure(c, spec, req)
        assert req.term_to is not None
        if req.term_to <= date.fromisoformat(m["expires_on"]):
            raise Rejected("invalid_term", f"续行期限止日应晚于原到期日 {m['expires_on']}")
        c.execute(
            "UPDATE measures SET expires_on = ? WHERE measure_ref = ?",
            (req.term_to.isoformat(), m["measure_ref"]),
        )
        return self._measure_result(c, m["measure_ref"])

    def _act_release(self, c: sqlite3.Connection, spec: AgencySpec, req: Request) -> dict[str, Any]:
        m = self._measure(c, spec, req)
        today = self._today().isoformat()
        c.execute(
            "UPDATE measures SET active = 0, released_on = ? WHERE measure_ref = ?", (today, m["measure_ref"])
        )
        promoted = self._move_up(c, m)
        for p in promoted:
            if p["callback_url"]:
                result = {"event": "measure_promoted", **self._measure_result(c, p["measure_ref"])}
                result["rank"] = 1
                notice_id = f"notice:{_sha('promoted', p['measure_ref'], req.request_id)[:32]}"
                body = protocol.dumps(
                    protocol.reply_body(
                        Reply(
                            notice_id,
                            ReplyStatus.COMPLETED,
                            spec.code,
                            p["measure_ref"],
                            result,
                            answered_at=_now().isoformat(timespec="seconds"),
                        )
                    )
                )
                self._enqueue(c, notice_id, spec.code, p["callback_url"], body, "notice", time.time())
        return {
            "measure_ref": m["measure_ref"],
            "released_on": today,
            "promoted": [p["measure_ref"] for p in promoted],
        }

    def _move_up(self, c: sqlite3.Connection, released: sqlite3.Row) -> list[sqlite3.Row]:
        """Measures behind the released one move up a rank; those reaching rank 1 take effect (promoted)."""
        behind = c.execute(
            "SELECT * FROM measures WHERE asset_ref = ? AND active = 1 AND rank > ? ORDER BY rank, seq",
            (released["asset_ref"], released["rank"]),
        ).fetchall()
        if not behind:
            return []
        available = ZERO
        if released["act"] == "freeze":
            held = c.execute(
                "SELECT controlled FROM measures WHERE asset_ref = ? AND active = 1 AND rank = 1",
                (released["asset_ref"],),
            ).fetchall()
            available = (
                self._asset_value(c, released["asset_ref"])
                - self._deducted(c, released["asset_ref"])
                - sum((_dec(r["controlled"]) for r in held), ZERO)
            )
        promoted = []
        for m in behind:
            rank = m["rank"] - 1
            if rank == 1:
                if m["act"] == "freeze":
                    controlled = max(ZERO, min(_dec(m["requested"]), available))
                    available -= controlled
                    c.execute(
                        "UPDATE measures SET rank = 1, controlled = ? WHERE measure_ref = ?",
                        (_money(controlled), m["measure_ref"]),
                    )
                else:
                    c.execute("UPDATE measures SET rank = 1 WHERE measure_ref = ?", (m["measure_ref"],))
                promoted.append(m)
            else:
                c.execute("UPDATE measures SET rank = ? WHERE measure_ref = ?", (rank, m["measure_ref"]))
        return promoted

    def _act_deduction(self, c: sqlite3.Connection, spec: AgencySpec, req: Request) -> dict[str, Any]:
        m = self._measure(c, spec, req)
        if m["act"] != "freeze":
            raise Rejected("other", "扣划须以本院的冻结措施为前提")
        if m["asset_ref"] != req.asset_ref:
            raise Rejected("not_found", "冻结措施与所列财产不符")
        if m["rank"] != 1:
            raise Rejected("other", f"轮候冻结（第 {m['rank']} 顺位）尚未生效，不能扣划")
        assert req.amount is not None
        controlled = _dec(m["controlled"])
        if req.amount > controlled:
            raise Rejected("insufficient_balance", f"扣划金额超过冻结余额 {_money(controlled)} 元")
        c.execute(
            "UPDATE measures SET controlled = ? WHERE measure_ref = ?",
            (_money(controlled - req.amount), m["measure_ref"]),
        )
        deducted = self._deducted(c, m["asset_ref"]) + req.amount
        c.execute(
            "INSERT INTO asset_state (asset_ref, deducted) VALUES (?, ?)"
            " ON CONFLICT(asset_ref) DO UPDATE SET deducted = excluded.deducted",
            (m["asset_ref"], _money(deducted)),
        )
        return {
            "amount_deducted": _money(req.amount),
            "transfer_reference": f"{spec.code}:T-{_sha('transfer', spec.code, req.request_id)[:16].upper()}",
            "measure_ref": m["measure_ref"],
            "amount_controlled": _money(controlled - req.amount),
        }

    def _act_assistance_notice(self, c: sqlite3.Connection, spec: AgencySpec, req: Request) -> dict[str, Any]:
        notes = {
            "bank": "已登记协助执行通知，将按通知办理。",
            "tax": "已登记协助执行通知，将协助提取被执行人的收入。",
            "real_estate_registry": "已登记协助执行通知，在不动产登记簿中予以记载。",
            "public_security": "已登记协助执行通知，将依职权协助办理。",
        }
        return {"acknowledged": True, "note": notes.get(spec.kind, "已收到协助执行通知。")}

    def _act_joint_review(self, c: sqlite3.Connection, spec: AgencySpec, req: Request) -> dict[str, Any]:
        asset = self._asset(c, spec, req)
        rows = c.execute(
            "SELECT * FROM measures WHERE asset_ref = ? ORDER BY rank, seq", (asset.ref,)
        ).fetchall()
        encumbrances = (
            [self._encumbrance(m) for m in rows if m["active"]]
            if rows
            else [dict(e) for e in asset.encumbrances]
        )
        others = sorted({e["court"] for e in encumbrances if e["court"] != req.court})
        if others:
            opinion = (
                f"经审查，该财产权属清晰；另有{'、'.join(others)}的查封（冻结）登记，处置前请与相关法院协调。"
            )
        else:
            opinion = "经审查，该财产权属清晰，除本院措施外无其他查封、冻结登记，可以处置。"
        return {"opinion": opinion, "encumbrances": encumbrances}

    def _act_title_transfer(self, c: sqlite3.Connection, spec: AgencySpec, req: Request) -> dict[str, Any]:
        asset = self._asset(c, spec, req)
        today = self._today()
        n = int(_sha("certificate", req.request_id)[:8], 16) % 10_000_000
        if spec.kind == "market_regulation":
            certificate = f"（绍）登记内变字〔{today.year}〕第{n:07d}号"
        else:
            certificate = f"浙({today.year})绍兴市不动产权第{n:07d}号"
        c.execute(
            "INSERT INTO asset_state (asset_ref, transferred_to, registered_on) VALUES (?, ?, ?)"
            " ON CONFLICT(asset_ref) DO UPDATE SET transferred_to = excluded.transferred_to,"
            " registered_on = excluded.registered_on",
            (asset.ref, json.dumps(req.new_owner, ensure_ascii=False), today.isoformat()),
        )
        return {"registered_on": today.isoformat(), "certificate": certificate}

    # --- callbacks --------------------------------------------------------------------------------
    def _enqueue(
        self,
        c: sqlite3.Connection,
        request_id: str,
        agency: str,
        url: str,
        body: bytes,
        kind: str,
        due: float,
        *,
        then_processing: bool = False,
    ) -> None:
        c.execute(
            "INSERT INTO callbacks (request_id, agency, url, body, kind, then_processing, due)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (request_id, agency, url, body, kind, int(then_processing), due),
        )
        self._wake.set()

    def _enqueue_final(
        self, c: sqlite3.Connection, agency: str, request_id: str, url: str, final: bytes
    ) -> None:
        rate = self.faults.duplicate_callback_rate
        now = time.time()
        late_processing = self.faults.draw(rate)
        self._enqueue(c, request_id, agency, url, final, "final", now, then_processing=late_processing)
        if self.faults.draw(rate):
            self._enqueue(c, request_id, agency, url, final, "duplicate", now + 0.05)

    def _delivery_loop(self) -> None:
        while not self._stopping.is_set():
            busy = 0
            try:
                busy += self.execute_due()
                busy += self._dispatch_callbacks()
            except Exception:
                if self._stopping.is_set():
                    return
                log.exception("agency simulator: delivery loop")
            if not busy:
                self._wake.wait(0.05)
                self._wake.clear()

    def _dispatch_callbacks(self) -> int:
        with self.store.read() as c:
            rows = c.execute(
                "SELECT id, request_id, agency, url, body, kind, then_processing, attempts FROM callbacks"
                " WHERE status = 'pending' AND due <= ? ORDER BY due, id LIMIT 256",
                (time.time(),),
            ).fetchall()
        submitted = 0
        for row in rows:
            with self._inflight_lock:
                if row["id"] in self._inflight:
                    continue
                self._inflight.add(row["id"])
            try:
                self._pool.submit(self._deliver, dict(row))
            except RuntimeError:  # the pool is shut down: we are stopping
                return 0
            submitted += 1
        return submitted

    def _deliver(self, row: dict[str, Any]) -> None:
        try:
            body = bytes(row["body"])
            code = row["agency"]
            path = urlsplit(row["url"]).path or "/"
            headers = protocol.signed_headers(code, self._secrets[code], "POST", path, body)
            try:
                status, error = self._post(row["url"], body, headers), ""
            except (OSError, http.client.HTTPException) as e:
                status, error = 0, f"{type(e).__name__}: {e}"
            now = time.time()
            with self.store.write() as c:
                if status == 200:
                    c.execute(
                        "UPDATE callbacks SET status = 'delivered', attempts = attempts + 1,"
                        " delivered_at = ?, last_error = '' WHERE id = ?",
                        (now, row["id"]),
                    )
                    if row["then_processing"]:
                        self._enqueue_processing(c, row)
                elif status == 404:
                    c.execute(
                        "UPDATE callbacks SET status = 'failed', attempts = attempts + 1, last_error = ?"
                        " WHERE id = ?",
                        ("HTTP 404", row["id"]),
                    )
                else:
                    attempts = row["attempts"] + 1
                    backoff = min(60.0, 0.25 * 2 ** (attempts - 1))
                    c.execute(
                        "UPDATE callbacks SET attempts = ?, due = ?, last_error = ? WHERE id = ?",
                        (attempts, now + backoff, error or f"HTTP {status}", row["id"]),
                    )
            log.info("callback %s %s %s → %s", row["kind"], code, row["request_id"], status or error)
        except Exception:
            if not self._stopping.is_set():
                log.exception("agency simulator: delivering callback %s", row.get("id"))
        finally:
            with self._inflight_lock:
                self._inflight.discard(row["id"])
            self._wake.set()

    def _enqueue_processing(self, c: sqlite3.Connection, row: dict[str, Any]) -> None:
        """A late interim answer, sent after the final one (the platform must ignore it)."""
        final = json.loads(row["body"])
        processing = Reply(
            row["request_id"],
            ReplyStatus.PROCESSING,
            row["agency"],
            final.get("agency_ref", ""),
            answered_at=_now().isoformat(timespec="seconds"),
        )
        body = protocol.dumps(protocol.reply_body(processing))
        self._enqueue(c, row["request_id"], row["agency"], row["url"], body, "processing", time.time())

    def _post(self, url: str, body: bytes, headers: dict[str, str]) -> int:
        """POST on a kept-alive connection of this delivery thread; the HTTP status."""
        parts = urlsplit(url)
        key = (parts.scheme, parts.netloc)
        conns: dict[tuple[str, str], http.client.HTTPConnection] = self._tls.__dict__.setdefault("conns", {})
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        for attempt in (0, 1):
            conn = conns.pop(key, None)
            reused = conn is not None
            if conn is None:
                cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
                conn = cls(parts.netloc, timeout=CALLBACK_TIMEOUT)
            try:
                conn.request("POST", target or "/", body=body, headers=headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                conn.close()
                if reused and attempt == 0:
                    continue  # a kept-alive connection the server had closed: once more on a new one
                raise
            if response.will_close:
                conn.close()
            else:
                conns[key] = conn
            return response.status
        raise http.client.HTTPException("unreachable")  # pragma: no cover

    # --- introspection ------------------------------------------------------------------------------
    def stats(self) -> dict[str, Any]:
        with self.store.read() as c:
            totals = c.execute(
                "SELECT COALESCE(SUM(received), 0) AS received, COALESCE(SUM(executions), 0) AS executed,"
                " COALESCE(SUM(received - 1), 0) AS duplicates,"
                " COALESCE(SUM(execute_at IS NOT NULL), 0) AS pending FROM requests"
            ).fetchone()
            by_act = {
                r["act"]: r["n"] for r in c.execute("SELECT act, COUNT(*) AS n FROM requests GROUP BY act")
            }
            by_status = {
                r["status"]: r["n"]
                for r in c.execute("SELECT status, COUNT(*) AS n FROM requests GROUP BY status")
            }
            callbacks = {
                r["status"]: r["n"]
                for r in c.execute("SELECT status, COUNT(*) AS n FROM callbacks GROUP BY status")
            }
            multiply = [
                r["request_id"] for r in c.execute("SELECT request_id FROM requests WHERE executions > 1")
            ]
        with self._counter_lock:
            counters = dict(self._counters)
        return {
            "received": totals["received"],
            "executed": totals["executed"],
            "duplicates": totals["duplicates"],
            "pending_execution": totals["pending"],
            "by_act": by_act,
            "by_status": by_status,
            "callbacks": {k: callbacks.get(k, 0) for k in ("pending", "delivered", "failed")},
            "multiply_executed": multiply,
            "rejected_signatures": counters.pop("rejected_signatures"),
            "faults": counters,
        }

    def request_info(self, request_id: str) -> dict[str, Any] | None:
        with self.store.read() as c:
            row = c.execute(
                "SELECT agency, act, received, executions, status FROM requests WHERE request_id = ?",
                (request_id,),
            ).fetchone()
            if row is None:
                return None
            callbacks = {
                r["status"]: r["n"]
                for r in c.execute(
                    "SELECT status, COUNT(*) AS n FROM callbacks WHERE request_id = ? GROUP BY status",
                    (request_id,),
                )
            }
        return {
            "request_id": request_id,
            "agency": row["agency"],
            "act": row["act"],
            "received": row["received"],
            "executions": row["executions"],
            "status": row["status"],
            "callbacks": {k: callbacks.get(k, 0) for k in ("pending", "delivered", "failed")},
        }

    def reset(self) -> None:
        """Forget everything (for benchmarks): requests, measures, deductions, callbacks."""
        with self.store.write() as c:
            for table in ("requests", "measures", "asset_state", "callbacks"):
                c.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
        with self._counter_lock:
            self._counters = dict.fromkeys(self._counters, 0)


# --- running it -------------------------------------------------------------------------------------
def serve(
    host: str,
    port: int,
    *,
    state_path: str | Path,
    master_secret: str,
    seed: int = 2026,
    latency_ms: int = 0,
    error_rate: float = 0.0,
    drop_rate: float = 0.0,
    timeout_rate: float = 0.0,
    timeout_seconds: float = 30.0,
    malformed_rate: float = 0.0,
    duplicate_callback_rate: float = 0.0,
    callback_delay_ms: int = 200,
    all_sync: bool = False,
    fault_seed: int | None = None,
) -> None:
    """Serve in the foreground until SIGINT or SIGTERM."""
    sim = AgencySimulator(
        host,
        port,
        state_path=state_path,
        master_secret=master_secret,
        seed=seed,
        latency_ms=latency_ms,
        error_rate=error_rate,
        drop_rate=drop_rate,
        timeout_rate=timeout_rate,
        timeout_seconds=timeout_seconds,
        malformed_rate=malformed_rate,
        duplicate_callback_rate=duplicate_callback_rate,
        callback_delay_ms=callback_delay_ms,
        all_sync=all_sync,
        fault_seed=fault_seed,
    )
    done = threading.Event()

    def stop(*_: object) -> None:
        done.set()

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        sim.start()
        done.wait()
    finally:
        sim.stop()
        for s, handler in previous.items():
            signal.signal(s, handler)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The simulator's flags (shared by ``zhixing agencies-sim`` and ``python -m …agency_sim``)."""
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--port", type=int, default=None, help=f"default: $ZHIXING_AGENCY_SIM_PORT or {DEFAULT_PORT}"
    )
    parser.add_argument(
        "--state-path", default=None, help="SQLite state file (default: <var>/agency-sim.sqlite3)"
    )
    parser.add_argument(
        "--master-secret",
        default=None,
        help="master secret of the agency keys (default: $ZHIXING_AGENCY_SIM_SECRET)",
    )
    parser.add_argument("--seed", type=int, default=2026, help="seed of the simulated world")
    parser.add_argument("--latency-ms", type=int, default=0, help="added to every agency request")
    parser.add_argument("--error-rate", type=float, default=0.0, help="share answered 503 before anything")
    parser.add_argument("--drop-rate", type=float, default=0.0, help="share executed, then answered 500")
    parser.add_argument(
        "--timeout-rate", type=float, default=0.0, help="share executed, then not answered in time"
    )
    parser.add_argument("--timeout-seconds", type=float, default=30.0)
    parser.add_argument(
        "--malformed-rate", type=float, default=0.0, help="share executed, then a malformed body"
    )
    parser.add_argument("--duplicate-callback-rate", type=float, default=0.0)
    parser.add_argument("--callback-delay-ms", type=int, default=200)
    parser.add_argument("--all-sync", action="store_true", help="every agency answers synchronously")
    parser.add_argument("--fault-seed", type=int, default=None, help="makes the injected faults reproducible")
    parser.add_argument("--quiet", action="store_true", help="no per-request log lines")


def run(args: argparse.Namespace) -> int:
    """Serve with parsed flags (unset port / secret / state path taken from the environment)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s agency-sim %(message)s"))
    log.handlers[:] = [handler]
    log.setLevel(logging.WARNING if args.quiet else logging.INFO)
    log.propagate = False
    secret = args.master_secret or os.environ.get("ZHIXING_AGENCY_SIM_SECRET", "")
    if not secret:
        print(
            "agency-sim: a master secret is needed (--master-secret or $ZHIXING_AGENCY_SIM_SECRET)",
            file=sys.stderr,
        )
        return 2
    port = (
        args.port if args.port is not None else int(os.environ.get("ZHIXING_AGENCY_SIM_PORT", DEFAULT_PORT))
    )
    state = args.state_path or str(Path(os.environ.get("ZHIXING_VAR", "var")) / "agency-sim.sqlite3")
    serve(
        args.host,
        port,
        state_path=state,
        master_secret=secret,
        seed=args.seed,
        latency_ms=args.latency_ms,
        error_rate=args.error_rate,
        drop_rate=args.drop_rate,
        timeout_rate=args.timeout_rate,
        timeout_seconds=args.timeout_seconds,
        malformed_rate=args.malformed_rate,
        duplicate_callback_rate=args.duplicate_callback_rate,
        callback_delay_ms=args.callback_delay_ms,
        all_sync=args.all_sync,
        fault_seed=args.fault_seed,
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="agency_sim", description="协助执行单位模拟器（协议 v1）")
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
