"""Capacity in flavor slots: the placement engine's per-host slots, summed per zone and aggregate.

The loader turns a cloud's rows into engine inputs in a constant number of queries (three),
so the numbers are the preview's own: a host that fails a filter takes no instance.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from aggregates.models import Aggregate, Cloud, Flavor, Host
from aggregates.scheduling import (
    AggregateState,
    FlavorSpec,
    HostState,
    RequestSpec,
    SchedulerConfig,
    SchedulerConfigError,
    availability_zones,
    preview,
    scheduler_config_from_options,
)
from dashboard.errors import DomainError

_HOST_FIELDS = (
    "name",
    "hypervisor_hostname",
    "vcpus",
    "memory_mb",
    "local_gb",
    "vcpus_used",
    "memory_mb_used",
    "local_gb_used",
    "reserved_host_cpus",
    "reserved_host_memory_mb",
    "reserved_host_disk_mb",
    "cpu_allocation_ratio",
    "ram_allocation_ratio",
    "disk_allocation_ratio",
    "status",
    "state",
    "hypervisor_type",
)


def scheduler_config(cloud: Cloud) -> SchedulerConfig:
    try:
        return scheduler_config_from_options(cloud.scheduler_config or {})
    except SchedulerConfigError as exc:
        raise DomainError(str(exc), field="scheduler_config") from exc


def engine_inputs(cloud: Cloud) -> tuple[list[HostState], list[AggregateState], SchedulerConfig]:
    """Host and aggregate states of `cloud`, hosts by name (Placement's stand-in order)."""
    hosts = []
    for row in (
        Host.objects.filter(cloud=cloud)
        .order_by("name")
        .values(*_HOST_FIELDS, "disabled_reason", "running_vms")
    ):
        hosts.append(
            HostState(
                **{k: row[k] for k in _HOST_FIELDS},
                disabled_reason=row["disabled_reason"] or None,
                num_instances=row["running_vms"],
            )
        )
    members: dict[int, list[str]] = defaultdict(list)
    through = Aggregate.hosts.through.objects.filter(aggregate__cloud=cloud)
    for aggregate_id, host_name in through.values_list("aggregate_id", "host__name"):
        members[aggregate_id].append(host_name)
    aggregates = [
        AggregateState(
            id=pk,
            name=name,
            hosts=tuple(sorted(members[pk])),
            metadata=metadata or {},
            uuid=str(uuid),
        )
        for pk, name, metadata, uuid in Aggregate.objects.filter(cloud=cloud)
        .order_by("pk")
        .values_list("pk", "name", "metadata", "uuid")
    ]
    return hosts, aggregates, scheduler_config(cloud)


def flavor_spec(flavor: Flavor) -> FlavorSpec:
    return FlavorSpec(
        id=flavor.flavor_id,
        name=flavor.name,
        vcpus=flavor.vcpus,
        ram=flavor.ram,
        disk=flavor.disk,
        ephemeral=flavor.ephemeral,
        swap=flavor.swap,
        extra_specs=dict(flavor.extra_specs or {}),
        is_public=flavor.is_public,
        disabled=flavor.disabled,
        access_project_ids=frozenset(flavor.access_project_ids or ()),
    )


@dataclass(slots=True, frozen=True)
class FlavorSlots:
    """Further instances of one flavor that fit: total, per zone, per aggregate, per host."""

    flavor: str
    total: int
    by_availability_zone: dict[str, int]
    by_aggregate: dict[str, int]
    by_host: dict[str, int]
    warnings: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {
            "flavor": self.flavor,
            "slots": {
                "total": self.total,
                "by_availability_zone": self.by_availability_zone,
                "by_aggregate": self.by_aggregate,
                "by_host": self.by_host,
            },
        }


def flavor_slots(cloud: Cloud, flavor: Flavor) -> FlavorSlots:
    """The preview's slots for `flavor` with no zone requested (a zone only narrows the hosts,
    it never changes a host's slots), summed per zone (Nova's zone of each host) and aggregate."""
    hosts, aggregates, config = engine_inputs(cloud)
    result = preview(hosts, aggregates, RequestSpec(flavor=flavor_spec(flavor)), config)
    by_host = {host.host: host.slots or 0 for host in result.hosts}
    by_zone = {
        zone.name: sum(by_host.get(name, 0) for name in zone.hosts)
        for zone in availability_zones(hosts, aggregates, config)
    }
    by_aggregate = {
        aggregate.name: sum(by_host.get(name, 0) for name in aggregate.hosts)
        for aggregate in sorted(aggregates, key=lambda a: a.name)
    }
    return FlavorSlots(
        flavor=flavor.flavor_id,
        total=sum(by_host.values()),
        by_availability_zone=dict(sorted(by_zone.items())),
        by_aggregate=by_aggregate,
        by_host=by_host,
        warnings=tuple(result.warnings),
    )
