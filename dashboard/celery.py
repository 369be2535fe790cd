"""The Celery app: configured from Django's settings (CELERY_*), tasks autodiscovered per app."""

import logging.config
import os

from celery import Celery, signals

from dashboard import logs  # noqa: F401 - connects the task-run log lines to Celery's signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.settings")

app = Celery("stackboard")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.setup_logging.connect
def _log_as_the_site_does(**_) -> None:
    """Workers and beat log through settings.LOGGING (JSON or text), not Celery's own format:
    a receiver here stops Celery from replacing the root logger's handlers."""
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


def task_named(name: str):
    """A task by its registered name, for code that sits below the tasks modules (services):
    autodiscovery is lazy, so a web process has imported no tasks module until asked."""
    app.loader.import_default_modules()
    return app.tasks[name]
