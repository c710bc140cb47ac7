"""强制措施的写操作：the sweep that proposes what the law requires, the judge's decision (with the
president's approval where the law reserves it), the documents, publication on the lists, lifting,
deletion, expiry, detentions and fines, criminal referral.

Facts come from the case's own records (journal, deliveries, ledger, asset control); the rules in
``zhixing/rules/measures.py`` decide, and every proposal and decision stores their citations.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from zhixing.cases import services as case_services
from zhixing.cases.models import CaseParty, EnforcementCase
from zhixing.cases.services import CAL, today
from zhixing.core import services as core_services
from zhixing.core.errors import Conflict, NotFound, PermissionDenied, ServiceError
from zhixing.core.models import ApprovalRequest, JournalEvent, Party, User
from zhixing.core.money import yuan
from zhixing.core.roles import Role
from zhixing.measures import lists
from zhixing.measures.models import Correction, ListEntry, Measure, MeasureKind, Proposal
from zhixing.rules import measures as rules
from zhixing.rules.results import RuleResult
from zhixing.rules.results import citations_json as _citations

K = MeasureKind
P = Proposal.Status
APPROVAL_ACT = "measures.take"
# Measures the president approves (XIANGAO10 Art. 5; SHIXIN: 院长签发; CPL Art. 119 for fines and detention).
NEEDS_APPROVAL = frozenset({K.CONSUMPTION_RESTRICTION, K.DISHONEST_LISTING, K.DETENTION, K.FINE})
DOCUMENTS = {
    K.CONSUMPTION_RESTRICTION: "consumption_restriction_order",
    K.DISHONEST_LISTING: "dishonest_listing_decision",
    K.DETENTION: "detention_decision",
    K.FINE: "fine_decision",
    K.LISTING_DELETION: "dishonest_listing_deletion",
    K.RESTRICTION_LIFTING: "consumption_restriction_lifting",
}
OPEN_STAGES = ("in_enforcement", "suspended", "settlement")


def _kinds(case: EnforcementCase) -> list[str]:
    return list(
        JournalEvent.objects.filter(stream=case.stream).order_by("seq").values_list("kind", flat=True)
    )


# --- facts -------------------------------------------------------------------------------------------------
def _notice_delivered_on(case: EnforcementCase, party: Party) -> dt.date | None:
    from zhixing.documents.models import Delivery

    return (
        Delivery.objects.filter(
            document__stream=case.stream,
            document__kind="performance_notice",
            recipient_party=party,
            status="delivered",
        )
        .order_by("delivered_on")
        .values_list("delivered_on", flat=True)
        .first()
    )


def facts_for(case: EnforcementCase, party: Party, *, on: dt.date | None = None) -> rules.MeasureFacts:
    """The facts the measure rules need, read from the case's own records."""
    from zhixing.asset_control.models import Asset, ControlMeasure, Inquiry
    from zhixing.funds.selectors import case_position

    kinds = _kinds(case)
    closing = case_services.closing_facts(case)
    measures = list(Measure.objects.filter(case=case, party=party))
    active = {m.kind for m in measures if m.status in (Measure.Status.ACTIVE, Measure.Status.WITHHELD)}
    asset_qs = Asset.objects.filter(case=case, party=party)
    found = asset_qs.aggregate(v=Sum("value"))["v"] or Decimal(0)
    live = ControlMeasure.objects.filter(case=case, asset__party=party, status__in=["effective", "waiting"])
    controlled = Decimal(0)
    for m in live.select_related("asset"):
        if m.kind == "freeze":
            controlled += yuan(m.amount_controlled or 0) - yuan(m.amount_deducted or 0)
        elif m.status == "effective":
            controlled += yuan(m.asset.value or 0)
    applicant_deleted = [
        m.ended_on for m in measures if m.kind == K.DISHONEST_LISTING and m.end_ground == "applicant_request"
    ]
    reinquiries = Inquiry.objects.filter(
        case=case, reason="reinquiry", completed_at__isnull=False, assets_found=0
    ).count()
    settlement_performed = case.closing_mode == "fully_performed"
    return rules.MeasureFacts(
        debtor_kind=party.kind,
        debtor_birth_date=party.birth_date,
        notice_delivered_on=_notice_delivered_on(case, party),
        fully_performed=closing.ledger_shows_full_performance
        or closing.applicant_confirms_full_performance
        or settlement_performed,
        outstanding=case_position(case).outstanding,
        controlled_value=controlled,
        guarantee_provided="guarantee.accepted" in kinds,
        assets_found_value=yuan(found),
        asset_report_violated="asset_report.violated" in kinds,
        consumption_order_violated="consumption_order.violated" in kinds,
        obstruction="obstruction.found" in kinds,
        evasion="evasion.found" in kinds,
        settlement_refused="settlement.restored" in kinds,
        consumption_restriction_active=K.CONSUMPTION_RESTRICTION in active,
        listing_active=K.DISHONEST_LISTING in active,
        applicant_deletion_requested_on=max((d for d in applicant_deleted if d), default=None),
        closed_no_assets_on=case.closed_on if case.closing_mode == "no_assets_closure" else None,
        inquiries_after_closure_without_property=reinquiries,
        valid_leads_after_closure=False,
        suspended_for_retrial_or_bankruptcy=False,
        refused_or_terminated=case.closing_mode in ("refused", "termination"),
        sanctions=tuple(
            rules.Sanction(kind=m.kind, act=m.ground, on=m.decided_on)
            for m in measures
            if m.kind in (K.FINE, K.DETENTION)
        ),
    )


