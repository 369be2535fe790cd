"""Every Nova 34 host filter the preview models (nova-scheduling.md §5.4)."""

import pytest

from aggregates.scheduling.config import SchedulerConfig
from aggregates.scheduling.filters import FILTERS
from aggregates.scheduling.state import ServerGroup

from .factories import aggregate, flavor, host, request, run_step


def verdicts(name, hosts, aggregates=(), spec=None, config=None):
    return run_step(FILTERS[name], hosts, aggregates, spec, config or SchedulerConfig())


def passed(name, hosts, aggregates=(), spec=None, config=None):
    return [result.passed for result in verdicts(name, hosts, aggregates, spec, config)]


def test_every_available_filter_has_an_implementation():
    from aggregates.scheduling.config import AVAILABLE_FILTERS

    assert set(FILTERS) == AVAILABLE_FILTERS


# ComputeFilter — §5.4.1


@pytest.mark.parametrize(
    ("fields", "ok", "fragment"),
    [
        ({}, True, "enabled and up"),
        ({"status": "disabled", "disabled_reason": "maint"}, False, "service disabled (maint)"),
        ({"forced_down": True}, False, "forced down"),
        ({"state": "down"}, False, "service down"),
    ],
)
def test_compute_filter(fields, ok, fragment):
    result = verdicts("ComputeFilter", [host("h", **fields), host("other")])[0]
    assert result.passed is ok
    assert fragment in result.reason


# ComputeCapabilitiesFilter — §5.4.2

CPU_INFO = {"arch": "x86_64", "features": ["aes", "mmx", "aux"], "maxphysaddr": {"bits": 46}}


@pytest.mark.parametrize(
    ("extra_specs", "fields", "ok"),
    [
        ({"coolhardware": "true"}, {}, True),  # no such attribute: ignored
        ({"hypervisor_type": "QEMU"}, {"hypervisor_type": "QEMU"}, True),  # attribute: checked
        ({"hypervisor_type": "QEMU"}, {"hypervisor_type": "KVM"}, False),
        ({"capabilities:hypervisor_type": "s== QEMU"}, {"hypervisor_type": "QEMU"}, True),
        ({"capabilities:hypervisor_type": "QEMU"}, {}, False),  # null -> fail
        ({"capabilities:cpu_info:arch": "x86_64"}, {"cpu_info": CPU_INFO}, True),
        ({"capabilities:cpu_info:arch": "aarch64"}, {"cpu_info": CPU_INFO}, False),
        ({"capabilities:cpu_info:features": "<all-in> aes mmx"}, {"cpu_info": CPU_INFO}, True),
        ({"capabilities:cpu_info:features": "<in> avx"}, {"cpu_info": CPU_INFO}, False),
        ({"capabilities:cpu_info:arch": "x86_64"}, {}, False),  # missing -> fail
        ({"capabilities:bogus": "1"}, {}, False),
        ({"capabilities:hypervisor_type:x": "1"}, {"hypervisor_type": "QEMU"}, False),  # not JSON
        ({"capabilities:vcpus_total": ">= 8"}, {}, True),
        ({"capabilities:vcpus_total": ">= 9"}, {}, False),
        ({"capabilities:free_ram_mb": ">= 15872"}, {}, True),  # 16384 - 512 reserved
        ({"capabilities:num_instances": "<= 3"}, {"num_instances": 4}, False),
        ({"hw:maxphysaddr_bits": "46"}, {"cpu_info": CPU_INFO}, True),  # rewritten to >= 46
        ({"hw:maxphysaddr_bits": "48"}, {"cpu_info": CPU_INFO}, False),
        ({"hw:cpu_policy": "dedicated"}, {}, True),  # foreign namespace: ignored
        ({"io_workload": "<= 2"}, {"num_io_ops": 3}, False),  # a stat, unscoped
        ({"num_proj_p1": "= 2"}, {"instances_by_project": {"p1": 2}}, True),
    ],
)
def test_compute_capabilities_filter(extra_specs, fields, ok):
    spec = request(flavor=flavor(extra_specs=extra_specs))
    assert passed("ComputeCapabilitiesFilter", [host("h", **fields)], spec=spec) == [ok]


