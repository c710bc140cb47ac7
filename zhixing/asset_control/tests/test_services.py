"""Asset search and control through the real agency simulator (HTTP on loopback): a debtor searched
across every agency, a deposit frozen, renewed and deducted into the case account, a house sealed
with a waiting rank; guards, 超标的, releases on closing, reminders, expiry, re-inquiry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.utils import timezone

from conftest import AgencyNetwork
from zhixing.agencies.models import AgencyRequest
from zhixing.agencies.services import dispatch_all
from zhixing.asset_control import selectors, services
from zhixing.asset_control.models import Asset, ControlMeasure, Deduction, Inquiry
from zhixing.asset_control.tests.conftest import case_against
from zhixing.cases.models import CaseApplication, EnforcementCase, Node
from zhixing.cases.tests.conftest import World
from zhixing.core.errors import Conflict, NotFound, PermissionDenied, ServiceError
from zhixing.core.journal import verify_chains
from zhixing.core.models import JournalEvent, User
from zhixing.funds.selectors import case_position
from zhixing.simulation.world import Person
from zhixing.simulation.world import World as SimWorld

M = ControlMeasure.Status


def J(case: EnforcementCase) -> User:
    assert case.judge is not None
    return case.judge


def kinds(case: EnforcementCase) -> list[str]:
    return list(
        JournalEvent.objects.filter(stream=case.stream).order_by("seq").values_list("kind", flat=True)
    )


def searched(case: EnforcementCase) -> Inquiry:
    inquiry = services.inquiry_start(actor=J(case), case_id=case.pk, purpose="查找可供执行财产")
    report = dispatch_all()
    assert report.failed == 0 and not report.errors
    inquiry.refresh_from_db()
    return inquiry


def asset_of(case: EnforcementCase, kind: str, *, free: bool = True) -> Asset:
    qs = case.assets.filter(kind=kind).order_by("-value")
    for a in qs:
        if not free or not a.encumbrances:
            return a
    raise AssertionError(f"no {kind}")


def test_search_freeze_renew_deduct_and_seal_with_a_waiting_rank(
    agency_network: AgencyNetwork, debtor_case: EnforcementCase, rich_debtor: Person
) -> None:
    case = debtor_case
    judge = J(case)
    inquiry = searched(case)
    # every integrated agency was asked about the one debtor, each answered once
    assert inquiry.requests_total == 12 and inquiry.completed_at is not None
    assert AgencyRequest.objects.filter(case=case, status="answered").count() == 12
    world_refs = {a.ref for a in SimWorld().assets(rich_debtor.id_number)}
    assert {a.agency_ref for a in case.assets.all()} == world_refs
    assert inquiry.assets_found == len(world_refs)
    assert "network_inquiry.done" in kinds(case)
    assert not case.nodes.filter(code="first_network_inquiry", status=Node.Status.OPEN).exists()
    assert inquiry.legal_basis and all(r.legal_basis for r in AgencyRequest.objects.filter(case=case))

    deposit = asset_of(case, "bank_deposit")
    freeze = services.control_request(actor=judge, case_id=case.pk, asset_id=deposit.pk, amount="50000")
    assert freeze.status == M.REQUESTED and freeze.expires_on == timezone.localdate().replace(
        year=timezone.localdate().year + 1
    ) - dt.timedelta(days=1)
    dispatch_all()
    freeze.refresh_from_db()
    assert (
        freeze.status == M.EFFECTIVE and freeze.rank == 1 and freeze.amount_controlled == Decimal("50000.00")
    )
    assert freeze.agency_ref and any(c["article"] == "第485条" for c in freeze.citations)
    with pytest.raises(Conflict, match="已对该财产"):
        services.control_request(actor=judge, case_id=case.pk, asset_id=deposit.pk, amount="1")

    first_expiry = freeze.expires_on
    services.control_renew(actor=judge, measure_id=freeze.pk)
    with pytest.raises(Conflict, match="正在等待"):
        services.control_renew(actor=judge, measure_id=freeze.pk)
    dispatch_all()
    freeze.refresh_from_db()
    assert freeze.renewals == 1 and freeze.expires_on == first_expiry.replace(year=first_expiry.year + 1)

    with pytest.raises(ServiceError, match="超过冻结余额"):
        services.deduction_request(actor=judge, measure_id=freeze.pk, amount="50000.01")
    deduction = services.deduction_request(actor=judge, measure_id=freeze.pk, amount="30000")
    dispatch_all()
    deduction.refresh_from_db()
    freeze.refresh_from_db()
    assert deduction.status == Deduction.Status.DONE and deduction.posting_id
    assert freeze.amount_deducted == Decimal("30000.00")
    assert case_position(case).received == Decimal("30000.00")

    house = asset_of(case, "real_estate", free=False)
    assert house.encumbrances and house.encumbrances[0]["kind"] == "seal"
    seal = services.control_request(
        actor=judge,
        case_id=case.pk,
        asset_id=house.pk,
        confirm_overreach=True,
        overreach_reason="房产不可分割",
    )
    dispatch_all()
    seal.refresh_from_db()
    assert seal.status == M.WAITING and seal.rank == 2
    assert seal.first_sealing_court and seal.first_sealing_court != case.court.court_code
    waiting = JournalEvent.objects.get(stream=case.stream, kind="asset_control.waiting")
    assert waiting.payload["disposal"]["disposing_court"] == seal.first_sealing_court  # 执行工作规定第56条
    assert any(
        c["article"] == "第26条"
        for c in seal.citations
        + [
            c
            for e in JournalEvent.objects.filter(stream=case.stream, kind="asset_control.waiting")
            for c in e.payload.get("citations", [])
        ]
    )
    with pytest.raises(ServiceError, match="只能从已冻结的存款"):
        services.deduction_request(actor=judge, measure_id=seal.pk, amount="1")
    assert verify_chains().ok


def test_who_may_search_and_control(
    agency_network: AgencyNetwork, world: World, debtor_case: EnforcementCase
) -> None:
    case = debtor_case
    outsider = world.other_judge
    other_team = world.judge_complex if case.team_id == world.fast.pk else world.judge_fast
    with pytest.raises(NotFound):
        services.inquiry_start(actor=outsider, case_id=case.pk)
    with pytest.raises(NotFound):
        services.inquiry_start(actor=other_team, case_id=case.pk)
    assert not Inquiry.objects.exists() and not AgencyRequest.objects.exists()
    searched(case)
    deposit = asset_of(case, "bank_deposit")
    clerk = world.clerk if world.clerk.team_id == case.team_id else None
    if clerk is not None:
        with pytest.raises(PermissionDenied):
            services.control_request(actor=clerk, case_id=case.pk, asset_id=deposit.pk, amount="100")
    with pytest.raises(NotFound):
        services.control_request(actor=other_team, case_id=case.pk, asset_id=deposit.pk, amount="100")
    info = case.assets.filter(kind__in=["household", "marriage"]).first()
    if info is not None:
        with pytest.raises(ServiceError, match="信息"):
            services.control_request(actor=J(case), case_id=case.pk, asset_id=info.pk)
    with pytest.raises(ServiceError, match="金额"):
        services.control_request(actor=J(case), case_id=case.pk, asset_id=deposit.pk, amount="-5")
    assert not ControlMeasure.objects.exists()
    # personal data: the team sees it, each view journaled; the court's bureau chief does not
    assert selectors.sees_personal_data(J(case), case) and not selectors.sees_personal_data(world.chief, case)
    services.asset_view(actor=J(case), asset_id=deposit.pk, purpose="核对账户")
    assert JournalEvent.objects.filter(stream=case.stream, kind="asset_control.asset_viewed").count() == 1
    with pytest.raises((NotFound, PermissionDenied)):
        services.asset_view(actor=world.chief, asset_id=deposit.pk)
    with pytest.raises(NotFound):
        services.asset_view(actor=outsider, asset_id=deposit.pk)


def test_controlling_more_than_the_claim_needs_a_reason(
    agency_network: AgencyNetwork, world: World, submit: Callable[..., CaseApplication], rich_debtor: Person
) -> None:
    case = case_against(world, submit, rich_debtor, principal="20000.00", n=2)
    searched(case)
    house = asset_of(case, "real_estate", free=False)
    assert house.value and house.value > Decimal("40000")
    with pytest.raises(Conflict) as e:
        services.control_request(actor=J(case), case_id=case.pk, asset_id=house.pk)
    assert e.value.code == "overreach" and "超过应执行金额" in e.value.message
    assert not ControlMeasure.objects.exists()
    with pytest.raises(Conflict):
        services.control_request(actor=J(case), case_id=case.pk, asset_id=house.pk, confirm_overreach=True)
    m = services.control_request(
        actor=J(case),
        case_id=case.pk,
        asset_id=house.pk,
        confirm_overreach=True,
        overreach_reason="唯一财产，不可分割",
    )
    assert m.overreach["reason"] == "唯一财产，不可分割" and any(
        c["article"] == "第19条" for c in m.overreach["citations"]
    )
    # a freeze defaults to the outstanding amount (claim + fee), capped by the balance
    deposit = asset_of(case, "bank_deposit")
    with pytest.raises(Conflict, match="超标的"):
        services.control_request(actor=J(case), case_id=case.pk, asset_id=deposit.pk)


def test_a_fully_performed_case_releases_its_controls(
    agency_network: AgencyNetwork, debtor_case: EnforcementCase, world: World
) -> None:
    from zhixing.cases import services as case_services

    case = debtor_case
    searched(case)
    freeze = services.control_request(
        actor=J(case), case_id=case.pk, asset_id=asset_of(case, "bank_deposit").pk, amount="1000"
    )
    dispatch_all()
    freeze.refresh_from_db()
    assert freeze.status == M.EFFECTIVE
    with pytest.raises(ServiceError):
        services.control_release(actor=J(case), measure_id=freeze.pk, ground="because")
    case_services.case_act(
        actor=J(case),
        case_id=case.pk,
        kind="applicant.confirmed_full_performance",
        note="申请人确认已全部履行",
    )
    case_services.case_close(actor=J(case), case_id=case.pk, mode="fully_performed", note="履行完毕")
    freeze.refresh_from_db()
    assert freeze.status == M.RELEASING and freeze.release_ground == "case_closed"
    dispatch_all()
    freeze.refresh_from_db()
    assert freeze.status == M.RELEASED and freeze.released_on == timezone.localdate()
    assert "asset_control.released" in kinds(case)


def test_release_of_the_first_seal_promotes_the_waiting_one(
    agency_network: AgencyNetwork, world: World, submit: Callable[..., CaseApplication]
) -> None:
    """Two of our cases seal the same free house: the second waits; releasing the first promotes it
    (the simulator's notice reaches the callback endpoint of the platform)."""
    person = SimWorld().find_person(
        lambda p: any(a.kind == "real_estate" and not a.encumbrances for a in SimWorld().assets(p.id_number))
    )
    assert person is not None
    first = case_against(world, submit, person, principal="5000000.00", n=3)
    second = case_against(world, submit, person, principal="5000000.00", n=4)
    for case in (first, second):
        searched(case)
    m1 = services.control_request(
        actor=J(first), case_id=first.pk, asset_id=asset_of(first, "real_estate").pk
    )
    dispatch_all()
    m2 = services.control_request(
        actor=J(second), case_id=second.pk, asset_id=asset_of(second, "real_estate").pk
    )
    dispatch_all()
    m1.refresh_from_db()
    m2.refresh_from_db()
    assert (m1.status, m1.rank, m2.status, m2.rank) == (M.EFFECTIVE, 1, M.WAITING, 2)
    from zhixing.agencies.models import Agency
    from zhixing.agencies.protocol import Reply, ReplyStatus
    from zhixing.agencies.services import notice_record

    services.control_release(actor=J(first), measure_id=m1.pk, ground="paid")
    dispatch_all()
    m1.refresh_from_db()
    assert m1.status == M.RELEASED
    # the registry's promotion notice (here recorded directly: the test server is not reachable by callback)
    notice_record(
        agency=Agency.objects.get(code=m2.asset.agency.code),
        reply=Reply(
            request_id=f"notice:{m2.agency_ref}",
            status=ReplyStatus.COMPLETED,
            result={"event": "measure_promoted", "measure_ref": m2.agency_ref, "rank": 1},
        ),
    )
    m2.refresh_from_db()
    assert m2.status == M.EFFECTIVE and m2.rank == 1 and m2.first_sealing_court == second.court.court_code


def test_renewal_reminders_open_a_node_and_an_unrenewed_measure_expires(
    agency_network: AgencyNetwork, debtor_case: EnforcementCase
) -> None:
    case = debtor_case
    searched(case)
    m = services.control_request(
        actor=J(case), case_id=case.pk, asset_id=asset_of(case, "bank_deposit").pk, amount="1000"
    )
    dispatch_all()
    m.refresh_from_db()
    expiry = m.expires_on
    assert services.renewal_sweep(on=expiry - dt.timedelta(days=31)) == {"reminded": 0, "expired": 0}
    assert services.renewal_sweep(on=expiry - dt.timedelta(days=30)) == {"reminded": 1, "expired": 0}
    assert services.renewal_sweep(on=expiry - dt.timedelta(days=29)) == {"reminded": 0, "expired": 0}
    node = case.nodes.get(code="control_renewal", ref=f"measure-{m.pk}")
    assert node.status == Node.Status.OPEN and node.due_on == expiry
    assert services.renewal_sweep(on=expiry - dt.timedelta(days=7)) == {"reminded": 1, "expired": 0}
    assert services.renewal_sweep(on=expiry + dt.timedelta(days=1)) == {"reminded": 0, "expired": 1}
    m.refresh_from_db()
    node.refresh_from_db()
    assert m.status == M.EXPIRED and node.status == Node.Status.CANCELLED
    with pytest.raises(Conflict):
        services.control_renew(actor=J(case), measure_id=m.pk)
    assert kinds(case).count("asset_control.expiry_reminder") == 2


def test_closed_for_now_cases_are_searched_again_when_due(
    agency_network: AgencyNetwork, debtor_case: EnforcementCase
) -> None:
    case = debtor_case
    today = timezone.localdate()
    EnforcementCase.objects.filter(pk=case.pk).update(
        stage="closed", closing_mode="no_assets_closure", closed_on=today
    )
    Node.objects.create(
        case=case,
        code="reinquiry",
        ref="1",
        title="终本后第 1 次网络查询",
        anchor_date=today,
        due_on=today + dt.timedelta(days=180),
    )
    assert services.reinquiry_sweep(on=today) == 0
    assert services.reinquiry_sweep(on=today + dt.timedelta(days=180)) == 1
    assert services.reinquiry_sweep(on=today + dt.timedelta(days=180)) == 0
    inquiry = Inquiry.objects.get(case=case)
    assert inquiry.reason == Inquiry.Reason.REINQUIRY and inquiry.requested_by is None
    dispatch_all()
    inquiry.refresh_from_db()
    assert inquiry.completed_at is not None and inquiry.assets_found > 0


def test_batch_inquiry_reports_progress_and_skips_cases_out_of_reach(
    agency_network: AgencyNetwork, world: World, submit: Callable[..., CaseApplication], rich_debtor: Person
) -> None:
    a = case_against(world, submit, rich_debtor, n=5)
    b = case_against(world, submit, SimWorld().debtor_without_assets(), n=6)
    judge = J(a)
    ids = [a.pk, b.pk, 999999]
    batch = services.inquiry_batch_start(actor=judge, case_ids=ids, purpose="批量查控")
    progress = selectors.batch_progress(batch)
    mine = [c for c in (a, b) if c.judge_id == judge.pk]
    assert progress.total == 12 * len(mine) and progress.done == 0
    assert {s["case_id"] for s in batch.skipped} >= {999999}
    dispatch_all()
    progress = selectors.batch_progress(batch)
    assert progress.finished and progress.percent == 100


def test_a_grid_workers_answer_with_a_lead_opens_a_lead_to_verify(
    agency_network: AgencyNetwork, debtor_case: EnforcementCase
) -> None:
    from conftest import PASSWORD
    from zhixing.agencies import services as agency_services
    from zhixing.agencies.models import Agency
    from zhixing.core.roles import Role
    from zhixing.core.services import external_user_create

    case = debtor_case
    with pytest.raises(ServiceError, match="协助的事项"):
        services.assistance_notice_send(actor=J(case), case_id=case.pk, agency_code="GRID-SX", text=" ")
    row = services.assistance_notice_send(
        actor=J(case), case_id=case.pk, agency_code="GRID-SX", text="请协助查找被执行人下落及财产"
    )
    assert row.status == "awaiting" and row.payload["text"].startswith("请协助")
    clerk = external_user_create(
        username="grid1", full_name="网格员", role=Role.AGENCY_CLERK, password=PASSWORD + "x!"
    )
    agency_services.agency_member_add(user=clerk, agency=Agency.objects.get(code="GRID-SX"))
    agency_services.desk_answer(
        actor=clerk,
        request_pk=row.pk,
        status="completed",
        result={"acknowledged": True, "note": "已走访", "lead": "被执行人在柯桥区某厂上班，月薪约8000元"},
    )
    node = case.nodes.get(code="asset_lead_verification")
    assert node.status == Node.Status.OPEN and node.due_on > node.anchor_date
    received = JournalEvent.objects.get(stream=case.stream, kind="asset_lead.received")
    assert received.payload["source"] == "grid" and "柯桥" in received.payload["description"]


def test_the_applicant_submits_a_lead_and_nobody_else_can(debtor_case: EnforcementCase, world: World) -> None:
    from zhixing.cases import services as case_services

    case = debtor_case
    node = case_services.asset_lead_submit(
        actor=world.lawyer, case_id=case.pk, description="被执行人有一辆宝马车"
    )
    assert node.code == "asset_lead_verification"
    with pytest.raises(NotFound):
        case_services.asset_lead_submit(actor=world.other_judge, case_id=case.pk, description="x")
    from conftest import PASSWORD
    from zhixing.core.roles import Role
    from zhixing.core.services import external_user_create

    stranger = external_user_create(
        username="l2", full_name="另一律师", role=Role.LAWYER, password=PASSWORD + "x!"
    )
    with pytest.raises(NotFound):
        case_services.asset_lead_submit(actor=stranger, case_id=case.pk, description="x")
