"""What the differential stages share: host sets, the world generator (zones, aggregates with
metadata, disabled hosts, Placement allocation ratios), building a world in the harness, and
starting a harness for a host set."""

from __future__ import annotations

import json
import random
from typing import NamedTuple

import pytest

from conftest import IN_CI
from tests.differential.harness import HARNESS_DIR, HarnessError, NovaHarness

HOSTS = [
    {"name": "h1", "vcpus": 4, "memory_mb": 8192, "local_gb": 100},
    {"name": "h2", "vcpus": 8, "memory_mb": 16384, "local_gb": 200},
    {"name": "h3", "vcpus": 16, "memory_mb": 32768, "local_gb": 400},
    {"name": "h4", "vcpus": 2, "memory_mb": 4096, "local_gb": 40},
    {"name": "h5", "vcpus": 8, "memory_mb": 8192, "local_gb": 80},
    {"name": "h6", "vcpus": 4, "memory_mb": 16384, "local_gb": 100},
]


class HostSet(NamedTuple):
    """A harness's hosts and the scheduler options both sides run with (Nova's names)."""

    name: str
    hosts: list[dict]
    options: dict[str, object]  # [filter_scheduler] / [scheduler] / [DEFAULT] option -> value

    def flags(self) -> list[str]:
        # serve.py's --flag takes "group.name=JSON", or "name=JSON" for [DEFAULT].
        groups = {"max_placement_results": "scheduler.", "reserved_host_memory_mb": ""}
        return [
            f"{groups.get(key, 'filter_scheduler.')}{key}={json.dumps(value)}"
            for key, value in self.options.items()
        ]


def mixed_hosts(prefix: str, count: int) -> list[dict]:
    """`count` hosts of mixed sizes, the same every run."""
    sizes = [(2, 4096, 40), (4, 8192, 100), (8, 16384, 200), (16, 32768, 400), (8, 8192, 80)]
    return [
        {"name": f"{prefix}{n}", "vcpus": v, "memory_mb": m, "local_gb": d}
        for n, (v, m, d) in enumerate((sizes * 3)[:count], start=1)
    ]


HOST_SETS = [
    HostSet("six", HOSTS, {}),
    # Stacking: negative multipliers fill the fullest host first.
    HostSet(
        "two-stacking",
        mixed_hosts("s", 2),
        {
            "ram_weight_multiplier": -1.0,
            "cpu_weight_multiplier": -2.0,
            "disk_weight_multiplier": 0.5,
        },
    ),
    HostSet(
        "nine-weighted",
        mixed_hosts("n", 9),
        {
            "cpu_weight_multiplier": 3.0,
            "io_ops_weight_multiplier": -4.0,
            "num_instances_weight_multiplier": -1.5,
            "reserved_host_memory_mb": 1024,
        },
    ),
    # Placement hands the filters at most 3 of 12 hosts: the cap bites in most requests.
    HostSet("twelve-capped", mixed_hosts("t", 12), {"max_placement_results": 3}),
]
# Per-host allocation ratios set in Placement (the compute keeps them: no *_allocation_ratio set).
RATIOS = {"VCPU": [1.0, 4.0, 16.0], "MEMORY_MB": [0.9, 1.0, 1.5], "DISK_GB": [1.0, 2.0]}
FILTERS = [
    "ComputeFilter",
    "ComputeCapabilitiesFilter",
    "ImagePropertiesFilter",
    "ServerGroupAntiAffinityFilter",
    "ServerGroupAffinityFilter",
    "AggregateInstanceExtraSpecsFilter",
    "AggregateMultiTenancyIsolation",
    "AggregateNumInstancesFilter",
    "SameHostFilter",
    "DifferentHostFilter",
]
FLAGS = [
    "scheduler.limit_tenants_to_placement_aggregate=true",
    "quota.instances=-1",
    "quota.cores=-1",
    "quota.ram=-1",
]
PROJECTS = ["proj-a", "proj-b", "proj-c"]
ZONES = ["az-a", "az-b"]
METADATA = {
    "ssd": ["true", "false", "yes", "True"],
    "gpus": ["1", "2", "4", "8", "2,8"],
    "model": ["A100", "V100", "A100,V100", "H100 A100", "A100, V100", "aes,mmx,aux"],
    "filter_tenant_id": ["proj-a", "proj-b", "proj-a,proj-b"],
    "filter_tenant_id2": ["proj-c"],
    "max_instances_per_host": ["0", "1", "5"],
    "ram_weight_multiplier": ["-1.0", "2.5"],  # per-aggregate weigher multipliers
}
EXTRA_SPECS = [
    ("ssd", "true"),
    ("ssd", "True"),
    ("aggregate_instance_extra_specs:ssd", "<or> true <or> yes"),
    ("aggregate_instance_extra_specs:ssd", "<or> yes false true"),
    ("aggregate_instance_extra_specs:ssd", "s!= false"),
    ("aggregate_instance_extra_specs:ssd", "s>= t"),
    ("aggregate_instance_extra_specs:gpus", ">= 2"),
    ("aggregate_instance_extra_specs:gpus", "= 4"),
    ("aggregate_instance_extra_specs:gpus", "== 8"),
    ("aggregate_instance_extra_specs:gpus", "!= 1"),
    ("aggregate_instance_extra_specs:gpus", "<= 2"),
    ("gpus", "s== 2"),
    ("aggregate_instance_extra_specs:model", "<in> A100"),
    ("aggregate_instance_extra_specs:model", "<all-in> H100 A100"),
    ("aggregate_instance_extra_specs:model", "s== V100"),
    ("model", "<in> 100"),
    ("vendor:thing", "anything"),
    ("capabilities:hypervisor_type", "s== fake"),
    ("capabilities:vcpus_total", ">= 8"),
    ("capabilities:free_ram_mb", "<= 8000"),
    ("aggregate_instance_extra_specs:model", "<all-in> aes mmx"),  # substrings of the value
    ("aggregate_instance_extra_specs:model", "<in> V100"),
    ("aggregate_instance_extra_specs:ssd", "<or> true <or>"),  # malformed chains
    ("aggregate_instance_extra_specs:ssd", "<or> yes true false"),
]


