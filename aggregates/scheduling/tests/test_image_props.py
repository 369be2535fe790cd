"""Image properties as ImageMetaProps types them (nova-scheduling.md §5.4.5, §5.4.12)."""

import pytest

from aggregates.scheduling.image_props import (
    IMAGE_PROPERTY_NAMES,
    canonical_architecture,
    image_meta_props,
    prop_str,
)


def test_nova_34_has_86_image_property_fields():
    assert len(IMAGE_PROPERTY_NAMES) == 86


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"os_distro": "ubuntu"}, {"os_distro": "ubuntu"}),
        ({"architecture": "x86_64"}, {"hw_architecture": "x86_64"}),  # legacy name
        ({"hypervisor_type": "QEMU"}, {"img_hv_type": "qemu"}),
        ({"vm_mode": "pv"}, {"hw_vm_mode": "xen"}),
        ({"hw_cpu_cores": "4"}, {"hw_cpu_cores": 4}),
        ({"hw_qemu_guest_agent": "yes"}, {"hw_qemu_guest_agent": True}),
        ({"hw_qemu_guest_agent": "maybe"}, {"hw_qemu_guest_agent": False}),
        ({"custom_thing": "1"}, {}),  # not a field: dropped
        ({"architecture": "i386", "hw_architecture": "x86_64"}, {"hw_architecture": "x86_64"}),
    ],
)
def test_image_meta_props(raw, expected):
    props, _ = image_meta_props(raw)
    assert props == expected


def test_invalid_values_are_noted():
    props, notes = image_meta_props({"hw_architecture": "z80", "hw_cpu_cores": "four"})
    assert props == {}
    assert len(notes) == 2


@pytest.mark.parametrize(
    ("name", "canonical"),
    [("AMD64", "x86_64"), ("i386", "i686"), ("x86_32", "i686"), ("aarch64", "aarch64")],
)
def test_architecture_aliases(name, canonical):
    assert canonical_architecture(name) == canonical


def test_prop_str_reads_like_python_str():
    assert prop_str(True) == "True"
    assert prop_str(["a", "b"]) == "['a', 'b']"
