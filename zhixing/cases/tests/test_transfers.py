"""上级法院的执行监督权：督促执行令、提级执行、指定执行、交叉执行 — through filing at the new court.

The case of the fixtures was received by 越城 (浙0602) on 2026-11-02: the six months of CPL Art. 237
end on 2027-05-02, so the upper courts (绍兴中院 浙06, 浙江高院 浙) may act from 2027-05-03.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.test import Client

from zhixing.cases import services, transfers
from zhixing.cases.models import CaseApplication, EnforcementCase, Node
from zhixing.cases.tests.conftest import World
from zhixing.core import services as core_services
from zhixing.core.auth import api_token_issue
from zhixing.core.errors import Conflict, NotFound, PermissionDenied, ServiceError
from zhixing.core.journal import verify_chains
from zhixing.core.models import JournalEvent, User
from zhixing.core.roles import Role
from zhixing.documents import rendering
from zhixing.documents.models import Delivery, Document

SIX_MONTHS_END = dt.date(2027, 5, 2)
ON = dt.date(2027, 5, 10)


@pytest.fixture(autouse=True)
def fast_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint is not what these tests are about: the HTML's bytes stand in for the PDF."""

    def fake(html: str) -> bytes:
        return b"%PDF-1.7 fake\n" + html.encode("utf-8") + hashlib.sha256(html.encode()).digest()

    monkeypatch.setattr(rendering, "html_to_pdf", fake)


@pytest.fixture
def upper(make_user: Callable[..., User]) -> dict[str, User]:
    """The staff of the intermediate court (浙06), of the high court (浙) and of two basic courts."""
    return {
        "supervisor": make_user(Role.SUPERVISOR, "浙06", full_name="中院监督员"),
        "president": make_user(Role.PRESIDENT, "浙06", full_name="中院院长"),
        "chief": make_user(Role.BUREAU_CHIEF, "浙06", full_name="中院执行局长"),
        "judge": make_user(Role.JUDGE, "浙06", full_name="中院法官"),
        "clerk": make_user(Role.CLERK, "浙06"),
        "high_supervisor": make_user(Role.SUPERVISOR, "浙", full_name="高院监督员"),
        "keqiao_chief": make_user(Role.BUREAU_CHIEF, "浙0603"),
        "keqiao_clerk": make_user(Role.CLERK, "浙0603"),
        "shangyu_clerk": make_user(Role.CLERK, "浙0604"),
    }


def events(case: EnforcementCase, kind: str) -> list[JournalEvent]:
    return list(JournalEvent.objects.filter(stream=case.stream, kind=kind).order_by("seq"))


def footprint(case: EnforcementCase) -> tuple[int, int, int, int]:
    """What a refused act must not change."""
    return (
        JournalEvent.objects.filter(stream=case.stream).count(),
        Node.objects.filter(case=case).count(),
        Document.objects.filter(stream=case.stream).count(),
        CaseApplication.objects.filter(origin_case=case).count(),
    )


def laws(citations: list[dict[str, Any]]) -> set[str]:
    return {f"{c['law']}{c['article']}" for c in citations}