def _debtors(case: EnforcementCase) -> list[Party]:
    return [cp.party for cp in case.parties.filter(role=CaseParty.Role.DEBTOR).select_related("party")]


# --- proposals ---------------------------------------------------------------------------------------------
def _propose(
    case: EnforcementCase,
    party: Party,
    kind: str,
    result: RuleResult[Any],
    *,
    evidence: dict[str, Any] | None = None,
    params: dict[str, Any] | None = None,
) -> Proposal | None:
    decision = result.value
    try:
        with transaction.atomic():
            proposal = Proposal.objects.create(
                case=case,
                party=party,
                kind=kind,
                ground=getattr(decision, "ground", "") or "",
                due=decision.status == "due",
                reasons=list(decision.reasons),
                evidence=evidence or {},
                citations=_citations(result),
                params=params or {},
            )
    except IntegrityError:
        return None  # already proposed and waiting for the judge
    case_services.case_event_record(
        case=case,
        kind="measures.proposed",
        actor=None,
        payload={
            "proposal": proposal.pk,
            "measure": kind,
            "party": party.name,
            "due": proposal.due,
            "ground": proposal.ground,
            "reasons": proposal.reasons,
            "citations": proposal.citations,
        },
    )
    return proposal


def _settle_rejected(case: EnforcementCase) -> None:
    """A proposal whose approval the president refused is declined (with the president's reason),
    so that the review may propose it again when the facts change."""
    stuck = Proposal.objects.filter(
        case=case, status=P.APPROVAL, approval__status=ApprovalRequest.Status.REJECTED
    )
    for p in stuck.select_related("approval"):
        assert p.approval is not None
        p.status = P.DECLINED
        p.decision_note = f"院长不予批准：{p.approval.decision_reason}"
        p.save(update_fields=["status", "decision_note"])
        case_services.case_event_record(
            case=case,
            kind="measures.declined",
            actor=p.approval.decided_by,
            payload={"proposal": p.pk, "measure": p.kind, "note": p.decision_note},
        )


def case_review(*, actor: User, case_id: int) -> list[Proposal]:
    """立即审查（办案团队）：the same review as the nightly sweep, for one case, now."""
    with transaction.atomic():
        case = case_services.case_for_team_act(actor=actor, case_id=case_id, what="审查强制措施")
        return case_measures_review(case)


@transaction.atomic
def case_measures_review(case: EnforcementCase, *, on: dt.date | None = None) -> list[Proposal]:
    """审查一件案件：propose every measure the rules find due (or, for 失信 ground (1), allowed)."""
    on = on or today()
    _settle_rejected(case)
    made: list[Proposal] = []
    for party in _debtors(case):
        facts = facts_for(case, party, on=on)
        if case.stage in OPEN_STAGES and not facts.fully_performed:
            restriction = rules.consumption_restriction(facts, on=on, holidays=CAL())
            if restriction.value.status == "due":
                p = _propose(case, party, K.CONSUMPTION_RESTRICTION, restriction)
                made += [p] if p else []
            listing = rules.listing(facts, on=on, holidays=CAL())
            if listing.value.status in ("due", "allowed"):
                evidence = rules.ability_evidence(facts)
                p = _propose(case, party, K.DISHONEST_LISTING, listing, evidence=dict(evidence.value))
                made += [p] if p else []
            referral = rules.criminal_referral(facts, on=on)
            if referral.value.status == "due":
                p = _propose(case, party, K.CRIMINAL_REFERRAL, referral)
                made += [p] if p else []
        made += _release_proposals(case, party, facts, on=on)
    return made


