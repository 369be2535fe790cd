"""Rollups (hand-computed, with ratios and reserved), agreement with the engine's slots,
samples, downsampling (totals kept, idempotent) and the run-out trend."""

from datetime import UTC, datetime, timedelta

import pytest

from aggregates import utilisation
from aggregates.choices import Level, Resolution
from aggregates.demo.synthetic import build_cloud
from aggregates.models import UtilisationSample
from aggregates.models.utilisation import AMOUNTS, Readings
from aggregates.preview import capacity
from aggregates.preview.loader import load_cloud
from aggregates.scheduling import RequestSpec, preview
from aggregates.tests.factories import AggregateFactory, CloudFactory, FlavorFactory, HostFactory
from aggregates.tests.utilisation_samples import store_reading, stored_readings

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


@pytest.fixture
def small():
    """Two hosts whose capacity needs every part of the formula (hand-computed below)."""
    cloud = CloudFactory(slug="small", name="Small")
    # vCPU (8 − 1) × 1.5 = 10.5 → 10; RAM (4096 − 512) × 1.5 = 5376;
    # disk (200 − ceil(1500 / 1024)) × 1 = 198
    a = HostFactory(
        cloud=cloud,
        name="a",
        vcpus=8,
        reserved_host_cpus=1,
        cpu_allocation_ratio=1.5,
        vcpus_used=4,
        memory_mb=4096,
        ram_allocation_ratio=1.5,
        memory_mb_used=2048,
        local_gb=200,
        reserved_host_disk_mb=1500,
        local_gb_used=40,
        running_vms=2,
    )
    # vCPU 16 × 4 = 64; RAM (16384 − 512) × 1 = 15872; disk 100 × 2 = 200
    b = HostFactory(
        cloud=cloud,
        name="b",
        vcpus=16,
        vcpus_used=10,
        memory_mb=16384,
        memory_mb_used=8192,
        local_gb=100,
        disk_allocation_ratio=2.0,
        local_gb_used=20,
        running_vms=5,
    )
    HostFactory(cloud=cloud, name="c", vcpus=4, memory_mb=4096, local_gb=50)  # default zone
    AggregateFactory(cloud=cloud, name="zone-one", availability_zone="one", hosts=[a, b])
    AggregateFactory(cloud=cloud, name="fast", metadata={"ssd": "true"}, hosts=[b])
    return cloud


def as_tuple(row):
    return (
        row.name,
        row.vcpus_used,
        row.vcpus_capacity,
        row.memory_mb_used,
        row.memory_mb_capacity,
        row.local_gb_used,
        row.local_gb_capacity,
        row.running_vms,
    )


def test_host_rollups_apply_ratios_and_reserved(small):
    rows = [as_tuple(r) for r in utilisation.rollups(small, Level.HOST)]
    assert rows == [
        ("a", 4, 10, 2048, 5376, 40, 198, 2),
        ("b", 10, 64, 8192, 15872, 20, 200, 5),
        ("c", 0, 16, 0, 3584, 0, 50, 0),
    ]


def test_aggregate_zone_and_cloud_rollups_sum_their_hosts(small):
    assert [as_tuple(r) for r in utilisation.rollups(small, Level.AGGREGATE)] == [
        ("fast", 10, 64, 8192, 15872, 20, 200, 5),
        ("zone-one", 14, 74, 10240, 21248, 60, 398, 7),
    ]
    assert [as_tuple(r) for r in utilisation.rollups(small, Level.AVAILABILITY_ZONE)] == [
        ("nova", 0, 16, 0, 3584, 0, 50, 0),
        ("one", 14, 74, 10240, 21248, 60, 398, 7),
    ]
    assert as_tuple(utilisation.cloud_rollup(small)) == ("Small", 14, 90, 10240, 24832, 60, 448, 7)


