"""执行款界面：the unidentified-funds queue that staff resolve (thin: a selector and one service)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zhixing.cases.selectors import CaseFilters, case_list
from zhixing.core.errors import ServiceError
from zhixing.core.models import User
from zhixing.funds import selectors, services


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
@require_http_methods(["GET", "POST"])
def unidentified(request: HttpRequest) -> HttpResponse:
    """不明款项：receipts whose account number matched no case; a clerk assigns each to its case."""
    user = _user(request)
    if request.method == "POST":
        number = request.POST.get("case_number", "").strip()
        case = case_list(user=user, filters=CaseFilters(q=number)).filter(case_number=number).first()
        try:
            if case is None:
                raise ServiceError(_("案号「%(n)s」不存在或无权查看") % {"n": number}, code="bad_case")
            services.unidentified_resolve(
                actor=user,
                posting_id=int(request.POST.get("posting_id", "0")),
                case_id=case.pk,
                reason=request.POST.get("reason", ""),
            )
        except (ServiceError, ValueError) as e:
            messages.error(request, getattr(e, "message", str(e)))
        else:
            messages.success(request, _("已认领至 %(n)s") % {"n": number})
        return redirect("funds:unidentified")
    queue = selectors.unidentified_queue(user=user).annotate(amount=Sum("entries__amount"))
    return render(request, "funds/unidentified.html", {"queue": queue[:200]})
