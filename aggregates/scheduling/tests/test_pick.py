"""Placer.pick, which re-reads only the hosts changed since a request was last asked, picks
what a fresh full preview of the same hosts picks, with the same weight, placement after
placement: zones, tenant isolation, extra specs, per-aggregate multipliers and limits, server
groups of every policy, hints, disabled hosts and full hosts."""

import dataclasses
import random
from collections import Counter

import pytest

from aggregates.scheduling import preview
from aggregates.scheduling.config import SchedulerConfig
from aggregates.scheduling.incremental import Placer, consume
from aggregates.scheduling.planning import PlannedServer, Risk, plan_drain, resilience, worst_first
from aggregates.scheduling.state import ServerGroup

from .factories import aggregate, flavor, host, request

FILTERS = (
    "ComputeFilter",
    "ComputeCapabilitiesFilter",
    "ImagePropertiesFilter",
    "ServerGroupAntiAffinityFilter",
    "ServerGroupAffinityFilter",
    "AggregateInstanceExtraSpecsFilter",
    "AggregateMultiTenancyIsolation",
    "AggregateNumInstancesFilter",
    "NumInstancesFilter",
    "SameHostFilter",
    "DifferentHostFilter",
)
POLICIES = ("affinity", "anti-affinity", "soft-affinity", "soft-anti-affinity")
PROJECTS = ("p1", "p2", "p3")


