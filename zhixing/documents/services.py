"""法律文书与送达的写操作 — the only writers of templates, documents and deliveries.

Documents are owned by a journal ``stream`` (e.g. ``case:12``) of a ``court``; this app never
imports the cases app. Each function is keyword-only, checks permission, writes in one
transaction and journals the act.

Issuing (:func:`document_issue`) validates everything first (role, fields, recipients), then in
one transaction: takes the next number of the court/year/kind counter (row lock, so numbers are
gapless), fills the template's current version with the data (the strict engine: a missing field
fails here and nothing is issued), creates the document, journals ``document.issued`` with the
SHA-256 of everything the PDF is made from (``data_hash``), creates the deliveries and queues the
rendering (a task row in the same transaction). Any failure rolls everything back: nothing
half-made remains and no number is used up.

Rendering the PDF (WeasyPrint, ≈ 0.2 s a page on one core) is work outside the transaction, as
the architecture asks: :func:`document_render` — the worker's task, or the first reader that needs
the file before the worker got to it — renders the row, stores the file under its SHA-256
(content-addressed: writing it twice writes the same file), records its :class:`DocumentFile` and
journals ``document.rendered`` with the file's hash. It is idempotent: a second run, or two
renderers at once, leave one file and one event.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from zhixing.core.errors import Conflict, NotFound, PermissionDenied, ServiceError
from zhixing.core.journal import journal_append
from zhixing.core.models import ApprovalRequest, Court, Party, User
from zhixing.core.roles import CASE_ROLES
from zhixing.core.scoping import scope_for
from zhixing.documents import rendering
from zhixing.documents.listeners import notify_delivered
from zhixing.documents.models import (
    Delivery,
    DeliveryAlert,
    Document,
    DocumentCounter,
    DocumentFile,
    DocumentTemplate,
    InboxMessage,
    TemplateVersion,
)
from zhixing.documents.rendering import MissingField, TemplateFileError, TemplateMeta
from zhixing.documents.seal import seal_svg
from zhixing.rules.calendar import CalendarUnknownYear
from zhixing.rules.delivery import deemed_delivery_date
from zhixing.rules.params import NoValueInForce, param_entry

HASH_ALGORITHM = "sha256"
DEFAULT_ALERT_AFTER_DAYS = {"electronic": 3, "postal": 15, "in_person": 10}


@dataclass(frozen=True)
class Recipient:
    """受送达人：who receives a document, by which channel, at which address."""

    name: str
    channel: str
    party: Party | None = None
    user: User | None = None
    address: str = ""  # postal address, mobile number or e-mail (electronic without a platform user)
    role_label: str = ""  # 申请执行人 / 被执行人 / 协助执行单位 …


# --- storage --------------------------------------------------------------------------------
def documents_dir() -> Path:
    return Path(getattr(settings, "DOCUMENTS_DIR", None) or Path(settings.VAR_DIR) / "documents")


def _storage_name(digest: str, suffix: str = ".pdf") -> str:
    return f"{digest[:2]}/{digest[2:4]}/{digest}{suffix}"


def store_bytes(data: bytes, *, suffix: str = ".pdf") -> tuple[str, str, bool]:
    """Write ``data`` under its SHA-256 (temp file + atomic rename). Returns (name, digest, created)."""
    digest = hashlib.sha256(data).hexdigest()
    name = _storage_name(digest, suffix)
    path = documents_dir() / name
    if path.exists():
        return name, digest, False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return name, digest, True


def document_path(document: Document) -> Path:
    """The archived PDF's path (rendered now if the worker has not rendered it yet)."""
    return documents_dir() / document_file(document=document).storage_name


def document_bytes(document: Document) -> bytes:
    return document_path(document).read_bytes()


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


RENDER_OVERDUE = dt.timedelta(hours=1)


def archive_problems() -> list[str]:
    """zhixing verify：每份归档文书的文件存在且与生成时的摘要一致；签发超过一小时仍未生成的文书也列出。"""
    problems = []
    rows = DocumentFile.objects.order_by("document_id").values_list(
        "document_id", "document__number", "storage_name", "content_hash"
    )
    base = documents_dir()
    for pk, number, name, digest in rows.iterator(chunk_size=2000):
        path = base / name
        if not path.is_file():
            problems.append(f"文书 {number}（id={pk}）：归档文件缺失（{name}）")
        elif file_digest(path) != digest:
            problems.append(f"文书 {number}（id={pk}）：归档文件内容与生成时的摘要不符（文件被改动）")
    late = Document.objects.filter(file__isnull=True, issued_at__lt=timezone.now() - RENDER_OVERDUE)
    for pk, number in late.order_by("id").values_list("id", "number")[:100]:
        problems.append(f"文书 {number}（id={pk}）：签发已超过一小时，文件仍未生成（检查后台任务）")
    return problems


