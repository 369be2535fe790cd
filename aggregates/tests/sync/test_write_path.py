"""The write path: an edit of a connected cloud reaches the compute API first; the mirror follows
only what the API accepted, and a refusal carries the API's status and message."""

import pytest
from django.urls import reverse

from aggregates import services
from aggregates.models import Aggregate, Flavor, Host
from aggregates.sync import reconcile
from aggregates.sync.errors import ComputeApiError, ComputeUnavailable

from .test_reconcile import expected, mirror


@pytest.fixture
def synced(connected_cloud):
    reconcile.sync_cloud(connected_cloud)
    return connected_cloud


def aggregate(cloud, name):
    return Aggregate.objects.get(cloud=cloud, name=name)


def flavor(cloud, flavor_id):
    return Flavor.objects.get(cloud=cloud, flavor_id=flavor_id)


EDITS = {
    "create aggregate": (
        lambda c, u: services.create_aggregate(c, actor=u, name="new-agg", availability_zone="az9"),
        lambda s: any(
            a.name == "new-agg" and a.availability_zone == "az9" for a in s.aggregates.values()
        ),
    ),
    "rename aggregate": (
        lambda c, u: services.update_aggregate(
            aggregate(c, "test-aggregate1"), actor=u, name="renamed"
        ),
        lambda s: s.aggregates[1].name == "renamed",
    ),
    "set metadata": (
        lambda c, u: services.set_aggregate_metadata(
            aggregate(c, "test-aggregate1"), {"ssd": "true", "coolhardware": None}, actor=u
        ),
        lambda s: s.aggregates[1].metadata == {"ssd": "true"},
    ),
    "add host": (
        lambda c, u: services.add_host_to_aggregate(
            aggregate(c, "test-aggregate1"), "compute-2", actor=u
        ),
        lambda s: s.aggregates[1].hosts == ["compute-2"],
    ),
    "remove host": (
        lambda c, u: services.remove_host_from_aggregate(
            aggregate(c, "test-aggregate2"), "devstack", actor=u
        ),
        lambda s: s.aggregates[2].hosts == [],
    ),
    "delete aggregate": (
        lambda c, u: services.delete_aggregate(aggregate(c, "test-aggregate1"), actor=u),
        lambda s: 1 not in s.aggregates,
    ),
    "create flavor": (
        lambda c, u: services.create_flavor(
            c, actor=u, name="m1.new", vcpus=2, ram=1024, disk=10, flavor_id="300", ephemeral=5
        ),
        lambda s: s.flavors["300"].name == "m1.new" and s.flavors["300"].ephemeral == 5,
    ),
    "delete flavor": (
        lambda c, u: services.delete_flavor(flavor(c, "100"), actor=u),
        lambda s: "100" not in s.flavors,
    ),
    "set extra specs": (
        lambda c, u: services.set_flavor_extra_specs(
            flavor(c, "100"), {"hw:cpu_policy": "dedicated"}, actor=u
        ),
        lambda s: (
            s.flavors["100"].extra_specs == {"coolhardware": "true", "hw:cpu_policy": "dedicated"}
        ),
    ),
    "delete extra spec": (
        lambda c, u: services.delete_flavor_extra_spec(flavor(c, "100"), "coolhardware", actor=u),
        lambda s: s.flavors["100"].extra_specs == {},
    ),
    "add flavor access": (
        lambda c, u: services.add_flavor_access(flavor(c, "101"), "p-other", actor=u),
        lambda s: s.flavors["101"].access == ["p-demo", "p-other"],
    ),
    "remove flavor access": (
        lambda c, u: services.remove_flavor_access(flavor(c, "101"), "p-demo", actor=u),
        lambda s: s.flavors["101"].access == [],
    ),
    "disable compute service": (
        lambda c, u: services.set_host_status(
            Host.objects.get(cloud=c, name="compute-2"),
            enabled=False,
            disabled_reason="maintenance",
            actor=u,
        ),
        lambda s: (
            (s.hosts["compute-2"].disabled, s.hosts["compute-2"].disabled_reason)
            == (True, "maintenance")
        ),
    ),
    "enable compute service": (
        lambda c, u: services.set_host_status(
            services.set_host_status(
                Host.objects.get(cloud=c, name="compute-2"), enabled=False, actor=u
            ),
            enabled=True,
            actor=u,
        ),
        lambda s: (
            (s.hosts["compute-2"].disabled, s.hosts["compute-2"].disabled_reason) == (False, None)
        ),
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("edit", EDITS)
def test_each_edit_reaches_the_compute_api_and_the_mirror_follows(
    synced, simulator, admin_user, edit
):
    apply, landed = EDITS[edit]

    apply(synced, admin_user)

    assert landed(simulator.state)
    assert mirror(synced) == expected(simulator.state)  # mirrored exactly as the API has it
    run = reconcile.sync_cloud(synced)
    assert (run.changed_rows, run.changes) == (0, [])  # so the next sync finds no drift


@pytest.mark.django_db
def test_refused_edit_leaves_the_mirror_unchanged_with_novas_status_and_message(
    synced, simulator, admin_user
):
    other = services.create_aggregate(
        synced, actor=admin_user, name="other", availability_zone="oz"
    )
    before = mirror(synced)

    with pytest.raises(ComputeApiError) as caught:
        services.add_host_to_aggregate(other, "devstack", actor=admin_user)

    assert (caught.value.status, caught.value.message) == (
        409,
        f"Cannot add host to aggregate {other.remote_id}. Reason: One or more hosts already in "
        "availability zone(s) ['test-az'].",
    )
    assert mirror(synced) == before
    assert simulator.state.aggregates[other.remote_id].hosts == []


@pytest.mark.django_db
def test_edit_while_the_api_is_down_changes_nothing(synced, simulator, admin_user):
    simulator.app.inject("down")
    before = mirror(synced)

    with pytest.raises(ComputeUnavailable):
        services.set_aggregate_metadata(
            aggregate(synced, "test-aggregate1"), {"ssd": "true"}, actor=admin_user
        )

    assert mirror(synced) == before


@pytest.mark.django_db
def test_disabling_from_the_host_page_reaches_the_compute_api(synced, simulator, admin_client):
    host = Host.objects.get(cloud=synced, name="compute-2")
    url = reverse("aggregates:host_set_status", args=[synced.slug, host.pk])

    response = admin_client.post(
        url, {"status": "disabled", "disabled_reason": "rack 4"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert b"rack 4" in response.content
    assert simulator.state.hosts["compute-2"].disabled_reason == "rack 4"
    assert Host.objects.get(pk=host.pk).disabled_reason == "rack 4"


@pytest.mark.django_db
def test_a_page_edit_while_the_api_is_down_is_a_message_in_place(synced, simulator, admin_client):
    simulator.app.inject("down")
    host = Host.objects.get(cloud=synced, name="compute-2")
    flavor_url = reverse("aggregates:flavor_delete", args=[synced.slug, "100"])
    status_url = reverse("aggregates:host_set_status", args=[synced.slug, host.pk])

    deleted = admin_client.post(flavor_url, headers={"HX-Request": "true"})
    disabled = admin_client.post(status_url, {"status": "disabled"}, headers={"HX-Request": "true"})

    assert deleted.status_code == 422 and b'id="delete-zone"' in deleted.content
    assert disabled.status_code == 422 and b'id="host-status"' in disabled.content
    assert b"<html" not in deleted.content + disabled.content
    assert Flavor.objects.filter(cloud=synced, flavor_id="100").exists()
    assert Host.objects.get(pk=host.pk).status == "enabled"
