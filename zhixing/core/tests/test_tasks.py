import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from zhixing.core.journal import journal_append
from zhixing.core.models import JournalEvent
from zhixing.core.tasks import journal_verify_sweep, task_results_prune
from zhixing.core.worker.models import ScheduledRun
from zhixing.core.worker.registry import PERIODIC


def test_sweeps_are_declared_periodic() -> None:
    names = {p.name for p in PERIODIC.values()}
    assert {"core.journal_verify", "core.task_results_prune"} <= names


def test_journal_verify_sweep_logs_broken_links(db: None, caplog: pytest.LogCaptureFixture) -> None:
    for i in range(3):
        journal_append(stream="case:1", kind="act", actor=None, payload={"i": i})
    assert journal_verify_sweep.call()["broken"] == 0
    JournalEvent.objects.filter(stream="case:1", seq=3).delete()
    assert journal_verify_sweep.call()["broken"] == 1
    assert "case:1" in caplog.text


def test_prune_keeps_failures_and_recent_results(db: None) -> None:
    now = timezone.now()
    old = now - dt.timedelta(days=40)
    ids = [journal_verify_sweep.enqueue().id for _ in range(3)]
    DBTaskResult.objects.filter(pk=ids[0]).update(status="SUCCESSFUL", finished_at=old)  # pruned
    DBTaskResult.objects.filter(pk=ids[1]).update(status="FAILED", finished_at=old)  # kept: a failure
    DBTaskResult.objects.filter(pk=ids[2]).update(status="SUCCESSFUL", finished_at=now)  # kept: recent
    ScheduledRun.objects.create(name="core.journal_verify", period_start=old)
    ScheduledRun.objects.create(name="core.journal_verify", period_start=now)
    assert task_results_prune.call() == {"scheduled_runs": 1, "task_results": 1}
    remaining = {str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)}
    assert remaining == {str(i) for i in ids[1:]}
    assert ScheduledRun.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_domain_write_and_its_job_commit_or_roll_back_together() -> None:
    class Refused(Exception):
        pass

    with pytest.raises(Refused), transaction.atomic():
        journal_append(stream="case:tx", kind="act", actor=None)
        journal_verify_sweep.enqueue()
        raise Refused
    assert not JournalEvent.objects.filter(stream="case:tx").exists()
    assert not DBTaskResult.objects.exists()
    with transaction.atomic():
        journal_append(stream="case:tx", kind="act", actor=None)
        journal_verify_sweep.enqueue()
    assert JournalEvent.objects.filter(stream="case:tx").count() == 1
    assert DBTaskResult.objects.count() == 1
