"""查控的写操作：inquiries, freezes/seals/seizures, renewals, releases, deductions, and what the
agencies' answers do to them.

Every act writes its rows and its agency requests in one transaction (the outbox) and kicks the
dispatcher; the answers come back through :func:`_on_reply`, registered with the agency network.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from zhixing.agencies import services as agency_services
from zhixing.agencies.models import Agency, AgencyNotice, AgencyRequest
from zhixing.agencies.protocol import Act, Reply, ReplyStatus
from zhixing.asset_control.models import Asset, ControlMeasure, Deduction, Inquiry, InquiryBatch
from zhixing.cases import services as case_services
from zhixing.cases.models import CaseParty, EnforcementCase, Node
from zhixing.cases.services import today
from zhixing.core.errors import Conflict, NotFound, ServiceError
from zhixing.core.models import User
from zhixing.core.money import MoneyError, yuan
from zhixing.core.roles import Role
from zhixing.rules import asset_control as rules
from zhixing.rules.funds import enforcement_fee
from zhixing.rules.params import param
from zhixing.rules.results import RuleResult
from zhixing.rules.results import citations_json as _citations

ORIGIN = "asset_control"
M = ControlMeasure.Status
TEAM = frozenset({Role.JUDGE, Role.ASSISTANT, Role.CLERK, Role.OFFICER})
JUDGE = frozenset({Role.JUDGE})
ACTIVE = ("in_enforcement",)
LIVE = (M.EFFECTIVE, M.WAITING)
# Case endings that release every control. 终本 keeps them (the property stays controlled) and so
# does 销案 on delegation (the measures go with the case to the entrusted court).
RELEASING_MODES = frozenset({"fully_performed", "termination", "refused", "dismissed"})


def _money(value: Any, field: str) -> Decimal:
    try:
        amount = yuan(value)
    except (MoneyError, InvalidOperation, TypeError, ValueError):
        raise ServiceError("金额格式不正确", code="bad_amount", field=field) from None
    if amount <= 0:
        raise ServiceError("金额须大于零", code="bad_amount", field=field)
    return amount


def _debtors(case: EnforcementCase) -> list[CaseParty]:
    return list(case.parties.filter(role=CaseParty.Role.DEBTOR).select_related("party"))


# --- inquiries -----------------------------------------------------------------------------------------
def _inquiry_create(
    case: EnforcementCase,
    *,
    actor: User | None,
    purpose: str,
    reason: str,
    batch: InquiryBatch | None = None,
    agencies: Iterable[Agency] | None = None,
) -> Inquiry:
    on = today()
    basis = rules.inquiry_basis(on=on)
    targets = [a for a in (agencies or Agency.objects.filter(active=True)) if a.supports(Act.INQUIRY)]
    debtors = _debtors(case)
    if not targets:
        raise ServiceError("没有可查询的协助执行单位", code="no_agencies")
    if not debtors:
        raise ServiceError("案件没有被执行人", code="no_debtors")
    purpose = purpose.strip() or f"执行{case.case_number}案件，查询被执行人财产"
    inquiry = Inquiry.objects.create(
        case=case,
        batch=batch,
        reason=reason,
        requested_by=actor,
        requested_on=on,
        purpose=purpose[:255],
        legal_basis=_citations(basis),
        requests_total=len(targets) * len(debtors),
    )
    for cp in debtors:
        for agency in targets:
            agency_services.request_create(
                agency=agency,
                act=Act.INQUIRY,
                court=case.court,
                case=case,
                subject=cp.party,
                officer=actor or case.judge,
                legal_basis=inquiry.legal_basis,
                purpose=inquiry.purpose,
                origin=ORIGIN,
                origin_ref=f"inquiry:{inquiry.pk}",
            )
    case_services.case_event_record(
        case=case,
        kind="network_inquiry.requested",
        actor=actor,
        payload={
            "inquiry": inquiry.pk,
            "reason": reason,
            "purpose": inquiry.purpose,
            "agencies": [a.code for a in targets],
            "debtors": len(debtors),
            "citations": inquiry.legal_basis,
        },
    )
    return inquiry


def inquiry_start(*, actor: User, case_id: int, purpose: str = "") -> Inquiry:
    """网络查控：search every debtor of the case across all connected agencies (one act)."""
    with transaction.atomic():
        case = case_services.case_for_team_act(
            actor=actor, case_id=case_id, roles=TEAM, stages=ACTIVE, what="网络查控"
        )
        inquiry = _inquiry_create(case, actor=actor, purpose=purpose, reason=Inquiry.Reason.MANUAL)
        agency_services.dispatch_kick()
    return inquiry


def inquiry_batch_start(*, actor: User, case_ids: Iterable[int], purpose: str = "") -> InquiryBatch:
    """批量网络查控：one inquiry per case the actor may act on; the others are listed as skipped."""
    ids = sorted(set(case_ids))
    if not ids:
        raise ServiceError("请选择案件", code="no_cases", field="case_ids")
    if len(ids) > 1000:
        raise ServiceError("一次最多批量查控 1000 件案件", code="too_many", field="case_ids")
    if actor.court is None:
        raise ServiceError("须由法院工作人员发起", code="no_court")
    with transaction.atomic():
        batch = InquiryBatch.objects.create(
            court=actor.court, created_by=actor, purpose=purpose.strip()[:255]
        )
        skipped: list[dict[str, Any]] = []
        for case_id in ids:
            try:
                with transaction.atomic():
                    case = case_services.case_for_team_act(
                        actor=actor, case_id=case_id, roles=TEAM, stages=ACTIVE, what="网络查控"
                    )
                    _inquiry_create(
                        case, actor=actor, purpose=purpose, reason=Inquiry.Reason.BATCH, batch=batch
                    )
            except (ServiceError, NotFound) as e:
                skipped.append({"case_id": case_id, "reason": str(e) or "无权办理"})
        batch.skipped = skipped
        batch.save(update_fields=["skipped"])
        agency_services.dispatch_kick()
    return batch


def _inquiry_progress(inquiry: Inquiry) -> None:
    """When every request of the inquiry is answered or failed: done (completes the inquiry node).

    The caller holds the inquiry's row lock, so answers of the same inquiry are counted one at a time."""
    ref = f"inquiry:{inquiry.pk}"
    open_left = AgencyRequest.objects.filter(
        origin=ORIGIN, origin_ref=ref, status__in=agency_services.OPEN
    ).exists()
    if open_left or inquiry.completed_at is not None:
        return
    inquiry.completed_at = timezone.now()
    inquiry.assets_found = Asset.objects.filter(inquiry=inquiry).count()
    inquiry.save(update_fields=["completed_at", "assets_found"])
    requests = AgencyRequest.objects.filter(origin=ORIGIN, origin_ref=ref)
    answered = requests.filter(status=AgencyRequest.Status.ANSWERED)
    failed = requests.filter(status=AgencyRequest.Status.FAILED)
    found = dict(
        Asset.objects.filter(inquiry=inquiry).values_list("agency__code").annotate(n=Count("id")).order_by()
    )
    case_services.case_event_record(
        case=inquiry.case,
        kind="network_inquiry.done",
        actor=None,
        payload={
            "on": today(),
            "inquiry": inquiry.pk,
            "result": f"查询 {inquiry.requests_total} 项，答复 {answered.count()} 项，"
            f"失败 {failed.count()} 项，发现财产 {inquiry.assets_found} 项",
            "assets_found": inquiry.assets_found,
            "by_agency": {
                code: {"answer": status or "failed", "assets": found.get(code, 0)}
                for code, status in requests.values_list("agency__code", "reply_status")
            },
            "citations": inquiry.legal_basis,
        },
    )


