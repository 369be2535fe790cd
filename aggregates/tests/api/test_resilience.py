"""N+1 API: progress while the worker runs, then every host worst first; a change starts over."""

import pytest
from django.urls import reverse

from aggregates import services
from aggregates.models import Aggregate
from aggregates.tasks import plan_resilience
from aggregates.tests.tour import tour_with_cool_servers

pytestmark = pytest.mark.django_db


def ask(client, cloud, level="host", **params):
    return client.get(reverse("api-resilience", args=[cloud.slug]), {"level": level, **params})


def run_worker(cloud, level="host"):
    """What the worker does with the enqueued run (the test's transaction never commits it)."""
    plan_resilience.apply(args=[cloud.pk, level, None]).get()


def test_a_run_reports_progress_then_the_hosts_that_would_strand_servers(admin_client, admin_user):
    cloud = tour_with_cool_servers(admin_user)

    first = ask(admin_client, cloud)
    again = ask(admin_client, cloud)
    run_worker(cloud)
    done = ask(admin_client, cloud)

    assert (first.status_code, first.json()["complete"]) == (202, False)
    assert again.status_code == 202  # the same run, not a second one
    assert done.status_code == 200
    payload = done.json()
    assert (payload["survives"], payload["failing"]) == (False, 1)
    (devstack,) = payload["risks"]  # compute-2 runs no servers: nothing to drain there
    assert devstack == {
        "unit": "devstack",
        "hosts": 1,
        "servers": 2,
        "stranded": 2,
        "rejected_by": [{"step": "AggregateInstanceExtraSpecsFilter", "servers": 2}],
    }


def test_a_change_to_the_cloud_starts_a_new_run(admin_client, admin_user):
    cloud = tour_with_cool_servers(admin_user)
    ask(admin_client, cloud)
    run_worker(cloud)
    aggregate1 = Aggregate.objects.get(cloud=cloud, name="test-aggregate1")

    services.add_host_to_aggregate(aggregate1, "compute-2", actor=admin_user)
    stale = ask(admin_client, cloud)
    run_worker(cloud)
    fresh = ask(admin_client, cloud)

    assert stale.status_code == 202
    assert (fresh.json()["survives"], fresh.json()["risks"][0]["stranded"]) == (True, 0)


def test_by_zone(admin_client, admin_user):
    cloud = tour_with_cool_servers(admin_user)
    ask(admin_client, cloud, "zone")
    run_worker(cloud, "zone")

    risks = {risk["unit"]: risk for risk in ask(admin_client, cloud, "zone").json()["risks"]}

    assert risks["test-az"]["stranded"] == 2
    assert risks["nova"]["servers"] == 0


def test_an_unknown_level_is_a_400_naming_it(admin_client, admin_user):
    cloud = tour_with_cool_servers(admin_user)

    response = ask(admin_client, cloud, "rack")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "level", "message": "'level' must be one of host, zone."}
    ]


def test_retry_must_be_a_boolean(admin_client, admin_user):
    cloud = tour_with_cool_servers(admin_user)

    response = ask(admin_client, cloud, retry="maybe")

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "retry"


def test_retry_leaves_a_complete_run_alone(admin_client, admin_user):
    cloud = tour_with_cool_servers(admin_user)
    ask(admin_client, cloud)
    run_worker(cloud)

    response = ask(admin_client, cloud, retry="true")

    assert (response.status_code, response.json()["complete"]) == (200, True)
