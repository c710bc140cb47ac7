"""The KPI roll-ups: kept from the journal incrementally, once, and equal to counting the cases directly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.utils import timezone

from zhixing.cases import services
from zhixing.cases.models import CaseApplication, EnforcementCase
from zhixing.cases.tests.conftest import World
from zhixing.command.models import ProjectionCursor, Rollup
from zhixing.command.projection import project_batch, project_pending
from zhixing.command.selectors import Period, figures_by
from zhixing.core.journal import journal_append
from zhixing.core.models import JournalEvent

pytestmark = pytest.mark.django_db
PERIOD = Period(dt.date(2026, 7, 1), dt.date(2027, 6, 30))


def _file(world: World, submit: Callable[..., CaseApplication], n: int) -> EnforcementCase:
    app = submit(n=n, title={"document_number": f"（2026）浙0602民初{100 + n}号"})
    return services.application_accept(actor=world.clerk, application_id=app.pk, on=dt.date(2026, 11, 3))


def _pay_and_close(world: World, case: EnforcementCase, amount: str) -> None:
    from zhixing.funds.models import Bank, CaseAccount
    from zhixing.funds.services import receipt_record

    Bank.objects.get_or_create(
        code="icbc-yc", defaults={"name": "工商银行越城支行", "court": world.court, "key": "k" * 32}
    )
    number = CaseAccount.objects.get(case=case).number
    receipt_record(court=world.court, account_number=number, amount=amount, idempotency_key=f"r-{case.pk}")
    case.refresh_from_db()
    judge = case.judge
    assert judge is not None
    services.case_act(
        actor=judge, case_id=case.pk, kind="applicant.confirmed_full_performance", note="已收到"
    )
    services.case_close(actor=judge, case_id=case.pk, mode="fully_performed", on=dt.date(2026, 12, 1))


def test_rollups_count_filings_closings_and_money_once(
    world: World, submit: Callable[..., CaseApplication]
) -> None:
    cases = [_file(world, submit, n) for n in (1, 2, 3)]
    _pay_and_close(world, cases[0], "51000.00")
    assert project_pending() > 0
    f = figures_by(period=PERIOD, court_ids=[world.court.pk])[None]
    t = f.totals
    assert (t.filed, t.closed, t.closed_fully_performed, t.pending_at_start) == (3, 1, 1, 0)
    assert t.amount_recovered == Decimal("51000.00") and t.amount_applied == cases[0].claim_amount
    assert f.extras["received"] == Decimal("51000.00")
    assert f.kpis["closure_rate"] == Decimal("33.33") and f.kpis["actual_closure_rate"] == Decimal("100.00")
    assert t.days_to_close == (dt.date(2026, 12, 1) - dt.date(2026, 11, 3)).days
    assert f.pending_at_end == 2
    # the same again changes nothing: the cursor moved with the roll-ups
    before = list(Rollup.objects.order_by("pk").values())
    assert project_pending() == 0
    assert list(Rollup.objects.order_by("pk").values()) == before
    # the period after: the two open cases are the stock at its start
    later = figures_by(period=Period(dt.date(2027, 7, 1), dt.date(2027, 12, 31)), court_ids=[world.court.pk])[
        None
    ]
    assert later.totals.pending_at_start == 2 and later.totals.closed == 0 and later.kpis["closure_rate"] == 0


def test_rollups_by_team_and_judge_equal_counting_the_cases(
    world: World, submit: Callable[..., CaseApplication]
) -> None:
    cases = [_file(world, submit, n) for n in (1, 2, 3, 4)]
    project_pending()  # part of the history projected before the reassignment, part after
    moved = cases[1]
    services.case_reassign(actor=world.chief, case_id=moved.pk, team_id=world.complex.pk, reason="案情复杂")
    _pay_and_close(world, cases[0], "1000.00")
    project_pending()
    by_judge = figures_by(period=PERIOD, court_ids=[world.court.pk], group="judge_id")
    direct: dict[int | None, tuple[int, int]] = {}
    for c in EnforcementCase.objects.filter(court=world.court, kind="first"):
        filed, closed = direct.get(c.judge_id, (0, 0))
        direct[c.judge_id] = (filed + 1, closed + (c.stage == "closed"))
    assert {k: (v.totals.filed, v.totals.closed) for k, v in by_judge.items()} == direct
    moved.refresh_from_db()
    assert by_judge[moved.judge_id].totals.filed >= 1
    by_team = figures_by(period=PERIOD, court_ids=[world.court.pk], group="team_id")
    assert sum(f.totals.filed for f in by_team.values()) == 4
    assert (
        by_team[world.complex.pk].totals.filed == EnforcementCase.objects.filter(team=world.complex).count()
    )


def test_a_late_committing_event_is_picked_up_from_the_gaps(world: World, filed: EnforcementCase) -> None:
    project_pending()
    cursor = ProjectionCursor.objects.get(name="kpi")
    # an event that took an id below the cursor but committed after the projection read past it
    late = journal_append(
        stream=filed.stream,
        kind="settlement.recorded",
        actor=None,
        court=world.court,
        payload={"on": "2026-11-20"},
    )
    ahead = journal_append(stream="org:x", kind="court.created", actor=None, payload={})
    ProjectionCursor.objects.filter(name="kpi").update(
        last_id=ahead.pk, gaps={str(late.pk): timezone.now().isoformat()}
    )
    assert project_batch() == 1
    assert figures_by(period=PERIOD, court_ids=[world.court.pk])[None].extras["settlements"] == 1
    cursor = ProjectionCursor.objects.get(name="kpi")
    assert cursor.gaps == {}
    # a gap that never fills (a rolled-back insert) is dropped after COMMAND_GAP_SECONDS
    stale = (timezone.now() - dt.timedelta(hours=1)).isoformat()
    ProjectionCursor.objects.filter(name="kpi").update(gaps={str(ahead.pk + 1000): stale})
    project_batch()
    assert ProjectionCursor.objects.get(name="kpi").gaps == {}
    assert project_batch() == 0
    assert JournalEvent.objects.filter(kind="settlement.recorded").count() == 1


def test_a_failed_spot_check_lowers_the_no_assets_compliance(world: World, filed: EnforcementCase) -> None:
    from zhixing.cases.tests.test_lifecycle import ZHONGBEN_STEPS, do_steps
    from zhixing.command.services import no_assets_check_record
    from zhixing.core.errors import PermissionDenied, ServiceError

    supervisor = world.chief
    with pytest.raises(ServiceError):
        no_assets_check_record(actor=supervisor, case_id=filed.pk, compliant=False, note="x")  # not closed
    do_steps(world, filed, ZHONGBEN_STEPS, dt.date(2026, 11, 20))
    services.case_close(
        actor=world.judge_fast,
        case_id=filed.pk,
        mode="no_assets_closure",
        applicant_consents=True,
        on=dt.date(2027, 2, 10),
    )
    with pytest.raises(PermissionDenied):
        no_assets_check_record(actor=world.judge_fast, case_id=filed.pk, compliant=False, note="x")
    project_pending()
    f = figures_by(period=PERIOD, court_ids=[world.court.pk])[None]
    assert (
        f.kpis["no_assets_closure_compliance_rate"] == Decimal("100.00")
        and f.kpis["no_assets_closure_rate"] == 100
    )
    no_assets_check_record(
        actor=supervisor, case_id=filed.pk, compliant=False, note="未穷尽财产调查：未查询公积金"
    )
    project_pending()
    f = figures_by(period=PERIOD, court_ids=[world.court.pk])[None]
    assert f.kpis["no_assets_closure_compliance_rate"] == Decimal("0.00")