def test_compute_capabilities_error_is_reported_not_guessed():
    spec = request(flavor=flavor(extra_specs={"capabilities:vcpus_total": "= many"}))
    result = verdicts("ComputeCapabilitiesFilter", [host()], spec=spec)[0]
    assert result.error and not result.passed
    assert "capabilities:vcpus_total" in result.reason


def test_compute_capabilities_unmodelled_attribute_is_not_evaluated():
    spec = request(flavor=flavor(extra_specs={"capabilities:numa_topology": "x"}))
    result = verdicts("ComputeCapabilitiesFilter", [host()], spec=spec)[0]
    assert result.passed and "not evaluated" in result.reason


# ImagePropertiesFilter — §5.4.12

KVM_X86 = (("x86_64", "kvm", "hvm"),)


@pytest.mark.parametrize(
    ("image", "fields", "ok"),
    [
        ({}, {}, True),  # no image properties
        ({"os_distro": "ubuntu"}, {}, True),  # not a compute property
        ({"hw_architecture": "x86_64"}, {"supported_instances": KVM_X86}, True),
        ({"hw_architecture": "aarch64"}, {"supported_instances": KVM_X86}, False),
        ({"hw_architecture": "x86_64"}, {}, False),  # host advertises nothing
        ({"architecture": "amd64"}, {"supported_instances": KVM_X86}, True),  # legacy name, alias
        ({"img_hv_type": "kvm", "hw_vm_mode": "hvm"}, {"supported_instances": KVM_X86}, True),
        ({"img_hv_type": "xen"}, {"supported_instances": KVM_X86}, False),
        ({"hw_vm_mode": "hv"}, {"supported_instances": KVM_X86}, True),  # hv -> hvm
        (
            {"hw_architecture": "x86_64", "img_hv_requested_version": ">=6.0"},
            {"supported_instances": KVM_X86, "hypervisor_version": 6001000},
            True,
        ),
        (
            {"hw_architecture": "x86_64", "img_hv_requested_version": "<6.0"},
            {"supported_instances": KVM_X86, "hypervisor_version": 6001000},
            False,
        ),
    ],
)
def test_image_properties_filter(image, fields, ok):
    spec = request(image_properties=image)
    assert passed("ImagePropertiesFilter", [host("h", **fields)], spec=spec) == [ok]


def test_image_properties_default_architecture():
    # §5.4.12: with the option set, that architecture is required even without an image.
    config = SchedulerConfig(image_properties_default_architecture="aarch64")
    assert passed("ImagePropertiesFilter", [host(supported_instances=KVM_X86)], config=config) == [
        False
    ]


# ServerGroup filters — §5.4.11


def test_anti_affinity_allows_max_server_per_host_members():
    group = ServerGroup("anti-affinity", members=frozenset({"u1", "u2"}))
    hosts = [host("busy", instance_uuids=frozenset({"u1"})), host("free")]
    assert passed("ServerGroupAntiAffinityFilter", hosts, spec=request(group=group)) == [
        False,
        True,
    ]
    roomy = ServerGroup("anti-affinity", members=frozenset({"u1"}), max_server_per_host=2)
    assert passed("ServerGroupAntiAffinityFilter", hosts, spec=request(group=roomy)) == [True, True]


def test_group_filters_ignore_other_policies():
    group = ServerGroup("affinity", members=frozenset({"u1"}))
    hosts = [host("busy", instance_uuids=frozenset({"u1"})), host("free")]
    assert passed("ServerGroupAntiAffinityFilter", hosts, spec=request(group=group)) == [True, True]
    assert passed("ServerGroupAffinityFilter", hosts) == [True, True]


@pytest.mark.parametrize(
    ("group", "expected"),
    [
        (ServerGroup("affinity", hosts=frozenset({"a"})), [True, False]),
        (ServerGroup("affinity", hosts=frozenset()), [True, True]),  # no hosts yet
        (ServerGroup("affinity", members=frozenset({"u9"})), [False, True]),  # derived: u9 on b
    ],
)
def test_affinity_filter(group, expected):
    hosts = [host("a"), host("b", instance_uuids=frozenset({"u9"}))]
    assert passed("ServerGroupAffinityFilter", hosts, spec=request(group=group)) == expected


# AggregateInstanceExtraSpecsFilter — §5.4.3

