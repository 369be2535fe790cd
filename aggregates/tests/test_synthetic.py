"""Synthetic history: what retention leaves, levels that add up, the same for the same seed."""

from collections import defaultdict
from datetime import UTC, datetime

import pytest

from aggregates import utilisation
from aggregates.choices import Level, Resolution
from aggregates.demo.synthetic import build_cloud, retained_times, synthetic_history
from aggregates.tests.utilisation_samples import stored_readings

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 6, 15, 12, 7, tzinfo=UTC)


def test_retained_times_follow_the_retention_policy():
    times = retained_times(NOW, 40)
    by_resolution = defaultdict(list)
    for resolution, samples, ts in times:
        by_resolution[resolution].append((samples, ts))
    raw, hourly, daily = (by_resolution[r] for r in Resolution)
    assert raw[0] == (1, datetime(2026, 6, 13, 12, 0, tzinfo=UTC))
    assert raw[-1] == (1, datetime(2026, 6, 15, 12, 0, tzinfo=UTC))
    assert hourly[0] == (4, datetime(2026, 5, 16, 0, 0, tzinfo=UTC))
    assert hourly[-1] == (4, datetime(2026, 6, 13, 11, 0, tzinfo=UTC))
    assert daily[0] == (96, datetime(2026, 5, 7, tzinfo=UTC))
    assert daily[-1] == (96, datetime(2026, 5, 15, tzinfo=UTC))
    assert len(raw) == 2 * 96 + 1


def test_synthetic_history_is_what_downsampling_leaves_and_its_levels_add_up():
    cloud = build_cloud("hist", 30)

    written = synthetic_history(cloud, now=NOW, days=40)  # 30 hosts, 9 aggregates, 4 zones

    assert utilisation.downsample_utilisation(now=NOW) == dict.fromkeys(
        ("raw_merged", "hourly_merged", "daily_expired"), 0
    )
    readings = stored_readings(cloud)
    assert written == len(readings) == len(retained_times(NOW, 40)) * (30 + 9 + 4 + 1)
    sums = defaultdict(lambda: defaultdict(int))
    for reading in readings:
        for amount in ("vcpus_used", "memory_mb_capacity", "samples"):
            sums[(reading["level"], reading["ts"])][amount] += reading[amount]
    for (level, ts), level_sums in sums.items():
        if level != Level.AGGREGATE:  # a host can be in several aggregates, or none
            assert level_sums == sums[(Level.HOST, ts)] | {"samples": level_sums["samples"]}
    last = utilisation.history_rows(cloud, Level.CLOUD, cloud.name)[-1]
    current = utilisation.cloud_rollup(cloud)
    assert last["memory_mb_capacity"] == current.memory_mb_capacity
    assert 0.8 * current.vcpus_used <= last["vcpus_used"] <= 1.2 * current.vcpus_used


def test_synthetic_history_is_the_same_for_the_same_seed():
    first, second = build_cloud("one", 12), build_cloud("two", 12)

    synthetic_history(first, now=NOW, days=3, seed=7)
    synthetic_history(second, now=NOW, days=3, seed=7)

    def values(cloud):
        return [
            (r["level"], r["ts"], r["vcpus_used"], r["memory_mb_used"])
            for r in stored_readings(cloud)
            if r["level"] != Level.CLOUD
        ]

    assert values(first) == values(second) != []
