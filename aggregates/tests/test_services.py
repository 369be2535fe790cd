"""The service layer: Nova's aggregate, zone and flavor rules, each refusal writing nothing."""

import pytest

from aggregates import services
from aggregates.models import Aggregate, Cloud, Flavor
from aggregates.tests.factories import (
    AggregateFactory,
    CloudFactory,
    FlavorFactory,
    HostFactory,
    ServerFactory,
)
from dashboard.errors import DomainError
from dashboard.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_create_cloud_and_host_take_nova_defaults_from_the_scheduler_config(admin_user):
    cloud = services.create_cloud(actor=admin_user, slug="lab", name="Lab")
    cloud.scheduler_config = {"cpu_allocation_ratio": 16.0}
    cloud.save()

    host = services.create_host(
        cloud, actor=admin_user, name="h1", vcpus=8, memory_mb=16384, local_gb=100
    )

    assert (host.cpu_allocation_ratio, host.ram_allocation_ratio) == (16.0, 1.0)
    assert host.reserved_host_memory_mb == 512
    assert host.memory_mb_capacity == 16384 - 512
    assert host.vcpus_capacity == 128


def test_cli_tour_builds_nova_state(admin_user):
    cloud = CloudFactory(slug="devstack")
    devstack = HostFactory(cloud=cloud, name="devstack")
    HostFactory(cloud=cloud, name="compute-2")

    agg1 = services.create_aggregate(cloud, actor=admin_user, name="test-aggregate1")
    agg2 = services.create_aggregate(
        cloud, actor=admin_user, name="test-aggregate2", availability_zone="test-az"
    )
    services.add_host_to_aggregate(agg2, "devstack", actor=admin_user)
    services.set_aggregate_metadata(agg1, {"coolhardware": "true"}, actor=admin_user)
    flavor = services.create_flavor(
        cloud, actor=admin_user, name="m1.coolhardware", flavor_id="100", ram=2048, disk=20, vcpus=2
    )
    services.set_flavor_extra_specs(flavor, {"coolhardware": "true"}, actor=admin_user)

    agg1.refresh_from_db()
    agg2.refresh_from_db()
    assert agg1.metadata == {"coolhardware": "true"} and agg1.availability_zone is None
    assert agg2.availability_zone == "test-az" and list(agg2.hosts.all()) == [devstack]
    assert Flavor.objects.get(cloud=cloud, flavor_id="100").extra_specs == {"coolhardware": "true"}


def test_add_host_refuses_host_in_another_zone_naming_host_and_zones(admin_user):
    host = HostFactory(name="devstack")
    AggregateFactory(cloud=host.cloud, availability_zone="test-az", hosts=[host])
    target = AggregateFactory(
        cloud=host.cloud, name="test-aggregate3", availability_zone="other-az"
    )

    with pytest.raises(DomainError) as caught:
        services.add_host_to_aggregate(target, host, actor=admin_user)

    assert caught.value.status == 409
    assert caught.value.message.startswith(
        f"Cannot add host to aggregate {target.pk}. "
        "Reason: One or more hosts already in availability zone(s) ['test-az']."
    )
    assert "devstack" in caught.value.message
    assert not target.hosts.exists()
    assert not AuditEntry.objects.exists()


def test_add_host_to_an_aggregate_of_the_same_zone_or_without_zone_is_fine(admin_user):
    host = HostFactory()
    AggregateFactory(cloud=host.cloud, availability_zone="az-a", hosts=[host])
    same = AggregateFactory(cloud=host.cloud, availability_zone="az-a")
    plain = AggregateFactory(cloud=host.cloud)

    services.add_host_to_aggregate(same, host, actor=admin_user)
    services.add_host_to_aggregate(plain, host, actor=admin_user)

    assert same.hosts.filter(pk=host.pk).exists() and plain.hosts.filter(pk=host.pk).exists()


