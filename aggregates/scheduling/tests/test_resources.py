"""From flavor to Placement request (nova-scheduling.md §3.3, §3.4)."""

import pytest

from aggregates.scheduling.resources import build_resource_request

from .factories import flavor


@pytest.mark.parametrize(
    ("fields", "is_bfv", "expected"),
    [
        # §3.4: DISK_GB = ephemeral + ceil(swap / 1024) + root.
        (
            {"vcpus": 2, "ram": 2048, "disk": 20},
            False,
            {"VCPU": 2, "MEMORY_MB": 2048, "DISK_GB": 20},
        ),
        (
            {"vcpus": 1, "ram": 512, "disk": 10, "ephemeral": 5, "swap": 1},
            False,
            {"VCPU": 1, "MEMORY_MB": 512, "DISK_GB": 16},
        ),
        (
            {"vcpus": 1, "ram": 512, "disk": 10, "swap": 2048},
            False,
            {"VCPU": 1, "MEMORY_MB": 512, "DISK_GB": 12},
        ),
        (
            {"vcpus": 1, "ram": 512, "disk": 10, "swap": 2049},
            False,
            {"VCPU": 1, "MEMORY_MB": 512, "DISK_GB": 13},
        ),
        # §3.4: boot from volume drops the root disk; zero amounts are not requested.
        ({"vcpus": 1, "ram": 512, "disk": 10}, True, {"VCPU": 1, "MEMORY_MB": 512}),
        ({"vcpus": 1, "ram": 512, "disk": 0}, False, {"VCPU": 1, "MEMORY_MB": 512}),
    ],
)
def test_flavor_sizes_become_placement_resources(fields, is_bfv, expected):
    assert build_resource_request(flavor(**fields), {}, is_bfv).resources == expected


@pytest.mark.parametrize(
    ("extra_specs", "expected"),
    [
        # §3.3: resources:<RC> overrides the flavor amount; 0 removes the class.
        ({"resources:VCPU": "4"}, {"VCPU": 4, "MEMORY_MB": 2048, "DISK_GB": 20}),
        ({"resources:DISK_GB": "0"}, {"VCPU": 1, "MEMORY_MB": 2048}),
        (
            {"resources:CUSTOM_GOLD": "1"},
            {"VCPU": 1, "MEMORY_MB": 2048, "DISK_GB": 20, "CUSTOM_GOLD": 1},
        ),
        # §3.3: a suffixed group also overrides (merged onto the node here).
        ({"resources1:VCPU": "3"}, {"VCPU": 3, "MEMORY_MB": 2048, "DISK_GB": 20}),
        # §3.3: invalid amounts and classes are ignored.
        ({"resources:VCPU": "two"}, {"VCPU": 1, "MEMORY_MB": 2048, "DISK_GB": 20}),
        ({"resources:VCPU": "-1"}, {"VCPU": 1, "MEMORY_MB": 2048, "DISK_GB": 20}),
        ({"resources:GOLD": "1"}, {"VCPU": 1, "MEMORY_MB": 2048, "DISK_GB": 20}),
        # §3.3: hw:cpu_policy=dedicated asks for PCPU instead of VCPU.
        ({"hw:cpu_policy": "dedicated"}, {"PCPU": 1, "MEMORY_MB": 2048, "DISK_GB": 20}),
        (
            {"hw:cpu_policy": "dedicated", "hw:emulator_threads_policy": "isolate"},
            {"PCPU": 2, "MEMORY_MB": 2048, "DISK_GB": 20},
        ),
    ],
)
def test_resources_extra_specs_override_the_flavor(extra_specs, expected):
    request = build_resource_request(flavor(extra_specs=extra_specs), {}, False)
    assert request.resources == expected


def test_ignored_specs_are_noted():
    request = build_resource_request(flavor(extra_specs={"resources:VCPU": "two"}), {}, False)
    assert any("resources:VCPU" in note for note in request.notes)


@pytest.mark.parametrize(
    ("extra_specs", "image", "required", "forbidden"),
    [
        # §3.3: trait:<T>=required / forbidden; other values ignored.
        ({"trait:CUSTOM_SSD": "required"}, {}, {"CUSTOM_SSD"}, set()),
        ({"trait:CUSTOM_SLOW": "forbidden"}, {}, set(), {"CUSTOM_SLOW"}),
        ({"trait:CUSTOM_X": "yes"}, {}, set(), set()),
        ({"trait1:CUSTOM_Y": "required"}, {}, {"CUSTOM_Y"}, set()),
        # §3.4: image traits_required.
        ({}, {"traits_required": ["HW_CPU_X86_AVX2"]}, {"HW_CPU_X86_AVX2"}, set()),
        # §3.3: hw:cpu_thread_policy.
        ({"hw:cpu_thread_policy": "require"}, {}, {"HW_CPU_HYPERTHREADING"}, set()),
        ({"hw:cpu_thread_policy": "isolate"}, {}, set(), {"HW_CPU_HYPERTHREADING"}),
    ],
)
def test_traits_of_the_request(extra_specs, image, required, forbidden):
    request = build_resource_request(flavor(extra_specs=extra_specs), image, False)
    assert request.required_traits == required
    assert request.forbidden_traits == forbidden


def test_group_policy_is_read_and_bad_values_ignored():
    # §3.3: group_policy none/isolate only.
    assert (
        build_resource_request(
            flavor(extra_specs={"group_policy": "isolate"}), {}, False
        ).group_policy
        == "isolate"
    )
    assert (
        build_resource_request(flavor(extra_specs={"group_policy": "x"}), {}, False).group_policy
        is None
    )