# --- 督促执行令 → 期限届满未执结 → 应当提级执行 ------------------------------------------------------
def test_urging_order_then_unmet_deadline_obliges_escalation_filed_by_the_upper_court(
    world: World, filed: EnforcementCase, upper: dict[str, User]
) -> None:
    before = footprint(filed)
    with pytest.raises(ServiceError) as e:  # exactly six months: not yet "more than six months"
        transfers.case_urge(
            actor=upper["supervisor"], case_id=filed.pk, days=30, reason="久拖不执", on=SIX_MONTHS_END
        )
    assert e.value.code == "pending_period_not_reached" and "2027-05-02" in e.value.message
    assert footprint(filed) == before

    node = transfers.case_urge(
        actor=upper["supervisor"], case_id=filed.pk, days=30, reason="申请执行人反映长期未执行", on=ON
    )
    assert node.code == transfers.URGING_NODE and node.due_on == dt.date(2027, 6, 9)
    assert node.provisional  # 2027's holidays are not published yet
    (urged,) = events(filed, "case.urged")
    p = urged.payload
    assert p["deadline"] == "2027-06-09" and p["by"] == "浙06" and p["basis"] == "pending_period"
    assert "民事诉讼法第237条" in laws(p["citations"])
    assert {u["name"] for u in p["parameters_used"]} >= {"upper_court_application_months"}
    # the order goes to the enforcing court, the written notice to the applicant
    order = Document.objects.get(number=p["order_number"])
    notice = Document.objects.get(number=p["notice_number"])
    assert order.kind == "urging_order" and order.court.court_code == "浙06" and order.stream == filed.stream
    assert order.number == "（2027）浙06执督字第1号"
    assert [d.recipient_user for d in Delivery.objects.filter(document=order)] == [world.chief]
    (to_applicant,) = Delivery.objects.filter(document=notice)
    assert to_applicant.recipient_name == "王建华" and to_applicant.recipient_role == "申请执行人"

    with pytest.raises(ServiceError) as e:  # one order at a time
        transfers.case_urge(actor=upper["chief"], case_id=filed.pk, days=10, reason="再次督促", on=ON)
    assert e.value.code == "urging_running"

    # the deadline passes, the case is not closed: the upper court must escalate or designate
    late = dt.date(2027, 6, 10)
    grounds = transfers.grounds_for(filed, "escalation", on=late).value
    assert grounds.allowed and grounds.must_escalate and grounds.basis == "urging_unmet"
    with pytest.raises(ServiceError) as e:
        transfers.case_urge(actor=upper["supervisor"], case_id=filed.pk, days=10, reason="再次督促", on=late)
    assert e.value.code == "urging_unmet" and e.value.detail["must_escalate"] is True

    app = transfers.case_escalate(
        actor=upper["president"], case_id=filed.pk, reason="督促执行令期限届满仍未执行完毕", on=late
    )
    assert app.court.court_code == "浙06" and app.channel == "escalation" and app.origin_case_id == filed.pk
    (escalated,) = events(filed, "case.escalated")
    assert escalated.payload["basis"] == "urging_unmet" and escalated.payload["must_escalate"] is True
    assert escalated.payload["urging_order_number"] == order.number
    ruling = Document.objects.get(number=escalated.payload["ruling_number"])
    assert ruling.kind == "transfer_ruling" and ruling.context["power"] == "escalation"
    served = {(d.recipient_name, d.channel) for d in Delivery.objects.filter(document=ruling)}
    assert ("王建华", "by_announcement") in served and ("李某", "postal") in served
    assert (filed.court.name, "electronic") in served
    node.refresh_from_db()
    assert node.status == "done"  # answered by the ruling

    # the enforcing court can no longer delegate it away
    with pytest.raises(ServiceError, match="上级法院决定移交"):
        services.case_delegate(
            actor=world.chief, case_id=filed.pk, to_court_code="浙0603", reason="财产在柯桥"
        )

    new = services.application_accept(actor=upper["clerk"], application_id=app.pk, on=dt.date(2027, 6, 11))
    assert new.court.court_code == "浙06" and new.case_number.startswith("（2027）浙06执")
    assert new.parent_id == filed.pk and new.duplicate_of == []
    (filed_event,) = events(new, "case.filed")
    assert filed_event.payload["origin"] == filed.case_number and filed_event.payload["power"] == "escalation"
    filed.refresh_from_db()
    assert filed.stage == "closed" and filed.closing_mode == "withdrawn_from_docket"
    assert filed.closing_ground == "escalated" and filed.closed_on == dt.date(2027, 6, 11)
    assert "民事诉讼法第237条" in laws(filed.closing_citations)
    (closed,) = events(filed, "case.closed")
    assert new.case_number in closed.payload["detail"] and "提级执行" in closed.payload["detail"]

    # a closed case is refused; the enforcing court, now below the new case's court, cannot act on it
    with pytest.raises(ServiceError) as e:
        transfers.case_urge(actor=upper["supervisor"], case_id=filed.pk, days=10, reason="x", on=late)
    assert e.value.code == "closed"
    with pytest.raises(PermissionDenied) as e:
        transfers.case_designate(
            actor=world.chief, case_id=new.pk, to_court_code="浙0603", reason="x", on=dt.date(2028, 1, 1)
        )
    assert e.value.code == "lower_court" and "下级法院" in e.value.message
    assert verify_chains().ok


