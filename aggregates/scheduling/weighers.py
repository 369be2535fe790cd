"""Nova 34 weighers: raw value per candidate, min-max normalisation, per-aggregate multipliers."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import repeat

import numpy as np

from .context import PreviewContext
from .state import HostState


class WeigherColumn:
    """One weigher over the candidates: raw, normalised, multiplier (and its source), score.

    Kept as numpy columns (a multiplier and its source per class); lists are made when read,
    since most previews never read them.
    """

    __slots__ = ("name", "_raw", "_normalized", "_factors", "_sources", "_classes")

    def __init__(
        self,
        name: str,
        raw: np.ndarray | list,
        normalized: np.ndarray,
        factors: np.ndarray | float,
        sources: list[str] | str,
        classes: np.ndarray | None = None,
    ) -> None:
        self.name = name
        self._raw = raw
        self._normalized = normalized
        self._factors = factors  # per candidate, or one for all
        self._sources = sources  # per class id (with `classes`), or one for all
        self._classes = classes

    @property
    def raw(self) -> list[float]:
        return _as_list(self._raw)

    @property
    def normalized(self) -> list[float]:
        return self._normalized.tolist()

    @property
    def multipliers(self) -> list[float]:
        factors = self._factors
        if isinstance(factors, np.ndarray):
            return factors.tolist()
        return [factors] * len(self._normalized)

    @property
    def sources(self) -> list[str]:
        if self._classes is None:
            return [self._sources] * len(self._normalized)  # type: ignore[list-item]
        return list(map(self._sources.__getitem__, self._classes.tolist()))

    def at(self, position: int) -> tuple[float, float, float, str]:
        """(raw, normalised, multiplier, source) of the candidate at `position`."""
        factors, sources = self._factors, self._sources
        factor = factors[position] if isinstance(factors, np.ndarray) else factors
        source = sources if self._classes is None else sources[self._classes[position]]
        return (
            _item(self._raw[position]),
            float(self._normalized[position]),
            float(factor),
            source,  # type: ignore[return-value]
        )


def _item(value: object) -> float:
    return value.item() if isinstance(value, np.generic) else value  # type: ignore[return-value]


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


@dataclass(slots=True, frozen=True)
class _Multipliers:
    """A weigher's multiplier per aggregate class (utils.get_weight_multiplier), by class id."""

    factors: np.ndarray
    sources: list[str]  # "config" or the aggregate(s) whose value won
    source_codes: np.ndarray  # the sources as small ints, to compare column-wise
    warnings: dict[int, str]  # class id -> why its aggregates' values were ignored


def _class_multipliers(ctx: PreviewContext, weigher: _Weigher) -> _Multipliers | None:
    """Per class: the minimum float over its aggregates, else the option; None if no aggregate
    sets it (the option for all). Built once per cloud and option value (the host table's).
    """
    if weigher.option not in ctx.metadata_keys:
        return None
    option = _option(ctx, weigher)
    sign = -1.0 if weigher.negate else 1.0
    return ctx.table.cached(
        ("multipliers", weigher.option, option, sign),
        lambda: _build_multipliers(ctx, weigher.option, option, sign),
    )


def _build_multipliers(ctx: PreviewContext, key: str, option: float, sign: float) -> _Multipliers:
    count = len(ctx.classes)
    factors = np.empty(count)
    sources: list[str] = []
    warnings: dict[int, str] = {}
    for class_id in range(count):
        values = ctx.class_values(class_id, key)
        value, source = option, "config"
        if values:
            try:
                value = min(float(raw) for _, raw in values)
                source = ", ".join(name for name, raw in values if float(raw) == value)
            except ValueError:
                warnings[class_id] = (
                    f"aggregate {key} values {[raw for _, raw in values]} are not all "
                    f"numbers: Nova uses the option value {option}"
                )
        factors[class_id] = sign * value
        sources.append(source)
    code_of: dict[str, int] = {}
    codes = np.asarray([code_of.setdefault(source, len(code_of)) for source in sources])
    return _Multipliers(factors, sources, codes, warnings)


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
    ctx: PreviewContext, factors: np.ndarray | None
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
            multiplier = (
                factors[class_id] if factors is not None else config.metrics_weight_multiplier
            )
            if ratio * multiplier != 0:
                return config.metrics_weight_of_unavailable
        return value

    return raw


def weigh(ctx: PreviewContext, candidates: list[int]) -> tuple[list[float], list[WeigherColumn]]:
    """Weights of the candidate hosts (indices into ctx.hosts), summed as Nova's handler does."""
    weights, columns = weigh_array(ctx, candidates)
    return weights.tolist(), columns


