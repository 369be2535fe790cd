"""Utilisation rollups per host, aggregate, zone and cloud, computed in SQL; samples and history.

One definition, Placement's arithmetic (nova-scheduling.md §5.2), as the engine and Host use it:
capacity = floor((total − reserved) × allocation_ratio) per host, never below 0, summed over the
hosts of a group; used = the hosts' allocations (`*_used`), which never include reserved amounts.
Reserved disk is `reserved_host_disk_mb` rounded up to whole GB, as Nova reports DISK_GB.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
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
from django.utils import timezone

from aggregates.models import (
    Aggregate,
    Cloud,
    Host,
    Level,
    Resolution,
    UtilisationSample,
    UtilisationSeries,
)
from aggregates.models.aggregates import AZ_KEY
from aggregates.models.utilisation import AMOUNTS, SERIES_PER_ROW, Readings, packed_rows

RESOURCES = ("vcpus", "memory_mb", "local_gb")
LEVELS = {level.label: level for level in Level}
RESOLUTIONS = {resolution.label: resolution for resolution in Resolution}
# Retention (the policy): raw readings 2 days, hourly means 30 days, daily means a year.
RAW_KEPT = timedelta(days=2)
HOURLY_KEPT = timedelta(days=30)
DAILY_KEPT = timedelta(days=365)


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
        Aggregate.hosts.through.objects.filter(aggregate__metadata__has_key=AZ_KEY)
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


def series_positions(
    cloud: Cloud, names: Mapping[Level, Iterable[str]]
) -> dict[Level, dict[str, int]]:
    """Every series of `cloud` by level and name → its position in the packed rows; the
    `names` not seen before get the next free positions of their level, in order."""
    positions: dict[Level, dict[str, int]] = {level: {} for level in Level}
    known = UtilisationSeries.objects.filter(cloud=cloud).values_list("level", "name", "position")
    for level, name, position in known:
        positions[Level(level)][name] = position
    new = []
    for level, level_names in names.items():
        taken = positions[level]
        free = max(taken.values(), default=-1) + 1
        for name in level_names:
            if name not in taken:
                taken[name] = free
                new.append(UtilisationSeries(cloud=cloud, level=level, name=name, position=free))
                free += 1
    UtilisationSeries.objects.bulk_create(new, batch_size=2000)
    return positions


def packed_samples(
    cloud: Cloud,
    level: Level,
    resolution: Resolution,
    ts: datetime,
    readings: Mapping[int, Mapping[str, int]],
) -> list[UtilisationSample]:
    """Unsaved rows holding `readings` ({position: samples and amounts}) of one level at `ts`."""
    return [
        UtilisationSample(cloud=cloud, level=level, resolution=resolution, ts=ts, **fields)
        for fields in packed_rows(readings)
    ]


def record_utilisation_samples(cloud: Cloud, *, at: datetime | None = None) -> int:
    """Record one raw reading of every host, aggregate, zone and the cloud, at `at` (now, to
    the minute).

    Idempotent for a given `at`: a second call at the same minute writes nothing. Returns the
    number of readings written. The sync of a connected cloud calls it after each run.
    """
    at = (at or timezone.now()).replace(second=0, microsecond=0)
    with transaction.atomic():
        # One recording of a cloud at a time: new series take the next free positions.
        list(Cloud.objects.select_for_update().filter(pk=cloud.pk).values_list("pk"))
        taken = UtilisationSample.objects.filter(
            cloud=cloud, level=Level.CLOUD, resolution=Resolution.RAW, ts=at
        )
        if taken.exists():
            return 0
        current = {level: list(rollup_rows(cloud, level)) for level in Level}
        positions = series_positions(
            cloud, {level: [row["name"] for row in rows] for level, rows in current.items()}
        )
        samples = [
            sample
            for level, rows in current.items()
            for sample in packed_samples(
                cloud,
                level,
                Resolution.RAW,
                at,
                {positions[level][row["name"]]: {"samples": 1, **row} for row in rows},
            )
        ]
        UtilisationSample.objects.bulk_create(samples, batch_size=100)
    return sum(len(rows) for rows in current.values())


# Downsampling: merge the rows of every finished bucket into one row of the next resolution,
# adding samples and amounts series by series (so means and cross-level totals are
# preserved), and delete the merged rows, in one transaction. A rerun finds nothing to merge.
_MERGE_BATCH = 200  # merged buckets held in memory before they are written


def _bucket(ts: datetime, resolution: Resolution) -> datetime:
    hour = ts.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    return hour.replace(hour=0) if resolution == Resolution.DAILY else hour


def _merge(source: Resolution, target: Resolution, before: datetime) -> int:
    rows = (
        UtilisationSample.objects.filter(resolution=source, ts__lt=before)
        .order_by("cloud_id", "level", "block", "ts")
        .values_list("pk", "cloud_id", "level", "block", "ts", "series_count", "data")
    )
    merged = 0
    done: list[int] = []
    buckets: dict[tuple, Readings] = {}
    for pk, cloud_id, level, block, ts, series_count, data in rows.iterator(chunk_size=100):
        key = (cloud_id, level, block, _bucket(ts, target))
        if key not in buckets and len(buckets) >= _MERGE_BATCH:
            _add_to_buckets(target, buckets)  # rows come by key: the held buckets are complete
            buckets = {}
        readings = Readings.unpack(data)
        buckets[key] = buckets[key].add(readings) if key in buckets else readings
        merged += series_count
        done.append(pk)
    _add_to_buckets(target, buckets)
    for start in range(0, len(done), 1000):
        UtilisationSample.objects.filter(pk__in=done[start : start + 1000]).delete()
    return merged


def _add_to_buckets(resolution: Resolution, buckets: dict[tuple, Readings]) -> None:
    """Write merged buckets, adding them to rows already there (a late raw sample)."""
    if not buckets:
        return
    existing = {
        (row.cloud_id, row.level, row.block, row.ts): row
        for row in UtilisationSample.objects.filter(
            resolution=resolution,
            cloud_id__in={key[0] for key in buckets},
            ts__in={key[3] for key in buckets},
        )
    }
    new, changed = [], []
    for (cloud_id, level, block, ts), readings in buckets.items():
        row = existing.get((cloud_id, level, block, ts))
        if row is None:
            row = UtilisationSample(
                cloud_id=cloud_id, level=level, resolution=resolution, ts=ts, block=block
            )
            new.append(row)
        else:
            readings = row.readings.add(readings)
            changed.append(row)
        row.series_count = readings.series_count
        row.data = readings.pack()
    UtilisationSample.objects.bulk_create(new, batch_size=100)
    UtilisationSample.objects.bulk_update(changed, ["series_count", "data"], batch_size=100)


def downsample_utilisation(*, now: datetime | None = None) -> dict[str, int]:
    """Apply the retention policy once: raw → hourly after 2 days, hourly → daily after 30,
    daily dropped after a year. Only whole buckets are merged; idempotent. Counts readings."""
    now = now or timezone.now()
    hour_cut = (now - RAW_KEPT).replace(minute=0, second=0, microsecond=0)
    day_cut = (now - HOURLY_KEPT).replace(hour=0, minute=0, second=0, microsecond=0)
    with transaction.atomic():
        raw = _merge(Resolution.RAW, Resolution.HOURLY, hour_cut)
        hourly = _merge(Resolution.HOURLY, Resolution.DAILY, day_cut)
        old = UtilisationSample.objects.filter(resolution=Resolution.DAILY, ts__lt=now - DAILY_KEPT)
        expired = old.aggregate(readings=Sum("series_count"))["readings"] or 0
        old.delete()
    return {"raw_merged": raw, "hourly_merged": hourly, "daily_expired": expired}


@dataclass(slots=True, frozen=True)
class HistoryPoint:
    """Mean usage and capacity over the samples merged into one row."""

    ts: datetime
    resolution: str
    samples: int
    values: dict[str, float]

    def as_dict(self) -> dict[str, Any]:
        return {"ts": self.ts, "resolution": self.resolution, "samples": self.samples} | {
            k: round(v, 2) for k, v in self.values.items()
        }


def history_rows(
    cloud: Cloud,
    level: Level,
    name: str,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    resolution: Resolution | None = None,
) -> list[dict[str, Any]]:
    """Readings of one series (ts, resolution, samples, summed amounts), oldest first; every
    resolution unless one is asked for (retention leaves no overlap: recent raw, then hourly,
    then daily). Two queries; one packed row decompressed per point."""
    series = UtilisationSeries.objects.filter(cloud=cloud, level=level, name=name).first()
    if series is None:
        return []
    rows = UtilisationSample.objects.filter(cloud=cloud, level=level, block=series.block)
    if resolution is not None:
        rows = rows.filter(resolution=resolution)
    if start is not None:
        rows = rows.filter(ts__gte=start)
    if end is not None:
        rows = rows.filter(ts__lt=end)
    points = []
    for ts, row_resolution, data in rows.order_by("ts").values_list("ts", "resolution", "data"):
        reading = Readings.unpack_one(data, series.offset)
        if reading is not None:
            points.append({"ts": ts, "resolution": row_resolution, **reading})
    return points


def history(rows: Iterable[dict]) -> Iterator[HistoryPoint]:
    for row in rows:
        samples = row["samples"] or 1
        yield HistoryPoint(
            ts=row["ts"],
            resolution=Resolution(row["resolution"]).label,
            samples=samples,
            values={k: row[k] / samples for k in AMOUNTS},
        )


def chart_series(rows: Iterable[dict]) -> list[list[float | None]]:
    """uPlot's columnar data: unix seconds, then vCPU, RAM and disk use in % of capacity."""
    xs: list[float | None] = []
    series: list[list[float | None]] = [[], [], []]
    for row in rows:
        xs.append(row["ts"].timestamp())
        for column, resource in zip(series, RESOURCES, strict=True):
            capacity = row[f"{resource}_capacity"]
            used = row[f"{resource}_used"]
            column.append(round(100 * used / capacity, 1) if capacity else None)
    return [xs, *series]