# --- 指定执行 -----------------------------------------------------------------------------------------
def test_designation_to_another_court_of_the_district(
    world: World, filed: EnforcementCase, upper: dict[str, User]
) -> None:
    before = footprint(filed)
    bad = [
        ("浙0602", "same_court"),  # the enforcing court itself
        ("浙06", "is_decider"),  # that is escalation
        ("浙", "outside_district"),  # above the deciding court
        ("浙9999", "bad_court"),
    ]
    for code, error in bad:
        with pytest.raises(ServiceError) as e:
            transfers.case_designate(
                actor=upper["supervisor"], case_id=filed.pk, to_court_code=code, reason="x", on=ON
            )
        assert e.value.code == error, code
    with pytest.raises(ServiceError) as e:  # "must not be used to delay": a reason is required
        transfers.case_designate(
            actor=upper["supervisor"], case_id=filed.pk, to_court_code="浙0603", reason=" "
        )
    assert e.value.code == "reason_required" and "拖延" in e.value.message
    with pytest.raises(ServiceError) as e:
        transfers.case_designate(
            actor=upper["supervisor"],
            case_id=filed.pk,
            to_court_code="浙0603",
            reason="财产在柯桥",
            on=dt.date(2027, 1, 10),
        )
    assert e.value.code == "pending_period_not_reached"
    assert footprint(filed) == before

    app = transfers.case_designate(
        actor=upper["supervisor"],
        case_id=filed.pk,
        to_court_code="浙0603",
        reason="被执行人的财产在柯桥",
        on=ON,
    )
    assert app.court.court_code == "浙0603" and app.channel == "designation"
    assert app.jurisdiction_basis == "upper_court_order"
    (designated,) = events(filed, "case.designated")
    assert designated.payload["to"] == "浙0603" and designated.payload["basis"] == "pending_period"
    assert "最高人民法院关于进一步完善执行权制约机制加强执行监督的意见第28条" in laws(
        designated.payload["citations"]
    )
    with pytest.raises(Conflict):  # one transfer at a time
        transfers.case_escalate(actor=upper["chief"], case_id=filed.pk, reason="x", on=ON)

    new = services.application_accept(
        actor=upper["keqiao_clerk"], application_id=app.pk, on=dt.date(2027, 5, 12)
    )
    assert new.court.court_code == "浙0603" and new.team is not None  # filed and assigned there
    filed.refresh_from_db()
    assert filed.stage == "closed" and filed.closing_ground == "designated"
    (closed,) = events(filed, "case.closed")
    assert closed.payload["ground"] == "designated" and new.case_number in closed.payload["detail"]


def test_a_party_cannot_claim_the_upper_courts_basis(world: World, submit: Callable[..., Any]) -> None:
    with pytest.raises(ServiceError) as e:
        submit(jurisdiction_basis="upper_court_order")
    assert e.value.code == "bad_jurisdiction_basis" and not CaseApplication.objects.exists()


def test_a_high_court_designates_an_intermediate_court(
    world: World, filed: EnforcementCase, upper: dict[str, User]
) -> None:
    app = transfers.case_designate(
        actor=upper["high_supervisor"],
        case_id=filed.pk,
        to_court_code="浙06",
        reason="案情复杂，由中院执行",
        on=ON,
    )
    assert app.court.court_code == "浙06"
    (designated,) = events(filed, "case.designated")
    assert designated.payload["by"] == "浙"


# --- 交叉执行 -----------------------------------------------------------------------------------------
def test_cross_enforcement_by_a_court_of_the_same_level(
    world: World, filed: EnforcementCase, upper: dict[str, User]
) -> None:
    with pytest.raises(ServiceError) as e:
        transfers.case_cross_enforce(
            actor=upper["chief"], case_id=filed.pk, to_court_code="浙06", reason="交叉执行试点", on=ON
        )
    assert e.value.code == "is_decider"
    app = transfers.case_cross_enforce(
        actor=upper["chief"], case_id=filed.pk, to_court_code="浙0604", reason="交叉执行试点", on=ON
    )
    assert app.channel == "cross_enforcement" and app.court.court_code == "浙0604"
    (crossed,) = events(filed, "case.cross_enforced")
    used = {u["name"]: u["verified"] for u in crossed.payload["parameters_used"]}
    assert used == {"cross_enforcement_min_pending_months": False}  # the pilot's criteria are unverified
    new = services.application_accept(actor=upper["shangyu_clerk"], application_id=app.pk, on=ON)
    filed.refresh_from_db()
    assert filed.closing_ground == "cross_enforced" and new.parent_id == filed.pk
    assert events(new, "case.filed")[0].payload["power"] == "cross_enforcement"


