"""The reconciler: mirror equals the compute API; no-change syncs write nothing; drift recorded."""

import pytest

from aggregates.choices import SyncStatus
from aggregates.models import Aggregate, Flavor, Host, Server
from aggregates.preview.loader import load_cloud
from aggregates.scheduling import FlavorSpec, RequestSpec, preview
from aggregates.sync import reconcile
from aggregates.sync.errors import InvalidReply
from dashboard.models import AuditEntry


def mirror(cloud):
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
                h.running_vms,
            )
            for h in Host.objects.filter(cloud=cloud)
        ),
        "servers": sorted(
            (
                s.name,
                s.host.name if s.host else None,
                s.flavor_name,
                s.project_id,
                s.availability_zone,
            )
            for s in Server.objects.filter(cloud=cloud).select_related("host")
        ),
    }


def expected(state):
    return {
        "aggregates": sorted(
            (a.id, a.name, sorted(a.metadata.items()), sorted(a.hosts))
            for a in state.aggregates.values()
        ),
        "flavors": sorted(
            (
                f.id,
                f.name,
                f.vcpus,
                f.ram,
                f.disk,
                f.is_public,
                sorted(f.extra_specs.items()),
                sorted(f.access),
            )
            for f in state.flavors.values()
        ),
        "hosts": sorted(
            (
                h.name,
                h.vcpus,
                h.memory_mb,
                h.local_gb,
                state.usage(h.name)["VCPU"],
                state.usage(h.name)["MEMORY_MB"],
                state.usage(h.name)["DISK_GB"],
                h.reserved_memory_mb,
                h.cpu_allocation_ratio,
                "disabled" if h.disabled else "enabled",
                sum(1 for s in state.servers.values() if s.host == h.name),
            )
            for h in state.hosts.values()
        ),
        "servers": sorted(
            (s.name, s.host, s.flavor.name, s.project_id, s.availability_zone)
            for s in state.servers.values()
        ),
    }


@pytest.mark.django_db
def test_sync_mirrors_the_simulator(connected_cloud, simulator):
    run = reconcile.sync_cloud(connected_cloud)

    assert run.status == SyncStatus.SUCCEEDED
    assert run.microversion == "2.101"
    assert mirror(connected_cloud) == expected(simulator.state)
    assert run.created == len(simulator.state.hosts) + len(simulator.state.flavors) + 2 + 2


@pytest.mark.django_db
@pytest.mark.parametrize("os_cloud", ["sim", "sim-2.87"])
def test_both_hypervisor_layouts_sync_to_the_same_numbers(connected_cloud, simulator, os_cloud):
    # 2.101 reads Placement inventories and usages; 2.87 converts os-hypervisors' numbers.
    connected_cloud.os_cloud = os_cloud
    connected_cloud.save()

    run = reconcile.sync_cloud(connected_cloud)

    assert run.microversion == ("2.101" if os_cloud == "sim" else "2.87")
    # Totals, usage (without reserved), reserved, status and instance counts agree; per-host
    # allocation ratios exist only in Placement, so 2.87 falls back to the cloud's nova.conf.
    without_ratio = [row[:8] + row[9:] for row in mirror(connected_cloud)["hosts"]]
    assert without_ratio == [row[:8] + row[9:] for row in expected(simulator.state)["hosts"]]
    devstack = Host.objects.get(cloud=connected_cloud, name="devstack")
    assert (devstack.memory_mb_used, devstack.reserved_host_memory_mb) == (2048, 512)
    compute_3 = Host.objects.get(cloud=connected_cloud, name="compute-3")
    assert compute_3.cpu_allocation_ratio == (2.0 if os_cloud == "sim" else 4.0)


@pytest.mark.django_db
def test_second_sync_with_nothing_changed_writes_nothing(
    connected_cloud, django_assert_max_num_queries
):
    reconcile.sync_cloud(connected_cloud)
    audit_before = AuditEntry.objects.count()

    run = reconcile.sync_cloud(connected_cloud)

    assert (run.created, run.updated, run.deleted, run.changes) == (0, 0, 0, [])
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.django_db
def test_drift_is_listed_on_the_run_and_audited_as_made_by_the_sync(
    connected_cloud, simulator, settings
):
    settings.STACKBOARD_SYNC_HOLD_SHARE = 1  # one flavor of four: not held (test_removals.py)
    reconcile.sync_cloud(connected_cloud)
    state = simulator.state
    state.set_aggregate_metadata(1, {"coolhardware": "false", "ssd": "yes"})
    state.add_host_to_aggregate(1, "compute-3")
    state.delete_flavor("101")
    state.add_host("compute-4", 8, 16384, 200)

    run = reconcile.sync_cloud(connected_cloud)

    assert (run.created, run.updated, run.deleted, run.gone) == (1, 2, 0, 1)
    assert {(c["kind"], c["name"], c["action"]) for c in run.changes} == {
        ("host", "compute-4", "created"),
        ("aggregate", "test-aggregate1", "updated"),
        ("flavor", "m1.private", "gone"),
    }
    entries = AuditEntry.objects.filter(actor_name="sync")
    assert {(e.object_repr, e.action) for e in entries} == {
        ("compute-4", "create"),
        ("test-aggregate1", "update"),
        ("m1.private", "update"),  # marked gone: kept, hidden from lists
    }
    assert mirror(connected_cloud) == expected(state)


