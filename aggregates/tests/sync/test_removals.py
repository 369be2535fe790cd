"""A short listing cannot wipe the mirror: removals beyond a share are held until an admin
confirms or the next sync agrees; removed rows are marked gone (kept, hidden) and purged later."""

from datetime import timedelta

import jsonschema
import pytest
from django.urls import reverse
from django.utils import timezone

from aggregates.choices import HeldResolution
from aggregates.models import Aggregate, Flavor, Host, SyncRun, UtilisationSeries
from aggregates.sync import reconcile

HOSTS = 20


@pytest.fixture
def twenty_hosts(connected_cloud, simulator):
    """The tour cloud grown to 20 hosts (pages of 2), mirrored once."""
    for number in range(4, HOSTS + 1):
        simulator.state.add_host(f"compute-{number}", 8, 16384, 200)
    reconcile.sync_cloud(connected_cloud)
    assert Host.objects.filter(cloud=connected_cloud).count() == HOSTS
    return {host.name: host.pk for host in Host.objects.filter(cloud=connected_cloud)}


def short_sync(cloud, simulator) -> SyncRun:
    """A sync whose hypervisor listing ends after its first page (empty pages, no error)."""
    simulator.app.inject("short", path="/os-hypervisors", page=1)
    try:
        return reconcile.sync_cloud(cloud)
    finally:
        simulator.app.clear_faults()


def held_resolution_schema(client) -> jsonschema.Draft7Validator:
    """The served schema's held_resolution, its $refs resolved against the whole document."""
    components = client.get("/api/schema/", headers={"Accept": "application/json"}).json()[
        "components"
    ]
    prop = components["schemas"]["SyncRun"]["properties"]["held_resolution"]
    return jsonschema.Draft7Validator({**prop, "components": components})


def live_hosts(cloud) -> set[str]:
    return set(Host.objects.filter(cloud=cloud).values_list("name", flat=True))


@pytest.mark.django_db
def test_a_short_listing_holds_the_removals_and_the_page_confirms_them(
    connected_cloud, simulator, twenty_hosts, admin_client, admin_user
):
    members = set(
        Aggregate.objects.get(name="test-aggregate1").hosts.values_list("name", flat=True)
    )

    run = short_sync(connected_cloud, simulator)

    held = {row["name"] for row in run.held["host"]}
    assert len(held) == HOSTS - 2 and run.held_count == HOSTS - 2
    assert (run.deleted, run.gone) == (0, 0)
    assert live_hosts(connected_cloud) == set(twenty_hosts)  # every host kept, as it was
    assert {("host", name, "held") for name in held} <= {
        (c["kind"], c["name"], c["action"]) for c in run.changes
    }
    assert (
        set(Aggregate.objects.get(name="test-aggregate1").hosts.values_list("name", flat=True))
        == members
    )
    page = admin_client.get(reverse("aggregates:cloud_sync", args=[connected_cloud.slug]))
    text = page.content.decode()
    assert "Removals held" in text and f"{HOSTS - 2} hosts:" in text
    assert all(f"<code>{name}</code>" in text for name in held)

    confirmed = admin_client.post(
        reverse("aggregates:cloud_sync_confirm_held", args=[connected_cloud.slug]), follow=True
    )

    assert f"{HOSTS - 2} held removals applied" in confirmed.content.decode()
    assert "Removals held" not in confirmed.content.decode()
    assert live_hosts(connected_cloud) == set(twenty_hosts) - held
    # Gone, not deleted: the rows and their history stay, hidden from lists and pages.
    assert Host.all_objects.filter(cloud=connected_cloud).count() == HOSTS
    series = set(
        UtilisationSeries.objects.filter(cloud=connected_cloud).values_list("name", flat=True)
    )
    assert held <= series
    hosts_page = admin_client.get(reverse("aggregates:host_list", args=[connected_cloud.slug]))
    assert not any(f">{name}<" in hosts_page.content.decode() for name in held)
    run.refresh_from_db()
    assert (run.held_resolution, run.held_resolved_by) == (
        HeldResolution.CONFIRMED,
        admin_user.username,
    )

    back = reconcile.sync_cloud(connected_cloud)  # the listing is whole again: the same rows

    assert {
        name: pk
        for name, pk in Host.objects.filter(cloud=connected_cloud).values_list("name", "pk")
    } == twenty_hosts
    assert {c["name"] for c in back.changes if c["action"] == "returned"} == held


@pytest.mark.django_db
def test_the_next_sync_missing_the_same_rows_agrees_and_marks_them_gone(
    connected_cloud, simulator, twenty_hosts
):
    first = short_sync(connected_cloud, simulator)

    second = short_sync(connected_cloud, simulator)

    assert second.held == {} and second.gone == HOSTS - 2
    assert len(live_hosts(connected_cloud)) == 2
    first.refresh_from_db()
    assert first.held_resolution == HeldResolution.NEXT_SYNC