@dataclass(slots=True, frozen=True)
class RunOut:
    """A zone's linear trend: % used per day and the date it reaches 100 % (None: not rising)."""

    zone: str
    resource: str | None
    percent_per_day: float
    full_on: datetime | None
    points: int


TREND_WINDOW = timedelta(days=30)


def run_out_estimates(cloud: Cloud, *, now: datetime | None = None) -> list[RunOut]:
    """Per zone, least-squares lines through the last 30 days of its samples (% of capacity
    per resource, every resolution); the soonest resource to reach 100 % decides. Two queries."""
    now = now or timezone.now()
    zones = UtilisationSeries.objects.filter(cloud=cloud, level=Level.AVAILABILITY_ZONE)
    names = dict(zones.values_list("position", "name"))
    rows = (
        UtilisationSample.objects.filter(
            cloud=cloud, level=Level.AVAILABILITY_ZONE, ts__gte=now - TREND_WINDOW
        )
        .order_by("ts")
        .values_list("block", "ts", "data")
    )
    by_zone: dict[str, list[tuple]] = {}
    for block, ts, data in rows:
        readings = Readings.unpack(data)
        for offset in range(readings.size):
            reading = readings.reading(offset)
            if reading is not None:
                zone = names[block * SERIES_PER_ROW + offset]
                by_zone.setdefault(zone, []).append((ts, *(reading[k] for k in AMOUNTS[:-1])))
    estimates = []
    for zone, points in sorted(by_zone.items()):
        best: RunOut = RunOut(zone, None, 0.0, None, len(points))
        for index, resource in enumerate(RESOURCES):
            line = [
                ((ts - now).total_seconds() / 86400, 100 * p[2 * index] / p[2 * index + 1])
                for ts, *p in points
                if p[2 * index + 1]
            ]
            slope, intercept = _least_squares(line)
            if slope <= 0:
                if best.resource is None and abs(slope) >= abs(best.percent_per_day):
                    best = RunOut(zone, None, slope, None, len(points))
                continue
            days = max(0.0, (100 - intercept) / slope)
            full_on = now + timedelta(days=min(days, 36500))
            if best.full_on is None or full_on < best.full_on:
                best = RunOut(zone, resource, slope, full_on, len(points))
        estimates.append(best)
    return estimates


def _least_squares(points: list[tuple[float, float]]) -> tuple[float, float]:
    n = len(points)
    if n < 2:
        return 0.0, (points[0][1] if points else 0.0)
    mean_x = math.fsum(x for x, _ in points) / n
    mean_y = math.fsum(y for _, y in points) / n
    var = math.fsum((x - mean_x) ** 2 for x, _ in points)
    if var == 0:
        return 0.0, mean_y
    slope = math.fsum((x - mean_x) * (y - mean_y) for x, y in points) / var
    return slope, mean_y - slope * mean_x


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
