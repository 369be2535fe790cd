"""Compute-node values derived from Placement data (nova-scheduling.md §6, §9.13)."""

import pytest

from aggregates.scheduling.config import SchedulerConfig
from aggregates.scheduling.node import (
    node_attribute,
    node_free_disk_mb,
    node_free_ram_mb,
    node_stats,
    node_vcpus_used,
)

from .factories import host

CONFIG = SchedulerConfig()


def test_free_ram_subtracts_reserved_but_applies_no_ratio():
    assert node_free_ram_mb(host(memory_mb_used=1024, ram_allocation_ratio=1.5), CONFIG) == 14848


def test_compute_node_values_win_when_known():
    assert node_free_ram_mb(host(free_ram_mb=-512), CONFIG) == -512
    assert node_free_disk_mb(host(free_disk_gb=20, disk_available_least=10), CONFIG) == 10240


def test_vcpus_used_counts_reserved_cpus():
    assert node_vcpus_used(host(vcpus_used=3, reserved_host_cpus=1), CONFIG) == 4


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("host", "compute-1"),
        ("nodename", "compute-1"),
        ("vcpus_total", 8),
        ("total_usable_ram_mb", 16384),
        ("cpu_allocation_ratio", 4.0),
        ("num_io_ops", 0),
    ],
)
def test_node_attribute(name, expected):
    assert node_attribute(host(), name, CONFIG) == expected


def test_stats_carry_nova_counters():
    stats = node_stats(host(num_instances=3, num_io_ops=1, instances_by_project={"p": 2}))
    assert stats["num_instances"] == "3"
    assert stats["io_workload"] == "1"
    assert stats["num_proj_p"] == "2"