@pytest.mark.parametrize(
    ("host_name", "status", "message"),
    [
        # nova-scheduling.md §2.3: unknown host, different letter case → 404
        ("no-such-host", 404, "Compute host no-such-host could not be found."),
        ("DEVSTACK", 404, "Compute host DEVSTACK could not be found."),
    ],
)
def test_add_host_refuses_unknown_hosts(admin_user, host_name, status, message):
    host = HostFactory(name="devstack")
    aggregate = AggregateFactory(cloud=host.cloud)

    with pytest.raises(DomainError) as caught:
        services.add_host_to_aggregate(aggregate, host_name, actor=admin_user)

    assert (caught.value.status, caught.value.message) == (status, message)
    assert not aggregate.hosts.exists()


def test_add_host_twice_is_a_conflict(admin_user):
    host = HostFactory(name="devstack")
    aggregate = AggregateFactory(cloud=host.cloud, hosts=[host])

    with pytest.raises(DomainError) as caught:
        services.add_host_to_aggregate(aggregate, host, actor=admin_user)

    assert caught.value.status == 409
    assert caught.value.message == f"Aggregate {aggregate.pk} already has host devstack."


def test_add_host_with_instances_that_would_change_zone_is_refused(admin_user):
    host = HostFactory(name="busy")
    ServerFactory(host=host)
    aggregate = AggregateFactory(cloud=host.cloud, availability_zone="az1")

    with pytest.raises(DomainError) as caught:
        services.add_host_to_aggregate(aggregate, host, actor=admin_user)

    assert caught.value.status == 409
    assert "would change from 'None' to 'az1' but the host already has 1 instance(s)" in (
        caught.value.message
    )
    assert not aggregate.hosts.exists()


def test_remove_host_not_in_aggregate_is_404(admin_user):
    host = HostFactory(name="devstack")
    aggregate = AggregateFactory(cloud=host.cloud)

    with pytest.raises(DomainError) as caught:
        services.remove_host_from_aggregate(aggregate, "devstack", actor=admin_user)

    assert caught.value.status == 404
    assert caught.value.message == f"Cannot remove host devstack in aggregate {aggregate.pk}"


def test_remove_host_with_instances_leaving_its_zone_is_refused(admin_user):
    host = HostFactory()
    ServerFactory(host=host)
    aggregate = AggregateFactory(cloud=host.cloud, availability_zone="az1", hosts=[host])

    with pytest.raises(DomainError) as caught:
        services.remove_host_from_aggregate(aggregate, host, actor=admin_user)

    assert caught.value.status == 409
    assert aggregate.hosts.filter(pk=host.pk).exists()


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("", 400),  # schema: 1–255
        ("x" * 256, 400),
        (" leading", 400),  # create refuses surrounding whitespace
        ("trailing ", 400),
        ("taken", 409),  # Aggregate taken already exists.
    ],
)
def test_create_aggregate_refuses_bad_or_duplicate_names(admin_user, name, status):
    cloud = CloudFactory()
    AggregateFactory(cloud=cloud, name="taken")

    with pytest.raises(DomainError) as caught:
        services.create_aggregate(cloud, actor=admin_user, name=name)

    assert caught.value.status == status
    assert caught.value.field == "name"
    assert Aggregate.objects.filter(cloud=cloud).count() == 1


def test_duplicate_aggregate_name_message_is_novas(admin_user):
    cloud = CloudFactory()
    AggregateFactory(cloud=cloud, name="taken")
    with pytest.raises(DomainError, match=r"^Aggregate taken already exists\.$"):
        services.create_aggregate(cloud, actor=admin_user, name="taken")


@pytest.mark.parametrize("zone", ["", "a:b", " az", "az ", "x" * 256])
def test_create_aggregate_refuses_bad_zone_names(admin_user, zone):
    cloud = CloudFactory()
    with pytest.raises(DomainError) as caught:
        services.create_aggregate(cloud, actor=admin_user, name="agg", availability_zone=zone)
    assert (caught.value.status, caught.value.field) == (400, "availability_zone")
    assert not Aggregate.objects.exists()


@pytest.mark.parametrize("zone", ["agg", "internal", "a,b"])
def test_create_aggregate_allows_zone_names_nova_allows(admin_user, zone):
    aggregate = services.create_aggregate(
        CloudFactory(), actor=admin_user, name="agg", availability_zone=zone
    )
    assert aggregate.availability_zone == zone


