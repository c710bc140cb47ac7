"""Two simulated weeks of the city through the services (three days of them a warm-up): cases filed
and closed, the journal verifies, the command center has figures; the judge's 失信 / 失能 call."""

from __future__ import annotations

import datetime as dt

import pytest

from zhixing.twin.driver import Progress, simulate


@pytest.mark.django_db(transaction=True)
def test_two_weeks_of_the_city_through_the_services(deletable_history: None) -> None:
    from django.utils import timezone

    from zhixing.cases.models import EnforcementCase
    from zhixing.core.models import JournalEvent

    seen: list[Progress] = []
    first, start, end = dt.date(2021, 1, 4), dt.date(2021, 1, 7), dt.date(2021, 1, 17)
    summary = simulate(start, end, scale=0.02, seed=2021, progress=seen.append, warmup_days=3)

    assert [p.day for p in seen] == [first + dt.timedelta(days=i) for i in range(14)]
    # the warm-up: arrivals from the 4th, the period's figures from the 7th
    assert summary.warmup_days == 3 and summary.days == 11
    cases = EnforcementCase.objects.all()
    assert summary.carried_over == cases.filter(filed_on__lt=start).count() >= 1
    assert summary.filed == cases.filter(filed_on__gte=start).count() >= 10
    assert summary.applications >= 15
    assert summary.closed == cases.filter(stage="closed", closed_on__gte=start).count()
    assert summary.open_at_end == cases.exclude(stage="closed").count()
    assert "预热" in summary.table()
    assert summary.closed >= 1 and summary.closed_by_mode.get("fully_performed", 0) >= 1
    assert summary.amount_received > 0
    assert summary.by_kind.get("network_inquiry.requested", 0) >= 1
    assert summary.by_kind.get("asset_control.requested", 0) >= 1
    assert summary.journal_ok
    assert summary.events > 300 and summary.events_per_second > 0
    assert summary.kpis["closure_rate"] is not None and summary.kpis["closure_rate"] > 0
    # simulated time: the cases were filed, and journaled, on the simulated days
    filed = EnforcementCase.objects.order_by("filed_on")
    assert first <= filed.first().filed_on and filed.last().filed_on <= end  # type: ignore[union-attr]
    last = JournalEvent.objects.filter(kind="case.filed").order_by("-occurred_at").first()
    assert last is not None and first <= timezone.localdate(last.occurred_at) <= end
    assert timezone.localdate() > end  # and the clock is back
    assert "结案" in summary.table()


def test_the_judge_lists_a_debtor_who_can_pay_but_does_not() -> None:
    """失信 or 失能: the listing proposal (allowed, ground 1) is taken for an able_refuses debtor with
    the evidence of an ability to pay; declined for a debtor unable to pay."""
    from types import SimpleNamespace

    from zhixing.simulation.city import plan_period
    from zhixing.twin.driver import Driver, Run

    plan = plan_period(dt.date(2021, 1, 4), dt.date(2021, 1, 8), scale=0.05, seed=2021)
    driver = Driver(plan)
    able = next(c for c in plan.cases if c.behaviour == "deducted")
    unable = next(c for c in plan.cases if c.behaviour == "unable")
    assert driver.world.profile(able.debtor.id_number) == "able_refuses"
    proposal = SimpleNamespace(
        kind="dishonest_listing",
        due=False,
        ground="ability_refusal",
        evidence={"able": True, "items": ["尚有价值1,000.00元的财产未被控制", "结论：…"]},
    )
    assert driver._lists(Run(able, able.behaviour), proposal)
    assert not driver._lists(Run(able, "unable"), proposal)  # fell to the 终本 way
    assert not driver._lists(Run(unable, unable.behaviour), proposal)
    assert not driver._lists(
        Run(able, able.behaviour), SimpleNamespace(**{**vars(proposal), "evidence": {"able": False}})
    )
    assert "有履行能力而拒不履行" in driver._listing_note(proposal)


def test_a_warm_up_before_the_rules_have_values_is_refused_before_anything_is_written() -> None:
    from zhixing.twin.driver import PeriodNotCovered

    with pytest.raises(PeriodNotCovered, match="2020-12-22"):
        simulate(dt.date(2021, 1, 1), dt.date(2021, 1, 5), scale=0.01, seed=2021, warmup_days=10)


@pytest.mark.django_db(transaction=True)
def test_documents_rendered_by_a_pool_of_renderer_processes(deletable_history: None) -> None:
    from django.utils import timezone

    from zhixing.core.models import JournalEvent
    from zhixing.documents.models import Document, DocumentFile
    from zhixing.documents.services import document_bytes

    end = dt.date(2021, 1, 15)
    summary = simulate(dt.date(2021, 1, 4), end, scale=0.02, seed=2021, render_jobs=1)

    docs = Document.objects.count()
    assert docs >= 5 and summary.journal_ok
    # every document got its file from the other process, recorded here, once, in simulated time
    assert DocumentFile.objects.count() == docs
    rendered = JournalEvent.objects.filter(kind="document.rendered")
    assert rendered.count() == docs
    assert all(timezone.localdate(e.occurred_at) <= end for e in rendered)
    doc = Document.objects.filter(kind="performance_notice").first()
    assert doc is not None and document_bytes(doc).startswith(b"%PDF")