def world(rng: random.Random):
    hosts = [
        host(
            f"h{index:02d}",
            vcpus=rng.choice([4, 8, 16]),
            memory_mb=rng.choice([8192, 16384, 32768]),
            local_gb=rng.choice([40, 100, 400]),
            vcpus_used=rng.randrange(3),
            memory_mb_used=rng.choice([0, 512, 4096]),
            num_io_ops=rng.randrange(4),
            failed_builds=rng.choice([0, 0, 0, 1]),
            status="disabled" if rng.random() < 0.1 else "enabled",
        )
        for index in range(rng.randint(6, 24))
    ]
    names = [item.name for item in hosts]
    metadata_choices = [
        {"availability_zone": "az-1"},
        {"availability_zone": "az-2"},
        {"ssd": "true"},
        {"filter_tenant_id": "p1"},
        {"cpu_weight_multiplier": "2.5"},
        {"ram_weight_multiplier": "-1.0"},
        {"max_instances_per_host": "3"},
        {"io_ops_weight_multiplier": "-2"},
    ]
    aggregates = [
        aggregate(
            number + 1,
            f"agg{number}",
            rng.sample(names, rng.randint(1, len(names) // 2)),
            **rng.choice(metadata_choices),
        )
        for number in range(rng.randint(1, 6))
    ]
    config = SchedulerConfig(
        enabled_filters=FILTERS,
        max_instances_per_host=rng.choice([50, 6]),
        soft_affinity_weight_multiplier=rng.choice([1.0, 3.0]),
        io_ops_weight_multiplier=rng.choice([-1.0, 0.0]),
        num_instances_weight_multiplier=rng.choice([0.0, 1.5]),
    )
    return hosts, aggregates, config


def requests(rng: random.Random):
    flavors = [
        flavor("small", id="1", vcpus=1, ram=512, disk=1),
        flavor("medium", id="2", vcpus=2, ram=4096, disk=20),
        flavor("large", id="3", vcpus=8, ram=16384, disk=80),
        flavor("ssd", id="4", vcpus=2, ram=2048, disk=10, extra_specs={"ssd": "true"}),
    ]
    # As a drain plans them: a group's members are known from the start, placed one by one.
    groups = [None, None] + [
        ServerGroup(
            policy,
            members=frozenset(f"{policy}-{number}" for number in range(8)),
            uuid=f"g-{policy}",
            max_server_per_host=rng.choice([None, 2]),
        )
        for policy in POLICIES
    ]
    return [
        request(
            flavor=rng.choice(flavors),
            project_id=rng.choice(PROJECTS),
            availability_zone=rng.choice([None, None, "az-1", "az-2"]),
            group=group,
            is_admin=True,
            move=True,
        )
        for group in groups
        for _ in range(2)
    ]


@pytest.mark.parametrize("seed", range(40))
def test_pick_is_the_full_previews_best_placement_after_placement(seed):
    rng = random.Random(seed)
    hosts, aggregates, config = world(rng)
    asked = requests(rng)
    placer = Placer(hosts, aggregates, config)
    state = list(hosts)
    unplaced = {spec.group.uuid: sorted(spec.group.members) for spec in asked if spec.group}
    compared = 0
    for step in range(60):
        spec = rng.choice(asked)
        group = spec.group
        uuid = f"s{step}"
        if group is not None and unplaced[group.uuid]:
            uuid = unplaced[group.uuid].pop()
        if rng.random() < 0.15:
            spec = dataclasses.replace(spec, different_host=(f"s{rng.randrange(step + 1)}",))
        picked = placer.pick(spec)
        fresh = preview([dataclasses.replace(item) for item in state], aggregates, spec, config)
        best = fresh.best()
        if best is None or fresh.summary.request_error:
            assert picked is None
            continue
        if picked is not None:
            assert (picked.host, picked.weight) == (best.host, best.weight), step
            compared += 1
        # Mostly the pick; sometimes another host, as a drain's replanned step may consume.
        target = best.host if rng.random() < 0.8 else rng.choice(state).name
        index = next(i for i, item in enumerate(state) if item.name == target)
        state[index] = consume(state[index], spec.flavor, spec.project_id, uuid)
        placer.consume(target, spec.flavor, spec.project_id, uuid)
    assert compared >= 10


def test_pick_reads_again_only_the_hosts_placements_changed():
    # A 400-host cloud: the first pick reads every host, each next one the host just consumed.
    hosts = [host(f"h{index:03d}", vcpus=64, memory_mb=262144) for index in range(400)]
    placer = Placer(hosts, [])
    spec = request(flavor=flavor(vcpus=1, ram=1024, disk=1), is_admin=True, move=True)
    seen = []
    for number in range(5):
        picked = placer.pick(spec)
        assert picked is not None
        seen.append(picked.host)
        placer.consume(picked.host, spec.flavor, spec.project_id, f"s{number}")
    assert placer.hosts_read == 400 + 4
    assert len(set(seen)) == 5  # free RAM spreads them: each placement moved the top host


def test_a_forced_host_or_a_refused_zone_goes_to_the_full_preview():
    placer = Placer([host("a"), host("b")], [aggregate(1, "z", ["a"], availability_zone="az")])
    assert placer.pick(request(availability_zone="az:a", is_admin=True)) is None
    assert placer.pick(request(availability_zone="nowhere")) is None
    assert placer.preview(request(availability_zone="nowhere")).summary.best_hosts == ()
    picked = placer.pick(request(availability_zone="az"))
    assert picked is not None and picked.host == "a"


@pytest.mark.parametrize("seed", range(12))
def test_forks_pick_as_placers_of_their_own_do(seed):
    # N+1 drains every host from one starting cloud: each fork, with its own disabled host and
    # placements, must pick as a Placer built for that drain alone.
    rng = random.Random(seed)
    hosts, aggregates, config = world(rng)
    asked = requests(rng)
    cloud = Placer(hosts, aggregates, config)
    compared = 0
    for drained in rng.sample(hosts, 4):
        fork, alone = cloud.fork(), Placer(hosts, aggregates, config)
        for placer in (fork, alone):
            placer.disable([drained.name], "drain")
        for step in range(8):
            spec = rng.choice(asked)
            picked, expected = fork.pick(spec), alone.pick(spec)
            assert picked == expected, (drained.name, step)
            if expected is None:
                continue
            compared += 1
            uuid = sorted(spec.group.members)[step] if spec.group else f"s{step}"
            for placer in (fork, alone):
                placer.consume(expected.host, spec.flavor, spec.project_id, uuid)
    assert compared >= 8


def test_n_plus_one_by_forks_counts_as_a_drain_plan_per_host_does():
    rng = random.Random(7)
    hosts, aggregates, config = world(rng)
    sizes = [flavor("m", id="2", vcpus=2, ram=4096, disk=20), flavor("l", id="3", vcpus=4)]
    servers = [
        PlannedServer(f"{item.name}-{number}", f"vm{number}", item.name, rng.choice(sizes), "p1")
        for item in hosts
        for number in range(rng.randint(0, 3))
    ]
    units = [(item.name, [item.name]) for item in hosts]

    risks = resilience(hosts, aggregates, servers, units, config)

    expected = []
    for unit, names in units:
        plan = plan_drain(hosts, aggregates, servers, names, config, zones=False)
        steps = Counter(
            move.rejections[0].step if move.rejections else "error"
            for move in plan.moves
            if not move.placed
        )
        expected.append(
            Risk(unit, 1, len(plan.moves), plan.unplaceable, tuple(steps.most_common()))
        )
    assert risks == worst_first(expected)
    assert any(risk.servers for risk in risks)


def test_a_boot_into_a_zone_whose_last_enabled_host_is_disabled_is_refused_again():
    placer = Placer([host("a"), host("b")], [aggregate(1, "z", ["a"], availability_zone="az")])
    spec = request(availability_zone="az")
    first = placer.pick(spec)
    assert first is not None and first.host == "a"
    placer.disable(["a"], "maintenance")
    assert placer.pick(spec) is None
    assert placer.preview(spec).summary.zone.api_passed is False
