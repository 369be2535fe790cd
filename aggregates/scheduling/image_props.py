"""Image properties as Nova's ImageMetaProps holds them: known names, legacy names, typed values."""

from __future__ import annotations

from collections.abc import Mapping

from .config import ARCHITECTURES

_BOOLEAN = frozenset(
    [
        "hw_boot_menu",
        "hw_firmware_stateless",
        "hw_ipxe_boot",
        "hw_locked_memory",
        "hw_mem_encryption",
        "hw_pmu",
        "hw_qemu_guest_agent",
        "hw_time_hpet",
        "hw_vif_multiqueue_enabled",
        "hw_ephemeral_encryption",
        "hw_virtio_packed_ring",
        "img_bittorrent",
        "img_bdm_v2",
        "img_cache_in_nova",
        "img_linked_clone",
        "img_use_agent",
        "img_hide_hypervisor_id",
        "os_require_quiesce",
        "os_skip_agent_inject_files_at_boot",
        "os_skip_agent_inject_ssh",
    ]
)
_INTEGER = frozenset(
    [
        "hw_cpu_cores",
        "hw_cpu_sockets",
        "hw_cpu_max_cores",
        "hw_cpu_max_sockets",
        "hw_cpu_max_threads",
        "hw_cpu_threads",
        "hw_device_id",
        "hw_numa_nodes",
        "hw_serial_port_count",
        "hw_video_ram",
        "hw_maxphysaddr_bits",
        "hw_redirected_usb_ports",
        "img_compression_level",
        "img_version",
    ]
)
_OTHER = frozenset(
    [
        "hw_architecture",
        "hw_auto_disk_config",
        "hw_cdrom_bus",
        "hw_cpu_policy",
        "hw_cpu_realtime_mask",
        "hw_cpu_thread_policy",
        "hw_disk_bus",
        "hw_disk_type",
        "hw_emulation_architecture",
        "hw_ephemeral_encryption_format",
        "hw_ephemeral_encryption_secret_uuid",
        "hw_firmware_type",
        "hw_floppy_bus",
        "hw_input_bus",
        "hw_machine_type",
        "hw_maxphysaddr_mode",
        "hw_mem_encryption_model",
        "hw_mem_page_size",
        "hw_numa_cpus",
        "hw_numa_mem",
        "hw_pci_numa_affinity_policy",
        "hw_pointer_model",
        "hw_rescue_bus",
        "hw_rescue_device",
        "hw_rng_model",
        "hw_scsi_model",
        "hw_sound_model",
        "hw_tpm_model",
        "hw_tpm_version",
        "hw_usb_model",
        "hw_video_model",
        "hw_vif_model",
        "hw_viommu_model",
        "hw_vm_mode",
        "hw_watchdog_action",
        "img_block_device_mapping",
        "img_config_drive",
        "img_hv_requested_version",
        "img_hv_type",
        "img_mappings",
        "img_owner_id",
        "img_root_device_name",
        "img_signature",
        "img_signature_certificate_uuid",
        "img_signature_hash_method",
        "img_signature_key_type",
        "os_admin_user",
        "os_command_line",
        "os_distro",
        "os_secure_boot",
        "os_type",
        "traits_required",
    ]
)
# The 86 fields of nova.objects.image_meta.ImageMetaProps in Nova 34: only these reach the
# scheduler (other Glance properties are dropped when the request spec is built).
IMAGE_PROPERTY_NAMES = _BOOLEAN | _INTEGER | _OTHER

# ImageMetaProps._legacy_property_map: old Glance names still honoured.
LEGACY_PROPERTY_NAMES = {
    "architecture": "hw_architecture",
    "owner_id": "img_owner_id",
    "vmware_disktype": "hw_disk_type",
    "vmware_image_version": "img_version",
    "vmware_ostype": "os_distro",
    "auto_disk_config": "hw_auto_disk_config",
    "ipxe_boot": "hw_ipxe_boot",
    "xenapi_device_id": "hw_device_id",
    "xenapi_image_compression_level": "img_compression_level",
    "vmware_linked_clone": "img_linked_clone",
    "xenapi_use_agent": "img_use_agent",
    "xenapi_skip_agent_inject_ssh": "os_skip_agent_inject_ssh",
    "xenapi_skip_agent_inject_files_at_boot": "os_skip_agent_inject_files_at_boot",
    "cache_in_nova": "img_cache_in_nova",
    "vm_mode": "hw_vm_mode",
    "bittorrent": "img_bittorrent",
    "mappings": "img_mappings",
    "block_device_mapping": "img_block_device_mapping",
    "bdm_v2": "img_bdm_v2",
    "root_device_name": "img_root_device_name",
    "hypervisor_version_requires": "img_hv_requested_version",
    "hypervisor_type": "img_hv_type",
}