def _release_proposals(
    case: EnforcementCase, party: Party, facts: rules.MeasureFacts, *, on: dt.date
) -> list[Proposal]:
    """Credit repair: lifting a restriction after full performance, deleting a listing on its grounds."""
    made: list[Proposal] = []
    for m in Measure.objects.filter(
        case=case, party=party, status__in=[Measure.Status.ACTIVE, Measure.Status.WITHHELD]
    ):
        if m.kind == K.CONSUMPTION_RESTRICTION:
            lift = rules.lifting_restriction(facts, on=on)
            if lift.value.status == "due":
                p = _propose(case, party, K.RESTRICTION_LIFTING, lift, params={"measure": m.pk})
                made += [p] if p else []
        elif m.kind == K.DISHONEST_LISTING:
            result = rules.deletion(
                facts, listed_on=m.starts_on, term_years=m.term_years, on=on, holidays=CAL()
            )
            early = rules.early_deletion(facts, term_years=m.term_years, on=on)
            if result.value is None and early.value.status == "allowed":
                p = _propose(case, party, K.LISTING_DELETION, early, params={"measure": m.pk})
                made += [p] if p else []
            elif result.value is not None:
                ground, due_on = result.value
                if m.deletion_due_on is None:
                    Measure.objects.filter(pk=m.pk).update(deletion_due_on=due_on)
                    case_services.case_event_record(
                        case=case,
                        kind="measures.deletion_due",
                        actor=None,
                        payload={
                            "measure": m.pk,
                            "ground": ground,
                            "due_on": due_on,
                            "citations": _citations(result),
                        },
                    )
                decision = rules.Decision(
                    status="due", reasons=(f"删除事由：{ground}，应于{due_on}前删除",), ground=ground
                )
                p = _propose(
                    case,
                    party,
                    K.LISTING_DELETION,
                    RuleResult(decision, result.citations),
                    params={"measure": m.pk},
                )
                made += [p] if p else []
    return made


def proposals_sweep(*, on: dt.date | None = None, limit: int = 5000) -> int:
    """巡查：every open case (and every case with an active measure) reviewed once; returns proposals made."""
    on = on or today()
    active_cases = Measure.objects.filter(status__in=[Measure.Status.ACTIVE, Measure.Status.WITHHELD]).values(
        "case_id"
    )
    cases = EnforcementCase.objects.filter(stage__in=OPEN_STAGES) | EnforcementCase.objects.filter(
        pk__in=active_cases
    )
    made = 0
    for case in cases.distinct().order_by("pk")[:limit]:
        made += len(case_measures_review(case, on=on))
    return made


# --- decisions ---------------------------------------------------------------------------------------------
def _proposal_for(actor: User, proposal_id: int) -> Proposal:
    p = Proposal.objects.select_related("case", "party").filter(pk=proposal_id).first()
    if p is None:
        raise NotFound("没有这项措施建议")
    case_services.case_for_team_act(
        actor=actor, case_id=p.case_id, roles=frozenset({Role.JUDGE}), what="决定强制措施"
    )
    return (
        Proposal.objects.select_for_update()
        .select_related("case", "case__court", "party")
        .get(pk=proposal_id)
    )


def proposal_decide(*, actor: User, proposal_id: int, take: bool, note: str = "") -> Proposal:
    """法官决定：take (through the president's approval where required) or decline, with reasons."""
    with transaction.atomic():
        p = _proposal_for(actor, proposal_id)
        if p.status != P.OPEN:
            raise Conflict(f"该建议已处理（{p.get_status_display()}）", code="already_decided")
        if not take and not note.strip():
            raise ServiceError(
                "决定不采取的，须写明理由（如：被执行人确无履行能力）", code="note_required", field="note"
            )
        p.decided_by = actor
        p.decided_at = timezone.now()
        p.decision_note = note.strip()
        if not take:
            if p.due and p.kind in (K.RESTRICTION_LIFTING, K.LISTING_DELETION):
                raise ServiceError("依法应当解除或删除，不能决定不采取", code="must_release")
            p.status = P.DECLINED
            p.save()
            case_services.case_event_record(
                case=p.case,
                kind="measures.declined",
                actor=actor,
                payload={
                    "proposal": p.pk,
                    "measure": p.kind,
                    "note": p.decision_note,
                    "evidence": p.evidence,
                },
            )
            return p
        if p.kind in NEEDS_APPROVAL:
            req = core_services.approval_request(
                actor=actor,
                act=APPROVAL_ACT,
                title=f"{p.get_kind_display()}：{p.party.name}（{p.case.case_number}）",
                stream=p.case.stream,
                approver_role=Role.PRESIDENT,
                payload={"proposal": p.pk},
                reason=p.decision_note or "；".join(p.reasons),
                court=p.case.court,
            )
            p.status = P.APPROVAL
            p.approval = req
            p.save()
            return p
        p.status = P.DONE
        p.save()
        _take(p, actor=actor, approval=None)
        return p


@core_services.approval_effect(APPROVAL_ACT)
def _approved(req: ApprovalRequest) -> None:
    p = (
        Proposal.objects.select_for_update()
        .select_related("case", "case__court", "party")
        .get(pk=req.payload["proposal"])
    )
    if p.status != P.APPROVAL:
        return
    p.status = P.DONE
    p.save(update_fields=["status"])
    assert req.decided_by is not None
    _take(p, actor=req.decided_by, approval=req)


def _performance(case: EnforcementCase) -> str:
    from zhixing.funds.selectors import case_position

    received = case_position(case).received
    return "全部未履行" if received <= 0 else f"部分履行（已履行 {received:,.2f} 元）"