HOSTS = [host("cool"), host("plain"), host("alone")]
AGGS = [
    aggregate(1, "cool-agg", ["cool"], coolhardware="true", speed="2,8", name_list="y, z"),
    aggregate(2, "plain-agg", ["plain"], coolhardware="false", availability_zone="az1"),
]


@pytest.mark.parametrize(
    ("extra_specs", "expected"),
    [
        ({}, [True, True, True]),  # no extra specs
        ({"coolhardware": "true"}, [True, False, False]),
        ({"aggregate_instance_extra_specs:coolhardware": "true"}, [True, False, False]),
        ({"coolhardware": "True"}, [False, False, False]),  # case-sensitive
        ({"hw:cpu_policy": "dedicated"}, [True, True, True]),  # other scope: ignored
        ({"speed": ">= 4"}, [True, False, False]),  # "2,8": 8 matches
        ({"speed": "2,8"}, [False, False, False]),  # values are comma-split
        ({"name_list": "z"}, [True, False, False]),  # " z" stripped
        ({"availability_zone": "az1"}, [False, True, False]),  # ordinary metadata here
        ({"group_policy": "none"}, [False, False, False]),  # §9.9: colon-less, checked too
        ({"coolhardware": "<or> true <or> false"}, [True, True, False]),
    ],
)
def test_aggregate_instance_extra_specs_filter(extra_specs, expected):
    spec = request(flavor=flavor(extra_specs=extra_specs))
    assert passed("AggregateInstanceExtraSpecsFilter", HOSTS, AGGS, spec) == expected


def test_aggregate_extra_specs_union_over_aggregates():
    # §5.4.3: different keys may be satisfied by different aggregates.
    aggregates = [aggregate(1, "a", ["h"], ssd="true"), aggregate(2, "b", ["h"], gpu="true")]
    spec = request(
        flavor=flavor(extra_specs={"ssd": "true", "aggregate_instance_extra_specs:gpu": "true"})
    )
    assert passed("AggregateInstanceExtraSpecsFilter", [host("h")], aggregates, spec) == [True]


def test_aggregate_extra_specs_scoped_key_may_contain_colons():
    # §5.4.3: only the first colon separates the scope.
    aggregates = [aggregate(1, "a", ["h"], **{"foo:bar": "1"})]
    spec = request(flavor=flavor(extra_specs={"aggregate_instance_extra_specs:foo:bar": "1"}))
    assert passed("AggregateInstanceExtraSpecsFilter", [host("h")], aggregates, spec) == [True]


def test_aggregate_extra_specs_reasons_name_the_key():
    spec = request(flavor=flavor(extra_specs={"coolhardware": "true"}))
    cool, plain, alone = verdicts("AggregateInstanceExtraSpecsFilter", HOSTS, AGGS, spec)
    assert "coolhardware" in plain.reason and "'false'" in plain.reason
    assert "no aggregate" in alone.reason and "coolhardware" in alone.reason


def test_aggregate_extra_specs_error_when_nova_would_raise():
    # §4.2: a numeric operator against a non-number raises inside Nova.
    spec = request(flavor=flavor(extra_specs={"coolhardware": "= 1"}))
    cool = verdicts("AggregateInstanceExtraSpecsFilter", HOSTS, AGGS, spec)[0]
    assert cool.error and not cool.passed
    assert "coolhardware" in cool.reason


# AggregateMultiTenancyIsolation — §5.4.4


@pytest.mark.parametrize(
    ("project", "expected"),
    [
        ("p1", [True, True, True, True]),
        ("p2", [False, True, True, True]),  # comma list grants (unlike the pre-filter)
        ("p3", [False, True, True, True]),  # any key starting with filter_tenant_id
        ("P1", [False, False, False, True]),  # case-sensitive
    ],
)
def test_aggregate_multi_tenancy_isolation(project, expected):
    aggregates = [
        aggregate(1, "one", ["solo"], filter_tenant_id="p1"),
        aggregate(2, "two", ["pair"], filter_tenant_id="p1, p2"),
        aggregate(3, "three", ["pair", "trio"], filter_tenant_id_3="p3", filter_tenant_id="p1,p2"),
    ]
    hosts = [host("solo"), host("pair"), host("trio"), host("open")]
    spec = request(project_id=project)
    assert passed("AggregateMultiTenancyIsolation", hosts, aggregates, spec) == expected


