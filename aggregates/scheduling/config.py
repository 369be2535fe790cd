"""Scheduler configuration under Nova 34's own option names, with Nova's defaults and checks."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Filters removed from Nova, named in the error so an operator knows why (§5.1, §9.1).
REMOVED_FILTERS = {
    "AvailabilityZoneFilter": "removed in Nova 28.0.0; zones are applied by the "
    "map_az_to_placement_aggregate pre-filter",
    "RamFilter": "removed in Nova 20.0.0 (Train); Placement decides capacity",
    "CoreFilter": "removed in Nova 20.0.0 (Train); Placement decides capacity",
    "DiskFilter": "removed in Nova 22.0.0 (Victoria); Placement decides capacity",
    "RetryFilter": "removed in Nova 23.0.0 (Wallaby)",
    "AggregateCoreFilter": "removed in Nova 22.0.0 (Victoria)",
    "AggregateRamFilter": "removed in Nova 22.0.0 (Victoria)",
    "AggregateDiskFilter": "removed in Nova 22.0.0 (Victoria)",
}

DEFAULT_ENABLED_FILTERS = (
    "ComputeFilter",
    "ComputeCapabilitiesFilter",
    "ImagePropertiesFilter",
    "ServerGroupAntiAffinityFilter",
    "ServerGroupAffinityFilter",
)

# nova-scheduling.md §6: nova.scheduler.weights.all_weighers (13 classes). Nova loads them in
# directory-walk order; module-name order is used here (only the last float bits can differ).
ALL_WEIGHERS = (
    "ServerGroupSoftAffinityWeigher",
    "ServerGroupSoftAntiAffinityWeigher",
    "BuildFailureWeigher",
    "CPUWeigher",
    "CrossCellWeigher",
    "DiskWeigher",
    "HypervisorVersionWeigher",
    "ImagePropertiesWeigher",
    "IoOpsWeigher",
    "MetricsWeigher",
    "NumInstancesWeigher",
    "PCIWeigher",
    "RAMWeigher",
)
ALL_WEIGHERS_ALIAS = "nova.scheduler.weights.all_weighers"
ALL_FILTERS_ALIAS = "nova.scheduler.filters.all_filters"

# os-arch's list, the choices of image_properties_default_architecture.
ARCHITECTURES = frozenset(
    [
        "alpha",
        "armv6",
        "armv7l",
        "armv7b",
        "aarch64",
        "cris",
        "i686",
        "ia64",
        "lm32",
        "m68k",
        "microblaze",
        "microblazeel",
        "mips",
        "mipsel",
        "mips64",
        "mips64el",
        "openrisc",
        "parisc",
        "parisc64",
        "ppc",
        "ppcle",
        "ppc64",
        "ppc64le",
        "ppcemb",
        "s390",
        "s390x",
        "sh4",
        "sh4eb",
        "sparc",
        "sparc64",
        "unicore32",
        "x86_64",
        "xtensa",
        "xtensaeb",
    ]
)


class SchedulerConfigError(ValueError):
    """A scheduler option Nova would refuse; `key` names the option."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key
        self.message = message