# --- templates ------------------------------------------------------------------------------
def template_sync(kind: str) -> TemplateVersion:
    """载入模板文件：a new version only when the file (or the layout) changed. Idempotent."""
    try:
        source, layout = rendering.read_files(kind)
        meta, _body = rendering.split_source(kind, source)
    except TemplateFileError as e:
        raise ServiceError(str(e), code="template_error", field="kind") from e
    digest = rendering.source_hash(source, layout)
    tpl0 = DocumentTemplate.objects.select_related("current_version").filter(kind=kind).first()
    current = tpl0.current_version if tpl0 is not None else None
    if current is not None and current.content_hash == digest:
        return current
    with transaction.atomic():
        try:
            with transaction.atomic():
                DocumentTemplate.objects.get_or_create(kind=kind, defaults={"title": meta.label})
        except IntegrityError:
            pass
        tpl = DocumentTemplate.objects.select_for_update().get(kind=kind)
        cur = tpl.current_version
        if cur is not None and cur.content_hash == digest:
            return cur
        last = tpl.versions.aggregate(n=Max("number"))["n"] or 0
        version = TemplateVersion.objects.create(
            template=tpl,
            number=last + 1,
            source=source,
            layout_source=layout,
            meta=meta.as_dict(),
            content_hash=digest,
        )
        tpl.current_version = version
        tpl.title = meta.label
        tpl.save(update_fields=["current_version", "title"])
    return version


def templates_sync() -> list[TemplateVersion]:
    """载入全部模板文件（migrate/demo 时调用，或 `manage.py documents_templates_sync`）。"""
    return [template_sync(kind) for kind in rendering.available_kinds()]


def _meta(version: TemplateVersion) -> TemplateMeta:
    return TemplateMeta.from_dict(version.meta)


# --- context --------------------------------------------------------------------------------
def _jsonable(value: Any, path: str) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        raise ServiceError(
            f"字段「{path}」不能是浮点数（金额请用 Decimal）", code="float_not_allowed", field=path
        )
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v, f"{path}.{k}") for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v, path) for v in value]
    raise ServiceError(f"字段「{path}」的值无法记录：{type(value).__name__}", code="bad_field", field=path)


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _prepare_context(meta: TemplateMeta, context: dict[str, Any], *, on: dt.date) -> dict[str, Any]:
    """Required fields present and non-blank; optional ones default to ""; values JSON-exact;
    codes among the template's ``choices`` and numbers within its ``limits`` (on the issue date)."""
    for name in meta.required:
        if name not in context or _blank(context[name]):
            raise ServiceError(
                f"{meta.label}缺少必填字段「{name}」", code="missing_field", field=name, kind=meta.kind
            )
    data = {str(k): _jsonable(v, str(k)) for k, v in context.items() if k not in rendering.SYSTEM_FIELDS}
    for name in meta.optional:
        data.setdefault(name, "")
    _check_choices(meta, data)
    _check_limits(meta, data, on=on)
    return data


def _check_choices(meta: TemplateMeta, data: dict[str, Any]) -> None:
    for name, allowed in meta.choices.items():
        value = data.get(name)
        if not _blank(value) and value not in allowed:
            raise ServiceError(
                f"{meta.label}字段「{name}」的值「{value}」无效，应为：{'、'.join(allowed)}",
                code="bad_choice",
                field=name,
                kind=meta.kind,
            )


def _bound(meta: TemplateMeta, lim: dict[str, Any], key: str, on: dt.date) -> tuple[Decimal, str] | None:
    """The bound ``min``/``max`` of a limit: a literal, or a legal parameter in force on ``on``."""
    if key in lim:
        return Decimal(str(lim[key])), ""
    name = lim.get(f"{key}_param")
    if not name:
        return None
    try:
        entry = param_entry(name, on=on)
    except NoValueInForce as e:
        raise ServiceError(str(e), code="no_value_in_force", field=str(lim["field"]), kind=meta.kind) from e
    return Decimal(str(entry.value)), f"（《{entry.citation.law}》{entry.citation.article}）"