def placement_reads(simulator) -> list[str]:
    """The providers whose inventories or usages were read, one entry per call."""
    return [
        path.split("/")[3]
        for method, path in simulator.app.requests
        if path.startswith("/placement/resource_providers/")
    ]


@pytest.mark.django_db
def test_repeat_sync_reads_only_providers_whose_generation_changed(connected_cloud, simulator):
    reconcile.sync_cloud(connected_cloud)
    simulator.state.add_server("web-2", "compute-3", "3")  # an allocation: bumps compute-3
    simulator.app.requests.clear()

    reconcile.sync_cloud(connected_cloud)

    compute_3 = simulator.state.hosts["compute-3"].uuid
    rotated = {p for p in placement_reads(simulator) if p != compute_3}
    assert placement_reads(simulator).count(compute_3) == 2  # inventories and usages
    assert len(rotated) <= 1  # at most the providers this sync re-reads in turn
    assert mirror(connected_cloud) == expected(simulator.state)


@pytest.mark.django_db
def test_inventory_change_is_mirrored_through_the_generation(connected_cloud, simulator):
    reconcile.sync_cloud(connected_cloud)
    simulator.state.set_inventory("compute-2", vcpus=12, cpu_allocation_ratio=8.0)

    run = reconcile.sync_cloud(connected_cloud)

    host = Host.objects.get(cloud=connected_cloud, name="compute-2")
    assert (host.vcpus, host.cpu_allocation_ratio) == (12, 8.0)
    assert run.changes == [
        {
            "kind": "host",
            "name": "compute-2",
            "action": "updated",
            "fields": ["cpu_allocation_ratio", "vcpus"],
        }
    ]


@pytest.mark.django_db
def test_usage_freed_without_a_generation_bump_is_mirrored(connected_cloud, simulator):
    # DELETE /allocations/{consumer} frees the usage but leaves the generation as it was; the
    # server missing from its host's listing is what tells the sync to read the provider.
    reconcile.sync_cloud(connected_cloud)
    server = next(s for s in simulator.state.servers.values() if s.name == "cool-1")
    simulator.state.delete_server(server.id, bumps_generation=False)

    reconcile.sync_cloud(connected_cloud)

    devstack = Host.objects.get(cloud=connected_cloud, name="devstack")
    assert (devstack.vcpus_used, devstack.memory_mb_used, devstack.running_vms) == (0, 0, 0)
    assert mirror(connected_cloud) == expected(simulator.state)


@pytest.mark.django_db
def test_usage_freed_behind_the_generation_is_mirrored_within_the_rotation(
    connected_cloud, simulator
):
    # After an evacuation the source keeps the server's allocation until its compute service
    # cleans up; that cleanup bumps only the destination, and no server leaves the source then:
    # only the rotating re-read of usages finds it.
    reconcile.sync_cloud(connected_cloud)
    server = next(s for s in simulator.state.servers.values() if s.name == "cool-1")
    simulator.state.evacuate_server(server.id, "compute-3")
    reconcile.sync_cloud(connected_cloud)
    devstack = Host.objects.get(cloud=connected_cloud, name="devstack")
    assert devstack.vcpus_used == 2  # still held on the source
    simulator.state.clean_up_evacuation(server.id)

    for _ in range(reconcile.PLACEMENT_REREAD_EVERY):
        reconcile.sync_cloud(connected_cloud)
        devstack.refresh_from_db()
        if devstack.vcpus_used == 0:
            break
    else:
        pytest.fail("devstack's usages were not read again within PLACEMENT_REREAD_EVERY syncs")
    assert mirror(connected_cloud) == expected(simulator.state)


@pytest.mark.django_db
def test_generation_bump_alone_is_recorded_but_is_not_drift(connected_cloud, simulator):
    reconcile.sync_cloud(connected_cloud)
    simulator.state.set_inventory("compute-2")  # an inventory PUT of the same values

    run = reconcile.sync_cloud(connected_cloud)

    assert (run.created, run.updated, run.deleted, run.changes) == (0, 0, 0, [])
    host = Host.objects.get(cloud=connected_cloud, name="compute-2")
    assert host.placement_generation == simulator.state.hosts["compute-2"].generation


