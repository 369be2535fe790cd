"""The engine's loader: a cloud's rows as engine inputs, in a constant number of queries.

Reads plain values (values_list), never model instances: at 10,000 hosts building model objects
alone would cost more than the whole preview.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from aggregates.models import Aggregate, Cloud, Flavor, Host, Server
from aggregates.models.version import cloud_version
from aggregates.scheduling import (
    AggregateState,
    FlavorSpec,
    HostState,
    SchedulerConfig,
    scheduler_config_from_options,
)

HOST_COLUMNS = (
    "pk",
    "name",
    "hypervisor_hostname",
    "hypervisor_type",
    "vcpus",
    "memory_mb",
    "local_gb",
    "vcpus_used",
    "memory_mb_used",
    "local_gb_used",
    "running_vms",
    "disk_available_least",
    "cpu_allocation_ratio",
    "ram_allocation_ratio",
    "disk_allocation_ratio",
    "reserved_host_cpus",
    "reserved_host_memory_mb",
    "reserved_host_disk_mb",
    "status",
    "disabled_reason",
    "state",
)


@dataclass(slots=True)
class CloudInputs:
    """What the engine needs of a cloud: hosts (by name), aggregates, flavors, the config."""

    hosts: list[HostState]
    aggregates: list[AggregateState]
    flavors: dict[str, FlavorSpec]
    config: SchedulerConfig
    # Server uuids per host name: for same_host / different_host hints.
    servers_by_host: dict[str, frozenset[str]] = field(default_factory=dict)

    def hosts_with_instances(self) -> list[HostState]:
        """The hosts, each with the uuids of its servers when they were loaded."""
        if not self.servers_by_host:
            return self.hosts
        return [
            dataclasses.replace(host, instance_uuids=self.servers_by_host[host.name])
            if host.name in self.servers_by_host
            else host
            for host in self.hosts
        ]


def scheduler_options(cloud: Cloud) -> dict:
    """The cloud's stored options with its default zone (a column of its own) folded in."""
    options = dict(cloud.scheduler_config or {})
    options["default_availability_zone"] = cloud.default_availability_zone
    return options


def scheduler_config(cloud: Cloud) -> SchedulerConfig:
    """The cloud's scheduler configuration (stored options were validated when written)."""
    return scheduler_config_from_options(scheduler_options(cloud))


def flavor_spec(row: dict) -> FlavorSpec:
    return FlavorSpec(
        id=row["flavor_id"],
        name=row["name"],
        vcpus=row["vcpus"],
        ram=row["ram"],
        disk=row["disk"],
        ephemeral=row["ephemeral"],
        swap=row["swap"],
        extra_specs=dict(row["extra_specs"] or {}),
        is_public=row["is_public"],
        disabled=row["disabled"],
        access_project_ids=frozenset(row["access_project_ids"] or ()),
    )


FLAVOR_COLUMNS = (
    "flavor_id",
    "name",
    "vcpus",
    "ram",
    "disk",
    "ephemeral",
    "swap",
    "extra_specs",
    "is_public",
    "disabled",
    "access_project_ids",
)


def load_flavors(cloud: Cloud) -> dict[str, FlavorSpec]:
    """Every flavor of the cloud by Nova id (one query)."""
    rows = Flavor.objects.filter(cloud=cloud).order_by("flavor_id").values(*FLAVOR_COLUMNS)
    return {row["flavor_id"]: flavor_spec(row) for row in rows}


# The last inputs loaded per (cloud, with servers), with the cloud's version then: an unchanged
# cloud is not read again (its hosts are most of a preview's time at 10,000 hosts).
_INPUTS: dict[tuple[int, bool], tuple[str, CloudInputs]] = {}


def load_cloud(cloud: Cloud, *, with_servers: bool = False) -> CloudInputs:
    """Hosts, aggregates with members, instance counts and flavors: at most six queries at any
    size, two while the cloud's version stays the same.

    Hosts come in name order, which stands for Placement's (unspecified) candidate order.
    """
    version = cloud_version(cloud)
    key = (cloud.pk, with_servers)
    found = _INPUTS.get(key)
    if found is not None and found[0] == version:
        kept = found[1]
        # Fresh lists (callers may replace items in them) and today's flavors (not versioned).
        return dataclasses.replace(
            kept,
            hosts=list(kept.hosts),
            aggregates=list(kept.aggregates),
            flavors=load_flavors(cloud),
        )
    inputs = _read_cloud(cloud, with_servers)
    _INPUTS[key] = (
        version,
        dataclasses.replace(inputs, hosts=list(inputs.hosts), aggregates=list(inputs.aggregates)),
    )
    return inputs