def _check_limits(meta: TemplateMeta, data: dict[str, Any], *, on: dt.date) -> None:
    for lim in meta.limits:
        name = str(lim["field"])
        value = data.get(name)
        when = lim.get("when") or {}
        if _blank(value) or any(
            data.get(k) not in (v if isinstance(v, list) else [v]) for k, v in when.items()
        ):
            continue
        try:
            if isinstance(value, bool):
                raise InvalidOperation
            number = Decimal(str(value))
            if not number.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            raise ServiceError(
                f"{meta.label}字段「{name}」应为数字", code="bad_field", field=name, kind=meta.kind
            ) from None
        if lim.get("integer") and number != number.to_integral_value():
            raise ServiceError(
                f"{meta.label}字段「{name}」应为整数", code="bad_field", field=name, kind=meta.kind
            )
        low = _bound(meta, lim, "min", on)
        high = _bound(meta, lim, "max", on)
        if low is not None and number < low[0]:
            raise ServiceError(
                f"{meta.label}字段「{name}」不得低于{low[0]}{low[1]}",
                code="out_of_range",
                field=name,
                kind=meta.kind,
            )
        if high is not None and number > high[0]:
            raise ServiceError(
                f"{meta.label}字段「{name}」不得超过{high[0]}{high[1]}",
                code="out_of_range",
                field=name,
                kind=meta.kind,
            )


def _citation_text(c: dict[str, Any]) -> str:
    law = str(c["law"])
    if law in {"民事诉讼法", "民法典", "刑法", "企业破产法"}:
        law = f"中华人民共和国{law}"
    law = law.replace("《", "〈").replace("》", "〉")
    return f"《{law}》{c.get('article', '')}"


def _render_html(
    version: TemplateVersion,
    data: dict[str, Any],
    *,
    court: Court,
    case_number: str,
    document_number: str,
    issued_on: dt.date,
    subject_label: str = "",
    corrects_number: str = "",
    preview: bool = False,
) -> str:
    meta = _meta(version)
    try:
        _meta_body = rendering.split_source(meta.kind, version.source)[1]
        tpl = rendering.compiled(version.content_hash, _meta_body, version.layout_source)
        html = rendering.render_html(
            tpl,
            {
                **data,
                "court_name": court.name,
                "case_number": case_number,
                "document_number": document_number,
                "title": meta.title,
                "issued_on": issued_on,
                "citations": [_citation_text(c) for c in meta.citations],
                "seal_svg": rendering.safe(seal_svg(court.name, meta.seal_purpose)),
                "corrects_number": corrects_number,
                "subject_label": subject_label,
                "preview": preview,
            },
        )
    except MissingField as e:
        field = e.name.split(".")[0]
        raise ServiceError(
            f"{meta.label}模板引用了未提供的字段「{e.name}」",
            code="missing_field",
            field=field,
            kind=meta.kind,
        ) from e
    except TemplateFileError as e:
        raise ServiceError(str(e), code="template_error", field="kind") from e
    return html


def document_preview(
    *,
    kind: str,
    context: dict[str, Any],
    court: Court,
    case_number: str = "（样稿）",
    on: dt.date | None = None,
) -> bytes:
    """预览（样稿 PDF）：the current template with this context; nothing is numbered or stored.

    Fails with ``ServiceError(code="missing_field", field=<name>)`` naming a missing field.
    """
    version = template_sync(kind)
    issued_on = on or timezone.localdate()
    data = _prepare_context(_meta(version), context, on=issued_on)
    html = _render_html(
        version,
        data,
        court=court,
        case_number=case_number,
        document_number="（样稿，未编号）",
        issued_on=issued_on,
        preview=True,
    )
    return rendering.html_to_pdf(html)


# --- issuing --------------------------------------------------------------------------------
def format_number(*, court: Court, year: int, code: str, seq: int) -> str:
    """文书编号：（2026）浙0602执通字第123号 — per court, year and kind."""
    return f"（{year}）{court.court_code}执{code}字第{seq}号"


def _next_seq(court: Court, year: int, kind: str) -> int:
    """Advance the counter under a row lock (inside the issuing transaction: gapless)."""
    try:
        with transaction.atomic():
            DocumentCounter.objects.get_or_create(court=court, year=year, kind=kind)
    except IntegrityError:
        pass
    counter = DocumentCounter.objects.select_for_update().get(court=court, year=year, kind=kind)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _check_issuer(
    *,
    actor: User,
    court: Court,
    stream: str,
    meta: TemplateMeta,
    context: dict[str, Any],
    approval: ApprovalRequest | None,
) -> None:
    if not actor.is_active or actor.court_id != court.pk:
        raise PermissionDenied(f"只有{court.name}的工作人员可以签发本院文书", code="other_court")
    if actor.role not in meta.issuing_roles:
        from zhixing.core.roles import Role

        allowed = "、".join(str(Role(r).label) for r in meta.issuing_roles)
        raise PermissionDenied(f"{meta.label}应由{allowed}签发", code="issuer_role")
    if meta.approval_role and not (meta.approval_waived_by and context.get(meta.approval_waived_by)):
        ok = (
            approval is not None
            and approval.status == ApprovalRequest.Status.APPROVED
            and approval.approver_role == meta.approval_role
            and approval.court_id == court.pk
            and approval.stream == stream
        )
        if not ok:
            raise PermissionDenied(
                f"{meta.label}须经审批（或申请执行人书面同意）后签发",
                code="approval_required",
                field="approval",
            )


