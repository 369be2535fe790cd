"""Differential stage: real Nova 34 (the harness) is the judge of the placement engine.

Seeded random scenarios (zones, tenant isolation, operator language, scoped keys, capacity at the
edge, disabled hosts, per-host allocation ratios in Placement, same_host/different_host hints) are
built in Nova over HTTP and in the engine; a server is booted. Worlds come in host sets of 2 to 12
hosts of mixed sizes, each with its own scheduler options (weigher multipliers, negative ones that
stack included; reserved memory; a max_placement_results that bites), one harness per set. Nova runs
with DEBUG logging, so its scheduler's "Weighed [...]" line tells every host that passed and its
weight: that set must equal the engine's passing set, the weights must order the hosts as the
engine's ranking does (ties allowed), Nova's host must be among the engine's best, and "No valid
host" must happen exactly when the engine has no candidate.

Run alone: `pytest -m differential -n 2 --dist loadgroup`; the scenarios are split into shards, each
with a harness of its own, so both cores work. Replay one scenario:
DIFFERENTIAL_SEED=<seed> DIFFERENTIAL_ONLY=<index> pytest -m differential.
"""

from __future__ import annotations

import json
import os
import random
import time

import pytest

from aggregates.scheduling import (
    AggregateState,
    FlavorSpec,
    HostState,
    RequestSpec,
    availability_zones,
    preview,
    scheduler_config_from_options,
)
from tests.differential.harness import IMAGE_ID
from tests.differential.worlds import (
    EXTRA_SPECS,
    FILTERS,
    HOST_SETS,
    PROJECTS,
    WorldBuilder,
    generate_world,
    host_set_of,
    shard_params,
    start_harness,
)

pytestmark = pytest.mark.differential

SEED = int(os.environ.get("DIFFERENTIAL_SEED", "20261125"))
SCENARIOS = int(os.environ.get("DIFFERENTIAL_SCENARIOS", "300"))
ONLY = os.environ.get("DIFFERENTIAL_ONLY")
# Building a world (aggregates, metadata, disabled services) costs most of the HTTP calls, so a
# few requests share each world; every server is deleted before the next request.
REQUESTS_PER_WORLD = 5
# Real Nova answers in 0.1–0.5 s per call, so a scenario takes seconds: shards run side by side.
SHARDS = int(os.environ.get("DIFFERENTIAL_SHARDS", "2"))
# DIFFERENTIAL_HARNESS_PORT: so two runs on one machine do not collide (shard n: port + 10 n;
# placement: port + 4).
PORT = int(os.environ.get("DIFFERENTIAL_HARNESS_PORT", "18974"))


def generate_request(rng: random.Random, world: dict, index: int) -> dict:
    """One server create in a world: flavor (often at a host's capacity edge), zone, project,
    and where servers stay, sometimes a same_host/different_host hint naming an earlier one."""
    host = rng.choice(host_set_of(world).hosts)
    edge = rng.random() < 0.25
    ram = (
        host["memory_mb"] - 512 + rng.choice([0, 1])
        if edge
        else rng.choice([512, 2048, 4096, 8192, 16384])
    )
    vcpus = host["vcpus"] * 4 + rng.choice([0, 1]) if edge and rng.random() < 0.5 else None
    disk = host["local_gb"] + rng.choice([0, 1]) if edge and rng.random() < 0.5 else None
    return {
        "index": index,
        "flavor": {
            "vcpus": vcpus or rng.choice([1, 2, 4, 8]),
            "ram": ram,
            "disk": disk if disk is not None else rng.choice([0, 10, 40]),
            "extra_specs": dict(rng.sample(EXTRA_SPECS, rng.choice([0, 0, 0, 1, 2]))),
        },
        # The default zone and an unknown one too: Nova's API check, then the pre-filter.
        "availability_zone": rng.choice([None, None, "nova", "az-unknown", *world["zones"]]),
        "project_id": rng.choice(PROJECTS),
        # Resolved when booting: the hint names the n-th server still standing in the world.
        "hint": rng.choice([None, None, None, "same_host", "different_host"])
        if world["keep_servers"]
        else None,
        "hint_of": rng.randrange(4),
    }


