"""URL map: the staff web UI, the JSON API, the admin."""

from django.contrib import admin
from django.urls import include, path

from zhixing.web.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("zhixing.web.urls")),
]

handler403 = "zhixing.web.views.error_403"
handler404 = "zhixing.web.views.error_404"
handler500 = "zhixing.web.views.error_500"
