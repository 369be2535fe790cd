"""N+1 with two real workers: the run is split into parts that both workers take, and the merged
answer is the one-task answer, unit for unit."""

import time
import uuid

import pytest
from django.core.cache import cache
from django.urls import reverse

from aggregates import queries, tasks
from aggregates.demo.synthetic import add_servers, build_cloud
from aggregates.queries.planning import resilience_key
from conftest import require_services
from dashboard.celery import app as celery_app
from tests.integration.conftest import start_worker, stop_worker

pytestmark = pytest.mark.integration


@pytest.fixture
def two_workers(transactional_db):
    """Two solo workers consuming one queue of their own; yields the queue and the workers."""
    require_services("PostgreSQL", "Redis")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    workers = []
    try:
        for n in (1, 2):
            workers.append(start_worker(queue, name=f"{queue}-{n}"))
        yield queue, workers
    finally:
        for worker in workers:
            stop_worker(worker)


def test_n_plus_one_is_split_across_two_workers_into_the_one_task_answer(
    two_workers, admin_client, monkeypatch
):
    queue, workers = two_workers
    monkeypatch.setitem(celery_app.conf, "task_default_queue", queue)  # the API enqueues there
    cloud = build_cloud("split", 1000)  # 1,000 hosts with servers: 4 parts on 2 processes
    add_servers(cloud, 3, stranded_every=9)
    version = queries.cloud_version(cloud)
    tasks.plan_resilience.apply(args=[cloud.pk, "host", version])  # one task, in this process
    single = cache.get(resilience_key("host", version))
    cache.delete(resilience_key("host", version))
    url = reverse("api-resilience", args=[cloud.slug])

    seen = []
    deadline = time.monotonic() + 300
    response = admin_client.get(url)
    while response.status_code == 202 and time.monotonic() < deadline:
        seen.append(response.json())
        time.sleep(0.1)
        response = admin_client.get(url)

    assert response.status_code == 200, response.json()
    payload = response.json()
    assert (single.complete, single.parts, payload["parts"]) == (True, 1, 4)
    merged = cache.get(resilience_key("host", version))
    assert merged.risks == single.risks  # the whole answer, unit for unit, in the same order
    assert len(merged.risks) == 1000 and 0 < len(merged.failing) < 1000
    assert payload["failing"] == len(single.failing)
    progress = [state["done"] for state in seen if state["parts"] == 4]
    assert progress == sorted(progress)  # units done across the parts only grow
    assert any(0 < done < 1000 for done in progress)
    for worker in workers:  # each worker took at least one part
        worker.log.seek(0)
        assert "plan_resilience_part" in worker.log.read(), worker.queue
