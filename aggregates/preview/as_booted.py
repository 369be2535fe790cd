"""The hosts as they stood at a past time, from the utilisation history: a failed boot replayed.

The history keeps, per host, Placement's usage (VCPU, MEMORY_MB, DISK_GB and the instances)
summed over the readings a row merges. A replay takes each host's mean in the newest row at or
before the time; what the history does not keep (aggregates, flavors, service states, which
servers ran where) is taken as it is now, and the replay says so.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max

from aggregates.choices import Level, Resolution
from aggregates.models import Cloud, UtilisationSample, UtilisationSeries
from aggregates.models.utilisation import SERIES_PER_ROW, Readings
from aggregates.scheduling import HostState


@dataclass(slots=True, frozen=True)
class Usage:
    vcpus_used: int
    memory_mb_used: int
    local_gb_used: int
    running_vms: int


@dataclass(slots=True, frozen=True)
class UsageAt:
    """Each host's usage in the newest history row at or before `asked` (`ts`, the oldest of
    the rows read, and the coarsest resolution among them)."""

    asked: datetime
    ts: datetime
    resolution: str
    hosts: dict[str, Usage]


def usage_at(cloud: Cloud, when: datetime) -> UsageAt | None:
    """The hosts' usage as the history has it at `when`; None if it has none then. Three
    queries whatever the number of hosts: the newest time per row block, those rows, the names.
    """
    rows = UtilisationSample.objects.filter(cloud=cloud, level=Level.HOST, ts__lte=when)
    newest = dict(
        rows.order_by().values("block").annotate(newest=Max("ts")).values_list("block", "newest")
    )
    if not newest:
        return None
    # Several resolutions may share a time (a raw reading at a bucket's start): the finest wins.
    picked: dict[int, tuple[int, bytes]] = {}
    candidates = rows.filter(block__in=newest, ts__in=set(newest.values()))
    for block, ts, resolution, data in candidates.values_list("block", "ts", "resolution", "data"):
        if ts == newest[block] and (block not in picked or resolution < picked[block][0]):
            picked[block] = (resolution, bytes(data))
    names = dict(
        UtilisationSeries.objects.filter(cloud=cloud, level=Level.HOST).values_list(
            "position", "name"
        )
    )
    hosts: dict[str, Usage] = {}
    for block, (_, data) in picked.items():
        readings = Readings.unpack(data)
        for offset in range(readings.size):
            reading = readings.reading(offset)
            name = names.get(block * SERIES_PER_ROW + offset)
            if reading is None or name is None:
                continue
            samples = reading["samples"]
            hosts[name] = Usage(
                *(
                    round(reading[key] / samples)
                    for key in ("vcpus_used", "memory_mb_used", "local_gb_used", "running_vms")
                )
            )
    return UsageAt(
        asked=when,
        ts=min(newest[block] for block in picked),
        resolution=Resolution(max(resolution for resolution, _ in picked.values())).label,
        hosts=hosts,
    )


def hosts_as_at(hosts: Sequence[HostState], usage: UsageAt) -> tuple[list[HostState], list[str]]:
    """`hosts` with their usage from the history, and what the replay should tell the reader.

    Hosts without a reading then are left out: the history does not show them in the cloud.
    """
    past = []
    for host in hosts:
        used = usage.hosts.get(host.name)
        if used is None:
            continue
        past.append(
            dataclasses.replace(
                host,
                vcpus_used=used.vcpus_used,
                memory_mb_used=used.memory_mb_used,
                local_gb_used=used.local_gb_used,
                num_instances=used.running_vms,
                # The hypervisor's own free figures then are not kept: Placement's stand in.
                free_ram_mb=None,
                free_disk_gb=None,
            )
        )
    notes = [
        f"Replayed as the cloud stood at {usage.asked:%Y-%m-%d %H:%M} UTC: each host's usage "
        f"from its {usage.resolution} utilisation history at {usage.ts:%Y-%m-%d %H:%M} UTC; "
        "aggregates, flavors, service states and which servers ran where are as they are now"
    ]
    if missing := len(hosts) - len(past):
        notes.append(
            f"{missing} of {len(hosts)} hosts have no history then and are left out of the replay"
        )
    return past, notes
