"""Nova 34 weighers: raw value per candidate, min-max normalisation, per-aggregate multipliers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import repeat
from operator import add, attrgetter, mul, sub

import numpy as np

from .context import PreviewContext
from .state import HostState


@dataclass(slots=True)
class WeigherColumn:
    """One weigher over the candidates: raw, normalised, multiplier (and its source), score."""

    name: str
    raw: list[float]
    normalized: list[float]
    multipliers: list[float]
    sources: list[str]


class WeighingError(Exception):
    """A weigher Nova would raise in (MetricsWeigher with a required metric missing)."""


@dataclass(slots=True, frozen=True)
class _Weigher:
    option: str  # the multiplier option, also the aggregate metadata key
    minval: float | None
    negate: bool = False  # BuildFailureWeigher negates its multiplier


def _option(ctx: PreviewContext, weigher: _Weigher) -> float:
    if weigher.option == "metrics_weight_multiplier":
        return ctx.config.metrics_weight_multiplier
    return float(getattr(ctx.config, weigher.option))


_WEIGHERS: dict[str, _Weigher] = {
    "RAMWeigher": _Weigher("ram_weight_multiplier", 0.0),
    "CPUWeigher": _Weigher("cpu_weight_multiplier", 0.0),
    "DiskWeigher": _Weigher("disk_weight_multiplier", 0.0),
    "IoOpsWeigher": _Weigher("io_ops_weight_multiplier", 0.0),
    "NumInstancesWeigher": _Weigher("num_instances_weight_multiplier", None),
    "BuildFailureWeigher": _Weigher("build_failure_weight_multiplier", None, negate=True),
    "HypervisorVersionWeigher": _Weigher("hypervisor_version_weight_multiplier", None),
    "ServerGroupSoftAffinityWeigher": _Weigher("soft_affinity_weight_multiplier", None),
    "ServerGroupSoftAntiAffinityWeigher": _Weigher("soft_anti_affinity_weight_multiplier", None),
    "CrossCellWeigher": _Weigher("cross_cell_move_weight_multiplier", None),
    "PCIWeigher": _Weigher("pci_weight_multiplier", None),
    "ImagePropertiesWeigher": _Weigher("image_props_weight_multiplier", None),
    "MetricsWeigher": _Weigher("metrics_weight_multiplier", None),
}


def _class_multipliers(
    ctx: PreviewContext, weigher: _Weigher, classes: set[int]
) -> dict[int, tuple[float, str]]:
    """utils.get_weight_multiplier per class: minimum float over aggregates, else the option."""
    option = _option(ctx, weigher)
    sign = -1.0 if weigher.negate else 1.0
    if weigher.option not in ctx.metadata_keys:
        constant = (sign * option, "config")
        return dict.fromkeys(classes, constant)
    found: dict[int, tuple[float, str]] = {}
    for class_id in classes:
        values = ctx.class_values(class_id, weigher.option)
        value, source = option, "config"
        if values:
            try:
                value = min(float(raw) for _, raw in values)
                source = ", ".join(name for name, raw in values if float(raw) == value)
            except ValueError:
                ctx.warnings.append(
                    f"aggregate {weigher.option} values {[raw for _, raw in values]} are not all "
                    f"numbers: Nova uses the option value {option}"
                )
        found[class_id] = (sign * value, source)
    return found


def _free_ram(ctx: PreviewContext) -> Callable[[HostState], float]:
    default = ctx.config.reserved_host_memory_mb

    def raw(host: HostState) -> float:
        if host.free_ram_mb is not None:
            return host.free_ram_mb
        reserved = host.reserved_host_memory_mb
        return host.memory_mb - (default if reserved is None else reserved) - host.memory_mb_used

    return raw


def _free_vcpus(ctx: PreviewContext) -> Callable[[HostState], float]:
    config = ctx.config
    default_ratio = (
        config.cpu_allocation_ratio
        if config.cpu_allocation_ratio is not None
        else config.initial_cpu_allocation_ratio
    )
    default_reserved = config.reserved_host_cpus

    def raw(host: HostState) -> float:
        ratio = host.node_cpu_allocation_ratio
        if ratio is None:
            ratio = host.cpu_allocation_ratio
        reserved = host.reserved_host_cpus
        # The compute node's vcpus_used already counts reserved_host_cpus.
        used = host.vcpus_used + (default_reserved if reserved is None else reserved)
        return host.vcpus * (default_ratio if ratio is None else ratio) - used

    return raw


def _free_disk(ctx: PreviewContext) -> Callable[[HostState], float]:
    default = ctx.config.reserved_host_disk_mb

    def raw(host: HostState) -> float:
        if host.free_disk_gb is not None:
            free_gb: float = host.free_disk_gb
        else:
            reserved = host.reserved_host_disk_mb
            # The compute node's local_gb_used starts at reserved_host_disk_mb / 1024.
            used_gb = (default if reserved is None else reserved) / 1024 + host.local_gb_used
            free_gb = host.local_gb - used_gb
        least = host.disk_available_least
        if least is not None and least < free_gb:
            free_gb = least
        return free_gb * 1024

    return raw


def _group_members(
    ctx: PreviewContext, policy: str, sign: int
) -> Callable[[HostState], float] | None:
    group = ctx.request.group
    if group is None or group.policy != policy:
        return None
    members = group.members
    return lambda host: sign * len(host.instance_uuids & members)


def _metrics(
    ctx: PreviewContext, classes: dict[int, tuple[float, str]] | None
) -> Callable[[HostState, int], float] | None:
    setting = ctx.config.metrics_weights
    if not setting:
        return None
    config = ctx.config

    def raw(host: HostState, class_id: int) -> float:
        metrics = host.metrics or {}
        value = 0.0
        for name, ratio in setting:
            if name in metrics:
                value += metrics[name] * ratio
                continue
            if config.metrics_required:
                raise WeighingError(
                    f"MetricsWeigher: ComputeHostMetricNotFound: metric {name} missing on "
                    f"{host.name} and [metrics] required is set"
                )
            multiplier = classes[class_id][0] if classes else config.metrics_weight_multiplier
            if ratio * multiplier != 0:
                return config.metrics_weight_of_unavailable
        return value

    return raw


def weigh(ctx: PreviewContext, candidates: list[int]) -> tuple[list[float], list[WeigherColumn]]:
    """Weights of the candidate hosts (indices into ctx.hosts), summed as Nova's handler does."""
    count = len(candidates)
    columns: list[WeigherColumn] = []
    if count <= 1:
        return [0.0] * count, columns  # §6 step 1: a single host is not weighed
    weights = np.zeros(count)
    hosts = ctx.hosts
    chosen = [hosts[index] for index in candidates]
    ctx.weighed = np.asarray(candidates, dtype=np.intp)
    host_class = ctx.host_class
    chosen_classes = [host_class[index] for index in candidates]
    used_classes = set(chosen_classes)
    for name in ctx.config.weighers:
        weigher = _WEIGHERS[name]
        multipliers = _class_multipliers(ctx, weigher, used_classes)
        distinct = {multipliers[class_id] for class_id in used_classes}
        if all(multiplier == 0 for multiplier, _ in distinct) and name != "MetricsWeigher":
            # Every score is 0 x normalised = 0 (NumInstancesWeigher by default); the metrics
            # weigher still runs because a missing required metric raises whatever the multiplier.
            continue
        raw = _raw_values(ctx, name, chosen, chosen_classes, multipliers)
        if raw is None:
            continue  # every host weighs 0 here: normalised to 0, adds nothing
        # numpy's float64 operations are Python's float operations, element by element, so the
        # weights equal Nova's own arithmetic exactly (ints become floats as Python's do).
        values = np.asarray(raw, dtype=np.float64)
        if weigher.minval is not None:
            # BaseWeigher.weigh_objects clamps with max(weight, minval).
            values = np.maximum(values, weigher.minval)
            low = float(weigher.minval)
        else:
            low = float(values.min())
        high = float(values.max())
        if low == high:
            continue  # weights.normalize: all equal -> all 0
        span = high - low
        normalized = values / span if low == 0.0 else (values - low) / span
        if len(distinct) == 1:
            multiplier, source = next(iter(distinct))
            if multiplier == 0:
                continue
            weights = weights + multiplier * normalized
            factors = [multiplier] * count
            sources = [source] * count
        else:
            factors = [multipliers[class_id][0] for class_id in chosen_classes]
            sources = [multipliers[class_id][1] for class_id in chosen_classes]
            weights = weights + np.asarray(factors, dtype=np.float64) * normalized
        if weigher.minval is not None:
            raw = list(map(max, raw, repeat(weigher.minval)))
        columns.append(WeigherColumn(name, raw, normalized.tolist(), factors, sources))
    return weights.tolist(), columns