def generate_world(
    rng: random.Random,
    world: int,
    host_set: HostSet | None = None,
    metadata: dict[str, list[str]] = METADATA,
) -> dict:
    """Aggregates (zones, `metadata`, tenants), disabled hosts and Placement allocation ratios on
    one host set (by default the world's turn in HOST_SETS), shared by a few requests."""
    host_set = host_set or HOST_SETS[world % len(HOST_SETS)]
    names = [host["name"] for host in host_set.hosts]
    zone_of = {name: rng.choice([None, None, *ZONES]) for name in names}
    aggregates: list[dict] = []
    for zone in ZONES:
        members = [name for name in names if zone_of[name] == zone]
        if members:
            aggregates.append(
                {
                    "name": f"w{world}-{zone}",
                    "hosts": members,
                    "metadata": {"availability_zone": zone},
                }
            )
    for number in range(rng.randint(0, 3)):
        members = rng.sample(names, rng.randint(0, len(names)))
        aggregates.append({"name": f"w{world}-pool{number}", "hosts": members, "metadata": {}})
    for aggregate in aggregates:
        for key in rng.sample(sorted(metadata), rng.randint(0, 2)):
            aggregate["metadata"][key] = rng.choice(metadata[key])
    disabled = rng.sample(names, min(len(names) - 1, rng.choice([0, 0, 0, 1, 2])))
    ratios = {
        name: {rc: rng.choice(choices) for rc, choices in RATIOS.items()}
        for name in names
        if rng.random() < 0.3
    }
    zones = sorted({zone_of[name] or "nova" for name in names if name not in disabled})
    # In some worlds the servers stay until the world ends: usage and instance counts accumulate.
    keep = rng.random() < 0.5
    return {
        "world": world,
        "host_set": host_set.name,
        "aggregates": aggregates,
        "ratios": ratios,
        "disabled": disabled,
        "zones": zones,
        "keep_servers": keep,
    }


def host_set_of(world: dict) -> HostSet:
    return next(host_set for host_set in HOST_SETS if host_set.name == world["host_set"])


