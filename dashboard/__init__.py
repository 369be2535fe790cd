"""Stackboard's site: settings, URLs, the Celery app, sign-in, roles and the audit log."""

from dashboard.celery import app as celery_app

__all__ = ["celery_app"]