def _values(hosts: list[HostState], attribute: str) -> list:
    return list(map(attrgetter(attribute), hosts))


def _picked(ctx: PreviewContext, attribute: str) -> np.ndarray | None:
    """The candidates' `attribute` from the cached host table, or None if some host lacks it.

    Only int and float columns: numpy's element-wise int64/float64 operations give the same
    numbers as Python's int/float ones for these magnitudes (the weights stay Nova's).
    """
    if None in ctx.table.column(attribute):
        return None
    values = ctx.table.array(attribute)
    if values.dtype.kind not in "if":
        return None
    return values[ctx.weighed]


def _or_zero(values: list) -> list:
    # Nova reads `value or 0` (an unknown I/O count, a missing hypervisor version).
    return [value or 0 for value in values] if None in values else values


def _fast_free_ram(ctx: PreviewContext, chosen: list[HostState]) -> list[float]:
    """free_ram_mb column-wise when no host overrides it or its reserve (the common case)."""
    given = _values(chosen, "free_ram_mb")
    reserved = _values(chosen, "reserved_host_memory_mb")
    if given.count(None) != len(given) or reserved.count(None) != len(reserved):
        return list(map(_free_ram(ctx), chosen))
    total, used = _picked(ctx, "memory_mb"), _picked(ctx, "memory_mb_used")
    if total is not None and used is not None:
        return ((total - ctx.config.reserved_host_memory_mb) - used).tolist()
    totals = map(sub, _values(chosen, "memory_mb"), repeat(ctx.config.reserved_host_memory_mb))
    return list(map(sub, totals, _values(chosen, "memory_mb_used")))