def _value(raw: Any) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        return yuan(raw)
    except (MoneyError, InvalidOperation, TypeError, ValueError):
        return None


def _assets_record(request: AgencyRequest, reply: Reply, inquiry: Inquiry) -> int:
    """The assets an agency reported: new ones inserted in one statement, known ones refreshed."""
    assets = reply.result.get("assets") or []
    if not isinstance(assets, list):
        raise ServiceError("查询结果格式错误", code="malformed_result")
    on = today()
    items = {
        str(item["ref"])[:128]: item
        for item in assets
        if isinstance(item, dict) and item.get("ref") and item.get("kind")
    }
    known = {
        a.agency_ref: a
        for a in Asset.objects.filter(case=request.case, agency=request.agency, agency_ref__in=list(items))
    }
    new = []
    for ref, item in items.items():
        fields = {
            "party": request.subject,
            "kind": str(item["kind"])[:24],
            "description": str(item.get("description", ""))[:255] or str(item["kind"]),
            "value": _value(item.get("value")),
            "details": item.get("details") or {},
            "encumbrances": item.get("encumbrances") or [],
            "last_seen_on": on,
        }
        asset = known.get(ref)
        if asset is None:
            new.append(
                Asset(
                    case=request.case,
                    agency=request.agency,
                    agency_ref=ref,
                    found_on=on,
                    inquiry=inquiry,
                    **fields,
                )
            )
            continue
        for k, v in fields.items():
            setattr(asset, k, v)
        asset.save()
    Asset.objects.bulk_create(new)
    return len(items)


# --- control -----------------------------------------------------------------------------------------
def _outstanding(case: EnforcementCase, on: dt.date) -> Decimal:
    from zhixing.funds.selectors import case_position

    outstanding = case_position(case).outstanding
    fee = enforcement_fee(yuan(case.claim_amount), on=on).value if case.claim_amount > 0 else Decimal(0)
    return yuan(outstanding + fee)


