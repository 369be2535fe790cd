"""Each admin table sorts by its header's `?sort=` key, both ways; unknown keys change nothing."""

import pytest
from django.urls import reverse

from aggregates.tests.factories import AggregateFactory, CloudFactory, FlavorFactory, HostFactory
from dashboard.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def cloud():
    cloud = CloudFactory(slug="devstack")
    small, big = HostFactory(cloud=cloud, name="a-small"), HostFactory(cloud=cloud, name="b-big")
    HostFactory(cloud=cloud, name="c-loose")
    AggregateFactory(cloud=cloud, name="az-one", availability_zone="one", hosts=[small, big])
    AggregateFactory(cloud=cloud, name="az-two", availability_zone="two", hosts=[])
    FlavorFactory(cloud=cloud, flavor_id="1", name="m1.tiny", ram=512)
    FlavorFactory(cloud=cloud, flavor_id="2", name="m1.huge", ram=65536)
    return cloud


def rows(client, name: str, sort: str, attr: str = "name") -> list:
    response = client.get(reverse(f"aggregates:{name}", args=["devstack"]), {"sort": sort})
    assert response.status_code == 200
    if "zones" in response.context:
        return [getattr(z, attr) for z in response.context["zones"]]
    return [getattr(row, attr) for row in response.context["page"]]


@pytest.mark.parametrize(
    ("name", "sort", "expected"),
    [
        ("host_list", "-name", ["c-loose", "b-big", "a-small"]),
        ("host_list", "bogus", ["a-small", "b-big", "c-loose"]),
        ("aggregate_list", "-name", ["az-two", "az-one"]),
        ("aggregate_list", "host_count", ["az-two", "az-one"]),
        ("flavor_list", "-ram", ["m1.huge", "m1.tiny"]),
        ("flavor_list", "ram", ["m1.tiny", "m1.huge"]),
        ("zone_list", "-name", ["one", "nova"]),
        ("zone_list", "-hosts", ["one", "nova"]),
    ],
)
def test_tables_sort_by_their_keys(admin_client, cloud, name, sort, expected):
    assert rows(admin_client, name, sort) == expected


def test_headers_are_links_that_keep_the_filters(admin_client, cloud):
    url = reverse("aggregates:host_list", args=["devstack"])
    body = admin_client.get(url, {"status": "enabled", "page": "1"}).content.decode()
    assert 'href="?status=enabled&amp;sort=name"' in body
    assert 'href="?status=enabled&amp;sort=running_vms"' in body


def test_members_cannot_order_zones_by_their_hidden_hosts(member_client, cloud):
    assert rows(member_client, "zone_list", "hosts") == ["nova", "one"]
    assert rows(member_client, "zone_list", "-name") == ["one", "nova"]


def test_the_audit_log_sorts_by_actor(admin_client):
    for actor in ("bob", "ann"):
        AuditEntry.objects.create(
            actor_name=actor, action="create", object_type="x.y", object_id="1", object_repr="o"
        )
    url = reverse("dashboard:auditentry_list")
    names = [e.actor_name for e in admin_client.get(url, {"sort": "actor"}).context["page"]]
    assert names == ["ann", "bob"]
    body = admin_client.get(url, {"sort": "actor"}).content.decode()
    assert 'href="?sort=-actor"' in body and "▲" in body
