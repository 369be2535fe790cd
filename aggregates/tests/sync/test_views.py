"""Sync pages: admins only; "Sync now" with htmx progress; the interval form; drift per run."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from aggregates.models import SyncRun
from aggregates.sync import reconcile


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role_client", "status"),
    [("admin", 200), ("lead", 403), ("member", 403), ("anon", 302)],
    indirect=["role_client"],
)
def test_sync_page_is_for_cloud_admins(role_client, status, connected_cloud):
    response = role_client.get(reverse("aggregates:cloud_sync", args=[connected_cloud.slug]))
    assert response.status_code == status


@pytest.mark.django_db
def test_sync_now_with_htmx_runs_the_sync_and_returns_the_status_fragment(
    admin_client, connected_cloud, eager, django_capture_on_commit_callbacks
):
    url = reverse("aggregates:cloud_sync_now", args=[connected_cloud.slug])

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert b'id="sync-status"' in response.content and b"<html" not in response.content
    assert SyncRun.objects.get().status == "succeeded"
    assert "syncFinished" in response.headers["HX-Trigger"]


@pytest.mark.django_db
def test_sync_now_without_htmx_redirects_to_the_page(admin_client, connected_cloud, eager):
    response = admin_client.post(reverse("aggregates:cloud_sync_now", args=[connected_cloud.slug]))
    assert response.status_code == 302
    assert response.url == reverse("aggregates:cloud_sync", args=[connected_cloud.slug])


@pytest.mark.django_db
def test_status_polls_while_a_sync_is_queued(admin_client, connected_cloud):
    # Not eager and never executed: the request stays queued, so the fragment keeps polling.
    admin_client.post(
        reverse("aggregates:cloud_sync_now", args=[connected_cloud.slug]),
        headers={"HX-Request": "true"},
    )

    response = admin_client.get(
        reverse("aggregates:cloud_sync_status", args=[connected_cloud.slug])
    )

    assert b"Sync queued" in response.content and b'hx-trigger="every 1s"' in response.content
    cache.delete(reconcile.sync_requested_key(connected_cloud.pk))  # Redis outlives the test


@pytest.mark.django_db
@pytest.mark.parametrize("partial", [True, False])
def test_bad_interval_is_refused_with_422_naming_the_field(admin_client, connected_cloud, partial):
    headers = {"HX-Request": "true"} if partial else {}
    response = admin_client.post(
        reverse("aggregates:cloud_sync_interval", args=[connected_cloud.slug]),
        {"sync_interval_minutes": "soon"},
        headers=headers,
    )

    assert response.status_code == 422
    assert b"&#x27;sync_interval_minutes&#x27; must be a whole number." in response.content
    connected_cloud.refresh_from_db()
    assert connected_cloud.sync_interval_minutes == 15


@pytest.mark.django_db
def test_interval_is_saved(admin_client, connected_cloud):
    response = admin_client.post(
        reverse("aggregates:cloud_sync_interval", args=[connected_cloud.slug]),
        {"sync_interval_minutes": "5"},
    )
    assert response.status_code == 302
    connected_cloud.refresh_from_db()
    assert connected_cloud.sync_interval_minutes == 5


@pytest.mark.django_db
def test_run_page_lists_the_drift(admin_client, connected_cloud, simulator):
    reconcile.sync_cloud(connected_cloud)
    simulator.state.set_aggregate_metadata(2, {"ssd": "yes"})
    run = reconcile.sync_cloud(connected_cloud)

    response = admin_client.get(
        reverse("aggregates:syncrun_detail", args=[connected_cloud.slug, run.pk])
    )

    assert b"<td>aggregate</td><td>test-aggregate2</td><td>updated</td><td>metadata</td>" in (
        response.content
    )


@pytest.mark.django_db
@pytest.mark.parametrize("runs", [1, 30])
def test_sync_page_queries_do_not_grow_with_runs(
    admin_client, connected_cloud, runs, django_assert_max_num_queries
):
    from django.utils import timezone

    SyncRun.objects.bulk_create(
        [SyncRun(cloud=connected_cloud, started_at=timezone.now(), status="succeeded")] * runs
    )
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("aggregates:cloud_sync", args=[connected_cloud.slug]))
    assert response.status_code == 200