class WorldBuilder:
    """Builds worlds (aggregates, disabled services, Placement ratios) in one harness process
    and takes each down again."""

    def __init__(self, nova: NovaHarness) -> None:
        self.nova = nova
        services = nova.ok("GET", "/os-services?binary=nova-compute", microversion="2.53")
        self.service_ids = {s["host"]: s["id"] for s in services["services"]}
        providers = nova.ok("GET", "/resource_providers", placement=True, microversion="1.14")
        self.providers = {p["name"]: p["uuid"] for p in providers["resource_providers"]}
        self.inventories = {name: self._inventory(name)[1] for name in self.providers}
        self.original = {name: dict(inventory) for name, inventory in self.inventories.items()}
        self.kept: list[str] = []

    def _inventory(self, host: str) -> tuple[int, dict]:
        found = self.nova.ok(
            "GET",
            f"/resource_providers/{self.providers[host]}/inventories",
            placement=True,
            microversion="1.14",
        )
        return found["resource_provider_generation"], found["inventories"]

    def set_ratios(self, host: str, ratios: dict[str, float]) -> None:
        """Allocation ratios on the host's Placement inventory, as an operator sets them."""
        for _ in range(5):  # the compute may bump the generation in between: read again
            generation, inventories = self._inventory(host)
            for rc, ratio in ratios.items():
                inventories[rc] = {**inventories[rc], "allocation_ratio": ratio}
            reply = self.nova.call(
                "PUT",
                f"/resource_providers/{self.providers[host]}/inventories",
                {"resource_provider_generation": generation, "inventories": inventories},
                placement=True,
                microversion="1.14",
            )
            if reply.status == 200:
                self.inventories[host] = reply.body["inventories"]
                return
        raise AssertionError(f"Placement refused the inventory of {host}: {reply.body}")

    def build(self, world: dict) -> list[tuple[int, list[str]]]:
        nova = self.nova
        created: list[tuple[int, list[str]]] = []
        for aggregate in world["aggregates"]:
            body = {"name": aggregate["name"]}
            zone = aggregate["metadata"].get("availability_zone")
            if zone:
                body["availability_zone"] = zone
            made = nova.ok("POST", "/os-aggregates", {"aggregate": body})["aggregate"]
            created.append((made["id"], []))
            for host in aggregate["hosts"]:
                nova.ok("POST", f"/os-aggregates/{made['id']}/action", {"add_host": {"host": host}})
                created[-1][1].append(host)
            metadata = {k: v for k, v in aggregate["metadata"].items() if k != "availability_zone"}
            if metadata:
                nova.ok(
                    "POST",
                    f"/os-aggregates/{made['id']}/action",
                    {"set_metadata": {"metadata": metadata}},
                )
        for host in world["disabled"]:
            nova.ok(
                "PUT",
                f"/os-services/{self.service_ids[host]}",
                {"status": "disabled", "disabled_reason": "differential"},
                microversion="2.53",
            )
        for host, ratios in world["ratios"].items():
            self.set_ratios(host, ratios)
        return created

    def tear_down(self, world: dict, created: list[tuple[int, list[str]]]) -> None:
        nova = self.nova
        for host in world["ratios"]:
            original = self.original[host]
            self.set_ratios(host, {rc: original[rc]["allocation_ratio"] for rc in RATIOS})
        for host in world["disabled"]:
            nova.call(
                "PUT",
                f"/os-services/{self.service_ids[host]}",
                {"status": "enabled"},
                microversion="2.53",
            )
        for aggregate_id, hosts in created:
            for host in hosts:
                nova.call(
                    "POST", f"/os-aggregates/{aggregate_id}/action", {"remove_host": {"host": host}}
                )
            nova.call("DELETE", f"/os-aggregates/{aggregate_id}")


def start_harness(port: int, host_set: HostSet, state_dir) -> NovaHarness:
    """A harness on `port` (placement: port + 4) for the host set, with DEBUG logging."""
    if not (HARNESS_DIR / "serve.py").exists():
        message = f"the Nova harness is not at {HARNESS_DIR} (set NOVA_HARNESS_DIR)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    harness = NovaHarness(
        hosts=host_set.hosts,
        enabled_filters=FILTERS,
        flags=FLAGS + host_set.flags(),
        port=port,
        placement_port=port + 4,
        state_dir=state_dir,
        debug=True,
        # Nova's eventlet mode (the same scheduler code): with native threads every cold
        # migration leaves idle worker threads behind, and the process's idle CPU grows with them
        # (half a core after a dozen migrations), starving the shard beside it.
        threading="eventlet",
    )
    try:
        harness.start()
    except HarnessError as error:
        harness.stop()
        pytest.fail(f"the Nova harness did not start: {error}")
    return harness


def shard_params(shards: int) -> list:
    """The shards of a stage, shard n of every stage in one xdist group (`--dist loadgroup`):
    each worker then carries one agreement and one drain shard, not two of the long ones."""
    group = pytest.mark.xdist_group
    return [pytest.param(n, marks=group(f"nova-shard-{n}")) for n in range(shards)]