def _controlled_value(m: ControlMeasure) -> Decimal:
    if m.kind == ControlMeasure.Kind.FREEZE:
        amount = m.amount_controlled if m.amount_controlled is not None else m.amount_requested
        return yuan(amount or 0) - yuan(m.amount_deducted or 0)
    return yuan(m.asset.value or 0)


def control_request(
    *,
    actor: User,
    case_id: int,
    asset_id: int,
    kind: str | None = None,
    amount: Any = None,
    confirm_overreach: bool = False,
    overreach_reason: str = "",
) -> ControlMeasure:
    """查封、扣押、冻结（法官决定）：the term by law, the 超标的 check, the request to the agency."""
    with transaction.atomic():
        case = case_services.case_for_team_act(
            actor=actor, case_id=case_id, roles=JUDGE, stages=ACTIVE, what="查封、扣押、冻结"
        )
        asset = Asset.objects.select_related("agency", "party").filter(pk=asset_id, case=case).first()
        if asset is None:
            raise NotFound("本案没有这项财产")
        allowed = rules.control_kinds(asset.kind)
        if not allowed:
            raise ServiceError(f"「{asset.description}」是信息，不是可以控制的财产", code="not_controllable")
        kind = kind or allowed[0]
        if kind not in allowed:
            label = dict(ControlMeasure.Kind.choices).get(kind, kind)
            raise ServiceError(f"这类财产不能{label}", code="bad_kind", field="kind")
        if not asset.agency.supports(kind):
            raise ServiceError(f"{asset.agency.name}不办理该措施", code="act_not_supported")
        if ControlMeasure.objects.filter(asset=asset, status__in=[M.REQUESTED, *LIVE, M.RELEASING]).exists():
            raise Conflict("本案已对该财产采取措施", code="already_controlled")
        on = today()
        requested: Decimal | None = None
        if kind == ControlMeasure.Kind.FREEZE:
            requested = _money(amount, "amount") if amount not in (None, "") else None
            if requested is None:
                requested = _outstanding(case, on)
                if asset.value is not None:
                    requested = min(requested, yuan(asset.value))
            if requested <= 0:
                raise ServiceError("冻结金额须大于零", code="bad_amount", field="amount")
        new_value = requested if kind == ControlMeasure.Kind.FREEZE else yuan(asset.value or 0)
        others = ControlMeasure.objects.filter(case=case, status__in=[M.REQUESTED, *LIVE]).select_related(
            "asset"
        )
        check = rules.overreach_check(
            outstanding=_outstanding(case, on),
            controlled_values=[_controlled_value(m) for m in others],
            new_value=new_value,
            on=on,
        )
        overreach: dict[str, Any] = {}
        if check.value.exceeds:
            if not confirm_overreach or not overreach_reason.strip():
                raise Conflict(
                    f"{check.value.message}，可能超标的查控；确需控制的（如财产不可分），请勾选确认并说明理由",
                    code="overreach",
                )
            overreach = {
                "message": check.value.message,
                "reason": overreach_reason.strip(),
                "citations": _citations(check),
            }
        term = rules.control_term(asset.kind, start=on)
        measure = ControlMeasure.objects.create(
            case=case,
            court=case.court,
            asset=asset,
            kind=kind,
            amount_requested=requested,
            starts_on=on,
            expires_on=term.value,
            citations=_citations(term, rules.rank_effect(1), check),
            overreach=overreach,
            requested_by=actor,
        )
        payload: dict[str, Any] = {
            "asset": {"ref": asset.agency_ref, "kind": asset.kind},
            "term": {"from": on.isoformat(), "to": term.value.isoformat()},
        }
        if requested is not None:
            payload["amount"] = str(requested)
        agency_services.request_create(
            agency=asset.agency,
            act=kind,
            court=case.court,
            case=case,
            subject=asset.party,
            officer=actor,
            legal_basis=measure.citations,
            purpose=f"执行{case.case_number}案件，{ControlMeasure.Kind(kind).label}{asset.description}"[:255],
            payload=payload,
            origin=ORIGIN,
            origin_ref=f"measure:{measure.pk}",
        )
        case_services.case_event_record(
            case=case,
            kind="asset_control.requested",
            actor=actor,
            payload={
                "measure": measure.pk,
                "kind": kind,
                "asset": asset.description,
                "amount": requested,
                "expires_on": term.value,
                "overreach": overreach,
                "citations": measure.citations,
            },
        )
        agency_services.dispatch_kick()
    return measure


def _measure_for(actor: User, measure_id: int, *, roles: frozenset[str] = JUDGE, what: str) -> ControlMeasure:
    m = (
        ControlMeasure.objects.select_related("asset", "asset__agency", "asset__party")
        .filter(pk=measure_id)
        .first()
    )
    if m is None:
        raise NotFound("没有这项查控措施")
    case_services.case_for_team_act(actor=actor, case_id=m.case_id, roles=roles, what=what)
    return (
        ControlMeasure.objects.select_for_update()
        .select_related("asset", "asset__agency", "asset__party", "case", "court")
        .get(pk=measure_id)
    )


