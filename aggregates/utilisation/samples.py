"""Utilisation samples: recording them (their only writer) and downsampling with retention."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.db.models import (
    Sum,
)
from django.utils import timezone

from aggregates.choices import Level, Resolution
from aggregates.models import Cloud, UtilisationSample, UtilisationSeries
from aggregates.models.utilisation import Readings, packed_rows
from aggregates.utilisation.rollups import rollup_rows

RESOLUTIONS = {resolution.label: resolution for resolution in Resolution}


# Retention (the policy): raw readings 2 days, hourly means 30 days, daily means a year.
RAW_KEPT = timedelta(days=2)


HOURLY_KEPT = timedelta(days=30)


DAILY_KEPT = timedelta(days=365)


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
