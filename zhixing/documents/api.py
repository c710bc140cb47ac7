"""文书 API (mounted by the lead with ``api.add_router("/documents", router)``).

The gateway's receipt callback authenticates with the shared secret header ``X-Gateway-Secret``
(setting ``DOCUMENTS_GATEWAY_SECRET``; when unset, callbacks are refused).
"""

from __future__ import annotations

import datetime as dt
import hmac
from typing import Any

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from ninja.security import APIKeyHeader

from zhixing.core import selectors as core_selectors
from zhixing.core.errors import NotFound
from zhixing.core.models import User
from zhixing.core.scoping import scoped
from zhixing.documents import selectors, services
from zhixing.documents.models import Delivery, Document, DocumentFile

router = Router(tags=["documents"])


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


class GatewaySecret(APIKeyHeader):
    param_name = "X-Gateway-Secret"

    def authenticate(self, request: HttpRequest, key: str | None) -> bool | None:
        secret = getattr(settings, "DOCUMENTS_GATEWAY_SECRET", "")
        if secret and key and hmac.compare_digest(str(secret), key):
            return True
        return None


class ErrorOut(Schema):
    error: dict[str, Any]


class PreviewIn(Schema):
    kind: str
    context: dict[str, Any]
    case_number: str = "（样稿）"


class RecipientIn(Schema):
    name: str
    channel: str
    party_id: int | None = None
    user_id: int | None = None
    address: str = ""
    role_label: str = ""


class IssueIn(Schema):
    kind: str
    stream: str
    case_number: str
    context: dict[str, Any]
    recipients: list[RecipientIn] = []
    corrects_id: int | None = None
    subject_label: str = ""


class DeliveryOut(Schema):
    id: int
    recipient_name: str
    channel: str
    status: str
    sent_at: dt.datetime | None
    delivered_on: dt.date | None
    tracking_number: str
    published_on: dt.date | None


class DocumentOut(Schema):
    id: int
    number: str
    kind: str
    title: str
    court_code: str
    stream: str
    case_number: str
    issued_on: dt.date
    template_version: int
    content_hash: str | None  # the PDF's SHA-256; null until the worker has rendered it
    corrects_id: int | None
    deliveries: list[DeliveryOut]


class ReceiptIn(Schema):
    gateway_message_id: str
    status: str
    delivered_at: dt.datetime
    detail: str = ""


class ReceiptOut(Schema):
    delivery_id: int
    status: str
    delivered_on: dt.date | None


def _delivery(d: Delivery) -> dict[str, Any]:
    return {
        "id": d.pk,
        "recipient_name": d.recipient_name,
        "channel": d.channel,
        "status": d.status,
        "sent_at": d.sent_at,
        "delivered_on": d.delivered_on,
        "tracking_number": d.tracking_number,
        "published_on": d.published_on,
    }


def _content_hash(doc: Document) -> str | None:
    try:
        return doc.file.content_hash
    except DocumentFile.DoesNotExist:
        return None


def _document(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.pk,
        "number": doc.number,
        "kind": doc.kind,
        "title": doc.title,
        "court_code": doc.court.court_code,
        "stream": doc.stream,
        "case_number": doc.case_number,
        "issued_on": doc.issued_on,
        "template_version": doc.template_version.number,
        "content_hash": _content_hash(doc),
        "corrects_id": doc.corrects_id,
        "deliveries": [_delivery(d) for d in doc.deliveries.order_by("id")],
    }


def _get(request: HttpRequest, document_id: int) -> Document:
    doc = selectors.document_get(user=_user(request), document_id=document_id)
    if doc is None:
        raise NotFound("文书不存在或无权查看")
    return doc


@router.post("/preview", response={200: None, 400: ErrorOut})
def preview(request: HttpRequest, data: PreviewIn) -> HttpResponse:
    """预览样稿 PDF；缺少字段时返回 400，field 指明字段名。"""
    user = _user(request)
    if user.court is None:
        raise NotFound("预览需要所属法院")
    pdf = services.document_preview(
        kind=data.kind, context=data.context, court=user.court, case_number=data.case_number
    )
    return HttpResponse(pdf, content_type="application/pdf")


@router.post("/", response={201: DocumentOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def issue(request: HttpRequest, data: IssueIn) -> Any:
    """签发文书（本人所在法院）。"""
    user = _user(request)
    if user.court is None:
        raise NotFound("签发需要所属法院")
    recipients = []
    for r in data.recipients:
        party = core_selectors.party_get(user=user, party_id=r.party_id) if r.party_id else None
        if r.party_id and party is None:
            raise NotFound("当事人不存在或无权查看")
        target = scoped(User.objects.all(), user).filter(pk=r.user_id).first() if r.user_id else None
        if r.user_id and target is None:
            raise NotFound("收件用户不存在或无权查看")
        recipients.append(
            services.Recipient(
                name=r.name,
                channel=r.channel,
                party=party,
                user=target,
                address=r.address,
                role_label=r.role_label,
            )
        )
    corrects = _get(request, data.corrects_id) if data.corrects_id else None
    doc = services.document_issue(
        actor=user,
        kind=data.kind,
        court=user.court,
        stream=data.stream,
        case_number=data.case_number,
        context=data.context,
        recipients=recipients,
        corrects=corrects,
        subject_label=data.subject_label,
    )
    return Status(201, _document(doc))


@router.get("/{document_id}", response={200: DocumentOut, 404: ErrorOut})
def get(request: HttpRequest, document_id: int) -> Any:
    return _document(_get(request, document_id))


@router.get("/{document_id}/pdf", response={200: None, 404: ErrorOut})
def download(request: HttpRequest, document_id: int) -> FileResponse:
    doc = _get(request, document_id)
    return FileResponse(
        services.document_path(doc).open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=doc.filename,
    )


@router.get("/{document_id}/deliveries", response={200: list[DeliveryOut], 404: ErrorOut})
def deliveries(request: HttpRequest, document_id: int) -> Any:
    return [_delivery(d) for d in selectors.deliveries_of(document=_get(request, document_id))]


@router.post(
    "/gateway/receipts", auth=GatewaySecret(), response={200: ReceiptOut, 400: ErrorOut, 404: ErrorOut}
)
def gateway_receipt(request: HttpRequest, data: ReceiptIn) -> Any:
    """短信/邮件网关回执（共享密钥认证；重复回执无副作用）。"""
    d = services.gateway_receipt_record(
        gateway_message_id=data.gateway_message_id,
        status=data.status,
        delivered_at=data.delivered_at,
        detail=data.detail,
    )
    return {"delivery_id": d.pk, "status": d.status, "delivered_on": d.delivered_on}