def _read_cloud(cloud: Cloud, with_servers: bool) -> CloudInputs:
    host_rows = list(Host.objects.filter(cloud=cloud).order_by("name").values_list(*HOST_COLUMNS))
    name_of = {row[0]: row[1] for row in host_rows}
    aggregate_rows = list(
        Aggregate.objects.filter(cloud=cloud)
        .order_by("pk")
        .values_list("pk", "name", "metadata", "uuid")
    )
    members: dict[int, list[str]] = defaultdict(list)
    # No ORDER BY (a join and a sort in the database): host ids sort like names once mapped.
    position = {row[0]: index for index, row in enumerate(host_rows)}
    for aggregate_id, host_id in sorted(
        Aggregate.hosts.through.objects.filter(aggregate_id__in=[row[0] for row in aggregate_rows])
        .order_by()
        .values_list("aggregate_id", "host_id"),
        key=lambda pair: position[pair[1]],
    ):
        members[aggregate_id].append(name_of[host_id])
    aggregates = [
        _aggregate_state(pk, name, tuple(members.get(pk, ())), metadata or {}, str(uuid))
        for pk, name, metadata, uuid in aggregate_rows
    ]
    # Instances per host and per project on it, from the servers table (Nova counts every state).
    per_host: Counter[int] = Counter()
    per_project: dict[int, Counter[str]] = defaultdict(Counter)
    uuids: dict[str, set[str]] = defaultdict(set)
    columns = ("host_id", "project_id", "uuid") if with_servers else ("host_id", "project_id")
    for row in (
        Server.objects.filter(cloud=cloud, host__isnull=False).order_by().values_list(*columns)
    ):
        per_host[row[0]] += 1
        per_project[row[0]][row[1]] += 1
        if with_servers:
            uuids[name_of[row[0]]].add(str(row[2]))
    ratios = node_ratios(cloud)
    hosts = [_host_state(row, per_host, per_project, ratios) for row in host_rows]
    return CloudInputs(
        hosts=hosts,
        aggregates=aggregates,
        flavors=load_flavors(cloud),
        config=scheduler_config(cloud),
        servers_by_host={name: frozenset(values) for name, values in uuids.items()},
    )


# HostState objects are immutable and a pure function of their row and instance counts, and
# building 10,000 of them is a third of a preview's time: re-renders reuse them.
_HOST_STATES: dict[tuple, HostState] = {}
_HOST_STATES_MAX = 200_000


# The same for aggregates: an unchanged cloud loads the very same objects, so the engine's cached
# host table (checked by identity) is reused instead of built again per request.
_AGGREGATE_STATES: dict[tuple, AggregateState] = {}


def _aggregate_state(
    pk: int, name: str, hosts: tuple[str, ...], metadata: dict, uuid: str
) -> AggregateState:
    key = (pk, name, hosts, json.dumps(metadata, sort_keys=True), uuid)
    found = _AGGREGATE_STATES.get(key)
    if found is None:
        if len(_AGGREGATE_STATES) >= _HOST_STATES_MAX:
            _AGGREGATE_STATES.clear()
        found = _AGGREGATE_STATES[key] = AggregateState(
            id=pk, name=name, hosts=hosts, metadata=dict(metadata), uuid=uuid
        )
    return found


def node_ratios(cloud: Cloud) -> tuple[float, float, float] | None:
    """The allocation ratios (VCPU, RAM, disk) of a connected cloud's compute node records.

    Nova's CPU, RAM and disk weighers read the node record's ratio, which the compute takes
    from its nova.conf (the ratio if set, else the initial one), not Placement's: a ratio an
    operator sets on a Placement inventory never reaches the record. None for a local cloud,
    whose hosts carry one ratio for both.
    """
    if not cloud.is_connected:
        return None
    return (
        float(cloud.scheduler_setting("cpu_allocation_ratio")),
        float(cloud.scheduler_setting("ram_allocation_ratio")),
        float(cloud.scheduler_setting("disk_allocation_ratio")),
    )


