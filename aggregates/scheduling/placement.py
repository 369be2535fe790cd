"""The Placement step: destination, flavor traits and capacity per class, and slots per host."""

from __future__ import annotations

from itertools import repeat

import numpy as np

from .config import SchedulerConfig
from .context import Column, PreviewContext
from .resources import DISK_GB, MEMORY_MB, VCPU, ceil_gb
from .results import StepResult
from .state import HostState, Inventory

STEP = "Placement"
_UNITS = {MEMORY_MB: " MB", DISK_GB: " GB"}
UNBOUNDED = 1 << 62


def _num(number: float) -> str:
    return f"{number:g}" if isinstance(number, float) else str(number)


def check_inventory(rc: str, amount: int, inventory: Inventory | None) -> tuple[str | None, int]:
    """(why the class does not fit or None, instances that fit) by the §5.2 fit rule."""
    if inventory is None:
        return f"{rc}: the provider has no {rc} inventory", 0
    return fit(
        rc,
        amount,
        inventory.total,
        inventory.reserved,
        inventory.allocation_ratio,
        inventory.used,
        inventory.min_unit,
        inventory.total if inventory.max_unit is None else inventory.max_unit,
        inventory.step_size,
    )


def fit(
    rc: str,
    amount: int,
    total: int,
    reserved: int,
    ratio: float,
    used: int,
    min_unit: int = 1,
    max_unit: int | None = None,
    step_size: int = 1,
) -> tuple[str | None, int]:
    """Placement's test for one class: used + amount <= (total - reserved) x ratio, units."""
    capacity = (total - reserved) * ratio
    unit = _UNITS.get(rc, "")
    if used + amount > capacity:
        return (
            f"{rc}: need {amount}{unit}, free {_num(capacity - used)} of "
            f"({total}\u2212{reserved})\u00d7{_num(ratio)} (used {used})",
            0,
        )
    max_unit = total if max_unit is None else max_unit
    if amount > max_unit or amount < min_unit:
        return f"{rc}: {amount}{unit} is more than max_unit {max_unit} (a single request)", 0
    if amount % step_size:
        return f"{rc}: {amount} is not a multiple of step_size {step_size}", 0
    return None, int((capacity - used) // amount)


class _Class:
    """How one standard class reads from a HostState, and the config default for unset values."""

    __slots__ = (
        "rc",
        "bit",
        "total",
        "reserved",
        "ratio",
        "used",
        "reserved_default",
        "ratio_default",
    )

    def __init__(
        self,
        rc: str,
        bit: int,
        attributes: tuple[str, str, str, str],
        reserved_default: int,
        ratio_default: float,
    ) -> None:
        self.rc = rc
        self.bit = bit
        self.total, self.reserved, self.ratio, self.used = attributes
        self.reserved_default = reserved_default
        self.ratio_default = ratio_default

    def inventory(self, host: HostState) -> tuple[int, int, float, int]:
        reserved = getattr(host, self.reserved)
        ratio = getattr(host, self.ratio)
        if self.rc == DISK_GB:
            reserved = self.reserved_default if reserved is None else ceil_gb(reserved)
        elif reserved is None:
            reserved = self.reserved_default
        return (
            getattr(host, self.total),
            reserved,
            self.ratio_default if ratio is None else ratio,
            getattr(host, self.used),
        )


def _classes(config: SchedulerConfig) -> list[_Class]:

    def ratio(option: float | None, initial: float) -> float:
        return option if option is not None else initial

    return [
        _Class(
            VCPU,
            1,
            ("vcpus", "reserved_host_cpus", "cpu_allocation_ratio", "vcpus_used"),
            config.reserved_host_cpus,
            ratio(config.cpu_allocation_ratio, config.initial_cpu_allocation_ratio),
        ),
        _Class(
            MEMORY_MB,
            2,
            ("memory_mb", "reserved_host_memory_mb", "ram_allocation_ratio", "memory_mb_used"),
            config.reserved_host_memory_mb,
            ratio(config.ram_allocation_ratio, config.initial_ram_allocation_ratio),
        ),
        _Class(
            DISK_GB,
            4,
            ("local_gb", "reserved_host_disk_mb", "disk_allocation_ratio", "local_gb_used"),
            ceil_gb(config.reserved_host_disk_mb),
            ratio(config.disk_allocation_ratio, config.initial_disk_allocation_ratio),
        ),
    ]


class ShortfallColumn(list):
    """Placement's per-host results when only capacity can fail, the failures made when read.

    Thousands of full hosts fail in a large cloud and most are never read one by one, so the
    list holds the shared pass everywhere; a failing host's CapacityShortfall (with its
    numbers) is made on first access. `failed` is the failing hosts as a bool array.
    """

    __slots__ = ("failed", "passed", "_hosts", "_masks", "_request", "_made")

    def __init__(self, passed: StepResult, masks: np.ndarray, hosts, request) -> None:
        super().__init__(repeat(passed, len(masks)))
        self.passed = passed
        self.failed = masks != 0
        self._hosts, self._masks, self._request = hosts, masks, request
        self._made: dict[int, CapacityShortfall] = {}

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[position] for position in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not self.failed[index]:
            return self.passed
        made = self._made.get(index)
        if made is None:
            made = self._made[index] = CapacityShortfall(
                (self._hosts[index], int(self._masks[index]), self._request)
            )
        return made

    def __iter__(self):
        return map(self.__getitem__, range(len(self)))


class CapacityShortfall(tuple):
    """A Placement failure for capacity, read like a StepResult; its reason, with the numbers,
    is formatted when read.

    A bare (host, mask, request) tuple, compared and hashed by identity as StepResults are.
    """

    __slots__ = ()
    __hash__ = object.__hash__
    __eq__ = object.__eq__  # type: ignore[assignment]
    name = STEP
    passed = False
    error = False

    @property
    def reason(self) -> str:
        host, mask, (classes, wants) = self
        return "; ".join(_capacity_reasons(host, classes, mask, wants))

    def to_dict(self) -> dict[str, object]:
        return StepResult(STEP, False, self.reason).to_dict()


def _capacity_reasons(
    host: HostState, classes: list[_Class], mask: int, wants: tuple[int, int, int]
) -> list[str]:
    """Why the standard classes in `mask` do not fit `host`, with the numbers."""
    reasons = []
    for spec, amount in zip(classes, wants, strict=True):
        if amount and mask & spec.bit:
            reason, _ = fit(spec.rc, amount, *spec.inventory(host))
            if reason:
                reasons.append(reason)
    return reasons


# Per standard class: total, used, reserved and ratio attributes, and the reserve's conversion
# (reserved_host_disk_mb counts in GB rounded up).
_COLUMNS = (
    ("vcpus", "vcpus_used", "reserved_host_cpus", "cpu_allocation_ratio", None),
    ("memory_mb", "memory_mb_used", "reserved_host_memory_mb", "ram_allocation_ratio", None),
    ("local_gb", "local_gb_used", "reserved_host_disk_mb", "disk_allocation_ratio", ceil_gb),
)


def _capacity(
    ctx: PreviewContext, classes: list[_Class], wants: tuple[int, int, int]
) -> tuple[np.ndarray, np.ndarray | list[None]]:
    """Per host: the bit mask of standard classes that do not fit, and how often the request fits.

    Column-wise on numpy arrays, with Placement's own comparison (used + amount <= capacity)
    and max_unit = total for the standard classes. float64 holds these integers exactly, so
    the comparisons and floor divisions are Python's.
    """
    hosts = ctx.hosts
    n = len(hosts)
    masks = np.zeros(n, dtype=np.int64)
    fits = np.full(n, np.inf)
    for bit, (want, spec, (total_of, used_of, reserved_of, ratio_of, convert)) in enumerate(
        zip(wants, classes, _COLUMNS, strict=True)
    ):
        if not want:
            continue
        total = _column(ctx, total_of, None, None)
        reserved = _column(ctx, reserved_of, spec.reserved_default, convert)
        ratio = _column(ctx, ratio_of, spec.ratio_default, None)
        used = _column(ctx, used_of, None, None)
        capacity = (total - reserved) * ratio
        bad = (used + want > capacity) | (want > total)
        masks |= bad.astype(np.int64) << bit
        room = capacity - used
        # floor(room / want) is room // want for these magnitudes (below 2**53, integer want:
        # the quotient's rounding never crosses an integer) and numpy's float // is slow.
        times = room // want if room.dtype.kind == "i" else np.floor(room / want)
        fits = np.minimum(fits, np.where(bad, np.inf, times))
    if not any(wants):
        return masks, [None] * n
    fits[masks != 0] = 0  # failing hosts take no instance
    return masks, fits.astype(np.int64)


def _column(
    ctx: PreviewContext, attribute: str, default: object, convert: object
) -> np.ndarray | object:
    """One attribute of every host as an array; `default` where it is None (a scalar if all).

    Columns without None come from the cached host table (built once per cloud).
    """
    table = ctx.table
    if default is None or (convert is None and not table.none_count(attribute)):
        return table.array(attribute)
    if table.none_count(attribute) == table.n:
        return default
    return table.filled(attribute, default, convert)


def capacity(host: HostState, config: SchedulerConfig) -> dict[str, int]:
    """Placement's capacity of each standard class, (total - reserved) x ratio, floored."""
    found = {}
    for cls in _classes(config):
        total, reserved, ratio, _ = cls.inventory(host)
        found[cls.rc] = int((total - reserved) * ratio)
    return found


def placement_step(ctx: PreviewContext) -> tuple[Column, np.ndarray | list[int | None]]:
    """Placement's verdict per host (§5.2, §8 step 4) and the instances that still fit.

    The slots are an int array when every host's count is bounded, else a list with None.
    """
    hosts = ctx.hosts
    request = ctx.resource_request
    resources = dict(request.resources)
    wants = (resources.pop(VCPU, 0), resources.pop(MEMORY_MB, 0), resources.pop(DISK_GB, 0))
    others = sorted(resources.items())
    asked = ", ".join(f"{rc}={amount}" for rc, amount in sorted(request.resources.items()))
    passed = StepResult(STEP, True, f"fits {asked}" if asked else "no resources requested")
    classes = _classes(ctx.config)
    n = len(hosts)

    masks, slots = _capacity(ctx, classes, wants)
    simple = not (others or request.required_traits or request.forbidden_traits)
    simple = simple and ctx.destination is None
    if simple:
        if not masks.any():
            return passed, slots
        results = ShortfallColumn(passed, masks, hosts, (classes, wants))
        return results, slots  # failing hosts already have 0 slots

    masks = masks.tolist()
    slots = slots if isinstance(slots, list) else slots.tolist()
    results = [passed] * n
    any_failed = False
    for index, host in enumerate(hosts):
        reasons = _placement_reasons(ctx, host)
        capacity = _capacity_reasons(host, classes, masks[index], wants)
        inventories = host.inventories or {}
        extra = []
        fits = UNBOUNDED if slots[index] is None else slots[index]
        for rc, amount in others:
            reason, count = check_inventory(rc, amount, inventories.get(rc))
            if reason:
                extra.append(reason)
            fits = min(fits, count)  # type: ignore[type-var]
        reasons += capacity + extra
        if reasons:
            any_failed = True
            results[index] = StepResult(STEP, False, "; ".join(reasons))
            slots[index] = 0
        else:
            slots[index] = None if fits == UNBOUNDED else fits
    if (request.required_traits or request.forbidden_traits) and any(
        host.traits is None for host in hosts
    ):
        wanted = sorted(request.required_traits) + [
            f"!{t}" for t in sorted(request.forbidden_traits)
        ]
        ctx.warnings.append(
            f"Placement: traits {', '.join(wanted)} not checked on hosts without trait data"
        )
    return (results if any_failed else passed), slots


def _placement_reasons(ctx: PreviewContext, host: HostState) -> list[str]:
    """Destination and trait reasons Placement would not return this host (§8 step 4 order)."""
    reasons: list[str] = []
    destination = ctx.destination
    if destination is not None:
        node = host.hypervisor_hostname or host.name
        # host_manager matches forced hosts case-insensitively, nodes exactly.
        if destination.host is not None and destination.host.lower() != host.name.lower():
            reasons.append(f"not the requested host {destination.host!r}")
        if destination.node is not None and destination.node != node:
            reasons.append(f"not the requested node {destination.node!r}")
    request = ctx.resource_request
    traits = host.traits
    if traits is not None:
        missing = sorted(request.required_traits - traits)
        present = sorted(request.forbidden_traits & traits)
        if missing:
            reasons.append(f"provider lacks required trait {', '.join(missing)}")
        if present:
            reasons.append(f"provider has forbidden trait {', '.join(present)}")
    return reasons
