"""The Celery app: configured from Django's settings (CELERY_*), tasks autodiscovered per app."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.settings")

app = Celery("stackboard")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def task_named(name: str):
    """A task by its registered name, for code that sits below the tasks modules (services):
    autodiscovery is lazy, so a web process has imported no tasks module until asked."""
    app.loader.import_default_modules()
    return app.tasks[name]
