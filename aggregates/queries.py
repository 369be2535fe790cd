"""Read side of resource segregation: list querysets for pages and API, zones, per-user views."""

import contextlib
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TypeVar

from django.core.cache import cache
from django.db.models import (
    CharField,
    Count,
    F,
    FloatField,
    Max,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Ceil, Concat, Greatest
from redis.exceptions import RedisError

from aggregates.choices import CloudKind, HostStatus
from aggregates.models import Aggregate, Cloud, Flavor, Host, Server, SyncRun
from aggregates.models.aggregates import AZ_KEY
from dashboard import permissions

T = TypeVar("T")
# Nova's [DEFAULT] internal_service_availability_zone: hidden from the zone summary list.
INTERNAL_ZONE = "internal"


def clouds_for(user: Any) -> QuerySet[Cloud]:
    """Clouds a signed-in user may open (members see their zones and flavors, not the hosts)."""
    if not permissions.is_signed_in(user):
        return Cloud.objects.none()
    return Cloud.objects.order_by("name", "slug")


def cloud_version(cloud: Cloud) -> str:
    """A marker that changes whenever the cloud, one of its hosts or aggregates, or who is in
    which aggregate changes: the key of what pages derive from them and cache. One query.

    Services save an `updated_at` with every write (a membership change saves its aggregate),
    a deletion lowers a count, and every sync sets `last_sync_at` (its membership changes
    save no row).
    """
    parts = {
        "hosts_version": _latest_and_count(Host.objects.filter(cloud=OuterRef("pk"))),
        "aggregates_version": _latest_and_count(Aggregate.objects.filter(cloud=OuterRef("pk"))),
    }
    row = (
        Cloud.objects.filter(pk=cloud.pk)
        .annotate(**parts)
        .values_list("pk", "created_at", "updated_at", "last_sync_at", *parts)
        .get()
    )
    return hashlib.sha1(repr(row).encode(), usedforsecurity=False).hexdigest()


def _latest_and_count(rows: QuerySet) -> Subquery:
    """'<latest updated_at>/<count>' of `rows` in one scan, NULL when there are none."""
    summary = Concat(
        Cast(Max("updated_at"), CharField()), Value("/"), Cast(Count("*"), CharField())
    )
    return Subquery(
        rows.order_by().annotate(one=Value(1)).values("one").annotate(v=summary).values("v")
    )


CACHE_SECONDS = 24 * 3600  # what stays unchanged may stay cached; changes give new keys


def cached_for_version(name: str, cloud: Cloud, compute: Callable[[], T]) -> T:
    """`compute()`, from Django's cache while `cloud_version(cloud)` stays the same."""
    key = f"{name}:{cloud_version(cloud)}"
    try:
        value = cache.get(key)
    except RedisError:
        return compute()  # the cache is down: the page is slower, never broken
    if value is None:
        value = compute()
        with contextlib.suppress(RedisError):
            cache.set(key, value, CACHE_SECONDS)
    return value


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


@dataclass(frozen=True)
class CloudSummary:
    """What a cloud's overview shows of its hosts: zones (without their host lists), totals,
    Placement capacity and the number of aggregates."""

    zones: list[ZoneSummary]
    totals: dict[str, int | None]
    capacity: dict[str, dict[str, int]]
    aggregate_count: int


def cloud_summary(cloud: Cloud) -> CloudSummary:
    """The overview of `cloud` in six queries; it reads every host, so pages cache it
    (`cached_for_version`)."""
    zones = [
        ZoneSummary(zone.name, zone.available, aggregates=zone.aggregates)
        for zone in availability_zones(cloud)
    ]
    totals = Host.objects.filter(cloud=cloud).aggregate(
        hosts=Count("pk"),
        vcpus=Sum("vcpus"),
        vcpus_used=Sum("vcpus_used"),
        memory_mb=Sum("memory_mb"),
        memory_mb_used=Sum("memory_mb_used"),
        local_gb=Sum("local_gb"),
        local_gb_used=Sum("local_gb_used"),
        running_vms=Sum("running_vms"),
    )
    return CloudSummary(zones, totals, capacity_summary(cloud), cloud.aggregates.count())


def zone_names(cloud: Cloud) -> list[str]:
    """Zone names for a filter menu: every AZ in the metadata, plus the default zone (one query)."""
    values = Aggregate.objects.filter(cloud=cloud, metadata__has_key=AZ_KEY).values_list(
        "metadata", flat=True
    )
    return sorted({m[AZ_KEY] for m in values} | {cloud.default_availability_zone})


def aggregate_choices(cloud: Cloud) -> list[tuple[str, str]]:
    """(id as text, name) of every aggregate, for a filter menu (one query)."""
    rows = Aggregate.objects.filter(cloud=cloud).order_by("name").values_list("pk", "name")
    return [(str(pk), name) for pk, name in rows]


def clouds_due_for_sync(now) -> list[int]:
    """Ids of connected clouds with an interval whose last sync (or attempt) is that old."""
    due = []
    clouds = Cloud.objects.filter(kind=CloudKind.CONNECTED, sync_interval_minutes__gt=0)
    for cloud_id, interval, last in clouds.values_list(
        "pk", "sync_interval_minutes", "last_sync_at"
    ):
        if last is None or now - last >= timedelta(minutes=interval):
            due.append(cloud_id)
    return due


def sync_runs_for(cloud: Cloud):
    """The cloud's sync runs, newest first (paginate: they accumulate)."""
    return SyncRun.objects.filter(cloud=cloud).order_by("-started_at", "-id")


def latest_sync_run(cloud: Cloud) -> SyncRun | None:
    return sync_runs_for(cloud).first()
