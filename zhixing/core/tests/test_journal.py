import importlib
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, close_old_connections, connection, transaction

from zhixing.core.db import refuse_updates_sql
from zhixing.core.journal import JournalPayloadError, journal_append, sm3, verify_chains
from zhixing.core.models import JournalEvent, JournalHead, User

REPO = Path(__file__).resolve().parents[3]


APPEND_ONLY = importlib.import_module("zhixing.core.migrations.0002_journal_append_only")
TRIGGER_SQL = refuse_updates_sql(
    "sqlite", table=APPEND_ONLY.TABLE, name=APPEND_ONLY.TRIGGER, message=APPEND_ONLY.MESSAGE
)


def _enable_trigger() -> None:
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            assert TRIGGER_SQL is not None
            cur.execute(TRIGGER_SQL[0])
        else:
            cur.execute("ALTER TABLE core_journalevent ENABLE TRIGGER core_journalevent_append_only")


def _disable_trigger() -> None:
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("DROP TRIGGER IF EXISTS core_journalevent_append_only")
        else:
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks, or ALTER TABLE refuses
            cur.execute("ALTER TABLE core_journalevent DISABLE TRIGGER core_journalevent_append_only")


def test_sm3_matches_the_standard_vector() -> None:
    # GB/T 32905-2016 appendix A, example 1
    assert sm3("abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_events_chain_and_verify(db: None, make_user: Callable[..., User]) -> None:
    judge = make_user()
    e1 = journal_append(
        stream="case:1", kind="case.filed", actor=judge, court=judge.court, payload={"amount": "12.50"}
    )
    e2 = journal_append(stream="case:1", kind="case.assigned", actor=judge, payload={"team": "快执1组"})
    journal_append(stream="case:2", kind="case.filed", actor=None)
    assert (e1.seq, e2.seq) == (1, 2)
    assert e2.prev_hash == e1.hash
    assert JournalHead.objects.get(stream="case:1").hash == e2.hash
    report = verify_chains()
    assert report.ok
    assert verify_chains(stream="case:1").events == 2


def test_database_refuses_updates(db: None) -> None:
    ev = journal_append(stream="case:9", kind="x", actor=None)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        JournalEvent.objects.filter(pk=ev.pk).update(kind="y")


def test_floats_are_refused(db: None) -> None:
    with pytest.raises(JournalPayloadError):
        journal_append(stream="case:9", kind="x", actor=None, payload={"amount": 0.1})
    assert not JournalEvent.objects.exists()


@pytest.mark.parametrize("tamper", ["payload", "kind", "delete_middle", "delete_last", "reorder", "actor"])
def test_any_tampering_is_found(db: None, make_user: Callable[..., User], tamper: str) -> None:
    judge = make_user()
    events = [
        journal_append(stream="case:5", kind=f"k{i}", actor=judge, payload={"i": i}) for i in range(1, 6)
    ]
    journal_append(stream="case:6", kind="other", actor=None)
    _disable_trigger()
    target = events[2]
    qs = JournalEvent.objects.filter(pk=target.pk)
    if tamper == "payload":
        qs.update(payload={"i": 99})
    elif tamper == "kind":
        qs.update(kind="forged")
    elif tamper == "actor":
        qs.update(actor=None)
    elif tamper == "delete_middle":
        qs.delete()
    elif tamper == "delete_last":
        JournalEvent.objects.filter(pk=events[-1].pk).delete()
    elif tamper == "reorder":
        a, b = events[1], events[2]
        JournalEvent.objects.filter(pk=a.pk).update(seq=1000)
        JournalEvent.objects.filter(pk=b.pk).update(seq=a.seq)
        JournalEvent.objects.filter(pk=a.pk).update(seq=b.seq)
    report = verify_chains()
    assert not report.ok
    assert report.broken is not None and len(report.broken) == 1
    link = report.broken[0]
    assert link.stream == "case:5"
    expected_seq = {"delete_last": 5, "reorder": 2}.get(tamper, 3)
    assert link.seq == expected_seq, str(link)


def test_verify_command_reports_a_hand_edited_event(db: None) -> None:
    for i in range(3):
        journal_append(stream="case:77", kind="act", actor=None, payload={"n": i})
    out = StringIO()
    call_command("zhixing_verify", stdout=out)
    assert "完好" in out.getvalue()
    _disable_trigger()
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE core_journalevent SET payload = %s WHERE stream = %s AND seq = 2",
            ['{"n": 100}', "case:77"],
        )
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("zhixing_verify", stdout=out)
    assert "case:77 第 2 条" in out.getvalue()
    assert "被改动" in out.getvalue()


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{s['NAME']}"
    else:
        env["DATABASE_URL"] = f"postgres://{s['USER']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"
    return env


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_zhixing_verify_cli_exit_codes() -> None:
    for i in range(3):
        journal_append(stream="case:88", kind="act", actor=None, payload={"n": i})
    cmd = [sys.executable, "-m", "zhixing.cli", "verify"]
    ok = subprocess.run(cmd, env=_child_env(), cwd=REPO, capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    _disable_trigger()
    with connection.cursor() as cur:
        cur.execute("UPDATE core_journalevent SET kind = 'forged' WHERE stream = 'case:88' AND seq = 3")
    bad = subprocess.run(cmd, env=_child_env(), cwd=REPO, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 1
    assert "case:88 第 3 条" in bad.stdout
    _enable_trigger()  # transactional tests keep the schema: put the trigger back


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_to_one_stream_form_one_chain() -> None:
    """Eight threads append to the same case at once: no gap, no fork, a valid chain."""
    threads, per_thread = 8, 25
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads)

    def work(t: int) -> None:
        try:
            barrier.wait()
            for i in range(per_thread):
                with transaction.atomic():
                    journal_append(stream="case:hot", kind="act", actor=None, payload={"t": t, "i": i})
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)
        finally:
            close_old_connections()
            connection.close()

    pool = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for th in pool:
        th.start()
    for th in pool:
        th.join(timeout=120)
    assert not errors, errors
    seqs = list(JournalEvent.objects.filter(stream="case:hot").order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, threads * per_thread + 1))
    report = verify_chains(stream="case:hot")
    assert report.ok, report.broken


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_unique_seq_is_enforced_by_the_database() -> None:
    journal_append(stream="case:u", kind="act", actor=None)
    ev = JournalEvent.objects.get(stream="case:u")
    with pytest.raises(IntegrityError), transaction.atomic():
        JournalEvent.objects.create(
            stream="case:u",
            seq=1,
            kind="dup",
            occurred_at=ev.occurred_at,
            prev_hash=ev.prev_hash,
            hash="f" * 64,
        )
