"""End to end: a real Celery worker syncs a connected cloud from the simulator into PostgreSQL."""

import time

import pytest

from aggregates.choices import CloudKind
from aggregates.models import Cloud, SyncRun
from aggregates.sync.simulator import CloudState, Simulator
from aggregates.sync.simulator.scenarios import seed_tour
from aggregates.tasks import sync_cloud
from aggregates.tests.sync.test_reconcile import expected, mirror

pytestmark = pytest.mark.integration


@pytest.fixture
def simulated_cloud(tmp_path, monkeypatch):
    """Set up before the worker starts, so the worker inherits OS_CLIENT_CONFIG_FILE."""
    sim = Simulator(seed_tour(CloudState()), max_limit=2).start()
    path = sim.write_clouds_yaml(tmp_path / "clouds.yaml", "sim-e2e")
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", str(path))
    yield sim
    sim.stop()


def test_a_worker_mirrors_the_simulator_into_postgresql(simulated_cloud, celery_worker):
    cloud = Cloud.objects.create(
        slug="e2e", name="E2E", kind=CloudKind.CONNECTED, os_cloud="sim-e2e"
    )

    sync_cloud.apply_async(args=[cloud.pk], queue=celery_worker)

    deadline = time.monotonic() + 60
    while not SyncRun.objects.filter(cloud=cloud, status__in=["succeeded", "failed"]).exists():
        assert time.monotonic() < deadline, "the worker did not finish the sync"
        time.sleep(0.2)
    run = SyncRun.objects.get(cloud=cloud)
    assert (run.status, run.error, run.microversion) == ("succeeded", "", "2.101")
    assert run.task_id
    # aggregates with metadata and hosts (zones are the availability_zone key), flavors with
    # extra specs and access lists, hosts with Placement usage, servers
    assert mirror(cloud) == expected(simulated_cloud.state)