def test_one_isolated_aggregate_restricts_a_host_in_open_ones_too():
    aggregates = [aggregate(1, "open", ["h"]), aggregate(2, "closed", ["h"], filter_tenant_id="x")]
    assert passed("AggregateMultiTenancyIsolation", [host("h")], aggregates, request()) == [False]


# AggregateImagePropertiesIsolation — §5.4.5


@pytest.mark.parametrize(
    ("image", "ok"),
    [
        ({}, True),  # no image
        ({"os_distro": "ubuntu"}, True),
        ({"os_distro": "windows"}, False),
        ({"os_type": "linux"}, True),  # the aggregate does not list os_type
        ({"hw_qemu_guest_agent": "yes"}, True),  # typed: True -> "True"
        ({"hw_qemu_guest_agent": "no"}, True),  # False never fails (falsy)
        ({"unknown_prop": "x"}, True),  # not an image property: dropped
    ],
)
def test_aggregate_image_properties_isolation(image, ok):
    aggregates = [
        aggregate(
            1, "ubuntu", ["h"], os_distro="ubuntu, debian", hw_qemu_guest_agent="True", rack="r1"
        )
    ]
    spec = request(image_properties=image)
    assert passed("AggregateImagePropertiesIsolation", [host("h")], aggregates, spec) == [ok]


def test_aggregate_image_properties_isolation_namespace():
    aggregates = [aggregate(1, "ns", ["h"], **{"os_distro": "ubuntu", "img.os_distro": "x"})]
    config = SchedulerConfig(aggregate_image_properties_isolation_namespace="img")
    spec = request(image_properties={"os_distro": "windows"})
    # Only keys under "img." are considered; "img.os_distro" is no image property.
    assert passed("AggregateImagePropertiesIsolation", [host("h")], aggregates, spec, config) == [
        True
    ]


# AggregateTypeAffinityFilter — §5.4.6


@pytest.mark.parametrize(
    ("flavor_name", "expected"),
    [
        ("m1.small", [True, True, True]),
        ("m1.large", [False, True, True]),
        ("m1.huge", [False, False, True]),
    ],
)
def test_aggregate_type_affinity_filter(flavor_name, expected):
    aggregates = [
        aggregate(1, "small", ["s"], instance_type="m1.small, m1.tiny"),
        aggregate(2, "mixed", ["m"], instance_type="m1.small"),
        aggregate(3, "mixed2", ["m"], instance_type="m1.large"),
    ]
    hosts = [host("s"), host("m"), host("any")]
    spec = request(flavor=flavor(name=flavor_name))
    assert passed("AggregateTypeAffinityFilter", hosts, aggregates, spec) == expected


# NumInstances / IoOps — §5.4.7, §5.4.8


@pytest.mark.parametrize(
    ("name", "field", "count", "options", "ok"),
    [
        ("NumInstancesFilter", "num_instances", 49, {}, True),
        ("NumInstancesFilter", "num_instances", 50, {}, False),
        ("NumInstancesFilter", "num_instances", 5, {"max_instances_per_host": 5}, False),
        ("IoOpsFilter", "num_io_ops", 7, {}, True),
        ("IoOpsFilter", "num_io_ops", 8, {}, False),
        ("IoOpsFilter", "num_io_ops", None, {"max_io_ops_per_host": 0}, False),  # unknown = 0
        ("IoOpsFilter", "num_io_ops", None, {}, True),
    ],
)
def test_count_filters(name, field, count, options, ok):
    config = SchedulerConfig(**options)
    assert passed(name, [host(**{field: count})], config=config) == [ok]


@pytest.mark.parametrize(
    ("metadata", "count", "ok"),
    [
        ([{}], 49, True),  # option (50)
        ([{"max_instances_per_host": "5"}], 5, False),
        ([{"max_instances_per_host": "5"}], 4, True),
        ([{"max_instances_per_host": "10"}, {"max_instances_per_host": "5"}], 5, False),  # min
        ([{"max_instances_per_host": "5,10"}], 49, True),  # not comma-split: option used
        ([{"max_instances_per_host": "5"}, {"max_instances_per_host": "x"}], 49, True),
    ],
)
def test_aggregate_num_instances_filter(metadata, count, ok):
    aggregates = [aggregate(i, f"a{i}", ["h"], **meta) for i, meta in enumerate(metadata)]
    assert passed("AggregateNumInstancesFilter", [host("h", num_instances=count)], aggregates) == [
        ok
    ]


