"""Benchmark of the placement engine on synthetic clouds (python -m aggregates.scheduling.bench)."""

from __future__ import annotations

import gc
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass

from .config import DEFAULT_CONFIG, SchedulerConfig
from .engine import preview
from .state import AggregateState, FlavorSpec, HostState, RequestSpec

ZONES = ("az-1", "az-2", "az-3", "az-4")
TENANT_POOL_PROJECT = "6f1c0d1ed5a74e2a9d3c1c46c0b0e3aa"


@dataclass(slots=True, frozen=True)
class SyntheticCloud:
    hosts: list[HostState]
    aggregates: list[AggregateState]
    request: RequestSpec
    config: SchedulerConfig


def synthetic_cloud(n_hosts: int, seed: int = 0) -> SyntheticCloud:
    """A deterministic cloud: 4 zones, ~n/20 aggregates (racks, SSD/GPU pools, one pool isolated
    for a tenant), varied sizes and usage, a few disabled or down hosts; a default-config request.
    """
    rng = random.Random(seed)
    names = [f"compute-{index:05d}" for index in range(n_hosts)]
    n_aggregates = max(len(ZONES) + 2, n_hosts // 20)
    aggregates: list[AggregateState] = []
    zone_hosts: dict[str, list[str]] = {zone: [] for zone in ZONES}
    for index, name in enumerate(names):
        zone_hosts[ZONES[index * len(ZONES) // max(n_hosts, 1)]].append(name)
    for index, zone in enumerate(ZONES):
        aggregates.append(
            AggregateState(
                id=index + 1,
                name=f"zone-{zone}",
                hosts=tuple(zone_hosts[zone]),
                metadata={"availability_zone": zone},
            )
        )
    racks = n_aggregates - len(ZONES)
    rack_size = max(1, n_hosts // max(racks, 1))
    for rack in range(racks):
        members = tuple(names[rack * rack_size : (rack + 1) * rack_size])
        kind = rack % 10
        metadata = {"rack": f"r{rack}"}
        if kind < 4:
            metadata["ssd"] = "true"
        elif kind == 4:
            metadata["gpu"] = "true"
            metadata["cpu_weight_multiplier"] = "0.5"
        elif kind == 5 and rack % 50 == 5:
            metadata["filter_tenant_id"] = TENANT_POOL_PROJECT
        elif kind == 6 and rack % 100 == 6:
            metadata["cpu_allocation_ratio"] = "8.0"  # no effect since Nova 22: warned about
        aggregates.append(
            AggregateState(
                id=len(aggregates) + 1, name=f"rack-{rack:04d}", hosts=members, metadata=metadata
            )
        )
    hosts = [_host(rng, name) for name in names]
    flavor = FlavorSpec(id="3", name="m1.large", vcpus=4, ram=8192, disk=80)
    request = RequestSpec(flavor=flavor, project_id="demo", availability_zone="az-2")
    return SyntheticCloud(hosts, aggregates, request, DEFAULT_CONFIG)


def _host(rng: random.Random, name: str) -> HostState:
    vcpus = rng.choice((32, 48, 64, 96))
    memory_mb = rng.choice((131072, 262144, 393216, 524288))
    local_gb = rng.choice((480, 960, 1920))
    load = rng.random() ** 0.7  # most hosts busy, some nearly empty, some full
    roll = rng.random()
    return HostState(
        name=name,
        hypervisor_hostname=f"{name}.cloud.example",
        vcpus=vcpus,
        memory_mb=memory_mb,
        local_gb=local_gb,
        vcpus_used=int(vcpus * 4 * load * rng.uniform(0.8, 1.0)),
        memory_mb_used=int((memory_mb - 512) * load) // 1024 * 1024,
        local_gb_used=int(local_gb * load * rng.uniform(0.5, 1.0)),
        cpu_allocation_ratio=rng.choice((4.0, 4.0, 4.0, 2.0, 16.0)),
        status="disabled" if roll < 0.01 else "enabled",
        disabled_reason="maintenance" if roll < 0.01 else None,
        state="down" if 0.01 <= roll < 0.015 else "up",
        num_instances=int(load * 40),
        num_io_ops=rng.choice((0, 0, 0, 1, 2, 3)),
        failed_builds=1 if rng.random() < 0.005 else 0,
        hypervisor_type="QEMU",
        hypervisor_version=rng.choice((8002000, 9000000, 9001000)),
    )


def time_preview(cloud: SyntheticCloud, runs: int) -> list[float]:
    """Wall times of `preview` on `cloud`, in milliseconds."""
    timings = []
    for _ in range(runs):
        gc.collect()
        started = time.perf_counter()
        preview(cloud.hosts, cloud.aggregates, cloud.request, cloud.config)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def main(argv: list[str] | None = None) -> None:
    """Print the median engine time for 1,000 / 10,000 / 50,000 hosts (targets 10/50/250 ms)."""
    sizes = [int(arg) for arg in (argv if argv is not None else sys.argv[1:])] or [
        1000,
        10000,
        50000,
    ]
    targets = {1000: 10, 10000: 50, 50000: 250}
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {load}")
    for size in sizes:
        cloud = synthetic_cloud(size, seed=42)
        preview(cloud.hosts, cloud.aggregates, cloud.request, cloud.config)  # warm-up
        runs = 21 if size <= 1000 else 11 if size <= 10000 else 7
        timings = time_preview(cloud, runs)
        median = statistics.median(timings)
        result = preview(cloud.hosts, cloud.aggregates, cloud.request, cloud.config)
        target = targets.get(size)
        goal = f" (target {target} ms)" if target else ""
        print(
            f"{size:>6} hosts, {len(cloud.aggregates):>5} aggregates: "
            f"median {median:7.1f} ms (min {min(timings):.1f}){goal}; "
            f"{result.summary.candidates} candidates, {result.summary.total_slots} slots"
        )


if __name__ == "__main__":
    main()
