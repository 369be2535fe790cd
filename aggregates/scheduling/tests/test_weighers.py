"""Weighers, normalisation and multipliers (nova-scheduling.md §6)."""

import pytest

from aggregates.scheduling.config import SchedulerConfig
from aggregates.scheduling.state import ServerGroup
from aggregates.scheduling.weighers import WeighingError, weigh

from .factories import aggregate, context, host, request


def weights(hosts, aggregates=(), spec=None, config=None):
    ctx = context(hosts, aggregates, spec or request(), config or SchedulerConfig())
    found, columns = weigh(ctx, list(range(len(hosts))))
    return found, {column.name: column for column in columns}


def only(name, **options):
    return SchedulerConfig(weight_classes=(f"nova.scheduler.weights.x.{name}",), **options)


def test_worked_example_of_the_reference():
    # nova-scheduling.md §6 worked example: 2.4, 1.065242, -1000000.0.
    a = host("a", vcpus=8, free_ram_mb=15872, free_disk_gb=200, num_io_ops=0)
    b = host("b", vcpus=4, vcpus_used=2, free_ram_mb=7680, free_disk_gb=80, num_io_ops=1)
    c = host(
        "c",
        vcpus=16,
        vcpus_used=70,
        free_ram_mb=-512,
        free_disk_gb=500,
        num_io_ops=2,
        failed_builds=2,
    )
    aggregates = [aggregate(1, "double-ram", ["b"], ram_weight_multiplier="2.0")]
    found, _ = weights([a, b, c], aggregates)
    assert found[0] == pytest.approx(2.4)
    assert found[1] == pytest.approx(1.065242, abs=1e-6)
    assert found[2] == pytest.approx(-1000000.0)


def test_a_single_candidate_weighs_zero():
    # §6 step 1.
    found, columns = weights([host("only", memory_mb_used=1024)])
    assert found == [0.0] and columns == {}


@pytest.mark.parametrize(
    ("free", "expected"),
    [
        # §6 step 3: RAM normalises against 0, so equal non-zero free RAM gives 1.0 each.
        ((4096, 4096), [1.0, 1.0]),
        ((4096, 2048), [1.0, 0.5]),
        ((-100, 2048), [0.0, 1.0]),  # clamped at 0
        ((0, 0), [0.0, 0.0]),  # all equal: 0
    ],
)
def test_ram_weigher_normalises_against_zero(free, expected):
    hosts = [host("x", free_ram_mb=free[0]), host("y", free_ram_mb=free[1])]
    found, _ = weights(hosts, config=only("RAMWeigher"))
    assert found == pytest.approx(expected)


def test_ram_weigher_reads_free_ram_of_the_compute_node():
    # §6: free_ram_mb = memory_mb - reserved - used (no ratio).
    hosts = [host("x", memory_mb_used=1024), host("y", memory_mb_used=9216)]
    _, columns = weights(hosts, config=only("RAMWeigher"))
    assert columns["RAMWeigher"].raw == [14848, 6656]


def test_cpu_weigher_counts_reserved_cpus_as_used():
    # §6: vcpus_total x cpu_allocation_ratio - vcpus_used, the node's used counting reserved.
    hosts = [host("x", vcpus_used=4, reserved_host_cpus=2), host("y")]
    _, columns = weights(hosts, config=only("CPUWeigher"))
    assert columns["CPUWeigher"].raw == [26.0, 32.0]


def test_cpu_weigher_reads_the_compute_nodes_ratio_not_placements():
    # A ratio set through the Placement API does not reach the compute node record, whose
    # ratio the CPUWeigher multiplies by (found by the differential stage).
    hosts = [
        host("x", vcpus=8, cpu_allocation_ratio=16.0, node_cpu_allocation_ratio=4.0),
        host("y", vcpus=8, cpu_allocation_ratio=4.0),
    ]
    _, columns = weights(hosts, config=only("CPUWeigher"))
    assert columns["CPUWeigher"].raw == [32.0, 32.0]


def test_disk_weigher_uses_disk_available_least():
    # §6: free_disk_mb = min(free_disk_gb, disk_available_least) x 1024.
    hosts = [host("x", disk_available_least=10), host("y")]
    _, columns = weights(hosts, config=only("DiskWeigher"))
    assert columns["DiskWeigher"].raw == [10240, 102400]


