"""The Placement step: fit rule, reserved amounts, ratios, max_unit, traits, slots (§5.2)."""

import pytest

from aggregates.scheduling.config import SchedulerConfig
from aggregates.scheduling.placement import placement_step
from aggregates.scheduling.state import Inventory

from .factories import context, expand, flavor, host, request

SMALL = flavor(vcpus=2, ram=2048, disk=20)


def verdict(hosts, spec=None, config=None):
    ctx = context(hosts, spec=spec or request(flavor=SMALL), config=config or SchedulerConfig())
    column, slots = placement_step(ctx)
    return expand(column, len(hosts)), slots, ctx


@pytest.mark.parametrize(
    ("fields", "passes"),
    [
        # §5.2: used + amount <= (total - reserved) x ratio, reserved 512 MB by default.
        ({"memory_mb_used": 13824}, True),  # 13824 + 2048 = 15872 = (16384 - 512) x 1.0
        ({"memory_mb_used": 13825}, False),
        ({"vcpus_used": 30}, True),  # 30 + 2 = 32 = 8 x 4.0
        ({"vcpus_used": 31}, False),
        ({"local_gb_used": 80}, True),  # 80 + 20 = 100
        ({"local_gb_used": 81}, False),
        # §5.2: reserved disk is ceil(reserved_host_disk_mb / 1024) GB.
        ({"local_gb_used": 80, "reserved_host_disk_mb": 1}, False),
        ({"local_gb_used": 79, "reserved_host_disk_mb": 1024}, True),
        # Each host's own ratios and reserved amounts (its Placement inventory).
        ({"vcpus_used": 7, "cpu_allocation_ratio": 1.0}, False),
        ({"vcpus_used": 6, "cpu_allocation_ratio": 1.0}, True),
        ({"memory_mb_used": 14336, "reserved_host_memory_mb": 0}, True),
        ({"memory_mb_used": 20000, "ram_allocation_ratio": 1.5}, True),
        ({"memory_mb_used": 0, "reserved_host_cpus": 8}, False),
    ],
)
def test_capacity_edge(fields, passes):
    results, slots, _ = verdict([host(**fields)])
    assert results[0].passed is passes
    if not passes:
        assert slots[0] == 0


def test_a_request_above_max_unit_fails_even_with_overcommit():
    # §5.2: max_unit = total, so 9 vCPUs never fit an 8-core node whatever the ratio.
    results, _, _ = verdict([host()], spec=request(flavor=flavor(vcpus=9, ram=512, disk=1)))
    assert not results[0].passed
    assert "max_unit" in results[0].reason


def test_failure_reason_names_the_class_and_the_numbers():
    # nova-scheduling.md §8 step 4: "need 2048 MB, free 1536 of (16384-512)x1.0".
    results, _, _ = verdict([host(memory_mb_used=14336)])
    reason = results[0].reason
    assert reason.startswith("MEMORY_MB: need 2048 MB, free 1536 of (16384\u2212512)")
    assert "VCPU" not in reason


def test_every_short_class_is_listed():
    results, _, _ = verdict([host(vcpus_used=32, local_gb_used=100)])
    assert "VCPU" in results[0].reason and "DISK_GB" in results[0].reason


def test_config_supplies_what_a_host_leaves_unset():
    config = SchedulerConfig(cpu_allocation_ratio=1.0, reserved_host_memory_mb=0)
    results, slots, _ = verdict([host(vcpus_used=6, memory_mb_used=14336)], config=config)
    assert results[0].passed
    assert slots[0] == 1  # (8 - 6) / 2 vCPU


@pytest.mark.parametrize(
    ("fields", "slots"),
    [
        ({}, 5),  # min(VCPU 32/2, RAM 15872/2048 = 7, DISK 100/20 = 5)
        ({"local_gb": 1000}, 7),
        ({"local_gb": 1000, "memory_mb_used": 10240}, 2),
        ({"local_gb": 1000, "vcpus_used": 29}, 1),
    ],
)
def test_slots_are_the_instances_that_still_fit(fields, slots):
    _, found, _ = verdict([host(**fields)])
    assert found[0] == slots


def test_other_resource_classes_need_an_inventory():
    spec = request(flavor=flavor(extra_specs={"resources:CUSTOM_GOLD": "2"}))
    rich = host("rich", inventories={"CUSTOM_GOLD": Inventory(total=10, used=6)})
    poor = host("poor", inventories={"CUSTOM_GOLD": Inventory(total=10, used=9)})
    none = host("none")
    results, slots, _ = verdict([rich, poor, none], spec=spec)
    assert [result.passed for result in results] == [True, False, False]
    assert slots[0] == 2  # (10 - 6) / 2
    assert "no CUSTOM_GOLD inventory" in results[2].reason


def test_required_and_forbidden_traits_when_hosts_report_traits():
    spec = request(
        flavor=flavor(extra_specs={"trait:CUSTOM_SSD": "required", "trait:CUSTOM_OLD": "forbidden"})
    )
    good = host("good", traits=frozenset({"CUSTOM_SSD"}))
    plain = host("plain", traits=frozenset())
    old = host("old", traits=frozenset({"CUSTOM_SSD", "CUSTOM_OLD"}))
    results, _, _ = verdict([good, plain, old], spec=spec)
    assert [result.passed for result in results] == [True, False, False]
    assert "lacks required trait CUSTOM_SSD" in results[1].reason
    assert "forbidden trait CUSTOM_OLD" in results[2].reason


def test_unknown_traits_are_not_guessed_but_warned_about():
    spec = request(flavor=flavor(extra_specs={"trait:CUSTOM_SSD": "required"}))
    results, _, ctx = verdict([host()], spec=spec)
    assert results[0].passed
    assert any("not checked" in warning for warning in ctx.warnings)


def test_requested_host_restricts_placement():
    # §1 step 5: the 2.74 host field restricts Placement to that node.
    results, _, _ = verdict([host("a"), host("b")], spec=request(flavor=SMALL, requested_host="b"))
    assert [result.passed for result in results] == [False, True]
    assert "requested host" in results[0].reason