@dataclass(slots=True, frozen=True)
class SchedulerConfig:
    """The nova.conf options the scheduling decision depends on, defaulting to Nova 34's values.

    Fields are named like Nova's options; the `[metrics]` group is prefixed `metrics_`.
    """

    # [filter_scheduler]
    enabled_filters: tuple[str, ...] = DEFAULT_ENABLED_FILTERS
    available_filters: tuple[str, ...] = (ALL_FILTERS_ALIAS,)
    weight_classes: tuple[str, ...] = (ALL_WEIGHERS_ALIAS,)
    host_subset_size: int = 1
    shuffle_best_same_weighed_hosts: bool = False
    max_instances_per_host: int = 50
    max_io_ops_per_host: int = 8
    ram_weight_multiplier: float = 1.0
    cpu_weight_multiplier: float = 1.0
    disk_weight_multiplier: float = 1.0
    io_ops_weight_multiplier: float = -1.0
    num_instances_weight_multiplier: float = 0.0
    hypervisor_version_weight_multiplier: float = 1.0
    image_props_weight_multiplier: float = 0.0
    image_props_weight_setting: tuple[str, ...] = ()
    pci_weight_multiplier: float = 1.0
    soft_affinity_weight_multiplier: float = 1.0
    soft_anti_affinity_weight_multiplier: float = 1.0
    build_failure_weight_multiplier: float = 1000000.0
    cross_cell_move_weight_multiplier: float = 1000000.0
    image_properties_default_architecture: str | None = None
    isolated_images: tuple[str, ...] = ()
    isolated_hosts: tuple[str, ...] = ()
    restrict_isolated_hosts_to_isolated_images: bool = True
    aggregate_image_properties_isolation_namespace: str | None = None
    aggregate_image_properties_isolation_separator: str = "."
    # [scheduler]
    max_placement_results: int = 1000
    limit_tenants_to_placement_aggregate: bool = False
    placement_aggregate_required_for_tenants: bool = False
    query_placement_for_image_type_support: bool = False
    enable_isolated_aggregate_filtering: bool = False
    image_metadata_prefilter: bool = False
    query_placement_for_routed_network_aggregates: bool = False
    # [metrics]
    metrics_weight_multiplier: float = 1.0
    metrics_weight_setting: tuple[str, ...] = ()
    metrics_required: bool = True
    metrics_weight_of_unavailable: float = -10000.0
    # [DEFAULT] (compute nodes; each host's own Placement values win when known)
    cpu_allocation_ratio: float | None = None
    ram_allocation_ratio: float | None = None
    disk_allocation_ratio: float | None = None
    initial_cpu_allocation_ratio: float = 4.0
    initial_ram_allocation_ratio: float = 1.0
    initial_disk_allocation_ratio: float = 1.0
    reserved_host_cpus: int = 0
    reserved_host_memory_mb: int = 512
    reserved_host_disk_mb: int = 0
    default_availability_zone: str = "nova"
    internal_service_availability_zone: str = "internal"
    default_schedule_zone: str | None = None

    def __post_init__(self) -> None:
        _check_filters(self.enabled_filters, self.available_filters)
        _check_weighers(self.weight_classes)
        for field in dataclasses.fields(self):
            rule = _MINIMUM.get(field.name)
            value = getattr(self, field.name)
            if rule is not None and value is not None and value < rule:
                raise SchedulerConfigError(field.name, f"must be >= {rule}, got {value!r}")
        arch = self.image_properties_default_architecture
        if arch is not None and arch not in ARCHITECTURES:
            raise SchedulerConfigError(
                "image_properties_default_architecture", f"{arch!r} is not a valid architecture"
            )
        _parse_weight_setting("image_props_weight_setting", self.image_props_weight_setting)
        _parse_weight_setting("metrics_weight_setting", self.metrics_weight_setting)

    @property
    def weighers(self) -> tuple[str, ...]:
        """The weigher class names in effect, in evaluation order."""
        names: list[str] = []
        for entry in self.weight_classes:
            if entry == ALL_WEIGHERS_ALIAS:
                names.extend(ALL_WEIGHERS)
            else:
                names.append(entry.rsplit(".", 1)[-1])
        return tuple(names)

    @property
    def image_props_weights(self) -> dict[str, float]:
        return dict(
            _parse_weight_setting("image_props_weight_setting", self.image_props_weight_setting)
        )

    @property
    def metrics_weights(self) -> list[tuple[str, float]]:
        return _parse_weight_setting("metrics_weight_setting", self.metrics_weight_setting)


_MINIMUM: dict[str, float] = {
    "host_subset_size": 1,
    "max_instances_per_host": 1,
    "max_io_ops_per_host": 0,
    "max_placement_results": 1,
    "pci_weight_multiplier": 0.0,
    "soft_affinity_weight_multiplier": 0.0,
    "soft_anti_affinity_weight_multiplier": 0.0,
    "cpu_allocation_ratio": 0.0,
    "ram_allocation_ratio": 0.0,
    "disk_allocation_ratio": 0.0,
    "initial_cpu_allocation_ratio": 0.0,
    "initial_ram_allocation_ratio": 0.0,
    "initial_disk_allocation_ratio": 0.0,
    "reserved_host_cpus": 0,
    "reserved_host_memory_mb": 0,
    "reserved_host_disk_mb": 0,
}


def available_filters() -> frozenset[str]:
    """The names `enabled_filters` may hold: the engine's filter table, which models every class
    of nova.scheduler.filters.all_filters in Nova 34 (nova-scheduling.md §5.1)."""
    from .filters import FILTERS  # imported late: filters -> context -> this module

    return frozenset(FILTERS)


def __getattr__(name: str) -> Any:
    if name == "AVAILABLE_FILTERS":  # the vocabulary as a constant, derived from the table
        return available_filters()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _check_filters(enabled: tuple[str, ...], available: tuple[str, ...]) -> None:
    for entry in available:
        if entry != ALL_FILTERS_ALIAS:
            raise SchedulerConfigError(
                "available_filters", f"only {ALL_FILTERS_ALIAS} can be modelled, got {entry!r}"
            )
    for name in enabled:
        if name in available_filters():
            continue
        why = REMOVED_FILTERS.get(name)
        # nova-scheduling.md §5.1: Nova refuses to start with SchedulerHostFilterNotFound.
        detail = f" ({why})" if why else ""
        raise SchedulerConfigError(
            "enabled_filters", f"SchedulerHostFilterNotFound: filter {name} not found{detail}"
        )


