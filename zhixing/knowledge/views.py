"""经验交流界面：the library (search, filters, pages), one item with the cases linked to it that the
reader may see, the writing form, 发布 / 撤回, and the case page's 相关经验 card (an htmx partial)
with a search to link an item.

Thin views: parse, call one service (the only writers) or a selector, render. A refused act comes
back as its Chinese message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhixing.cases.models import EnforcementCase
from zhixing.core.errors import NotFound, ServiceError
from zhixing.core.models import User
from zhixing.knowledge import policy, selectors, services
from zhixing.knowledge.forms import ItemForm, LinkForm, SearchForm
from zhixing.knowledge.models import KnowledgeItem

PAGE_SIZE = 20
CANDIDATES = 8


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _reader(request: HttpRequest) -> User:
    user = _user(request)
    if not policy.is_reader(user):
        raise Http404(_("页面不存在，或您无权查看"))
    return user


def _item_or_404(user: User, item_id: int) -> KnowledgeItem:
    item = selectors.knowledge_get(user=user, item_id=item_id)
    if item is None:
        raise Http404(_("经验材料不存在或无权查看"))
    return item


def _to_item(item_id: int) -> HttpResponse:
    return redirect("knowledge:detail", item_id=item_id)


# --- the library -------------------------------------------------------------------------------------
@login_required
@require_GET
def item_list(request: HttpRequest) -> HttpResponse:
    """经验交流：search the title, summary, body and tags; filter by kind, tag and court; 20 a page."""
    user = _reader(request)
    form = SearchForm(request.GET or None, courts=selectors.court_choices())
    d: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    qs = selectors.knowledge_search(
        user=user,
        q=d.get("q") or "",
        kind=d.get("kind") or "",
        tag=d.get("tag") or "",
        court=d.get("court") or "",
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "knowledge/list.html",
        {"page": page, "form": form, "query": query, "may_write": policy.may_write(user)},
    )


@login_required
@require_GET
def item_detail(request: HttpRequest, item_id: int) -> HttpResponse:
    user = _reader(request)
    item = _item_or_404(user, item_id)
    source_visible = (
        item.source_case_id is not None
        and selectors.case_for(user=user, case_id=item.source_case_id) is not None
    )
    return render(
        request,
        "knowledge/detail.html",
        {
            "item": item,
            "paragraphs": [p.strip() for p in item.body.replace("\r\n", "\n").split("\n\n") if p.strip()],
            "links": selectors.knowledge_item_links(user=user, item=item),
            "source_visible": source_visible,
            "may_edit": policy.may_edit(user, item),
            "may_publish": policy.may_publish(user, item),
            "may_withdraw": policy.may_withdraw(user, item),
        },
    )


def _form_args(request: HttpRequest, user: User, form: ItemForm) -> dict[str, Any] | None:
    """The service's arguments from a valid form, or None with the error on the form."""
    d = form.cleaned_data
    source_case_id = None
    if (d.get("source_case") or "").strip():
        case = selectors.case_by_number(user=user, case_number=d["source_case"])
        if case is None:
            form.add_error("source_case", _("来源案件不存在或无权查看"))
            return None
        source_case_id = case.pk
    return {
        "kind": d["kind"],
        "title": d["title"],
        "summary": d.get("summary", ""),
        "body": d.get("body", ""),
        "tags": d.get("tags", ""),
        "citations": d.get("citations", ""),
        "source_case_id": source_case_id,
    }


def _service_error(form: ItemForm, e: ServiceError) -> None:
    if isinstance(e, NotFound) and e.field is None:
        raise Http404(e.message)
    form.add_error(e.field if e.field in form.fields else None, e.message)