def test_update_aggregate_strips_the_name_and_refuses_removing_the_zone(admin_user):
    aggregate = AggregateFactory(name="old", availability_zone="az1")

    services.update_aggregate(aggregate, actor=admin_user, name="  new  ")
    with pytest.raises(DomainError) as caught:
        services.update_aggregate(aggregate, actor=admin_user, availability_zone=None)

    aggregate.refresh_from_db()
    assert aggregate.name == "new" and aggregate.availability_zone == "az1"
    assert caught.value.status == 400
    assert caught.value.message == (
        f"Cannot update aggregate {aggregate.pk}. Reason: "
        "Aggregate new does not support empty named availability zone."
    )


def test_update_aggregate_renames_before_refusing_the_zone(admin_user):
    host = HostFactory()
    AggregateFactory(cloud=host.cloud, availability_zone="az-a", hosts=[host])
    aggregate = AggregateFactory(cloud=host.cloud, name="before", hosts=[host])

    with pytest.raises(DomainError) as caught:
        services.update_aggregate(
            aggregate, actor=admin_user, name="after", availability_zone="az-b"
        )

    aggregate.refresh_from_db()
    assert caught.value.status == 400
    assert "One or more hosts already in availability zone(s) ['az-a']" in caught.value.message
    assert aggregate.name == "after" and aggregate.availability_zone is None


def test_set_metadata_merges_and_null_deletes(admin_user):
    aggregate = AggregateFactory(metadata={"a": "1", "b": "2"})

    services.set_aggregate_metadata(aggregate, {"a": None, "c": "3", "zz": None}, actor=admin_user)

    aggregate.refresh_from_db()
    assert aggregate.metadata == {"b": "2", "c": "3"}


@pytest.mark.parametrize(
    ("metadata", "message"),
    [
        ({"bad/key": "1"}, "Invalid key"),
        ({"": "1"}, "Invalid key"),
        ({"k": 1}, "must be a string or null"),
        ({"k": "x" * 256}, "longer than 255"),
        ({"availability_zone": None}, "does not support empty named availability zone"),
    ],
)
def test_set_metadata_refuses_invalid_input(admin_user, metadata, message):
    aggregate = AggregateFactory(metadata={"keep": "me"})
    with pytest.raises(DomainError, match=message) as caught:
        services.set_aggregate_metadata(aggregate, metadata, actor=admin_user)
    assert caught.value.status == 400
    aggregate.refresh_from_db()
    assert aggregate.metadata == {"keep": "me"}


def test_set_metadata_zone_conflict_is_400_not_409(admin_user):
    host = HostFactory()
    AggregateFactory(cloud=host.cloud, availability_zone="az-a", hosts=[host])
    aggregate = AggregateFactory(cloud=host.cloud, hosts=[host])

    with pytest.raises(DomainError) as caught:
        services.set_aggregate_metadata(aggregate, {"availability_zone": "az-b"}, actor=admin_user)

    assert caught.value.status == 400
    assert caught.value.message == (
        f"Cannot update metadata of aggregate {aggregate.pk}. "
        "Reason: One or more hosts already in availability zone(s) ['az-a']."
    )


def test_changing_zone_of_hosts_with_instances_is_refused_but_same_zone_is_fine(admin_user):
    host = HostFactory()
    ServerFactory(host=host)
    aggregate = AggregateFactory(cloud=host.cloud, availability_zone="az1", hosts=[host])

    services.set_aggregate_metadata(aggregate, {"availability_zone": "az1"}, actor=admin_user)
    with pytest.raises(DomainError, match="One or more hosts contain instances in this zone"):
        services.update_aggregate(aggregate, actor=admin_user, availability_zone="renamed-az")


def test_delete_aggregate_with_hosts_is_refused(admin_user):
    host = HostFactory()
    aggregate = AggregateFactory(cloud=host.cloud, hosts=[host])

    with pytest.raises(DomainError) as caught:
        services.delete_aggregate(aggregate, actor=admin_user)

    assert caught.value.status == 400
    assert caught.value.message == (
        f"Cannot remove host from aggregate {aggregate.pk}. Reason: Host aggregate is not empty."
    )
    assert Aggregate.objects.filter(pk=aggregate.pk).exists()


