"""协助单位接口适配器：sending protocol requests over HTTP, concurrently, outside any transaction.

The adapter knows HTTP and the protocol; it returns an :class:`Outcome` per request in our own
terms (answered / accepted / transient / permanent / unknown-at-agency) and never touches the
database, so the dispatcher can run it with no transaction open.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, Literal

import httpx

from zhixing.agencies import protocol
from zhixing.agencies.protocol import ProtocolError, Reply

Kind = Literal["answered", "accepted", "transient", "permanent", "unknown"]
PERMANENT_HTTP = frozenset({400, 401, 403, 404, 405, 409, 410, 413, 415, 422})


@dataclass(frozen=True)
class Call:
    """One HTTP call to make: a POST of a signed request, or a GET asking for its answer."""

    request_pk: int
    method: Literal["POST", "GET"]
    url: str
    path: str  # the signed path
    body: bytes
    key_id: str
    secret: str


@dataclass(frozen=True)
class Outcome:
    request_pk: int
    kind: Kind
    reply: Reply | None = None
    error: str = ""


def _classify(call: Call, response: httpx.Response) -> Outcome:
    code = response.status_code
    if call.method == "GET" and code == 404:
        return Outcome(call.request_pk, "unknown", error="协助单位未收到该请求")
    if code in PERMANENT_HTTP:
        return Outcome(call.request_pk, "permanent", error=f"HTTP {code}: {response.text[:300]}")
    if code not in (200, 202):
        return Outcome(call.request_pk, "transient", error=f"HTTP {code}")
    try:
        reply = protocol.parse_reply(response.content)
    except ProtocolError as e:
        return Outcome(call.request_pk, "transient", error=f"答复格式错误：{e}")
    if reply.final:
        return Outcome(call.request_pk, "answered", reply=reply)
    return Outcome(call.request_pk, "accepted", reply=reply)


async def _one(client: httpx.AsyncClient, call: Call, sem: asyncio.Semaphore) -> Outcome:
    headers = protocol.signed_headers(call.key_id, call.secret, call.method, call.path, call.body)
    async with sem:
        try:
            if call.method == "POST":
                response = await client.post(call.url, content=call.body, headers=headers)
            else:
                response = await client.get(call.url, headers=headers)
        except httpx.TimeoutException:
            return Outcome(call.request_pk, "transient", error="超时")
        except httpx.HTTPError as e:
            return Outcome(call.request_pk, "transient", error=f"网络错误：{type(e).__name__} {e}"[:300])
    return _classify(call, response)


async def _all(calls: list[Call], *, timeout: float, concurrency: int) -> list[Outcome]:
    sem = asyncio.Semaphore(max(1, concurrency))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=timeout, limits=limits) as client:
        return list(await asyncio.gather(*(_one(client, c, sem) for c in calls)))


def send(calls: list[Call], *, timeout: float = 10.0, concurrency: int = 16) -> list[Outcome]:
    """Make the calls concurrently; one outcome per call, in order. Never raises for a call's failure."""
    if not calls:
        return []
    return asyncio.run(_all(calls, timeout=timeout, concurrency=concurrency))


def path_of(url: str) -> str:
    return httpx.URL(url).raw_path.decode().split("?", 1)[0]


def request_body(fields: dict[str, Any]) -> bytes:
    return protocol.dumps({"protocol": protocol.VERSION, **fields})
