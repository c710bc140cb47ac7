"""The driver of the simulated city: a :class:`~zhixing.simulation.city.CityPlan` played day by day
through the services, in simulated time.

* **The clock.** Each simulated day runs inside ``time_machine.travel(<day> 08:30 Asia/Shanghai,
  tick=True)``: ``timezone.now()``, ``timezone.localdate()`` (every service's ``today()``), journal
  timestamps, node deadlines, agency signatures (``time.time()`` on both sides, same process) and
  the agency simulator thread all agree with the simulated day. time-machine patches the C-level
  clock functions, so no service needs a clock parameter; it is therefore a runtime dependency.
* **The actors.** Litigants submit applications (online through a lawyer, or at the counter); the
  court's clerk files them; the assigned judge issues notices, asks for leads, searches through the
  agency network (the simulator in a thread, every agency synchronous, ``dispatch_all()`` playing the
  worker), freezes, seals and deducts, decides the measures the nightly review proposes (the
  president approves), records settlements and closes in every mode; debtors pay into the case
  account (``receipt_record`` — the bank's notice); the post returns receipts.
* **The nights.** The day's documents are rendered (the worker's job: in this process, or with
  ``render_jobs`` by a pool of renderer processes while the next day is simulated — the files are
  then recorded a day later, as by a worker that lags), ``nodes_sweep``, the command center's
  projection and its alert rules.

Nothing is written except through a service; the per-case state (the plan, the case id, the next
steps and their days) is kept in memory.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import math
import multiprocessing
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.models import Count, Sum

from zhixing.simulation.city import (
    COURT_WEIGHTS,
    CityPlan,
    PlannedCase,
    plan_period,
    seed_figures_scaled,
)
from zhixing.simulation.world import World

log = logging.getLogger("zhixing.twin")

SIM_PASSWORD = "Zhixing@2026"  # noqa: S105 - the published demo password (the simulated staff log in like the demo's)
LAWYER = "sim.lawyer"
CLOSE_GROUNDS = {
    "withdrawn": ("termination", "applicant_withdraws"),
    "dismissed": ("dismissed", "acceptance_conditions_not_met"),
    "duplicate": ("withdrawn_from_docket", "duplicate_filing"),
}
CASES_PER_TEAM_YEAR = 1_500  # a team (one judge, assistant, clerk, officer) handles about this many a year


# --- what the run reports ----------------------------------------------------------------------------
@dataclass
class Progress:
    day: dt.date
    done: int
    total: int
    filed: int
    closed: int
    events: int
    events_per_second: float


@dataclass
class Summary:
    start: dt.date
    end: dt.date
    scale: float
    seed: int
    database: str
    days: int = 0
    wall_seconds: float = 0.0
    events: int = 0  # journal events written by the run
    applications: int = 0
    filed: int = 0
    closed_by_mode: dict[str, int] = field(default_factory=dict)
    open_at_end: int = 0
    amount_claimed: Decimal = Decimal(0)
    amount_received: Decimal = Decimal(0)  # into the case accounts (payments and deductions)
    amount_settled: Decimal = Decimal(0)  # paid to the applicant under a settlement
    by_kind: dict[str, int] = field(default_factory=dict)  # journal events of the period, by kind
    kpis: dict[str, Decimal | None] = field(default_factory=dict)
    kpi_labels: dict[str, str] = field(default_factory=dict)
    journal_ok: bool = False
    journal_streams: int = 0
    journal_events: int = 0
    seed_scaled: dict[str, Decimal] = field(default_factory=dict)
    refusals: dict[str, int] = field(default_factory=dict)  # service refusals by step and code
    warmup_days: int = 0  # days played before ``start`` (arrivals only; not in the period's figures)
    carried_over: int = 0  # cases open at the start of the period (旧存), from the warm-up
    listings: int = 0  # debtors put on the dishonest-debtor list in the period
    listings_deleted: int = 0  # listings deleted in the period

    @property
    def closed(self) -> int:
        return sum(self.closed_by_mode.values())

    @property
    def events_per_second(self) -> float:
        return self.events / self.wall_seconds if self.wall_seconds else 0.0

    @property
    def amount_recovered(self) -> Decimal:
        return self.amount_received + self.amount_settled

    @property
    def seal_acts(self) -> int:
        """查解封: seals, freezes and seizures requested, and releases requested."""
        return self.by_kind.get("asset_control.requested", 0) + self.by_kind.get(
            "asset_control.release_requested", 0
        )

    def table(self) -> str:
        """The summary beside the seed's published figures (scaled)."""
        from zhixing.rules.closing import CLOSING_MODE_LABELS, ClosingMode

        def money(v: Decimal) -> str:
            return f"{v / 10_000:,.1f} 万元"

        s = self.seed_scaled
        rows = [
            ("模拟期间", f"{self.start} — {self.end}（{self.days} 天）", "2021-01-01 — 2021-06-30"),
            ("规模 / 数据库", f"{self.scale:g} / {self.database}", "1（绍兴全市）"),
        ]
        if self.warmup_days:
            rows.append(("预热（期初旧存）", f"{self.warmup_days} 天（{self.carried_over:,} 件）", "—"))
        rows += [
            ("收到申请 / 立案", f"{self.applications:,} / {self.filed:,}", "—"),
            ("结案", f"{self.closed:,}", f"{s.get('cases_closed', 0):,}"),
        ]
        for mode in ClosingMode:
            n = self.closed_by_mode.get(mode.value, 0)
            rows.append((f"  其中 {CLOSING_MODE_LABELS[mode]}", f"{n:,}", ""))
        rows += [
            ("期末未结", f"{self.open_at_end:,}", "—"),
            ("申请执行标的额", money(self.amount_claimed), "—"),
            ("执行到位金额", money(self.amount_recovered), money(s.get("amount_recovered", Decimal(0)))),
            ("  其中 案款账户到账", money(self.amount_received), ""),
            ("  其中 和解直接履行", money(self.amount_settled), ""),
            ("在线查解封（请求）", f"{self.seal_acts:,}", f"{s.get('seal_acts', 0):,}"),
            ("  查封冻结扣押生效", f"{self.by_kind.get('asset_control.effective', 0):,}", ""),
            ("  解除", f"{self.by_kind.get('asset_control.released', 0):,}", ""),
            ("  扣划到账", f"{self.by_kind.get('asset_control.deducted', 0):,}", ""),
            ("网络查控", f"{self.by_kind.get('network_inquiry.requested', 0):,}", "—"),
            ("强制措施（采取）", f"{self.by_kind.get('measures.taken', 0):,}", "—"),
            ("  失信名单 纳入 / 删除", f"{self.listings:,} / {self.listings_deleted:,}", "—"),
            ("节点超期", f"{self.by_kind.get('node.overdue', 0):,}", "—"),
            ("日志事件 / 每秒", f"{self.events:,} / {self.events_per_second:,.0f}", "—"),
            ("用时", f"{self.wall_seconds:,.0f} 秒", "—"),
            ("日志校验", "通过" if self.journal_ok else "失败", "—"),
        ]
        for code, value in self.kpis.items():
            label = self.kpi_labels.get(code, code)
            rows.append((f"指标 {label}", "—" if value is None else f"{value}", ""))
        width = max(len(r[0]) for r in rows) + 2
        lines = [f"{'项目':<{width}}{'模拟':<28}种子公布（按规模折算）"]
        lines += [f"{a:<{width}}{b:<28}{c}" for a, b, c in rows]
        if self.refusals:
            lines.append(
                "服务拒绝（按步骤与代码）："
                + "，".join(f"{k} ×{v}" for k, v in sorted(self.refusals.items()))
            )
        return "\n".join(lines)


