"""文书界面 — thin views: parse, one service or selector, render. Reads are scoped (404 outside)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhixing.core.errors import ServiceError
from zhixing.core.models import User
from zhixing.documents import selectors, services
from zhixing.documents.archive import archive_zip_chunks
from zhixing.documents.forms import PreviewForm, ReceiptForm, ReturnForm, SendForm
from zhixing.documents.models import Delivery, Document, TemplateVersion
from zhixing.documents.samples import SAMPLE_CONTEXTS


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _document(request: HttpRequest, document_id: int) -> Document:
    doc = selectors.document_get(user=_user(request), document_id=document_id)
    if doc is None:
        raise Http404(_("文书不存在或无权查看"))
    return doc


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    services.templates_sync()
    return render(request, "documents/template_list.html", {"templates": selectors.template_list()})


@login_required
@require_http_methods(["GET", "POST"])
def template_detail(request: HttpRequest, kind: str) -> HttpResponse:
    user = _user(request)
    try:
        version = services.template_sync(kind)
    except ServiceError as e:
        raise Http404(e.message) from e
    initial = json.dumps(SAMPLE_CONTEXTS.get(kind, {}), ensure_ascii=False, indent=2)
    form = PreviewForm(request.POST or None, initial={"context": initial})
    if request.method == "POST" and form.is_valid():
        if user.court is None:
            form.add_error(None, _("预览需要所属法院"))
        else:
            try:
                pdf = services.document_preview(
                    kind=kind, context=form.cleaned_data["context"], court=user.court
                )
            except ServiceError as e:
                form.add_error(None, e.message)
            else:
                response = HttpResponse(pdf, content_type="application/pdf")
                response["Content-Disposition"] = f'inline; filename="preview-{kind}.pdf"'
                return response
    versions = TemplateVersion.objects.filter(template__kind=kind).order_by("-number")
    return render(
        request, "documents/template_detail.html", {"version": version, "versions": versions, "form": form}
    )


@login_required
def document_detail(request: HttpRequest, document_id: int) -> HttpResponse:
    doc = _document(request, document_id)
    return render(
        request,
        "documents/document_detail.html",
        {
            "doc": doc,
            "stored": selectors.stored_file(document=doc),
            "deliveries": selectors.deliveries_of(document=doc),
            "corrections": doc.corrections.all(),
            "receipt_form": ReceiptForm(),
            "send_form": SendForm(),
            "return_form": ReturnForm(),
        },
    )


def _pdf_response(doc: Document) -> FileResponse:
    return FileResponse(
        services.document_path(doc).open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=doc.filename,
    )


@login_required
def document_download(request: HttpRequest, document_id: int) -> FileResponse:
    return _pdf_response(_document(request, document_id))


def _delivery(request: HttpRequest, delivery_id: int) -> Delivery:
    d = selectors.delivery_get(user=_user(request), delivery_id=delivery_id)
    if d is None:
        raise Http404(_("送达记录不存在或无权查看"))
    return d


@login_required
@require_POST
def delivery_action(request: HttpRequest, delivery_id: int, action: str) -> HttpResponse:
    user = _user(request)
    d = _delivery(request, delivery_id)
    try:
        if action == "receipt":
            form = ReceiptForm(request.POST)
            if not form.is_valid():
                raise ServiceError(_("请填写签收日期"), code="invalid", field="received_on")
            services.delivery_record_receipt(actor=user, delivery=d, **form.cleaned_data)
            messages.success(request, _("已登记送达回证"))
        elif action == "send":
            send = SendForm(request.POST)
            send.is_valid()
            services.delivery_send(
                actor=user,
                delivery=d,
                tracking_number=send.cleaned_data.get("tracking_number") or "",
                published_on=send.cleaned_data.get("published_on"),
            )
            messages.success(request, _("已发出"))
        elif action == "returned":
            ret = ReturnForm(request.POST)
            if not ret.is_valid():
                raise ServiceError(_("请填写退回原因"), code="invalid", field="reason")
            services.delivery_mark_returned(actor=user, delivery=d, reason=ret.cleaned_data["reason"])
            messages.warning(request, _("已登记邮件退回"))
        else:
            raise Http404()
    except ServiceError as e:
        messages.error(request, e.message)
    return redirect("documents:document_detail", document_id=d.document_id)


@login_required
def archive(request: HttpRequest, stream: str) -> HttpResponse:
    docs = selectors.archive_for(stream=stream, user=_user(request)).prefetch_related("deliveries")
    if not docs.exists():
        raise Http404(_("卷宗不存在或无权查看"))
    return render(request, "documents/archive.html", {"stream": stream, "documents": docs})


@login_required
def archive_download(request: HttpRequest, stream: str) -> StreamingHttpResponse:
    docs = selectors.archive_for(stream=stream, user=_user(request))
    if not docs.exists():
        raise Http404(_("卷宗不存在或无权查看"))
    response = StreamingHttpResponse(
        archive_zip_chunks(docs.iterator(chunk_size=200)), content_type="application/zip"
    )
    safe = stream.replace(":", "-")
    response["Content-Disposition"] = f'attachment; filename="archive-{safe}.zip"'
    return response


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "documents/alert_list.html", {"alerts": selectors.alerts_open(user=_user(request))[:500]}
    )


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "documents/inbox.html", {"items": selectors.inbox_for(user=_user(request))[:500]})


@login_required
def inbox_download(request: HttpRequest, document_id: int) -> FileResponse:
    user = _user(request)
    msg = selectors.inbox_for(user=user).filter(document_id=document_id).first()
    if msg is None:
        raise Http404()
    services.inbox_mark_read(user=user, message=msg)
    return _pdf_response(msg.document)
