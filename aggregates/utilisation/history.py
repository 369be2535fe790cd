"""Utilisation history for charts, and run-out estimates from its trend."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from aggregates.choices import Level, Resolution
from aggregates.models import Cloud, UtilisationSample, UtilisationSeries
from aggregates.models.utilisation import AMOUNTS, SERIES_PER_ROW, Readings
from aggregates.utilisation.rollups import RESOURCES


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