# --- the clock ---------------------------------------------------------------------------------------
@contextlib.contextmanager
def simulated_day(day: dt.date, hour: int = 8, minute: int = 30) -> Iterator[None]:
    """Inside: the whole process believes it is ``day`` (local time), the clock ticking from 08:30."""
    tz = ZoneInfo(settings.TIME_ZONE)
    with time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz), tick=True):
        yield


def _workday(day: dt.date) -> dt.date:
    from zhixing.rules.calendar import CalendarUnknownYear, is_workday

    d = day
    for _ in range(30):
        try:
            if is_workday(d):
                return d
        except CalendarUnknownYear:
            if d.weekday() < 5:
                return d
        d += dt.timedelta(days=1)
    return d


# --- the worker's rendering, in other processes ----------------------------------------------------
class RenderPool:
    """Documents rendered by ``jobs`` renderer processes while the simulation goes on.

    Each night the documents still without a file are filled here (``document_html``: a database
    read) and handed to the pool; WeasyPrint runs in the other processes (no database there); the
    next night the finished PDFs are recorded through ``document_render(pdf=…)`` — hashed, stored,
    journaled — in this process and in simulated time. ``close()`` waits for the rest.
    """

    def __init__(self, jobs: int) -> None:
        self.pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"))
        self.pending: dict[int, Future[bytes]] = {}

    def night(self) -> None:
        from zhixing.documents import rendering
        from zhixing.documents.selectors import documents_without_file
        from zhixing.documents.services import document_html

        self.record(wait=False)
        for pk in documents_without_file():
            if pk not in self.pending:
                self.pending[pk] = self.pool.submit(rendering.html_to_pdf, document_html(document_id=pk))

    def record(self, *, wait: bool) -> None:
        from zhixing.documents.services import document_render

        for pk, fut in list(self.pending.items()):
            if wait or fut.done():
                document_render(document_id=pk, pdf=fut.result())
                del self.pending[pk]

    def close(self) -> None:
        try:
            self.record(wait=True)
        finally:
            self.pool.shutdown(wait=True, cancel_futures=True)


# --- per case ----------------------------------------------------------------------------------------
@dataclass
class Run:
    plan: PlannedCase
    route: str
    app_id: int | None = None
    case_id: int | None = None
    judge_id: int | None = None
    closed: bool = False
    settlement_id: int | None = None
    restricted: bool = False
    listed: bool = False  # on the dishonest-debtor list
    searched: bool = False
    closing_tries: int = 0
    instalments: list[tuple[dt.date, Decimal]] = field(default_factory=list)


@dataclass
class Staff:
    clerk: Any
    president: Any
    chief: Any


