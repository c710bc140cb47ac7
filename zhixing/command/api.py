"""指挥中心 API (/api/v1/command): KPIs of any unit and window (from the roll-ups), supervision alerts
(list, acknowledge, resolve) and instructions (list, issue, report, review) — the same services and
scopes as the pages; a refusal is the structured ``{"error": …}`` of every endpoint."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from zhixing.command import selectors, services
from zhixing.command.models import Alert, Instruction
from zhixing.core.errors import NotFound, ServiceError
from zhixing.core.models import User

router = Router(tags=["command"])


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


class KpiOut(Schema):
    code: str
    label: str
    unit: str
    value: Decimal | None
    previous: Decimal | None
    meets_target: bool | None
    verified: bool


class UnitOut(Schema):
    key: int | None
    name: str
    pending_at_start: int
    filed: int
    closed: int
    pending: int
    received: Decimal
    kpis: dict[str, Decimal | None]


class KpisOut(Schema):
    court: str
    start: dt.date
    end: dt.date
    compare_start: dt.date
    compare_end: dt.date
    kpis: list[KpiOut]
    units: list[UnitOut]


@router.get("/kpis", response={200: KpisOut, 400: dict, 404: dict})
def kpis(
    request: HttpRequest,
    court: str,
    start: dt.date | None = None,
    end: dt.date | None = None,
    group: str = "court",
) -> Any:
    """一个法院（及其辖区）在期间内的全部指标（对比上年同期）与下属单位（court / team / judge）的指标。"""
    user = _user(request)
    c = selectors.command_court(user, court)
    if c is None:
        raise NotFound("法院不存在或无权查看")
    if group not in ("court", "team", "judge"):
        raise ServiceError("group 应为 court、team 或 judge", code="bad_group", field="group")
    default = selectors.half_year(services.today())
    period = selectors.Period(start or default.start, end or default.end)
    if period.end < period.start:
        raise ServiceError("结束日期早于开始日期", code="bad_period", field="end")
    compare = period.year_before()
    courts = selectors.subtree(c)
    ids = [x.pk for x in courts]
    whole = selectors.figures_by(period=period, court_ids=ids)[None]
    before = selectors.figures_by(period=compare, court_ids=ids)[None]
    if group == "court":
        by = selectors.figures_by(
            period=period, court_ids=ids, group="court_id", branch_of=selectors.branches(c, courts)
        )
        names = {x.pk: x.short_name for x in courts}
    else:
        field = f"{group}_id"
        by = selectors.figures_by(period=period, court_ids=[c.pk], group=field)
        if group == "team":
            names = {k: t.name for k, t in selectors.teams_of([c.pk]).items()}
        else:
            names = {k: u.full_name for k, u in selectors.judges_of(k for k in by if k).items()}
    rows = selectors.kpi_rows(whole, before, on=services.today())
    return {
        "court": c.court_code,
        "start": period.start,
        "end": period.end,
        "compare_start": compare.start,
        "compare_end": compare.end,
        "kpis": [
            {k: r[k] for k in ("code", "label", "unit", "value", "previous", "meets_target", "verified")}
            for r in rows
        ],
        "units": [
            {
                "key": key,
                "name": names.get(key, "未分案") if key else "未分案",
                "pending_at_start": f.totals.pending_at_start,
                "filed": f.totals.filed,
                "closed": f.totals.closed,
                "pending": f.pending_at_end,
                "received": f.extras.get("received", 0),
                "kpis": f.kpis,
            }
            for key, f in by.items()
        ],
    }


class AlertOut(Schema):
    id: int
    rule: str
    level: str
    title: str
    court: str
    case_number: str | None
    assignee: str | None
    status: str
    raised_on: dt.date
    resolution: str


def _alert(a: Alert) -> dict[str, Any]:
    return {
        "id": a.pk,
        "rule": a.rule,
        "level": a.level,
        "title": a.title,
        "court": a.court.court_code,
        "case_number": a.case.case_number if a.case else None,
        "assignee": a.assignee.full_name if a.assignee else None,
        "status": a.status,
        "raised_on": a.raised_on,
        "resolution": a.resolution,
    }


@router.get("/alerts", response=list[AlertOut])
def alerts(request: HttpRequest, status: str = "live", mine: bool = False, limit: int = 100) -> Any:
    """监督预警（status: live | open | acknowledged | resolved | all；最多 500 条）。"""
    user = _user(request)
    qs = selectors.alerts_visible(user)
    if status == "live":
        qs = qs.exclude(status=Alert.Status.RESOLVED)
    elif status in Alert.Status.values:
        qs = qs.filter(status=status)
    if mine:
        qs = qs.filter(assignee=user)
    return [_alert(a) for a in qs[: max(1, min(limit, 500))]]


class ResolveIn(Schema):
    resolution: str


@router.post("/alerts/{alert_id}/acknowledge", response={200: AlertOut, 400: dict, 403: dict, 404: dict})
def alert_acknowledge(request: HttpRequest, alert_id: int) -> Any:
    services.alert_acknowledge(actor=_user(request), alert_id=alert_id)
    return _alert(selectors.alerts_visible(_user(request)).get(pk=alert_id))


@router.post("/alerts/{alert_id}/resolve", response={200: AlertOut, 400: dict, 403: dict, 404: dict})
def alert_resolve(request: HttpRequest, alert_id: int, data: ResolveIn) -> Any:
    services.alert_resolve(actor=_user(request), alert_id=alert_id, resolution=data.resolution)
    return _alert(selectors.alerts_visible(_user(request)).get(pk=alert_id))


class SpotCheckIn(Schema):
    case_number: str
    compliant: bool
    note: str = ""


@router.post("/no-assets-checks", response={201: dict, 400: dict, 403: dict, 404: dict})
def no_assets_check(request: HttpRequest, data: SpotCheckIn) -> Any:
    """终本抽查：record a spot check of a 终本 case; a failing one lowers the 终本合格率."""
    case_id = selectors.case_id_by_number(data.case_number)
    if case_id is None:
        raise NotFound("案件不存在或无权查看")
    services.no_assets_check_record(
        actor=_user(request), case_id=case_id, compliant=data.compliant, note=data.note
    )
    return Status(201, {"case_number": data.case_number, "compliant": data.compliant})


class InstructionOut(Schema):
    id: int
    number: str
    kind: str
    subject: str
    body: str
    issuing_court: str
    target_court: str
    target_judge: str | None
    case_number: str | None
    issued_on: dt.date
    due_on: dt.date
    status: str
    level: int
    entries: list[dict[str, Any]]


def _instruction(i: Instruction) -> dict[str, Any]:
    return {
        "id": i.pk,
        "number": i.number,
        "kind": i.kind,
        "subject": i.subject,
        "body": i.body,
        "issuing_court": i.issuing_court.court_code,
        "target_court": i.target_court.court_code,
        "target_judge": i.target_judge.full_name if i.target_judge else None,
        "case_number": i.case.case_number if i.case else None,
        "issued_on": i.issued_on,
        "due_on": i.due_on,
        "status": i.status,
        "level": i.level,
        "entries": [
            {
                "kind": e.kind,
                "body": e.body,
                "at": e.created_at.isoformat(),
                "author": e.author.full_name if e.author else None,
            }
            for e in i.entries.select_related("author")
        ],
    }


@router.get("/instructions", response=list[InstructionOut])
def instructions(request: HttpRequest, open_only: bool = True, limit: int = 100) -> Any:
    qs = selectors.instructions_visible(_user(request))
    if open_only:
        qs = qs.exclude(status=Instruction.Status.CLOSED)
    return [_instruction(i) for i in qs.prefetch_related("entries__author")[: max(1, min(limit, 500))]]


class InstructionIn(Schema):
    kind: str
    subject: str
    body: str
    target_court: str
    target_team_id: int | None = None
    target_judge_id: int | None = None
    case_number: str | None = None
    days: int | None = None


@router.post("/instructions", response={201: InstructionOut, 400: dict, 403: dict, 404: dict})
def instruction_issue(request: HttpRequest, data: InstructionIn) -> Any:
    """下达交办、督办。"""
    case_id = None
    if data.case_number:
        case_id = selectors.case_id_by_number(data.case_number)
        if case_id is None:
            raise ServiceError("案号不存在", code="bad_case", field="case_number")
    i = services.instruction_issue(
        actor=_user(request),
        kind=data.kind,
        subject=data.subject,
        body=data.body,
        target_court_code=data.target_court,
        target_team_id=data.target_team_id,
        target_judge_id=data.target_judge_id,
        case_id=case_id,
        days=data.days,
    )
    return Status(201, _instruction(i))


class BodyIn(Schema):
    body: str


class ReviewIn(Schema):
    accept: bool
    body: str = ""


def _visible(request: HttpRequest, instruction_id: int) -> Instruction:
    i = selectors.instructions_visible(_user(request)).filter(pk=instruction_id).first()
    if i is None:
        raise NotFound()
    return i


@router.post(
    "/instructions/{instruction_id}/report", response={200: InstructionOut, 400: dict, 403: dict, 404: dict}
)
def instruction_report(request: HttpRequest, instruction_id: int, data: BodyIn) -> Any:
    """承办方反馈。"""
    services.instruction_report(actor=_user(request), instruction_id=instruction_id, body=data.body)
    return _instruction(_visible(request, instruction_id))


@router.post(
    "/instructions/{instruction_id}/review", response={200: InstructionOut, 400: dict, 403: dict, 404: dict}
)
def instruction_review(request: HttpRequest, instruction_id: int, data: ReviewIn) -> Any:
    """下达方办结或退回补充。"""
    services.instruction_review(
        actor=_user(request), instruction_id=instruction_id, accept=data.accept, body=data.body
    )
    return _instruction(_visible(request, instruction_id))
