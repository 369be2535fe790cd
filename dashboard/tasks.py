"""Site-wide Celery tasks."""

import socket

from celery import shared_task
from django.utils import timezone

from dashboard.models import WorkerHeartbeat


@shared_task(bind=True)
def record_worker_heartbeat(self) -> str:
    """Record that a worker runs tasks (read by /health/); idempotent: one row per worker."""
    worker = self.request.hostname or socket.gethostname()
    WorkerHeartbeat.objects.update_or_create(worker=worker, defaults={"seen_at": timezone.now()})
    return worker
