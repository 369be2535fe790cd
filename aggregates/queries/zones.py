"""Availability zones, derived from aggregate metadata and hosts as Nova does them."""

from collections import defaultdict
from dataclasses import dataclass, field

from aggregates.models import Aggregate, Cloud, Host
from aggregates.models.aggregates import AZ_KEY
from aggregates.preview.loader import scheduler_config
from aggregates.scheduling import AggregateState, HostState
from aggregates.scheduling import availability_zones as engine_zones

# Nova's [DEFAULT] internal_service_availability_zone: hidden from the zone summary list.
INTERNAL_ZONE = "internal"


def zone_of(host: Host) -> str:
    """The zone Nova reports for a compute host (its AZ aggregates' zones joined, or the default).

    Reads `host.aggregates` — prefetched by hosts_for_table — and `host.cloud`.
    """
    zones = sorted(
        {a.availability_zone for a in host.aggregates.all() if a.availability_zone is not None}
    )
    return ",".join(zones) if zones else host.cloud.default_availability_zone


def zones_of_host(host: Host, *, excluding: Aggregate | None = None) -> list[str]:
    """AZs of the aggregates holding `host`, one per aggregate, by aggregate id (Nova's order)."""
    aggregates = Aggregate.objects.filter(hosts=host, metadata__has_key=AZ_KEY)
    if excluding is not None:
        aggregates = aggregates.exclude(pk=excluding.pk)
    return [m[AZ_KEY] for m in aggregates.order_by("pk").values_list("metadata", flat=True)]


@dataclass
class ZoneSummary:
    """One availability zone as Nova lists it, with what admins see of it."""

    name: str
    available: bool
    hosts: list[str] = field(default_factory=list)
    aggregates: list[str] = field(default_factory=list)


def availability_zones(cloud: Cloud, *, include_internal: bool = False) -> list[ZoneSummary]:
    """Zones derived from hosts, as GET /os-availability-zone does (nova-scheduling.md §2.2).

    The engine's derivation (`scheduling.availability_zones`, which the preview uses) over the
    hosts' names and statuses and the AZ aggregates' members: a zone appears when at least one
    host is in it, and is available when one of them is enabled; an AZ aggregate without hosts
    is not listed; `internal` is hidden from the summary list. Four queries whatever the size.
    """
    az_aggregates = list(
        Aggregate.objects.filter(cloud=cloud, metadata__has_key=AZ_KEY)
        .values_list("pk", "name", "metadata")
        .order_by("name")
    )
    members: dict[int, list[str]] = defaultdict(list)
    pairs = Aggregate.hosts.through.objects.filter(aggregate_id__in=[a[0] for a in az_aggregates])
    for aggregate_id, host in pairs.values_list("aggregate_id", "host__name"):
        members[aggregate_id].append(host)
    aggregates = [
        AggregateState(id=pk, name=name, hosts=tuple(members[pk]), metadata=metadata)
        for pk, name, metadata in az_aggregates
    ]
    hosts = [
        HostState(name=name, status=status)
        for name, status in Host.objects.filter(cloud=cloud)
        .values_list("name", "status")
        .order_by("name")
    ]
    zones = engine_zones(hosts, aggregates, scheduler_config(cloud))
    return [
        ZoneSummary(zone.name, zone.available, list(zone.hosts), sorted(zone.aggregates))
        for zone in zones
        if include_internal or zone.name != INTERNAL_ZONE
    ]


def zone_names(cloud: Cloud) -> list[str]:
    """Zone names for a filter menu: every AZ in the metadata, plus the default zone (one query)."""
    values = Aggregate.objects.filter(cloud=cloud, metadata__has_key=AZ_KEY).values_list(
        "metadata", flat=True
    )
    return sorted({m[AZ_KEY] for m in values} | {cloud.default_availability_zone})
