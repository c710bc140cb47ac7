"""The bare endpoint of the list-check benchmark: Django + Ninja (the platform's framework) with one
route answering batch membership from a Python set, no auth, no database, no logging.

    BARE_IDS_FILE=/tmp/ids.txt gunicorn bench.bare_lists_app:application
"""

from __future__ import annotations

import os

import django
from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-only",
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[],
    MIDDLEWARE=[],
    DATABASES={},
)
django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.urls import path  # noqa: E402
from ninja import NinjaAPI, Schema  # noqa: E402

with open(os.environ["BARE_IDS_FILE"], encoding="ascii") as f:
    LISTED = {line.strip() for line in f if line.strip()}

api = NinjaAPI(urls_namespace="bare")


class BatchIn(Schema):
    id_numbers: list[str]


@api.post("/check-batch")
def check_batch(request: object, body: BatchIn) -> list[dict[str, object]]:
    return [{"id_number": n, "listed": n in LISTED} for n in body.id_numbers]


urlpatterns = [path("", api.urls)]
application = get_wsgi_application()
