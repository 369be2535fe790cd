"""The Placement step: destination, flavor traits and capacity per class, and slots per host."""

from __future__ import annotations

import math

from .context import Column, PreviewContext
from .resources import DISK_GB, MEMORY_MB, VCPU, ceil_gb
from .results import StepResult
from .state import HostState, Inventory

STEP = "Placement"


def _fmt(number: float) -> str:
    return f"{number:g}" if isinstance(number, float) else str(number)


def _capacity_reason(
    rc: str, amount: int, used: int, total: int, reserved: int, ratio: float
) -> str:
    capacity = (total - reserved) * ratio
    unit = {"MEMORY_MB": " MB", "DISK_GB": " GB"}.get(rc, "")
    return (
        f"{rc}: need {amount}{unit}, free {_fmt(capacity - used)} of "
        f"({total}\u2212{reserved})\u00d7{_fmt(ratio)} (used {used})"
    )


def _check_inventory(rc: str, amount: int, inventory: Inventory | None) -> tuple[str | None, float]:
    """(failure reason or None, instances that fit) for one resource class (§5.2 fit rule)."""
    if inventory is None:
        return f"{rc}: the provider has no {rc} inventory", 0
    total = inventory.total
    max_unit = total if inventory.max_unit is None else inventory.max_unit
    capacity = (total - inventory.reserved) * inventory.allocation_ratio
    fits = math.floor((capacity - inventory.used) / amount)
    if inventory.used + amount > capacity:
        return (
            _capacity_reason(
                rc, amount, inventory.used, total, inventory.reserved, inventory.allocation_ratio
            ),
            0,
        )
    if amount > max_unit or amount < inventory.min_unit:
        return f"{rc}: {amount} is outside min_unit {inventory.min_unit}..max_unit {max_unit}", 0
    if amount % inventory.step_size:
        return f"{rc}: {amount} is not a multiple of step_size {inventory.step_size}", 0
    return None, fits


def placement_step(ctx: PreviewContext) -> tuple[Column, list[int | None]]:
    """Placement's verdict per host (§5.2, §8 step 4) and the instances that still fit."""
    config = ctx.config
    request = ctx.resource_request
    resources = dict(request.resources)
    want_vcpu = resources.pop(VCPU, 0)
    want_ram = resources.pop(MEMORY_MB, 0)
    want_disk = resources.pop(DISK_GB, 0)
    others = sorted(resources.items())
    asked = ", ".join(f"{rc}={amount}" for rc, amount in sorted(request.resources.items()))
    passed = StepResult(STEP, True, f"fits {asked}" if asked else "no resources requested")

    def_rc = config.reserved_host_cpus
    def_rm = config.reserved_host_memory_mb
    def_rd = config.reserved_host_disk_mb
    def_ac = (
        config.cpu_allocation_ratio
        if config.cpu_allocation_ratio is not None
        else config.initial_cpu_allocation_ratio
    )
    def_am = (
        config.ram_allocation_ratio
        if config.ram_allocation_ratio is not None
        else config.initial_ram_allocation_ratio
    )
    def_ad = (
        config.disk_allocation_ratio
        if config.disk_allocation_ratio is not None
        else config.initial_disk_allocation_ratio
    )
    unbounded = 1 << 62
    simple = not others and not request.required_traits and not request.forbidden_traits
    simple = simple and ctx.destination is None
    results: list[StepResult] = []
    slots: list[int | None] = []
    push = results.append
    push_slots = slots.append
    floor = math.floor
    for host in ctx.hosts:
        fits = unbounded
        failed = False
        if want_vcpu:
            reserved = host.reserved_host_cpus
            if reserved is None:
                reserved = def_rc
            ratio = host.cpu_allocation_ratio
            if ratio is None:
                ratio = def_ac
            free = (host.vcpus - reserved) * ratio - host.vcpus_used
            if free < want_vcpu or want_vcpu > host.vcpus:
                failed = True
            else:
                fits = floor(free / want_vcpu)
        if want_ram:
            reserved = host.reserved_host_memory_mb
            if reserved is None:
                reserved = def_rm
            ratio = host.ram_allocation_ratio
            if ratio is None:
                ratio = def_am
            free = (host.memory_mb - reserved) * ratio - host.memory_mb_used
            if free < want_ram or want_ram > host.memory_mb:
                failed = True
            else:
                count = floor(free / want_ram)
                if count < fits:
                    fits = count
        if want_disk:
            reserved = host.reserved_host_disk_mb
            reserved = ceil_gb(def_rd if reserved is None else reserved)
            ratio = host.disk_allocation_ratio
            if ratio is None:
                ratio = def_ad
            free = (host.local_gb - reserved) * ratio - host.local_gb_used
            if free < want_disk or want_disk > host.local_gb:
                failed = True
            else:
                count = floor(free / want_disk)
                if count < fits:
                    fits = count
        if simple and not failed:
            push(passed)
            push_slots(None if fits == unbounded else fits)
            continue
        reasons = _host_reasons(ctx, host, others, want_vcpu, want_ram, want_disk)
        if reasons:
            push(StepResult(STEP, False, "; ".join(reasons)))
            push_slots(0)
        else:
            for rc, amount in others:
                _, count = _check_inventory(rc, amount, (host.inventories or {}).get(rc))
                fits = min(fits, int(count))
            push(passed)
            push_slots(None if fits == unbounded else fits)
    if (request.required_traits or request.forbidden_traits) and any(
        host.traits is None for host in ctx.hosts
    ):
        wanted = sorted(request.required_traits) + [
            f"!{t}" for t in sorted(request.forbidden_traits)
        ]
        ctx.warnings.append(
            f"Placement: traits {', '.join(wanted)} not checked on hosts without trait data"
        )
    if all(result is passed for result in results):
        return passed, slots
    return results, slots


