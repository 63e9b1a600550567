"""The learning platform of the e-government competence and learning centre."""

from .celery import app as celery_app

__all__ = ["celery_app"]
