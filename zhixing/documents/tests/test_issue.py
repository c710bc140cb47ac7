"""Issuing: roles, numbering, immutability, corrections, template versions, all-or-nothing."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError, transaction
from pypdf import PdfReader

from zhixing.core import services as core_services
from zhixing.core.errors import PermissionDenied, ServiceError
from zhixing.core.models import Court, JournalEvent, User
from zhixing.core.roles import Role
from zhixing.documents import rendering, services, tasks
from zhixing.documents.models import (
    Delivery,
    Document,
    DocumentCounter,
    DocumentFile,
    ImmutableDocumentError,
    TemplateVersion,
)
from zhixing.documents.samples import SAMPLE_CONTEXTS
from zhixing.documents.services import Recipient

CASE = "（2026）浙0602执123号"
STREAM = "case:1"
ON = date(2026, 3, 9)


def issue(actor: User, court: Court, kind: str = "performance_notice", **kw: Any) -> Document:
    kw.setdefault("context", SAMPLE_CONTEXTS[kind])
    kw.setdefault("recipients", [Recipient(name="张三", channel="postal", address="绍兴市越城区某路1号")])
    return services.document_issue(
        actor=actor, kind=kind, court=court, stream=kw.pop("stream", STREAM), case_number=CASE, on=ON, **kw
    )


def test_issue_numbers_hashes_stores_and_journals(
    courts: dict[str, Court], judge: User, _documents_dir: Path
) -> None:
    import hashlib

    from django_tasks_db.models import DBTaskResult

    doc = issue(judge, courts["浙0602"])
    assert doc.number == "（2026）浙0602执通字第1号"
    event = JournalEvent.objects.get(stream=STREAM, kind="document.issued")
    # the hash of what the PDF is made from, recomputed from the stored row
    assert event.payload["data_hash"] == services.document_data_hash(Document.objects.get(pk=doc.pk))
    # the PDF is rendered outside the issuing transaction: queued with the document, not there yet
    assert not DocumentFile.objects.filter(document=doc).exists()
    queued = DBTaskResult.objects.get(task_path="zhixing.documents.tasks.document_render_task")
    assert queued.args_kwargs["args"] == [doc.pk]
    stored = tasks.document_render_task.call(doc.pk)
    assert tasks.document_render_task.call(doc.pk) == stored  # a second run finds the file
    file = DocumentFile.objects.get(document=doc)
    data = (_documents_dir / file.storage_name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == file.content_hash == stored
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text().replace(" ", "")
    assert doc.number in text
    rendered = JournalEvent.objects.get(stream=STREAM, kind="document.rendered")
    assert rendered.payload["content_hash"] == file.content_hash and rendered.payload["document_id"] == doc.pk
    assert JournalEvent.objects.filter(kind="document.rendered").count() == 1
    assert event.payload["number"] == doc.number
    assert event.payload["template_version"] == doc.template_version.number
    assert event.payload["citations"][0]["article"] == "第251条"
    assert doc.deliveries.get().status == Delivery.Status.PENDING


def test_numbers_are_per_court_year_and_kind_without_gaps(
    courts: dict[str, Court], judge: User, make_user: Callable[..., User], fast_pdf: list[str]
) -> None:
    court = courts["浙0602"]
    a = issue(judge, court)
    b = issue(judge, court)
    c = issue(judge, court, kind="asset_report_order")
    other = issue(make_user(Role.JUDGE, court_code="浙0603"), courts["浙0603"])
    next_year = services.document_issue(
        actor=judge,
        kind="performance_notice",
        court=court,
        stream=STREAM,
        case_number=CASE,
        context=SAMPLE_CONTEXTS["performance_notice"],
        recipients=[],
        on=date(2025, 12, 31),
    )
    assert [a.seq, b.seq, c.seq, other.seq, next_year.seq] == [1, 2, 1, 1, 1]
    assert c.number == "（2026）浙0602执报字第1号"
    assert other.number == "（2026）浙0603执通字第1号"
    assert next_year.number == "（2025）浙0602执通字第1号"


def test_failure_midway_consumes_no_number_and_leaves_nothing(
    courts: dict[str, Court],
    judge: User,
    fast_pdf: list[str],
    monkeypatch: pytest.MonkeyPatch,
    _documents_dir: Path,
) -> None:
    court = courts["浙0602"]
    issue(judge, court)

    def boom(**kw: Any) -> None:
        raise DatabaseError("disk full")

    monkeypatch.setattr(services, "journal_append", boom)
    with pytest.raises(DatabaseError):
        issue(judge, court)
    monkeypatch.undo()
    from django_tasks_db.models import DBTaskResult

    assert Document.objects.count() == 1
    assert Delivery.objects.count() == 1
    assert DBTaskResult.objects.filter(task_path__endswith="document_render_task").count() == 1
    assert not list(_documents_dir.rglob("*.pdf"))  # nothing is rendered inside the act
    assert DocumentCounter.objects.get(court=court, kind="performance_notice").last == 1
    assert issue(judge, court).seq == 2


def test_issue_with_missing_field_creates_nothing(
    courts: dict[str, Court], judge: User, fast_pdf: list[str], _documents_dir: Path
) -> None:
    ctx = dict(SAMPLE_CONTEXTS["performance_notice"], obligations="")
    with pytest.raises(ServiceError) as caught:
        issue(judge, courts["浙0602"], context=ctx)
    assert caught.value.field == "obligations"
    assert not Document.objects.exists()
    assert not Delivery.objects.exists()
    assert not JournalEvent.objects.filter(kind="document.issued").exists()
    assert not DocumentCounter.objects.filter(last__gt=0).exists()
    assert not list(_documents_dir.rglob("*.pdf"))
    assert fast_pdf == []


def test_a_judge_cannot_issue_a_consumption_restriction_order_a_president_can(
    courts: dict[str, Court], judge: User, president: User, fast_pdf: list[str]
) -> None:
    with pytest.raises(PermissionDenied) as caught:
        issue(judge, courts["浙0602"], kind="consumption_restriction_order")
    assert caught.value.code == "issuer_role"
    assert "院长" in caught.value.message
    doc = issue(president, courts["浙0602"], kind="consumption_restriction_order")
    assert doc.number == "（2026）浙0602执限字第1号"


def test_staff_of_another_court_cannot_issue(
    courts: dict[str, Court], make_user: Callable[..., User], fast_pdf: list[str]
) -> None:
    with pytest.raises(PermissionDenied):
        issue(make_user(Role.JUDGE, court_code="浙0603"), courts["浙0602"])


def test_closure_ruling_needs_applicant_consent_or_presidents_approval(
    courts: dict[str, Court], judge: User, president: User, fast_pdf: list[str]
) -> None:
    court = courts["浙0602"]
    ctx = dict(SAMPLE_CONTEXTS["no_assets_closure_ruling"])
    del ctx["applicant_confirmed_on"]
    with pytest.raises(PermissionDenied) as caught:
        issue(judge, court, kind="no_assets_closure_ruling", context=ctx)
    assert caught.value.code == "approval_required"
    approval = core_services.approval_request(
        actor=judge,
        act="document.no_assets_closure_ruling",
        title="终本",
        stream=STREAM,
        approver_role=Role.PRESIDENT,
    )
    core_services.approval_decide(actor=president, approval_id=approval.pk, approve=True)
    approval.refresh_from_db()
    doc = issue(judge, court, kind="no_assets_closure_ruling", context=ctx, approval=approval)
    assert doc.kind == "no_assets_closure_ruling"
    # with the applicant's written consent no approval is needed
    issue(judge, court, kind="no_assets_closure_ruling")


def test_issued_document_cannot_be_changed_a_correction_references_it(
    courts: dict[str, Court], judge: User, fast_pdf: list[str]
) -> None:
    court = courts["浙0602"]
    doc = issue(judge, court)
    doc.case_number = "（2026）浙0602执999号"
    with pytest.raises(ImmutableDocumentError):
        doc.save()
    with pytest.raises(ImmutableDocumentError):
        doc.delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        Document.objects.filter(pk=doc.pk).update(case_number="x")  # the trigger refuses it
    fixed = issue(
        judge,
        court,
        context=dict(SAMPLE_CONTEXTS["performance_notice"], amount_due="122800.00"),
        corrects=doc,
    )
    assert fixed.corrects == doc and fixed.number != doc.number
    services.document_render(document_id=fixed.pk)
    assert "本文书更正本院（2026）浙0602执通字第1号文书" in fast_pdf[-1]
    with pytest.raises(ServiceError):
        issue(judge, court, corrects=doc)  # correct the latest one, not the old one


def test_template_change_makes_a_new_version_old_document_keeps_version_and_bytes(
    courts: dict[str, Court],
    judge: User,
    fast_pdf: list[str],
    settings: Any,
    tmp_path: Path,
    _documents_dir: Path,
) -> None:
    court = courts["浙0602"]
    old = issue(judge, court, kind="restoration_notice")
    old_bytes = services.document_bytes(old)
    assert (
        services.template_sync("restoration_notice") == old.template_version
    )  # unchanged file: same version
    folder = tmp_path / "tpl"
    folder.mkdir()
    src = (rendering.PACKAGE_TEMPLATE_DIR / "restoration_notice.html").read_text(encoding="utf-8")
    (folder / "restoration_notice.html").write_text(
        src.replace("特此通知。", "特此通知，请予配合。"), encoding="utf-8"
    )
    settings.DOCUMENTS_TEMPLATE_DIR = str(folder)
    new = issue(judge, court, kind="restoration_notice")
    services.document_render(document_id=new.pk)
    assert new.template_version.number == old.template_version.number + 1
    assert TemplateVersion.objects.filter(template__kind="restoration_notice").count() == 2
    assert "请予配合" in fast_pdf[-1] and "请予配合" not in fast_pdf[0]
    old.refresh_from_db()
    assert old.template_version.number == 1
    assert services.document_bytes(old) == old_bytes
    assert "请予配合" not in old.template_version.source


def test_templates_sync_is_idempotent(db: None) -> None:
    first = services.templates_sync()
    again = services.templates_sync()
    assert [v.pk for v in first] == [v.pk for v in again]
    assert len(first) == len(rendering.available_kinds())


def test_floats_are_refused(courts: dict[str, Court], judge: User, fast_pdf: list[str]) -> None:
    with pytest.raises(ServiceError) as caught:
        issue(judge, courts["浙0602"], context=dict(SAMPLE_CONTEXTS["performance_notice"], amount_due=1.5))
    assert caught.value.code == "float_not_allowed"


def test_rendering_crash_leaves_nothing_and_a_retry_renders_once(
    courts: dict[str, Court],
    judge: User,
    fast_pdf: list[str],
    monkeypatch: pytest.MonkeyPatch,
    _documents_dir: Path,
) -> None:
    doc = issue(judge, courts["浙0602"])

    def boom(**kw: Any) -> None:
        raise DatabaseError("connection lost")

    monkeypatch.setattr(services, "journal_append", boom)
    with pytest.raises(DatabaseError):
        services.document_render(document_id=doc.pk)
    monkeypatch.undo()
    assert not DocumentFile.objects.exists() and not list(_documents_dir.rglob("*.pdf"))
    first = services.document_render(document_id=doc.pk)
    assert services.document_render(document_id=doc.pk) == first
    assert JournalEvent.objects.filter(kind="document.rendered").count() == 1
    with pytest.raises(ImmutableDocumentError):
        first.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        DocumentFile.objects.filter(pk=first.pk).update(size=1)  # the trigger refuses it


def test_two_renderers_at_once_leave_one_file(
    courts: dict[str, Court], judge: User, fast_pdf: list[str], _documents_dir: Path
) -> None:
    doc = issue(judge, courts["浙0602"])
    winner = services._file_record(doc, b"%PDF-1.7 first")
    loser = services._file_record(doc, b"%PDF-1.7 second, other bytes")  # lost the race on the row
    assert loser == winner and DocumentFile.objects.count() == 1
    assert [p.read_bytes() for p in _documents_dir.rglob("*.pdf")] == [b"%PDF-1.7 first"]
    assert JournalEvent.objects.filter(kind="document.rendered").count() == 1


def test_reading_before_the_worker_renders_on_demand_and_the_sweep_catches_up(
    courts: dict[str, Court], judge: User, fast_pdf: list[str]
) -> None:
    import datetime as dt

    from django.utils import timezone

    a = issue(judge, courts["浙0602"])
    b = issue(judge, courts["浙0602"])
    assert services.document_bytes(a).startswith(b"%PDF")  # a download before the worker ran
    assert DocumentFile.objects.filter(document=a).exists()
    assert not services.archive_problems()  # b is pending, not late
    later = timezone.now() + dt.timedelta(hours=2)
    assert services.documents_render_pending(issued_before=later - dt.timedelta(minutes=10)) == 1
    assert DocumentFile.objects.filter(document=b).exists()
    assert services.documents_render_pending() == 0


def test_verify_lists_a_document_left_unrendered(
    courts: dict[str, Court], judge: User, fast_pdf: list[str]
) -> None:
    import datetime as dt

    import time_machine

    doc = issue(judge, courts["浙0602"])
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)):
        problems = services.archive_problems()
    assert any(doc.number in p and "仍未生成" in p for p in problems)