def test_sql_capacity_equals_the_host_model_arithmetic(small):
    from aggregates.models import Host

    by_name = {r.name: r for r in utilisation.rollups(small, Level.HOST)}
    for host in Host.objects.filter(cloud=small):
        row = by_name[host.name]
        assert (row.vcpus_capacity, row.memory_mb_capacity, row.local_gb_capacity) == (
            host.vcpus_capacity,
            host.memory_mb_capacity,
            host.local_gb_capacity,
        )


def test_rollup_percentages(small):
    zone = next(r for r in utilisation.rollups(small, Level.AVAILABILITY_ZONE) if r.name == "one")
    assert (zone.vcpus_percent, zone.memory_mb_percent, zone.local_gb_percent) == (19, 48, 15)


def test_flavor_slots_equal_the_engine_preview_and_hand_count(small):
    flavor = FlavorFactory(cloud=small, flavor_id="7", vcpus=2, ram=1024, disk=10)
    slots = capacity.flavor_slots(small, flavor)
    # a: vCPU (10.5 − 4) // 2 = 3, RAM (5376 − 2048) // 1024 = 3, disk (198 − 40) // 10 = 15 → 3
    # b: vCPU (64 − 10) // 2 = 27, RAM (15872 − 8192) // 1024 = 7, disk (200 − 20) // 10 = 18 → 7
    # c: vCPU 16 // 2 = 8, RAM 3584 // 1024 = 3, disk 50 // 10 = 5 → 3
    assert slots.by_host == {"a": 3, "b": 7, "c": 3}
    assert slots.by_availability_zone == {"nova": 3, "one": 10}
    assert slots.by_aggregate == {"fast": 7, "zone-one": 10}
    assert slots.total == 13
    inputs = load_cloud(small)
    hosts, aggregates, config = inputs.hosts, inputs.aggregates, inputs.config
    result = preview(
        hosts, aggregates, RequestSpec(flavor=inputs.flavors[flavor.flavor_id]), config
    )
    assert result.summary.total_slots == slots.total
    assert {h.host: h.slots for h in result.hosts} == slots.by_host


def test_flavor_slots_are_zero_where_a_filter_rejects_the_host(small):
    from aggregates.models import Host

    Host.objects.filter(cloud=small, name="b").update(status="disabled")
    flavor = FlavorFactory(cloud=small, flavor_id="8", vcpus=1, ram=512, disk=1)
    slots = capacity.flavor_slots(small, flavor)
    assert slots.by_host["b"] == 0
    assert slots.total == slots.by_host["a"] + slots.by_host["c"]


def test_zone_and_aggregate_slots_match_the_engine_on_a_larger_cloud():
    cloud = build_cloud("mid", 120)
    flavor = cloud.flavors.get(flavor_id="2")
    slots = capacity.flavor_slots(cloud, flavor)
    inputs = load_cloud(cloud)
    hosts, aggregates, config = inputs.hosts, inputs.aggregates, inputs.config
    for zone, count in slots.by_availability_zone.items():
        request = RequestSpec(flavor=inputs.flavors[flavor.flavor_id], availability_zone=zone)
        if zone == "nova":  # asking for the default zone restricts nothing (§5.3.2)
            continue
        assert preview(hosts, aggregates, request, config).summary.total_slots == count


def test_recording_samples_writes_every_level_once_per_minute(small):
    written = utilisation.record_utilisation_samples(small, at=NOW)
    # 3 hosts, 2 aggregates, 2 zones, 1 cloud
    assert written == 8
    assert utilisation.record_utilisation_samples(small, at=NOW + timedelta(seconds=20)) == 0
    (cloud_row,) = stored_readings(small, level=Level.CLOUD)
    assert (cloud_row["vcpus_used"], cloud_row["vcpus_capacity"], cloud_row["samples"]) == (
        14,
        90,
        1,
    )
    assert len(stored_readings(small)) == 8


