"""Compute-node values Nova's HostState derives (read by filters and weighers) from our inputs."""

from __future__ import annotations

import json
from collections.abc import Mapping

from .config import SchedulerConfig
from .state import HostState


def cpu_ratio(host: HostState, config: SchedulerConfig) -> float:
    if host.node_cpu_allocation_ratio is not None:
        return host.node_cpu_allocation_ratio
    if host.cpu_allocation_ratio is not None:
        return host.cpu_allocation_ratio
    if config.cpu_allocation_ratio is not None:
        return config.cpu_allocation_ratio
    return config.initial_cpu_allocation_ratio


def ram_ratio(host: HostState, config: SchedulerConfig) -> float:
    if host.node_ram_allocation_ratio is not None:
        return host.node_ram_allocation_ratio
    if host.ram_allocation_ratio is not None:
        return host.ram_allocation_ratio
    if config.ram_allocation_ratio is not None:
        return config.ram_allocation_ratio
    return config.initial_ram_allocation_ratio


def disk_ratio(host: HostState, config: SchedulerConfig) -> float:
    if host.node_disk_allocation_ratio is not None:
        return host.node_disk_allocation_ratio
    if host.disk_allocation_ratio is not None:
        return host.disk_allocation_ratio
    if config.disk_allocation_ratio is not None:
        return config.disk_allocation_ratio
    return config.initial_disk_allocation_ratio


def _reserved(value: int | None, default: int) -> int:
    return default if value is None else value


def node_vcpus_used(host: HostState, config: SchedulerConfig) -> int:
    # resource_tracker: the compute node's vcpus_used starts at reserved_host_cpus.
    return host.vcpus_used + _reserved(host.reserved_host_cpus, config.reserved_host_cpus)


def node_free_ram_mb(host: HostState, config: SchedulerConfig) -> int:
    # memory_mb_used of the compute node starts at reserved_host_memory_mb (§6, §9.13).
    if host.free_ram_mb is not None:
        return host.free_ram_mb
    reserved = _reserved(host.reserved_host_memory_mb, config.reserved_host_memory_mb)
    return host.memory_mb - reserved - host.memory_mb_used


def node_free_disk_mb(host: HostState, config: SchedulerConfig) -> float:
    # host_manager: min(free_disk_gb, disk_available_least) x 1024.
    if host.free_disk_gb is not None:
        free_gb: float = host.free_disk_gb
    else:
        reserved = _reserved(host.reserved_host_disk_mb, config.reserved_host_disk_mb)
        free_gb = host.local_gb - (reserved / 1024 + host.local_gb_used)
    if host.disk_available_least is not None:
        free_gb = min(free_gb, host.disk_available_least)
    return free_gb * 1024


def node_disk_mb_used(host: HostState, config: SchedulerConfig) -> float:
    reserved = _reserved(host.reserved_host_disk_mb, config.reserved_host_disk_mb)
    return (host.local_gb_used + reserved / 1024) * 1024


def node_stats(host: HostState) -> Mapping[str, str]:
    """The compute node `stats` dict: counters Nova keeps, overlaid by any given stats."""
    stats = {
        "num_instances": str(host.num_instances),
        "io_workload": str(host.num_io_ops or 0),
        "failed_builds": str(host.failed_builds),
    }
    for project, count in (host.instances_by_project or {}).items():
        stats[f"num_proj_{project}"] = str(count)
    if host.stats:
        stats.update(host.stats)
    return stats


# Attributes (and methods) of nova.scheduler.host_manager.HostState that hold objects the
# preview has no data for; an unscoped extra spec naming one is a capability check Nova runs.
UNMODELLED_ATTRIBUTES = frozenset(
    {
        "aggregates",
        "allocation_candidates",
        "instances",
        "limits",
        "metrics",
        "numa_topology",
        "pci_stats",
        "service",
        "updated",
        "consume_from_request",
        "update",
    }
)
MODELLED_ATTRIBUTES = frozenset(
    {
        "host",
        "nodename",
        "hypervisor_hostname",
        "hypervisor_type",
        "hypervisor_version",
        "host_ip",
        "cpu_info",
        "vcpus_total",
        "vcpus_used",
        "free_ram_mb",
        "free_disk_mb",
        "total_usable_ram_mb",
        "total_usable_disk_gb",
        "disk_mb_used",
        "num_instances",
        "num_io_ops",
        "failed_builds",
        "cpu_allocation_ratio",
        "ram_allocation_ratio",
        "disk_allocation_ratio",
        "cell_uuid",
        "uuid",
        "stats",
        "supported_instances",
    }
)
HOST_STATE_ATTRIBUTES = MODELLED_ATTRIBUTES | UNMODELLED_ATTRIBUTES


def node_attribute(host: HostState, name: str, config: SchedulerConfig) -> object:
    """getattr(nova_host_state, name) for a modelled attribute; may return None."""
    if name == "host":
        return host.name
    if name in ("nodename", "hypervisor_hostname"):
        return host.hypervisor_hostname or host.name
    if name == "vcpus_total":
        return host.vcpus
    if name == "vcpus_used":
        return node_vcpus_used(host, config)
    if name == "free_ram_mb":
        return node_free_ram_mb(host, config)
    if name == "free_disk_mb":
        return node_free_disk_mb(host, config)
    if name == "total_usable_ram_mb":
        return host.memory_mb
    if name == "total_usable_disk_gb":
        return host.local_gb
    if name == "disk_mb_used":
        return node_disk_mb_used(host, config)
    if name == "num_io_ops":
        return host.num_io_ops or 0
    if name == "cpu_allocation_ratio":
        return cpu_ratio(host, config)
    if name == "ram_allocation_ratio":
        return ram_ratio(host, config)
    if name == "disk_allocation_ratio":
        return disk_ratio(host, config)
    if name == "stats":
        return dict(node_stats(host))
    if name == "supported_instances":
        return [list(triple) for triple in host.supported_instances]
    if name == "cpu_info":
        # Nova keeps cpu_info as the driver's JSON string; paths into it parse it again.
        if isinstance(host.cpu_info, Mapping):
            return json.dumps(host.cpu_info)
        return host.cpu_info
    return getattr(host, name)