class Driver:
    def __init__(
        self,
        plan: CityPlan,
        *,
        progress: Callable[[Progress], None] | None = None,
        render_pool: RenderPool | None = None,
    ) -> None:
        self.plan = plan
        self.progress = progress
        self.render_pool = render_pool
        self.world = World()
        self.agenda: dict[dt.date, list[tuple[int, str, Run]]] = defaultdict(list)
        self._seq = 0
        self.runs: list[Run] = []
        self.refusals: Counter[str] = Counter()
        self.filed = 0
        self.closed = 0
        self.applications = 0
        self.staff: dict[str, Staff] = {}
        self.courts: dict[str, Any] = {}
        self.users: dict[int, Any] = {}

    # --- set-up ---------------------------------------------------------------------------------
    def prepare(self) -> None:
        from zhixing.core import services as core_services
        from zhixing.core.demo import demo_seed
        from zhixing.core.models import Court, Department, Team, User
        from zhixing.core.roles import Role
        from zhixing.documents.services import templates_sync

        basic = Court.objects.filter(level=Court.Level.BASIC)
        if not basic.exists() or not User.objects.filter(court__in=basic, role=Role.JUDGE).exists():
            demo_seed()
        templates_sync()
        lawyer = User.objects.filter(username=LAWYER).first()
        if lawyer is None:
            lawyer = core_services.external_user_create(
                username=LAWYER, full_name="孙律师（模拟）", role=Role.LAWYER, password=SIM_PASSWORD
            )
        self.lawyer = lawyer
        years = max(1.0, (self.plan.end - self.plan.start).days / 365)
        password_hash = ""
        for code, weight in COURT_WEIGHTS.items():
            court = Court.objects.get(court_code=code)
            self.courts[code] = court
            # enough teams for the court's share of the city's cases (the demo organisation has three)
            want = math.ceil(60_000 * self.plan.scale * weight * min(years, 1.0) / CASES_PER_TEAM_YEAR)
            have = Team.objects.filter(court=court).count()
            if want > have:
                bureau = core_services.department_create(
                    court=court, kind=Department.Kind.ENFORCEMENT_BUREAU, name="执行局"
                )
                password_hash = password_hash or make_password(SIM_PASSWORD)
                for i in range(have + 1, want + 1):
                    track = Team.Track.COMPLEX if i % 3 == 2 else Team.Track.FAST
                    team = core_services.team_create(
                        court=court, department=bureau, name=f"模拟{i}组", track=track
                    )
                    for role in (Role.JUDGE, Role.ASSISTANT, Role.CLERK):
                        core_services.staff_create(
                            username=f"sim.{code}.{role}{i}",
                            full_name=f"模拟{role}{i}",
                            court=court,
                            team=team,
                            role=role,
                            password_hash=password_hash,
                        )

            def first(role: str, court: Any = court) -> Any:
                return User.objects.filter(court=court, role=role, is_active=True).order_by("pk").first()

            self.staff[code] = Staff(
                clerk=first(Role.CLERK), president=first(Role.PRESIDENT), chief=first(Role.BUREAU_CHIEF)
            )

    def user(self, pk: int) -> Any:
        from zhixing.core.models import User

        u = self.users.get(pk)
        if u is None:
            u = self.users[pk] = User.objects.get(pk=pk)
        return u

    # --- the agenda -----------------------------------------------------------------------------
    def at(self, day: dt.date, step: str, run: Run, *, staff: bool = True) -> None:
        day = _workday(day) if staff else day
        self._seq += 1
        self.agenda[day].append((self._seq, step, run))

    def _do(self, step: str, run: Run, day: dt.date) -> None:
        from zhixing.core.errors import ServiceError

        if run.closed and step not in ("lift",):
            return
        try:
            getattr(self, f"step_{step}")(run, day)
        except ServiceError as e:
            self.refusals[f"{step}:{e.code}"] += 1
            log.debug("%s %s refused: %s", run.plan.key, step, e)

    # --- the day --------------------------------------------------------------------------------
    def run_day(self, day: dt.date) -> None:
        from zhixing.agencies.services import dispatch_all
        from zhixing.cases.services import nodes_sweep
        from zhixing.command.projection import project_pending
        from zhixing.command.services import alerts_sweep
        from zhixing.documents.services import documents_render_pending

        for planned in self.plan.arrivals(day):
            run = Run(planned, planned.behaviour)
            self.runs.append(run)
            self._do("submit", run, day)
        # the staff's and the debtors' steps, in the order they were planned (steps planned today for
        # today run too)
        while self.agenda.get(day):
            todo = sorted(self.agenda.pop(day))
            for _seq, step, run in todo:
                self._do(step, run, day)
            dispatch_all()
        dispatch_all()
        if self.render_pool is not None:
            self.render_pool.night()
        else:
            documents_render_pending()  # the worker's job: the day's documents, rendered after their acts
        nodes_sweep(on=day)
        project_pending()
        alerts_sweep(on=day)

    # --- steps: filing --------------------------------------------------------------------------
    def step_submit(self, run: Run, day: dt.date) -> None:
        from zhixing.cases.services import application_submit

        p = run.plan
        court = self.courts[p.court_code]
        actor = self.lawyer if p.online else self.staff[p.court_code].clerk
        parties = [self._party(p.applicant, "applicant"), self._party(p.debtor, "debtor")]
        app = application_submit(
            actor=actor,
            court=court,
            title={
                "kind": p.title_kind,
                "issuing_body": p.issuing_body,
                "issuing_court_code": p.issuing_court_code or "",
                "document_number": p.document_number,
                "effective_on": p.effective_on.isoformat(),
                "performance_deadline": p.performance_deadline.isoformat(),
                "principal": p.principal,
                "costs": p.costs,
            },
            parties=parties,
            jurisdiction_basis=p.jurisdiction_basis,
            materials=list(p.materials),
            received_on=day,
        )
        run.app_id = app.pk
        self.applications += 1
        self.at(day + dt.timedelta(days=p.delays.filing), "accept", run)

    def _party(self, party: Any, role: str) -> dict[str, Any]:
        if party.kind == "natural_person":
            person = self.world.person(party.id_number)
            return {
                "role": role,
                "kind": "natural_person",
                "name": person.name,
                "id_number": person.id_number,
                "phone": person.phone,
                "address": person.address,
            }
        firm = self.world.firm(party.id_number)
        return {
            "role": role,
            "kind": "legal_person",
            "name": firm.name,
            "id_number": firm.uscc,
            "legal_representative": firm.legal_representative.name,
            "phone": firm.phone,
            "address": firm.address,
        }

    def step_accept(self, run: Run, day: dt.date) -> None:
        from zhixing.cases.services import application_accept

        assert run.app_id is not None
        case = application_accept(actor=self.staff[run.plan.court_code].clerk, application_id=run.app_id)
        run.case_id = case.pk
        run.judge_id = case.judge_id
        self.filed += 1
        if case.judge_id is None:
            self.refusals["accept:no_judge"] += 1
            return
        d = run.plan.delays
        if run.route in CLOSE_GROUNDS or run.route == "refused":
            self.at(day + dt.timedelta(days=d.act), "close_ground", run)
            if d.act > d.notice:
                self.at(day + dt.timedelta(days=d.notice), "notice", run)
            return
        self.at(day + dt.timedelta(days=d.notice), "notice", run)
        self.at(day + dt.timedelta(days=d.leads), "leads", run)
        if run.route != "pays":  # a debtor who pays at once is never searched
            self.at(day + dt.timedelta(days=d.inquiry), "inquiry", run)
        if run.route == "settles":
            self.at(day + dt.timedelta(days=d.act), "settle", run)
        if run.route == "unable":
            self.at(day + dt.timedelta(days=d.notice + 15), "report_handled", run)
            self.at(day + dt.timedelta(days=80), "interview", run)
            self.at(day + dt.timedelta(days=85), "inquiry", run)
            self.at(_months_later(day, 3) + dt.timedelta(days=1 + d.act), "close_no_assets", run)

    # --- steps: the judge's work ----------------------------------------------------------------
    def _judge(self, run: Run) -> Any:
        assert run.judge_id is not None
        return self.user(run.judge_id)

    @staticmethod
    def _case(run: Run) -> Any:
        from zhixing.cases.models import EnforcementCase

        assert run.case_id is not None
        return EnforcementCase.objects.select_related("court").get(pk=run.case_id)

    def _act(self, run: Run, kind: str, note: str = "") -> None:
        from zhixing.cases.services import case_act

        assert run.case_id is not None
        case_act(actor=self._judge(run), case_id=run.case_id, kind=kind, note=note)

    def step_notice(self, run: Run, day: dt.date) -> None:
        self._act(run, "performance_notice.issued")
        self._act(run, "asset_report_order.issued")
        self.at(day + dt.timedelta(days=run.plan.delays.delivery), "deliver", run, staff=False)

    def step_deliver(self, run: Run, day: dt.date) -> None:
        """The postal receipts come back: every document of the case sent by post is delivered."""
        from zhixing.documents.models import Delivery
        from zhixing.documents.services import delivery_record_receipt, delivery_send

        case = self._case(run)
        judge = self._judge(run)
        for d in Delivery.objects.filter(
            document__stream=case.stream, channel="postal", status__in=["pending", "sent"]
        ).select_related("document"):
            if d.status == "pending":
                d = delivery_send(actor=judge, delivery=d, tracking_number=f"EMS{d.pk:010d}CN")
            delivery_record_receipt(actor=judge, delivery=d, received_on=day)
        if run.route == "pays":
            self.at(day + dt.timedelta(days=run.plan.delays.act), "pay", run, staff=False)
        elif run.route in ("pays_under_pressure", "deducted", "unable"):  # a settlement holds the measures
            self.at(day + dt.timedelta(days=6), "review", run)

    def step_leads(self, run: Run, day: dt.date) -> None:
        self._act(run, "applicant.leads_requested")

    def step_inquiry(self, run: Run, day: dt.date) -> None:
        from zhixing.asset_control.services import inquiry_start

        assert run.case_id is not None
        inquiry_start(actor=self._judge(run), case_id=run.case_id)
        if run.route in ("deducted", "unable") and not run.searched:
            run.searched = True
            self.at(day + dt.timedelta(days=1), "control", run)

    def step_report_handled(self, run: Run, day: dt.date) -> None:
        self._act(run, "asset_report.handled", "被执行人申报无可供执行财产，经网络查控核查属实")

    def step_interview(self, run: Run, day: dt.date) -> None:
        note = (
            "申请执行人同意终结本次执行程序"
            if run.plan.consents_to_no_assets
            else "申请执行人不同意终本，已释明"
        )
        self._act(run, "applicant.interviewed", note)

    def step_control(self, run: Run, day: dt.date) -> None:
        """查控结果出来后：冻结存款（够清偿为止），不够的查封房产、扣押车辆。"""
        from zhixing.asset_control.models import Asset
        from zhixing.asset_control.services import control_request
        from zhixing.core.errors import ServiceError
        from zhixing.funds.selectors import case_position

        assert run.case_id is not None
        case = self._case(run)
        need = case_position(case).outstanding
        judge = self._judge(run)
        assets = list(Asset.objects.filter(case=case).order_by("-value", "pk"))
        deposits = [
            a for a in assets if a.kind == "bank_deposit" and (a.value or 0) >= 100 and not a.encumbrances
        ]
        if run.route == "unable":
            deposits = [a for a in deposits if (a.value or 0) >= 1000][:1]
        froze = False
        for a in deposits:
            if need <= 0:
                break
            amount = min(Decimal(a.value or 0), need)
            try:
                control_request(actor=judge, case_id=case.pk, asset_id=a.pk, amount=amount)
            except ServiceError as e:
                self.refusals[f"freeze:{e.code}"] += 1
                continue
            need -= amount
            froze = True
        if run.route == "deducted" and need > 0:
            # not enough money: seal a house (or seize a car) — the debtor then pays the rest
            for kind in ("real_estate", "vehicle"):
                target = next((a for a in assets if a.kind == kind), None)
                if target is None:
                    continue
                try:
                    control_request(
                        actor=judge,
                        case_id=case.pk,
                        asset_id=target.pk,
                        confirm_overreach=True,
                        overreach_reason="财产不可分割，查封后责令被执行人履行",
                    )
                except ServiceError as e:
                    self.refusals[f"seal:{e.code}"] += 1
                    continue
                run.route = "pays_under_pressure"
                self.at(day + dt.timedelta(days=20 + run.plan.delays.act * 3), "pay", run, staff=False)
                break
            else:
                if not froze:
                    self._fall_to_no_assets(run, day)
        if froze:
            self.at(day + dt.timedelta(days=run.plan.delays.act), "deduct", run)

    def _fall_to_no_assets(self, run: Run, day: dt.date) -> None:
        """Nothing to take after all: the case goes the 终本 way."""
        assert run.case_id is not None
        from zhixing.cases.models import EnforcementCase

        filed_on = EnforcementCase.objects.values_list("filed_on", flat=True).get(pk=run.case_id)
        run.route = "unable"
        self.at(day + dt.timedelta(days=10), "report_handled", run)
        self.at(max(day + dt.timedelta(days=20), filed_on + dt.timedelta(days=80)), "interview", run)
        self.at(max(day + dt.timedelta(days=25), filed_on + dt.timedelta(days=85)), "inquiry", run)
        self.at(
            max(
                day + dt.timedelta(days=30),
                _months_later(filed_on, 3) + dt.timedelta(days=1 + run.plan.delays.act),
            ),
            "close_no_assets",
            run,
        )

    def step_deduct(self, run: Run, day: dt.date) -> None:
        from zhixing.asset_control.models import ControlMeasure
        from zhixing.asset_control.services import deduction_request

        judge = self._judge(run)
        measures = ControlMeasure.objects.filter(case_id=run.case_id, kind="freeze", status="effective")
        for m in measures:
            available = Decimal(m.amount_controlled or 0) - Decimal(m.amount_deducted or 0)
            if available > 0:
                deduction_request(actor=judge, measure_id=m.pk, amount=available)
        self.at(day + dt.timedelta(days=1), "after_deduct", run)

    def step_after_deduct(self, run: Run, day: dt.date) -> None:
        from zhixing.funds.selectors import case_position

        case = self._case(run)
        pos = case_position(case)
        if pos.outstanding <= 0:
            self.at(day + dt.timedelta(days=run.plan.delays.close), "close_performed", run)
        elif run.route == "deducted":
            if pos.received >= pos.owed / 2:  # most of it taken: the debtor pays the rest
                run.route = "pays_under_pressure"
                self.at(day + dt.timedelta(days=10 + run.plan.delays.act * 4), "pay", run, staff=False)
            else:
                self._fall_to_no_assets(run, day)

    def step_review(self, run: Run, day: dt.date) -> None:
        """The measures review of the case (as the nightly sweep does), then the judge decides."""
        from zhixing.core.services import approval_decide
        from zhixing.measures.models import Proposal
        from zhixing.measures.services import case_measures_review, proposal_decide

        case = self._case(run)
        case_measures_review(case)
        judge = self._judge(run)
        president = self.staff[run.plan.court_code].president
        for p in Proposal.objects.filter(case=case, status="open").order_by("pk"):
            take = p.kind in ("consumption_restriction", "restriction_lifting", "listing_deletion") or (
                p.kind == "dishonest_listing" and self._lists(run, p)
            )
            decided = proposal_decide(
                actor=judge,
                proposal_id=p.pk,
                take=take,
                note=self._listing_note(p) if take else "被执行人暂无履行能力或已在履行，暂不采取",
            )
            if decided.approval_id is not None and president is not None:
                approval_decide(actor=president, approval_id=decided.approval_id, approve=True)
            if take and p.kind == "consumption_restriction":
                run.restricted = True
            if take and p.kind == "dishonest_listing":
                run.listed = True
        if run.route == "pays_under_pressure" and run.restricted:
            self.at(day + dt.timedelta(days=run.plan.delays.act), "pay", run, staff=False)
        elif run.route in ("pays_under_pressure",) and not run.restricted:
            self.at(day + dt.timedelta(days=7), "review", run)

    def _lists(self, run: Run, p: Any) -> bool:
        """失信 or 失能: the judge lists a debtor who can pay but does not — the debtor's class in the
        world is ``able_refuses`` and the review's evidence finds an ability to pay (assets found beyond
        those controlled) — and, as before, when the rules say the listing is due. A debtor unable to
        pay (the 终本 way) is never listed for refusing."""
        if run.route == "unable":
            return False
        if p.due:
            return run.route == "deducted"
        able = bool(p.evidence.get("able")) if isinstance(p.evidence, dict) else False
        return (
            p.ground == "ability_refusal"
            and able
            and self.world.profile(run.plan.debtor.id_number) == "able_refuses"
        )

    @staticmethod
    def _listing_note(p: Any) -> str:
        if p.kind != "dishonest_listing":
            return ""
        items = p.evidence.get("items", []) if isinstance(p.evidence, dict) else []
        found = "；".join(str(i) for i in items if not str(i).startswith("结论"))
        return f"经审查认定被执行人有履行能力而拒不履行（{found}），依法纳入失信被执行人名单"

    def step_lift(self, run: Run, day: dt.date) -> None:
        """After full performance: the review proposes lifting the restriction; the judge lifts it."""
        from zhixing.measures.models import Proposal
        from zhixing.measures.services import case_measures_review, proposal_decide

        case = self._case(run)
        case_measures_review(case)
        for p in Proposal.objects.filter(
            case=case, status="open", kind__in=["restriction_lifting", "listing_deletion"]
        ):
            proposal_decide(actor=self._judge(run), proposal_id=p.pk, take=True, note="已全部履行，依法解除")

    # --- steps: the debtor ----------------------------------------------------------------------
    def step_pay(self, run: Run, day: dt.date) -> None:
        """The debtor pays what is outstanding into the case account (the bank's notice)."""
        from zhixing.funds.selectors import case_account_of, case_position
        from zhixing.funds.services import receipt_record

        case = self._case(run)
        if case.stage not in ("in_enforcement", "filed"):
            return
        outstanding = case_position(case).outstanding
        account = case_account_of(case)
        if outstanding > 0 and account is not None:
            receipt_record(
                court=case.court,
                account_number=account.number,
                amount=outstanding,
                idempotency_key=f"sim:{self.plan.seed}:{run.plan.key}:pay:{day}",
                payer_name=self._party(run.plan.debtor, "debtor")["name"],
            )
        self.at(day + dt.timedelta(days=run.plan.delays.close), "confirm", run)

    def step_confirm(self, run: Run, day: dt.date) -> None:
        self._act(run, "applicant.confirmed_full_performance", "申请执行人确认已收到全部执行款")
        self.step_close_performed(run, day)

    def step_close_performed(self, run: Run, day: dt.date) -> None:
        self._close(run, "fully_performed")
        if run.restricted or run.listed:
            self.at(day + dt.timedelta(days=1), "lift", run)

    def step_settle(self, run: Run, day: dt.date) -> None:
        from zhixing.cases.services import settlement_record

        case = self._case(run)
        if case.stage != "in_enforcement":
            return
        n = run.plan.delays.instalments
        total = Decimal(case.claim_amount)
        part = (total / n).quantize(Decimal("0.01"))
        plan = [(day + dt.timedelta(days=30 * (i + 1)), part) for i in range(n - 1)]
        plan.append((day + dt.timedelta(days=30 * n), total - part * (n - 1)))
        s = settlement_record(
            actor=self._judge(run),
            case_id=case.pk,
            agreed_on=day,
            terms=f"被执行人分{n}期履行全部款项，每月一期",
            instalments=plan,
        )
        run.settlement_id = s.pk
        run.instalments = list(plan)
        for due, _amount in plan:
            self.at(due - dt.timedelta(days=2), "instalment", run)

    def step_instalment(self, run: Run, day: dt.date) -> None:
        from zhixing.cases.models import Settlement
        from zhixing.cases.services import settlement_payment_record

        items = run.instalments
        if not items or run.settlement_id is None:
            return
        _due, amount = items.pop(0)
        s = Settlement.objects.get(pk=run.settlement_id)
        settlement_payment_record(actor=self._judge(run), settlement_id=s.pk, paid_on=day, amount=amount)
        if not items:
            s.refresh_from_db()
            if s.status == "performed":
                self._closed(run)

    # --- closing --------------------------------------------------------------------------------
    def _closed(self, run: Run) -> None:
        if not run.closed:
            run.closed = True
            self.closed += 1

    def _close(self, run: Run, mode: str, ground: str | None = None, consents: bool = False) -> Any:
        from zhixing.cases.services import case_close

        assert run.case_id is not None
        case = case_close(
            actor=self._judge(run), case_id=run.case_id, mode=mode, ground=ground, applicant_consents=consents
        )
        if case.stage == "closed":
            self._closed(run)
        return case

    def step_close_ground(self, run: Run, day: dt.date) -> None:
        if run.route == "refused":
            ground = (
                "notarised_debt_refused"
                if run.plan.title_kind == "notarised_debt"
                else "arbitration_award_refused"
            )
            self._close(run, "refused", ground)
            return
        mode, ground = CLOSE_GROUNDS[run.route]
        self._close(run, mode, ground)

    def step_close_no_assets(self, run: Run, day: dt.date) -> None:
        from zhixing.core.errors import ServiceError
        from zhixing.core.models import ApprovalRequest
        from zhixing.core.services import approval_decide

        run.closing_tries += 1
        try:
            case = self._close(run, "no_assets_closure", consents=run.plan.consents_to_no_assets)
        except ServiceError as e:
            if run.closing_tries < 3 and e.code == "closing_conditions_unmet":
                unmet = [str(u) for u in e.detail.get("unmet", [])]
                self.refusals[f"close_no_assets:{'+'.join(unmet)}"] += 1
                self._repair(run, day, set(unmet))
                return
            raise
        if case.stage != "closed":  # the president approves 终本 without the applicant's consent
            president = self.staff[run.plan.court_code].president
            req = ApprovalRequest.objects.filter(stream=case.stream, status="pending").order_by("-pk").first()
            if req is not None and president is not None:
                approval_decide(actor=president, approval_id=req.pk, approve=True)
                self._closed(run)

    def _repair(self, run: Run, day: dt.date, unmet: set[str]) -> None:
        """An unmet checklist item: do what is missing and try again ten days later."""
        fixes = {
            "performance_notice": "notice",
            "asset_report_order": "notice",
            "asset_report_handled": "report_handled",
            "network_inquiry": "inquiry",
            "applicant_interviewed": "interview",
            "consumption_restriction": "review",
        }
        for code, step in fixes.items():
            if not unmet or code in unmet:
                self.at(day, step, run)
        self.at(day + dt.timedelta(days=10), "close_no_assets", run)