def _fast_free_disk(ctx: PreviewContext, chosen: list[HostState]) -> list[float]:
    """free_disk_mb column-wise when no host carries compute-node disk values or a reserve."""
    overrides = (
        _values(chosen, "free_disk_gb"),
        _values(chosen, "disk_available_least"),
        _values(chosen, "reserved_host_disk_mb"),
    )
    if any(values.count(None) != len(values) for values in overrides):
        return list(map(_free_disk(ctx), chosen))
    reserved_gb = ctx.config.reserved_host_disk_mb / 1024
    total, used = _picked(ctx, "local_gb"), _picked(ctx, "local_gb_used")
    if total is not None and used is not None:
        return ((total - (reserved_gb + used)) * 1024).tolist()
    used_gb = map(add, repeat(reserved_gb), _values(chosen, "local_gb_used"))
    free_gb = map(sub, _values(chosen, "local_gb"), used_gb)
    return list(map(mul, free_gb, repeat(1024)))


def _fast_free_vcpus(ctx: PreviewContext, chosen: list[HostState]) -> list[float]:
    """vcpus x ratio - used (used counting reserved_host_cpus) column-wise where possible."""
    ratios = _values(chosen, "cpu_allocation_ratio")
    reserved = _values(chosen, "reserved_host_cpus")
    node_ratios = _values(chosen, "node_cpu_allocation_ratio")
    if (
        None in ratios
        or reserved.count(None) != len(reserved)
        or node_ratios.count(None) != len(node_ratios)
    ):
        return list(map(_free_vcpus(ctx), chosen))
    vcpus, used_vcpus = _picked(ctx, "vcpus"), _picked(ctx, "vcpus_used")
    ratio = _picked(ctx, "cpu_allocation_ratio")
    if vcpus is not None and used_vcpus is not None and ratio is not None:
        return ((vcpus * ratio) - (used_vcpus + ctx.config.reserved_host_cpus)).tolist()
    capacity = map(mul, _values(chosen, "vcpus"), ratios)
    used = map(add, _values(chosen, "vcpus_used"), repeat(ctx.config.reserved_host_cpus))
    return list(map(sub, capacity, used))


def _raw_values(
    ctx: PreviewContext,
    name: str,
    chosen: list[HostState],
    chosen_classes: list[int],
    multipliers: dict[int, tuple[float, str]],
) -> list[float] | None:
    """Raw weigher values, or None where every candidate is certainly 0 (nothing to add)."""
    if name == "RAMWeigher":
        return _fast_free_ram(ctx, chosen)
    if name == "CPUWeigher":
        return _fast_free_vcpus(ctx, chosen)
    if name == "DiskWeigher":
        return _fast_free_disk(ctx, chosen)
    if name == "IoOpsWeigher":
        return _or_zero(_values(chosen, "num_io_ops"))
    if name == "NumInstancesWeigher":
        return _values(chosen, "num_instances")
    if name == "BuildFailureWeigher":
        return _values(chosen, "failed_builds")
    if name == "HypervisorVersionWeigher":
        return _or_zero(_values(chosen, "hypervisor_version"))
    if name == "PCIWeigher":
        # MAX_DEVS 100: fewer free devices weigh more; with no PCI anywhere all are 100.
        free = _values(chosen, "pci_free_devices")
        if not any(free):
            return None
        return [100 - min(count, 99) for count in free]
    if name in ("ServerGroupSoftAffinityWeigher", "ServerGroupSoftAntiAffinityWeigher"):
        policy, sign = (
            ("soft-affinity", 1)
            if name == "ServerGroupSoftAffinityWeigher"
            else ("soft-anti-affinity", -1)
        )
        members = _group_members(ctx, policy, sign)
        return None if members is None else list(map(members, chosen))
    if name == "MetricsWeigher":
        metric = _metrics(ctx, multipliers)
        if metric is None:
            return None
        return [
            metric(host, class_id) for host, class_id in zip(chosen, chosen_classes, strict=True)
        ]
    if name == "ImagePropertiesWeigher":
        if ctx.config.image_props_weight_multiplier != 0:
            ctx.warnings.append(
                "ImagePropertiesWeigher not evaluated: needs the image properties of the "
                "instances on each host"
            )
        return None
    # CrossCellWeigher: 0 for everything but cross-cell moves, which a create never is.
    return None
