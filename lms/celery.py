"""Celery application. Reliability settings live in lms.settings.base (CELERY_*)."""

import os

from celery import Celery

# Like wsgi.py: a worker started without settings is a production worker, and fails loudly
# if production's variables are missing.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.production")

app = Celery("lms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
