"""Inputs of the placement engine: hosts, aggregates, zones, flavors, the request."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .config import SchedulerConfig

HOST_ENABLED = "enabled"
HOST_DISABLED = "disabled"
HOST_UP = "up"
HOST_DOWN = "down"

# Trait names Nova and Placement use for the pre-filters (os-traits spelling).
COMPUTE_STATUS_DISABLED = "COMPUTE_STATUS_DISABLED"
OWNER_NOVA = "OWNER_NOVA"
# nova-scheduling.md §5.3: owner_nova_filter acts once every nova-compute reports this version.
MIN_COMPUTE_VERSION_OWNER_TRAIT = 73


@dataclass(slots=True, frozen=True)
class Inventory:
    """One Placement inventory (a resource class other than VCPU, MEMORY_MB, DISK_GB) of a host."""

    total: int
    reserved: int = 0
    allocation_ratio: float = 1.0
    used: int = 0
    min_unit: int = 1
    max_unit: int | None = None  # None: equal to total, as the drivers report it
    step_size: int = 1


@dataclass(slots=True, frozen=True)
class HostState:
    """A compute node with its service, Placement inventory and usage, and what runs on it.

    `*_used` are Placement usages (allocations), which never include the reserved amounts.
    A reserved amount or allocation ratio left at None takes the SchedulerConfig value.
    """

    name: str  # the nova-compute service host, as aggregates list it
    hypervisor_hostname: str | None = None  # the node (Placement provider name); None = name
    vcpus: int = 0
    memory_mb: int = 0
    local_gb: int = 0
    vcpus_used: int = 0
    memory_mb_used: int = 0
    local_gb_used: int = 0
    reserved_host_cpus: int | None = None
    reserved_host_memory_mb: int | None = None
    reserved_host_disk_mb: int | None = None
    cpu_allocation_ratio: float | None = None
    ram_allocation_ratio: float | None = None
    disk_allocation_ratio: float | None = None
    # The compute node record's own ratios, where they differ from Placement's: what Nova's
    # HostState, the CPUWeigher and capabilities: read. A ratio set through the Placement API
    # leaves the record at nova.conf's (initial_)*_allocation_ratio. None: as Placement's.
    node_cpu_allocation_ratio: float | None = None
    node_ram_allocation_ratio: float | None = None
    node_disk_allocation_ratio: float | None = None
    status: str = HOST_ENABLED
    state: str = HOST_UP
    forced_down: bool = False
    disabled_reason: str | None = None
    num_instances: int = 0
    num_io_ops: int | None = None  # None: unknown, counted as 0
    failed_builds: int = 0
    instance_uuids: frozenset[str] = frozenset()
    instances_by_project: Mapping[str, int] | None = None
    hypervisor_type: str | None = None
    hypervisor_version: int | None = None
    host_ip: str | None = None
    cpu_info: Mapping[str, object] | str | None = None
    # (architecture, hypervisor type, vm mode) triples the node can run.
    supported_instances: tuple[tuple[str, str, str], ...] = ()
    # Placement traits of the root provider; None = unknown (only the status and owner
    # traits are then derived, other required traits cannot be checked).
    traits: frozenset[str] | None = None
    inventories: Mapping[str, Inventory] | None = None
    stats: Mapping[str, str] | None = None
    # Compute-node record values (os-hypervisors <= 2.87) used by the weighers when known.
    free_ram_mb: int | None = None
    free_disk_gb: float | None = None
    disk_available_least: int | None = None
    pci_free_devices: int = 0
    metrics: Mapping[str, float] | None = None
    service_version: int | None = None
    cell_uuid: str | None = None
    uuid: str | None = None

    @property
    def is_disabled(self) -> bool:
        return self.status == HOST_DISABLED

    @property
    def is_up(self) -> bool:
        return self.state == HOST_UP and not self.forced_down


@dataclass(slots=True, frozen=True)
class AggregateState:
    """A host aggregate: hosts are compute service host names, metadata is strings only."""

    id: int
    name: str
    hosts: tuple[str, ...] = ()
    metadata: Mapping[str, str] | None = None
    uuid: str | None = None

    @property
    def availability_zone(self) -> str | None:
        # nova-scheduling.md §2.2: a zone is nothing but this metadata key.
        return (self.metadata or {}).get("availability_zone")


@dataclass(slots=True, frozen=True)
class AvailabilityZone:
    """A zone as `GET /os-availability-zone` derives it from compute services."""

    name: str
    available: bool
    hosts: tuple[str, ...]
    aggregates: tuple[str, ...] = ()


@dataclass(slots=True, frozen=True)
class FlavorSpec:
    """A flavor: sizes in Nova's units (ram and swap MB, disk and ephemeral GB)."""

    id: str
    name: str
    vcpus: int
    ram: int
    disk: int = 0
    ephemeral: int = 0
    swap: int = 0
    extra_specs: Mapping[str, str] | None = None
    is_public: bool = True
    disabled: bool = False
    access_project_ids: frozenset[str] = frozenset()


