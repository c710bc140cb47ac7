import datetime as dt
from collections.abc import Callable

import pytest
import time_machine

from zhixing.cases import services
from zhixing.cases.models import EnforcementCase, Node
from zhixing.cases.tests.conftest import World
from zhixing.core import services as core_services
from zhixing.core.errors import NotFound, PermissionDenied, ServiceError
from zhixing.core.journal import verify_chains
from zhixing.core.models import ApprovalRequest, JournalEvent

ZHONGBEN_STEPS = [
    ("performance_notice.issued", ""),
    ("asset_report_order.issued", ""),
    ("asset_report.handled", "被执行人报告无财产"),
    ("network_inquiry.done", "总对总查询：无存款、车辆、不动产"),
    ("consumption_restriction.issued", ""),
    ("applicant.interviewed", "申请人同意终本"),
]


def do_steps(world: World, case: EnforcementCase, steps: list[tuple[str, str]], on: dt.date) -> None:
    for kind, note in steps:
        services.case_act(actor=world.judge_fast, case_id=case.pk, kind=kind, note=note or "已办", on=on)


def test_acts_complete_their_nodes(world: World, filed: EnforcementCase) -> None:
    services.case_act(actor=world.judge_fast, case_id=filed.pk, kind="performance_notice.issued")
    node = Node.objects.get(case=filed, code="performance_notice")
    assert node.status == "done" and node.done_on


def test_another_team_cannot_act(world: World, filed: EnforcementCase) -> None:
    with pytest.raises(NotFound):
        services.case_act(actor=world.judge_complex, case_id=filed.pk, kind="performance_notice.issued")
    with pytest.raises(NotFound):
        services.case_act(actor=world.other_judge, case_id=filed.pk, kind="performance_notice.issued")
    with pytest.raises(PermissionDenied):  # a judge-only act by an assistant
        services.case_act(actor=world.assistant_fast, case_id=filed.pk, kind="consumption_restriction.issued")


def test_no_assets_closure_refused_then_approved_then_restored(world: World, filed: EnforcementCase) -> None:
    with pytest.raises(ServiceError) as e:
        services.case_close(
            actor=world.judge_fast, case_id=filed.pk, mode="no_assets_closure", on=dt.date(2026, 11, 20)
        )
    unmet = e.value.detail["unmet"]
    assert e.value.code == "closing_conditions_unmet" and len(unmet) >= 4
    assert "执行通知" in e.value.message or "通知" in e.value.message
    do_steps(world, filed, ZHONGBEN_STEPS, dt.date(2026, 11, 20))
    # still fewer than 3 months since filing (2026-11-03)
    with pytest.raises(ServiceError) as e:
        services.case_close(
            actor=world.judge_fast, case_id=filed.pk, mode="no_assets_closure", on=dt.date(2027, 2, 3)
        )
    assert len(e.value.detail["unmet"]) == 1
    # more than 3 months, no consent from the applicant → the president's approval
    services.case_close(
        actor=world.judge_fast, case_id=filed.pk, mode="no_assets_closure", on=dt.date(2027, 2, 10)
    )
    filed.refresh_from_db()
    assert filed.stage == "in_enforcement"
    req = ApprovalRequest.objects.get(stream=filed.stream, status="pending")
    assert req.approver_role == "president"
    core_services.approval_decide(actor=world.president, approval_id=req.pk, approve=True)
    filed.refresh_from_db()
    assert filed.stage == "closed" and filed.closing_mode == "no_assets_closure"
    assert filed.closed_on == dt.date(2027, 2, 10) and filed.closing_citations
    pool = list(
        Node.objects.filter(case=filed, code="reinquiry").order_by("due_on").values_list("due_on", flat=True)
    )
    assert len(pool) == 10 and pool[0] > dt.date(2027, 8, 1)
    restored = services.case_restore(actor=world.clerk, case_id=filed.pk, reason="申请人发现被执行人新购车辆")
    assert restored.type_code == "执恢" and restored.parent == filed and "执恢1号" in restored.case_number
    assert set(restored.parties.values_list("party_id", "role")) == set(
        filed.parties.values_list("party_id", "role")
    )
    assert not Node.objects.filter(case=filed, code="reinquiry", status="open").exists()
    from zhixing.documents.models import Document

    assert Document.objects.filter(stream=filed.stream, kind="no_assets_closure_ruling").count() == 1
    assert restored.judge is not None
    services.case_act(actor=restored.judge, case_id=restored.pk, kind="restoration_notice.issued")
    assert Document.objects.filter(stream=restored.stream, kind="restoration_notice").count() == 1
    with pytest.raises(ServiceError, match="只适用于"):
        services.case_act(actor=world.judge_fast, case_id=filed.pk, kind="restoration_notice.issued")
    assert verify_chains().ok


