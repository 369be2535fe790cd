"""Utilisation rollups per host, aggregate, zone and cloud, computed in SQL.

One definition, Placement's arithmetic (nova-scheduling.md §5.2), as the engine and Host use it:
capacity = floor((total − reserved) × allocation_ratio) per host, never below 0, summed over the
hosts of a group; used = the hosts' allocations (`*_used`), which never include reserved amounts.
Reserved disk is `reserved_host_disk_mb` rounded up to whole GB, as Nova reports DISK_GB.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    BigIntegerField,
    Expression,
    F,
    FloatField,
    Min,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Ceil, Coalesce, Floor, Greatest

from aggregates.choices import Level
from aggregates.models import Aggregate, Cloud, Host
from aggregates.models.aggregates import AZ_KEY
from aggregates.models.utilisation import AMOUNTS

RESOURCES = ("vcpus", "memory_mb", "local_gb")


LEVELS = {level.label: level for level in Level}


def _capacity(prefix: str, total: str, reserved: Expression, ratio: str) -> Expression:
    usable = Cast(F(prefix + total) - reserved, FloatField()) * F(prefix + ratio)
    return Cast(Greatest(Floor(usable), Value(0.0)), BigIntegerField())


def capacity_expressions(prefix: str = "") -> dict[str, Expression]:
    """Per-host Placement capacity of each class as SQL (`prefix` reaches hosts over a relation)."""
    reserved_disk_gb = Ceil(F(prefix + "reserved_host_disk_mb") / Value(1024.0))
    return {
        "vcpus_capacity": _capacity(
            prefix, "vcpus", F(prefix + "reserved_host_cpus"), "cpu_allocation_ratio"
        ),
        "memory_mb_capacity": _capacity(
            prefix, "memory_mb", F(prefix + "reserved_host_memory_mb"), "ram_allocation_ratio"
        ),
        "local_gb_capacity": _capacity(
            prefix, "local_gb", reserved_disk_gb, "disk_allocation_ratio"
        ),
    }


def _sums(prefix: str = "") -> dict[str, Expression]:
    capacity = capacity_expressions(prefix)
    sums: dict[str, Expression] = {}
    for name in AMOUNTS:
        value = capacity[name] if name in capacity else F(prefix + name)
        sums[name] = Coalesce(Sum(value), Value(0), output_field=BigIntegerField())
    return sums


def zone_rollup_rows(hosts: QuerySet) -> list[dict[str, Any]]:
    """Sums per (cloud, zone) over `hosts`, in one SQL query built from the ORM's own pieces.

    A host's zone is its AZ aggregate's zone, else its cloud's default zone (§2.2). Nova joins
    the zones of a host in several differently zoned aggregates (legacy data that Nova and our
    services refuse to create); such a host counts in the first, by name. A join, not a
    correlated subquery per host: 10,000 hosts stay fast.
    """
    per_host = hosts.annotate(**capacity_expressions()).values(
        "id", "cloud_id", *AMOUNTS, default_zone=F("cloud__default_availability_zone")
    )
    zone_of_host = (
        Aggregate.hosts.through.objects.filter(
            aggregate__metadata__has_key=AZ_KEY, aggregate__gone_since__isnull=True
        )
        .values("host_id")
        .annotate(zone=Min(KeyTextTransform(AZ_KEY, "aggregate__metadata")))
        .values("host_id", "zone")
    )
    try:
        host_sql, host_params = per_host.query.sql_with_params()
    except EmptyResultSet:  # e.g. cloud__in=[]: nothing to sum
        return []
    zone_sql, zone_params = zone_of_host.query.sql_with_params()
    sums = ", ".join(f"SUM(h.{name})" for name in AMOUNTS)
    sql = (
        f"SELECT h.cloud_id, COALESCE(z.zone, h.default_zone) AS zone_name, {sums} "
        f"FROM ({host_sql}) h LEFT JOIN ({zone_sql}) z ON z.host_id = h.id "
        "GROUP BY h.cloud_id, zone_name ORDER BY h.cloud_id, zone_name"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (*host_params, *zone_params))
        return [
            {
                "cloud_id": cloud_id,
                "name": name,
                **dict(zip(AMOUNTS, map(int, amounts), strict=True)),
            }
            for cloud_id, name, *amounts in cursor.fetchall()
        ]


@dataclass(slots=True)
class Rollup:
    """Usage and capacity of one host, aggregate, zone or cloud (the API's row shape)."""

    level: str
    name: str
    vcpus_used: int = 0
    vcpus_capacity: int = 0
    memory_mb_used: int = 0
    memory_mb_capacity: int = 0
    local_gb_used: int = 0
    local_gb_capacity: int = 0
    running_vms: int = 0

    @property
    def vcpus_percent(self) -> int:
        return percent(self.vcpus_used, self.vcpus_capacity)

    @property
    def memory_mb_percent(self) -> int:
        return percent(self.memory_mb_used, self.memory_mb_capacity)

    @property
    def local_gb_percent(self) -> int:
        return percent(self.local_gb_used, self.local_gb_capacity)

    @property
    def hottest_percent(self) -> int:
        return max(self.vcpus_percent, self.memory_mb_percent, self.local_gb_percent)

    def as_dict(self) -> dict[str, Any]:
        return {"level": self.level, "name": self.name} | {k: getattr(self, k) for k in AMOUNTS}


def percent(used: float, capacity: float) -> int:
    """Used as a whole percentage of capacity; over-committed usage may exceed 100."""
    if capacity <= 0:
        return 100 if used > 0 else 0
    return round(100 * used / capacity)


def rollup_rows(cloud: Cloud, level: Level) -> QuerySet | list[dict[str, Any]]:
    """Value rows (name + AMOUNTS) of `cloud` at `level`, ordered by name, summed in SQL
    (zones: a list, there are few)."""
    hosts = Host.objects.filter(cloud=cloud)
    if level == Level.HOST:
        return (
            hosts.values("name")
            .annotate(**capacity_expressions())
            .values("name", *AMOUNTS)
            .order_by("name")
        )
    if level == Level.AGGREGATE:
        return (
            Aggregate.objects.filter(cloud=cloud)
            .values("name")
            .annotate(**_sums("hosts__"))
            .order_by("name")
        )
    if level == Level.AVAILABILITY_ZONE:
        return [
            {k: v for k, v in row.items() if k != "cloud_id"} for row in zone_rollup_rows(hosts)
        ]
    return (
        Cloud.objects.filter(pk=cloud.pk)
        .values("name")
        .annotate(**_sums("hosts__"))
        .order_by("name")
    )


def rollups(cloud: Cloud, level: Level, *, stream: bool = False) -> Iterator[Rollup]:
    """Rollup objects of `cloud` at `level` (one query); `stream` for exports of any size."""
    rows = rollup_rows(cloud, level)
    for row in rows.iterator(chunk_size=2000) if stream and isinstance(rows, QuerySet) else rows:
        yield Rollup(level=level.label, **row)


def cloud_rollup(cloud: Cloud) -> Rollup:
    return next(rollups(cloud, Level.CLOUD))


def clouds_with_zones(clouds: QuerySet) -> list[tuple[Cloud, Rollup, list[Rollup]]]:
    """Each cloud with its total and its zones' rollups, in three queries for any number."""
    clouds = list(clouds)
    totals = {
        row.pop("pk"): Rollup(level="cloud", **row)
        for row in Cloud.objects.filter(pk__in=[c.pk for c in clouds])
        .values("pk", "name")
        .annotate(**_sums("hosts__"))
    }
    zones: dict[int, list[Rollup]] = {}
    for row in zone_rollup_rows(Host.objects.filter(cloud__in=clouds)):
        cloud_id = row.pop("cloud_id")
        zones.setdefault(cloud_id, []).append(Rollup(level="availability_zone", **row))
    return [(cloud, totals[cloud.pk], zones.get(cloud.pk, [])) for cloud in clouds]