def _public_fields(case: EnforcementCase, party: Party, *, on: dt.date, conduct: str) -> dict[str, Any]:
    """公布事项（失信规定第6条）：only these, with the identity number masked."""
    data: dict[str, Any] = {
        "name": party.name,
        "id_masked": party.id_masked,
        "court": case.court.name,
        "case_number": case.case_number,
        "filed_on": case.filed_on.isoformat(),
        "title": f"{case.title.issuing_body}{case.title.document_number}",
        "obligation": f"给付金额 {yuan(case.claim_amount):,.2f} 元",
        "performance": _performance(case),
        "conduct": conduct,
        "published_on": on.isoformat(),
    }
    if party.kind == "natural_person":
        data["sex"] = {"M": "男", "F": "女"}.get(party.sex, "")
        if party.birth_date:
            data["age"] = (
                on.year
                - party.birth_date.year
                - ((on.month, on.day) < (party.birth_date.month, party.birth_date.day))
            )
    else:
        data["legal_representative"] = party.legal_representative
    return data


TERM_LABELS = {2: "二年", 3: "三年", 4: "四年", 5: "五年", None: "无固定期限（至删除事由出现时）"}
# The acts a detention or fine may punish: CPL Art. 114 ¶1 items, and the two violations whose
# continuation after a sanction is the crime of refusing to execute (REFUSE24 Art. 3(4)).
SANCTION_ACTS = {
    "evidence": "evidence",
    "witness": "witness",
    "sealed_property": "sealed_property",
    "retaliation": "retaliation",
    "obstructing_officers": "obstructing_officers",
    "refusal_to_perform": "refusal_to_perform",
    "asset_report_violated": "refusal_to_perform",
    "consumption_order_violated": "refusal_to_perform",
}
DELETION_DOC_GROUNDS = {"refused_or_terminated": "terminated"}


def _context(p: Proposal, m: Measure | None, *, on: dt.date, facts: rules.MeasureFacts) -> dict[str, Any]:
    """The document's context, in the template's own vocabulary (docs/documents-admin.md)."""
    from zhixing.funds.models import Bank
    from zhixing.funds.selectors import case_account_of
    from zhixing.rules.params import param

    party, case = p.party, p.case
    names = [party.name]
    applicants = [
        cp.party.name for cp in case.parties.filter(role=CaseParty.Role.APPLICANT).select_related("party")
    ]
    facts_text = "；".join(p.reasons)[:2000] or "见本案执行卷宗"
    if p.kind == K.CONSUMPTION_RESTRICTION:
        delivered = facts.notice_delivered_on or case.filed_on
        deadline = delivered + dt.timedelta(
            days=int(param("performance_notice_compliance_days", on=delivered))
        )
        bound = (
            []
            if party.kind == "natural_person"
            else [f"{rules.BOUND_PERSON_LABELS['legal_representative']}{party.legal_representative}"]
        )
        return {
            "debtor_names": names,
            "debtor_kind": party.kind,
            "reason": facts_text,
            "performance_deadline": deadline.isoformat(),
            "restricted_persons": [b for b in bound if b.strip()],
            "applicant_names": applicants,
        }
    if p.kind == K.DISHONEST_LISTING:
        assert m is not None
        return {
            "debtor_names": names,
            "debtor_kind": party.kind,
            "facts": facts_text,
            "ground": m.ground,
            "listing_term": TERM_LABELS.get(m.term_years, TERM_LABELS[None]),
            "applicant_names": applicants,
        }
    if p.kind in (K.FINE, K.DETENTION):
        base = {
            "person_name": party.name,
            "act": SANCTION_ACTS.get(p.ground, "refusal_to_perform"),
            "facts": facts_text,
            "applicant_names": applicants,
            "debtor_names": names,
        }
        if p.kind == K.DETENTION:
            return {**base, "detention_days": int(p.params["days"])}
        account = case_account_of(case)
        bank = Bank.objects.filter(court=case.court, active=True).order_by("pk").first()
        return {
            **base,
            "person_kind": party.kind,
            "amount": str(p.params["amount"]),
            "payment_deadline": (on + dt.timedelta(days=int(param("fine_payment_days", on=on)))).isoformat(),
            "account_name": case.court.name,
            "bank_name": bank.name if bank else "执行款专户开户银行",
            "account_number": account.number if account else "",
        }
    assert m is not None
    if p.kind == K.RESTRICTION_LIFTING:
        ground = (
            "full_performance"
            if facts.fully_performed
            else "guarantee"
            if facts.guarantee_provided
            else "applicant_consent"
        )
        return {
            "debtor_names": names,
            "order_number": m.document_number,
            "order_issued_on": m.decided_on.isoformat(),
            "lifting_ground": ground,
            "applicant_names": applicants,
        }
    ground = DELETION_DOC_GROUNDS.get(p.ground, p.ground or "performed")
    if ground == "terminated" and case.closing_mode == "refused":
        ground = "not_enforced"
    return {
        "debtor_names": names,
        "listing_number": m.document_number,
        "listed_on": m.starts_on.isoformat(),
        "deleted_on": on.isoformat(),
        "deletion_ground": ground,
        "applicant_names": applicants,
        "listing_term": TERM_LABELS.get(m.term_years, TERM_LABELS[None]),
    }