def test_every_change_is_audited_with_user_before_and_after(admin_user):
    host = HostFactory(name="devstack")
    aggregate = AggregateFactory(cloud=host.cloud, name="agg")

    services.add_host_to_aggregate(aggregate, host, actor=admin_user)
    services.set_aggregate_metadata(aggregate, {"ssd": "true"}, actor=admin_user)
    services.remove_host_from_aggregate(aggregate, host, actor=admin_user)
    services.delete_aggregate(aggregate, actor=admin_user)

    entries = list(AuditEntry.objects.order_by("id"))
    assert [e.action for e in entries] == ["update", "update", "update", "delete"]
    assert all(e.actor == admin_user and e.created_at for e in entries)
    assert (entries[0].before["hosts"], entries[0].after["hosts"]) == ([], ["devstack"])
    assert entries[1].after["metadata"] == {"ssd": "true"}
    assert entries[3].after is None and entries[3].before["name"] == "agg"


@pytest.mark.parametrize(
    ("changes", "field", "status"),
    [
        ({"flavor_id": "bad/id"}, "id", 400),
        ({"flavor_id": " lead"}, "id", 400),
        ({"flavor_id": "1"}, "id", 409),  # Flavor with ID 1 already exists.
        ({"name": "m1.tiny"}, "name", 409),  # Flavor with name m1.tiny already exists.
        ({"vcpus": 0}, "vcpus", 400),
        ({"ram": 0}, "ram", 400),
        ({"disk": -1}, "disk", 400),
        ({"swap": "lots"}, "swap", 400),
        ({"rxtx_factor": 0}, "rxtx_factor", 400),
        ({"name": ""}, "name", 400),
    ],
)
def test_create_flavor_refuses_invalid_input(admin_user, changes, field, status):
    cloud = CloudFactory()
    FlavorFactory(cloud=cloud, flavor_id="1", name="m1.tiny")
    values = {"name": "new", "flavor_id": "2", "vcpus": 1, "ram": 512, "disk": 1, **changes}

    with pytest.raises(DomainError) as caught:
        services.create_flavor(cloud, actor=admin_user, **values)

    assert (caught.value.field, caught.value.status) == (field, status)
    assert Flavor.objects.filter(cloud=cloud).count() == 1


def test_flavor_without_id_gets_a_uuid(admin_user):
    flavor = services.create_flavor(CloudFactory(), actor=admin_user, name="x", vcpus=1, ram=1)
    assert len(flavor.flavor_id) == 36


@pytest.mark.parametrize(
    ("specs", "message"),
    [
        ({"hw:bogus": "1"}, "'hw:bogus' does not appear to be a valid extra spec."),
        ({"capabilities:bogus": "1"}, "does not appear to be a valid extra spec"),
        ({"hw:cpu_policy": "fast"}, "'fast' is not one of: shared, dedicated, mixed."),
        ({"group_policy": "maybe"}, "'maybe' is not one of: none, isolate."),
        ({"resources:VCPU": "two"}, "'two' is not a valid integer value."),
        ({"hw:numa_nodes": "0"}, "'0' is less than the min value of '1'."),
        ({"hw:cpu_realtime": "sure"}, "'sure' is not a valid boolean-like value."),
        ({"trait:HW_CPU_X86_AVX2": "yes"}, "'yes' is not one of: required, forbidden."),
        ({"bad/key": "x"}, "Invalid key"),
        ({"k": "x" * 256}, "longer than 255"),
        ({"k": None}, "must have a string value"),
    ],
)
def test_extra_specs_refuse_what_nova_or_its_scheduler_would(admin_user, specs, message):
    flavor = FlavorFactory(extra_specs={"keep": "me"})
    with pytest.raises(DomainError, match=message.replace("(", r"\(")) as caught:
        services.set_flavor_extra_specs(flavor, specs, actor=admin_user)
    assert caught.value.status == 400
    flavor.refresh_from_db()
    assert flavor.extra_specs == {"keep": "me"}