def _check_recipients(recipients: Iterable[Recipient]) -> None:
    for r in recipients:
        if not r.name:
            raise ServiceError("受送达人姓名/名称不能为空", code="bad_recipient", field="recipients")
        if r.channel not in Delivery.Channel.values:
            raise ServiceError(f"未知的送达方式「{r.channel}」", code="bad_channel", field="recipients")
        if r.channel == Delivery.Channel.ELECTRONIC and r.user is None and not r.address:
            raise ServiceError(
                f"电子送达须有受送达人的平台账号、手机号或电子邮箱：{r.name}",
                code="no_address",
                field="recipients",
            )
        if r.channel == Delivery.Channel.POSTAL and not r.address:
            raise ServiceError(f"邮寄送达须有送达地址：{r.name}", code="no_address", field="recipients")


def _render_inputs(doc: Document) -> dict[str, Any]:
    """Everything a document's PDF is made from, as stored on its row (hashed into the journal)."""
    return {
        "template_hash": doc.template_version.content_hash,
        "court": doc.court.name,
        "case_number": doc.case_number,
        "number": doc.number,
        "issued_on": doc.issued_on.isoformat(),
        "subject_label": doc.subject_label,
        "corrects": doc.corrects.number if doc.corrects else "",
        "data": doc.context,
    }