def _issue(
    p: Proposal, kind: str, actor: User, approval: ApprovalRequest | None, context: dict[str, Any]
) -> str:
    from zhixing.documents.services import document_issue

    doc = document_issue(
        actor=actor,
        kind=kind,
        court=p.case.court,
        stream=p.case.stream,
        case_number=p.case.case_number,
        context=context,
        recipients=case_services.case_recipients(p.case),
        approval=approval,
    )
    return str(doc.number)


def _take(p: Proposal, *, actor: User, approval: ApprovalRequest | None) -> Measure:
    on = today()
    case, party = p.case, p.party
    facts = facts_for(case, party, on=on)
    if p.kind in (K.RESTRICTION_LIFTING, K.LISTING_DELETION):
        return _release(p, actor=actor, on=on)
    if p.kind == K.CONSUMPTION_RESTRICTION:
        check = rules.consumption_restriction(facts, on=on, holidays=CAL())
        if check.value.status in ("forbidden", "not_yet"):
            raise Conflict("；".join(check.value.reasons), code="measure_forbidden")
        bound = rules.bound_persons(party.kind)
        bound_people = [
            {"role": r, "name": party.legal_representative if r == "legal_representative" else ""}
            for r in bound.value
        ]
        m = Measure.objects.create(
            case=case,
            party=party,
            kind=p.kind,
            decided_on=on,
            starts_on=on,
            bound_persons=bound_people,
            citations=_citations(check, bound),
            proposal=p,
            decided_by=actor,
        )
        m.document_number = _issue(
            p, DOCUMENTS[K(p.kind)], actor, approval, _context(p, m, on=on, facts=facts)
        )
        m.save(update_fields=["document_number"])
        lists.entry_publish(
            measure=m,
            kind=ListEntry.Kind.CONSUMPTION,
            public=_public_fields(
                case, party, on=on, conduct="未按执行通知书指定的期间履行生效法律文书确定的义务"
            ),
        )
    elif p.kind == K.DISHONEST_LISTING:
        check = rules.listing(facts, on=on, holidays=CAL())
        if check.value.status in ("forbidden", "not_yet"):
            raise Conflict("；".join(check.value.reasons), code="measure_forbidden")
        ground = check.value.ground or p.ground
        term = check.value.term_years
        ends = None if term is None else rules.listing_ends_on(on, term).value
        m = Measure.objects.create(
            case=case,
            party=party,
            kind=p.kind,
            ground=ground,
            decided_on=on,
            starts_on=on,
            ends_on=ends,
            term_years=term,
            citations=_citations(check),
            evidence=p.evidence,
            proposal=p,
            decided_by=actor,
        )
        label = rules.GROUNDS.get(ground, ground)
        m.document_number = _issue(
            p, DOCUMENTS[K(p.kind)], actor, approval, _context(p, m, on=on, facts=facts)
        )
        m.save(update_fields=["document_number"])
        lists.entry_publish(
            measure=m, kind=ListEntry.Kind.DISHONEST, public=_public_fields(case, party, on=on, conduct=label)
        )
    elif p.kind in (K.DETENTION, K.FINE):
        amount = p.params.get("amount")
        days = p.params.get("days")
        value: Decimal | int = Decimal(str(amount)) if p.kind == K.FINE else int(days)
        check = rules.sanction_check(p.kind, party.kind, value, p.ground, previous=facts.sanctions, on=on)
        if check.value.status == "forbidden":
            raise Conflict("；".join(check.value.reasons), code="measure_forbidden")
        m = Measure.objects.create(
            case=case,
            party=party,
            kind=p.kind,
            ground=p.ground,
            decided_on=on,
            starts_on=on,
            amount=value if p.kind == K.FINE else None,
            days=int(value) if p.kind == K.DETENTION else None,
            status=Measure.Status.DONE,
            citations=_citations(check),
            proposal=p,
            decided_by=actor,
        )
        m.document_number = _issue(
            p, DOCUMENTS[K(p.kind)], actor, approval, _context(p, m, on=on, facts=facts)
        )
        m.save(update_fields=["document_number"])
    else:  # criminal referral: a record of the transfer of materials
        m = Measure.objects.create(
            case=case,
            party=party,
            kind=p.kind,
            ground=p.ground,
            decided_on=on,
            starts_on=on,
            status=Measure.Status.DONE,
            citations=p.citations,
            proposal=p,
            decided_by=actor,
        )
    case_services.case_event_record(
        case=case,
        kind="measures.taken",
        actor=actor,
        payload={
            "measure": m.pk,
            "kind": m.kind,
            "party": party.name,
            "ground": m.ground,
            "document_number": m.document_number,
            "ends_on": m.ends_on,
            "citations": m.citations,
        },
    )
    return m


