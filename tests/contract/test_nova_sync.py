"""Contract stage against real Nova 34: a harness cloud synced into the database mirrors it
exactly, and each write-path edit of the service layer lands in Nova (then no drift remains)."""

import pytest
import requests
import yaml

from aggregates import services
from aggregates.choices import CloudKind
from aggregates.models import Aggregate, Flavor, Host
from aggregates.sync import reconcile
from aggregates.sync.client import ComputeClient
from aggregates.sync.errors import ComputeApiError
from aggregates.tests.factories import CloudFactory

from .conftest import harness_clouds_entry
from .test_nova_contract import IMAGE, SEED

pytestmark = pytest.mark.contract


@pytest.fixture(scope="module")
def harness_cloud_yaml(fresh_nova_harness, tmp_path_factory):
    compute_url, placement_url = fresh_nova_harness
    for method, path, body, microversion in SEED[:10]:  # the tour, a private flavor, 3 zones
        response = requests.request(
            method,
            compute_url + path,
            json=body,
            headers={"X-Auth-Token": "admin", "OpenStack-API-Version": f"compute {microversion}"},
            timeout=60,
        )
        assert response.status_code == 200, response.text
    server = {
        "name": "cool-1",
        "imageRef": IMAGE,
        "flavorRef": "100",
        "networks": "none",
        "availability_zone": "test-az",
    }
    response = requests.post(
        compute_url + "/servers",
        json={"server": server},
        headers={"X-Auth-Token": "admin", "OpenStack-API-Version": "compute 2.87"},
        timeout=60,
    )
    assert response.status_code == 202, response.text
    path = tmp_path_factory.mktemp("harness") / "clouds.yaml"
    path.write_text(
        yaml.safe_dump({"clouds": {"harness": harness_clouds_entry(compute_url, placement_url)}})
    )
    return path


@pytest.fixture
def cloud(db, harness_cloud_yaml, monkeypatch):
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", str(harness_cloud_yaml))
    cloud = CloudFactory(slug="harness", kind=CloudKind.CONNECTED, os_cloud="harness")
    reconcile.sync_cloud(cloud)
    return cloud


def nova_state():
    snap = ComputeClient("harness").snapshot()
    return {
        "aggregates": sorted(
            (a.id, a.name, sorted(a.metadata.items()), sorted(a.hosts)) for a in snap.aggregates
        ),
        "flavors": sorted(
            (
                f.id,
                f.name,
                f.vcpus,
                f.ram,
                f.disk,
                f.ephemeral,
                f.is_public,
                sorted(f.extra_specs.items()),
                list(f.access),
            )
            for f in snap.flavors
        ),
        "hosts": sorted(
            (
                h.name,
                h.vcpus,
                h.memory_mb,
                h.local_gb,
                h.vcpus_used,
                h.memory_mb_used,
                h.local_gb_used,
                h.reserved_memory_mb,
                h.cpu_allocation_ratio,
                h.status,
                h.disabled_reason or "",
            )
            for h in snap.hosts
        ),
    }


def mirror_state(cloud):
    return {
        "aggregates": sorted(
            (a.remote_id, a.name, sorted(a.metadata.items()), sorted(h.name for h in a.hosts.all()))
            for a in Aggregate.objects.filter(cloud=cloud).prefetch_related("hosts")
        ),
        "flavors": sorted(
            (
                f.flavor_id,
                f.name,
                f.vcpus,
                f.ram,
                f.disk,
                f.ephemeral,
                f.is_public,
                sorted(f.extra_specs.items()),
                f.access_project_ids,
            )
            for f in Flavor.objects.filter(cloud=cloud)
        ),
        "hosts": sorted(
            (
                h.name,
                h.vcpus,
                h.memory_mb,
                h.local_gb,
                h.vcpus_used,
                h.memory_mb_used,
                h.local_gb_used,
                h.reserved_host_memory_mb,
                h.cpu_allocation_ratio,
                h.status,
                h.disabled_reason,
            )
            for h in Host.objects.filter(cloud=cloud)
        ),
    }


@pytest.mark.django_db
def test_sync_of_a_harness_cloud_mirrors_it_exactly(cloud):
    state = nova_state()
    assert mirror_state(cloud) == state
    assert ("devstack", 8, 16384, 200, 2, 2048, 20, 512, 4.0, "enabled", "") in state["hosts"]
    assert (2, "test-aggregate2", [("availability_zone", "test-az")], ["devstack"]) in (
        state["aggregates"]
    )
    server = cloud.servers.select_related("host").get(name="cool-1")
    assert (server.host.name, server.availability_zone, server.flavor.flavor_id) == (
        "devstack",
        "test-az",
        "100",
    )


def aggregate(cloud, name):
    return Aggregate.objects.get(cloud=cloud, name=name)


def flavor(cloud, flavor_id):
    return Flavor.objects.get(cloud=cloud, flavor_id=flavor_id)


