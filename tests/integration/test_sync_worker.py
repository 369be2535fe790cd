"""End to end: a real Celery worker syncs a connected cloud from the simulator into PostgreSQL,
and a worker killed mid-sync leaves nothing half-written and blocks nothing for long."""

import os
import signal
import time
import uuid
from pathlib import Path

import pytest

from aggregates import tasks
from aggregates.choices import CloudKind
from aggregates.demo.simulator import CloudState, Simulator
from aggregates.demo.simulator.scenarios import seed_tour
from aggregates.models import Cloud, SyncRun
from aggregates.sync import reconcile
from aggregates.tasks import sync_cloud
from aggregates.tests.sync.test_reconcile import expected, mirror
from conftest import require_services

from .conftest import start_worker, stop_worker

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


# The killed worker's lock and its unacknowledged message expire within seconds, not minutes;
# the lock first, as in production (lock: hard limit + 60 s; visibility: twice the hard limit),
# or the task given back would find the lock still held and be skipped.
LOCK_SECONDS, VISIBILITY_SECONDS = 15, 30
SHORT_EXPIRY = {
    "STACKBOARD_SYNC_LOCK_SECONDS": str(LOCK_SECONDS),
    "STACKBOARD_BROKER_VISIBILITY_TIMEOUT": str(VISIBILITY_SECONDS),
    "STACKBOARD_SYNC_HOLD_SHARE": "1",  # one host of three goes at once, not held
}


def wait_for(condition, *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def wait_until_mid_sync(simulator: Simulator) -> None:
    """Until the worker has asked for the servers (made slow): mid-flight, nothing written."""
    wait_for(
        lambda: ("GET", "/v2.1/servers/detail") in simulator.app.requests,
        seconds=60,
        what="the worker did not get to the servers listing",
    )


def wait_for_success(task_id: str, *, seconds: float, what: str) -> None:
    wait_for(
        lambda: SyncRun.objects.filter(task_id=task_id, status="succeeded").exists(),
        seconds=seconds,
        what=what,
    )


def test_a_worker_killed_mid_sync_leaves_nothing_half_written_and_its_task_comes_back(
    simulated_cloud, transactional_db
):
    require_services("PostgreSQL", "Redis")
    cloud = Cloud.objects.create(
        slug="e2e-kill", name="E2E kill", kind=CloudKind.CONNECTED, os_cloud="sim-e2e"
    )
    reconcile.sync_cloud(cloud)
    state = simulated_cloud.state
    state.hosts.pop("compute-3")
    state.set_aggregate_metadata(1, {"ssd": "true"})
    before = mirror(cloud)
    simulated_cloud.app.inject("slow", path="/servers", seconds=60)
    simulated_cloud.app.requests.clear()
    queue = f"test-{uuid.uuid4().hex[:8]}"

    worker = start_worker(queue, env=SHORT_EXPIRY)
    try:
        killed_task = sync_cloud.apply_async(args=[cloud.pk], queue=queue)
        wait_until_mid_sync(simulated_cloud)
        delivered_before = time.monotonic()
        os.killpg(worker.process.pid, signal.SIGKILL)  # the worker and anything it started
        worker.process.wait()
    finally:
        stop_worker(worker)

    # Nothing half-written: the mirror is as before; the run stays "running" until the next sync
    # (the dead worker could not close it) and its lock still refuses a second sync.
    assert mirror(cloud) == before
    assert SyncRun.objects.get(cloud=cloud, task_id=killed_task.id).status == "running"
    assert tasks.sync_cloud.apply(args=[cloud.pk]).get() == "skipped"
    simulated_cloud.app.clear_faults()

    # acks_late: the task is still unacknowledged in Redis. A worker sweeping once its visibility
    # timeout has passed gives it back to the queue (kombu sweeps when a worker starts, then about
    # every 100 s); the lock has expired by then, and the same task now completes the sync.
    time.sleep(max(0.0, delivered_before + VISIBILITY_SECONDS + 1 - time.monotonic()))
    worker = start_worker(queue, env=SHORT_EXPIRY)
    try:
        wait_for_success(
            killed_task.id, seconds=90, what="the killed task was not redelivered and completed"
        )
        assert mirror(cloud) == expected(state)
        killed, redelivered = SyncRun.objects.filter(task_id=killed_task.id).order_by("pk")
        assert (killed.status, redelivered.status) == ("failed", "succeeded")
        assert killed.error.startswith("Interrupted: the worker stopped before the sync finished")

        # And a sync requested now runs normally.
        again = sync_cloud.apply_async(args=[cloud.pk], queue=queue)
        wait_for_success(again.id, seconds=60, what="a new sync after the kill did not succeed")
    finally:
        stop_worker(worker)


def pool_children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def test_a_pool_process_killed_mid_sync_has_its_task_redelivered_to_finish_the_sync(
    simulated_cloud, transactional_db
):
    # reject_on_worker_lost: the prefork parent sees its child die and requeues the task at once;
    # the dead run's lock still stands, so the task comes back once it has expired.
    require_services("PostgreSQL", "Redis")
    cloud = Cloud.objects.create(
        slug="e2e-child", name="E2E child", kind=CloudKind.CONNECTED, os_cloud="sim-e2e"
    )
    simulated_cloud.app.inject("slow", path="/servers", seconds=60, times=1)
    simulated_cloud.app.requests.clear()
    worker = start_worker(
        f"test-{uuid.uuid4().hex[:8]}", env={"STACKBOARD_SYNC_LOCK_SECONDS": "10"}, pool="prefork"
    )
    try:
        task = sync_cloud.apply_async(args=[cloud.pk], queue=worker.queue)
        wait_until_mid_sync(simulated_cloud)
        [child] = pool_children(worker.process.pid)
        os.kill(child, signal.SIGKILL)

        wait_for_success(
            task.id, seconds=90, what="the task was not redelivered, or did not finish the sync"
        )
    finally:
        stop_worker(worker)
    killed, finished = SyncRun.objects.filter(task_id=task.id).order_by("pk")
    assert killed.status == "failed" and killed.error.startswith("Interrupted")
    assert mirror(cloud) == expected(simulated_cloud.state)