def _release(p: Proposal, *, actor: User, on: dt.date) -> Measure:
    m = Measure.objects.select_for_update().get(pk=p.params["measure"])
    if m.status not in (Measure.Status.ACTIVE, Measure.Status.WITHHELD):
        raise Conflict("该措施已解除或删除", code="already_ended")
    m.status = Measure.Status.LIFTED
    m.ended_on = on
    m.end_ground = p.ground or "performed"
    kind = DOCUMENTS[K(p.kind)]
    m.save(update_fields=["status", "ended_on", "end_ground"])
    lists.entries_remove(measure=m)
    facts = facts_for(p.case, p.party, on=on)
    number = _issue(p, kind, actor, None, _context(p, m, on=on, facts=facts))
    case_services.case_event_record(
        case=p.case,
        kind="measures.lifted" if m.kind == K.CONSUMPTION_RESTRICTION else "measures.deleted",
        actor=actor,
        payload={
            "measure": m.pk,
            "ground": m.end_ground,
            "on": on,
            "document_number": number,
            "citations": p.citations,
            "within_time": m.deletion_due_on is None or on <= m.deletion_due_on,
        },
    )
    return m


def sanction_propose(
    *,
    actor: User,
    case_id: int,
    party_id: int,
    kind: str,
    act: str,
    amount: Any = None,
    days: Any = None,
    note: str = "",
) -> Proposal:
    """法官提出拘留或罚款（须院长批准）：the maxima and the one-measure-per-act rule are checked first."""
    with transaction.atomic():
        case = case_services.case_for_team_act(
            actor=actor, case_id=case_id, roles=frozenset({Role.JUDGE}), what="拘留、罚款"
        )
        party = Party.objects.filter(pk=party_id, case_roles__case=case).first()
        if party is None:
            raise NotFound("本案没有这个当事人")
        if kind not in (K.FINE, K.DETENTION):
            raise ServiceError("只能提出拘留或罚款", code="bad_kind", field="kind")
        if act not in SANCTION_ACTS:
            raise ServiceError(
                "请选择所处罚的行为（民事诉讼法第114条所列行为或违反报告财产、限制消费令）",
                code="bad_act",
                field="act",
            )
        try:
            value: Decimal | int = yuan(amount) if kind == K.FINE else int(days)
        except (TypeError, ValueError, ArithmeticError):
            raise ServiceError("金额或日数格式不正确", code="bad_amount") from None
        on = today()
        facts = facts_for(case, party, on=on)
        check = rules.sanction_check(kind, party.kind, value, act, previous=facts.sanctions, on=on)
        if check.value.status == "forbidden":
            raise ServiceError("；".join(check.value.reasons), code="measure_forbidden")
        decision = rules.Decision(
            status="allowed",
            reasons=(*check.value.reasons, *([note.strip()] if note.strip() else [])),
            ground=act,
        )
        p = _propose(
            case,
            party,
            kind,
            RuleResult(decision, check.citations, check.parameters_used),
            params={
                "amount": str(value) if kind == K.FINE else None,
                "days": value if kind == K.DETENTION else None,
            },
        )
        if p is None:
            raise Conflict("已有同一措施的建议待决定", code="already_proposed")
    return proposal_decide(actor=actor, proposal_id=p.pk, take=True, note=note)


def listing_withhold(*, actor: User, measure_id: int, months: int, reason: str) -> Measure:
    """暂缓公布（宽限期 1–3 个月，GOODFAITH19）：the entry leaves the public list until the grace ends;
    the decision stands. The expiry sweep publishes it again on the day after."""
    with transaction.atomic():
        m = Measure.objects.select_for_update().select_related("case").filter(pk=measure_id).first()
        if m is None:
            raise NotFound()
        case_services.case_for_team_act(
            actor=actor, case_id=m.case_id, roles=frozenset({Role.JUDGE}), what="暂缓公布"
        )
        if (
            m.kind not in (K.DISHONEST_LISTING, K.CONSUMPTION_RESTRICTION)
            or m.status != Measure.Status.ACTIVE
        ):
            raise Conflict("只有公布中的失信、限制消费信息可以暂缓公布", code="not_published")
        if not reason.strip():
            raise ServiceError("须写明暂缓公布的理由", code="note_required", field="reason")
        try:
            grace = rules.publication_grace_until(m.decided_on, int(months), holidays=CAL())
        except (TypeError, ValueError) as e:
            raise ServiceError(str(e), code="bad_months", field="months") from e
        m.status = Measure.Status.WITHHELD
        m.withheld_until = grace.value
        m.save(update_fields=["status", "withheld_until"])
        lists.entries_remove(measure=m)
        case_services.case_event_record(
            case=m.case,
            kind="measures.withheld",
            actor=actor,
            payload={
                "measure": m.pk,
                "reason": reason.strip(),
                "until": grace.value,
                "citations": _citations(grace),
            },
        )
    return m