def control_renew(*, actor: User, measure_id: int) -> ControlMeasure:
    """续行：before expiry, for at most the same statutory term."""
    with transaction.atomic():
        m = _measure_for(actor, measure_id, what="续行")
        if m.status not in LIVE:
            raise Conflict(f"措施处于「{m.get_status_display()}」状态，不能续行", code="not_live")
        on = today()
        if on > m.expires_on:
            raise Conflict("期限已届满，措施已失效，不能续行（须重新采取措施）", code="expired")
        if AgencyRequest.objects.filter(
            origin=ORIGIN, origin_ref=f"renewal:{m.pk}", status__in=agency_services.OPEN
        ).exists():
            raise Conflict("续行申请已发出，正在等待协助单位办理", code="renewal_pending")
        term = rules.renewal_term(m.asset.kind, current_expiry=m.expires_on)
        agency_services.request_create(
            agency=m.asset.agency,
            act=Act.RENEWAL,
            court=m.court,
            case=m.case,
            subject=m.asset.party,
            officer=actor,
            legal_basis=_citations(term),
            purpose=f"执行{m.case.case_number}案件，续行{m.get_kind_display()}{m.asset.description}"[:255],
            payload={
                "measure_ref": m.agency_ref,
                "asset": {"ref": m.asset.agency_ref, "kind": m.asset.kind},
                "term": {
                    "from": (m.expires_on + dt.timedelta(days=1)).isoformat(),
                    "to": term.value.isoformat(),
                },
            },
            origin=ORIGIN,
            origin_ref=f"renewal:{m.pk}",
        )
        case_services.case_event_record(
            case=m.case,
            kind="asset_control.renewal_requested",
            actor=actor,
            payload={
                "measure": m.pk,
                "asset": m.asset.description,
                "to": term.value,
                "citations": _citations(term),
            },
        )
        agency_services.dispatch_kick()
    return m


def _release_request(m: ControlMeasure, *, actor: User | None, ground: str) -> None:
    basis = rules.release_basis(ground)
    m.status = M.RELEASING
    m.release_ground = ground
    m.save(update_fields=["status", "release_ground"])
    agency_services.request_create(
        agency=m.asset.agency,
        act=Act.RELEASE,
        court=m.court,
        case=m.case,
        subject=m.asset.party,
        officer=actor or m.case.judge,
        legal_basis=_citations(basis),
        purpose=f"执行{m.case.case_number}案件，解除{m.get_kind_display()}（{basis.value}）"[:255],
        payload={"measure_ref": m.agency_ref, "asset": {"ref": m.asset.agency_ref, "kind": m.asset.kind}},
        origin=ORIGIN,
        origin_ref=f"release:{m.pk}",
    )
    case_services.case_event_record(
        case=m.case,
        kind="asset_control.release_requested",
        actor=actor,
        payload={
            "measure": m.pk,
            "asset": m.asset.description,
            "ground": ground,
            "citations": _citations(basis),
        },
    )


def control_release(*, actor: User, measure_id: int, ground: str) -> ControlMeasure:
    """解除查封、扣押、冻结（法官决定，事由见查封规定第28条）。"""
    with transaction.atomic():
        m = _measure_for(actor, measure_id, what="解除措施")
        if m.status not in LIVE:
            raise Conflict(f"措施处于「{m.get_status_display()}」状态，不能解除", code="not_live")
        try:
            _release_request(m, actor=actor, ground=ground)
        except ValueError as e:
            raise ServiceError(str(e), code="bad_ground", field="ground") from e
        agency_services.dispatch_kick()
    return m


@case_services.on_case_closed
def _release_on_close(case: EnforcementCase, actor: User | None) -> None:
    """结案即解除：执行完毕、终结、销案、不予执行 release every live measure (终本 keeps them)."""
    if case.closing_mode not in RELEASING_MODES:
        return
    measures = list(
        ControlMeasure.objects.select_for_update()
        .select_related("asset", "asset__agency", "asset__party", "case", "court")
        .filter(case=case, status__in=LIVE)
    )
    for m in measures:
        _release_request(m, actor=actor, ground="case_closed")
    if measures:
        agency_services.dispatch_kick()


