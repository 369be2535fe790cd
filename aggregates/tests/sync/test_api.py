"""Sync through the REST API: runs newest first with counts and drift; "sync now" for admins."""

import pytest
from django.urls import reverse

from aggregates.models import SyncRun
from aggregates.sync import reconcile
from aggregates.tests.factories import CloudFactory
from dashboard import locks


def runs_url(cloud) -> str:
    return reverse("api-syncrun-list", args=[cloud.slug])


def sync_url(cloud) -> str:
    return reverse("api-cloud-sync", args=[cloud.slug])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role_client", "status"),
    [("admin", 200), ("lead", 403), ("board", 403), ("member", 403), ("anon", 401)],
    indirect=["role_client"],
)
def test_sync_runs_are_for_cloud_admins(role_client, status, connected_cloud):
    response = role_client.get(runs_url(connected_cloud))

    assert response.status_code == status
    if status != 200:
        assert response.json()["errors"][0]["message"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role_client", "status"),
    [("lead", 403), ("board", 403), ("member", 403), ("anon", 401)],
    indirect=["role_client"],
)
def test_only_cloud_admins_may_request_a_sync(
    role_client, status, connected_cloud, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as enqueued:
        response = role_client.post(sync_url(connected_cloud))

    assert response.status_code == status
    assert enqueued == []


@pytest.mark.django_db
def test_sync_runs_list_newest_first_with_counts_microversion_and_drift(
    admin_client, connected_cloud, simulator, settings
):
    settings.STACKBOARD_SYNC_HOLD_SHARE = 1  # one flavor of four goes (held: test_removals.py)
    reconcile.sync_cloud(connected_cloud)
    simulator.state.set_aggregate_metadata(1, {"ssd": "yes"})
    simulator.state.delete_flavor("101")
    reconcile.sync_cloud(connected_cloud)

    body = admin_client.get(runs_url(connected_cloud)).json()

    assert body["count"] == 2
    latest, first = body["results"]
    assert latest["started_at"] > first["started_at"]
    assert (latest["status"], latest["microversion"], latest["error"]) == (
        "succeeded",
        "2.101",
        "",
    )
    assert (latest["created"], latest["updated"], latest["deleted"], latest["gone"]) == (0, 1, 0, 1)
    assert sorted(latest["changes"], key=lambda c: c["kind"]) == [
        {
            "kind": "aggregate",
            "name": "test-aggregate1",
            "action": "updated",
            "fields": ["metadata"],
        },
        {"kind": "flavor", "name": "m1.private", "action": "gone", "fields": []},
    ]
    assert first["created"] == len(first["changes"]) > 0


@pytest.mark.django_db
def test_a_failed_run_shows_the_compute_api_error_and_filters_by_status(
    admin_client, connected_cloud, simulator
):
    reconcile.sync_cloud(connected_cloud)
    simulator.app.inject("error", path="/os-aggregates", status=500)
    with pytest.raises(Exception, match="compute API error 500"):
        reconcile.sync_cloud(connected_cloud)

    body = admin_client.get(runs_url(connected_cloud), {"status": "failed"}).json()

    [failed] = body["results"]
    assert (failed["error_status"], failed["changes"]) == (503, [])
    assert failed["error"].startswith("compute API error 500")


@pytest.mark.django_db
def test_an_unknown_status_filter_is_a_400_naming_the_field(admin_client, connected_cloud):
    response = admin_client.get(runs_url(connected_cloud), {"status": "bogus"})

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "status"


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 40])
def test_sync_runs_queries_do_not_grow_with_rows(rows, admin_client, django_assert_max_num_queries):
    cloud = CloudFactory()
    for _ in range(rows):
        SyncRun.objects.create(cloud=cloud, status="succeeded", started_at="2026-01-01T00:00Z")

    with django_assert_max_num_queries(6):
        response = admin_client.get(runs_url(cloud))

    assert response.json()["count"] == rows


@pytest.mark.django_db
def test_sync_request_enqueues_the_task_whose_run_carries_its_id(
    admin_client, connected_cloud, eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(sync_url(connected_cloud))

    assert response.status_code == 202
    body = response.json()
    assert (body["cloud"], body["status"]) == (connected_cloud.slug, "queued")
    run = SyncRun.objects.get(cloud=connected_cloud)
    assert (run.task_id, run.status) == (body["task_id"], "succeeded")
    listed = admin_client.get(body["sync_runs"]).json()["results"]
    assert [r["id"] for r in listed] == [run.pk]


@pytest.mark.django_db
def test_sync_request_for_a_local_cloud_is_400_naming_its_kind(
    admin_client, django_capture_on_commit_callbacks
):
    cloud = CloudFactory(slug="planning")

    with django_capture_on_commit_callbacks() as enqueued:
        response = admin_client.post(sync_url(cloud))

    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "field": "kind",
                "message": "Cloud planning is local: there is no compute API to sync from.",
            }
        ]
    }
    assert enqueued == []


@pytest.mark.django_db
def test_sync_request_while_a_sync_runs_is_409_and_queues_nothing(
    admin_client, connected_cloud, django_capture_on_commit_callbacks
):
    with locks.cloud_lock(connected_cloud.pk) as held, django_capture_on_commit_callbacks() as q:
        assert held
        response = admin_client.post(sync_url(connected_cloud))

    assert response.status_code == 409
    message = response.json()["errors"][0]["message"]
    assert message == f"A sync of {connected_cloud.slug} is already running."
    assert q == []


@pytest.mark.django_db
def test_sync_request_for_an_unknown_cloud_is_404(admin_client):
    response = admin_client.post(reverse("api-cloud-sync", args=["no-such-cloud"]))

    assert response.status_code == 404
    assert response.json()["errors"][0]["message"]