def test_no_assets_closure_with_applicant_consent_needs_no_approval(
    world: World, filed: EnforcementCase
) -> None:
    do_steps(world, filed, ZHONGBEN_STEPS, dt.date(2026, 11, 20))
    services.case_close(
        actor=world.judge_fast,
        case_id=filed.pk,
        mode="no_assets_closure",
        applicant_consents=True,
        on=dt.date(2027, 2, 10),
    )
    filed.refresh_from_db()
    assert filed.stage == "closed"


def test_fully_performed_needs_confirmation(world: World, filed: EnforcementCase) -> None:
    with pytest.raises(ServiceError):
        services.case_close(actor=world.judge_fast, case_id=filed.pk, mode="fully_performed")
    services.case_act(
        actor=world.judge_fast,
        case_id=filed.pk,
        kind="applicant.confirmed_full_performance",
        note="申请人书面确认已全部收到",
    )
    services.case_close(actor=world.judge_fast, case_id=filed.pk, mode="fully_performed")
    filed.refresh_from_db()
    assert filed.closing_mode == "fully_performed"
    with pytest.raises(ServiceError, match="终结本次执行程序"):
        services.case_restore(actor=world.clerk, case_id=filed.pk, reason="x")


@pytest.mark.parametrize("mode", ["termination", "withdrawn_from_docket", "refused", "dismissed"])
def test_closing_modes_need_a_valid_ground(world: World, filed: EnforcementCase, mode: str) -> None:
    from zhixing.rules import closing as closing_rules

    tables = {
        "termination": closing_rules.TERMINATION_GROUNDS,
        "withdrawn_from_docket": closing_rules.WITHDRAWAL_GROUNDS,
        "refused": closing_rules.REFUSAL_GROUNDS,
        "dismissed": closing_rules.DISMISSAL_GROUNDS,
    }
    with pytest.raises(ServiceError):
        services.case_close(actor=world.judge_fast, case_id=filed.pk, mode=mode, ground="no-such-ground")
    ground = next(iter(tables[mode]))
    services.case_close(
        actor=world.judge_fast, case_id=filed.pk, mode=mode, ground=ground, applicant_consents=True
    )
    filed.refresh_from_db()
    assert filed.stage == "closed" and filed.closing_mode == mode and filed.closing_ground == ground


def test_illegal_stage_moves_are_refused(world: World, filed: EnforcementCase) -> None:
    with pytest.raises(ServiceError) as e:
        services.case_resume(actor=world.judge_fast, case_id=filed.pk)
    assert e.value.code == "illegal_stage_move"
    services.case_act(
        actor=world.judge_fast, case_id=filed.pk, kind="applicant.confirmed_full_performance", note="确认"
    )
    services.case_close(actor=world.judge_fast, case_id=filed.pk, mode="fully_performed")
    with pytest.raises(ServiceError):
        services.case_suspend(actor=world.judge_fast, case_id=filed.pk, ground=next(iter(_grounds())))


def _grounds() -> dict:
    from zhixing.rules import suspension

    return dict(suspension.SUSPENSION_GROUNDS)