def _republish(m: Measure, *, on: dt.date) -> None:
    last = ListEntry.objects.filter(measure=m).order_by("-pk").first()
    kind = ListEntry.Kind.DISHONEST if m.kind == K.DISHONEST_LISTING else ListEntry.Kind.CONSUMPTION
    public = dict(last.public) if last else _public_fields(m.case, m.party, on=on, conduct="")
    lists.entry_publish(measure=m, kind=kind, public=public)


# --- correction (SHIXIN17 Arts. 11–12) -----------------------------------------------------------------
def correction_apply(*, actor: User, measure_id: int, ground: str, statement: str) -> Correction:
    """纠正申请：the listed debtor's written application, registered by the case's team (the natural person
    or the legal representative applies in person at the court — SHIXIN13 Art. 3)."""
    with transaction.atomic():
        m = (
            Measure.objects.select_for_update()
            .select_related("case")
            .filter(pk=measure_id, kind=K.DISHONEST_LISTING)
            .first()
        )
        if m is None:
            raise NotFound("没有这条失信信息")
        case_services.case_for_team_act(actor=actor, case_id=m.case_id, what="登记纠正申请")
        if ground not in Correction.Ground.values:
            raise ServiceError("请选择申请纠正的事由", code="bad_ground", field="ground")
        if not statement.strip():
            raise ServiceError("请写明申请纠正的理由", code="note_required", field="statement")
        if m.corrections.filter(status=Correction.Status.PENDING).exists():
            raise Conflict("已有纠正申请在审查中", code="already_pending")
        on = today()
        deadlines = rules.correction_deadlines(on, holidays=CAL())
        c = Correction.objects.create(
            measure=m,
            ground=ground,
            statement=statement.strip(),
            applied_by=actor,
            applied_on=on,
            review_by=deadlines.value["review_by"],
            citations=_citations(deadlines),
        )
        case_services.case_node_open(
            case=m.case,
            code="listing_correction_review",
            ref=f"correction-{c.pk}",
            title="审查失信信息纠正申请",
            anchor_date=on,
            due_on=c.review_by,
            citations=c.citations,
        )
        case_services.case_event_record(
            case=m.case,
            kind="measures.correction_applied",
            actor=actor,
            payload={
                "correction": c.pk,
                "ground": ground,
                "review_by": c.review_by,
                "citations": c.citations,
            },
        )
    return c


def correction_decide(*, actor: User, correction_id: int, justified: bool, note: str) -> Correction:
    """审查纠正申请：justified → corrected within 3 working days (deleted, or republished as corrected);
    otherwise rejected by decision, and the applicant may ask the upper court within 10 days."""

    with transaction.atomic():
        c = (
            Correction.objects.select_for_update()
            .select_related("measure", "measure__case", "measure__party")
            .filter(pk=correction_id)
            .first()
        )
        if c is None:
            raise NotFound("没有这项纠正申请")
        m = c.measure
        case_services.case_for_team_act(
            actor=actor, case_id=m.case_id, roles=frozenset({Role.JUDGE}), what="审查纠正申请"
        )
        if c.status != Correction.Status.PENDING:
            raise Conflict("该申请已审查", code="already_decided")
        if not note.strip():
            raise ServiceError("须写明审查意见", code="note_required", field="note")
        on = today()
        c.decided_by, c.decided_on, c.decision_note = actor, on, note.strip()
        if justified:
            deadlines = rules.correction_deadlines(c.applied_on, holidays=CAL(), justified_on=on)
            c.correct_by = deadlines.value.get("correct_by")
            c.status = Correction.Status.CORRECTED
            _correct(c, m, on=on)
        else:
            deadlines = rules.correction_deadlines(c.applied_on, holidays=CAL(), rejection_served_on=on)
            c.reconsideration_apply_by = deadlines.value.get("reconsideration_apply_by")
            c.status = Correction.Status.REJECTED
        c.citations = _citations(deadlines)
        c.save()
        case_services.case_node_finish(
            case=m.case, code="listing_correction_review", ref=f"correction-{c.pk}"
        )
        case_services.case_event_record(
            case=m.case,
            kind="measures.correction_decided",
            actor=actor,
            payload={
                "correction": c.pk,
                "justified": justified,
                "note": c.decision_note,
                "within_review_period": on <= c.review_by,
                "reconsideration_apply_by": c.reconsideration_apply_by,
                "citations": c.citations,
            },
        )
    return c


def _correct(c: Correction, m: Measure, *, on: dt.date) -> None:
    """Carry out a justified correction: the listing deleted, or republished with accurate data."""
    if c.ground == Correction.Ground.INACCURATE:
        lists.entries_remove(measure=m)
        _republish(m, on=on)
    else:
        m.status, m.ended_on, m.end_ground = Measure.Status.LIFTED, on, "corrected"
        m.save(update_fields=["status", "ended_on", "end_ground"])
        lists.entries_remove(measure=m)


