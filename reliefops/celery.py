"""Celery application. Without a broker configured, tasks run inline (eager)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reliefops.settings")

app = Celery("reliefops")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