def _sample_series(cloud, start, count, step, *, bump=lambda i: i):
    from aggregates.models import Host

    for i in range(count):
        Host.objects.filter(cloud=cloud, name="a").update(vcpus_used=bump(i) % 10)
        utilisation.record_utilisation_samples(cloud, at=start + i * step)


def _totals(cloud, **filters):
    rows = stored_readings(cloud, **filters)
    return {
        "s": sum(r["samples"] for r in rows),
        "v": sum(r["vcpus_used"] for r in rows),
        "m": sum(r["memory_mb_capacity"] for r in rows),
    }


def test_downsampling_keeps_totals_and_levels_consistent(small):
    start = NOW.replace(hour=0) - timedelta(days=40)
    _sample_series(small, start, 24 * 3, timedelta(hours=1))  # 3 days, hourly
    before = {level: _totals(small, level=level) for level in Level}

    result = utilisation.downsample_utilisation(now=NOW)

    assert result["raw_merged"] == 8 * 24 * 3
    assert not UtilisationSample.objects.filter(resolution=Resolution.RAW).exists()
    assert not UtilisationSample.objects.filter(resolution=Resolution.HOURLY).exists()
    daily = UtilisationSample.objects.filter(cloud=small, resolution=Resolution.DAILY)
    assert daily.filter(level=Level.CLOUD).count() == 3
    for level in Level:
        assert _totals(small, level=level) == before[level]
    # Each daily cloud row still equals the sum of its hosts' rows.
    for row in stored_readings(small, level=Level.CLOUD, resolution=Resolution.DAILY):
        hosts = _totals(small, level=Level.HOST, ts=row["ts"], resolution=Resolution.DAILY)
        assert hosts["v"] == row["vcpus_used"]
        assert row["samples"] == 24


def test_downsampling_is_idempotent(small):
    start = NOW - timedelta(days=3)
    _sample_series(small, start, 12, timedelta(minutes=30))
    first = utilisation.downsample_utilisation(now=NOW)
    state = stored_readings()
    second = utilisation.downsample_utilisation(now=NOW)
    assert first["raw_merged"] == 8 * 12
    assert second == {"raw_merged": 0, "hourly_merged": 0, "daily_expired": 0}
    assert stored_readings() == state
    hourly = stored_readings(level=Level.CLOUD, resolution=Resolution.HOURLY)
    assert len(hourly) == 6 and all(row["samples"] == 2 for row in hourly)


def test_downsampling_keeps_recent_raw_samples_and_expires_after_a_year(small):
    utilisation.record_utilisation_samples(small, at=NOW - timedelta(hours=3))
    store_reading(
        small,
        Level.CLOUD,
        "Small",
        resolution=Resolution.DAILY,
        ts=NOW - timedelta(days=400),
        **{k: 1 for k in AMOUNTS},
    )
    result = utilisation.downsample_utilisation(now=NOW)
    assert result == {"raw_merged": 0, "hourly_merged": 0, "daily_expired": 1}
    assert not UtilisationSample.objects.filter(resolution=Resolution.DAILY).exists()
    assert len(stored_readings(resolution=Resolution.RAW)) == 8


def test_a_late_raw_sample_is_added_to_its_existing_hourly_bucket(small):
    at = NOW - timedelta(days=5)
    utilisation.record_utilisation_samples(small, at=at)
    utilisation.downsample_utilisation(now=NOW)
    utilisation.record_utilisation_samples(small, at=at + timedelta(minutes=10))
    utilisation.downsample_utilisation(now=NOW)
    (row,) = stored_readings(level=Level.CLOUD, resolution=Resolution.HOURLY)
    assert (row["samples"], row["vcpus_used"]) == (2, 28)