def generate(seed: int, count: int) -> list[tuple[dict, list[dict]]]:
    """`count` requests in worlds of REQUESTS_PER_WORLD, all from one seed."""
    rng = random.Random(seed)
    worlds = []
    index = 0
    while index < count:
        world = generate_world(rng, len(worlds))
        requests = []
        for _ in range(min(REQUESTS_PER_WORLD, count - index)):
            requests.append(generate_request(rng, world, index))
            index += 1
        worlds.append((world, requests))
    return worlds


def engine_verdict(
    world: dict,
    scenario: dict,
    inventories: dict[str, dict],
    usage: dict[str, dict],
    node_ratios: dict[str, dict],
    only: set[str] | None = None,
) -> dict:
    """The engine's answer: candidates, best hosts (ties), request errors; `usage` is what
    the servers Nova placed earlier in the world hold, per host. With `only`, the engine sees
    just those hosts, uncapped: what Nova weighed after Placement's cap chose them."""
    host_set = host_set_of(world)
    options = {
        "enabled_filters": FILTERS,
        "limit_tenants_to_placement_aggregate": True,
        **{k: v for k, v in host_set.options.items() if k != "reserved_host_memory_mb"},
    }
    if only is not None:
        options.pop("max_placement_results", None)
    config = scheduler_config_from_options(options)
    hosts = []
    for host in host_set.hosts:
        if only is not None and host["name"] not in only:
            continue
        inventory = inventories[host["name"]]
        disabled = host["name"] in world["disabled"]
        hosts.append(
            HostState(
                name=host["name"],
                vcpus=inventory["VCPU"]["total"],
                memory_mb=inventory["MEMORY_MB"]["total"],
                local_gb=inventory["DISK_GB"]["total"],
                reserved_host_cpus=inventory["VCPU"]["reserved"],
                reserved_host_memory_mb=inventory["MEMORY_MB"]["reserved"],
                reserved_host_disk_mb=inventory["DISK_GB"]["reserved"] * 1024,
                cpu_allocation_ratio=inventory["VCPU"]["allocation_ratio"],
                ram_allocation_ratio=inventory["MEMORY_MB"]["allocation_ratio"],
                disk_allocation_ratio=inventory["DISK_GB"]["allocation_ratio"],
                # The compute node records keep the ratios they started with (Nova's initial
                # ones): a ratio set in Placement does not reach them.
                node_cpu_allocation_ratio=node_ratios[host["name"]]["VCPU"]["allocation_ratio"],
                node_ram_allocation_ratio=node_ratios[host["name"]]["MEMORY_MB"][
                    "allocation_ratio"
                ],
                node_disk_allocation_ratio=node_ratios[host["name"]]["DISK_GB"]["allocation_ratio"],
                # nova.virt.fake reports disk_available_least 0, so Nova weighs free disk 0.
                disk_available_least=0,
                **usage.get(host["name"], {}),
                status="disabled" if disabled else "enabled",
                hypervisor_type="fake",
            )
        )
    aggregates = [
        AggregateState(
            id=number + 1, name=a["name"], hosts=tuple(a["hosts"]), metadata=a["metadata"]
        )
        for number, a in enumerate(world["aggregates"])
    ]
    flavor = scenario["flavor"]
    request = RequestSpec(
        flavor=FlavorSpec(
            id="x",
            name="x",
            vcpus=flavor["vcpus"],
            ram=flavor["ram"],
            disk=flavor["disk"],
            extra_specs=flavor["extra_specs"],
        ),
        project_id=scenario["project_id"],
        availability_zone=scenario["availability_zone"],
        same_host=tuple(scenario.get("same_host", ())),
        different_host=tuple(scenario.get("different_host", ())),
    )
    result = preview(hosts, aggregates, request, config)
    ranking = result.ranking
    best = []
    if ranking:
        top = ranking[0].weight
        best = [row.host for row in ranking if abs((row.weight or 0) - (top or 0)) < 1e-9]
    return {
        "candidates": [row.host for row in ranking],
        "weights": {row.host: row.weight for row in ranking},
        "best": best,
        "errors": list(result.errors),
        "capped": result.summary.cap_applied,
        "cap": config.max_placement_results,
        "zones": [zone.name for zone in availability_zones(hosts, aggregates, config)],
    }


