"""The engine's host table is built once per cloud version: again after a change, not otherwise."""

import pytest
from django.urls import reverse

from aggregates import services
from aggregates.models import Aggregate, Host
from aggregates.scheduling import table as host_tables
from aggregates.sync.reconcile import sync_cloud

pytestmark = pytest.mark.django_db


def tables_built_by_preview(client, cloud) -> int:
    before = host_tables.builds()
    response = client.post(
        reverse("api-placement-preview", args=[cloud.slug]),
        {"flavor": "1", "view": "summary"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return host_tables.builds() - before


def test_the_host_table_is_rebuilt_exactly_when_the_cloud_changes(
    admin_client, admin_user, connected_cloud, simulator
):
    sync_cloud(connected_cloud)
    assert tables_built_by_preview(admin_client, connected_cloud) == 1
    assert tables_built_by_preview(admin_client, connected_cloud) == 0  # same cloud: reused

    sync_cloud(connected_cloud)  # nothing changed in Nova
    assert tables_built_by_preview(admin_client, connected_cloud) == 0

    host = Host.objects.get(cloud=connected_cloud, name="compute-3")
    services.set_host_status(host, enabled=False, disabled_reason="fan", actor=admin_user)
    assert tables_built_by_preview(admin_client, connected_cloud) == 1
    assert tables_built_by_preview(admin_client, connected_cloud) == 0

    aggregate = Aggregate.objects.get(cloud=connected_cloud, name="test-aggregate1")
    services.set_aggregate_metadata(aggregate, {"ssd": "true"}, actor=admin_user)
    assert tables_built_by_preview(admin_client, connected_cloud) == 1

    simulator.state.add_server("web-9", "compute-2", "2")  # Nova changed: the sync brings it
    sync_cloud(connected_cloud)
    assert tables_built_by_preview(admin_client, connected_cloud) == 1
    assert tables_built_by_preview(admin_client, connected_cloud) == 0
