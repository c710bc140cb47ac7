"""URL map: the staff web UI, the JSON API, the admin."""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import include, path, reverse
from django.views.generic import RedirectView

from zhixing.measures import views as measures_views
from zhixing.web.api import api


def admin_login(request: HttpRequest, extra_context: object = None) -> HttpResponse:
    """The back office signs in through the platform's login (lockout, TOTP), not its own form."""
    return redirect_to_login(request.GET.get("next", reverse("admin:index")), login_url=reverse("web:login"))


admin.site.login = admin_login  # type: ignore[method-assign]
admin.site.site_header = admin.site.site_title = "智执 · 后台管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/docs", RedirectView.as_view(url="/api/v1/docs", permanent=False)),
    path("cases/", include("zhixing.cases.urls")),
    path("documents/", include("zhixing.documents.urls")),
    path("funds/", include("zhixing.funds.urls")),
    path("asset-control/", include("zhixing.asset_control.urls")),
    path("agencies/", include("zhixing.agencies.urls")),
    path("measures/", include("zhixing.measures.urls")),
    path("command/", include("zhixing.command.urls")),
    path("knowledge/", include("zhixing.knowledge.urls")),
    path("public/lists/", measures_views.public_lists, name="public_lists"),  # no login
    path("", include("zhixing.web.urls")),
]

handler403 = "zhixing.web.views.error_403"
handler404 = "zhixing.web.views.error_404"
handler500 = "zhixing.web.views.error_500"