def document_data_hash(document: Document) -> str:
    """SHA-256 of the document's rendering inputs (canonical JSON): journaled when it is issued."""
    import json

    canonical = json.dumps(
        _render_inputs(document), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _document_html(doc: Document) -> str:
    return _render_html(
        doc.template_version,
        doc.context,
        court=doc.court,
        case_number=doc.case_number,
        document_number=doc.number,
        issued_on=doc.issued_on,
        subject_label=doc.subject_label,
        corrects_number=doc.corrects.number if doc.corrects else "",
    )


def _numbered(
    *,
    actor: User,
    court: Court,
    stream: str,
    case_number: str,
    version: TemplateVersion,
    meta: TemplateMeta,
    issued_on: dt.date,
    context: dict[str, Any],
    subject_label: str = "",
    corrects: Document | None = None,
) -> Document:
    """A new, unsaved document with the next number (inside the caller's transaction: gapless)."""
    seq = _next_seq(court, issued_on.year, meta.kind)
    return Document(
        court=court,
        stream=stream,
        case_number=case_number,
        subject_label=subject_label,
        kind=meta.kind,
        title=meta.title,
        template_version=version,
        year=issued_on.year,
        seq=seq,
        number=format_number(court=court, year=issued_on.year, code=meta.number_code, seq=seq),
        issued_on=issued_on,
        issued_by=actor,
        context=context,
        citations=list(meta.citations),
        corrects=corrects,
    )


def _journal_issued(doc: Document, actor: User, **extra: Any) -> None:
    journal_append(
        stream=doc.stream,
        kind="document.issued",
        actor=actor,
        court=doc.court,
        payload={
            "document_id": doc.pk,
            "number": doc.number,
            "kind": doc.kind,
            "template_version": doc.template_version.number,
            "data_hash": document_data_hash(doc),
            "hash_algorithm": HASH_ALGORITHM,
            "issued_on": doc.issued_on,
            "citations": doc.citations,
            **extra,
        },
    )


def document_issue(
    *,
    actor: User,
    kind: str,
    court: Court,
    stream: str,
    case_number: str,
    context: dict[str, Any],
    recipients: list[Recipient],
    corrects: Document | None = None,
    on: dt.date | None = None,
    subject_label: str = "",
    approval: ApprovalRequest | None = None,
) -> Document:
    """签发文书：number, fill, journal, create its deliveries and queue its PDF — all or nothing."""
    from zhixing.documents.tasks import document_render_task

    version = template_sync(kind)
    meta = _meta(version)
    _check_issuer(actor=actor, court=court, stream=stream, meta=meta, context=context, approval=approval)
    _check_recipients(recipients)
    if corrects is not None:
        if corrects.stream != stream or corrects.court_id != court.pk or corrects.kind != kind:
            raise ServiceError(
                "更正文书须与原文书同案、同院、同种类", code="bad_correction", field="corrects"
            )
        if corrects.corrections.exists():
            raise Conflict("该文书已被更正，请更正最新的文书", code="already_corrected", field="corrects")
    issued_on = on or timezone.localdate()
    data = _prepare_context(meta, context, on=issued_on)
    with transaction.atomic():
        doc = _numbered(
            actor=actor,
            court=court,
            stream=stream,
            case_number=case_number,
            version=version,
            meta=meta,
            issued_on=issued_on,
            context=data,
            subject_label=subject_label,
            corrects=corrects,
        )
        _document_html(doc)  # the strict engine: a field the template needs and the data lack fails here
        doc.save()
        _journal_issued(
            doc,
            actor,
            title=meta.label,
            case_number=case_number,
            template_hash=version.content_hash,
            corrects=corrects.number if corrects else None,
            recipients=[{"name": r.name, "channel": r.channel} for r in recipients],
        )
        for r in recipients:
            _delivery_create(doc, r)
        document_render_task.enqueue(doc.pk)
    return doc


def _file_record(doc: Document, pdf: bytes) -> DocumentFile:
    """Store ``pdf`` as ``doc``'s file and journal it; the first writer wins (the row is the guard)."""
    name, digest, created = store_bytes(pdf)
    try:
        with transaction.atomic():
            row = DocumentFile.objects.create(
                document=doc, content_hash=digest, size=len(pdf), storage_name=name
            )
            journal_append(
                stream=doc.stream,
                kind="document.rendered",
                actor=None,
                court=doc.court,
                payload={
                    "document_id": doc.pk,
                    "number": doc.number,
                    "content_hash": digest,
                    "hash_algorithm": HASH_ALGORITHM,
                    "size": len(pdf),
                },
            )
    except IntegrityError:
        row = DocumentFile.objects.get(document=doc)
        if created and row.storage_name != name:
            (documents_dir() / name).unlink(missing_ok=True)  # another renderer won with other bytes
    except BaseException:
        if created:
            (documents_dir() / name).unlink(missing_ok=True)
        raise
    return row


def _issued(document_id: int) -> Document:
    return Document.objects.select_related("court", "template_version", "corrects").get(pk=document_id)


def document_html(*, document_id: int) -> str:
    """The filled template of an issued document: what its PDF is made from (for renderers that run
    ``rendering.html_to_pdf`` in other processes and hand the bytes back to :func:`document_render`)."""
    return _document_html(_issued(document_id))


def document_render(*, document_id: int, pdf: bytes | None = None) -> DocumentFile:
    """生成文书文件：render an issued document's PDF outside any act's transaction. Idempotent.

    Called by the worker's ``document_render_task`` (queued when the document was issued) and by
    :func:`document_file` when a reader needs the file first. The PDF is made from the row alone
    (template version, data, number, date), so it does not matter which of them runs. ``pdf``: the
    bytes a renderer process made from :func:`document_html` (the simulation's render pool).
    """
    existing = DocumentFile.objects.filter(document_id=document_id).first()
    if existing is not None:
        return existing
    doc = _issued(document_id)
    if pdf is None:
        pdf = rendering.html_to_pdf(_document_html(doc))
    return _file_record(doc, pdf)


def document_file(*, document: Document) -> DocumentFile:
    """The document's archived file — rendered now if the worker has not done it yet."""
    try:
        return document.file
    except DocumentFile.DoesNotExist:
        return document_render(document_id=document.pk)


def documents_render_pending(*, limit: int | None = None, issued_before: dt.datetime | None = None) -> int:
    """Render the issued documents that have no file yet (oldest first); returns how many."""
    from zhixing.documents.selectors import documents_without_file

    ids = documents_without_file(limit=limit, issued_before=issued_before)
    for pk in ids:
        document_render(document_id=pk)
    return len(ids)


def store_issued_document(
    *,
    actor: User,
    kind: str,
    court: Court,
    stream: str,
    case_number: str,
    pdf: bytes,
    context: dict[str, Any] | None = None,
    on: dt.date | None = None,
) -> Document:
    """Archive already rendered bytes as an issued document (imports, tests and benchmarks).

    Same numbering, storage and journal as :func:`document_issue` and :func:`document_render`,
    without rendering and without deliveries; the issuing role is checked the same way.
    """
    version = template_sync(kind)
    meta = _meta(version)
    _check_issuer(actor=actor, court=court, stream=stream, meta=meta, context=context or {}, approval=None)
    issued_on = on or timezone.localdate()
    with transaction.atomic():
        doc = _numbered(
            actor=actor,
            court=court,
            stream=stream,
            case_number=case_number,
            version=version,
            meta=meta,
            issued_on=issued_on,
            context=_jsonable(context or {}, "context"),
        )
        doc.save()
        _journal_issued(doc, actor, imported=True)
        _file_record(doc, pdf)
    return doc


# --- deliveries -----------------------------------------------------------------------------
def _delivery_create(doc: Document, r: Recipient) -> Delivery:
    delivery = Delivery.objects.create(
        document=doc,
        court=doc.court,
        recipient_name=r.name,
        recipient_role=r.role_label,
        recipient_party=r.party,
        recipient_user=r.user,
        address=r.address,
        channel=r.channel,
    )
    if r.channel == Delivery.Channel.ELECTRONIC:
        from zhixing.documents.tasks import delivery_dispatch_task

        delivery_dispatch_task.enqueue(delivery.pk)
    return delivery


def _check_actor(actor: User, delivery: Delivery) -> None:
    if actor.role not in CASE_ROLES or not scope_for(actor).allows_court(delivery.court_id):
        raise PermissionDenied("无权办理该文书的送达", code="forbidden")


def _journal(delivery: Delivery, kind: str, actor: User | None, **payload: Any) -> None:
    journal_append(
        stream=delivery.document.stream,
        kind=kind,
        actor=actor,
        court=delivery.court,
        payload={
            "delivery_id": delivery.pk,
            "document_id": delivery.document_id,
            "number": delivery.document.number,
            "recipient": delivery.recipient_name,
            "channel": delivery.channel,
            **payload,
        },
    )


def _deemed(channel: str, event_on: dt.date) -> Any:
    try:
        return deemed_delivery_date(channel, event_on=event_on)
    except (CalendarUnknownYear, NoValueInForce) as e:
        raise ServiceError(str(e), code="calendar_unknown") from e


def _lock(delivery: Delivery | int) -> Delivery:
    pk = delivery if isinstance(delivery, int) else delivery.pk
    try:
        return Delivery.objects.select_for_update().select_related("document", "court").get(pk=pk)
    except Delivery.DoesNotExist as e:
        raise NotFound("送达记录不存在") from e


def _raise_alert(delivery: Delivery, reason: str) -> None:
    if not DeliveryAlert.objects.filter(delivery=delivery, reason=reason, resolved_at__isnull=True).exists():
        DeliveryAlert.objects.create(delivery=delivery, court=delivery.court, reason=reason)


def _mark_delivered(
    d: Delivery, *, event_on: dt.date, actor: User | None, receipt: str, at: dt.datetime | None = None
) -> Delivery:
    """Inside a transaction with ``d`` locked: status, deemed date, journal, alerts, listeners."""
    rule = _deemed(d.channel, event_on)
    d.status = Delivery.Status.DELIVERED
    d.delivered_on = rule.value
    d.delivered_at = at or timezone.now()
    d.citations = rule.as_dict()
    if receipt:
        d.receipt = receipt
    d.save()
    DeliveryAlert.objects.filter(
        delivery__document_id=d.document_id,
        delivery__recipient_name=d.recipient_name,
        resolved_at__isnull=True,
    ).update(resolved_at=timezone.now())
    _journal(
        d,
        "delivery.delivered",
        actor,
        delivered_on=rule.value,
        event_on=event_on,
        citations=[c.as_dict() for c in rule.citations],
    )
    notify_delivered(d)
    return d


def delivery_dispatch(*, delivery_id: int) -> Delivery:
    """发送电子送达（由后台任务调用；at least once → idempotent by delivery id）.

    A recipient with a platform account gets the document in the platform inbox: storing it is
    the arrival in the recipient's system, so it is delivered that day (CPL Art. 90); an SMS/
    e-mail notice goes out as well when an address is known. A recipient known only by mobile
    number or e-mail gets the notice through the gateway and is delivered on the gateway's
    delivery receipt.
    """
    from zhixing.documents.gateway import (
        GatewayMessage,
        SimulatorGateway,
        get_gateway,
        simulator_post_due_receipts,
    )

    document_id = Delivery.objects.filter(pk=delivery_id).values_list("document_id", flat=True).first()
    if document_id is not None:
        document_render(document_id=document_id)  # the recipient gets the file, not a promise of it
    with transaction.atomic():
        d = _lock(delivery_id)
        if d.channel != Delivery.Channel.ELECTRONIC or d.status not in (
            Delivery.Status.PENDING,
            Delivery.Status.SENT,
        ):
            return d
        if d.status == Delivery.Status.SENT and d.gateway_message_id:
            return d
        d.attempts += 1
        d.save(update_fields=["attempts"])
        if d.recipient_user_id is not None:
            now = timezone.now()
            InboxMessage.objects.get_or_create(
                delivery=d, defaults={"recipient_user_id": d.recipient_user_id, "document": d.document}
            )
            d.sent_at = d.sent_at or now
            _mark_delivered(d, event_on=timezone.localdate(now), actor=None, receipt="平台收件箱到达", at=now)
    if not d.address or d.gateway_message_id:
        return d
    gateway = get_gateway()
    doc = d.document
    text = (
        f"【{doc.court.short_name}法院】{d.recipient_name}：本院向您送达{doc.title}（{doc.number}），"
        "请登录智执平台查看。"
    )
    gid = gateway.send(GatewayMessage(to=d.address, text=text, idempotency_key=f"delivery-{d.pk}"))
    with transaction.atomic():
        d = _lock(d.pk)
        if not d.gateway_message_id:
            d.gateway_message_id = gid
            if d.status == Delivery.Status.PENDING:
                d.status = Delivery.Status.SENT
                d.sent_at = timezone.now()
            d.save()
            _journal(d, "delivery.sent", None, gateway_message_id=gid)
    if isinstance(gateway, SimulatorGateway):
        simulator_post_due_receipts()
    return d


def gateway_receipt_record(
    *, gateway_message_id: str, status: str, delivered_at: dt.datetime, detail: str = ""
) -> Delivery:
    """网关回执：the message reached (or could not reach) the recipient's system. Idempotent."""
    if status not in ("delivered", "failed"):
        raise ServiceError("回执状态应为 delivered 或 failed", code="bad_status", field="status")
    with transaction.atomic():
        row = (
            Delivery.objects.filter(gateway_message_id=gateway_message_id)
            .values_list("pk", flat=True)
            .first()
        )
        if row is None:
            raise NotFound("没有该网关消息号的送达记录", code="unknown_message")
        d = _lock(row)
        if d.status == Delivery.Status.DELIVERED:
            return d
        if status == "delivered":
            return _mark_delivered(
                d,
                event_on=timezone.localdate(delivered_at),
                actor=None,
                receipt=f"网关回执 {gateway_message_id} {detail}".strip(),
                at=delivered_at,
            )
        if d.status != Delivery.Status.FAILED:
            d.status = Delivery.Status.FAILED
            d.last_error = (detail or "网关报告无法送达")[:255]
            d.save()
            _raise_alert(d, DeliveryAlert.Reason.FAILED)
            _journal(d, "delivery.failed", None, gateway_message_id=gateway_message_id, detail=detail)
        return d


def delivery_send(
    *,
    actor: User,
    delivery: Delivery,
    tracking_number: str = "",
    published_on: dt.date | None = None,
    on: dt.date | None = None,
) -> Delivery:
    """发出送达：邮寄（邮件单号）、直接送达（交付）、公告（公告日期）；电子送达则重新排队发送。"""
    _check_actor(actor, delivery)
    today = on or timezone.localdate()
    with transaction.atomic():
        d = _lock(delivery)
        if d.status not in (Delivery.Status.PENDING, Delivery.Status.FAILED):
            raise Conflict(f"该送达已是「{d.get_status_display()}」状态", code="bad_status")
        if d.channel == Delivery.Channel.ELECTRONIC:
            from zhixing.documents.tasks import delivery_dispatch_task

            d.status = Delivery.Status.PENDING
            d.gateway_message_id = ""
            d.save()
            delivery_dispatch_task.enqueue(d.pk)
            return d
        if d.channel == Delivery.Channel.POSTAL:
            if not tracking_number.strip():
                raise ServiceError("邮寄送达须填写邮件单号", code="missing_field", field="tracking_number")
            d.tracking_number = tracking_number.strip()
        if d.channel == Delivery.Channel.BY_ANNOUNCEMENT:
            if published_on is None:
                raise ServiceError("公告送达须填写公告日期", code="missing_field", field="published_on")
            if published_on > today:
                raise ServiceError("公告日期不能晚于今天", code="future_date", field="published_on")
            rule = _deemed(d.channel, published_on)
            d.published_on = published_on
            d.delivered_on = rule.value
            d.citations = rule.as_dict()
        d.status = Delivery.Status.SENT
        d.sent_at = timezone.now()
        d.attempts += 1
        d.save()
        _journal(
            d,
            "delivery.published" if d.channel == Delivery.Channel.BY_ANNOUNCEMENT else "delivery.sent",
            actor,
            tracking_number=d.tracking_number,
            published_on=d.published_on,
            deemed_on=d.delivered_on if d.channel == Delivery.Channel.BY_ANNOUNCEMENT else None,
        )
        if d.channel == Delivery.Channel.BY_ANNOUNCEMENT and d.delivered_on and d.delivered_on <= today:
            assert d.published_on is not None
            _mark_delivered(d, event_on=d.published_on, actor=actor, receipt="公告期满")
    return d


def delivery_record_receipt(
    *,
    actor: User,
    delivery: Delivery,
    received_on: dt.date,
    receipt: str = "",
    receipt_file: bytes | None = None,
    on: dt.date | None = None,
) -> Delivery:
    """登记送达回证：邮寄送达的回执收件日期、直接送达的签收日期。"""
    _check_actor(actor, delivery)
    today = on or timezone.localdate()
    with transaction.atomic():
        d = _lock(delivery)
        if d.channel not in (Delivery.Channel.POSTAL, Delivery.Channel.IN_PERSON):
            raise ServiceError("只有邮寄送达和直接送达登记送达回证", code="bad_channel", field="channel")
        if d.status == Delivery.Status.DELIVERED:
            raise Conflict("该送达已完成", code="already_delivered")
        if d.channel == Delivery.Channel.POSTAL and d.status != Delivery.Status.SENT:
            raise Conflict("邮件尚未寄出或已退回，不能登记回执", code="bad_status")
        if received_on > today:
            raise ServiceError("签收日期不能晚于今天", code="future_date", field="received_on")
        if received_on < d.document.issued_on:
            raise ServiceError("签收日期不能早于文书签发日期", code="before_issue", field="received_on")
        if receipt_file:
            _name, d.receipt_hash, _created = store_bytes(receipt_file, suffix=".receipt")
        if d.sent_at is None:
            d.sent_at = timezone.now()
        _mark_delivered(d, event_on=received_on, actor=actor, receipt=receipt or "送达回证")
    return d


def delivery_mark_returned(*, actor: User, delivery: Delivery, reason: str) -> Delivery:
    """邮件退回：raises an alert; deliver again by another channel (e.g. announcement)."""
    _check_actor(actor, delivery)
    with transaction.atomic():
        d = _lock(delivery)
        if d.channel != Delivery.Channel.POSTAL or d.status != Delivery.Status.SENT:
            raise Conflict("只有已寄出的邮寄送达可以登记退回", code="bad_status")
        d.status = Delivery.Status.RETURNED
        d.last_error = reason[:255]
        d.save()
        _raise_alert(d, DeliveryAlert.Reason.RETURNED)
        _journal(d, "delivery.returned", actor, reason=reason)
    return d


def delivery_add(*, actor: User, document: Document, recipient: Recipient) -> Delivery:
    """补充送达：another delivery of an issued document (other recipient or channel)."""
    if actor.role not in CASE_ROLES or not scope_for(actor).allows_court(document.court_id):
        raise PermissionDenied("无权办理该文书的送达")
    _check_recipients([recipient])
    with transaction.atomic():
        d = _delivery_create(document, recipient)
        _journal(d, "delivery.added", actor)
    return d


def delivery_mature_announcements(*, on: dt.date | None = None) -> int:
    """公告期满：announcements whose deemed date has come become delivered."""
    today = on or timezone.localdate()
    ids = list(
        Delivery.objects.filter(
            channel=Delivery.Channel.BY_ANNOUNCEMENT, status=Delivery.Status.SENT, delivered_on__lte=today
        ).values_list("pk", flat=True)
    )
    for pk in ids:
        with transaction.atomic():
            d = _lock(pk)
            if d.status == Delivery.Status.SENT and d.published_on is not None:
                _mark_delivered(d, event_on=d.published_on, actor=None, receipt="公告期满")
    return len(ids)


def delivery_alert_sweep(*, now: dt.datetime | None = None) -> int:
    """未送达预警：overdue pending/sent deliveries, failed and returned ones. Returns alerts raised."""
    now = now or timezone.now()
    limits = {**DEFAULT_ALERT_AFTER_DAYS, **getattr(settings, "DOCUMENTS_ALERT_AFTER_DAYS", {})}
    raised = 0
    overdue = Q()
    for channel, days in limits.items():
        overdue |= Q(channel=channel, created_at__lt=now - dt.timedelta(days=days))
    candidates: list[tuple[int, DeliveryAlert.Reason]] = [
        (pk, DeliveryAlert.Reason.OVERDUE)
        for pk in Delivery.objects.filter(overdue, status__in=[Delivery.Status.PENDING, Delivery.Status.SENT])
        .exclude(alerts__reason=DeliveryAlert.Reason.OVERDUE, alerts__resolved_at__isnull=True)
        .values_list("pk", flat=True)
    ]
    for status, reason in (
        (Delivery.Status.FAILED, DeliveryAlert.Reason.FAILED),
        (Delivery.Status.RETURNED, DeliveryAlert.Reason.RETURNED),
    ):
        candidates += [
            (pk, reason)
            for pk in Delivery.objects.filter(status=status)
            .exclude(alerts__reason=reason)
            .values_list("pk", flat=True)
        ]
    for pk, reason in candidates:
        with transaction.atomic():
            d = _lock(pk)
            if not DeliveryAlert.objects.filter(delivery=d, reason=reason, resolved_at__isnull=True).exists():
                DeliveryAlert.objects.create(delivery=d, court=d.court, reason=reason, raised_at=now)
                raised += 1
    return raised


def inbox_mark_read(*, user: User, message: InboxMessage) -> InboxMessage:
    if message.recipient_user_id != user.pk:
        raise NotFound()
    if message.read_at is None:
        InboxMessage.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=timezone.now())
        message.refresh_from_db()
    return message