class Scenarios(WorldBuilder):
    """Builds scenarios in one harness process and cleans up after each one."""

    def boot(self, scenario: dict, *, keep: bool = False) -> dict:
        """Boot the scenario's server; with `keep` it stays (delete_kept removes it later)."""
        nova = self.nova
        flavor_id = f"diff-{scenario['index']}"
        server_id = None
        flavor = scenario["flavor"]
        try:
            nova.ok(
                "POST",
                "/flavors",
                {
                    "flavor": {
                        "id": flavor_id,
                        "name": flavor_id,
                        "vcpus": flavor["vcpus"],
                        "ram": flavor["ram"],
                        "disk": flavor["disk"],
                    }
                },
            )
            if flavor["extra_specs"]:
                nova.ok(
                    "POST",
                    f"/flavors/{flavor_id}/os-extra_specs",
                    {"extra_specs": flavor["extra_specs"]},
                )
            server = {
                "name": flavor_id,
                "imageRef": IMAGE_ID,
                "flavorRef": flavor_id,
                "networks": "none",
            }
            if scenario["availability_zone"]:
                server["availability_zone"] = scenario["availability_zone"]
            body = {"server": server}
            hints = {k: scenario[k] for k in ("same_host", "different_host") if scenario.get(k)}
            if hints:
                body["os:scheduler_hints"] = hints
            since = nova.log_size()
            reply = nova.call("POST", "/servers", body, token=f"admin:{scenario['project_id']}")
            if reply.status >= 400:
                return {"status": reply.status, "error": reply.body, "weighed": None}
            server_id = reply.body["server"]["id"]
            shown = nova.ok("GET", f"/servers/{server_id}")["server"]
            for _ in range(50):
                if shown["status"] in ("ACTIVE", "ERROR"):
                    break
                time.sleep(0.1)
                shown = nova.ok("GET", f"/servers/{server_id}")["server"]
            return {
                "id": server_id,
                "status": shown["status"],
                "host": shown.get("OS-EXT-SRV-ATTR:host"),
                "fault": (shown.get("fault") or {}).get("message"),
                "weighed": nova.read_weighed(since),
                "started": nova.read_started(since),
            }
        finally:
            if server_id and keep:
                self.kept.append(server_id)
            elif server_id:
                nova.call("DELETE", f"/servers/{server_id}")
            nova.call("DELETE", f"/flavors/{flavor_id}")

    def delete_kept(self) -> None:
        for server_id in self.kept:
            self.nova.call("DELETE", f"/servers/{server_id}")
        self.kept = []


def add_usage(usage: dict[str, dict], host: str, flavor: dict, server_id: str) -> None:
    """A server of `flavor` now on `host`, as Placement and the host's instance count hold it."""
    held = usage.setdefault(
        host,
        {
            "vcpus_used": 0,
            "memory_mb_used": 0,
            "local_gb_used": 0,
            "num_instances": 0,
            "num_io_ops": 0,
            "instance_uuids": frozenset(),
        },
    )
    held["instance_uuids"] |= {server_id}
    held["vcpus_used"] += flavor["vcpus"]
    held["memory_mb_used"] += flavor["ram"]
    held["local_gb_used"] += flavor["disk"]
    held["num_instances"] += 1
    # The compute node's io_workload stat counts the build and, with the harness's periodic
    # tasks off, keeps counting it: the IoOpsWeigher sees one per server.
    held["num_io_ops"] += 1


