"""指挥中心的写操作：supervision alerts (raised by rules, assigned, acknowledged, resolved), instructions
(交办, 督办) with feedback, reminders and escalation, the courts' reported figures, 终本 spot checks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhixing.cases.services import today
from zhixing.command.models import Alert, Instruction, InstructionEntry, MonthlyFigure
from zhixing.core.errors import NotFound, PermissionDenied, ServiceError
from zhixing.core.journal import journal_append
from zhixing.core.models import Court, Team, User
from zhixing.core.roles import COMMAND_ROLES, TEAM_ROLES, Role
from zhixing.core.scoping import scope_for
from zhixing.rules import supervision
from zhixing.rules.results import citations_json

ISSUING_ROLES = frozenset({Role.COMMAND_OPERATOR, Role.SUPERVISOR, Role.BUREAU_CHIEF, Role.PRESIDENT})


def _org_stream(court: Court) -> str:
    return f"command:{court.court_code}"


def _alert_stream(alert: Alert) -> str:
    return f"case:{alert.case_id}" if alert.case_id else _org_stream(alert.court)


def _sees(actor: User, court_id: int) -> bool:
    return scope_for(actor).allows_court(court_id)


# --- supervision alerts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """What a rule found: one subject that should have a live alert."""

    rule: str
    subject: str
    court_id: int
    title: str
    case_id: int | None = None
    team_id: int | None = None
    assignee_id: int | None = None
    level: str = Alert.Level.WARNING
    detail: dict[str, Any] | None = None


def _findings(on: dt.date, now: dt.datetime) -> tuple[list[Finding], list[dict[str, Any]]]:
    """Every subject each rule finds today (one query per rule, through the owning apps' selectors)."""
    from zhixing.agencies.selectors import requests_overdue
    from zhixing.asset_control.selectors import controls_expiring
    from zhixing.cases.selectors import (
        idle_cases,
        near_limit_cases,
        no_assets_missed_reinquiry,
        overdue_nodes,
    )
    from zhixing.funds.payouts import funds_overdue

    rule = supervision.alert_thresholds(on=on)
    t = rule.value
    out: list[Finding] = []
    for n in overdue_nodes(on=on):
        out.append(
            Finding(
                "node_overdue",
                f"node:{n['id']}",
                n["case__court_id"],
                f"{n['case__case_number']}「{n['title']}」已超期（期限 {n['due_on']}）",
                n["case_id"],
                n["case__team_id"],
                n["case__judge_id"],
                Alert.Level.CRITICAL,
                {"due_on": n["due_on"].isoformat()},
            )
        )
    for c in idle_cases(before=now - dt.timedelta(days=int(t["idle_days"]))):
        out.append(
            Finding(
                "idle_case",
                f"case:{c['id']}",
                c["court_id"],
                f"{c['case_number']} 已 {int(t['idle_days'])} 日以上无办案活动",
                c["id"],
                c["team_id"],
                c["judge_id"],
                detail={"last_activity_at": c["last_activity_at"].isoformat()},
            )
        )
    for c in near_limit_cases(on=on, until=on + dt.timedelta(days=int(t["limit_warning_days"]))):
        out.append(
            Finding(
                "near_limit",
                f"case:{c['id']}",
                c["court_id"],
                f"{c['case_number']} 法定执行期限将于 {c['enforcement_deadline']} 届满",
                c["id"],
                c["team_id"],
                c["judge_id"],
                Alert.Level.CRITICAL if c["enforcement_deadline"] < on else Alert.Level.WARNING,
                {"deadline": c["enforcement_deadline"].isoformat()},
            )
        )
    for f in funds_overdue(on=on):
        if (on - f.deadline).days < int(t["payout_overdue_days"]):
            continue
        out.append(
            Finding(
                "payout_overdue",
                f"case:{f.case_id}",
                f.court_id,
                f"{f.case_number} 执行款 {f.unpaid} 元超过发放期限（{f.deadline}）未发放",
                f.case_id,
                level=Alert.Level.CRITICAL,
                detail={"amount": str(f.unpaid), "deadline": f.deadline.isoformat()},
            )
        )
    for m in controls_expiring(until=on + dt.timedelta(days=int(t["control_expiry_days"]))):
        out.append(
            Finding(
                "control_expiring",
                f"control:{m['id']}",
                m["court_id"],
                f"{m['case__case_number']} {m['label']}将于 {m['expires_on']} 到期，尚未续行",
                m["case_id"],
                m["case__team_id"],
                m["case__judge_id"],
                detail={"expires_on": m["expires_on"].isoformat()},
            )
        )
    for n in no_assets_missed_reinquiry(on=on):
        out.append(
            Finding(
                "no_assets_noncompliant",
                f"case:{n['case_id']}",
                n["case__court_id"],
                f"{n['case__case_number']} 终本后定期网络查询逾期（{n['due_on']}）",
                n["case_id"],
                n["case__team_id"],
                n["case__judge_id"],
                detail={"due_on": n["due_on"].isoformat()},
            )
        )
    for r in requests_overdue(before=now - dt.timedelta(hours=int(t["agency_overdue_hours"]))):
        out.append(
            Finding(
                "agency_late",
                f"request:{r['id']}",
                r["court_id"],
                f"{r['agency__name']}未在答复期限（{timezone.localtime(r['due_at']):%Y-%m-%d %H:%M}）内答复"
                + (f"（{r['case__case_number']}）" if r["case__case_number"] else ""),
                r["case_id"],
                r["case__team_id"],
                r["case__judge_id"],
                detail={"agency": r["agency__code"], "act": r["act"]},
            )
        )
    for i in (
        Instruction.objects.filter(due_on__lt=on)
        .exclude(status__in=(Instruction.Status.ANSWERED, Instruction.Status.CLOSED))
        .values(
            "id",
            "number",
            "subject",
            "target_court_id",
            "target_team_id",
            "target_judge_id",
            "case_id",
            "due_on",
        )
    ):
        out.append(
            Finding(
                "instruction_overdue",
                f"instruction:{i['id']}",
                i["target_court_id"],
                f"指令 {i['number']}「{i['subject']}」逾期未反馈（期限 {i['due_on']}）",
                i["case_id"],
                i["target_team_id"],
                i["target_judge_id"],
                Alert.Level.CRITICAL,
            )
        )
    return out, citations_json(rule)


def _court_duty_officer(court_id: int, cache: dict[int, int | None]) -> int | None:
    """Who takes a court-level alert: its command operator, else its bureau chief."""
    if court_id not in cache:
        u = (
            User.objects.filter(
                court_id=court_id, is_active=True, role__in=(Role.COMMAND_OPERATOR, Role.BUREAU_CHIEF)
            )
            .order_by("role", "pk")
            .values_list("pk", flat=True)
            .first()
        )
        cache[court_id] = u
    return cache[court_id]


def alerts_sweep(*, on: dt.date | None = None, now: dt.datetime | None = None) -> dict[str, int]:
    """规则巡查：raise an alert for every new finding, resolve (系统核销) those whose condition cleared.
    Idempotent: one live alert per rule and subject (a partial unique constraint)."""
    on = on or today()
    now = now or timezone.now()
    findings, citations = _findings(on, now)
    live = {(a.rule, a.subject): a for a in Alert.objects.exclude(status=Alert.Status.RESOLVED)}
    found = {(f.rule, f.subject) for f in findings}
    raised = resolved = 0
    officers: dict[int, int | None] = {}
    for f in findings:
        if (f.rule, f.subject) in live:
            continue
        try:
            with transaction.atomic():
                alert = Alert.objects.create(
                    rule=f.rule,
                    subject=f.subject,
                    level=f.level,
                    court_id=f.court_id,
                    team_id=f.team_id,
                    case_id=f.case_id,
                    title=f.title[:200],
                    detail=f.detail or {},
                    citations=citations,
                    assignee_id=f.assignee_id or _court_duty_officer(f.court_id, officers),
                    raised_on=on,
                )
                journal_append(
                    stream=_alert_stream(alert),
                    kind="alert.raised",
                    actor=None,
                    court=alert.court,
                    payload={"alert": alert.pk, "rule": f.rule, "title": alert.title},
                )
        except IntegrityError:  # a concurrent sweep raised it first
            continue
        raised += 1
    for key, alert in live.items():
        if key in found:
            continue
        with transaction.atomic():
            n = (
                Alert.objects.filter(pk=alert.pk)
                .exclude(status=Alert.Status.RESOLVED)
                .update(
                    status=Alert.Status.RESOLVED,
                    resolved_at=now,
                    resolution="预警条件已消除（系统核销）",
                    auto_resolved=True,
                )
            )
            if n:
                journal_append(
                    stream=_alert_stream(alert),
                    kind="alert.resolved",
                    actor=None,
                    court=alert.court,
                    payload={"alert": alert.pk, "auto": True},
                )
                resolved += 1
    return {"raised": raised, "resolved": resolved, "live": len(found)}


def _alert_for(actor: User, alert_id: int) -> Alert:
    from zhixing.command.selectors import alerts_visible

    try:
        return alerts_visible(actor).select_for_update(of=("self",)).get(pk=alert_id)
    except Alert.DoesNotExist:
        raise NotFound() from None


def _may_handle(actor: User, alert: Alert) -> bool:
    return alert.assignee_id == actor.pk or actor.role in COMMAND_ROLES


@transaction.atomic
def alert_assign(*, actor: User, alert_id: int, assignee_id: int) -> Alert:
    """指派：a command role hands an alert to someone of the alert's court."""
    alert = _alert_for(actor, alert_id)
    if actor.role not in COMMAND_ROLES:
        raise PermissionDenied("指派预警须由指挥中心、执行局长或院长办理")
    if alert.status == Alert.Status.RESOLVED:
        raise ServiceError("预警已处理完毕", code="resolved")
    assignee = User.objects.filter(pk=assignee_id, court_id=alert.court_id, is_active=True).first()
    if assignee is None:
        raise ServiceError("处理人须为预警所在法院的在职人员", code="bad_assignee", field="assignee")
    alert.assignee = assignee
    alert.status = Alert.Status.OPEN
    alert.save(update_fields=["assignee", "status"])
    journal_append(
        stream=_alert_stream(alert),
        kind="alert.assigned",
        actor=actor,
        court=alert.court,
        payload={"alert": alert.pk, "assignee": assignee.full_name},
    )
    return alert


@transaction.atomic
def alert_acknowledge(*, actor: User, alert_id: int) -> Alert:
    """签收：the assignee (or a command role) takes the alert in hand."""
    alert = _alert_for(actor, alert_id)
    if not _may_handle(actor, alert):
        raise PermissionDenied("只有预警的处理人可以签收")
    if alert.status != Alert.Status.OPEN:
        raise ServiceError("预警已签收或已处理", code="not_open")
    alert.status = Alert.Status.ACKNOWLEDGED
    alert.acknowledged_by = actor
    alert.acknowledged_at = timezone.now()
    alert.save(update_fields=["status", "acknowledged_by", "acknowledged_at"])
    journal_append(
        stream=_alert_stream(alert),
        kind="alert.acknowledged",
        actor=actor,
        court=alert.court,
        payload={"alert": alert.pk},
    )
    return alert


@transaction.atomic
def alert_resolve(*, actor: User, alert_id: int, resolution: str) -> Alert:
    """处理完毕：with what was done. If the condition still holds, the next sweep raises it again."""
    alert = _alert_for(actor, alert_id)
    if not _may_handle(actor, alert):
        raise PermissionDenied("只有预警的处理人可以办结")
    if alert.status == Alert.Status.RESOLVED:
        raise ServiceError("预警已处理完毕", code="resolved")
    if not resolution.strip():
        raise ServiceError("请填写处理情况", code="resolution_required", field="resolution")
    alert.status = Alert.Status.RESOLVED
    alert.resolved_by = actor
    alert.resolved_at = timezone.now()
    alert.resolution = resolution.strip()
    if alert.acknowledged_at is None:
        alert.acknowledged_by, alert.acknowledged_at = actor, alert.resolved_at
    alert.save()
    journal_append(
        stream=_alert_stream(alert),
        kind="alert.resolved",
        actor=actor,
        court=alert.court,
        payload={"alert": alert.pk, "resolution": alert.resolution},
    )
    return alert


# --- instructions (交办, 督办) -------------------------------------------------------------------------


def _number(court: Court, kind: str, on: dt.date) -> str:
    prefix = f"{court.court_code}{'督' if kind == 'supervise' else '交'}{on.year}-"
    n = Instruction.objects.filter(number__startswith=prefix).count() + 1
    return f"{prefix}{n:04d}"


def _create_numbered(court: Court, kind: str, on: dt.date, fields: dict[str, Any]) -> Instruction:
    """The next number of the court's year and kind; two issuers at once: the loser takes the next."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Instruction.objects.create(number=_number(court, kind, on), **fields)
        except IntegrityError:
            continue
    raise ServiceError("编号冲突，请重试", code="busy")


def _entry(
    instruction: Instruction, kind: str, author: User | None, body: str, event: str, **extra: Any
) -> None:
    InstructionEntry.objects.create(instruction=instruction, kind=kind, author=author, body=body)
    payload = {"instruction": instruction.number, "body": body[:500], **extra}
    journal_append(
        stream=instruction.stream, kind=event, actor=author, court=instruction.issuing_court, payload=payload
    )
    if instruction.case_id:
        journal_append(
            stream=f"case:{instruction.case_id}",
            kind=event,
            actor=author,
            court=instruction.target_court,
            payload=payload,
        )


@transaction.atomic
def instruction_issue(
    *,
    actor: User,
    kind: str,
    subject: str,
    body: str,
    target_court_code: str,
    target_team_id: int | None = None,
    target_judge_id: int | None = None,
    case_id: int | None = None,
    days: int | None = None,
    on: dt.date | None = None,
) -> Instruction:
    """下达交办或督办：to a court of the issuer's own court or below (督办: strictly below), its team or
    judge, optionally about a case; the feedback deadline is the days set, else the default."""
    from zhixing.cases.models import EnforcementCase

    if actor.role not in ISSUING_ROLES or actor.court is None:
        raise PermissionDenied("交办、督办须由指挥中心、上级法院监督员、执行局长或院长下达")
    if kind not in Instruction.Kind.values:
        raise ServiceError(f"未知的指令类型「{kind}」", code="bad_kind", field="kind")
    subject, body = subject.strip(), body.strip()
    if not subject:
        raise ServiceError("请填写事项", code="subject_required", field="subject")
    if not body:
        raise ServiceError("请填写具体要求", code="body_required", field="body")
    target = Court.objects.filter(court_code=target_court_code).first()
    if target is None or not target.path.startswith(actor.court.path):
        raise ServiceError("承办法院须为本院或辖区法院", code="bad_target", field="target_court")
    if kind == Instruction.Kind.SUPERVISE and target.pk == actor.court_id:
        raise ServiceError("督办只能对下级法院下达", code="bad_target", field="target_court")
    team = judge = case = None
    if target_team_id:
        team = Team.objects.filter(pk=target_team_id, court=target).first()
        if team is None:
            raise ServiceError("承办团队不属于承办法院", code="bad_team", field="target_team")
    if target_judge_id:
        judge = User.objects.filter(
            pk=target_judge_id, court=target, is_active=True, role__in=TEAM_ROLES
        ).first()
        if judge is None:
            raise ServiceError("承办人须为承办法院的办案人员", code="bad_judge", field="target_judge")
        team = team or judge.team
    if case_id:
        case = EnforcementCase.objects.filter(pk=case_id, court=target).first()
        if case is None:
            raise ServiceError("案件不属于承办法院", code="bad_case", field="case")
        if judge is None and team is None and case.judge_id:
            judge, team = case.judge, case.team
    on = on or today()
    if days is not None and not 1 <= days <= 365:
        raise ServiceError("反馈期限应为 1 至 365 日", code="bad_days", field="days")
    due = supervision.instruction_due(kind=kind, issued_on=on, days=days)
    fields = dict(
        kind=kind,
        issuing_court=actor.court,
        issued_by=actor,
        target_court=target,
        target_team=team,
        target_judge=judge,
        case=case,
        subject=subject[:200],
        body=body,
        issued_on=on,
        due_on=due.value,
        citations=citations_json(due),
    )
    instruction = _create_numbered(actor.court, kind, on, fields)
    _issued(instruction, actor, due.value)
    return instruction


def _issued(instruction: Instruction, actor: User, due: dt.date) -> None:
    payload = {
        "instruction": instruction.number,
        "kind": instruction.kind,
        "subject": instruction.subject,
        "to": instruction.target_court.court_code,
        "due_on": due.isoformat(),
    }
    journal_append(
        stream=instruction.stream,
        kind="instruction.issued",
        actor=actor,
        court=instruction.issuing_court,
        payload=payload,
    )
    if instruction.case_id:
        journal_append(
            stream=f"case:{instruction.case_id}",
            kind="instruction.issued",
            actor=actor,
            court=instruction.target_court,
            payload=payload,
        )


def _locked_instruction(actor: User, instruction_id: int) -> Instruction:
    from zhixing.command.selectors import instructions_visible

    try:
        return instructions_visible(actor).select_for_update(of=("self",)).get(pk=instruction_id)
    except Instruction.DoesNotExist:
        raise NotFound() from None


def instruction_is_target(actor: User, i: Instruction) -> bool:
    if i.target_judge_id is not None:
        return actor.pk == i.target_judge_id or (
            actor.court_id == i.target_court_id and actor.role in (Role.BUREAU_CHIEF, Role.COMMAND_OPERATOR)
        )
    if i.target_team_id is not None:
        return actor.team_id == i.target_team_id or (
            actor.court_id == i.target_court_id and actor.role in (Role.BUREAU_CHIEF, Role.COMMAND_OPERATOR)
        )
    return actor.court_id == i.target_court_id and actor.role in (
        Role.BUREAU_CHIEF,
        Role.COMMAND_OPERATOR,
        Role.PRESIDENT,
    )


def instruction_is_issuer(actor: User, i: Instruction) -> bool:
    return actor.court_id == i.issuing_court_id and actor.role in ISSUING_ROLES


@transaction.atomic
def instruction_acknowledge(*, actor: User, instruction_id: int) -> Instruction:
    """签收."""
    i = _locked_instruction(actor, instruction_id)
    if not instruction_is_target(actor, i):
        raise PermissionDenied("只有承办方可以签收指令")
    if i.status != Instruction.Status.ISSUED:
        raise ServiceError("指令已签收", code="not_issued")
    i.status = Instruction.Status.ACKNOWLEDGED
    i.save(update_fields=["status"])
    _entry(i, InstructionEntry.Kind.ACKNOWLEDGEMENT, actor, "", "instruction.acknowledged")
    return i


@transaction.atomic
def instruction_report(*, actor: User, instruction_id: int, body: str) -> Instruction:
    """反馈：the target reports what it did (signing in on the way if not yet signed)."""
    i = _locked_instruction(actor, instruction_id)
    if not instruction_is_target(actor, i):
        raise PermissionDenied("只有承办方可以反馈指令")
    if i.status in (Instruction.Status.ANSWERED, Instruction.Status.CLOSED):
        raise ServiceError("指令已反馈，等待下达方审核", code="answered")
    if not body.strip():
        raise ServiceError("请填写反馈内容", code="body_required", field="body")
    i.status = Instruction.Status.ANSWERED
    i.save(update_fields=["status"])
    _entry(i, InstructionEntry.Kind.REPORT, actor, body.strip(), "instruction.reported")
    return i


@transaction.atomic
def instruction_review(*, actor: User, instruction_id: int, accept: bool, body: str = "") -> Instruction:
    """审核反馈：the issuer closes the instruction (办结) or returns it for more (退回补充, a new deadline
    of the same length counted from today)."""
    i = _locked_instruction(actor, instruction_id)
    if not instruction_is_issuer(actor, i):
        raise PermissionDenied("只有下达方可以审核反馈")
    if i.status != Instruction.Status.ANSWERED:
        raise ServiceError("指令尚未反馈", code="not_answered")
    if accept:
        i.status = Instruction.Status.CLOSED
        i.closed_at = timezone.now()
        i.save(update_fields=["status", "closed_at"])
        _entry(i, InstructionEntry.Kind.ACCEPTANCE, actor, body.strip(), "instruction.closed")
    else:
        if not body.strip():
            raise ServiceError("退回须说明需补充的内容", code="body_required", field="body")
        on = today()
        i.status = Instruction.Status.RETURNED
        i.due_on = on + (i.due_on - i.issued_on)
        i.level = 0
        i.reminded_on = None
        i.save(update_fields=["status", "due_on", "level", "reminded_on"])
        _entry(
            i,
            InstructionEntry.Kind.RETURN,
            actor,
            body.strip(),
            "instruction.returned",
            due_on=i.due_on.isoformat(),
        )
    return i


POWERS = {"urge": "督促执行令", "escalate": "提级执行", "designate": "指定执行", "cross_enforce": "交叉执行"}


@transaction.atomic
def instruction_power(
    *,
    actor: User,
    instruction_id: int,
    power: str,
    reason: str,
    days: int | None = None,
    to_court_code: str = "",
    on: dt.date | None = None,
) -> Instruction:
    """上级法院措施：the issuing court takes one of its powers over the instruction's case (CPL 237,
    EXEC-WORK 74 — the acts and their conditions are ``cases.transfers``), recorded on the instruction."""
    from zhixing.cases import transfers

    i = _locked_instruction(actor, instruction_id)
    if not instruction_is_issuer(actor, i):
        raise PermissionDenied("只有下达指令的法院可以采取上级法院措施")
    if i.case_id is None:
        raise ServiceError("该指令未关联案件", code="no_case")
    if power not in POWERS:
        raise ServiceError(f"未知的措施「{power}」", code="bad_power", field="power")
    if power == "urge":
        if days is None:
            raise ServiceError("督促执行令须规定期限（日）", code="days_required", field="days")
        transfers.case_urge(actor=actor, case_id=i.case_id, days=days, reason=reason, on=on)
    elif power == "escalate":
        transfers.case_escalate(actor=actor, case_id=i.case_id, reason=reason, on=on)
    elif power == "designate":
        transfers.case_designate(
            actor=actor, case_id=i.case_id, to_court_code=to_court_code, reason=reason, on=on
        )
    else:
        transfers.case_cross_enforce(
            actor=actor, case_id=i.case_id, to_court_code=to_court_code, reason=reason, on=on
        )
    target = f"（{to_court_code}）" if power in ("designate", "cross_enforce") else ""
    InstructionEntry.objects.create(
        instruction=i,
        kind=InstructionEntry.Kind.POWER,
        author=actor,
        body=f"{POWERS[power]}{target}：{reason.strip()}",
    )
    journal_append(
        stream=i.stream,
        kind="instruction.power",
        actor=actor,
        court=i.issuing_court,
        payload={"instruction": i.number, "power": power, "to": to_court_code or None},
    )
    return i


LEVEL_LABELS = {
    1: "承办法院执行局长",
    2: "承办法院院长",
    3: "下达指令的法院（可督促执行、指定执行或提级执行）",
}


def instructions_sweep(*, on: dt.date | None = None) -> dict[str, int]:
    """每日：remind before the deadline, escalate one level per period overdue (rules/supervision.py)."""
    on = on or today()
    reminded = escalated = 0
    open_ = Instruction.objects.exclude(status__in=(Instruction.Status.ANSWERED, Instruction.Status.CLOSED))
    for pk in open_.values_list("pk", flat=True):
        with transaction.atomic():
            i = (
                Instruction.objects.select_for_update()
                .select_related("issuing_court", "target_court")
                .get(pk=pk)
            )
            if i.status in (Instruction.Status.ANSWERED, Instruction.Status.CLOSED):
                continue
            state = supervision.instruction_state(due_on=i.due_on, on=on)
            s = state.value
            if s.remind and i.reminded_on is None:
                i.reminded_on = on
                i.save(update_fields=["reminded_on"])
                _entry(
                    i,
                    InstructionEntry.Kind.REMINDER,
                    None,
                    f"反馈期限 {i.due_on} 将至，请按时反馈",
                    "instruction.reminded",
                )
                reminded += 1
            if s.level > i.level:
                i.level = s.level
                i.save(update_fields=["level"])
                _entry(
                    i,
                    InstructionEntry.Kind.ESCALATION,
                    None,
                    f"逾期 {s.overdue_days} 日未反馈，升级至第 {s.level} 级：{LEVEL_LABELS.get(s.level, '')}",
                    "instruction.escalated",
                    level=s.level,
                    citations=citations_json(state),
                )
                escalated += 1
    return {"reminded": reminded, "escalated": escalated}


# --- reported figures and spot checks ------------------------------------------------------------------


@transaction.atomic
def figures_report(
    *,
    actor: User,
    court_code: str,
    month: dt.date,
    titles_with_payment: int,
    mediations: int = 0,
    petitions_received: int = 0,
    petitions_concluded: int = 0,
) -> MonthlyFigure:
    """报送：a court's monthly figures the platform does not hold (replacing the month's earlier report)."""
    court = Court.objects.filter(court_code=court_code).first()
    if court is None or not _sees(actor, court.pk):
        raise NotFound()
    if actor.role not in (Role.COMMAND_OPERATOR, Role.BUREAU_CHIEF, Role.ADMIN) or actor.court_id != court.pk:
        raise PermissionDenied("统计数须由本院指挥中心或执行局长报送")
    values = {
        "titles_with_payment": titles_with_payment,
        "mediations": mediations,
        "petitions_received": petitions_received,
        "petitions_concluded": petitions_concluded,
    }
    for name, v in values.items():
        if not isinstance(v, int) or v < 0:
            raise ServiceError("统计数应为非负整数", code="bad_number", field=name)
    if petitions_concluded > petitions_received:
        raise ServiceError("办结数不能大于收案数", code="bad_number", field="petitions_concluded")
    month = month.replace(day=1)
    fig, _ = MonthlyFigure.objects.update_or_create(
        court=court, month=month, defaults={**values, "reported_by": actor, "reported_at": timezone.now()}
    )
    journal_append(
        stream=_org_stream(court),
        kind="command.figures_reported",
        actor=actor,
        court=court,
        payload={"month": month.strftime("%Y-%m"), **values},
    )
    return fig


@transaction.atomic
def no_assets_check_record(*, actor: User, case_id: int, compliant: bool, note: str) -> None:
    """终本抽查：a supervisor's spot check of a 终本 case; a failing one lowers the 终本合格率."""
    from zhixing.cases.models import EnforcementCase

    case = EnforcementCase.objects.filter(pk=case_id).select_related("court").first()
    if case is None or not _sees(actor, case.court_id):
        raise NotFound()
    if actor.role not in (Role.SUPERVISOR, Role.COMMAND_OPERATOR, Role.BUREAU_CHIEF):
        raise PermissionDenied("终本抽查须由指挥中心、上级法院监督员或执行局长办理")
    if case.stage != "closed" or case.closing_mode != "no_assets_closure":
        raise ServiceError("只能抽查以终结本次执行程序结案的案件", code="not_no_assets")
    if not compliant and not note.strip():
        raise ServiceError("不合格须说明理由", code="note_required", field="note")
    journal_append(
        stream=case.stream,
        kind="command.no_assets_check",
        actor=actor,
        court=case.court,
        payload={"compliant": compliant, "note": note.strip()},
    )