def test_suspension_stops_the_enforcement_period(world: World, filed: EnforcementCase) -> None:
    before = filed.enforcement_deadline
    ground = next(iter(_grounds()))
    services.case_suspend(actor=world.judge_fast, case_id=filed.pk, ground=ground, on=dt.date(2026, 12, 1))
    with pytest.raises(ServiceError):
        services.case_suspend(actor=world.judge_fast, case_id=filed.pk, ground="nonsense")
    with time_machine.travel(dt.datetime(2027, 1, 1, 10, tzinfo=dt.UTC)):
        services.case_resume(
            actor=world.judge_fast, case_id=filed.pk, note="继承人已确定", on=dt.date(2027, 1, 1)
        )
    filed.refresh_from_db()
    assert filed.stage == "in_enforcement"
    assert filed.enforcement_deadline is not None and before is not None
    assert (filed.enforcement_deadline - before).days >= 31


def test_settlement_default_and_restore(world: World, filed: EnforcementCase) -> None:
    s = services.settlement_record(
        actor=world.judge_fast,
        case_id=filed.pk,
        agreed_on=dt.date(2026, 11, 10),
        terms="分两期支付",
        instalments=[(dt.date(2026, 12, 10), "20000"), (dt.date(2027, 1, 10), "31000")],
    )
    filed.refresh_from_db()
    assert filed.stage == "settlement"
    services.settlement_payment_record(
        actor=world.assistant_fast, settlement_id=s.pk, paid_on=dt.date(2026, 12, 9), amount="20000"
    )
    with pytest.raises(ServiceError, match="不得恢复执行"):
        services.settlement_restore(actor=world.judge_fast, settlement_id=s.pk, on=dt.date(2027, 1, 5))
    services.settlement_restore(
        actor=world.judge_fast,
        settlement_id=s.pk,
        note="第二期未履行，申请人申请恢复",
        on=dt.date(2027, 1, 20),
    )
    filed.refresh_from_db()
    assert filed.stage == "in_enforcement"
    assert JournalEvent.objects.filter(stream=filed.stream, kind="settlement.restored").exists()


def test_settlement_performed_in_full_closes_the_case(world: World, filed: EnforcementCase) -> None:
    s = services.settlement_record(
        actor=world.judge_fast,
        case_id=filed.pk,
        agreed_on=dt.date(2026, 11, 10),
        terms="一次付清",
        instalments=[(dt.date(2026, 12, 10), "51000")],
    )
    services.settlement_payment_record(
        actor=world.assistant_fast, settlement_id=s.pk, paid_on=dt.date(2026, 12, 1), amount="51000"
    )
    filed.refresh_from_db()
    assert filed.stage == "closed" and filed.closing_mode == "fully_performed"


def test_objection_is_a_linked_case_with_time_limits(world: World, filed: EnforcementCase) -> None:
    debtor = filed.parties.get(role="debtor").party
    linked = services.objection_file(
        actor=world.clerk,
        case_id=filed.pk,
        kind="act_objection",
        objector_party_id=debtor.pk,
        grounds="查封超标的",
        received_on=dt.date(2026, 11, 20),
    )
    assert linked.type_code == "执异" and linked.parent == filed and "执异1号" in linked.case_number
    assert linked.nodes.filter(status="open").count() >= 1
    services.objection_decide(
        actor=world.judge_fast, case_id=linked.pk, upheld=False, reasons="查封财产价值未明显超过标的"
    )
    linked.refresh_from_db()
    assert linked.closing_mode == "objection_rejected"


def test_review_goes_to_the_upper_court(world: World, filed: EnforcementCase) -> None:
    debtor = filed.parties.get(role="debtor").party
    linked = services.objection_file(
        actor=world.clerk,
        case_id=filed.pk,
        kind="review",
        objector_party_id=debtor.pk,
        grounds="不服异议裁定",
    )
    assert linked.court.court_code == "浙06" and linked.type_code == "执复"


def test_asset_lead_opens_and_closes_a_node(world: World, filed: EnforcementCase) -> None:
    node = services.asset_lead_receive(
        actor=world.assistant_fast, case_id=filed.pk, description="被执行人在柯桥有商铺", urgent=True
    )
    assert (node.due_on - node.anchor_date).days >= 3
    services.asset_lead_verify(actor=world.assistant_fast, case_id=filed.pk, ref=node.ref, result="已查封")
    node.refresh_from_db()
    assert node.status == "done"