# Each edit, and what Nova must then hold. Applied in this order on one harness cloud.
EDITS = [
    (
        "create aggregate",
        lambda c, u: services.create_aggregate(c, actor=u, name="new-agg", availability_zone="az9"),
        lambda n: any(
            a[1] == "new-agg" and ("availability_zone", "az9") in a[2] for a in n["aggregates"]
        ),
    ),
    (
        "rename aggregate",
        lambda c, u: services.update_aggregate(aggregate(c, "new-agg"), actor=u, name="renamed"),
        lambda n: any(a[1] == "renamed" for a in n["aggregates"]),
    ),
    (
        "set metadata",
        lambda c, u: services.set_aggregate_metadata(
            aggregate(c, "test-aggregate1"), {"ssd": "true"}, actor=u
        ),
        lambda n: (
            ("ssd", "true") in [a for a in n["aggregates"] if a[1] == "test-aggregate1"][0][2]
        ),
    ),
    (
        "add host",
        lambda c, u: services.add_host_to_aggregate(aggregate(c, "renamed"), "compute-2", actor=u),
        lambda n: [a for a in n["aggregates"] if a[1] == "renamed"][0][3] == ["compute-2"],
    ),
    (
        "remove host",
        lambda c, u: services.remove_host_from_aggregate(
            aggregate(c, "renamed"), "compute-2", actor=u
        ),
        lambda n: [a for a in n["aggregates"] if a[1] == "renamed"][0][3] == [],
    ),
    (
        "delete aggregate",
        lambda c, u: services.delete_aggregate(aggregate(c, "renamed"), actor=u),
        lambda n: all(a[1] != "renamed" for a in n["aggregates"]),
    ),
    (
        "create flavor",
        lambda c, u: services.create_flavor(
            c,
            actor=u,
            name="m1.new",
            vcpus=2,
            ram=1024,
            disk=10,
            flavor_id="300",
            ephemeral=5,
            is_public=False,
        ),
        lambda n: any(f[0] == "300" and f[5] == 5 and not f[6] for f in n["flavors"]),
    ),
    (
        "set extra specs",
        lambda c, u: services.set_flavor_extra_specs(
            flavor(c, "300"), {"hw:cpu_policy": "shared"}, actor=u
        ),
        lambda n: [f for f in n["flavors"] if f[0] == "300"][0][7] == [("hw:cpu_policy", "shared")],
    ),
    (
        "delete extra spec",
        lambda c, u: services.delete_flavor_extra_spec(flavor(c, "300"), "hw:cpu_policy", actor=u),
        lambda n: [f for f in n["flavors"] if f[0] == "300"][0][7] == [],
    ),
    (
        "add flavor access",
        lambda c, u: services.add_flavor_access(flavor(c, "300"), "p-other", actor=u),
        lambda n: [f for f in n["flavors"] if f[0] == "300"][0][8] == ["p-other"],
    ),
    (
        "remove flavor access",
        lambda c, u: services.remove_flavor_access(flavor(c, "300"), "p-other", actor=u),
        lambda n: [f for f in n["flavors"] if f[0] == "300"][0][8] == [],
    ),
    (
        "delete flavor",
        lambda c, u: services.delete_flavor(flavor(c, "300"), actor=u),
        lambda n: all(f[0] != "300" for f in n["flavors"]),
    ),
    (
        "disable compute service",
        lambda c, u: services.set_host_status(
            Host.objects.get(cloud=c, name="compute-2"),
            enabled=False,
            disabled_reason="maint",
            actor=u,
        ),
        lambda n: [h for h in n["hosts"] if h[0] == "compute-2"][0][9:] == ("disabled", "maint"),
    ),
    (
        "enable compute service",
        lambda c, u: services.set_host_status(
            Host.objects.get(cloud=c, name="compute-2"), enabled=True, actor=u
        ),
        lambda n: [h for h in n["hosts"] if h[0] == "compute-2"][0][9:] == ("enabled", ""),
    ),
]


@pytest.mark.django_db
def test_each_write_path_edit_lands_in_nova(cloud, admin_user):
    problems = []
    for name, apply, landed in EDITS:
        apply(cloud, admin_user)
        state = nova_state()
        if not landed(state):
            problems.append(f"{name}: not in Nova")
        if mirror_state(cloud) != state:
            problems.append(f"{name}: mirror differs from Nova")
        run = reconcile.sync_cloud(cloud)
        if run.changed_rows:
            problems.append(f"{name}: the next sync found drift {run.changes}")
    assert problems == []


@pytest.mark.django_db
def test_novas_refusal_reaches_the_admin_and_leaves_the_mirror(cloud, admin_user):
    other = aggregate(cloud, "test-aggregate3")
    before = mirror_state(cloud)

    with pytest.raises(ComputeApiError) as caught:
        services.add_host_to_aggregate(other, "devstack", actor=admin_user)

    assert (caught.value.status, caught.value.message) == (
        409,
        f"Cannot add host to aggregate {other.remote_id}. Reason: One or more hosts already in "
        "availability zone(s) ['test-az'].",
    )
    assert mirror_state(cloud) == before == nova_state()