@pytest.mark.django_db
def test_a_whole_listing_next_keeps_everything_and_nothing_is_left_to_confirm(
    connected_cloud, simulator, twenty_hosts, admin_client
):
    short_sync(connected_cloud, simulator)

    run = reconcile.sync_cloud(connected_cloud)

    assert (run.held, run.gone, run.deleted) == ({}, 0, 0)
    assert live_hosts(connected_cloud) == set(twenty_hosts)
    response = admin_client.post(
        reverse("api-cloud-sync-confirm-held", args=[connected_cloud.slug])
    )
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "held"


@pytest.mark.django_db
def test_the_api_shows_and_confirms_held_removals(
    connected_cloud, simulator, twenty_hosts, admin_client
):
    short_sync(connected_cloud, simulator)
    runs = admin_client.get(reverse("api-syncrun-list", args=[connected_cloud.slug])).json()
    latest = runs["results"][0]
    assert len(latest["held"]["host"]) == HOSTS - 2 and latest["held_resolution"] == ""

    response = admin_client.post(
        reverse("api-cloud-sync-confirm-held", args=[connected_cloud.slug])
    )

    assert response.status_code == 200
    assert response.json()["held_resolution"] == "confirmed"
    assert len(live_hosts(connected_cloud)) == 2
    # Found by fuzzing: the schema's enum left out "", what every run with nothing held reads.
    schema = held_resolution_schema(admin_client)
    assert schema.is_valid(latest["held_resolution"]) and schema.is_valid("confirmed")
    assert not schema.is_valid("later")


@pytest.mark.django_db
def test_a_few_missing_rows_are_marked_gone_at_once_and_return_as_the_same_row(
    connected_cloud, simulator, twenty_hosts
):
    gone = simulator.state.hosts.pop("compute-7")  # 1 of 20: under the 10 % share

    run = reconcile.sync_cloud(connected_cloud)

    assert (run.gone, run.deleted, run.held) == (1, 0, {})
    assert "compute-7" not in live_hosts(connected_cloud)
    assert Host.all_objects.get(cloud=connected_cloud, name="compute-7").gone_since is not None

    simulator.state.hosts["compute-7"] = gone
    reconcile.sync_cloud(connected_cloud)

    assert Host.objects.get(cloud=connected_cloud, name="compute-7").pk == twenty_hosts["compute-7"]


@pytest.mark.django_db
def test_rows_gone_longer_than_the_retention_are_purged(
    connected_cloud, simulator, twenty_hosts, settings
):
    simulator.state.hosts.pop("compute-7")
    simulator.state.delete_flavor("101")
    settings.STACKBOARD_SYNC_HOLD_SHARE = 1
    reconcile.sync_cloud(connected_cloud)
    long_ago = timezone.now() - timedelta(days=settings.STACKBOARD_SYNC_GONE_RETENTION_DAYS + 1)
    Host.all_objects.filter(name="compute-7").update(gone_since=long_ago)

    run = reconcile.sync_cloud(connected_cloud)

    assert run.deleted == 1
    assert not Host.all_objects.filter(name="compute-7").exists()
    assert Flavor.all_objects.filter(flavor_id="101").exists()  # gone, within the retention


@pytest.mark.django_db
def test_an_aggregate_recreated_in_nova_replaces_its_gone_twin(
    connected_cloud, simulator, twenty_hosts, admin_client, settings
):
    settings.STACKBOARD_SYNC_HOLD_SHARE = 1  # one aggregate of three
    aggregate = Aggregate.objects.get(cloud=connected_cloud, name="test-aggregate2")
    simulator.state.aggregates.pop(aggregate.remote_id)
    reconcile.sync_cloud(connected_cloud)
    assert Aggregate.all_objects.get(pk=aggregate.pk).gone_since is not None

    response = admin_client.post(
        reverse("api-aggregate-list", args=[connected_cloud.slug]),
        {"name": "test-aggregate2"},
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    assert [a.pk for a in Aggregate.all_objects.filter(name="test-aggregate2")] == [
        response.json()["id"]
    ]


@pytest.mark.django_db
def test_an_empty_listing_holds_every_host_and_not_the_ones_already_gone(
    connected_cloud, simulator, twenty_hosts
):
    simulator.state.hosts.pop("compute-7")  # 1 of 20: marked gone at once
    reconcile.sync_cloud(connected_cloud)
    simulator.app.inject("short", path="/os-hypervisors", page=0)

    run = reconcile.sync_cloud(connected_cloud)

    assert sorted(row["name"] for row in run.held["host"]) == sorted(
        set(twenty_hosts) - {"compute-7"}
    )
    assert len(live_hosts(connected_cloud)) == HOSTS - 1