@pytest.mark.django_db
def test_the_zone_a_server_asked_for_and_an_error_servers_fault_are_mirrored(
    connected_cloud, simulator, admin_client
):
    pinned = simulator.state.add_server("pinned", "compute-3", "3")
    pinned.requested_zone = pinned.availability_zone
    failed = simulator.state.add_server("failed", "compute-3", "3")
    failed.host, failed.status = None, "ERROR"
    failed.fault = {
        "code": 500,
        "created": "2026-12-05T10:00:00Z",
        "message": "No valid host was found. ",
    }

    reconcile.sync_cloud(connected_cloud)

    stored = {s.name: s for s in Server.objects.filter(cloud=connected_cloud)}
    assert stored["pinned"].requested_zone == pinned.availability_zone != ""
    assert stored["failed"].fault == "No valid host was found. (code 500)"
    assert stored["failed"].host is None
    explained = admin_client.get(
        f"/api/v1/clouds/{connected_cloud.slug}/servers/{stored['failed'].uuid}/failure/"
    ).json()
    assert explained["server"]["fault"].startswith("No valid host was found.")


@pytest.mark.django_db
def test_a_servers_flavor_at_boot_is_mirrored_and_drains_use_it(
    connected_cloud, simulator, admin_client
):
    # web-1 was booted on compute-2 with m1.small as it was then: no extra specs.
    simulator.state.set_extra_specs("2", {"coolhardware": "true"})

    reconcile.sync_cloud(connected_cloud)

    web = Server.objects.get(cloud=connected_cloud, name="web-1")
    assert (web.flavor_vcpus, web.flavor_ram, web.flavor_disk) == (1, 2048, 20)
    assert web.flavor_extra_specs == {}
    assert web.flavor.extra_specs == {"coolhardware": "true"}  # today's flavor of that name
    plan = admin_client.post(
        f"/api/v1/clouds/{connected_cloud.slug}/plan/drain/",
        {"hosts": ["compute-2"]},
        content_type="application/json",
    ).json()
    (move,) = plan["moves"]
    # Today's coolhardware=true would strand it (no host offers it); the boot's flavor moves.
    assert move["destination"] in ("devstack", "compute-3"), move


@pytest.mark.django_db
def test_when_a_server_was_booted_is_mirrored_and_a_garbled_time_fails_the_sync(
    connected_cloud, simulator
):
    server = simulator.state.add_server("booted", "compute-3", "3")
    server.created = "2026-11-30T08:15:00Z"

    reconcile.sync_cloud(connected_cloud)

    stored = Server.objects.get(cloud=connected_cloud, name="booted")
    assert stored.booted_at.isoformat() == "2026-11-30T08:15:00+00:00"

    server.created = "last tuesday"
    with pytest.raises(InvalidReply, match=r"servers\[\d+\]\.created: expected an ISO 8601 time"):
        reconcile.sync_cloud(connected_cloud)
    stored.refresh_from_db()
    assert stored.booted_at.isoformat() == "2026-11-30T08:15:00+00:00"  # the mirror kept


@pytest.mark.django_db
@pytest.mark.parametrize("os_cloud", ["sim", "sim-2.87"])
def test_the_hypervisors_own_free_disk_is_mirrored_in_both_layouts(connected_cloud, os_cloud):
    # Nova's DiskWeigher weighs the smaller of the free disk by usage and the hypervisor's
    # disk_available_least (0 from nova.virt.fake, as the simulator reports it), which only the
    # hypervisor listing up to 2.87 shows: from 2.88 the hypervisors are listed at 2.87.
    connected_cloud.os_cloud = os_cloud
    connected_cloud.save()

    reconcile.sync_cloud(connected_cloud)

    hosts = Host.objects.filter(cloud=connected_cloud)
    assert hosts.exists()
    assert {host.disk_available_least for host in hosts} == {0}
    assert {host.disk_available_least for host in load_cloud(connected_cloud).hosts} == {0}


@pytest.mark.django_db
def test_weighers_take_the_node_records_ratio_not_placements(connected_cloud):
    # compute-3's VCPU ratio is 2.0 in Placement (an operator's), which caps its capacity; the
    # compute node record keeps nova.conf's (unset: initial_cpu_allocation_ratio 4.0), and
    # Nova's CPUWeigher counts free vCPUs with that one.
    reconcile.sync_cloud(connected_cloud)

    inputs = load_cloud(connected_cloud)
    host = next(host for host in inputs.hosts if host.name == "compute-3")
    assert (host.cpu_allocation_ratio, host.node_cpu_allocation_ratio) == (2.0, 4.0)
    assert (host.node_ram_allocation_ratio, host.node_disk_allocation_ratio) == (1.0, 1.0)
    flavor = FlavorSpec(id="1", name="tiny", vcpus=1, ram=64, disk=0)
    result = preview(inputs.hosts, inputs.aggregates, RequestSpec(flavor=flavor), inputs.config)
    names = [result.hosts[position].host for position in result.candidates]
    cpu = next(column for column in result.weigher_columns if column.name == "CPUWeigher")
    assert dict(zip(names, cpu.raw, strict=True))["compute-3"] == host.vcpus * 4.0 - host.vcpus_used
