"""The agency simulator over HTTP: signatures, every act, ranks and promotion, idempotency, faults,
callbacks (retried, duplicated, surviving restarts) and state that survives a restart or a kill."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from zhixing.agencies import protocol
from zhixing.simulation.agency_sim import AgencySimulator
from zhixing.simulation.world import Person, World, WorldAsset

SECRET = "test-master-secret"
COURT = {"code": "浙0602", "name": "绍兴市越城区人民法院"}
WORLD = World(2026)


# --- a callback receiver standing in for the platform ------------------------------------------------
class Receiver:
    """Records signed callbacks; answers each with the next queued status (then 200)."""

    def __init__(self) -> None:
        self.replies: list[dict[str, Any]] = []
        self.statuses: list[int] = []
        self.bad_signatures = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                key = self.headers.get(protocol.HEADER_KEY, "")
                try:
                    protocol.verify(
                        protocol.derive_secret(SECRET, key),
                        "POST",
                        self.path,
                        body,
                        dict(self.headers.items()),
                    )
                except protocol.ProtocolError:
                    with receiver.lock:
                        receiver.bad_signatures += 1
                    return self._answer(401)
                with receiver.lock:
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                    if status == 200:
                        receiver.replies.append({"key": key, **json.loads(body)})
                self._answer(status)

            def _answer(self, status: int) -> None:
                out = b'{"recorded":true,"duplicate":false}'
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{protocol.CALLBACK_PATH}"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def of(self, request_id: str) -> list[dict[str, Any]]:
        with self.lock:
            return [r for r in self.replies if r["request_id"] == request_id]

    def notices(self) -> list[dict[str, Any]]:
        with self.lock:
            return [r for r in self.replies if r["request_id"].startswith("notice:")]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def wait_for(predicate: Callable[[], Any], timeout: float = 5.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError("timed out waiting")


# --- fixtures ----------------------------------------------------------------------------------------
@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def make_sim(tmp_path: Path) -> Iterator[Callable[..., AgencySimulator]]:
    started: list[AgencySimulator] = []

    def make(**kw: Any) -> AgencySimulator:
        kw.setdefault("callback_delay_ms", 20)
        sim = AgencySimulator(state_path=tmp_path / "sim.sqlite3", master_secret=SECRET, fault_seed=1, **kw)
        sim.start()
        started.append(sim)
        return sim

    yield make
    for sim in started:
        if not sim.store.closed:
            sim.stop()


@pytest.fixture
def sim(make_sim: Callable[..., AgencySimulator]) -> AgencySimulator:
    return make_sim(all_sync=True)


class Client:
    def __init__(self, sim: AgencySimulator, callback_url: str = "") -> None:
        self.sim = sim
        self.http = httpx.Client(base_url=sim.url, timeout=10)
        self.callback_url = callback_url or "http://127.0.0.1:9/api/v1/agencies/callbacks"

    def body(self, act: str, subject: Person | None = None, **fields: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "protocol": protocol.VERSION,
            "request_id": str(uuid.uuid4()),
            "act": act,
            "court": COURT,
            "case_number": "（2026）浙0602执1号",
            "officer": {"name": "王法官", "badge": "330602001"},
            "purpose": "测试",
            "callback_url": self.callback_url,
            "sent_at": "2026-11-29T10:00:00+08:00",
        }
        if subject is not None:
            body["subject"] = {"name": subject.name, "id_type": "resident_id", "id_number": subject.id_number}
        body.update(fields)
        return body

    def post(self, code: str, body: dict[str, Any] | bytes, *, secret: str | None = None) -> httpx.Response:
        raw = body if isinstance(body, bytes) else protocol.dumps(body)
        path = f"/agencies/{code}/v1/requests"
        key = secret if secret is not None else protocol.derive_secret(SECRET, code)
        return self.http.post(
            path, content=raw, headers=protocol.signed_headers(code, key, "POST", path, raw)
        )

    def get(self, code: str, request_id: str) -> httpx.Response:
        path = f"/agencies/{code}/v1/requests/{request_id}"
        key = protocol.derive_secret(SECRET, code)
        return self.http.get(path, headers=protocol.signed_headers(code, key, "GET", path, b""))

    def act(self, code: str, act: str, subject: Person | None = None, **fields: Any) -> dict[str, Any]:
        r = self.post(code, self.body(act, subject, **fields))
        assert r.status_code == 200, r.text
        reply = r.json()
        protocol.parse_reply(r.content)
        return dict(reply)

    def info(self, request_id: str) -> dict[str, Any]:
        return dict(self.http.get(f"/_sim/requests/{request_id}").json())


@pytest.fixture
def client(sim: AgencySimulator, receiver: Receiver) -> Iterator[Client]:
    c = Client(sim, receiver.url)
    yield c
    c.http.close()


TERM = {"from": "2026-11-29", "to": "2027-11-28"}


def debtor() -> tuple[Person, WorldAsset, WorldAsset]:
    person = WORLD.debtor_with_deposit_and_sealed_house()
    assets = WORLD.assets(person.id_number)
    deposit = next(a for a in assets if a.kind == "bank_deposit" and not a.encumbrances and a.value >= 50_000)  # type: ignore[operator]
    house = next(a for a in assets if a.kind == "real_estate" and len(a.encumbrances) == 1)
    return person, deposit, house


def asset_of(a: WorldAsset) -> dict[str, str]:
    return {"ref": a.ref, "kind": a.kind}


# --- signatures and malformed requests ---------------------------------------------------------------
def test_health(client: Client) -> None:
    assert client.http.get("/_sim/health").json() == {"ok": True}


def test_bad_signature_is_401_and_changes_nothing(client: Client) -> None:
    person, _, _ = debtor()
    body = client.body("inquiry", person)
    r = client.post("REG-SX", body, secret="wrong")
    assert r.status_code == 401 and r.json()["error"]["code"] == "bad_signature"
    r = client.post("REG-SX", body, secret=protocol.derive_secret(SECRET, "PSB-SX"))  # another agency's key
    assert r.status_code == 401
    raw = protocol.dumps(body)
    path = "/agencies/REG-SX/v1/requests"
    stale = {
        protocol.HEADER_KEY: "REG-SX",
        **protocol.sign(
            protocol.derive_secret(SECRET, "REG-SX"), "POST", path, raw, timestamp=int(time.time()) - 1000
        ),
    }
    assert client.http.post(path, content=raw, headers=stale).status_code == 401
    assert client.http.post(path, content=raw).status_code == 401  # unsigned
    assert client.http.get(f"/_sim/requests/{body['request_id']}").status_code == 404
    stats = client.http.get("/_sim/stats").json()
    assert stats["received"] == 0 and stats["rejected_signatures"] == 4
    unsigned_get = client.http.get(f"/agencies/REG-SX/v1/requests/{body['request_id']}")
    assert unsigned_get.status_code == 401


def test_unknown_agency_unsupported_act_and_malformed_bodies(client: Client) -> None:
    person, _, _ = debtor()
    assert client.post("NOPE", client.body("inquiry", person)).status_code == 404
    assert client.post("GRID-SX", client.body("assistance_notice", person, text="x")).status_code == 404
    reply = client.act("CA-SX", "freeze", person, asset={"ref": "CA-SX:x"}, amount="1.00", term=TERM)
    assert reply["status"] == "rejected" and reply["reason_code"] == "not_supported"
    r = client.post("REG-SX", b"{not json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_json"
    for broken in (
        {**client.body("inquiry", person), "protocol": "zhixing-agency/0"},
        {**client.body("inquiry", person), "act": "confiscate"},
        client.body("inquiry"),  # no subject
        client.body("seal", person, term=TERM),  # no asset
        client.body("freeze", person, asset={"ref": "ICBC-SX:1"}, amount="12.345", term=TERM),
        client.body("freeze", person, asset={"ref": "ICBC-SX:1"}, amount=-5, term=TERM),
        client.body("seal", person, asset={"ref": "REG-SX:1"}, term={"to": "next year"}),
        client.body("release"),  # no measure_ref
    ):
        code = "ICBC-SX" if broken.get("act") == "freeze" else "REG-SX"
        r = client.post(code, broken)
        assert r.status_code == 422, (broken, r.text)
        assert set(r.json()["error"]) == {"code", "message"}
    assert client.http.get("/_sim/stats").json()["received"] == 1  # only the not_supported one


# --- the acts ---------------------------------------------------------------------------------------
def test_inquiry_answers_from_the_world(client: Client) -> None:
    person, deposit, house = debtor()
    reply = client.act("REG-SX", "inquiry", person)
    assert reply["status"] == "completed" and reply["agency"] == "REG-SX"
    assert reply["result"]["assets"] == WORLD.inquiry("REG-SX", person.id_number)
    assert house.ref in {a["ref"] for a in reply["result"]["assets"]}
    bank = client.act(deposit.agency, "inquiry", person)
    assert deposit.ref in {a["ref"] for a in bank["result"]["assets"]}
    household = client.act("PSB-SX", "inquiry", person)["result"]["assets"]
    assert any(a["kind"] == "household" for a in household)
    nobody = WORLD.debtor_without_assets()
    assert client.act("REG-SX", "inquiry", nobody)["result"] == {"assets": []}
    bad = Person(**{**person.__dict__, "id_number": "330602198001011230"})
    assert client.act("REG-SX", "inquiry", bad)["reason_code"] == "not_found"


def test_freeze_controls_at_most_the_balance_then_waits(client: Client) -> None:
    person, deposit, _ = debtor()
    assert deposit.value is not None
    first = client.act(
        deposit.agency, "freeze", person, asset=asset_of(deposit), amount="99999999.00", term=TERM
    )
    m = first["result"]
    assert first["status"] == "completed"
    assert m["rank"] == 1 and Decimal(m["amount_controlled"]) == deposit.value
    assert m["first_sealing_court"] == "浙0602" and m["expires_on"] == TERM["to"]
    assert m["effective_from"] == TERM["from"] and m["measure_ref"].startswith(deposit.agency + ":M-")
    second = client.act(
        deposit.agency,
        "freeze",
        person,
        asset=asset_of(deposit),
        amount="100.00",
        term=TERM,
        court={"code": "浙0681"},
    )["result"]
    assert (
        second["rank"] == 2
        and second["amount_controlled"] == "0.00"
        and second["first_sealing_court"] == "浙0602"
    )
    listed = client.act(deposit.agency, "inquiry", person)["result"]["assets"]
    enc = next(a for a in listed if a["ref"] == deposit.ref)["encumbrances"]
    assert [(e["court"], e["rank"], e["kind"]) for e in enc] == [
        ("浙0602", 1, "freeze"),
        ("浙0681", 2, "freeze"),
    ]
    missing = client.act(
        deposit.agency, "freeze", person, asset={"ref": f"{deposit.agency}:0"}, amount="1", term=TERM
    )
    assert missing["status"] == "rejected" and missing["reason_code"] == "not_found"
    backwards = client.act(
        deposit.agency,
        "freeze",
        person,
        asset=asset_of(deposit),
        amount="1",
        term={"from": "2027-01-01", "to": "2026-01-01"},
    )
    assert backwards["reason_code"] == "invalid_term"


def test_partial_freeze_and_deduction_limits(client: Client) -> None:
    person, deposit, _ = debtor()
    assert deposit.value is not None
    m = client.act(deposit.agency, "freeze", person, asset=asset_of(deposit), amount="30000.00", term=TERM)[
        "result"
    ]
    assert m["amount_controlled"] == "30000.00"
    payee = {"bank": "ICBC-SX", "account_number": "1211", "account_name": "绍兴市越城区人民法院"}

    def deduct(amount: str, **kw: Any) -> dict[str, Any]:
        return client.act(
            deposit.agency,
            "deduction",
            person,
            asset=asset_of(deposit),
            measure_ref=m["measure_ref"],
            amount=amount,
            payee=payee,
            **kw,
        )

    too_much = deduct("30000.01")
    assert too_much["status"] == "rejected" and too_much["reason_code"] == "insufficient_balance"
    done = deduct("12000.00")
    assert done["status"] == "completed"
    assert done["result"]["amount_deducted"] == "12000.00"
    assert done["result"]["transfer_reference"].startswith(deposit.agency + ":T-")
    assert deduct("18000.01")["reason_code"] == "insufficient_balance"
    assert deduct("18000.00")["status"] == "completed"
    assert deduct("5.00", court={"code": "浙0603"})["reason_code"] == "not_found"  # not this court's freeze
    listed = client.act(deposit.agency, "inquiry", person)["result"]["assets"]
    after = next(a for a in listed if a["ref"] == deposit.ref)
    assert Decimal(after["value"]) == deposit.value - 30000
    # the rest of the balance can still be frozen by another court, at rank 1
    other = client.act(
        deposit.agency,
        "freeze",
        person,
        asset=asset_of(deposit),
        amount="99999999",
        term=TERM,
        court={"code": "浙0683"},
    )["result"]
    assert other["rank"] == 1 and Decimal(other["amount_controlled"]) == deposit.value - 30000


def test_seal_waits_behind_another_court_and_is_promoted_on_release(
    client: Client, receiver: Receiver
) -> None:
    person, _, house = debtor()
    foreign = house.encumbrances[0]
    sealed = client.act("REG-SX", "seal", person, asset=asset_of(house), term=TERM)
    m = sealed["result"]
    assert m["rank"] == 2 and m["first_sealing_court"] == foreign["court"]
    third = client.act("REG-SX", "seal", person, asset=asset_of(house), term=TERM, court={"code": "浙0624"})[
        "result"
    ]
    assert third["rank"] == 3
    # another court cannot release the first seal; its own court can
    assert client.act("REG-SX", "release", measure_ref=foreign["measure_ref"])["reason_code"] == "not_found"
    released = client.act(
        "REG-SX", "release", measure_ref=foreign["measure_ref"], court={"code": foreign["court"]}
    )
    assert released["result"]["promoted"] == [m["measure_ref"]]
    assert released["result"]["measure_ref"] == foreign["measure_ref"]
    notice = wait_for(receiver.notices)[0]
    assert notice["key"] == "REG-SX" and notice["status"] == "completed"
    assert notice["request_id"].startswith("notice:")
    assert notice["result"]["event"] == "measure_promoted"
    assert notice["result"]["measure_ref"] == m["measure_ref"] and notice["result"]["rank"] == 1
    protocol.parse_reply({k: v for k, v in notice.items() if k != "key"})
    listed = client.act("REG-SX", "inquiry", person)["result"]["assets"]
    enc = next(a for a in listed if a["ref"] == house.ref)["encumbrances"]
    assert [(e["court"], e["rank"]) for e in enc] == [("浙0602", 1), ("浙0624", 2)]
    again = client.act(
        "REG-SX", "release", measure_ref=foreign["measure_ref"], court={"code": foreign["court"]}
    )
    assert again["reason_code"] == "already_released"


def test_renewal_release_and_vehicle_seizure(client: Client) -> None:
    person, _, house = debtor()
    m = client.act("REG-SX", "seal", person, asset=asset_of(house), term=TERM)["result"]
    renewed = client.act(
        "REG-SX", "renewal", measure_ref=m["measure_ref"], term={"from": "2027-11-29", "to": "2030-11-28"}
    )
    assert renewed["result"]["expires_on"] == "2030-11-28" and renewed["result"]["rank"] == 2
    shorter = client.act("REG-SX", "renewal", measure_ref=m["measure_ref"], term={"to": "2028-01-01"})
    assert shorter["reason_code"] == "invalid_term"
    released = client.act("REG-SX", "release", measure_ref=m["measure_ref"])
    assert released["result"] == {
        "measure_ref": m["measure_ref"],
        "released_on": released["result"]["released_on"],
        "promoted": [],
    }
    assert (
        client.act("REG-SX", "renewal", measure_ref=m["measure_ref"], term={"to": "2031-01-01"})[
            "reason_code"
        ]
        == "already_released"
    )
    owner = WORLD.find_person(
        lambda p: any(a.kind == "vehicle" and not a.encumbrances for a in WORLD.assets(p.id_number))
    )
    assert owner is not None
    car = next(a for a in WORLD.assets(owner.id_number) if a.kind == "vehicle" and not a.encumbrances)
    seized = client.act("PSB-SX", "seizure", owner, asset=asset_of(car), term=TERM)["result"]
    assert seized["rank"] == 1 and seized["first_sealing_court"] == "浙0602"
    household = next(a for a in WORLD.assets(owner.id_number) if a.kind == "household")
    assert (
        client.act("PSB-SX", "seal", owner, asset=asset_of(household), term=TERM)["reason_code"]
        == "not_supported"
    )


def test_notice_review_and_transfer(client: Client) -> None:
    person, _, house = debtor()
    ack = client.act("TAX-SX", "assistance_notice", person, text="协助提取收入")
    assert ack["result"]["acknowledged"] is True and ack["result"]["note"]
    client.act("REG-SX", "seal", person, asset=asset_of(house), term=TERM)
    review = client.act("REG-SX", "joint_review", asset=asset_of(house), text="拟拍卖")["result"]
    assert review["opinion"] and [e["rank"] for e in review["encumbrances"]] == [1, 2]
    moved = client.act(
        "REG-SX",
        "title_transfer",
        person,
        asset=asset_of(house),
        text="成交确认",
        new_owner={"name": "李四", "id_number": "x"},
    )["result"]
    assert moved["registered_on"] and "不动产权" in moved["certificate"]
    listed = client.act("REG-SX", "inquiry", person)["result"]["assets"]
    assert house.ref not in {a["ref"] for a in listed}
    assert (
        client.act("REG-SX", "seal", person, asset=asset_of(house), term=TERM)["reason_code"] == "not_found"
    )


# --- idempotency and faults ---------------------------------------------------------------------------
def test_a_repeat_gets_the_first_answer_and_a_changed_body_409(client: Client) -> None:
    person, _, house = debtor()
    body = client.body("seal", person, asset=asset_of(house), term=TERM)
    first = client.post("REG-SX", body)
    again = client.post("REG-SX", {**body, "sent_at": "2026-11-29T11:00:00+08:00"})  # a re-stamped retry
    assert first.status_code == again.status_code == 200 and first.content == again.content
    assert client.get("REG-SX", body["request_id"]).content == first.content
    assert client.info(body["request_id"]) | {"callbacks": None} == {
        "request_id": body["request_id"],
        "agency": "REG-SX",
        "act": "seal",
        "received": 2,
        "executions": 1,
        "status": "completed",
        "callbacks": None,
    }
    changed = client.post("REG-SX", {**body, "term": {"from": "2026-11-29", "to": "2028-11-28"}})
    assert changed.status_code == 409 and changed.json()["error"]["code"] == "conflict"
    assert client.post("PSB-SX", body).status_code == 409  # the same id at another agency
    assert client.info(body["request_id"])["received"] == 2
    assert client.get("REG-SX", str(uuid.uuid4())).status_code == 404
    stats = client.http.get("/_sim/stats").json()
    assert stats["executed"] == 1 and stats["duplicates"] == 1 and stats["multiply_executed"] == []


def test_concurrent_requests_and_concurrent_repeats(client: Client) -> None:
    people = WORLD.people(60)
    bodies = [client.body("inquiry", p) for p in people for _ in range(2)]
    repeated = client.body("inquiry", people[0])
    with ThreadPoolExecutor(max_workers=40) as pool:
        statuses = list(pool.map(lambda b: client.post("PSB-SX", b).status_code, bodies + [repeated] * 30))
    assert set(statuses) == {200}
    assert client.info(repeated["request_id"])["executions"] == 1
    assert client.info(repeated["request_id"])["received"] == 30
    stats = client.http.get("/_sim/stats").json()
    assert stats["executed"] == len(bodies) + 1 and stats["multiply_executed"] == []


def test_dropped_answer_then_retry_gets_the_stored_reply(client: Client) -> None:
    person, _, house = debtor()
    client.sim.faults.drop_rate = 1.0
    body = client.body("seal", person, asset=asset_of(house), term=TERM)
    assert client.post("REG-SX", body).status_code == 500
    assert client.post("REG-SX", body).status_code == 500
    client.sim.faults.drop_rate = 0.0
    retry = client.post("REG-SX", body)
    assert retry.status_code == 200 and retry.json()["result"]["rank"] == 2
    assert client.info(body["request_id"])["executions"] == 1
    assert client.info(body["request_id"])["received"] == 3


def test_error_rate_answers_503_before_anything(client: Client) -> None:
    person, _, _ = debtor()
    client.sim.faults.error_rate = 1.0
    body = client.body("inquiry", person)
    assert client.post("REG-SX", body).status_code == 503
    assert client.http.get(f"/_sim/requests/{body['request_id']}").status_code == 404


def test_malformed_reply_after_executing(client: Client) -> None:
    person, _, _ = debtor()
    client.sim.faults.malformed_rate = 1.0
    body = client.body("inquiry", person)
    for _ in range(3):
        r = client.post("REG-SX", body)
        assert r.status_code == 200
        with pytest.raises(protocol.ProtocolError):
            protocol.parse_reply(r.content)
    client.sim.faults.malformed_rate = 0.0
    assert protocol.parse_reply(client.get("REG-SX", body["request_id"]).content).final
    assert client.info(body["request_id"])["executions"] == 1


def test_timeout_after_executing(client: Client) -> None:
    person, _, _ = debtor()
    client.sim.faults.timeout_rate = 1.0
    client.sim.faults.timeout_seconds = 1.0
    body = client.body("inquiry", person)
    with pytest.raises(httpx.ReadTimeout):
        client.http.post(
            "/agencies/REG-SX/v1/requests",
            content=protocol.dumps(body),
            headers=protocol.signed_headers(
                "REG-SX",
                protocol.derive_secret(SECRET, "REG-SX"),
                "POST",
                "/agencies/REG-SX/v1/requests",
                protocol.dumps(body),
            ),
            timeout=0.2,
        )
    client.sim.faults.timeout_rate = 0.0
    assert client.post("REG-SX", body).status_code == 200
    assert client.info(body["request_id"])["executions"] == 1


# --- callbacks ---------------------------------------------------------------------------------------
def test_callback_agency_accepts_then_calls_back_and_retries(
    make_sim: Callable[..., AgencySimulator], receiver: Receiver
) -> None:
    sim = make_sim()
    client = Client(sim, receiver.url)
    person, deposit, _ = debtor()
    receiver.statuses = [500]
    body = client.body("freeze", person, asset=asset_of(deposit), amount="50000.00", term=TERM)
    r = client.post(deposit.agency, body)
    assert r.status_code == 202 and r.json()["status"] == "accepted"
    assert client.post(deposit.agency, body).content == r.content  # a repeat: the first answer again
    final = wait_for(lambda: receiver.of(body["request_id"]))[0]
    assert final["key"] == deposit.agency and final["status"] == "completed"
    assert final["result"]["amount_controlled"] == "50000.00"
    assert client.get(deposit.agency, body["request_id"]).json()["status"] == "completed"
    info = wait_for(lambda: (i := client.info(body["request_id"]))["callbacks"]["delivered"] and i)
    assert info["executions"] == 1 and info["callbacks"] == {"pending": 0, "delivered": 1, "failed": 0}
    client.http.close()


def test_duplicate_and_late_processing_callbacks(
    make_sim: Callable[..., AgencySimulator], receiver: Receiver
) -> None:
    sim = make_sim(duplicate_callback_rate=1.0)
    client = Client(sim, receiver.url)
    person, deposit, _ = debtor()
    body = client.body("inquiry", person)
    assert client.post(deposit.agency, body).status_code == 202
    got = wait_for(lambda: len(receiver.of(body["request_id"])) >= 3 and receiver.of(body["request_id"]))
    statuses = [g["status"] for g in got]
    assert statuses[0] == "completed"  # the final answer first, then its copy and a late `processing`
    # (on a loaded machine a callback that timed out is sent again: more copies, never other statuses)
    assert statuses.count("completed") >= 2 and "processing" in statuses
    assert set(statuses) == {"completed", "processing"}
    assert client.info(body["request_id"])["executions"] == 1
    client.http.close()


def test_state_and_callbacks_survive_a_restart(
    make_sim: Callable[..., AgencySimulator], receiver: Receiver
) -> None:
    sim = make_sim()
    client = Client(sim, receiver.url)
    person, deposit, house = debtor()
    receiver.statuses = [500] * 1000  # the platform is down
    seal = client.body("seal", person, asset=asset_of(house), term=TERM)
    first = client.post("REG-SX", seal)
    freeze = client.body("freeze", person, asset=asset_of(deposit), amount="1000.00", term=TERM)
    assert client.post(deposit.agency, freeze).status_code == 202
    wait_for(lambda: client.info(freeze["request_id"])["executions"])
    sim.stop()
    client.http.close()
    with receiver.lock:
        receiver.statuses = []  # the platform is back
    sim = make_sim()
    client = Client(sim, receiver.url)
    assert client.post("REG-SX", seal).content == first.content
    assert client.info(seal["request_id"]) | {"callbacks": None} == {
        "request_id": seal["request_id"],
        "agency": "REG-SX",
        "act": "seal",
        "received": 2,
        "executions": 1,
        "status": "completed",
        "callbacks": None,
    }
    again = client.act("REG-SX", "seal", person, asset=asset_of(house), term=TERM, court={"code": "浙0681"})
    assert again["result"]["rank"] == 3
    delivered = wait_for(lambda: receiver.of(freeze["request_id"]))
    assert delivered[0]["status"] == "completed" and client.info(freeze["request_id"])["executions"] == 1
    client.http.close()


def test_callback_given_up_on_404(make_sim: Callable[..., AgencySimulator], receiver: Receiver) -> None:
    sim = make_sim()
    client = Client(sim, receiver.url)
    person, deposit, _ = debtor()
    receiver.statuses = [404]
    body = client.body("inquiry", person)
    client.post(deposit.agency, body)
    info = wait_for(lambda: (i := client.info(body["request_id"]))["callbacks"]["failed"] and i)
    assert info["callbacks"] == {"pending": 0, "delivered": 0, "failed": 1}
    client.http.close()


# --- a killed simulator keeps its word ---------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_sigkill_at_random_never_executes_twice(tmp_path: Path) -> None:
    port = _free_port()
    state = tmp_path / "killed.sqlite3"
    argv = [
        sys.executable, "-m", "zhixing.simulation.agency_sim", "--port", str(port),
        "--state-path", str(state), "--all-sync", "--quiet",
    ]  # fmt: skip
    env = {**os.environ, "ZHIXING_AGENCY_SIM_SECRET": SECRET}
    person, _, house = debtor()
    fake = type("S", (), {"url": f"http://127.0.0.1:{port}"})()
    client = Client(fake)
    client.http = httpx.Client(base_url=fake.url, timeout=2)
    bodies = [
        client.body("seal", person, asset=asset_of(house), term=TERM, court={"code": f"浙06{i:02d}"})
        for i in range(40)
    ]
    answers: dict[str, bytes] = {}
    for round_ in range(3):
        proc = subprocess.Popen(argv, env=env)
        try:
            wait_for(lambda: _healthy(client), timeout=10)
            killer = threading.Timer(0.01 + 0.02 * round_, lambda p=proc: p.send_signal(signal.SIGKILL))
            killer.start()
            for body in bodies:
                try:
                    r = client.post("REG-SX", body)
                except httpx.HTTPError:
                    continue
                if r.status_code == 200:
                    assert answers.setdefault(body["request_id"], r.content) == r.content
            killer.join()
        finally:
            proc.kill()
            proc.wait()
    proc = subprocess.Popen(argv, env=env)
    try:
        wait_for(lambda: _healthy(client), timeout=10)
        for body in bodies:
            r = client.post("REG-SX", body)
            assert r.status_code == 200
            assert answers.setdefault(body["request_id"], r.content) == r.content
        stats = client.http.get("/_sim/stats").json()
        assert stats["multiply_executed"] == [] and stats["executed"] == len(bodies)
        ranks = sorted(json.loads(a)["result"]["rank"] for a in answers.values())
        assert ranks == list(range(2, 2 + len(bodies)))  # each seal queued once, behind the foreign one
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        client.http.close()


def _healthy(client: Client) -> bool:
    try:
        return client.http.get("/_sim/health").status_code == 200
    except httpx.HTTPError:
        return False
