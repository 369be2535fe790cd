"""Extra-spec keys Nova knows (API microversion 2.86+ validation, nova-scheduling.md §3.2, §3.3).

A key in one of Nova's namespaces must be a known key with a valid value; colon-less keys and
foreign namespaces are free, except `group_policy` and `hide_hypervisor_id`.
"""

import re
from collections.abc import Callable

Check = Callable[[str], str | None]

TRUE_FALSE = {"true", "false", "yes", "no", "1", "0", "on", "off", "t", "f", "y", "n"}


# Each check answers Nova's own words (nova/api/validation/extra_specs/base.py), or None.
def one_of(*choices: str) -> Check:
    def check(value: str) -> str | None:
        if value in choices:
            return None
        return f"'{value}' is not one of: {', '.join(choices)}."

    return check


def integer(minimum: int = 0) -> Check:
    def check(value: str) -> str | None:
        try:
            number = int(value)
        except ValueError:
            return f"'{value}' is not a valid integer value."
        if number < minimum:
            return f"'{value}' is less than the min value of '{minimum}'."
        return None

    return check


def boolean(value: str) -> str | None:
    if value.lower() in TRUE_FALSE:
        return None
    return f"'{value}' is not a valid boolean-like value."


def anything(value: str) -> str | None:
    return None


NAMESPACES = (
    "hw",
    "hw_rng",
    "hw_video",
    "os",
    "quota",
    "accel",
    "pci_passthrough",
    "vmware",
    "capabilities",
    "aggregate_instance_extra_specs",
)

KNOWN: dict[str, Check] = {
    "group_policy": one_of("none", "isolate"),
    "hide_hypervisor_id": boolean,
    "hw:cpu_policy": one_of("shared", "dedicated", "mixed"),
    "hw:cpu_thread_policy": one_of("prefer", "isolate", "require"),
    "hw:emulator_threads_policy": one_of("share", "isolate"),
    "hw:cpu_dedicated_mask": anything,
    "hw:cpu_realtime": boolean,
    "hw:cpu_realtime_mask": anything,
    "hw:hide_hypervisor_id": boolean,
    "hw:cpu_sockets": integer(1),
    "hw:cpu_cores": integer(1),
    "hw:cpu_threads": integer(1),
    "hw:cpu_max_sockets": integer(1),
    "hw:cpu_max_cores": integer(1),
    "hw:cpu_max_threads": integer(1),
    "hw:numa_nodes": integer(1),
    "hw:mem_page_size": anything,
    "hw:mem_encryption": boolean,
    "hw:pmem": anything,
    "hw:pmu": boolean,
    "hw:serial_port_count": integer(0),
    "hw:tpm_version": one_of("1.2", "2.0"),
    "hw:tpm_model": one_of("tpm-tis", "tpm-crb"),
    "hw:watchdog_action": one_of("none", "pause", "poweroff", "reset", "disabled"),
    "hw:boot_menu": boolean,
    "hw:vif_multiqueue_enabled": boolean,
    "hw:virtio_packed_ring": boolean,
    "hw:pci_numa_affinity_policy": one_of("required", "preferred", "legacy", "socket"),
    "hw:maxphysaddr_mode": one_of("passthrough", "emulate"),
    "hw:maxphysaddr_bits": integer(1),
    "hw:locked_memory": boolean,
    "hw:ephemeral_encryption": boolean,
    "hw:ephemeral_encryption_format": one_of("luks"),
    "hw:viommu_model": one_of("intel", "smmuv3", "virtio", "auto"),
    "hw:sound_model": anything,
    "hw:usb_model": anything,
    "hw:redirected_usb_ports": integer(0),
    "hw_rng:allowed": boolean,
    "hw_rng:rate_bytes": integer(0),
    "hw_rng:rate_period": integer(0),
    "hw_video:ram_max_mb": integer(0),
    "os:secure_boot": one_of("required", "disabled", "optional"),
    "accel:device_profile": anything,
    "pci_passthrough:alias": anything,
    "vmware:hw_version": anything,
    "vmware:storage_policy": anything,
}
for _name in (
    "cpu_shares",
    "cpu_period",
    "cpu_quota",
    "cpu_limit",
    "cpu_reservation",
    "disk_read_bytes_sec",
    "disk_read_iops_sec",
    "disk_write_bytes_sec",
    "disk_write_iops_sec",
    "disk_total_bytes_sec",
    "disk_total_iops_sec",
    "vif_inbound_average",
    "vif_inbound_peak",
    "vif_inbound_burst",
    "vif_outbound_average",
    "vif_outbound_peak",
    "vif_outbound_burst",
    "memory_limit",
    "memory_reservation",
):
    KNOWN[f"quota:{_name}"] = integer(0)
