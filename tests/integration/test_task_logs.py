"""A real worker logs each task run as one JSON line carrying the id of the request that
enqueued it (the id travels in the message's headers through Redis)."""

import json
import time

import pytest

from conftest import require_services
from dashboard.logs import request_id_bound
from dashboard.tasks import record_worker_heartbeat

from .conftest import start_worker, stop_worker

pytestmark = pytest.mark.integration


def test_a_worker_logs_the_task_run_with_the_request_id_that_enqueued_it(transactional_db):
    require_services("PostgreSQL", "Redis")
    worker = start_worker("test-logs", env={"STACKBOARD_LOG_FORMAT": "json"})
    try:
        with request_id_bound("req-through-redis"):
            result = record_worker_heartbeat.apply_async(queue=worker.queue)
        lines = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not lines:
            worker.log.seek(0)
            lines = [
                json.loads(text)
                for text in worker.log.read().splitlines()
                if '"logger": "stackboard.task"' in text
            ]
            time.sleep(0.2)
    finally:
        stop_worker(worker)

    (line,) = lines
    assert line["task_id"] == result.id
    assert line["status"] == "SUCCESS"
    assert line["request_id"] == "req-through-redis"