# A weigher's raw values for the candidates (name, their class ids, the per-class multipliers).
RawOf = Callable[[str, np.ndarray, "np.ndarray | None"], "np.ndarray | list[float] | None"]


def weigh_array(
    ctx: PreviewContext, candidates: Sequence[int] | np.ndarray, raw_of: RawOf | None = None
) -> tuple[np.ndarray, list[WeigherColumn]]:
    """`weigh` with the weights as a numpy array; `raw_of` gives raw values read elsewhere
    (an incremental placement's, kept per host), else they are read from the hosts."""
    if raw_of is None:
        raw_of = partial(_raw_values, ctx)
    count = len(candidates)
    columns: list[WeigherColumn] = []
    if count <= 1:
        return np.zeros(count), columns  # a single host is not weighed
    weights = np.zeros(count)
    ctx.weighed = np.asarray(candidates, dtype=np.intp)
    chosen_classes = ctx.table.class_array[ctx.weighed]
    used = np.flatnonzero(np.bincount(chosen_classes))  # np.unique's answer, by counting
    used_classes = set(used.tolist())
    for name in ctx.config.weighers:
        weigher = _WEIGHERS[name]
        multipliers = _class_multipliers(ctx, weigher)
        if multipliers is None:
            constant = (-1.0 if weigher.negate else 1.0) * _option(ctx, weigher)
            single: tuple[float, str] | None = (constant, "config")
            factors = None
        else:
            for class_id, warning in multipliers.warnings.items():
                if class_id in used_classes:
                    ctx.warnings.append(warning)
            factors = multipliers.factors
            found, codes = factors[used], multipliers.source_codes[used]
            single = None
            if (found == found[0]).all() and (codes == codes[0]).all():
                single = (float(found[0]), multipliers.sources[int(used[0])])
        if name != "MetricsWeigher" and (
            not single[0] if single is not None else not factors[used].any()  # type: ignore[index]
        ):
            # Every score is 0 x normalised = 0 (NumInstancesWeigher by default); the metrics
            # weigher still runs because a missing required metric raises whatever the multiplier.
            continue
        raw = raw_of(name, chosen_classes, factors)
        if raw is None:
            continue  # every host weighs 0 here: normalised to 0, adds nothing
        # numpy's float64 operations are Python's float operations, element by element, so the
        # weights equal Nova's own arithmetic exactly (ints become floats as Python's do).
        values = np.asarray(raw, dtype=np.float64)
        if weigher.minval is not None:
            # BaseWeigher.weigh_objects clamps with max(weight, minval).
            if float(values.min()) < weigher.minval:
                values = np.maximum(values, weigher.minval)
                raw = list(map(max, _as_list(raw), repeat(weigher.minval)))
            low = float(weigher.minval)
        else:
            low = float(values.min())
        high = float(values.max())
        if low == high:
            continue  # weights.normalize: all equal -> all 0
        span = high - low
        normalized = values / span if low == 0.0 else (values - low) / span
        if single is not None:
            multiplier, source = single
            if multiplier == 0:
                continue
            weights += multiplier * normalized
            columns.append(WeigherColumn(name, raw, normalized, multiplier, source))
        else:
            factor_column = factors[chosen_classes]  # type: ignore[index]
            weights += factor_column * normalized
            columns.append(
                WeigherColumn(
                    name, raw, normalized, factor_column, multipliers.sources, chosen_classes
                )
            )
    return weights, columns


class NotColumnar(Exception):
    """A weigher whose raw values cannot be kept per host (they depend on the other hosts)."""


def raw_columns(
    ctx: PreviewContext, candidates: np.ndarray, names: Iterable[str] | None = None
) -> dict[str, np.ndarray | None]:
    """Every enabled weigher's (or those `names`) raw value per candidate, as weigh_array would
    read it; None for a weigher that weighs every host alike for this request whatever the hosts.

    Raises WeighingError as weigh_array would, and NotColumnar for the PCI weigher on a cloud
    with PCI devices (its "no host has free devices" depends on which hosts are weighed).
    """
    ctx.weighed = np.asarray(candidates, dtype=np.intp)
    chosen_classes = ctx.table.class_array[ctx.weighed]
    found: dict[str, np.ndarray | None] = {}
    for name in ctx.config.weighers if names is None else names:
        if name == "PCIWeigher" and any(ctx.table.column("pci_free_devices")):
            raise NotColumnar(name)
        multipliers = _class_multipliers(ctx, _WEIGHERS[name])
        factors = None if multipliers is None else multipliers.factors
        raw = _raw_values(ctx, name, chosen_classes, factors)
        found[name] = None if raw is None else np.asarray(raw, dtype=np.float64)
    return found


