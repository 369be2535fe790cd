"""Reads of clouds: who may open which, the clouds table, a cloud's overview and capacity."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from aggregates.models import Aggregate, Cloud, Flavor, Host
from aggregates.queries.zones import ZoneSummary, availability_zones
from aggregates.utilisation import capacity_expressions
from dashboard import permissions


def clouds_for(user: Any) -> QuerySet[Cloud]:
    """Clouds a signed-in user may open (members see their zones and flavors, not the hosts)."""
    if not permissions.is_signed_in(user):
        return Cloud.objects.none()
    return Cloud.objects.order_by("name", "slug")


def rows_of_cloud(model) -> Coalesce:
    """How many rows of `model` belong to the cloud, as a subquery to annotate clouds with."""
    rows = model.objects.filter(cloud=OuterRef("pk")).order_by().values("cloud")
    counted = Subquery(rows.annotate(n=Count("pk")).values("n"))
    return Coalesce(counted, 0, output_field=IntegerField())


def clouds_for_table() -> QuerySet[Cloud]:
    """Clouds with their host, aggregate and flavor counts (constant queries).

    Each count is a subquery of its own: joined, 10,000 hosts x 500 aggregates x the flavors
    make billions of rows to count DISTINCT over.
    """
    return Cloud.objects.annotate(
        host_count=rows_of_cloud(Host),
        aggregate_count=rows_of_cloud(Aggregate),
        flavor_count=rows_of_cloud(Flavor),
    ).order_by("name", "slug")


def capacity_summary(cloud: Cloud) -> dict[str, dict[str, int]]:
    """Placement capacity and use per resource class over the cloud's hosts, in one query.

    Each host's capacity is the rollups' own (utilisation.capacity_expressions), summed.
    """
    per_host = capacity_expressions()
    sums = Host.objects.filter(cloud=cloud).aggregate(
        vcpu=Sum(per_host["vcpus_capacity"]),
        vcpu_used=Sum("vcpus_used"),
        memory=Sum(per_host["memory_mb_capacity"]),
        memory_used=Sum("memory_mb_used"),
        disk=Sum(per_host["local_gb_capacity"]),
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