def _months_later(day: dt.date, months: int) -> dt.date:
    from zhixing.rules.closing import shift_months

    return shift_months(day, months)


# --- the run -----------------------------------------------------------------------------------------
# The legal values the first simulated day already needs (filing); the rules hold no value before the
# texts they cite took effect (for these: 2021-01-01), and the simulation never guesses one.
FIRST_DAY_PARAMETERS = ("filing_required_materials", "filing_decision_days", "performance_notice_days")


class PeriodNotCovered(ValueError):
    """The simulated period starts before the rules have a legal value for it."""


def _rules_cover(first: dt.date) -> None:
    from zhixing.rules.params import NoValueInForce, param_entry

    for name in FIRST_DAY_PARAMETERS:
        try:
            param_entry(name, on=first)
        except NoValueInForce as e:
            raise PeriodNotCovered(f"模拟的第一天 {first} 早于法定参数的最早取值，不能模拟：{e}") from e


@contextlib.contextmanager
def agency_simulator() -> Iterator[str]:
    """The agency simulator in a thread (every agency synchronous) and the registry pointing at it;
    afterwards the registry points back at the configured simulator (``AGENCY_SIM_URL``)."""
    from zhixing.agencies.demo import registry_seed
    from zhixing.simulation.agency_sim import AgencySimulator

    logging.getLogger("zhixing.agency_sim").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="zhixing-twin-") as tmp:
        sim = AgencySimulator(
            port=0,
            state_path=Path(tmp) / "agency-sim.sqlite3",
            master_secret=settings.AGENCY_SIM_SECRET,
            all_sync=True,
        )
        port = sim.start()
        url = f"http://127.0.0.1:{port}"
        registry_seed(base_url=url, master_secret=settings.AGENCY_SIM_SECRET)
        try:
            yield url
        finally:
            sim.stop()
            registry_seed()