@pytest.mark.parametrize(
    ("metadata", "count", "ok"),
    [
        ({}, 7, True),
        ({"max_io_ops_per_host": "2"}, 2, False),
        ({"max_io_ops_per_host": "2"}, 1, True),
        ({"max_io_ops_per_host": "two"}, 7, True),
    ],
)
def test_aggregate_io_ops_filter(metadata, count, ok):
    aggregates = [aggregate(1, "a", ["h"], **metadata)]
    assert passed("AggregateIoOpsFilter", [host("h", num_io_ops=count)], aggregates) == [ok]


# IsolatedHostsFilter — §5.4.9


@pytest.mark.parametrize(
    ("images", "restrict", "image", "expected"),
    [
        ((), True, None, [False, True]),  # no isolated images: isolated host refused
        ((), False, None, [True, True]),
        (("img-iso",), True, "img-iso", [True, False]),
        (("img-iso",), True, "img-other", [False, True]),
        (("img-iso",), False, "img-iso", [True, False]),
        (("img-iso",), False, "img-other", [True, True]),
        (("img-iso",), True, None, [False, True]),  # volume boot: not isolated
    ],
)
def test_isolated_hosts_filter(images, restrict, image, expected):
    config = SchedulerConfig(
        isolated_images=images,
        isolated_hosts=("iso",),
        restrict_isolated_hosts_to_isolated_images=restrict,
    )
    hosts = [host("iso"), host("normal")]
    assert (
        passed("IsolatedHostsFilter", hosts, spec=request(image_id=image), config=config)
        == expected
    )


# SameHost / DifferentHost — §5.4.10


@pytest.mark.parametrize(
    ("name", "hint", "expected"),
    [
        ("SameHostFilter", {}, [True, True]),
        ("SameHostFilter", {"same_host": ("u1",)}, [True, False]),
        ("SameHostFilter", {"same_host": ("u1", "u2")}, [True, True]),
        ("DifferentHostFilter", {}, [True, True]),
        ("DifferentHostFilter", {"different_host": ("u1",)}, [False, True]),
        ("DifferentHostFilter", {"different_host": ("u9",)}, [True, True]),
    ],
)
def test_same_and_different_host(name, hint, expected):
    hosts = [
        host("a", instance_uuids=frozenset({"u1"})),
        host("b", instance_uuids=frozenset({"u2"})),
    ]
    assert passed(name, hosts, spec=request(**hint)) == expected


# Filters with little data — §5.4.13


def test_simple_cidr_affinity_filter():
    hosts = [host("near", host_ip="10.0.0.7"), host("far", host_ip="10.0.1.7")]
    assert passed("SimpleCIDRAffinityFilter", hosts) == [True, True]
    spec = request(build_near_host_ip="10.0.0.1")
    assert passed("SimpleCIDRAffinityFilter", hosts, spec=spec) == [True, False]


def test_metrics_filter_needs_every_weighed_metric():
    config = SchedulerConfig(metrics_weight_setting=("cpu.percent=1.0",))
    hosts = [host("m", metrics={"cpu.percent": 0.5}), host("n")]
    assert passed("MetricsFilter", hosts, config=config) == [True, False]


@pytest.mark.parametrize(
    "name", ["AllHostsFilter", "JsonFilter", "NUMATopologyFilter", "PciPassthroughFilter"]
)
def test_filters_without_request_data_pass(name):
    assert passed(name, [host()]) == [True]


def test_numa_and_pci_requests_are_marked_not_evaluated():
    spec = request(
        flavor=flavor(extra_specs={"hw:numa_nodes": "2", "pci_passthrough:alias": "a:1"})
    )
    for name in ("NUMATopologyFilter", "PciPassthroughFilter"):
        result = verdicts(name, [host()], spec=spec)[0]
        assert result.passed and "not evaluated" in result.reason