# --- who may decide ---------------------------------------------------------------------------------
def test_only_the_upper_courts_supervisor_president_or_bureau_chief(
    world: World, filed: EnforcementCase, upper: dict[str, User]
) -> None:
    party = core_services.external_user_create(
        username="party1", full_name="王建华", role=Role.PARTY, password="Correct-Horse-9x!"
    )
    before = footprint(filed)
    denied = [
        (world.chief, PermissionDenied, "own_court"),  # the enforcing court on its own case
        (world.president, PermissionDenied, "own_court"),
        (world.judge_fast, PermissionDenied, "own_court"),
        (upper["judge"], PermissionDenied, "forbidden"),  # the upper court's judge
        (upper["keqiao_chief"], NotFound, "not_found"),  # another court of the same level
        (world.lawyer, NotFound, "not_found"),
        (party, NotFound, "not_found"),
    ]
    for actor, error, code in denied:
        for act in (
            lambda a: transfers.case_urge(actor=a, case_id=filed.pk, days=30, reason="x", on=ON),
            lambda a: transfers.case_escalate(actor=a, case_id=filed.pk, reason="x", on=ON),
            lambda a: transfers.case_designate(
                actor=a, case_id=filed.pk, to_court_code="浙0603", reason="x", on=ON
            ),
            lambda a: transfers.case_cross_enforce(
                actor=a, case_id=filed.pk, to_court_code="浙0603", reason="x", on=ON
            ),
        ):
            with pytest.raises(error) as e:
                act(actor)
            assert e.value.code == code, (actor.role, code)
    with pytest.raises(PermissionDenied) as e:
        transfers.case_escalate(actor=world.chief, case_id=filed.pk, reason="x", on=ON)
    assert "上级人民法院" in e.value.message
    with pytest.raises(NotFound):
        transfers.case_escalate(actor=upper["chief"], case_id=999999, reason="x", on=ON)
    assert footprint(filed) == before


def test_objection_cases_and_suspensions(
    world: World, filed: EnforcementCase, upper: dict[str, User]
) -> None:
    # a suspension is not counted in the six months (EXEC-PROC Art. 13)
    services.case_suspend(actor=world.judge_fast, case_id=filed.pk, ground="other", on=dt.date(2027, 1, 5))
    services.case_resume(actor=world.judge_fast, case_id=filed.pk, on=dt.date(2027, 1, 14))
    with pytest.raises(ServiceError) as e:
        transfers.case_escalate(actor=upper["chief"], case_id=filed.pk, reason="x", on=ON)
    # suspended 2027-01-05 … resumed 2027-01-14, both days not counted: the six months end ten days later
    assert e.value.code == "pending_period_not_reached" and e.value.detail["period_end"] == "2027-05-12"
    assert transfers.grounds_for(filed, "escalation", on=dt.date(2027, 5, 13)).value.allowed
    # linked objection cases (执异) are not enforcement cases of CPL Art. 237
    party_id = filed.parties.get(role="debtor").party_id
    linked = services.objection_file(
        actor=world.clerk, case_id=filed.pk, kind="act_objection", objector_party_id=party_id, grounds="异议"
    )
    with pytest.raises(ServiceError) as e:
        transfers.case_escalate(actor=upper["chief"], case_id=linked.pk, reason="x", on=dt.date(2027, 6, 1))
    assert e.value.code == "not_enforcement_case"


# --- the API and the case page --------------------------------------------------------------------------
def _post(c: Client, url: str, data: dict[str, Any], user: User) -> Any:
    token = api_token_issue(user=user, name="t")[1]
    return c.post(
        url,
        data=json.dumps(data),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def test_api_and_case_page(
    world: World, filed: EnforcementCase, upper: dict[str, User], client: Client
) -> None:
    base = f"/api/v1/cases/{filed.pk}"
    with time_machine.travel(dt.datetime(2027, 5, 10, 10, tzinfo=dt.UTC)):
        r = _post(client, f"{base}/urge", {"days": 0, "reason": "x"}, upper["supervisor"])
        assert r.status_code == 400 and r.json()["error"]["code"] == "bad_days"
        r = _post(client, f"{base}/escalate", {"reason": "x"}, world.chief)
        assert r.status_code == 403 and r.json()["error"]["code"] == "own_court"
        r = _post(client, f"{base}/urge", {"days": 30, "reason": "久拖不执"}, upper["supervisor"])
        assert r.status_code == 201, r.content
        body = r.json()
        assert body["power"] == "urging" and body["deadline"] == "2027-06-09" and len(body["documents"]) == 2
        r = _post(
            client, f"{base}/designate", {"to_court_code": "浙0603", "reason": "x"}, upper["keqiao_chief"]
        )
        assert r.status_code == 404
    with time_machine.travel(dt.datetime(2027, 6, 10, 10, tzinfo=dt.UTC)):
        r = _post(
            client, f"{base}/cross-enforce", {"to_court_code": "浙0603", "reason": "交叉"}, upper["chief"]
        )
        assert r.status_code == 201, r.content
        out = r.json()
        assert out["application"]["channel"] == "cross_enforcement" and out["must_escalate"] is True
        r = _post(client, f"{base}/escalate", {"reason": "x"}, upper["chief"])
        assert r.status_code == 409 and r.json()["error"]["code"] == "transfer_pending"
    page = Client()
    page.force_login(world.judge_fast)
    html = page.get(f"/cases/{filed.pk}/").content.decode()
    assert 'data-testid="upper-court"' in html and "上级法院督促执行令" in html and "交叉执行" in html
    assert "柯桥" in html
