"""The Placement request of a flavor (Nova's ResourceRequest) and Placement's fit arithmetic."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from .state import FlavorSpec

VCPU = "VCPU"
PCPU = "PCPU"
MEMORY_MB = "MEMORY_MB"
DISK_GB = "DISK_GB"

# os-resource-classes STANDARDS: any other class must be CUSTOM_*, or Nova ignores the spec.
STANDARD_RESOURCE_CLASSES = frozenset(
    {
        "VCPU",
        "MEMORY_MB",
        "DISK_GB",
        "PCI_DEVICE",
        "SRIOV_NET_VF",
        "NUMA_SOCKET",
        "NUMA_CORE",
        "NUMA_THREAD",
        "NUMA_MEMORY_MB",
        "IPV4_ADDRESS",
        "VGPU",
        "VGPU_DISPLAY_HEAD",
        "NET_BW_EGR_KILOBIT_PER_SEC",
        "NET_BW_IGR_KILOBIT_PER_SEC",
        "PCPU",
        "MEM_ENCRYPTION_CONTEXT",
        "FPGA",
        "PGPU",
        "NET_PACKET_RATE_KILOPACKET_PER_SEC",
        "NET_PACKET_RATE_EGR_KILOPACKET_PER_SEC",
        "NET_PACKET_RATE_IGR_KILOPACKET_PER_SEC",
    }
)

# nova/scheduler/utils.py ResourceRequest.XS_KEYPAT: resources[$S]:RC and trait[$S]:T.
XS_KEY = re.compile(r"^(resources|trait)([a-zA-Z0-9_-]{1,64})?:(.*)$")


@dataclass(slots=True, frozen=True)
class ResourceRequest:
    """What Nova asks Placement for (all request groups merged onto the compute node)."""

    resources: Mapping[str, int]
    required_traits: frozenset[str]
    forbidden_traits: frozenset[str]
    group_policy: str | None
    suffixed_groups: int
    notes: tuple[str, ...]


def ceil_gb(mb: int) -> int:
    """compute_utils.convert_mb_to_ceil_gb."""
    return math.ceil(mb / 1024) if mb else 0


def build_resource_request(
    flavor: FlavorSpec, image_props: Mapping[str, object], is_bfv: bool
) -> ResourceRequest:
    """ResourceRequest.from_request_spec for a flavor and typed image properties (§3.4)."""
    groups: dict[str | None, dict[str, int]] = {}
    required: set[str] = set()
    forbidden: set[str] = set()
    notes: list[str] = []
    group_policy: str | None = None
    specs = flavor.extra_specs or {}
    for key, value in specs.items():
        if key == "group_policy":
            if value in ("none", "isolate"):
                group_policy = value
            else:
                notes.append(f"group_policy={value!r} is ignored by Nova (none or isolate only)")
            continue
        found = XS_KEY.match(key)
        if not found:
            continue
        prefix, suffix, name = found.groups()
        if prefix == "resources":
            amount = _resource_amount(name, value, key, notes)
            if amount is not None:
                groups.setdefault(suffix, {})[name] = amount
            elif suffix is not None:
                groups.setdefault(suffix, {})
        elif value == "required":
            required.add(name)
        elif value == "forbidden":
            forbidden.add(name)
        else:
            notes.append(f"{key}={value!r} is ignored by Nova (required or forbidden only)")
    traits_required = image_props.get("traits_required")
    if isinstance(traits_required, list | tuple):
        required.update(str(trait) for trait in traits_required)

    unsuffixed = groups.setdefault(None, {})
    cpu_policy = str(specs.get("hw:cpu_policy") or image_props.get("hw_cpu_policy") or "")
    thread_policy = str(
        specs.get("hw:cpu_thread_policy") or image_props.get("hw_cpu_thread_policy") or ""
    )
    if cpu_policy == "dedicated":
        pcpus = flavor.vcpus
        if specs.get("hw:emulator_threads_policy") == "isolate":
            pcpus += 1
        unsuffixed[PCPU] = pcpus
    elif cpu_policy == "mixed":
        notes.append("hw:cpu_policy=mixed (VCPU/PCPU split) is not modelled: VCPU requested")
    if thread_policy == "require":
        required.add("HW_CPU_HYPERTHREADING")
    elif thread_policy == "isolate":
        forbidden.add("HW_CPU_HYPERTHREADING")

    merged = _merged(groups)
    # Flavor sizes apply only where no extra spec (any group) named the class.
    if VCPU not in merged and PCPU not in merged:
        unsuffixed[VCPU] = flavor.vcpus
    if MEMORY_MB not in merged:
        unsuffixed[MEMORY_MB] = flavor.ram
    if DISK_GB not in merged:
        disk = flavor.ephemeral + ceil_gb(flavor.swap) + (0 if is_bfv else flavor.disk)
        if disk:
            unsuffixed[DISK_GB] = disk
    resources = {name: amount for name, amount in _merged(groups).items() if amount}
    suffixed = sum(1 for suffix, amounts in groups.items() if suffix is not None and amounts)
    if suffixed > 1 and group_policy == "isolate":
        notes.append(
            "group_policy=isolate with several resource groups needs distinct providers; "
            "the preview places every group on the compute node"
        )
    return ResourceRequest(
        resources=resources,
        required_traits=frozenset(required),
        forbidden_traits=frozenset(forbidden),
        group_policy=group_policy,
        suffixed_groups=suffixed,
        notes=tuple(notes),
    )


def _resource_amount(name: str, value: str, key: str, notes: list[str]) -> int | None:
    # RequestGroup.add_resource: unknown classes and bad amounts are logged and skipped.
    if not (name.startswith("CUSTOM_") or name in STANDARD_RESOURCE_CLASSES):
        notes.append(f"{key}: {name!r} is not a resource class; Nova ignores it")
        return None
    try:
        amount = int(value)
    except ValueError:
        amount = -1
    if amount < 0:
        notes.append(f"{key}={value!r}: amounts must be non-negative integers; Nova ignores it")
        return None
    return amount


def _merged(groups: Mapping[str | None, Mapping[str, int]]) -> dict[str, int]:
    merged: dict[str, int] = {}
    for amounts in groups.values():
        for name, amount in amounts.items():
            merged[name] = merged.get(name, 0) + amount
    return merged