def _host_reasons(
    ctx: PreviewContext,
    host: HostState,
    others: list[tuple[str, int]],
    want_vcpu: int,
    want_ram: int,
    want_disk: int,
) -> list[str]:
    """Every reason Placement would not return this host, in §8 step 4 order."""
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
    if request.required_traits or request.forbidden_traits:
        traits = host.traits
        if traits is not None:
            missing = sorted(request.required_traits - traits)
            present = sorted(request.forbidden_traits & traits)
            if missing:
                reasons.append(f"provider lacks required trait {', '.join(missing)}")
            if present:
                reasons.append(f"provider has forbidden trait {', '.join(present)}")
    config = ctx.config
    checks = []
    if want_vcpu:
        ratio = host.cpu_allocation_ratio
        if ratio is None:
            ratio = (
                config.cpu_allocation_ratio
                if config.cpu_allocation_ratio is not None
                else config.initial_cpu_allocation_ratio
            )
        reserved = host.reserved_host_cpus
        checks.append(
            (
                VCPU,
                want_vcpu,
                Inventory(
                    total=host.vcpus,
                    reserved=config.reserved_host_cpus if reserved is None else reserved,
                    allocation_ratio=ratio,
                    used=host.vcpus_used,
                ),
            )
        )
    if want_ram:
        ratio = host.ram_allocation_ratio
        if ratio is None:
            ratio = (
                config.ram_allocation_ratio
                if config.ram_allocation_ratio is not None
                else config.initial_ram_allocation_ratio
            )
        reserved = host.reserved_host_memory_mb
        checks.append(
            (
                MEMORY_MB,
                want_ram,
                Inventory(
                    total=host.memory_mb,
                    reserved=config.reserved_host_memory_mb if reserved is None else reserved,
                    allocation_ratio=ratio,
                    used=host.memory_mb_used,
                ),
            )
        )
    if want_disk:
        ratio = host.disk_allocation_ratio
        if ratio is None:
            ratio = (
                config.disk_allocation_ratio
                if config.disk_allocation_ratio is not None
                else config.initial_disk_allocation_ratio
            )
        reserved = host.reserved_host_disk_mb
        checks.append(
            (
                DISK_GB,
                want_disk,
                Inventory(
                    total=host.local_gb,
                    reserved=ceil_gb(
                        config.reserved_host_disk_mb if reserved is None else reserved
                    ),
                    allocation_ratio=ratio,
                    used=host.local_gb_used,
                ),
            )
        )
    inventories = host.inventories or {}
    for rc, amount in others:
        checks.append((rc, amount, inventories.get(rc)))
    for rc, amount, inventory in checks:
        reason, _ = _check_inventory(rc, amount, inventory)
        if reason:
            reasons.append(reason)
    return reasons