def _host_state(
    row: tuple,
    per_host: Counter[int],
    per_project: dict[int, Counter[str]],
    ratios: tuple[float, float, float] | None = None,
) -> HostState:
    projects = per_project.get(row[0])
    key = (
        row,
        per_host.get(row[0], 0),
        tuple(sorted(projects.items())) if projects else None,
        ratios,
    )
    found = _HOST_STATES.get(key)
    if found is None:
        if len(_HOST_STATES) >= _HOST_STATES_MAX:
            _HOST_STATES.clear()
        found = _HOST_STATES[key] = _new_host_state(row, per_host, per_project, ratios)
    return found


def _new_host_state(
    row: tuple,
    per_host: Counter[int],
    per_project: dict[int, Counter[str]],
    ratios: tuple[float, float, float] | None = None,
) -> HostState:
    (
        pk,
        name,
        hypervisor_hostname,
        hypervisor_type,
        vcpus,
        memory_mb,
        local_gb,
        vcpus_used,
        memory_mb_used,
        local_gb_used,
        running_vms,
        disk_available_least,
        cpu_ratio,
        ram_ratio,
        disk_ratio,
        reserved_cpus,
        reserved_memory_mb,
        reserved_disk_mb,
        status,
        disabled_reason,
        state,
    ) = row
    # Hosts mirrored from a compute API carry running_vms without server rows; take the larger.
    instances = max(per_host.get(pk, 0), running_vms)
    projects = per_project.get(pk)
    return HostState(
        name=name,
        hypervisor_hostname=hypervisor_hostname or name,
        vcpus=vcpus,
        memory_mb=memory_mb,
        local_gb=local_gb,
        vcpus_used=vcpus_used,
        memory_mb_used=memory_mb_used,
        local_gb_used=local_gb_used,
        reserved_host_cpus=reserved_cpus,
        reserved_host_memory_mb=reserved_memory_mb,
        reserved_host_disk_mb=reserved_disk_mb,
        cpu_allocation_ratio=cpu_ratio,
        ram_allocation_ratio=ram_ratio,
        disk_allocation_ratio=disk_ratio,
        node_cpu_allocation_ratio=ratios[0] if ratios else None,
        node_ram_allocation_ratio=ratios[1] if ratios else None,
        node_disk_allocation_ratio=ratios[2] if ratios else None,
        status=status,
        state=state,
        disabled_reason=disabled_reason or None,
        num_instances=instances,
        disk_available_least=disk_available_least,
        instances_by_project=dict(projects) if projects else None,
        hypervisor_type=hypervisor_type or None,
    )


BOOTED_FLAVOR_COLUMNS = (
    "flavor_name",
    "flavor_vcpus",
    "flavor_ram",
    "flavor_disk",
    "flavor_ephemeral",
    "flavor_swap",
    "flavor_extra_specs",
)


def booted_flavor(today: FlavorSpec | None, booted: tuple) -> FlavorSpec | None:
    """A server's flavor as Nova's request spec holds it: the values and extra specs it was
    booted with (BOOTED_FLAVOR_COLUMNS, as mirrored from 2.47+), whatever today's flavor of that
    name says; today's flavor (or None) where the mirror does not know them (local servers)."""
    name, vcpus, ram, disk, ephemeral, swap, extra_specs = booted
    if vcpus is None or ram is None or disk is None:
        return today
    values = {
        "vcpus": vcpus,
        "ram": ram,
        "disk": disk,
        "ephemeral": ephemeral or 0,
        "swap": swap or 0,
        "extra_specs": dict(extra_specs or {}),
    }
    if today is not None:
        if all(getattr(today, key) == value for key, value in values.items()):
            return today  # the common case: one shared object per flavor
        # Access and disabled are API checks of a boot, not of the request spec: today's.
        return dataclasses.replace(today, **values)
    return FlavorSpec(id=name, name=name, **values)
