"""Test URL map: the project's URLs plus this app's pages and API (until the lead mounts them)."""

from django.urls import include, path
from ninja import NinjaAPI
from ninja.errors import ConfigError

from zhixing.config.urls import urlpatterns as project_urlpatterns
from zhixing.documents.api import router
from zhixing.web import api as web_api

API_PREFIX = "api/v1/"
try:
    test_api = NinjaAPI(title="documents test", urls_namespace="documents_test_api", auth=web_api.api.auth)
    test_api.exception_handler(web_api.ServiceError)(web_api.service_error)
    test_api.add_router("/documents", router)
    extra = [path("test-api/", test_api.urls)]
    API_PREFIX = "test-api/"
except ConfigError:  # already mounted on the project's API
    extra = []

urlpatterns = [
    path("documents/", include("zhixing.documents.urls")),
    *extra,
    *[p for p in project_urlpatterns if str(getattr(p, "pattern", "")) != "documents/"],
]