def category(expected: dict) -> str:
    """What the engine expects: Nova refuses or errors, no valid host, or a placement."""
    if expected["errors"]:
        return "refused"
    return "placed" if expected["candidates"] else "no valid host"


def judge(expected: dict, nova: dict, capped: dict | None = None) -> list[str]:
    """Where Nova's decision differs from the engine's (empty: they agree on every host).
    `capped`: the engine's answer over just the hosts Nova weighed, when Placement's cap chose
    which hosts the filters saw (the engine cannot know which; it knows how many)."""
    kind = category(expected)
    if expected["capped"] and kind == "placed":
        return judge_capped(expected, nova, capped)
    if kind == "refused":
        # The engine says Nova's API or a filter would fail the request itself.
        if nova.get("status") in (400, "ERROR") and "No valid host" not in str(nova.get("fault")):
            return []
        return ["outcome"]
    weighed = nova.get("weighed")
    problems = []
    if weighed is not None:
        if set(weighed) != set(expected["candidates"]):
            problems.append("passing set")
        elif not same_order(weighed, expected["weights"]):
            problems.append("ranking")
    if kind == "no valid host":
        if not (nova.get("status") == "ERROR" and "No valid host" in str(nova.get("fault"))):
            problems.append("outcome")
        return problems
    if nova.get("status") != "ACTIVE":
        problems.append("outcome")
    elif nova.get("host") not in expected["best"]:
        problems.append("pick")
    if weighed is None:
        problems.append("no Weighed line")  # a placed boot is always weighed
    return problems


def judge_capped(expected: dict, nova: dict, capped: dict | None) -> list[str]:
    """With the cap biting: Nova started with exactly `max_placement_results` hosts, every host
    it weighed is one the engine passes, and over those hosts the engine ranks and picks as Nova."""
    weighed = nova.get("weighed") or {}
    problems = []
    if nova.get("started") != expected["cap"]:
        problems.append("hosts after the cap")
    if not set(weighed) <= set(expected["candidates"]):
        problems.append("passing set")
    if nova.get("status") != "ACTIVE":
        # Every host Placement returned may fail a filter; then Nova finds no valid host.
        if weighed or "No valid host" not in str(nova.get("fault")):
            problems.append("outcome")
        return problems
    if capped is None or set(capped["candidates"]) != set(weighed):
        problems.append("passing set")
    elif not same_order(weighed, capped["weights"]):
        problems.append("ranking")
    elif nova.get("host") not in capped["best"]:
        problems.append("pick")
    return problems


def same_order(nova: dict[str, float], engine: dict[str, float], tolerance: float = 1e-6) -> bool:
    """Nova's weights order the hosts as the engine's do (ties either way allowed)."""
    hosts = sorted(nova)
    return all(
        not (nova[a] > nova[b] + tolerance and engine[a] < engine[b] - tolerance)
        for a in hosts
        for b in hosts
    )


def shard_worlds(shard: int) -> list[tuple[dict, list[dict]]]:
    """This shard's worlds (those of every SHARDS-th host set), or only the world of the
    replayed scenario."""
    worlds = generate(SEED, SCENARIOS)
    if ONLY is None:
        return [world for world in worlds if world[0]["world"] % len(HOST_SETS) % SHARDS == shard]
    if shard:
        pytest.skip("replaying one scenario: shard 0 runs it")
    # The world's earlier requests too: where servers stay, they shape the replayed one.
    return [
        (world, [request for request in requests if request["index"] <= int(ONLY)])
        for world, requests in worlds
        if any(request["index"] == int(ONLY) for request in requests)
    ]