for _name in ("cpu", "memory", "disk_io", "vif"):
    KNOWN[f"quota:{_name}_shares_level"] = one_of("custom", "high", "normal", "low")
    KNOWN[f"quota:{_name}_shares_share"] = integer(0)

PATTERNS: list[tuple[re.Pattern, Check]] = [
    (re.compile(r"^hw:numa_(cpus|mem)\.\d+$"), anything),
]
# nova/api/validation/extra_specs/capabilities.py: these names exactly, and these prefixes with
# any `:word` path below them.
CAPABILITY_NAMES = [
    "id",
    "uuid",
    "service_id",
    "host",
    "vcpus",
    "memory_mb",
    "local_gb",
    "vcpus_used",
    "memory_mb_used",
    "local_gb_used",
    "hypervisor_type",
    "hypervisor_version",
    "hypervisor_hostname",
    "free_ram_mb",
    "free_disk_gb",
    "current_workload",
    "running_vms",
    "disk_available_least",
    "host_ip",
    "mapped",
    "cpu_allocation_ratio",
    "ram_allocation_ratio",
    "disk_allocation_ratio",
    "total_usable_ram_mb",
    "total_usable_disk_gb",
    "disk_mb_used",
    "free_disk_mb",
    "vcpus_total",
    "num_instances",
    "num_io_ops",
    "failed_builds",
    "aggregates",
    "cell_uuid",
    "updated",
]
CAPABILITY_TREES = [
    "cpu_info",
    "metrics",
    "stats",
    "numa_topology",
    "supported_hv_specs",
    "pci_device_pools",
    "nodename",
    "pci_stats",
    "supported_instances",
    "limits",
    "instances",
]
CAPABILITIES = re.compile(
    rf"^capabilities:(?:(?:{'|'.join(CAPABILITY_NAMES)})|(?:{'|'.join(CAPABILITY_TREES)})(?::\w+)*)$"
)
GROUP = r"[a-zA-Z0-9_-]{1,64}"
RESOURCES = re.compile(rf"^resources({GROUP})?:([A-Z0-9_]+)$")
TRAIT = re.compile(rf"^trait({GROUP})?:([A-Z0-9_]+)$")


def problem_with(key: str, value: str) -> str | None:
    """Why Nova (2.86+) refuses `key`=`value`, or None when it accepts it."""
    if key in KNOWN:
        return KNOWN[key](value)
    if RESOURCES.match(key):
        return integer(0)(value)
    if TRAIT.match(key):
        return one_of("required", "forbidden")(value)
    if ":" not in key:
        return None
    namespace = key.split(":", 1)[0]
    if namespace == "aggregate_instance_extra_specs":
        return None
    if namespace == "capabilities":
        return None if CAPABILITIES.match(key) else _unknown(key)
    if namespace in NAMESPACES or re.match(r"^(resources|trait)\w*$", namespace):
        for pattern, check in PATTERNS:
            if pattern.match(key):
                return check(value)
        return _unknown(key)
    return None  # a foreign namespace: Nova stores it unchecked


def _unknown(key: str) -> str:
    return f"extra spec '{key}' does not appear to be a valid extra spec."  # Nova's words


def is_read_by_aggregate_filters(key: str) -> bool:
    """Keys whose value AggregateInstanceExtraSpecs/ComputeCapabilities match with the operators."""
    return ":" not in key or key.startswith(("aggregate_instance_extra_specs:", "capabilities:"))
