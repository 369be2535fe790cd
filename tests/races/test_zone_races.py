"""A host is never in two zones, whatever two admins do at once: a zone set on aggregate A (which
holds the host) racing the host's add to zoned aggregate B. One wins; the other gets Nova's
refusal. Real threads, each with its own connection, on PostgreSQL."""

import threading

import pytest
from django.db import connection
from django.test import Client

from aggregates import queries
from aggregates.models import Aggregate
from aggregates.tests.factories import AggregateFactory, CloudFactory, HostFactory
from conftest import require_services

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.integration]
ROUNDS = 10
JSON = "application/json"


def together(user, *requests) -> list[int]:
    """Run (method, path, body) requests at once, one thread each; their statuses in order."""
    barrier = threading.Barrier(len(requests))
    statuses = [0] * len(requests)

    def send(index, method, path, body):
        client = Client(raise_request_exception=False)
        try:
            client.force_login(user)
            barrier.wait()
            statuses[index] = getattr(client, method)(path, body, content_type=JSON).status_code
        finally:
            connection.close()

    threads = [
        threading.Thread(target=send, args=(index, *request))
        for index, request in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


@pytest.mark.parametrize("how", ["put", "set_metadata"])
def test_a_zone_change_racing_an_add_host_never_leaves_the_host_in_two_zones(admin_user, how):
    require_services("PostgreSQL")
    cloud = CloudFactory(slug="zones")
    api = f"/api/v1/clouds/{cloud.slug}/aggregates"
    for round_number in range(ROUNDS):
        host = HostFactory(cloud=cloud, name=f"h{round_number}")
        a = AggregateFactory(cloud=cloud, name=f"a{round_number}")
        a.hosts.add(host)
        b = AggregateFactory(
            cloud=cloud, name=f"b{round_number}", metadata={"availability_zone": "zone-b"}
        )
        zone_a = (
            ("put", f"{api}/{a.pk}/", {"availability_zone": "zone-a"})
            if how == "put"
            else (
                "post",
                f"{api}/{a.pk}/action",
                {"set_metadata": {"metadata": {"availability_zone": "zone-a"}}},
            )
        )
        add_to_b = ("post", f"{api}/{b.pk}/action", {"add_host": {"host": host.name}})

        statuses = together(admin_user, zone_a, add_to_b)

        zones = queries.zones_of_host(host)
        assert len(zones) <= 1, (round_number, zones, statuses)
        assert sorted(statuses) in ([200, 400], [200, 409]), (round_number, statuses)
        assert Aggregate.objects.get(pk=b.pk).hosts.filter(pk=host.pk).exists() == (
            statuses[1] == 200
        )
