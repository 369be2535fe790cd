"""The heatmap of a cloud's hosts by zone and aggregate, and the hottest hosts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import (
    F,
    FloatField,
    QuerySet,
)
from django.db.models.functions import Cast, Coalesce

from aggregates.models import (
    Aggregate,
    Cloud,
    Host,
)
from aggregates.models.aggregates import AZ_KEY
from aggregates.models.utilisation import AMOUNTS
from aggregates.utilisation.rollups import RESOURCES, capacity_expressions, percent

NO_AGGREGATE = "(no other aggregate)"


def heatmap(cloud: Cloud) -> dict[str, Any]:
    """Every host's vCPU, RAM and disk use (% of capacity) in compact columns, ordered by zone,
    then aggregate (its first aggregate without a zone, by name), then name. Three queries."""
    az_of_aggregate: dict[int, str] = {}
    plain_aggregates: dict[int, str] = {}
    for pk, name, metadata in Aggregate.objects.filter(cloud=cloud).values_list(
        "pk", "name", "metadata"
    ):
        zone = (metadata or {}).get(AZ_KEY)
        if zone is None:
            plain_aggregates[pk] = name
        else:
            az_of_aggregate[pk] = zone
    zones: dict[int, set[str]] = {}
    groups: dict[int, str] = {}
    through = Aggregate.hosts.through.objects.filter(aggregate__cloud=cloud)
    for host_id, aggregate_id in _plain_rows(through.values_list("host_id", "aggregate_id")):
        if aggregate_id in az_of_aggregate:
            zones.setdefault(host_id, set()).add(az_of_aggregate[aggregate_id])
        elif aggregate_id in plain_aggregates:
            name = plain_aggregates[aggregate_id]
            groups[host_id] = min(groups.get(host_id, name), name)
    labels = {host_id: ",".join(sorted(names)) for host_id, names in zones.items()}
    default_zone = cloud.default_availability_zone
    hosts = Host.objects.filter(cloud=cloud).annotate(**capacity_expressions())
    cells = sorted(
        (
            labels.get(pk, default_zone),
            groups.get(pk, NO_AGGREGATE),
            name,
            percent(vcpus_used, vcpus),
            percent(memory_mb_used, memory_mb),
            percent(local_gb_used, local_gb),
        )
        for pk, name, vcpus_used, vcpus, memory_mb_used, memory_mb, local_gb_used, local_gb in (
            _plain_rows(hosts.values_list("pk", "name", *AMOUNTS[:-1]))
        )
    )
    # Runs of hosts sharing (zone, aggregate): [zone, aggregate, count]; then flat columns.
    runs: list[list] = []
    for zone, group, *_ in cells:
        if runs and runs[-1][0] == zone and runs[-1][1] == group:
            runs[-1][2] += 1
        else:
            runs.append([zone, group, 1])
    return {
        "groups": runs,
        "names": [c[2] for c in cells],
        "vcpus": [c[3] for c in cells],
        "memory_mb": [c[4] for c in cells],
        "local_gb": [c[5] for c in cells],
    }


def _plain_rows(rows: QuerySet) -> list[tuple]:
    """The tuples of a values_list query as the database driver returns them: at 10,000 hosts
    Django's per-row iteration and per-value converters cost more than the query itself."""
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def hottest_hosts(cloud_ids: Iterable[int], *, limit: int = 5) -> list[dict[str, Any]]:
    """The hosts closest to full (highest of vCPU, RAM and disk use in % of capacity), in SQL."""
    from django.db.models.functions import Greatest as Most
    from django.db.models.functions import NullIf

    ratios = {}
    capacity = capacity_expressions()
    for resource in RESOURCES:
        used = Cast(F(f"{resource}_used"), FloatField())
        ratios[resource] = Coalesce(
            used / NullIf(Cast(capacity[f"{resource}_capacity"], FloatField()), 0.0), 0.0
        )
    return list(
        Host.objects.filter(cloud_id__in=list(cloud_ids))
        .annotate(hottest=Most(*ratios.values()), **capacity)
        .order_by("-hottest", "name")
        .values("name", "cloud__slug", "cloud__name", "hottest", *AMOUNTS)[:limit]
    )