def simulate(
    start: dt.date,
    end: dt.date,
    *,
    scale: float,
    seed: int,
    progress: Callable[[Progress], None] | None = None,
    tail_days: int = 0,
    warmup_days: int = 0,
    render_jobs: int = 0,
) -> Summary:
    """Play the plan of ``start``–``end`` through the services, day by day, and summarise.

    ``render_jobs``: render the documents in that many other processes while the next day is
    simulated (0: in this process, each night).

    ``tail_days``: keep working (no new arrivals) for that many days after ``end`` — the figures
    still cover ``start``–``end`` only.
    ``warmup_days``: the plan's arrivals start that many days before ``start`` (a court begins a period
    with cases carried over); the period's figures (filed, closed, amounts, acts, KPIs) cover
    ``start``–``end`` only, the KPIs counting the carried-over stock as 旧存.
    """
    if warmup_days < 0 or tail_days < 0:
        raise ValueError("warmup_days 与 tail_days 不能为负")
    from zhixing.command.projection import project_pending
    from zhixing.core.models import JournalEvent

    first = start - dt.timedelta(days=warmup_days)
    _rules_cover(first)
    plan = plan_period(first, end, scale=scale, seed=seed)
    if render_jobs < 0:
        raise ValueError("render_jobs 不能为负")
    pool = RenderPool(render_jobs) if render_jobs else None
    driver = Driver(plan, progress=progress, render_pool=pool)
    summary = Summary(
        start=start, end=end, scale=scale, seed=seed, database=connection.vendor, warmup_days=warmup_days
    )
    first_event = JournalEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with simulated_day(first):
        driver.prepare()
    days = (end - first).days + 1 + tail_days
    began = time.perf_counter()
    with agency_simulator(), contextlib.ExitStack() as stack:
        if pool is not None:
            stack.callback(pool.pool.shutdown, wait=False, cancel_futures=True)
        for i in range(days):
            day = first + dt.timedelta(days=i)
            with simulated_day(day):
                driver.run_day(day)
            if progress is not None:
                elapsed = time.perf_counter() - began
                events = (
                    JournalEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
                ) - first_event
                progress(
                    Progress(
                        day,
                        i + 1,
                        days,
                        driver.filed,
                        driver.closed,
                        events,
                        events / elapsed if elapsed else 0,
                    )
                )
        if pool is not None:
            with simulated_day(first + dt.timedelta(days=days - 1), hour=20):
                pool.close()  # the last night's documents
    summary.wall_seconds = time.perf_counter() - began
    summary.days = days - warmup_days
    summary.events = JournalEvent.objects.filter(pk__gt=first_event).count()
    project_pending()
    _summarise(summary, driver)
    return summary