def _check_weighers(weight_classes: tuple[str, ...]) -> None:
    for entry in weight_classes:
        if entry == ALL_WEIGHERS_ALIAS:
            continue
        if entry.rsplit(".", 1)[-1] not in ALL_WEIGHERS:
            raise SchedulerConfigError("weight_classes", f"ClassNotFound: {entry}")


def _parse_weight_setting(key: str, entries: tuple[str, ...]) -> list[tuple[str, float]]:
    # nova.scheduler.utils.parse_options: "name=ratio" items; Nova logs and skips bad ones,
    # the preview refuses them so the operator sees the mistake.
    parsed = []
    for entry in entries:
        name, sep, ratio = entry.partition("=")
        try:
            value = float(ratio)
        except ValueError:
            value = math.nan
        if not sep or not name.strip() or math.isnan(value):
            raise SchedulerConfigError(key, f"{entry!r} is not of the form name=number")
        parsed.append((name.strip(), value))
    return parsed


_TRUE = frozenset({"1", "t", "true", "on", "y", "yes"})
_FALSE = frozenset({"0", "f", "false", "off", "n", "no"})


def _coerce(key: str, kind: Any, optional: bool, raw: object) -> object:
    if raw is None:
        if optional:
            return None
        raise SchedulerConfigError(key, "must not be empty")
    if kind is bool:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.strip().lower() in _TRUE | _FALSE:
            return raw.strip().lower() in _TRUE
        raise SchedulerConfigError(key, f"{raw!r} is not a boolean")
    if kind is int:
        if isinstance(raw, bool):
            raise SchedulerConfigError(key, f"{raw!r} is not an integer")
        if isinstance(raw, int):
            return raw
        if isinstance(raw, str):
            try:
                return int(raw.strip())
            except ValueError:
                pass
        raise SchedulerConfigError(key, f"{raw!r} is not an integer")
    if kind is float:
        if isinstance(raw, bool):
            raise SchedulerConfigError(key, f"{raw!r} is not a number")
        if isinstance(raw, int | float):
            value = float(raw)
        elif isinstance(raw, str):
            try:
                value = float(raw.strip())
            except ValueError as exc:
                raise SchedulerConfigError(key, f"{raw!r} is not a number") from exc
        else:
            raise SchedulerConfigError(key, f"{raw!r} is not a number")
        if math.isnan(value) or math.isinf(value):
            raise SchedulerConfigError(key, f"{raw!r} is not a finite number")
        return value
    if kind is str:
        if isinstance(raw, str):
            return raw
        raise SchedulerConfigError(key, f"{raw!r} is not a string")
    # tuple[str, ...]: oslo ListOpt accepts "a, b" as well as a list.
    if isinstance(raw, str):
        return tuple(item.strip() for item in raw.split(",") if item.strip())
    if isinstance(raw, list | tuple) and all(isinstance(item, str) for item in raw):
        return tuple(item.strip() for item in raw)
    raise SchedulerConfigError(key, f"{raw!r} is not a list of strings")


def _field_kinds() -> dict[str, tuple[Any, bool]]:
    kinds: dict[str, tuple[Any, bool]] = {}
    for field in dataclasses.fields(SchedulerConfig):
        annotation = str(field.type)
        optional = "None" in annotation
        if annotation.startswith("tuple"):
            kind: Any = tuple
        elif annotation.startswith("bool"):
            kind = bool
        elif annotation.startswith("int"):
            kind = int
        elif annotation.startswith("float"):
            kind = float
        else:
            kind = str
        kinds[field.name] = (kind, optional)
    return kinds


_KINDS = _field_kinds()


def scheduler_config_from_options(options: Mapping[str, object]) -> SchedulerConfig:
    """Validate a flat dict of Nova option names and values; raises SchedulerConfigError."""
    values: dict[str, object] = {}
    for key, raw in options.items():
        if key not in _KINDS:
            raise SchedulerConfigError(key, "unknown scheduler option")
        kind, optional = _KINDS[key]
        values[key] = _coerce(key, kind, optional, raw)
    return SchedulerConfig(**values)  # type: ignore[arg-type]


DEFAULT_CONFIG = SchedulerConfig()
