"""法律文书与送达的读操作 — scoped querysets for views and the API."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, QuerySet

from zhixing.core.models import User
from zhixing.core.scoping import scoped
from zhixing.documents.models import (
    Delivery,
    DeliveryAlert,
    Document,
    DocumentFile,
    DocumentTemplate,
    InboxMessage,
)


def document_list(*, user: User) -> QuerySet[Document]:
    return scoped(Document.objects.select_related("court", "template_version"), user)


def document_get(*, user: User, document_id: int) -> Document | None:
    return document_list(user=user).filter(pk=document_id).first()


def document_for_recipient(*, user: User, document_id: int) -> Document | None:
    """A document delivered to ``user``'s inbox (the addressee may read it whatever the court)."""
    msg = InboxMessage.objects.filter(recipient_user=user, document_id=document_id).first()
    return Document.objects.get(pk=msg.document_id) if msg is not None else None


def archive_for(*, stream: str, user: User | None = None) -> QuerySet[Document]:
    """电子卷宗：all documents of a stream in issue order (scoped when ``user`` is given)."""
    qs = Document.objects.filter(stream=stream).select_related(
        "court", "template_version", "corrects", "file"
    )
    if user is not None:
        qs = scoped(qs, user)
    return qs.order_by("issued_at", "id")


def stored_file(*, document: Document) -> DocumentFile | None:
    """The document's archived PDF, or None while the worker has not rendered it."""
    return DocumentFile.objects.filter(document=document).first()


def deliveries_of(*, document: Document) -> QuerySet[Delivery]:
    return document.deliveries.select_related("recipient_user").order_by("id")


def delivery_get(*, user: User, delivery_id: int) -> Delivery | None:
    return scoped(Delivery.objects.select_related("document", "court"), user).filter(pk=delivery_id).first()


def alerts_open(*, user: User) -> QuerySet[DeliveryAlert]:
    return scoped(
        DeliveryAlert.objects.filter(resolved_at__isnull=True).select_related(
            "delivery", "delivery__document", "court"
        ),
        user,
    )


def inbox_for(*, user: User) -> QuerySet[InboxMessage]:
    return InboxMessage.objects.filter(recipient_user=user).select_related("document", "document__court")


def template_list() -> QuerySet[DocumentTemplate]:
    return DocumentTemplate.objects.select_related("current_version").annotate(
        version_count=Count("versions")
    )


def documents_without_file(
    *, limit: int | None = None, issued_before: dt.datetime | None = None
) -> list[int]:
    """The ids of issued documents that have no file yet, oldest first."""
    pending = Document.objects.filter(file__isnull=True)
    if issued_before is not None:
        pending = pending.filter(issued_at__lt=issued_before)
    ordered = pending.order_by("id").values_list("pk", flat=True)
    return list(ordered[:limit] if limit else ordered)