def _summarise(summary: Summary, driver: Driver) -> None:
    from zhixing.cases.models import EnforcementCase, SettlementPayment
    from zhixing.command.selectors import Period, figures_by
    from zhixing.core.journal import verify_chains
    from zhixing.core.models import Court, JournalEvent
    from zhixing.funds.selectors import received_by_case
    from zhixing.measures.models import Measure
    from zhixing.rules.kpis import KPIS

    start, end = summary.start, summary.end
    tz = ZoneInfo(settings.TIME_ZONE)
    since = dt.datetime(start.year, start.month, start.day, tzinfo=tz)
    until = dt.datetime(end.year, end.month, end.day, tzinfo=tz) + dt.timedelta(days=1)
    # the period's figures: applications received and cases filed from ``start`` on (the tail files
    # the period's late applications), closings and money from ``start`` on; the warm-up's own
    # filings, closings and payments are not the period's
    summary.applications = sum(1 for r in driver.runs if r.app_id is not None and r.plan.received_on >= start)
    ids = [r.case_id for r in driver.runs if r.case_id is not None]
    every = EnforcementCase.objects.filter(pk__in=ids)
    cases = every.filter(filed_on__gte=start)
    summary.filed = cases.count()
    summary.carried_over = (
        every.filter(filed_on__lt=start).exclude(stage="closed", closed_on__lt=start).count()
    )
    summary.closed_by_mode = {
        row["closing_mode"]: row["n"]
        for row in every.filter(stage="closed", closed_on__gte=start)
        .values("closing_mode")
        .annotate(n=Count("id"))
        .order_by()
    }
    summary.open_at_end = every.exclude(stage="closed").count()
    summary.amount_claimed = cases.aggregate(s=Sum("claim_amount"))["s"] or Decimal(0)
    if summary.warmup_days:
        summary.amount_received = _received_since(ids, since)
    else:
        received = Decimal(0)
        for i in range(0, len(ids), 500):
            received += sum(received_by_case(ids[i : i + 500]).values(), Decimal(0))
        summary.amount_received = received
    summary.amount_settled = SettlementPayment.objects.filter(
        settlement__case_id__in=ids, paid_on__gte=start
    ).aggregate(s=Sum("amount"))["s"] or Decimal(0)
    listings = Measure.objects.filter(case_id__in=ids, kind="dishonest_listing")
    summary.listings = listings.filter(decided_on__gte=start, decided_on__lte=end).count()
    summary.listings_deleted = listings.filter(ended_on__gte=start, ended_on__lte=end).count()
    summary.by_kind = {
        row["kind"]: row["n"]
        for row in JournalEvent.objects.filter(occurred_at__gte=since, occurred_at__lt=until)
        .values("kind")
        .annotate(n=Count("id"))
        .order_by()
    }
    courts = list(Court.objects.filter(court_code__in=list(COURT_WEIGHTS)).values_list("pk", flat=True))
    figures = figures_by(period=Period(start, end), court_ids=courts).get(None)
    if figures is not None:
        summary.kpis = dict(figures.kpis)
    summary.kpi_labels = {code: k.label for code, k in KPIS.items()}
    report = verify_chains()
    summary.journal_ok = report.ok
    summary.journal_streams = report.streams
    summary.journal_events = report.events
    summary.seed_scaled = seed_figures_scaled(scale=summary.scale, start=start, end=end)
    summary.refusals = dict(driver.refusals)


def _received_since(ids: list[int], since: dt.datetime) -> Decimal:
    """到位金额 posted from ``since`` on (as ``received_by_case``, the postings limited by time)."""
    from zhixing.funds.models import Entry
    from zhixing.funds.selectors import INFLOW_KINDS, K

    total = Decimal(0)
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        entries = Entry.objects.filter(posting__created_at__gte=since)
        credits = entries.filter(
            credit_account__kind=K.CASE_LIABILITY,
            credit_account__case_id__in=chunk,
            debit_account__kind__in=INFLOW_KINDS,
        ).aggregate(s=Sum("amount"))["s"]
        debits = entries.filter(
            debit_account__kind=K.CASE_LIABILITY,
            debit_account__case_id__in=chunk,
            credit_account__kind__in=INFLOW_KINDS,
        ).aggregate(s=Sum("amount"))["s"]
        total += Decimal(credits or 0) - Decimal(debits or 0)
    return total
