"""Packed utilisation samples seen one reading at a time, as tests write and compare them."""

from datetime import datetime

from aggregates import utilisation
from aggregates.choices import Level, Resolution
from aggregates.models import Cloud, UtilisationSample, UtilisationSeries
from aggregates.models.utilisation import SERIES_PER_ROW


def stored_readings(cloud: Cloud | None = None, **filters) -> list[dict]:
    """Every stored reading (level, name, resolution, ts, samples and amounts) of the rows that
    match `filters` (fields of UtilisationSample), sorted."""
    rows = UtilisationSample.objects.filter(**filters)
    if cloud is not None:
        rows = rows.filter(cloud=cloud)
    names = {
        (cloud_id, level, position): name
        for cloud_id, level, position, name in UtilisationSeries.objects.values_list(
            "cloud_id", "level", "position", "name"
        )
    }
    readings = []
    for row in rows:
        packed = row.readings
        for offset in range(packed.size):
            reading = packed.reading(offset)
            if reading is not None:
                position = row.block * SERIES_PER_ROW + offset
                readings.append(
                    {
                        "level": row.level,
                        "name": names[(row.cloud_id, row.level, position)],
                        "resolution": row.resolution,
                        "ts": row.ts,
                        **reading,
                    }
                )
    return sorted(readings, key=lambda r: (r["level"], r["name"], r["resolution"], r["ts"]))


def store_reading(
    cloud: Cloud, level: Level, name: str, *, resolution: Resolution, ts: datetime, **amounts
) -> None:
    """Write one reading of one series (amounts summed over `samples`, default 1)."""
    position = utilisation.series_positions(cloud, {level: [name]})[level][name]
    reading = {"samples": 1} | amounts
    UtilisationSample.objects.bulk_create(
        utilisation.packed_samples(cloud, level, resolution, ts, {position: reading})
    )