@pytest.mark.parametrize(
    ("name", "field", "values", "options", "expected"),
    [
        # §6: min-max normalisation without a floor, then the multiplier.
        ("IoOpsWeigher", "num_io_ops", (0, 4), {}, [0.0, -1.0]),
        ("NumInstancesWeigher", "num_instances", (2, 4), {}, [0.0, 0.0]),  # multiplier 0
        (
            "NumInstancesWeigher",
            "num_instances",
            (2, 4),
            {"num_instances_weight_multiplier": -1.0},
            [0.0, -1.0],
        ),
        ("BuildFailureWeigher", "failed_builds", (0, 3), {}, [0.0, -1000000.0]),
        ("HypervisorVersionWeigher", "hypervisor_version", (6000000, 7000000), {}, [0.0, 1.0]),
        ("HypervisorVersionWeigher", "hypervisor_version", (None, 7000000), {}, [0.0, 1.0]),
        ("PCIWeigher", "pci_free_devices", (0, 4), {}, [1.0, 0.0]),
        ("PCIWeigher", "pci_free_devices", (0, 0), {}, [0.0, 0.0]),
    ],
)
def test_weigher(name, field, values, options, expected):
    hosts = [host("x", **{field: values[0]}), host("y", **{field: values[1]})]
    found, _ = weights(hosts, config=only(name, **options))
    assert found == pytest.approx(expected)


def test_soft_affinity_weighers():
    members = frozenset({"u1", "u2"})
    hosts = [
        host("x", instance_uuids=frozenset({"u1", "u2"})),
        host("y", instance_uuids=frozenset({"u1"})),
        host("z"),
    ]
    spec = request(group=ServerGroup("soft-affinity", members=members))
    found, _ = weights(hosts, spec=spec, config=only("ServerGroupSoftAffinityWeigher"))
    assert found == pytest.approx([1.0, 0.5, 0.0])
    spec = request(group=ServerGroup("soft-anti-affinity", members=members))
    found, _ = weights(hosts, spec=spec, config=only("ServerGroupSoftAntiAffinityWeigher"))
    assert found == pytest.approx([0.0, 0.5, 1.0])


@pytest.mark.parametrize(
    ("metadata", "multiplier", "source"),
    [
        # §6 step 4: aggregate metadata overrides the option; the minimum wins.
        ([{"ram_weight_multiplier": "2.0"}], 2.0, "a0"),
        ([{"ram_weight_multiplier": "2.0"}, {"ram_weight_multiplier": " 0.5 "}], 0.5, "a1"),
        ([{"ram_weight_multiplier": "2.0"}, {"ram_weight_multiplier": "x"}], 1.0, "config"),
        ([{"ram_weight_multiplier": "1,2"}], 1.0, "config"),  # no comma-splitting
        ([{}], 1.0, "config"),
    ],
)
def test_aggregate_multiplier_overrides(metadata, multiplier, source):
    aggregates = [aggregate(i, f"a{i}", ["x"], **meta) for i, meta in enumerate(metadata)]
    hosts = [host("x", free_ram_mb=4096), host("y", free_ram_mb=2048)]
    found, columns = weights(hosts, aggregates, config=only("RAMWeigher"))
    assert found[0] == pytest.approx(multiplier)
    assert columns["RAMWeigher"].sources[0] == source


def test_build_failure_multiplier_override_is_negated_too():
    aggregates = [aggregate(1, "soft", ["y"], build_failure_weight_multiplier="10")]
    hosts = [host("x", failed_builds=2), host("y", failed_builds=2)]
    # equal raw -> normalised 0: no effect whatever the multiplier
    found, _ = weights(hosts, aggregates, config=only("BuildFailureWeigher"))
    assert found == [0.0, 0.0]
    hosts = [host("x"), host("y", failed_builds=2)]
    found, _ = weights(hosts, aggregates, config=only("BuildFailureWeigher"))
    assert found == pytest.approx([0.0, -10.0])


def test_metrics_weigher():
    config = only("MetricsWeigher", metrics_weight_setting=("cpu=-1.0",))
    hosts = [host("x", metrics={"cpu": 10.0}), host("y", metrics={"cpu": 30.0})]
    found, _ = weights(hosts, config=config)
    assert found == pytest.approx([1.0, 0.0])


def test_metrics_weigher_missing_required_metric_fails_the_request():
    config = only("MetricsWeigher", metrics_weight_setting=("cpu=1.0",))
    with pytest.raises(WeighingError):
        weights([host("x", metrics={"cpu": 1.0}), host("y")], config=config)


def test_metrics_weigher_missing_optional_metric_weighs_unavailable():
    config = only("MetricsWeigher", metrics_weight_setting=("cpu=1.0",), metrics_required=False)
    found, columns = weights([host("x", metrics={"cpu": 1.0}), host("y")], config=config)
    assert columns["MetricsWeigher"].raw == [1.0, -10000.0]
    assert found == pytest.approx([1.0, 0.0])


@pytest.mark.parametrize("name", ["CrossCellWeigher", "ImagePropertiesWeigher"])
def test_weighers_constant_for_a_create_add_nothing(name):
    found, columns = weights([host("x"), host("y", num_instances=3)], config=only(name))
    assert found == [0.0, 0.0] and columns == {}
