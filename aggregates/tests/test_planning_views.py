"""Pages of the per-server questions: the answer, the CSV, constant queries, errors."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aggregates import services
from aggregates.tests.factories import CloudFactory, FlavorFactory, HostFactory

pytestmark = pytest.mark.django_db


def cloud_with_hosts(admin_user, count: int):
    cloud = CloudFactory()
    hosts = [HostFactory(cloud=cloud, name=f"h{index:03d}") for index in range(count + 1)]
    flavor = FlavorFactory(cloud=cloud, flavor_id="1", vcpus=1, ram=256, disk=1)
    server = services.create_server(
        cloud, actor=admin_user, name="s", host=hosts[0], flavor=flavor, project_id="p"
    )
    return cloud, server


def queries_for(admin_client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = admin_client.get(url)
    assert response.status_code == 200, response.content
    return len(captured)


@pytest.mark.parametrize(
    "name", ["aggregates:server_migration_targets", "aggregates:server_migration_targets_export"]
)
def test_queries_do_not_grow_with_hosts(admin_client, admin_user, name):
    counts = []
    for hosts in (1, 40):
        cloud, server = cloud_with_hosts(admin_user, hosts)
        counts.append(queries_for(admin_client, reverse(name, args=[cloud.slug, server.uuid])))

    assert counts[0] == counts[1]


def test_the_page_lists_every_other_host_with_the_best_first(admin_client, admin_user):
    cloud, server = cloud_with_hosts(admin_user, 3)

    response = admin_client.get(
        reverse("aggregates:server_migration_targets", args=[cloud.slug, server.uuid])
    )

    rows = [row[0] for row in response.context["page"]]
    assert sorted(rows) == ["h001", "h002", "h003"]
    assert rows[0] in response.context["summary"].best_hosts


def test_a_server_that_is_not_in_error_is_explained_as_a_400_naming_it(admin_client, admin_user):
    cloud, server = cloud_with_hosts(admin_user, 1)

    response = admin_client.get(
        reverse("aggregates:server_failure", args=[cloud.slug, server.uuid])
    )

    assert response.status_code == 400
    assert response.context["error"].field == "server"
    assert b"not ERROR" in response.content
