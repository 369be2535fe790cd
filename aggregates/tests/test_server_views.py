"""The servers table: filters from the query string, sortable headers, links, constant queries."""

import pytest
from django.urls import reverse

from aggregates.models import Server
from aggregates.tests.factories import CloudFactory, FlavorFactory, HostFactory, ServerFactory

pytestmark = pytest.mark.django_db


def servers_url(cloud) -> str:
    return reverse("aggregates:server_list", args=[cloud.slug])


@pytest.fixture
def cloud():
    cloud = CloudFactory(slug="devstack")
    small = FlavorFactory(cloud=cloud, flavor_id="1", name="m1.small")
    big = FlavorFactory(cloud=cloud, flavor_id="2", name="m1.big")
    web = HostFactory(cloud=cloud, name="rack1/web")
    db = HostFactory(cloud=cloud, name="db-host")
    ServerFactory(host=web, name="alpha", flavor=small, project_id="p1", availability_zone="az1")
    ServerFactory(host=web, name="bravo", flavor=big, project_id="p2", status="SHUTOFF")
    ServerFactory(
        host=db, name="charlie", flavor=small, project_id="p2", status="ERROR", fault="No valid"
    )
    return cloud


def names(response) -> list[str]:
    return [s.name for s in response.context["page"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["alpha", "bravo", "charlie"]),
        ({"host": "rack1/web"}, ["alpha", "bravo"]),
        ({"flavor": "1"}, ["alpha", "charlie"]),
        ({"project_id": "p2", "status": "ERROR"}, ["charlie"]),
        ({"zone": "az1"}, ["alpha"]),
        ({"q": "rav"}, ["bravo"]),
        ({"sort": "-name"}, ["charlie", "bravo", "alpha"]),
        ({"sort": "host"}, ["charlie", "alpha", "bravo"]),
        ({"sort": "name; DROP TABLE"}, ["alpha", "bravo", "charlie"]),  # not a sort key: ignored
    ],
)
def test_the_query_string_filters_and_sorts_the_table(admin_client, cloud, query, expected):
    response = admin_client.get(servers_url(cloud), query)
    assert response.status_code == 200
    assert names(response) == expected


def test_an_unknown_status_is_named_on_the_page_not_a_500(admin_client, cloud):
    response = admin_client.get(servers_url(cloud), {"status": "BOGUS"})
    assert response.status_code == 200
    assert "status: Select a valid choice" in response.content.decode()


def test_rows_show_status_with_fault_and_link_host_and_flavor(admin_client, cloud):
    body = admin_client.get(servers_url(cloud), {"q": "charlie"}).content.decode()
    assert "ERROR" in body and "(No valid)" in body
    assert reverse("aggregates:host_detail", args=["devstack", "db-host"]) in body
    assert reverse("aggregates:flavor_detail", args=["devstack", "1"]) in body


def test_host_flavor_and_cloud_pages_link_to_their_servers(admin_client, cloud):
    host = admin_client.get(reverse("aggregates:host_detail", args=["devstack", "rack1/web"]))
    flavor = admin_client.get(reverse("aggregates:flavor_detail", args=["devstack", "2"]))
    detail = admin_client.get(reverse("aggregates:cloud_detail", args=["devstack"]))
    assert f"{servers_url(cloud)}?host=rack1%2Fweb" in host.content.decode()
    assert f"{servers_url(cloud)}?flavor=2" in flavor.content.decode()
    assert servers_url(cloud) in detail.content.decode()


def test_members_may_not_see_servers(member_client, cloud):
    assert member_client.get(servers_url(cloud)).status_code in (403, 404)


def test_the_api_takes_the_same_filters(admin_client, cloud):
    url = reverse("api-server-list", args=["devstack"])
    rows = admin_client.get(url, {"flavor": "1", "sort": "-name"}).json()["results"]
    assert [r["name"] for r in rows] == ["charlie", "alpha"]
    assert admin_client.get(url, {"status": "BOGUS"}).status_code == 400


@pytest.mark.parametrize("rows", [10, 400])
def test_the_page_runs_the_same_queries_for_10_and_400_rows(
    admin_client, django_assert_max_num_queries, rows
):
    cloud = CloudFactory()
    host = HostFactory(cloud=cloud)
    flavor = FlavorFactory(cloud=cloud)
    Server.objects.bulk_create(
        Server(cloud=cloud, host=host, flavor=flavor, name=f"s{i:04d}") for i in range(rows)
    )
    with django_assert_max_num_queries(10):
        response = admin_client.get(servers_url(cloud), {"per_page": 500, "sort": "host"})
    assert len(response.context["page"]) == rows