@pytest.mark.parametrize(
    "specs",
    [
        {"coolhardware": "true"},
        {"aggregate_instance_extra_specs:ssd": "<or> true <or> yes"},
        {"aggregate_instance_extra_specs:gpus": ">= 2"},
        {"capabilities:cpu_info:features": "<all-in> aes avx"},
        # Nova does not check the operator language: it stores these, and so do we.
        {"coolhardware": "= abc"},
        {"aggregate_instance_extra_specs:ssd": "<or>"},
        {"coolhardware": "<or> a b c"},
        {"coolhardware": "<or> a <or>"},
        {"capabilities:vcpus": ">= many"},
        {"capabilities:running_vms": "<= 3", "capabilities:metrics:cpu:freq": "s== x"},
        {"hw:cpu_policy": "dedicated", "resources:VGPU": "1", "trait:CUSTOM_X": "required"},
        {"foo:bar": "anything"},
        {"quota:disk_read_bytes_sec": 10240},  # numbers are stored as strings
    ],
)
def test_extra_specs_accept_what_nova_accepts(admin_user, specs):
    flavor = FlavorFactory()
    services.set_flavor_extra_specs(flavor, specs, actor=admin_user)
    flavor.refresh_from_db()
    assert flavor.extra_specs == {k: str(v) for k, v in specs.items()}


def test_delete_missing_extra_spec_is_404(admin_user):
    flavor = FlavorFactory(flavor_id="100")
    with pytest.raises(DomainError) as caught:
        services.delete_flavor_extra_spec(flavor, "nope", actor=admin_user)
    assert caught.value.status == 404
    assert caught.value.message == "Flavor 100 has no extra specs with key nope."


def test_flavor_access_only_for_private_flavors_and_once(admin_user):
    public = FlavorFactory(is_public=True)
    private = FlavorFactory(is_public=False)

    with pytest.raises(DomainError, match="Can not add access to a public flavor."):
        services.add_flavor_access(public, "p1", actor=admin_user)
    services.add_flavor_access(private, "p1", actor=admin_user)
    with pytest.raises(DomainError) as duplicate:
        services.add_flavor_access(private, "p1", actor=admin_user)
    services.remove_flavor_access(private, "p1", actor=admin_user)
    with pytest.raises(DomainError) as missing:
        services.remove_flavor_access(private, "p1", actor=admin_user)

    assert (duplicate.value.status, missing.value.status) == (409, 404)
    private.refresh_from_db()
    assert private.access_project_ids == []


def test_connected_cloud_edit_goes_to_the_compute_api_first(admin_user, monkeypatch, tmp_path):
    # No clouds.yaml entry "prod": the compute API refuses before anything is written.
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", str(tmp_path / "clouds.yaml"))
    cloud = Cloud.objects.create(slug="prod", name="Prod", kind="connected", os_cloud="prod")

    with pytest.raises(DomainError) as caught:
        services.create_aggregate(cloud, actor=admin_user, name="agg")

    assert caught.value.field == "os_cloud" and "'prod'" in caught.value.message
    assert not Aggregate.objects.exists()


def test_create_server_is_refused_where_placement_has_no_room(admin_user):
    host = HostFactory(memory_mb=8192, reserved_host_memory_mb=512, memory_mb_used=4096)
    flavor = FlavorFactory(cloud=host.cloud, vcpus=1, ram=4096, disk=1)

    with pytest.raises(DomainError) as caught:
        services.create_server(
            host.cloud, actor=admin_user, name="s1", host=host, flavor=flavor, project_id="p1"
        )

    assert caught.value.field == "host"
    assert "MEMORY_MB needs 4096, 3584 free" in caught.value.message
    host.refresh_from_db()
    assert (host.memory_mb_used, host.running_vms, host.servers.count()) == (4096, 0, 0)


def test_create_server_counts_its_flavor_on_the_host(admin_user):
    host = HostFactory()
    flavor = FlavorFactory(cloud=host.cloud, vcpus=2, ram=2048, disk=20, swap=1500)

    services.create_server(
        host.cloud, actor=admin_user, name="s1", host=host, flavor=flavor, project_id="p1"
    )

    host.refresh_from_db()
    assert (host.vcpus_used, host.memory_mb_used, host.local_gb_used, host.running_vms) == (
        2,
        2048,
        22,
        1,
    )
