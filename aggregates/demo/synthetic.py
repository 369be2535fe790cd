"""A synthetic cloud of any size and plausible utilisation history, bulk-inserted for tests,
benchmarks and the demo."""

import math
import random
import uuid
from datetime import UTC, datetime, timedelta

from aggregates import utilisation
from aggregates.choices import Level, Resolution
from aggregates.models import Aggregate, Cloud, Flavor, Host, Server, UtilisationSample
from aggregates.models.aggregates import AZ_KEY
from aggregates.models.utilisation import AMOUNTS, FIELDS, SERIES_PER_ROW, Readings
from aggregates.utilisation import DAILY_KEPT, HOURLY_KEPT, RAW_KEPT


def build_cloud(
    slug: str, hosts: int, *, zones: int = 3, aggregates: int = 6, flavors: int = 3
) -> Cloud:
    """`hosts` hosts in `zones` AZ aggregates plus `aggregates` plain ones (deterministic)."""
    cloud = Cloud.objects.create(slug=slug, name=slug.title())
    rows = Host.objects.bulk_create(
        [
            Host(
                cloud=cloud,
                name=f"{slug}-{i:05d}",
                hypervisor_hostname=f"{slug}-{i:05d}",
                vcpus=32 + 16 * (i % 3),
                memory_mb=131072,
                local_gb=1000,
                vcpus_used=(i * 7) % 100,
                memory_mb_used=(i * 4099) % 120000,
                local_gb_used=(i * 37) % 900,
                running_vms=i % 20,
                cpu_allocation_ratio=(4.0, 2.0, 1.5)[i % 3],
                reserved_host_cpus=i % 2,
                reserved_host_disk_mb=(0, 1536)[i % 2],
            )
            for i in range(hosts)
        ],
        batch_size=5000,
    )
    zoned = Aggregate.objects.bulk_create(
        [
            Aggregate(cloud=cloud, name=f"{slug}-az{z}", metadata={"availability_zone": f"az{z}"})
            for z in range(zones)
        ]
        + [
            Aggregate(cloud=cloud, name=f"{slug}-agg{a:03d}", metadata={"ssd": "true"})
            for a in range(aggregates)
        ]
    )
    through = Aggregate.hosts.through
    links = []
    for i, host in enumerate(rows):
        if i % (zones + 1):  # every (zones+1)-th host stays in the default zone
            links.append(through(aggregate_id=zoned[i % zones].pk, host_id=host.pk))
        if aggregates:
            links.append(through(aggregate_id=zoned[zones + i % aggregates].pk, host_id=host.pk))
    through.objects.bulk_create(links, batch_size=10000)
    Flavor.objects.bulk_create(
        [
            # Sizes double up to 32 vCPU / 64 GiB, then repeat with more disk.
            Flavor(
                cloud=cloud,
                flavor_id=str(f + 1),
                name=f"m1.f{f}",
                vcpus=2 ** (f % 6),
                ram=2048 * 2 ** (f % 6),
                disk=20 * (f // 6),
            )
            for f in range(flavors)
        ]
    )
    return cloud


def add_servers(cloud: Cloud, per_host: int, *, stranded_every: int = 0) -> int:
    """`per_host` servers on every host, the cloud's flavors in turn (deterministic, in bulk);
    with `stranded_every`, every such host also runs one server whose disk no host has (a drain
    of it strands that server), so N+1 answers differ from host to host."""
    flavors = list(Flavor.objects.filter(cloud=cloud).order_by("flavor_id"))
    hosts = list(Host.objects.filter(cloud=cloud).order_by("name").values_list("pk", "name"))
    huge = None
    if stranded_every:
        largest = max(Host.objects.filter(cloud=cloud).values_list("local_gb", flat=True))
        huge, _ = Flavor.objects.get_or_create(
            cloud=cloud,
            flavor_id="huge-disk",
            defaults={"name": "huge.disk", "vcpus": 1, "ram": 512, "disk": 2 * largest + 1},
        )
    servers = []
    for position, (host_id, name) in enumerate(hosts):
        chosen = [flavors[(position + n) % len(flavors)] for n in range(per_host)]
        if huge is not None and position % stranded_every == 0:
            chosen.append(huge)
        servers += [
            Server(
                cloud=cloud,
                uuid=uuid.UUID(int=(cloud.pk << 64) | (position << 8) | n),
                name=f"{name}-vm{n}",
                host_id=host_id,
                flavor=flavor,
                project_id=f"project-{position % 7}",
            )
            for n, flavor in enumerate(chosen)
        ]
    Server.objects.bulk_create(servers, batch_size=5000)
    return len(servers)


RAW_EVERY = timedelta(minutes=15)  # how often local clouds are sampled (CELERY_BEAT_SCHEDULE)


def retained_times(now: datetime, days: float) -> list[tuple[Resolution, int, datetime]]:
    """(resolution, readings per row, ts) of the rows that `days` of samples every RAW_EVERY
    leave at `now` once downsampling has run: raw since the whole hour 2 days ago, hourly
    buckets back to the day 30 days ago, daily buckets before that, a year at most."""
    now = now.astimezone(UTC)
    first = now - timedelta(days=days)
    hour_cut = (now - RAW_KEPT).replace(minute=0, second=0, microsecond=0)
    day_cut = (now - HOURLY_KEPT).replace(hour=0, minute=0, second=0, microsecond=0)
    per_hour = timedelta(hours=1) // RAW_EVERY
    spans = [
        (Resolution.DAILY, 24 * per_hour, max(first, now - DAILY_KEPT), day_cut, DAY),
        (Resolution.HOURLY, per_hour, max(first, day_cut), hour_cut, HOUR),
        (Resolution.RAW, 1, max(first, hour_cut), now + timedelta.resolution, RAW_EVERY),
    ]
    times = []
    for resolution, samples, start, stop, step in spans:
        ts = _ceil(start, step)
        while ts < stop:
            times.append((resolution, samples, ts))
            ts += step
    return times


DAY, HOUR = timedelta(days=1), timedelta(hours=1)


def _ceil(ts: datetime, step: timedelta) -> datetime:
    seconds = step.total_seconds()
    return datetime.fromtimestamp(math.ceil(ts.timestamp() / seconds) * seconds, UTC)


def synthetic_history(cloud: Cloud, *, now: datetime, days: float, seed: int = 0) -> int:
    """Write `days` of plausible history of `cloud` up to `now`, at the resolutions retention
    leaves (`retained_times`), and return the readings written. Deterministic for a seed.

    Each host's use follows its current use: rising from 60 % of it over the period, a daily
    wave of ±10 % and ±10 % noise per reading; capacity stays as it is. Aggregates, zones and
    the cloud are the sums of their hosts, as recording them would give.
    """
    hosts = list(utilisation.rollup_rows(cloud, Level.HOST))
    current = {name: [host[name] for host in hosts] for name in AMOUNTS}
    members = _members(cloud, [host["name"] for host in hosts])
    positions = utilisation.series_positions(
        cloud, {level: list(groups) for level, groups in members.items()}
    )
    slots = {
        level: _slots([positions[level][name] for name in groups])
        for level, groups in members.items()
    }
    rng = random.Random(seed)
    period = max(days * 86400, 1)
    written = 0
    rows: list[UtilisationSample] = []
    for resolution, samples, ts in retained_times(now, days):
        rise = 0.6 + 0.4 * (1 - (now - ts).total_seconds() / period)
        wave = 1.0 if resolution == Resolution.DAILY else 1 + 0.1 * math.sin(ts.hour * math.pi / 12)
        low, step = 0.9 * rise * wave * samples, 0.2 / 255 * rise * wave * samples
        noise = rng.randbytes(len(hosts))
        columns = {}
        for name, values in current.items():
            if name.endswith("_capacity"):
                columns[name] = [value * samples for value in values]
            else:
                columns[name] = [
                    round(v * (low + n * step)) for v, n in zip(values, noise, strict=True)
                ]
        for level, groups in members.items():
            sums = columns
            if level != Level.HOST:
                sums = {
                    name: [sum(map(column.__getitem__, indexes)) for indexes in groups.values()]
                    for name, column in columns.items()
                }
            # A 0 after each column: the offsets of the absent series (-1) read it.
            padded = {"samples": [samples] * len(groups) + [0]}
            padded |= {name: column + [0] for name, column in sums.items()}
            for block, offsets in slots[level].items():
                packed = Readings([list(map(padded[name].__getitem__, offsets)) for name in FIELDS])
                fields = packed.row_fields(block)
                rows.append(
                    UtilisationSample(
                        cloud=cloud, level=level, resolution=resolution, ts=ts, **fields
                    )
                )
                written += fields["series_count"]
        if len(rows) >= 1000:
            UtilisationSample.objects.bulk_create(rows, batch_size=500)
            rows = []
    UtilisationSample.objects.bulk_create(rows, batch_size=500)
    return written


def _members(cloud: Cloud, hosts: list[str]) -> dict[Level, dict[str, list[int]]]:
    """Per level, each series' name → the indexes in `hosts` it sums (zones as
    `utilisation.zone_rollup_rows` assigns hosts to them)."""
    index = {name: i for i, name in enumerate(hosts)}
    aggregates: dict[str, list[int]] = {
        name: [] for name in Aggregate.objects.filter(cloud=cloud).values_list("name", flat=True)
    }
    zone_of: dict[int, str] = {}
    links = Aggregate.hosts.through.objects.filter(aggregate__cloud=cloud).values_list(
        "host__name", "aggregate__name", "aggregate__metadata"
    )
    for host, aggregate, metadata in links:
        aggregates[aggregate].append(index[host])
        zone = (metadata or {}).get(AZ_KEY)
        if zone is not None:
            zone_of[index[host]] = min(zone_of.get(index[host], zone), zone)
    zones: dict[str, list[int]] = {}
    for i in range(len(hosts)):
        zones.setdefault(zone_of.get(i, cloud.default_availability_zone), []).append(i)
    return {
        Level.HOST: {name: [i] for name, i in index.items()},
        Level.AGGREGATE: aggregates,
        Level.AVAILABILITY_ZONE: dict(sorted(zones.items())),
        Level.CLOUD: {cloud.name: list(range(len(hosts)))},
    }


def _slots(positions: list[int]) -> dict[int, list[int]]:
    """Per block of packed rows, for each offset the index of the series there (-1: none,
    which reads the 0 appended to each column)."""
    blocks: dict[int, list[int]] = {}
    for index, position in enumerate(positions):
        block, offset = divmod(position, SERIES_PER_ROW)
        offsets = blocks.setdefault(block, [])
        offsets.extend([-1] * (offset + 1 - len(offsets)))
        offsets[offset] = index
    return blocks