@dataclass(slots=True, frozen=True)
class ServerGroup:
    """The server group of the request; `hosts` None = derived from where its members run."""

    policy: str  # affinity, anti-affinity, soft-affinity, soft-anti-affinity
    members: frozenset[str] = frozenset()
    hosts: frozenset[str] | None = None
    max_server_per_host: int | None = None
    uuid: str | None = None


@dataclass(slots=True, frozen=True)
class RequestSpec:
    """One server create as the scheduler receives it (a single instance)."""

    flavor: FlavorSpec
    project_id: str = ""
    availability_zone: str | None = None  # may carry the admin forced-host form "az:host[:node]"
    image_properties: Mapping[str, object] | None = None
    image_id: str | None = None
    image_disk_format: str | None = None
    is_bfv: bool = False
    same_host: tuple[str, ...] = ()
    different_host: tuple[str, ...] = ()
    group: ServerGroup | None = None
    build_near_host_ip: str | None = None
    cidr: str = "/24"
    requested_host: str | None = None  # create body "host" (2.74+): filters still run
    requested_hypervisor_hostname: str | None = None
    is_admin: bool = False
    # A cold migration or evacuation: the API's boot checks (flavor enabled and accessible,
    # requested zone available) do not run; the request goes to the scheduler as it is.
    move: bool = False


def zone_of_aggregates(aggregate_zones: Sequence[str], config: SchedulerConfig) -> str:
    """The zone of a compute host whose AZ aggregates carry `aggregate_zones`."""
    # nova-scheduling.md §2.2: legacy data in several zones shows them joined with ",";
    # Nova joins a set (arbitrary order), sorted here so previews are stable.
    if not aggregate_zones:
        return config.default_availability_zone
    if len(aggregate_zones) == 1:
        return aggregate_zones[0]
    return ",".join(sorted(set(aggregate_zones)))


def availability_zones(
    hosts: Sequence[HostState],
    aggregates: Sequence[AggregateState],
    config: SchedulerConfig,
) -> list[AvailabilityZone]:
    """The zones of the compute hosts, with their availability, as Nova's zone list shows them."""
    zones_by_host = _zones_by_host(aggregates)
    aggregates_by_zone: dict[str, list[str]] = {}
    for aggregate in aggregates:
        if aggregate.availability_zone is not None:
            aggregates_by_zone.setdefault(aggregate.availability_zone, []).append(aggregate.name)
    members: dict[str, list[str]] = {}
    enabled: dict[str, bool] = {}
    for host in hosts:
        zone = zone_of_aggregates(zones_by_host.get(host.name, ()), config)
        members.setdefault(zone, []).append(host.name)
        # §2.2: available = at least one enabled service, liveness does not matter.
        enabled[zone] = enabled.get(zone, False) or not host.is_disabled
    return [
        AvailabilityZone(
            name=zone,
            available=enabled[zone],
            hosts=tuple(names),
            aggregates=_aggregates_of_zone(zone, aggregates_by_zone),
        )
        for zone, names in sorted(members.items())
    ]


def _aggregates_of_zone(zone: str, aggregates_by_zone: Mapping[str, list[str]]) -> tuple[str, ...]:
    # A host in several zones (legacy data) shows them joined: its zone has all their aggregates.
    if zone in aggregates_by_zone:
        return tuple(aggregates_by_zone[zone])
    return tuple(
        dict.fromkeys(a for part in zone.split(",") for a in aggregates_by_zone.get(part, ()))
    )


def zone_names(
    hosts: Sequence[HostState],
    aggregates: Sequence[AggregateState],
    config: SchedulerConfig,
) -> set[str]:
    """The names `availability_zones` lists, without building its member lists."""
    zones_by_host = _zones_by_host(aggregates)
    default = config.default_availability_zone
    return {
        zone_of_aggregates(zones_by_host[host.name], config)
        if host.name in zones_by_host
        else default
        for host in hosts
    }


def _zones_by_host(aggregates: Sequence[AggregateState]) -> dict[str, list[str]]:
    """Host name → the zones of its AZ aggregates (hosts in none are absent)."""
    zones_by_host: dict[str, list[str]] = {}
    for aggregate in aggregates:
        zone = aggregate.availability_zone
        if zone is not None:
            for host in aggregate.hosts:
                zones_by_host.setdefault(host, []).append(zone)
    return zones_by_host