def test_the_stage_covers_at_least_300_scenarios_on_every_host_set():
    worlds = generate(SEED, SCENARIOS)
    assert sum(len(requests) for _, requests in worlds) >= 300
    shards = [
        [w for w in worlds if w[0]["world"] % len(HOST_SETS) % SHARDS == shard]
        for shard in range(SHARDS)
    ]
    assert sum(map(len, shards)) == len(worlds)  # every world in exactly one shard
    assert {world["host_set"] for world, _ in worlds} == {h.name for h in HOST_SETS}
    sizes = {len(h.hosts) for h in HOST_SETS}
    assert min(sizes) == 2 and max(sizes) == 12


def resolve_hint(request: dict, standing: list[str]) -> None:
    """The hint names a server still standing in the world (none standing: no hint)."""
    if request["hint"] and standing:
        request[request["hint"]] = [standing[request["hint_of"] % len(standing)]]


@pytest.mark.parametrize("shard", shard_params(SHARDS))
def test_engine_agrees_with_nova_on_generated_scenarios(shard, tmp_path_factory):
    worlds = shard_worlds(shard)
    total, agreed, disagreements = 0, 0, []
    counts: dict[str, list[int]] = {}  # host set and category -> [agreed, total]
    started = time.monotonic()
    for host_set in HOST_SETS:
        ours = [(w, r) for w, r in worlds if w["host_set"] == host_set.name]
        if not ours:
            continue
        state = tmp_path_factory.mktemp(f"nova-harness-{shard}-{host_set.name}")
        nova = start_harness(PORT + 10 * shard, host_set, state)
        try:
            runner = Scenarios(nova)
            for world, requests in ours:
                created = runner.build(world)
                usage: dict[str, dict] = {}
                try:
                    for request in requests:
                        resolve_hint(request, runner.kept)
                        expected = engine_verdict(
                            world, request, runner.inventories, usage, runner.original
                        )
                        outcome = runner.boot(request, keep=world["keep_servers"])
                        capped = None
                        if expected["capped"] and outcome.get("weighed"):
                            capped = engine_verdict(
                                world,
                                request,
                                runner.inventories,
                                usage,
                                runner.original,
                                set(outcome["weighed"]),
                            )
                        if world["keep_servers"] and outcome.get("status") == "ACTIVE":
                            add_usage(usage, outcome["host"], request["flavor"], outcome["id"])
                        total += 1
                        problems = judge(expected, outcome, capped)
                        name = f"{host_set.name} {category(expected)}"
                        if expected["capped"]:
                            name += " (capped)"
                        if request.get("same_host") or request.get("different_host"):
                            name += " (hint)"
                        tally = counts.setdefault(name, [0, 0])
                        tally[1] += 1
                        if not problems:
                            agreed += 1
                            tally[0] += 1
                        else:
                            disagreements.append((world, request, expected, outcome, problems))
                finally:
                    runner.delete_kept()
                    runner.tear_down(world, created)
        finally:
            nova.stop()
    took = time.monotonic() - started
    print(
        f"\ndifferential shard {shard}/{SHARDS}: {agreed}/{total} scenarios agree with Nova "
        f"({took:.0f} s, seed {SEED}); "
        + ", ".join(f"{name} {done}/{of}" for name, (done, of) in sorted(counts.items()))
    )
    for world, request, expected, outcome, problems in disagreements[:5]:
        print(
            f"DISAGREEMENT on {', '.join(problems)} (replay: DIFFERENTIAL_SEED={SEED} "
            f"DIFFERENTIAL_ONLY={request['index']})\n  world {json.dumps(world)}\n"
            f"  request {json.dumps(request)}\n"
            f"  engine {json.dumps(expected)}\n  nova {json.dumps(outcome)}"
        )
    assert not disagreements, f"{len(disagreements)} scenario(s) disagree with Nova"
    assert total == sum(len(requests) for _, requests in worlds) and total > 0