def deduction_request(*, actor: User, measure_id: int, amount: Any) -> Deduction:
    """扣划：frozen money to the case account; posted to the ledger when the agency confirms."""
    from zhixing.funds.selectors import case_account_of

    with transaction.atomic():
        m = _measure_for(actor, measure_id, what="扣划")
        case = m.case
        if case.stage not in ACTIVE:
            raise ServiceError("案件不在执行中", code="illegal_stage")
        if m.kind != ControlMeasure.Kind.FREEZE or m.asset.kind not in rules.DEDUCTIBLE:
            raise ServiceError("只能从已冻结的存款、公积金或证券资金中扣划", code="not_deductible")
        if m.status != M.EFFECTIVE:
            raise Conflict("冻结措施生效后才能扣划（轮候冻结不能扣划）", code="not_effective")
        value = _money(amount, "amount")
        available = yuan(m.amount_controlled or 0) - yuan(m.amount_deducted or 0)
        pending = sum((d.amount for d in m.deductions.filter(status=Deduction.Status.REQUESTED)), Decimal(0))
        if value > available - pending:
            raise ServiceError(
                f"扣划金额超过冻结余额（可扣划 {available - pending:,.2f} 元）",
                code="exceeds_frozen",
                field="amount",
            )
        account = case_account_of(case)
        if account is None:
            raise ServiceError("案件尚未开立案款账号", code="no_case_account")
        basis = rules.deduction_basis()
        deduction = Deduction.objects.create(measure=m, case=case, amount=value, requested_by=actor)
        agency_services.request_create(
            agency=m.asset.agency,
            act=Act.DEDUCTION,
            court=m.court,
            case=case,
            subject=m.asset.party,
            officer=actor,
            legal_basis=_citations(basis),
            purpose=f"执行{case.case_number}案件，扣划被执行人存款"[:255],
            payload={
                "measure_ref": m.agency_ref,
                "asset": {"ref": m.asset.agency_ref, "kind": m.asset.kind},
                "amount": str(value),
                "payee": {"account_number": account.number, "account_name": m.court.name, "bank": ""},
            },
            origin=ORIGIN,
            origin_ref=f"deduction:{deduction.pk}",
        )
        case_services.case_event_record(
            case=case,
            kind="asset_control.deduction_requested",
            actor=actor,
            payload={
                "measure": m.pk,
                "deduction": deduction.pk,
                "amount": value,
                "citations": _citations(basis),
            },
        )
        agency_services.dispatch_kick()
    return deduction


def assistance_notice_send(*, actor: User, case_id: int, agency_code: str, text: str) -> AgencyRequest:
    """协助执行通知：ask an agency (e.g. the grid) for help — finding the debtor, reporting property."""
    with transaction.atomic():
        case = case_services.case_for_team_act(
            actor=actor, case_id=case_id, roles=TEAM, stages=ACTIVE, what="发出协助执行通知"
        )
        agency = Agency.objects.filter(code=agency_code, active=True).first()
        if agency is None:
            raise ServiceError("没有这个协助执行单位", code="unknown_agency", field="agency")
        if not text.strip():
            raise ServiceError("请写明需要协助的事项", code="text_required", field="text")
        debtors = _debtors(case)
        basis = [c.as_dict() for c in rules.inquiry_basis(on=today()).citations]
        row = agency_services.request_create(
            agency=agency,
            act=Act.ASSISTANCE_NOTICE,
            court=case.court,
            case=case,
            subject=debtors[0].party if debtors else None,
            officer=actor,
            legal_basis=basis,
            purpose=f"执行{case.case_number}案件，请求协助：{text.strip()}"[:255],
            payload={"text": text.strip()},
            origin=ORIGIN,
            origin_ref=f"assistance:{case.pk}",
        )
        case_services.case_event_record(
            case=case,
            kind="asset_control.assistance_requested",
            actor=actor,
            payload={"agency": agency.code, "text": text.strip(), "request": str(row.request_id)},
        )
        agency_services.dispatch_kick()
    return row


def _on_assistance_reply(request: AgencyRequest, reply: Reply) -> None:
    """The agency's answer; a property lead in it (a grid worker's report) opens a lead to verify in time."""
    assert request.case is not None
    note = str(reply.result.get("note", ""))[:500]
    lead = str(reply.result.get("lead", "")).strip()[:500]
    case_services.case_event_record(
        case=request.case,
        kind="asset_control.assistance_answered",
        actor=None,
        payload={
            "agency": request.agency.code,
            "answer": reply.status,
            "note": note or reply.reason,
            "lead": lead,
        },
    )
    if lead and request.case.stage in ("in_enforcement", "suspended", "settlement"):
        source = "grid" if request.agency.kind == Agency.Kind.GRID else "team"
        case_services.asset_lead_record(case_id=request.case.pk, description=lead, source=source)


