"""Each admin table sorts by its header's `?sort=` key, both ways; unknown keys change nothing."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from aggregates.filters import (
    AggregateFilter,
    CloudTableFilter,
    FlavorFilter,
    HostFilter,
    ServerFilter,
)
from aggregates.models import Host
from aggregates.tests.factories import AggregateFactory, CloudFactory, FlavorFactory, HostFactory
from aggregates.views.zones import ZONE_SORT_KEYS
from dashboard.filters import AuditEntryFilter
from dashboard.models import AuditEntry

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

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


TABLES = {
    "aggregates/cloud_list.html": CloudTableFilter,
    "aggregates/partials/_host_table.html": HostFilter,
    "aggregates/partials/_aggregate_table.html": AggregateFilter,
    "aggregates/partials/_flavor_table.html": FlavorFilter,
    "aggregates/partials/_server_table.html": ServerFilter,
    "dashboard/partials/_audit_table.html": AuditEntryFilter,
}
HEADER_KEY = re.compile(r'{% sort_header "([^"]+)"')


@pytest.mark.parametrize("template", sorted(TABLES))
def test_every_sortable_header_is_a_key_its_filter_accepts(template):
    keys = HEADER_KEY.findall((TEMPLATES / template).read_text())
    accepted = set(TABLES[template].base_filters["sort"].param_map)
    assert keys
    assert set(keys) - accepted == set()


def test_every_zone_header_is_a_zone_sort_key():
    keys = HEADER_KEY.findall((TEMPLATES / "aggregates/zone_list.html").read_text())
    assert set(keys) - set(ZONE_SORT_KEYS) == set()


def test_every_table_with_sortable_headers_is_checked():
    with_headers = {
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if HEADER_KEY.search(path.read_text())
    }
    assert with_headers == set(TABLES) | {"aggregates/zone_list.html"}


def test_hosts_sort_by_disk_used(admin_client, cloud):
    Host.objects.filter(name="a-small").update(local_gb_used=30)
    Host.objects.filter(name="c-loose").update(local_gb_used=10)
    assert rows(admin_client, "host_list", "-local_gb_used") == ["a-small", "c-loose", "b-big"]


def cloud_names(client, sort: str) -> list[str]:
    response = client.get(reverse("aggregates:cloud_list"), {"sort": sort})
    assert response.status_code == 200
    return [cloud.slug for cloud in response.context["clouds"]]


def test_clouds_sort_by_name_and_by_their_host_count(admin_client, cloud):
    CloudFactory(slug="zzz-empty", name="Zzz")
    assert cloud_names(admin_client, "-name") == ["zzz-empty", "devstack"]
    assert cloud_names(admin_client, "-hosts") == ["devstack", "zzz-empty"]
    assert cloud_names(admin_client, "hosts") == ["zzz-empty", "devstack"]


def test_members_cannot_sort_clouds_by_the_counts_they_do_not_see(member_client, cloud):
    CloudFactory(slug="aaa-empty", name="Aaa")
    assert cloud_names(member_client, "-hosts") == ["aaa-empty", "devstack"]
    assert cloud_names(member_client, "-name") == ["devstack", "aaa-empty"]


def test_clouds_table_counts_have_thousands_separators(admin_client, cloud):
    HostFactory.create_batch(1000, cloud=cloud)
    body = admin_client.get(reverse("aggregates:cloud_list")).content.decode()
    assert "<td>1,003</td>" in body
