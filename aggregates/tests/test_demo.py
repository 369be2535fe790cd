"""Demo data: the CLI tour as Nova shows it and a generated lab; a second run changes nothing."""

import pytest

from aggregates import demo, queries
from aggregates.models import Aggregate, Cloud, Flavor, Host, Server
from aggregates.tests.tour import NOVA_AFTER_TOUR, tour_state

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Cloud, Host, Aggregate, Flavor, Server))


def test_seed_builds_the_tour_and_the_lab_and_is_idempotent(admin_user):
    demo.seed(users={"admin": admin_user})
    first = _counts()
    servers = sorted(Server.objects.values_list("uuid", flat=True))

    second_summary = demo.seed(users={"admin": admin_user})

    devstack = Cloud.objects.get(slug="devstack")
    assert tour_state(devstack) == NOVA_AFTER_TOUR
    assert "AggregateInstanceExtraSpecsFilter" in devstack.scheduler_config["enabled_filters"]
    assert sorted(Flavor.objects.filter(cloud=devstack).values_list("flavor_id", flat=True)) == [
        "1",
        "100",
        "2",
        "3",
        "4",
        "5",
    ]
    lab = Cloud.objects.get(slug="lab")
    assert Host.objects.filter(cloud=lab).count() == 300
    assert [z.name for z in queries.availability_zones(lab)] == ["az-1", "az-2", "az-3"]
    assert Aggregate.objects.get(cloud=lab, name="tenant-pool").metadata["filter_tenant_id"]
    assert _counts() == first and "already there" in second_summary
    assert sorted(Server.objects.values_list("uuid", flat=True)) == servers