# --- answers -----------------------------------------------------------------------------------------
def _date(raw: Any, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        return default


def _on_measure_reply(m: ControlMeasure, request: AgencyRequest, reply: Reply) -> None:
    if m.status != M.REQUESTED:
        return
    case = m.case
    if reply.status == ReplyStatus.REJECTED:
        m.status = M.REJECTED
        m.reason = f"{reply.reason_code}: {reply.reason}"
        m.save(update_fields=["status", "reason"])
        case_services.case_event_record(
            case=case,
            kind="asset_control.rejected",
            actor=None,
            payload={
                "measure": m.pk,
                "agency": request.agency.code,
                "reason": reply.reason,
                "code": reply.reason_code,
            },
        )
        return
    r = reply.result
    rank = int(r.get("rank") or 1)
    effect = rules.rank_effect(rank)
    m.status = M.EFFECTIVE if effect.value == "effective" else M.WAITING
    m.rank = rank
    m.agency_ref = str(r.get("measure_ref") or reply.agency_ref)[:128]
    m.first_sealing_court = str(r.get("first_sealing_court") or (case.court.court_code if rank == 1 else ""))[
        :16
    ]
    m.starts_on = _date(r.get("effective_from"), m.starts_on)
    m.expires_on = _date(r.get("expires_on"), m.expires_on)
    if m.kind == ControlMeasure.Kind.FREEZE:
        m.amount_controlled = _value(r.get("amount_controlled")) or Decimal(0)
    disposal: dict[str, Any] = {}
    if m.status == M.WAITING:
        # who disposes of the property, and whether (and from when) this court may ask for the file
        first: dict[str, Any] = next((e for e in m.asset.encumbrances if e.get("rank") == 1), {})
        right = rules.disposal_right(
            first_sealing_court=m.first_sealing_court,
            first_sealed_on=_date(first.get("effective_from"), today())
            if first.get("effective_from")
            else None,
            our_claim_has_priority=False,  # secured claims are not recorded on cases yet (disposal issue)
            first_is_preservation=first.get("measure") == "preservation",
            disposal_started=False,
            on=today(),
        )
        disposal = {
            "disposing_court": right.value.disposing_court,
            "transfer_from": right.value.transfer_from,
            "ground": right.value.ground,
            "citations": _citations(right),
        }
        effect = RuleResult(effect.value, (*effect.citations, *right.citations))
    m.citations = m.citations + [c for c in _citations(effect) if c not in m.citations]
    m.save()
    case_services.case_event_record(
        case=case,
        kind="asset_control.effective" if m.status == M.EFFECTIVE else "asset_control.waiting",
        actor=None,
        payload={
            "measure": m.pk,
            "kind": m.kind,
            "asset": m.asset.description,
            "rank": rank,
            "first_sealing_court": m.first_sealing_court,
            "amount_controlled": m.amount_controlled,
            "expires_on": m.expires_on,
            "disposal": disposal,
            "citations": _citations(effect),
        },
    )
    if case.stage == "closed" and case.closing_mode in RELEASING_MODES:
        _release_request(m, actor=None, ground="case_closed")  # answered after the case ended
        agency_services.dispatch_kick()


def _on_renewal_reply(m: ControlMeasure, reply: Reply) -> None:
    if reply.status == ReplyStatus.REJECTED:
        case_services.case_event_record(
            case=m.case,
            kind="asset_control.rejected",
            actor=None,
            payload={"measure": m.pk, "act": "renewal", "reason": reply.reason, "code": reply.reason_code},
        )
        return
    new_expiry = _date(reply.result.get("expires_on"), m.expires_on)
    if new_expiry <= m.expires_on:
        return
    m.expires_on = new_expiry
    m.renewals += 1
    m.reminders_sent = []
    m.save(update_fields=["expires_on", "renewals", "reminders_sent"])
    case_services.case_node_finish(case=m.case, code="control_renewal", ref=f"measure-{m.pk}")
    case_services.case_event_record(
        case=m.case,
        kind="asset_control.renewed",
        actor=None,
        payload={
            "measure": m.pk,
            "asset": m.asset.description,
            "expires_on": new_expiry,
            "renewals": m.renewals,
        },
    )


def _on_release_reply(m: ControlMeasure, reply: Reply) -> None:
    if reply.status == ReplyStatus.REJECTED and reply.reason_code != "already_released":
        m.status = M.EFFECTIVE if (m.rank or 1) == 1 else M.WAITING
        m.save(update_fields=["status"])
        case_services.case_event_record(
            case=m.case,
            kind="asset_control.rejected",
            actor=None,
            payload={"measure": m.pk, "act": "release", "reason": reply.reason, "code": reply.reason_code},
        )
        return
    m.status = M.RELEASED
    m.released_on = _date(reply.result.get("released_on"), today())
    m.save(update_fields=["status", "released_on"])
    case_services.case_node_finish(case=m.case, code="control_renewal", ref=f"measure-{m.pk}", done=False)
    case_services.case_event_record(
        case=m.case,
        kind="asset_control.released",
        actor=None,
        payload={
            "measure": m.pk,
            "asset": m.asset.description,
            "ground": m.release_ground,
            "on": m.released_on,
        },
    )


def _on_deduction_reply(d: Deduction, request: AgencyRequest, reply: Reply) -> None:
    from zhixing.funds.selectors import case_account_of
    from zhixing.funds.services import receipt_record

    if d.status != Deduction.Status.REQUESTED:
        return
    if reply.status == ReplyStatus.REJECTED:
        d.status = Deduction.Status.REJECTED
        d.reason = f"{reply.reason_code}: {reply.reason}"
        d.save(update_fields=["status", "reason"])
        case_services.case_event_record(
            case=d.case,
            kind="asset_control.deduction_rejected",
            actor=None,
            payload={"deduction": d.pk, "reason": reply.reason, "code": reply.reason_code},
        )
        return
    amount = _value(reply.result.get("amount_deducted")) or d.amount
    account = case_account_of(d.case)
    assert account is not None
    posting = receipt_record(
        court=d.case.court,
        account_number=account.number,
        amount=amount,
        idempotency_key=f"agency:{request.request_id}",
        payer_name=request.agency.name,
        reference=str(reply.result.get("transfer_reference", ""))[:64],
    )
    d.status = Deduction.Status.DONE
    d.amount_deducted = amount
    d.transfer_reference = str(reply.result.get("transfer_reference", ""))[:64]
    d.posting_id = posting.pk
    d.save(update_fields=["status", "amount_deducted", "transfer_reference", "posting_id"])
    m = ControlMeasure.objects.select_for_update().get(pk=d.measure_id)
    m.amount_deducted = yuan(m.amount_deducted or 0) + amount
    m.save(update_fields=["amount_deducted"])
    case_services.case_event_record(
        case=d.case,
        kind="asset_control.deducted",
        actor=None,
        payload={
            "deduction": d.pk,
            "measure": m.pk,
            "amount": amount,
            "posting": posting.pk,
            "transfer_reference": d.transfer_reference,
        },
    )


def _target(request: AgencyRequest) -> tuple[str, int]:
    kind, _, pk = request.origin_ref.partition(":")
    return kind, int(pk)


def _on_reply(request: AgencyRequest, reply: Reply) -> None:
    kind, pk = _target(request)
    if kind == "assistance":
        _on_assistance_reply(request, reply)
        return
    if kind == "inquiry":
        # lock the inquiry first: the answers of its last two agencies, recorded at the same time, must
        # not both see the other still open (READ COMMITTED) and leave the inquiry unfinished
        inquiry = Inquiry.objects.select_for_update(of=("self",)).select_related("case").get(pk=pk)
        if reply.status == ReplyStatus.COMPLETED:
            _assets_record(request, reply, inquiry)
        _inquiry_progress(inquiry)
        return
    if kind == "deduction":
        d = Deduction.objects.select_for_update().select_related("case", "case__court").get(pk=pk)
        _on_deduction_reply(d, request, reply)
        return
    m = (
        ControlMeasure.objects.select_for_update()
        .select_related("asset", "case", "case__court", "court")
        .get(pk=pk)
    )
    if kind == "measure":
        _on_measure_reply(m, request, reply)
    elif kind == "renewal":
        _on_renewal_reply(m, reply)
    elif kind == "release":
        _on_release_reply(m, reply)


def _on_failure(request: AgencyRequest) -> None:
    kind, pk = _target(request)
    if kind == "inquiry":
        _inquiry_progress(Inquiry.objects.select_for_update(of=("self",)).select_related("case").get(pk=pk))
    elif kind == "measure":
        ControlMeasure.objects.filter(pk=pk, status=M.REQUESTED).update(
            status=M.FAILED, reason=request.last_error[:500]
        )
    elif kind == "release":
        m = ControlMeasure.objects.filter(pk=pk, status=M.RELEASING).first()
        if m is not None:
            m.status = M.EFFECTIVE if (m.rank or 1) == 1 else M.WAITING
            m.save(update_fields=["status"])
    elif kind == "deduction":
        Deduction.objects.filter(pk=pk, status=Deduction.Status.REQUESTED).update(
            status=Deduction.Status.FAILED, reason=request.last_error[:500]
        )


agency_services.register_origin(ORIGIN, agency_services.Origin(on_reply=_on_reply, on_failure=_on_failure))


def _on_promoted(agency: Agency, notice: AgencyNotice) -> None:
    """轮候转生效：the agency tells us a waiting measure took effect (SEAL Art. 26)."""
    ref = str(notice.body.get("measure_ref", ""))
    m = (
        ControlMeasure.objects.select_for_update()
        .select_related("asset", "case", "court")
        .filter(agency_ref=ref, asset__agency=agency, status=M.WAITING)
        .first()
    )
    if m is None:
        return
    m.rank = int(notice.body.get("rank") or 1)
    if m.rank == 1:
        m.status = M.EFFECTIVE
        m.first_sealing_court = m.court.court_code
    m.save(update_fields=["rank", "status", "first_sealing_court"])
    case_services.case_event_record(
        case=m.case,
        kind="asset_control.promoted",
        actor=None,
        payload={
            "measure": m.pk,
            "asset": m.asset.description,
            "rank": m.rank,
            "citations": _citations(rules.rank_effect(max(1, m.rank))),
        },
    )


agency_services.register_notice_handler("measure_promoted", _on_promoted)


# --- sweeps --------------------------------------------------------------------------------------------
def renewal_sweep(*, on: dt.date | None = None) -> dict[str, int]:
    """续行提醒与期满失效：reminders 30/15/7 days before expiry (a node on the first), expiry after."""
    on = on or today()
    reminded = expired = 0
    horizon = on + dt.timedelta(days=max(int(d) for d in param("asset_control_renewal_reminder_days", on=on)))
    for pk in ControlMeasure.objects.filter(status__in=LIVE, expires_on__lte=horizon).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            m = ControlMeasure.objects.select_for_update().select_related("asset", "case").get(pk=pk)
            if m.status not in LIVE:
                continue
            gone = rules.is_expired(m.expires_on, on=on)
            if gone.value:
                m.status = M.EXPIRED
                m.save(update_fields=["status"])
                case_services.case_node_finish(
                    case=m.case, code="control_renewal", ref=f"measure-{m.pk}", done=False
                )
                case_services.case_event_record(
                    case=m.case,
                    kind="asset_control.expired",
                    actor=None,
                    payload={
                        "measure": m.pk,
                        "asset": m.asset.description,
                        "expires_on": m.expires_on,
                        "citations": _citations(gone),
                    },
                )
                expired += 1
                continue
            due = rules.renewal_reminders(m.expires_on, on=on)
            new = [d for d in due.value if d not in m.reminders_sent]
            if not new:
                continue
            m.reminders_sent = sorted({*m.reminders_sent, *due.value}, reverse=True)
            m.save(update_fields=["reminders_sent"])
            case_services.case_node_open(
                case=m.case,
                code="control_renewal",
                ref=f"measure-{m.pk}",
                title=f"续行：{m.get_kind_display()}{m.asset.description}",
                anchor_date=on,
                due_on=m.expires_on,
                citations=_citations(due),
            )
            case_services.case_event_record(
                case=m.case,
                kind="asset_control.expiry_reminder",
                actor=None,
                payload={
                    "measure": m.pk,
                    "asset": m.asset.description,
                    "expires_on": m.expires_on,
                    "days_left": (m.expires_on - on).days,
                    "citations": _citations(due),
                },
            )
            reminded += 1
    return {"reminded": reminded, "expired": expired}


def reinquiry_sweep(*, on: dt.date | None = None) -> int:
    """终本案件定期网络查询：each due re-inquiry node starts an inquiry through the network."""
    on = on or today()
    started = 0
    nodes = Node.objects.filter(
        code="reinquiry", status=Node.Status.OPEN, due_on__lte=on, case__closing_mode="no_assets_closure"
    ).values_list("pk", "case_id")
    for node_pk, case_id in nodes[:500]:
        with transaction.atomic():
            case = (
                EnforcementCase.objects.select_for_update(of=("self",))
                .select_related("court")
                .get(pk=case_id)
            )
            node = Node.objects.select_for_update().get(pk=node_pk)
            if node.status != Node.Status.OPEN:
                continue
            try:
                _inquiry_create(
                    case,
                    actor=None,
                    purpose=f"{case.case_number}终本后第{node.ref}次定期查询",
                    reason=Inquiry.Reason.REINQUIRY,
                )
            except ServiceError:
                continue
            case_services.case_node_finish(case=case, code="reinquiry", ref=node.ref)
            agency_services.dispatch_kick()
            started += 1
    return started


# --- personal data ------------------------------------------------------------------------------------
def asset_view(*, actor: User, asset_id: int, purpose: str = "办理本案") -> Asset:
    """查看财产详情：only the case's team; every view is journaled on the case."""
    asset = Asset.objects.select_related("case", "agency", "party").filter(pk=asset_id).first()
    if asset is None:
        raise NotFound("没有这项财产")
    case_services.case_for_team_act(actor=actor, case_id=asset.case_id, roles=TEAM, what="查看财产详情")
    case_services.case_event_record(
        case=asset.case,
        kind="asset_control.asset_viewed",
        actor=actor,
        payload={
            "asset": asset.pk,
            "agency": asset.agency.code,
            "purpose": purpose.strip()[:100] or "办理本案",
        },
    )
    return asset


__all__ = [
    "asset_view",
    "control_release",
    "control_renew",
    "control_request",
    "deduction_request",
    "inquiry_batch_start",
    "inquiry_start",
    "reinquiry_sweep",
    "renewal_sweep",
]
