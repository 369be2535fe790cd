"""Placement preview API shapes: ?view=summary|hosts|full, host filters and pagination."""

import pytest
from django.urls import reverse

from aggregates.models import Cloud
from aggregates.tests.factories import AggregateFactory, CloudFactory, FlavorFactory, HostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cloud() -> Cloud:
    """12 hosts: 4 in zone az-1, 8 in the default zone; 3 too small for the flavor."""
    cloud = CloudFactory(slug="views")
    big = HostFactory.create_batch(9, cloud=cloud, vcpus=16, memory_mb=65536)
    small = HostFactory.create_batch(3, cloud=cloud, vcpus=1, memory_mb=1024)
    AggregateFactory(cloud=cloud, availability_zone="az-1", hosts=[*big[:3], small[0]])
    # Different free RAM so the ranking is not a tie.
    for position, host in enumerate(big):
        host.memory_mb_used = position * 1024
        host.save()
    FlavorFactory(cloud=cloud, flavor_id="1", vcpus=2, ram=4096, disk=10)
    return cloud


def post(client, cloud, query=""):
    url = reverse("api-placement-preview", args=[cloud.slug]) + query
    return client.post(url, {"flavor": "1"}, content_type="application/json")


def test_summary_has_counts_and_the_top_of_the_ranking_but_no_hosts(admin_client, cloud):
    full = post(admin_client, cloud).json()

    summary = post(admin_client, cloud, "?view=summary&top=3").json()

    assert "hosts" not in summary
    assert summary["summary"] == full["summary"]
    ranked = sorted((h for h in full["hosts"] if h["rank"]), key=lambda h: h["rank"])
    assert [row["host"] for row in summary["ranking"]] == [h["host"] for h in ranked[:3]]
    assert [row["weight"] for row in summary["ranking"]] == [h["weight"] for h in ranked[:3]]


def test_hosts_view_is_one_compact_row_per_host_paginated(admin_client, cloud):
    full = post(admin_client, cloud).json()

    first = post(admin_client, cloud, "?view=hosts&page_size=5").json()
    last = post(admin_client, cloud, "?view=hosts&page_size=5&page=3").json()

    assert first["count"] == 12
    assert "page=2" in first["next"] and first["previous"] is None
    assert last["next"] is None and "page=2" in last["previous"]
    rows = (
        first["hosts"]
        + post(admin_client, cloud, "?view=hosts&page_size=5&page=2").json()["hosts"]
        + last["hosts"]
    )
    assert [row["host"] for row in rows] == [host["host"] for host in full["hosts"]]
    assert "filters" not in rows[0]
    by_name = {host["host"]: host for host in full["hosts"]}
    for row in rows:
        expected = by_name[row["host"]]
        assert (row["passed"], row["failed_filter"], row["rank"], row["slots"]) == (
            expected["passed"],
            expected["failed_filter"],
            expected["rank"],
            expected["slots"],
        )


def test_host_rows_filter_by_passed_name_and_zone(admin_client, cloud):
    full = post(admin_client, cloud).json()["hosts"]
    in_zone = set(cloud.hosts.filter(aggregates__name__isnull=False).values_list("name", flat=True))

    passing = post(admin_client, cloud, "?passed=true").json()
    zoned = post(admin_client, cloud, "?view=hosts&zone=az-1").json()
    named = post(admin_client, cloud, f"?view=hosts&host={full[4]['host'].upper()}").json()

    assert [h["host"] for h in passing["hosts"]] == [h["host"] for h in full if h["passed"]]
    assert passing["count"] == 9 and passing["hosts"][0]["filters"]
    assert {row["host"] for row in zoned["hosts"]} == in_zone
    assert {row["zone"] for row in zoned["hosts"]} == {"az-1"}
    assert [row["host"] for row in named["hosts"]] == [full[4]["host"]]


def test_full_view_without_filters_keeps_every_host_unpaginated(admin_client, cloud):
    response = post(admin_client, cloud, "?view=full").json()

    assert len(response["hosts"]) == 12
    assert "count" not in response


@pytest.mark.parametrize(
    "query, field",
    [
        ("?view=everything", "view"),
        ("?view=hosts&page=9", "page"),
        ("?view=hosts&page_size=0", "page_size"),
        ("?passed=maybe", "passed"),
        ("?view=summary&top=0", "top"),
    ],
)
def test_bad_query_parameters_are_400_naming_the_field(admin_client, cloud, query, field):
    response = post(admin_client, cloud, query)

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field