@login_required
@require_http_methods(["GET", "POST"])
def item_create(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    if not policy.may_write(user):
        messages.error(request, _("您的角色不能撰写经验材料"))
        return redirect("knowledge:list")
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        args = _form_args(request, user, form)
        if args is not None:
            try:
                item = services.knowledge_item_create(actor=user, **args)
            except ServiceError as e:
                _service_error(form, e)
            else:
                messages.success(request, _("已保存为草稿；发布后全市法院干警均可查阅"))
                return _to_item(item.pk)
    return render(request, "knowledge/form.html", {"form": form, "item": None})


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    user = _reader(request)
    item = _item_or_404(user, item_id)
    if not policy.may_edit(user, item):
        messages.error(request, _("您不能修改这份经验材料（已发布的须先撤回，或由本院执行局长修改）"))
        return _to_item(item.pk)
    form = ItemForm(request.POST or None, initial=ItemForm.initial_for(item))
    if request.method == "POST" and form.is_valid():
        args = _form_args(request, user, form)
        if args is not None:
            try:
                services.knowledge_item_update(actor=user, item_id=item.pk, **args)
            except ServiceError as e:
                _service_error(form, e)
            else:
                messages.success(request, _("已保存修改"))
                return _to_item(item.pk)
    return render(request, "knowledge/form.html", {"form": form, "item": item})


@login_required
@require_POST
def item_publish(request: HttpRequest, item_id: int) -> HttpResponse:
    user = _reader(request)
    item = _item_or_404(user, item_id)
    try:
        services.knowledge_item_publish(actor=user, item_id=item.pk)
    except ServiceError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("已发布：全市法院干警均可查阅"))
    return _to_item(item.pk)


@login_required
@require_POST
def item_withdraw(request: HttpRequest, item_id: int) -> HttpResponse:
    user = _reader(request)
    item = _item_or_404(user, item_id)
    try:
        services.knowledge_item_withdraw(actor=user, item_id=item.pk, reason=request.POST.get("reason", ""))
    except ServiceError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("已撤回"))
    return _to_item(item.pk)


# --- the case card -----------------------------------------------------------------------------------
def _case_or_404(user: User, case_id: int) -> EnforcementCase:
    case = selectors.case_for(user=user, case_id=case_id)
    if case is None:
        raise Http404(_("案件不存在或无权查看"))
    return case


def _back(case_id: int) -> HttpResponse:
    return redirect(reverse("cases:detail", kwargs={"case_id": case_id}) + "#knowledge")


@login_required
@require_GET
def case_panel(request: HttpRequest, case_id: int) -> HttpResponse:
    """The case page's 相关经验 card; with ``q``, published items matching it to link."""
    user = _reader(request)
    case = _case_or_404(user, case_id)
    links = list(selectors.knowledge_for_case(user=user, case=case))
    can_link = policy.may_link(user, case)
    q = request.GET.get("q", "").strip()[:100]
    candidates: list[KnowledgeItem] = []
    if can_link and q:
        linked = [link.item_id for link in links]
        candidates = list(
            selectors.knowledge_search(user=user, q=q, status=KnowledgeItem.Status.PUBLISHED).exclude(
                pk__in=linked
            )[:CANDIDATES]
        )
    return render(
        request,
        "knowledge/case_panel.html",
        {"case": case, "links": links, "can_link": can_link, "q": q, "candidates": candidates},
    )


@login_required
@require_POST
def case_link(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _reader(request)
    case = _case_or_404(user, case_id)
    form = LinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择要关联的经验材料"))
        return _back(case.pk)
    try:
        link = services.knowledge_link_case(
            actor=user, item_id=form.cleaned_data["item"], case_id=case.pk, note=form.cleaned_data["note"]
        )
    except ServiceError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("已关联《%(t)s》") % {"t": link.item.title})
    return _back(case.pk)


@login_required
@require_POST
def case_unlink(request: HttpRequest, case_id: int, item_id: int) -> HttpResponse:
    user = _reader(request)
    case = _case_or_404(user, case_id)
    try:
        services.knowledge_unlink_case(actor=user, item_id=item_id, case_id=case.pk)
    except ServiceError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("已取消关联"))
    return _back(case.pk)
