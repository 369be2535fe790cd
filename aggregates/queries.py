"""Read side of resource segregation: list querysets for pages and API, zones, per-user views."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, FloatField, Prefetch, QuerySet, Sum
from django.db.models.functions import Cast, Ceil, Greatest

from aggregates.choices import HostStatus
from aggregates.models import Aggregate, Cloud, Flavor, Host, Server
from aggregates.models.aggregates import AZ_KEY
from dashboard import permissions

# Nova's [DEFAULT] internal_service_availability_zone: hidden from the zone summary list.
INTERNAL_ZONE = "internal"


def clouds_for(user: Any) -> QuerySet[Cloud]:
    """Clouds a signed-in user may open (members see their zones and flavors, not the hosts)."""
    if not permissions.is_signed_in(user):
        return Cloud.objects.none()
    return Cloud.objects.order_by("name", "slug")


def clouds_for_table() -> QuerySet[Cloud]:
    """Clouds with their host, aggregate and flavor counts (constant queries)."""
    return Cloud.objects.annotate(
        host_count=Count("hosts", distinct=True),
        aggregate_count=Count("aggregates", distinct=True),
        flavor_count=Count("flavors", distinct=True),
    ).order_by("name", "slug")


def _aggregates_brief() -> Prefetch:
    return Prefetch(
        "aggregates", queryset=Aggregate.objects.only("id", "name", "metadata").order_by("name")
    )


def hosts_for_table(cloud: Cloud) -> QuerySet[Host]:
    """Hosts of `cloud` with their aggregates (for zone and names) in two queries."""
    return (
        Host.objects.filter(cloud=cloud)
        .select_related("cloud")
        .prefetch_related(_aggregates_brief())
        .order_by("name")
    )


def host_names(cloud: Cloud, *, starting: str = "", limit: int = 20) -> list[str]:
    """Host names for a type-ahead, prefix match first."""
    hosts = Host.objects.filter(cloud=cloud)
    if starting:
        hosts = hosts.filter(name__icontains=starting)
    return list(hosts.order_by("name").values_list("name", flat=True)[:limit])


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


def aggregates_for_table(cloud: Cloud) -> QuerySet[Aggregate]:
    """Aggregates of `cloud` with a host count; attach names to a page with `with_host_names`."""
    return (
        Aggregate.objects.filter(cloud=cloud).annotate(host_count=Count("hosts")).order_by("name")
    )


def with_host_names(aggregates: Iterable[Aggregate]) -> list[Aggregate]:
    """Set `host_names` (sorted) on each aggregate, in one query of (aggregate, name) pairs.

    Cheaper than prefetching Host rows: one zone aggregate may hold thousands of hosts.
    """
    aggregates = list(aggregates)
    names: dict[int, list[str]] = defaultdict(list)
    pairs = (
        Aggregate.hosts.through.objects.filter(aggregate_id__in=[a.pk for a in aggregates])
        .order_by("host__name")
        .values_list("aggregate_id", "host__name")
    )
    for aggregate_id, name in pairs:
        names[aggregate_id].append(name)
    for aggregate in aggregates:
        aggregate.host_names = names[aggregate.pk]
    return aggregates


def flavors_for(user: Any, cloud: Cloud) -> QuerySet[Flavor]:
    """Admins see every flavor; members the enabled public ones (no project mapping for users)."""
    flavors = Flavor.objects.filter(cloud=cloud)
    if not permissions.is_cloud_admin(user):
        flavors = flavors.filter(is_public=True, disabled=False)
    return flavors.order_by("ram", "vcpus", "flavor_id")


def servers_for_table(cloud: Cloud) -> QuerySet[Server]:
    return (
        Server.objects.filter(cloud=cloud).select_related("host", "flavor").order_by("name", "uuid")
    )


def servers_on_host(host: Host) -> QuerySet[Server]:
    return Server.objects.filter(host=host).select_related("flavor").order_by("name", "uuid")


def count_instances(hosts: list[Host]) -> int:
    """Instances (any state) on these hosts; Nova counts soft-deleted ones too."""
    return Server.objects.filter(host__in=hosts).count()


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


def capacity_summary(cloud: Cloud) -> dict[str, dict[str, int]]:
    """Placement capacity and use per resource class over the cloud's hosts, in one query.

    capacity = (total − reserved) × allocation_ratio per host, summed (nova-scheduling.md §5.2).
    """

    def capacity(total, reserved, ratio):
        return Sum(Greatest(Cast(F(total) - reserved, FloatField()) * F(ratio), 0.0))

    sums = Host.objects.filter(cloud=cloud).aggregate(
        vcpu=capacity("vcpus", F("reserved_host_cpus"), "cpu_allocation_ratio"),
        vcpu_used=Sum("vcpus_used"),
        memory=capacity("memory_mb", F("reserved_host_memory_mb"), "ram_allocation_ratio"),
        memory_used=Sum("memory_mb_used"),
        disk=capacity(
            "local_gb", Ceil(F("reserved_host_disk_mb") / 1024.0), "disk_allocation_ratio"
        ),
        disk_used=Sum("local_gb_used"),
    )
    rows = {
        "VCPU": ("vcpu", "vcpu_used"),
        "MEMORY_MB": ("memory", "memory_used"),
        "DISK_GB": ("disk", "disk_used"),
    }
    summary = {}
    for resource_class, (total_key, used_key) in rows.items():
        total, used = int(sums[total_key] or 0), int(sums[used_key] or 0)
        percent = round(100 * used / total) if total else 0
        summary[resource_class] = {"capacity": total, "used": used, "percent": percent}
    return summary


def zone_names(cloud: Cloud) -> list[str]:
    """Zone names for a filter menu: every AZ in the metadata, plus the default zone (one query)."""
    values = Aggregate.objects.filter(cloud=cloud, metadata__has_key=AZ_KEY).values_list(
        "metadata", flat=True
    )
    return sorted({m[AZ_KEY] for m in values} | {cloud.default_availability_zone})


def aggregate_choices(cloud: Cloud) -> list[tuple[int, str]]:
    return list(Aggregate.objects.filter(cloud=cloud).order_by("name").values_list("pk", "name"))
