"""Demo data: the CLI tour as Nova shows it, a generated lab, weeks of history for both; a second
run changes nothing."""

import pytest

from aggregates import queries
from aggregates.demo import tour as demo
from aggregates.models import Aggregate, Cloud, Flavor, Host, Server, UtilisationSample
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


def test_seeded_demo_clouds_chart_weeks_of_history(admin_user, admin_client):
    demo.seed(users={"admin": admin_user})
    readings = UtilisationSample.objects.count()

    for slug in ("devstack", "lab"):
        url = f"/api/v1/clouds/{slug}/utilisation/history/"
        points = {
            resolution: admin_client.get(url, {"level": "cloud", "resolution": resolution}).json()[
                "count"
            ]
            for resolution in ("raw", "hourly", "daily")
        }
        # Six weeks as retention leaves them: 2 days raw, hourly back to day 30, then daily.
        assert points["raw"] >= 2 * 96 and points["hourly"] >= 27 * 24 and points["daily"] >= 11
        first_page = admin_client.get(url, {"level": "cloud"}).json()["results"]
        assert first_page[0]["vcpus_capacity"] > 0 and first_page[0]["samples"] == 96
        chart = admin_client.get(f"/clouds/{slug}/utilisation/").context["chart"]["data"]
        assert len(chart[0]) == sum(points.values()) and None not in chart[1]
    run_out = admin_client.get("/clouds/lab/capacity/").context["run_out"]
    assert {estimate.zone for estimate in run_out} == {"az-1", "az-2", "az-3"}

    demo.seed(users={"admin": admin_user})
    assert UtilisationSample.objects.count() == readings