def _as_list(values: list | np.ndarray) -> list:
    return values.tolist() if isinstance(values, np.ndarray) else values


def _chosen(ctx: PreviewContext) -> list[HostState]:
    """The candidate hosts as objects, for the per-host paths (rare overrides, groups)."""
    hosts = ctx.hosts
    return [hosts[index] for index in ctx.weighed.tolist()]  # type: ignore[attr-defined]


def _unset(ctx: PreviewContext, *attributes: str) -> bool:
    """Whether no host of the cloud sets any of `attributes` (the column-wise case)."""
    table = ctx.table
    return all(table.none_count(attribute) == table.n for attribute in attributes)


def _picked(ctx: PreviewContext, attribute: str, default: object = None) -> np.ndarray:
    """The candidates' `attribute` from the cached host table, `default` where it is None.

    Only int and float columns: numpy's element-wise int64/float64 operations give the same
    numbers as Python's int/float ones for these magnitudes (the weights stay Nova's).
    """
    table = ctx.table
    if table.none_count(attribute):
        return table.filled(attribute, default)[ctx.weighed]
    return table.array(attribute)[ctx.weighed]


def _fast_free_ram(ctx: PreviewContext) -> np.ndarray | list[float]:
    """free_ram_mb column-wise when no host overrides it or its reserve (the common case)."""
    if not _unset(ctx, "free_ram_mb", "reserved_host_memory_mb"):
        return list(map(_free_ram(ctx), _chosen(ctx)))
    total, used = _picked(ctx, "memory_mb"), _picked(ctx, "memory_mb_used")
    return (total - ctx.config.reserved_host_memory_mb) - used


def _fast_free_disk(ctx: PreviewContext) -> np.ndarray | list[float]:
    """free_disk_mb column-wise when no host carries compute-node disk values or a reserve."""
    if not _unset(ctx, "free_disk_gb", "disk_available_least", "reserved_host_disk_mb"):
        return list(map(_free_disk(ctx), _chosen(ctx)))
    reserved_gb = ctx.config.reserved_host_disk_mb / 1024
    total, used = _picked(ctx, "local_gb"), _picked(ctx, "local_gb_used")
    return (total - (reserved_gb + used)) * 1024


def _fast_free_vcpus(ctx: PreviewContext) -> np.ndarray | list[float]:
    """vcpus x ratio - used (used counting reserved_host_cpus) column-wise where possible."""
    if ctx.table.none_count("cpu_allocation_ratio") or not _unset(
        ctx, "reserved_host_cpus", "node_cpu_allocation_ratio"
    ):
        return list(map(_free_vcpus(ctx), _chosen(ctx)))
    vcpus, used_vcpus = _picked(ctx, "vcpus"), _picked(ctx, "vcpus_used")
    ratio = _picked(ctx, "cpu_allocation_ratio")
    return (vcpus * ratio) - (used_vcpus + ctx.config.reserved_host_cpus)


def _raw_values(
    ctx: PreviewContext,
    name: str,
    chosen_classes: np.ndarray,
    factors: np.ndarray | None,
) -> np.ndarray | list[float] | None:
    """Raw weigher values, or None where every candidate is certainly 0 (nothing to add)."""
    if name == "RAMWeigher":
        return _fast_free_ram(ctx)
    if name == "CPUWeigher":
        return _fast_free_vcpus(ctx)
    if name == "DiskWeigher":
        return _fast_free_disk(ctx)
    if name == "IoOpsWeigher":
        return _picked(ctx, "num_io_ops", 0)  # Nova reads `value or 0`
    if name == "NumInstancesWeigher":
        return _picked(ctx, "num_instances")
    if name == "BuildFailureWeigher":
        return _picked(ctx, "failed_builds")
    if name == "HypervisorVersionWeigher":
        return _picked(ctx, "hypervisor_version", 0)
    if name == "PCIWeigher":
        # MAX_DEVS 100: fewer free devices weigh more; with no PCI anywhere all are 100.
        if not any(ctx.table.column("pci_free_devices")):
            return None
        free = [host.pci_free_devices for host in _chosen(ctx)]
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
        return None if members is None else list(map(members, _chosen(ctx)))
    if name == "MetricsWeigher":
        metric = _metrics(ctx, factors)
        if metric is None:
            return None
        return list(map(metric, _chosen(ctx), chosen_classes.tolist()))
    if name == "ImagePropertiesWeigher":
        if ctx.config.image_props_weight_multiplier != 0:
            ctx.warnings.append(
                "ImagePropertiesWeigher not evaluated: needs the image properties of the "
                "instances on each host"
            )
        return None
    # CrossCellWeigher: 0 for everything but cross-cell moves, which a create never is.
    return None
