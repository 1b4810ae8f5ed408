"""Celery application. With no broker configured, tasks run eagerly in-process (embedded default)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianqi.settings")

app = Celery("lianqi")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
