"""WSGI entry point for gunicorn (`zhixing serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhixing.config.settings")
application = get_wsgi_application()
