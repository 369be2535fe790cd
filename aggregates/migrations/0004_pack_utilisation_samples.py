"""Utilisation history packed: one row per level, resolution, time and block of 256 series
instead of one row per series; the series' names move to UtilisationSeries. Existing samples
are moved over (and back, when migrating backwards)."""

import django.db.models.deletion
from django.db import migrations, models

# The codec of the packed rows. Its format is the stored data's: it only ever gains a newer
# format beside this one, so this migration keeps reading and writing what it wrote.
from aggregates.models.utilisation import AMOUNTS, SERIES_PER_ROW, Readings, packed_rows

BATCH = 500
LEVELS = [(0, "host"), (1, "aggregate"), (2, "availability_zone"), (3, "cloud")]


def _id():
    return models.BigAutoField(
        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
    )


def _cloud():
    return models.ForeignKey(
        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="aggregates.cloud"
    )


def pack_samples(apps, schema_editor):
    Legacy = apps.get_model("aggregates", "LegacyUtilisationSample")
    Series = apps.get_model("aggregates", "UtilisationSeries")
    Sample = apps.get_model("aggregates", "UtilisationSample")
    positions: dict[tuple[int, int], dict[str, int]] = {}
    names = Legacy.objects.order_by("cloud_id", "level", "name").values_list(
        "cloud_id", "level", "name"
    )
    series = []
    for cloud_id, level, name in names.distinct().iterator():
        taken = positions.setdefault((cloud_id, level), {})
        taken[name] = len(taken)
        series.append(Series(cloud_id=cloud_id, level=level, name=name, position=taken[name]))
    Series.objects.bulk_create(series, batch_size=BATCH)

    rows = Legacy.objects.order_by("cloud_id", "level", "resolution", "ts").values_list(
        "cloud_id", "level", "resolution", "ts", "name", "samples", *AMOUNTS
    )
    packed = []
    group, readings = None, {}
    for cloud_id, level, resolution, ts, name, samples, *amounts in rows.iterator(chunk_size=2000):
        if (cloud_id, level, resolution, ts) != group:
            packed += _rows(Sample, group, readings)
            group, readings = (cloud_id, level, resolution, ts), {}
        position = positions[(cloud_id, level)][name]
        readings[position] = {"samples": samples, **dict(zip(AMOUNTS, amounts, strict=True))}
        if len(packed) >= BATCH:
            Sample.objects.bulk_create(packed)
            packed = []
    packed += _rows(Sample, group, readings)
    Sample.objects.bulk_create(packed, batch_size=BATCH)


def _rows(Sample, group, readings):
    if group is None:
        return []
    cloud_id, level, resolution, ts = group
    return [
        Sample(cloud_id=cloud_id, level=level, resolution=resolution, ts=ts, **fields)
        for fields in packed_rows(readings)
    ]


def unpack_samples(apps, schema_editor):
    Legacy = apps.get_model("aggregates", "LegacyUtilisationSample")
    Series = apps.get_model("aggregates", "UtilisationSeries")
    Sample = apps.get_model("aggregates", "UtilisationSample")
    names = {
        (cloud_id, level, position): name
        for cloud_id, level, name, position in Series.objects.values_list(
            "cloud_id", "level", "name", "position"
        ).iterator()
    }
    legacy = []
    rows = Sample.objects.values_list("cloud_id", "level", "resolution", "ts", "block", "data")
    for cloud_id, level, resolution, ts, block, data in rows.iterator(chunk_size=100):
        readings = Readings.unpack(data)
        for offset in range(readings.size):
            reading = readings.reading(offset)
            if reading is None:
                continue
            position = block * SERIES_PER_ROW + offset
            legacy.append(
                Legacy(
                    cloud_id=cloud_id,
                    level=level,
                    name=names[(cloud_id, level, position)],
                    resolution=resolution,
                    ts=ts,
                    **reading,
                )
            )
        if len(legacy) >= BATCH:
            Legacy.objects.bulk_create(legacy)
            legacy = []
    Legacy.objects.bulk_create(legacy, batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("aggregates", "0003_merge_sync_and_utilisation"),
        # RenameModel renames the content type; backwards, it needs that table's current shape.
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RenameModel("UtilisationSample", "LegacyUtilisationSample"),
        migrations.CreateModel(
            name="UtilisationSeries",
            fields=[
                ("id", _id()),
                ("level", models.PositiveSmallIntegerField(choices=LEVELS)),
                ("name", models.CharField(max_length=255)),
                ("position", models.PositiveIntegerField()),
                ("cloud", _cloud()),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("cloud", "level", "name"), name="utilisation_series_name"
                    ),
                    models.UniqueConstraint(
                        fields=("cloud", "level", "position"), name="utilisation_series_position"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="UtilisationSample",
            fields=[
                ("id", _id()),
                ("level", models.PositiveSmallIntegerField(choices=LEVELS)),
                (
                    "resolution",
                    models.PositiveSmallIntegerField(
                        choices=[(0, "raw"), (1, "hourly"), (2, "daily")]
                    ),
                ),
                ("ts", models.DateTimeField()),
                ("block", models.PositiveIntegerField(default=0)),
                (
                    "series_count",
                    models.PositiveIntegerField(help_text="series with a reading in this row"),
                ),
                ("data", models.BinaryField()),
                ("cloud", _cloud()),
            ],
            options={
                "indexes": [
                    models.Index(fields=["resolution", "ts"], name="utilisation_sample_res_ts")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("cloud", "level", "block", "resolution", "ts"),
                        name="utilisation_sample_row",
                    )
                ],
            },
        ),
        migrations.RunPython(pack_samples, unpack_samples),
        migrations.DeleteModel("LegacyUtilisationSample"),
    ]
