"""Coercive measures through the services: a debtor who misses the performance deadline is proposed,
restricted and listed (the president approves, the documents are issued and the lists published),
checked by a partner, then pays — and the restriction is lifted and the listing deleted within the
legal time. Refusals name their legal basis."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from zhixing.cases import services as case_services
from zhixing.cases.models import CaseApplication, EnforcementCase
from zhixing.cases.tests.conftest import World
from zhixing.core import identity
from zhixing.core.errors import Conflict, PermissionDenied, ServiceError
from zhixing.core.journal import verify_chains
from zhixing.core.models import JournalEvent, User
from zhixing.core.services import approval_decide
from zhixing.measures import lists, services
from zhixing.measures.models import ListEntry, Measure, Proposal


def J(case: EnforcementCase) -> User:  # the case's judge
    assert case.judge is not None
    return case.judge


def notice_delivered(world: World, case: EnforcementCase, on: dt.date) -> None:
    from zhixing.documents.models import Delivery
    from zhixing.documents.services import delivery_record_receipt, delivery_send

    judge = case.judge
    assert judge is not None
    case_services.case_act(actor=judge, case_id=case.pk, kind="performance_notice.issued", on=on)
    for d in Delivery.objects.filter(document__stream=case.stream, document__kind="performance_notice"):
        delivery_send(actor=judge, delivery=d, tracking_number="EMS1234567890CN")
        delivery_record_receipt(actor=judge, delivery=d, received_on=on + dt.timedelta(days=2))


@pytest.fixture
def overdue_case(world: World, submit: Callable[..., CaseApplication]) -> EnforcementCase:
    app = submit()
    case = case_services.application_accept(actor=world.clerk, application_id=app.pk, on=dt.date(2026, 11, 3))
    notice_delivered(world, case, dt.date(2026, 11, 4))
    case.refresh_from_db()
    return case


def take(world: World, proposal: Proposal) -> Measure:
    judge = proposal.case.judge
    assert judge is not None
    p = services.proposal_decide(actor=judge, proposal_id=proposal.pk, take=True, note="依法采取")
    if p.status == Proposal.Status.APPROVAL:
        assert p.approval_id is not None
        approval_decide(actor=world.president, approval_id=p.approval_id, approve=True)
    p.refresh_from_db()
    assert p.status == Proposal.Status.DONE
    if "measure" in p.params:  # lifting and deletion act on the measure they release
        return Measure.objects.get(pk=p.params["measure"])
    return Measure.objects.get(proposal=p)


def test_restricted_listed_checked_then_paid_and_released(
    world: World, overdue_case: EnforcementCase
) -> None:
    from zhixing.funds.selectors import case_account_of
    from zhixing.funds.services import receipt_record

    case = overdue_case
    proposals = services.case_measures_review(case)
    restriction = next(p for p in proposals if p.kind == "consumption_restriction")
    assert restriction.due and restriction.citations and restriction.reasons
    assert services.case_measures_review(case) == []  # proposed once
    m1 = take(world, restriction)
    assert m1.document_number and m1.status == Measure.Status.ACTIVE
    # refusing to report property: the listing is due (INVEST Art. 10)
    case_services.case_act(
        actor=J(case), case_id=case.pk, kind="asset_report.violated", note="逾期未报告财产"
    )
    listing = next(p for p in services.case_measures_review(case) if p.kind == "dishonest_listing")
    assert listing.due and listing.ground == "asset_report"
    m2 = take(world, listing)
    assert m2.term_years == 2 and m2.ends_on is not None
    number = identity.decrypt(case.parties.get(role="debtor").party.id_cipher)
    r = lists.check([number])[0]
    assert r.listed and set(r.lists) == {"dishonest", "consumption"}
    # the debtor pays in full: lifting and deletion are due, within 3 working days
    account = case_account_of(case)
    assert account is not None
    receipt_record(
        court=case.court, account_number=account.number, amount=case.claim_amount, idempotency_key="pay-all"
    )
    releases = services.case_measures_review(case)
    assert {p.kind for p in releases} == {"restriction_lifting", "listing_deletion"}
    lifting = next(p for p in releases if p.kind == "restriction_lifting")
    deletion = next(p for p in releases if p.kind == "listing_deletion")
    assert lifting.due  # must lift after full performance (XIANGAO15 Art. 9)
    assert (
        deletion.ground == "early_deletion" and not deletion.due
    )  # a 2-year listing: early deletion (Art. 2)
    with pytest.raises(ServiceError, match="应当解除或删除"):
        services.proposal_decide(actor=J(case), proposal_id=lifting.pk, take=False, note="不解除")
    for p in releases:
        take(world, p)
    m1.refresh_from_db()
    m2.refresh_from_db()
    assert m1.status == m2.status == Measure.Status.LIFTED
    assert not lists.check([number])[0].listed
    assert not ListEntry.objects.filter(active=True).exists()
    deleted = JournalEvent.objects.get(stream=case.stream, kind="measures.deleted")
    assert deleted.payload["within_time"] is True
    assert verify_chains().ok


def test_declining_needs_reasons_and_is_journaled(world: World, overdue_case: EnforcementCase) -> None:
    p = next(p for p in services.case_measures_review(overdue_case) if p.kind == "consumption_restriction")
    with pytest.raises(ServiceError, match="理由"):
        services.proposal_decide(actor=J(overdue_case), proposal_id=p.pk, take=False)
    services.proposal_decide(actor=J(overdue_case), proposal_id=p.pk, take=False, note="被执行人确无履行能力")
    event = JournalEvent.objects.get(stream=overdue_case.stream, kind="measures.declined")
    assert event.payload["note"] == "被执行人确无履行能力"
    with pytest.raises(Conflict):
        services.proposal_decide(actor=J(overdue_case), proposal_id=p.pk, take=True)


def test_fines_above_the_maximum_or_twice_for_one_act_are_refused(
    world: World, overdue_case: EnforcementCase
) -> None:
    case = overdue_case
    debtor = case.parties.get(role="debtor").party
    with pytest.raises(ServiceError) as e:
        services.sanction_propose(
            actor=J(case),
            case_id=case.pk,
            party_id=debtor.pk,
            kind="fine",
            act="refusal_to_perform",
            amount="100000.01",
        )
    assert "100" in e.value.message
    p = services.sanction_propose(
        actor=J(case),
        case_id=case.pk,
        party_id=debtor.pk,
        kind="fine",
        act="refusal_to_perform",
        amount="20000",
    )
    assert p.status == Proposal.Status.APPROVAL
    assert p.approval_id is not None
    approval_decide(actor=world.president, approval_id=p.approval_id, approve=True)
    fine = Measure.objects.get(kind="fine")
    assert fine.amount == 20000 and fine.document_number
    with pytest.raises(ServiceError):
        services.sanction_propose(
            actor=J(case),
            case_id=case.pk,
            party_id=debtor.pk,
            kind="fine",
            act="refusal_to_perform",
            amount="1000",
        )


def test_a_correction_is_reviewed_in_time_and_a_withheld_entry_returns_after_the_grace(
    world: World, overdue_case: EnforcementCase, make_user: Callable[..., Any]
) -> None:
    from zhixing.core.roles import Role
    from zhixing.measures.models import Correction

    case = overdue_case
    case_services.case_act(
        actor=J(case), case_id=case.pk, kind="asset_report.violated", note="逾期未报告财产"
    )
    listing = next(p for p in services.case_measures_review(case) if p.kind == "dishonest_listing")
    m = take(world, listing)
    number = identity.decrypt(case.parties.get(role="debtor").party.id_cipher)
    # grace: withheld for one month, then published again by the sweep
    with pytest.raises(ServiceError, match="个月"):
        services.listing_withhold(actor=J(case), measure_id=m.pk, months=4, reason="积极筹款")
    services.listing_withhold(actor=J(case), measure_id=m.pk, months=1, reason="被执行人承诺一个月内履行")
    m.refresh_from_db()
    assert m.status == Measure.Status.WITHHELD and m.withheld_until is not None
    assert not lists.check([number])[0].listed
    assert services.expiry_sweep(on=m.withheld_until) == 0
    assert services.expiry_sweep(on=m.withheld_until + dt.timedelta(days=1)) == 1
    assert lists.check([number])[0].listed
    # correction: rejected, then a justified one deletes the listing
    with pytest.raises(ServiceError, match="理由"):
        services.correction_apply(actor=J(case), measure_id=m.pk, ground="not_to_be_listed", statement=" ")
    c = services.correction_apply(
        actor=J(case), measure_id=m.pk, ground="not_to_be_listed", statement="已如实报告"
    )
    assert c.review_by == c.applied_on + dt.timedelta(days=15) or c.review_by > c.applied_on
    assert case.nodes.filter(code="listing_correction_review", status="open").exists()
    with pytest.raises(Conflict):
        services.correction_apply(actor=J(case), measure_id=m.pk, ground="inaccurate", statement="再次申请")
    services.correction_decide(actor=J(case), correction_id=c.pk, justified=False, note="报告财产确已逾期")
    c.refresh_from_db()
    assert c.status == Correction.Status.REJECTED and c.reconsideration_apply_by is not None
    assert lists.check([number])[0].listed  # stays in force meanwhile
    services.correction_reconsideration_apply(actor=J(case), correction_id=c.pk, statement="不服驳回")
    c.refresh_from_db()
    assert c.reconsideration_decide_by is not None
    with pytest.raises(PermissionDenied):  # not the upper court
        services.correction_reconsideration_decide(actor=J(case), correction_id=c.pk, reverse=False, note="x")
    supervisor = make_user(Role.SUPERVISOR, "浙06")
    services.correction_reconsideration_decide(
        actor=supervisor, correction_id=c.pk, reverse=False, note="驳回并无不当"
    )
    c.refresh_from_db()
    assert c.reconsideration_result == "upheld" and lists.check([number])[0].listed
    c2 = services.correction_apply(
        actor=J(case), measure_id=m.pk, ground="to_be_deleted", statement="已全部履行"
    )
    services.correction_decide(actor=J(case), correction_id=c2.pk, justified=True, note="经核实属实")
    c2.refresh_from_db()
    m.refresh_from_db()
    assert c2.status == Correction.Status.CORRECTED and c2.correct_by is not None
    assert m.status == Measure.Status.LIFTED and m.end_ground == "corrected"
    assert not lists.check([number])[0].listed


def test_a_refused_approval_declines_the_proposal_and_it_may_be_proposed_again(
    world: World, overdue_case: EnforcementCase
) -> None:
    case = overdue_case
    p = next(p for p in services.case_measures_review(case) if p.kind == "consumption_restriction")
    p = services.proposal_decide(actor=J(case), proposal_id=p.pk, take=True, note="依法限制")
    assert p.approval_id is not None
    approval_decide(
        actor=world.president, approval_id=p.approval_id, approve=False, reason="被执行人正在筹款"
    )
    again = services.case_measures_review(case)
    p.refresh_from_db()
    assert p.status == Proposal.Status.DECLINED and "筹款" in p.decision_note
    assert any(q.kind == "consumption_restriction" and q.status == Proposal.Status.OPEN for q in again)
    with pytest.raises(PermissionDenied):  # only the case's team runs a review
        services.case_review(actor=world.chief, case_id=case.pk)


def test_able_but_refusing_listed_without_term_then_deleted_within_three_working_days(
    agency_network: Any, world: World, submit: Callable[..., CaseApplication]
) -> None:
    """Ground (1): the evidence of ability comes from the network inquiry; after full payment the deletion
    is due within 3 working days (SHIXIN17 Art. 10) and is done in time; the documents reach the debtor."""
    from zhixing.agencies.services import dispatch_all
    from zhixing.asset_control.services import inquiry_start
    from zhixing.asset_control.tests.conftest import case_against
    from zhixing.documents.models import Delivery
    from zhixing.documents.services import delivery_record_receipt, delivery_send
    from zhixing.funds.selectors import case_account_of
    from zhixing.funds.services import receipt_record
    from zhixing.simulation.world import World as SimWorld

    case = case_against(world, submit, SimWorld().debtor_with_deposit_and_sealed_house(), n=7)
    notice_delivered(world, case, dt.date(2026, 11, 4))
    inquiry_start(actor=J(case), case_id=case.pk)
    dispatch_all()
    listing = next(p for p in services.case_measures_review(case) if p.kind == "dishonest_listing")
    assert listing.ground == "ability_refusal" and not listing.due  # the judge's call: 失信 or 失能
    assert listing.evidence["able"] is True and listing.evidence["items"]
    m = take(world, listing)
    assert m.term_years is None and m.ends_on is None
    for d in Delivery.objects.filter(
        document__stream=case.stream, document__kind="dishonest_listing_decision"
    ):
        delivery_send(actor=J(case), delivery=d, tracking_number="EMS0000000001CN")
        delivery_record_receipt(actor=J(case), delivery=d, received_on=dt.date.today())
        d.refresh_from_db()
        assert d.status == "delivered"
    account = case_account_of(case)
    assert account is not None
    receipt_record(
        court=case.court, account_number=account.number, amount=case.claim_amount, idempotency_key="x"
    )
    deletion = next(p for p in services.case_measures_review(case) if p.kind == "listing_deletion")
    m.refresh_from_db()
    assert deletion.due and deletion.ground == "performed" and m.deletion_due_on is not None
    assert (m.deletion_due_on - dt.date.today()).days <= 7  # 3 working days, over a weekend at most
    take(world, deletion)
    event = JournalEvent.objects.get(stream=case.stream, kind="measures.deleted")
    assert event.payload["within_time"] is True


def test_only_the_cases_team_withholds_or_registers_a_correction(
    world: World, overdue_case: EnforcementCase
) -> None:
    from zhixing.core.errors import NotFound

    case = overdue_case
    case_services.case_act(
        actor=J(case), case_id=case.pk, kind="asset_report.violated", note="逾期未报告财产"
    )
    m = take(world, next(p for p in services.case_measures_review(case) if p.kind == "dishonest_listing"))
    other_team = world.judge_complex if case.team_id == world.fast.pk else world.judge_fast
    for outsider in (other_team, world.other_judge):
        with pytest.raises(NotFound):
            services.listing_withhold(actor=outsider, measure_id=m.pk, months=1, reason="x")
        with pytest.raises(NotFound):
            services.correction_apply(actor=outsider, measure_id=m.pk, ground="inaccurate", statement="x")
    m.refresh_from_db()
    assert m.status == Measure.Status.ACTIVE and not m.corrections.exists()