def correction_reconsideration_apply(*, actor: User, correction_id: int, statement: str) -> Correction:
    """申请复议：within 10 days of the rejection being served, to the upper court (registered by the team)."""
    with transaction.atomic():
        c = (
            Correction.objects.select_for_update()
            .select_related("measure", "measure__case")
            .filter(pk=correction_id)
            .first()
        )
        if c is None:
            raise NotFound("没有这项纠正申请")
        m = c.measure
        case_services.case_for_team_act(actor=actor, case_id=m.case_id, what="登记复议申请")
        if c.status != Correction.Status.REJECTED or c.reconsideration_applied_on is not None:
            raise Conflict("只有被驳回且尚未申请复议的纠正申请可以申请复议", code="not_rejected")
        if not statement.strip():
            raise ServiceError("请写明申请复议的理由", code="note_required", field="statement")
        on = today()
        if c.reconsideration_apply_by is not None and on > c.reconsideration_apply_by:
            raise ServiceError(
                f"申请复议的期限已于{c.reconsideration_apply_by}届满（失信规定第12条：收到驳回决定之日起十日内）",
                code="out_of_time",
            )
        deadlines = rules.correction_deadlines(c.applied_on, holidays=CAL(), reconsideration_received_on=on)
        c.reconsideration_applied_on = on
        c.reconsideration_decide_by = deadlines.value.get("reconsideration_decide_by")
        c.reconsideration_note = statement.strip()
        c.save()
        case_services.case_event_record(
            case=m.case,
            kind="measures.reconsideration_applied",
            actor=actor,
            payload={
                "correction": c.pk,
                "decide_by": c.reconsideration_decide_by,
                "citations": _citations(deadlines),
            },
        )
    return c


def correction_reconsideration_decide(
    *, actor: User, correction_id: int, reverse: bool, note: str
) -> Correction:
    """上一级法院复议（失信规定第12条）：a supervisor of the upper court decides within 15 days; reversing the
    rejection corrects the listing; the listing stays in force until then."""
    with transaction.atomic():
        c = (
            Correction.objects.select_for_update()
            .select_related("measure", "measure__case", "measure__case__court")
            .filter(pk=correction_id)
            .first()
        )
        if c is None or c.reconsideration_applied_on is None:
            raise NotFound("没有待复议的纠正申请")
        m = c.measure
        upper = m.case.court.parent_id
        if actor.role != Role.SUPERVISOR or upper is None or actor.court_id != upper:
            raise PermissionDenied("复议由上一级人民法院办理", code="upper_court_only")
        if c.reconsideration_result:
            raise Conflict("已作出复议决定", code="already_decided")
        if not note.strip():
            raise ServiceError("须写明复议意见", code="note_required", field="note")
        on = today()
        c.reconsideration_result = "reversed" if reverse else "upheld"
        c.reconsidered_by = actor
        c.reconsideration_note = f"{c.reconsideration_note}\n复议：{note.strip()}".strip()
        if reverse:
            c.status = Correction.Status.CORRECTED
            _correct(c, m, on=on)
        c.save()
        case_services.case_event_record(
            case=m.case,
            kind="measures.reconsideration_decided",
            actor=actor,
            payload={
                "correction": c.pk,
                "result": c.reconsideration_result,
                "note": note.strip(),
                "within_time": c.reconsideration_decide_by is None or on <= c.reconsideration_decide_by,
            },
        )
    return c


def expiry_sweep(*, on: dt.date | None = None) -> int:
    """失信期限届满：delete within 3 working days after the term (here: on the sweep after the last day);
    and the end of a grace period: the withheld entry is published again."""
    on = on or today()
    n = 0
    for m in Measure.objects.filter(status=Measure.Status.WITHHELD, withheld_until__lt=on).select_related(
        "case", "party"
    ):
        with transaction.atomic():
            m.status, m.withheld_until = Measure.Status.ACTIVE, None
            m.save(update_fields=["status", "withheld_until"])
            _republish(m, on=on)
            case_services.case_event_record(
                case=m.case, kind="measures.published", actor=None, payload={"measure": m.pk, "on": on}
            )
            n += 1
    for m in Measure.objects.filter(
        kind=K.DISHONEST_LISTING, status=Measure.Status.ACTIVE, ends_on__lt=on
    ).select_related("case"):
        with transaction.atomic():
            m.status = Measure.Status.EXPIRED
            m.ended_on = on
            m.end_ground = "term_expired"
            m.save(update_fields=["status", "ended_on", "end_ground"])
            lists.entries_remove(measure=m)
            case_services.case_event_record(
                case=m.case, kind="measures.expired", actor=None, payload={"measure": m.pk, "on": on}
            )
            n += 1
    return n