def test_nodes_sweep_raises_alerts_once(world: World, filed: EnforcementCase) -> None:
    changed = services.nodes_sweep(on=dt.date(2026, 12, 31))
    assert changed["overdue"] >= 1
    filed.refresh_from_db()
    assert filed.alert_rank == 2
    assert services.nodes_sweep(on=dt.date(2026, 12, 31)) == {"due_soon": 0, "overdue": 0}


def test_reassign_override_and_delegate(
    world: World, filed: EnforcementCase, courts: dict, make_user: Callable
) -> None:
    with pytest.raises(PermissionDenied):
        services.case_reassign(actor=world.judge_fast, case_id=filed.pk, team_id=world.complex.pk, reason="x")
    with pytest.raises(ServiceError, match="理由"):
        services.case_track_override(actor=world.chief, case_id=filed.pk, track="complex_track", reason="")
    services.case_track_override(
        actor=world.chief, case_id=filed.pk, track="complex_track", reason="涉及多处不动产"
    )
    filed.refresh_from_db()
    assert filed.track == "complex_track" and filed.team == world.complex
    services.case_reassign(actor=world.chief, case_id=filed.pk, team_id=world.fast.pk, reason="均衡办案量")
    filed.refresh_from_db()
    assert filed.team == world.fast
    app = services.case_delegate(
        actor=world.chief, case_id=filed.pk, to_court_code="浙0603", reason="财产在柯桥"
    )
    assert app.court.court_code == "浙0603" and app.channel == "delegation"
    keqiao_clerk = make_user("clerk", "浙0603")
    new = services.application_accept(actor=keqiao_clerk, application_id=app.pk)
    filed.refresh_from_db()
    assert new.court.court_code == "浙0603"
    assert filed.stage == "closed" and filed.closing_mode == "withdrawn_from_docket"


def test_notices_are_documents_and_the_report_deadline_runs_from_delivery(
    world: World, filed: EnforcementCase
) -> None:
    from zhixing.documents.models import Delivery, Document
    from zhixing.documents.services import delivery_record_receipt, delivery_send

    services.case_act(
        actor=world.judge_fast, case_id=filed.pk, kind="performance_notice.issued", on=dt.date(2026, 11, 4)
    )
    services.case_act(
        actor=world.judge_fast, case_id=filed.pk, kind="asset_report_order.issued", on=dt.date(2026, 11, 4)
    )
    docs = list(Document.objects.filter(stream=filed.stream).order_by("id"))
    assert [d.kind for d in docs] == ["performance_notice", "asset_report_order"]
    order_delivery = Delivery.objects.get(document=docs[1])
    assert order_delivery.channel == "postal"
    delivery_send(actor=world.judge_fast, delivery=order_delivery, tracking_number="EMS1234567890CN")
    delivery_record_receipt(actor=world.judge_fast, delivery=order_delivery, received_on=dt.date(2026, 11, 6))
    node = Node.objects.get(case=filed, code="asset_report_due")
    assert node.anchor_date == dt.date(2026, 11, 6) and node.due_on == dt.date(2026, 11, 16)
    facts = services.closing_facts(filed)
    assert facts.performance_notice_issued and facts.asset_report_order_issued
    assert verify_chains().ok


def test_provisional_deadlines_are_flagged_and_recomputed(
    world: World, filed: EnforcementCase, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zhixing.rules import provisional
    from zhixing.rules.calendar import HolidayCalendar, HolidayYear

    node = Node.objects.get(case=filed, code="enforcement_period")
    assert node.provisional and node.due_on == dt.date(2027, 5, 3)  # 2027 is not yet published
    # an administrator adds 2027 (a made-up arrangement in which May 3 is a holiday)
    year = HolidayYear(
        year=2027,
        holidays=frozenset({dt.date(2027, 5, 1), dt.date(2027, 5, 2), dt.date(2027, 5, 3)}),
        makeup_workdays=frozenset(),
    )
    monkeypatch.setattr(provisional, "default_calendar", lambda: HolidayCalendar([year]))
    assert services.nodes_recompute_provisional() >= 1
    node.refresh_from_db()
    assert not node.provisional and node.due_on == dt.date(2027, 5, 4)
    assert JournalEvent.objects.filter(stream=filed.stream, kind="node.recomputed").exists()
