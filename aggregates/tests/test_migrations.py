"""Data migrations move existing rows over, and back when migrated backwards."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from aggregates import models, utilisation
from aggregates.choices import Level, Resolution
from aggregates.models.utilisation import AMOUNTS
from aggregates.tests.utilisation_samples import stored_readings

BEFORE_PACKING = ("aggregates", "0003_merge_sync_and_utilisation")
TS = datetime(2026, 5, 1, 10, 0, tzinfo=UTC)


def _migrate(target: tuple[str, str] | None):
    """To `target`, or with None to the latest migrations (later ones, e.g. a merge, included):
    the database the rest of the suite finds."""
    executor = MigrationExecutor(connection)
    targets = [target] if target else executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _legacy_rows(apps) -> list[tuple]:
    Sample = apps.get_model("aggregates", "UtilisationSample")
    return sorted(
        Sample.objects.values_list(
            "cloud__slug", "level", "name", "resolution", "ts", "samples", *AMOUNTS
        )
    )


@pytest.mark.django_db(transaction=True)
def test_packing_moves_every_sample_over_and_back():
    apps = _migrate(BEFORE_PACKING)
    try:
        Cloud = apps.get_model("aggregates", "Cloud")
        Sample = apps.get_model("aggregates", "UtilisationSample")
        cloud = Cloud.objects.create(slug="old", name="Old")
        amounts = dict.fromkeys(AMOUNTS, 5)
        rows = [  # 300 hosts: two blocks of series; one host missing at the second time
            Sample(
                cloud=cloud,
                level=Level.HOST,
                name=f"h{i:03d}",
                resolution=Resolution.RAW,
                ts=TS + timedelta(minutes=15 * t),
                samples=1,
                **amounts | {"vcpus_used": i},
            )
            for i in range(300)
            for t in range(2)
            if (i, t) != (7, 1)
        ]
        rows.append(
            Sample(
                cloud=cloud,
                level=Level.CLOUD,
                name="Old",
                resolution=Resolution.DAILY,
                ts=TS - timedelta(days=40),
                samples=96,
                **amounts | {"memory_mb_used": 2**40},
            )
        )
        Sample.objects.bulk_create(rows)
        before = _legacy_rows(apps)

        _migrate(None)

        cloud = models.Cloud.objects.get(slug="old")
        readings = stored_readings()
        assert len(readings) == len(before) == 600
        h7 = utilisation.history_rows(cloud, Level.HOST, "h007")
        assert [(p["ts"], p["vcpus_used"]) for p in h7] == [(TS, 7)]
        h299 = utilisation.history_rows(cloud, Level.HOST, "h299")
        assert [p["vcpus_used"] for p in h299] == [299, 299]
        (daily,) = utilisation.history_rows(cloud, Level.CLOUD, "Old")
        assert (daily["samples"], daily["memory_mb_used"]) == (96, 2**40)

        assert _legacy_rows(_migrate(BEFORE_PACKING)) == before
    finally:
        _migrate(None)
