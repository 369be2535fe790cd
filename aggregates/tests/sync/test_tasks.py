"""The sync task: one run per cloud at a time (Redis lock), beat enqueues due clouds."""

import threading
from datetime import timedelta

import pytest
from celery.exceptions import Retry
from django.db import connection
from django.utils import timezone

from aggregates import tasks
from aggregates.models import SyncRun
from aggregates.queries import page_cache
from aggregates.sync import reconcile
from aggregates.sync.errors import ComputeUnavailable
from conftest import require_services
from dashboard import locks


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sync_requests_run_one_sync(connected_cloud, simulator):
    require_services("Redis")
    simulator.app.inject("slow", path="/os-aggregates", seconds=1)
    results = []

    def request():
        try:
            results.append(tasks.sync_cloud.apply(args=[connected_cloud.pk]).get())
        finally:
            connection.close()

    threads = [threading.Thread(target=request) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == ["skipped", "succeeded"]
    assert SyncRun.objects.filter(cloud=connected_cloud).count() == 1


@pytest.mark.django_db
def test_sync_is_skipped_while_the_lock_is_held(connected_cloud):
    with locks.cloud_lock(connected_cloud.pk) as held:
        assert held
        assert tasks.sync_cloud.apply(args=[connected_cloud.pk]).get() == "skipped"
    assert not SyncRun.objects.exists()


@pytest.mark.django_db
def test_a_run_left_running_by_a_dead_worker_is_closed_by_the_next_sync(connected_cloud):
    stale = SyncRun.objects.create(cloud=connected_cloud, started_at=timezone.now())

    reconcile.sync_cloud(connected_cloud)

    stale.refresh_from_db()
    assert stale.status == "failed" and "Interrupted" in stale.error


@pytest.mark.django_db
def test_beat_enqueues_clouds_whose_interval_has_passed(connected_cloud, monkeypatch):
    enqueued = []
    monkeypatch.setattr(tasks.sync_cloud, "delay", enqueued.append)
    connected_cloud.sync_interval_minutes = 10
    connected_cloud.last_sync_at = timezone.now() - timedelta(minutes=11)
    connected_cloud.save()

    assert tasks.enqueue_due_syncs() == 1
    connected_cloud.last_sync_at = timezone.now() - timedelta(minutes=9)
    connected_cloud.save()
    assert tasks.enqueue_due_syncs() == 0
    assert enqueued == [connected_cloud.pk]


@pytest.mark.django_db
def test_unavailable_api_makes_the_task_ask_for_a_retry_with_backoff(
    connected_cloud, simulator, monkeypatch
):
    simulator.app.inject("error", path="/os-aggregates")  # a 500: no client-side retry
    # As in a worker; without Redis the suite runs tasks in-process, where failures propagate.
    monkeypatch.setitem(tasks.sync_cloud.app.conf, "task_always_eager", False)

    with pytest.raises(Retry) as caught:
        tasks.sync_cloud.apply(args=[connected_cloud.pk])

    assert tasks.RETRY_BACKOFF / 2 <= caught.value.when <= tasks.RETRY_BACKOFF  # first retry
    assert isinstance(caught.value.exc, ComputeUnavailable)
    assert SyncRun.objects.get().status == "failed"


@pytest.mark.django_db
def test_a_sync_leaves_the_heatmap_and_overview_warm(connected_cloud, django_assert_num_queries):
    assert tasks.sync_cloud.apply(args=[connected_cloud.pk]).get() == "succeeded"

    # Warm: the version query alone, no per-host reads.
    with django_assert_num_queries(1):
        page_cache.heatmap(connected_cloud)
    with django_assert_num_queries(1):
        page_cache.cloud_summary(connected_cloud)
    with django_assert_num_queries(2):  # the flavors, then the version
        assert page_cache.slots_matrix(connected_cloud).rows


@pytest.mark.django_db
def test_a_page_that_fails_to_warm_does_not_fail_the_sync(connected_cloud, monkeypatch, caplog):
    def broken(cloud):
        raise ValueError("a bug while warming")

    monkeypatch.setattr(page_cache, "warm", broken)

    assert tasks.sync_cloud.apply(args=[connected_cloud.pk]).get() == "succeeded"
    assert "not warmed after its sync" in caplog.text
