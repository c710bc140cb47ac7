"""Two simulated weeks of the city through the services: cases filed and closed, the journal verifies,
the command center has figures."""

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
    start, end = dt.date(2021, 1, 4), dt.date(2021, 1, 17)
    summary = simulate(start, end, scale=0.02, seed=2021, progress=seen.append)

    assert [p.day for p in seen] == [start + dt.timedelta(days=i) for i in range(14)]
    assert summary.applications >= 20
    assert summary.filed >= 15
    assert summary.closed >= 1 and summary.closed_by_mode.get("fully_performed", 0) >= 1
    assert summary.amount_received > 0
    assert summary.by_kind.get("network_inquiry.requested", 0) >= 1
    assert summary.by_kind.get("asset_control.requested", 0) >= 1
    assert summary.journal_ok
    assert summary.events > 300 and summary.events_per_second > 0
    assert summary.kpis["closure_rate"] is not None and summary.kpis["closure_rate"] > 0
    # simulated time: the cases were filed, and journaled, on the simulated days
    filed = EnforcementCase.objects.order_by("filed_on")
    assert start <= filed.first().filed_on and filed.last().filed_on <= end  # type: ignore[union-attr]
    last = JournalEvent.objects.filter(kind="case.filed").order_by("-occurred_at").first()
    assert last is not None and start <= timezone.localdate(last.occurred_at) <= end
    assert timezone.localdate() > end  # and the clock is back
    assert "结案" in summary.table()