def test_history_returns_means_oldest_first(small):
    _sample_series(small, NOW - timedelta(days=3), 4, timedelta(minutes=15))
    utilisation.downsample_utilisation(now=NOW)
    utilisation.record_utilisation_samples(small, at=NOW - timedelta(hours=1))
    points = list(utilisation.history(utilisation.history_rows(small, Level.HOST, "a")))
    assert [p.resolution for p in points] == ["hourly", "raw"]
    assert points[0].values["vcpus_used"] == (0 + 1 + 2 + 3) / 4
    assert points[1].values["vcpus_used"] == 3  # the last value set


def test_run_out_estimate_follows_a_linear_trend(small):
    from aggregates.models import Host

    # Zone "one" (capacity 74 vCPU) gains 1 vCPU a day for 20 days, from 14 used.
    for day in range(20):
        Host.objects.filter(cloud=small, name="b").update(vcpus_used=10 + day)
        utilisation.record_utilisation_samples(small, at=NOW - timedelta(days=19 - day))
    estimates = {e.zone: e for e in utilisation.run_out_estimates(small, now=NOW)}
    one = estimates["one"]
    assert one.resource == "vcpus"
    assert one.percent_per_day == pytest.approx(100 / 74)
    # 33 used now: (74 − 33) more days.
    assert one.full_on.date() == (NOW + timedelta(days=41)).date()
    assert estimates["nova"].full_on is None


def test_readings_survive_packing_and_one_can_be_read_alone():
    readings = Readings.empty(3)
    readings.set(0, 1, dict.fromkeys(AMOUNTS, 7))
    readings.set(2, 96, {k: 2**40 + i for i, k in enumerate(AMOUNTS)})

    packed = readings.pack()

    assert Readings.unpack(packed) == readings
    assert Readings.unpack_one(packed, 2) == readings.reading(2)
    assert readings.reading(2) == {"samples": 96} | {k: 2**40 + i for i, k in enumerate(AMOUNTS)}
    assert Readings.unpack_one(packed, 1) is None  # no reading of that series
    assert Readings.unpack_one(packed, 9) is None
    assert readings.series_count == 2


def test_adding_readings_sums_series_by_series():
    short, long = Readings.empty(1), Readings.empty(2)
    short.set(0, 1, dict.fromkeys(AMOUNTS, 3))
    long.set(0, 2, dict.fromkeys(AMOUNTS, 4))
    long.set(1, 1, dict.fromkeys(AMOUNTS, 5))

    total = short.add(long)

    assert total.reading(0) == {"samples": 3} | dict.fromkeys(AMOUNTS, 7)
    assert total.reading(1) == {"samples": 1} | dict.fromkeys(AMOUNTS, 5)


def test_history_of_a_host_in_a_later_block_of_series():
    cloud = build_cloud("wide", 300, aggregates=0)
    utilisation.record_utilisation_samples(cloud, at=NOW - timedelta(hours=2))
    utilisation.record_utilisation_samples(cloud, at=NOW - timedelta(hours=1))
    host = next(r for r in utilisation.rollups(cloud, Level.HOST) if r.name == "wide-00299")

    points = utilisation.history_rows(cloud, Level.HOST, "wide-00299")

    assert UtilisationSample.objects.filter(level=Level.HOST).count() == 2 * 2  # 2 blocks
    assert [p["ts"] for p in points] == [NOW - timedelta(hours=2), NOW - timedelta(hours=1)]
    assert points[0] == {"ts": points[0]["ts"], "resolution": Resolution.RAW, "samples": 1} | {
        k: getattr(host, k) for k in AMOUNTS
    }


def test_a_new_host_gets_the_next_position_and_old_history_keeps_its_own(small):
    utilisation.record_utilisation_samples(small, at=NOW - timedelta(hours=1))
    HostFactory(cloud=small, name="0-first-by-name")
    utilisation.record_utilisation_samples(small, at=NOW)

    assert len(utilisation.history_rows(small, Level.HOST, "a")) == 2
    assert [p["ts"] for p in utilisation.history_rows(small, Level.HOST, "0-first-by-name")] == [
        NOW
    ]
