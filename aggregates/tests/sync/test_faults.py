"""Faults of the compute API: the mirror keeps its rows, the failure is recorded and shown, and
the next good sync converges (DESIGN.md "Clouds and sync")."""

import pytest
from django.urls import reverse

from aggregates.choices import SyncStatus
from aggregates.models import Aggregate, Flavor, Host, SyncRun
from aggregates.sync import reconcile
from aggregates.sync.errors import ComputeError, ComputeUnavailable, InvalidReply

from .test_reconcile import expected, mirror

FAULTS = [
    # (fault, options, error raised, words of the recorded error)
    ("down", {}, ComputeUnavailable, "unreachable"),
    ("slow", {"path": "/os-hypervisors", "seconds": 3}, ComputeUnavailable, "in time"),
    ("error", {"path": "/flavors"}, ComputeUnavailable, "500"),
    ("truncated", {"path": "/servers"}, InvalidReply, "not JSON"),
    ("repeat_page", {"path": "/os-hypervisors"}, InvalidReply, "listed twice"),
    # Placement, read through the client's own pool (sync/client.py _PlacementReads)
    ("slow", {"path": "/resource_providers", "seconds": 3}, ComputeUnavailable, "in time"),
    ("error", {"path": "/resource_providers"}, ComputeUnavailable, "placement API error 500"),
    ("truncated", {"path": "/resource_providers", "page": 0}, InvalidReply, "not JSON"),
    # A token refused again after re-authenticating is not retried for ever.
    ("error", {"path": "/resource_providers", "status": 401}, ComputeError, "credentials"),
]


@pytest.fixture
def synced(connected_cloud, simulator, settings):
    """A cloud mirrored once, then changed remotely (a host gone, a flavor added); one host of
    three is a share the sync would hold (sync/removals.py), so these tests let it go."""
    settings.STACKBOARD_SYNC_HOLD_SHARE = 1
    reconcile.sync_cloud(connected_cloud)
    before = mirror(connected_cloud)
    simulator.state.hosts.pop("compute-3")
    simulator.state.create_flavor({"name": "new", "id": "200", "ram": 512, "vcpus": 1, "disk": 1})
    return before


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "options", "error", "words"), FAULTS)
def test_failed_sync_keeps_the_mirror_and_records_the_failure(
    connected_cloud, simulator, synced, kind, options, error, words
):
    simulator.app.inject(kind, **options)
    counts = (Host.objects.count(), Aggregate.objects.count(), Flavor.objects.count())

    with pytest.raises(error):
        reconcile.sync_cloud(connected_cloud)

    assert mirror(connected_cloud) == synced  # compute-3 kept: the listing was not complete
    assert (Host.objects.count(), Aggregate.objects.count(), Flavor.objects.count()) == counts
    run = SyncRun.objects.filter(cloud=connected_cloud).first()
    assert run.status == SyncStatus.FAILED and words in run.error
    connected_cloud.refresh_from_db()
    assert connected_cloud.last_sync_status == SyncStatus.FAILED

    simulator.app.clear_faults()
    reconcile.sync_cloud(connected_cloud)
    assert mirror(connected_cloud) == expected(simulator.state)


@pytest.mark.django_db
def test_500s_are_retried_by_the_client_before_failing(connected_cloud, simulator, synced):
    # keystoneauth retries 502/503/504; two 503s then success: the sync succeeds.
    simulator.app.inject("error", path="/os-aggregates", status=503, times=2)

    run = reconcile.sync_cloud(connected_cloud)

    assert run.status == SyncStatus.SUCCEEDED
    assert simulator.app.requests.count(("GET", "/v2.1/os-aggregates")) >= 3 + 1


@pytest.mark.django_db
def test_placement_503s_are_retried_before_failing(connected_cloud, simulator, synced):
    simulator.app.inject("error", path="/resource_providers", status=503, times=2)

    run = reconcile.sync_cloud(connected_cloud)

    assert run.status == SyncStatus.SUCCEEDED
    assert mirror(connected_cloud) == expected(simulator.state)


@pytest.mark.django_db
def test_a_placement_token_refused_once_is_renewed_and_the_sync_goes_on(
    connected_cloud, simulator, synced
):
    # A token that expires mid-sync: Placement answers 401, the client re-authenticates once.
    simulator.app.inject("error", path="/resource_providers", status=401, times=1)

    run = reconcile.sync_cloud(connected_cloud)

    assert run.status == SyncStatus.SUCCEEDED
    assert mirror(connected_cloud) == expected(simulator.state)


@pytest.mark.django_db
def test_failure_is_shown_on_the_sync_page(connected_cloud, simulator, admin_client):
    simulator.app.inject("error", path="/os-services")
    with pytest.raises(ComputeError):
        reconcile.sync_cloud(connected_cloud)

    response = admin_client.get(reverse("aggregates:cloud_sync", args=[connected_cloud.slug]))

    assert response.status_code == 200
    assert b"503: compute API error 500: Unexpected API Error. Please report this." in (
        response.content
    )
