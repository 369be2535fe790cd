"""The column-wise engine gives the per-host answers: ranking ties, lazy failures, fast paths."""

import dataclasses
import random

import numpy as np
import pytest

from aggregates.scheduling import preview
from aggregates.scheduling.bench import synthetic_cloud
from aggregates.scheduling.engine import rank_by_weight
from aggregates.scheduling.incremental import Placer, consume
from aggregates.scheduling.placement import placement_step
from aggregates.scheduling.planning import DRAIN_REASON, PlannedServer, plan_drain
from aggregates.scheduling.state import RequestSpec
from aggregates.scheduling.verdicts import distinct_keys

from .factories import context, flavor, host, request


@pytest.mark.parametrize("seed", range(20))
def test_ranking_is_pythons_stable_sort_by_weight_descending(seed):
    # Nova: sorted(weighed_hosts, key=weight, reverse=True); equal weights keep input order.
    rng = random.Random(seed)
    weights = [rng.choice((0.0, -0.0, 0.5, 1.25, 2.0, rng.random())) for _ in range(500)]
    expected = sorted(range(len(weights)), key=weights.__getitem__, reverse=True)
    assert rank_by_weight(np.asarray(weights)).tolist() == expected


@pytest.mark.parametrize("spread", [1, 3, 40, 5000, 1 << 30])
def test_counted_distinct_keys_are_numpys_unique(spread):
    keys = np.random.default_rng(spread).integers(0, spread, 2000)
    _, first, inverse, counts = np.unique(
        keys, return_index=True, return_inverse=True, return_counts=True
    )
    found = distinct_keys(keys, spread)
    for mine, numpys in zip(found, (first, inverse, counts), strict=True):
        assert mine.tolist() == numpys.tolist()


