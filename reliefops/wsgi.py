"""WSGI entry point (gunicorn reliefops.wsgi)."""

import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reliefops.settings")
application = get_wsgi_application()
# Import every view now, while the worker boots, not in its first request: the URL
# configuration pulls in all apps (the reports' chart and PDF libraries among them), which
# made the first request of each worker wait a second or more.
import_module(settings.ROOT_URLCONF)