HV_TYPES = frozenset(
    [
        "baremetal",
        "bhyve",
        "docker",
        "fake",
        "hyperv",
        "ironic",
        "kqemu",
        "kvm",
        "lxc",
        "lxd",
        "openvz",
        "parallels",
        "phyp",
        "qemu",
        "test",
        "uml",
        "vbox",
        "vz",
        "vmware",
        "xen",
        "zvm",
        "prsm",
    ]
)
VM_MODES = frozenset({"hvm", "xen", "uml", "exe"})
_TRUE = frozenset({"1", "t", "true", "on", "y", "yes"})


def canonical_architecture(name: str) -> str:
    """nova.objects.fields.Architecture.canonicalize; ValueError on an unknown name."""
    lowered = name.lower()
    if lowered in ("i386", "i486", "i586", "x86_32", "x86_32p"):
        lowered = "i686"
    elif lowered == "amd64":
        lowered = "x86_64"
    if lowered not in ARCHITECTURES:
        raise ValueError(f"Architecture name '{name}' is not valid")
    return lowered


def canonical_hv_type(name: str) -> str:
    lowered = name.lower()
    if lowered == "xapi":
        lowered = "xen"
    if lowered not in HV_TYPES:
        raise ValueError(f"Hypervisor virt type '{name}' is not valid")
    return lowered


def canonical_vm_mode(name: str) -> str:
    lowered = name.lower()
    lowered = {"pv": "xen", "hv": "hvm", "baremetal": "hvm"}.get(lowered, lowered)
    if lowered not in VM_MODES:
        raise ValueError(f"Virtual machine mode '{name}' is not valid")
    return lowered


def _coerce(name: str, value: object) -> object:
    if name in _BOOLEAN:
        # oslo FlexibleBooleanField: anything not a "true" string is False.
        return value if isinstance(value, bool) else str(value).strip().lower() in _TRUE
    if name in _INTEGER:
        return int(value)  # type: ignore[call-overload]
    if name in ("hw_architecture", "hw_emulation_architecture"):
        return canonical_architecture(str(value))
    if name == "img_hv_type":
        return canonical_hv_type(str(value))
    if name == "hw_vm_mode":
        return canonical_vm_mode(str(value))
    return value


def image_meta_props(raw: Mapping[str, object] | None) -> tuple[dict[str, object], list[str]]:
    """ImageMetaProps.from_dict in spirit: known, typed properties plus notes on dropped ones."""
    props: dict[str, object] = {}
    notes: list[str] = []
    if not raw:
        return props, notes
    # ImageMetaProps.from_dict applies legacy names first, so current names win.
    legacy = [(key, value) for key, value in raw.items() if key in LEGACY_PROPERTY_NAMES]
    current = [(key, value) for key, value in raw.items() if key not in LEGACY_PROPERTY_NAMES]
    for key, value in legacy + current:
        name = LEGACY_PROPERTY_NAMES.get(key, key)
        if name not in IMAGE_PROPERTY_NAMES:
            notes.append(f"image property {key!r} is not an ImageMetaProps field: Nova drops it")
            continue
        try:
            props[name] = _coerce(name, value)
        except (TypeError, ValueError) as exc:
            notes.append(f"image property {key}={value!r}: Nova refuses it ({exc})")
    return props, notes


def prop_str(value: object) -> str:
    """str() of a typed property as Nova compares it with metadata (booleans read 'True')."""
    if isinstance(value, list | tuple):
        return str(list(value))
    return str(value)