def test_slots_with_fractional_allocation_ratios_are_pythons_floor_division():
    # Placement: (total - reserved) * ratio - used, floor-divided by the amount, in Python.
    rng = random.Random(7)
    ratios = (1.0, 1.5, 1.3, 2.7, 0.9, 16.0, 1.1)
    hosts, expected = [], []
    for index in range(400):
        total, ratio = rng.randint(1, 512), rng.choice(ratios)
        used = rng.randint(0, int(total * ratio))
        hosts.append(host(f"h{index}", vcpus=total, vcpus_used=used, cpu_allocation_ratio=ratio))
        fits = used + 3 <= total * ratio and total >= 3
        expected.append(int((total * ratio - used) // 3) if fits else 0)
    spec = request(flavor=flavor(vcpus=3, ram=0, disk=0))
    _, slots = placement_step(context(hosts, spec=spec))
    assert [None if slot is None else int(slot) for slot in slots] == expected


def test_every_failing_host_reads_its_own_placement_numbers():
    hosts = [
        host("roomy"),
        host("full-ram", memory_mb_used=15872),
        host("full-cpu", vcpus_used=32),
        host("roomy-2"),
    ]
    spec = request(flavor=flavor(vcpus=2, ram=2048, disk=20))
    column, _ = placement_step(context(hosts, spec=spec))
    by_index = [column[index] for index in range(len(hosts))]
    assert [result.passed for result in column] == [True, False, False, True]
    assert [result.reason for result in column] == [result.reason for result in by_index]
    assert by_index[1].reason.startswith("MEMORY_MB: need 2048 MB")
    assert by_index[2].reason.startswith("VCPU: need 2")
    assert column[1] is column[1]  # made once, then the same object

    result = preview(hosts, [], spec)
    assert result.host("full-ram").step("Placement").reason == by_index[1].reason
    assert result.host("full-cpu").failed_filter == "Placement"
    assert result.summary.rejected_by["Placement"] == 2


def _explicit_defaults(cloud):
    """The same hosts with the config's defaults written on every host (the per-host path)."""
    config = cloud.config
    return [
        dataclasses.replace(
            item,
            reserved_host_memory_mb=config.reserved_host_memory_mb,
            reserved_host_disk_mb=config.reserved_host_disk_mb,
            reserved_host_cpus=config.reserved_host_cpus,
        )
        for item in cloud.hosts
    ]


def test_the_column_path_and_the_per_host_path_weigh_alike():
    cloud = synthetic_cloud(600, seed=3)
    spec = dataclasses.replace(cloud.request, availability_zone=None)
    fast = preview(cloud.hosts, cloud.aggregates, spec, cloud.config)
    slow = preview(_explicit_defaults(cloud), cloud.aggregates, spec, cloud.config)
    assert fast.summary.candidates == slow.summary.candidates > 100
    assert [r.weight for r in fast.hosts] == [r.weight for r in slow.hosts]
    assert [r.rank for r in fast.hosts] == [r.rank for r in slow.hosts]
    assert [r.slots for r in fast.hosts] == [r.slots for r in slow.hosts]
    name = fast.ranking[0].host
    assert fast.weight_breakdown(name) == slow.weight_breakdown(name)


def _tight_cloud():
    """A big source and two small hosts that take one big server each (capacity binds).

    Every host carries its reserved amounts, as the loader's hosts do: the weighers then read
    hosts one by one and only Placement reads the usage columns.
    """
    reserved = {"reserved_host_cpus": 0, "reserved_host_memory_mb": 512, "reserved_host_disk_mb": 0}
    small = {"vcpus": 4, "memory_mb": 8192, "local_gb": 100, "cpu_allocation_ratio": 1.0}
    hosts = [
        host("a-source", vcpus=64, memory_mb=65536, local_gb=500, vcpus_used=13, **reserved),
        host("b-small", **small, **reserved),
        host("c-small", **small, **reserved),
    ]
    big = flavor("big", vcpus=4, ram=4096, disk=10)
    servers = [PlannedServer(f"u{index}", f"b{index}", "a-source", big, "p") for index in range(3)]
    return hosts, [], servers, ["a-source"]


def _synthetic_drain():
    cloud = synthetic_cloud(400, seed=11)
    drained = [item.name for item in cloud.hosts[:12]]
    servers = [
        PlannedServer(f"{name}-{index}", f"{name}-vm{index}", name, size, "demo")
        for name in drained
        for index, size in enumerate((flavor(vcpus=8, ram=16384, disk=80), flavor(vcpus=2)))
    ]
    return cloud.hosts, cloud.aggregates, servers, drained


@pytest.mark.parametrize("world", [_tight_cloud, _synthetic_drain])
def test_a_drain_on_the_patched_table_places_as_fresh_previews_do(world):
    # The Placer patches the hosts a placement changes; a fresh preview of fresh host objects
    # (a table built from scratch each time) must pick the same host with the same weight.
    hosts, aggregates, servers, drained = world()
    plan = plan_drain(hosts, aggregates, servers, drained)
    assert plan.placed >= 2

    state = [
        dataclasses.replace(item, status="disabled", disabled_reason=DRAIN_REASON)
        if item.name in drained
        else dataclasses.replace(item)
        for item in hosts
    ]
    position = {item.name: index for index, item in enumerate(state)}
    for move in plan.moves:
        request = RequestSpec(
            flavor=move.server.flavor, project_id=move.server.project_id, is_admin=True, move=True
        )
        best = preview([dataclasses.replace(item) for item in state], aggregates, request).best()
        if best is None:
            assert move.destination is None
            continue
        assert (move.destination, move.weight) == (best.host, best.weight)
        index = position[move.destination]
        state[index] = consume(
            state[index], move.server.flavor, move.server.project_id, move.server.uuid
        )


def test_hosts_disabled_on_a_patched_table_read_as_on_a_fresh_one():
    # The Placer patches only the disabled hosts' service codes; every host's every verdict
    # must still be a fresh preview's (reasons already in the cloud, new ones, forced down).
    hosts = [
        host("up"),
        host("old-reason", status="disabled", disabled_reason="rack 3"),
        host("forced", forced_down=True, state="down"),
        host("down", state="down"),
        host("to-drain"),
        host("to-drain-too", status="disabled", disabled_reason="rack 3"),
        host("stays"),
    ]
    placer = Placer(hosts, [])
    placer.disable(["to-drain", "to-drain-too", "not-in-this-cloud"], DRAIN_REASON)
    fresh = [
        dataclasses.replace(item, status="disabled", disabled_reason=DRAIN_REASON)
        if item.name.startswith("to-drain")
        else dataclasses.replace(item)
        for item in hosts
    ]
    spec = request(is_admin=True, move=True)
    patched, built = placer.preview(spec), preview(fresh, [], spec)
    assert [(r.host, r.passed, r.failed_filter) for r in patched.hosts] == [
        (r.host, r.passed, r.failed_filter) for r in built.hosts
    ]
    assert [r.step("ComputeFilter").reason for r in patched.hosts] == [
        r.step("ComputeFilter").reason for r in built.hosts
    ]
    assert [r.host for r in patched.hosts if r.passed] == ["up", "stays"]
