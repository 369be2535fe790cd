"""Availability zones, derived from aggregate metadata and hosts as Nova does them."""

from collections import defaultdict
from dataclasses import dataclass, field

from aggregates.choices import HostStatus
from aggregates.models import Aggregate, Cloud, Host
from aggregates.models.aggregates import AZ_KEY

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

    A zone appears when at least one host is in it, and is available when one of them is enabled;
    an AZ aggregate without hosts is not listed; `internal` is hidden from the summary list.
    Three queries whatever the size of the cloud.
    """
    az_aggregates = list(
        Aggregate.objects.filter(cloud=cloud, metadata__has_key=AZ_KEY)
        .values_list("pk", "name", "metadata")
        .order_by("name")
    )
    zone_of_aggregate = {pk: metadata[AZ_KEY] for pk, _, metadata in az_aggregates}
    name_of_aggregate = {pk: name for pk, name, _ in az_aggregates}
    zones_by_host: dict[int, set[str]] = defaultdict(set)
    aggregates_by_zone: dict[str, set[str]] = defaultdict(set)
    memberships = Aggregate.hosts.through.objects.filter(aggregate_id__in=zone_of_aggregate)
    for host_id, aggregate_id in memberships.values_list("host_id", "aggregate_id"):
        zones_by_host[host_id].add(zone_of_aggregate[aggregate_id])
    for pk, zone in zone_of_aggregate.items():
        aggregates_by_zone[zone].add(name_of_aggregate[pk])

    zones: dict[str, ZoneSummary] = {}
    for host_id, name, status in (
        Host.objects.filter(cloud=cloud).values_list("pk", "name", "status").order_by("name")
    ):
        zone_name = ",".join(sorted(zones_by_host.get(host_id, ()))) or (
            cloud.default_availability_zone
        )
        zone = zones.setdefault(zone_name, ZoneSummary(name=zone_name, available=False))
        zone.hosts.append(name)
        zone.available = zone.available or status == HostStatus.ENABLED
    for zone in zones.values():
        names = set().union(*(aggregates_by_zone.get(z, set()) for z in zone.name.split(",")))
        zone.aggregates = sorted(names)
    listed = [z for z in zones.values() if include_internal or z.name != INTERNAL_ZONE]
    return sorted(listed, key=lambda z: z.name)


def zone_names(cloud: Cloud) -> list[str]:
    """Zone names for a filter menu: every AZ in the metadata, plus the default zone (one query)."""
    values = Aggregate.objects.filter(cloud=cloud, metadata__has_key=AZ_KEY).values_list(
        "metadata", flat=True
    )
    return sorted({m[AZ_KEY] for m in values} | {cloud.default_availability_zone})
