"""A task sent through Redis is run by a real worker and its effect lands in PostgreSQL."""

import time

import pytest

from dashboard.models import WorkerHeartbeat
from dashboard.tasks import record_worker_heartbeat

pytestmark = pytest.mark.integration


def test_a_real_worker_runs_a_task_and_writes_to_the_database(celery_worker):
    queue = celery_worker
    assert not WorkerHeartbeat.objects.exists()

    record_worker_heartbeat.apply_async(queue=queue)

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not WorkerHeartbeat.objects.exists():
        time.sleep(0.2)
    heartbeat = WorkerHeartbeat.objects.get()
    assert heartbeat.worker.startswith(f"{queue}@")
