"""Warnings about flavors and aggregates Nova reads differently than expected (§4.2, §5, §9)."""

import pytest

from aggregates.scheduling.config import SchedulerConfig
from aggregates.scheduling.context import PreviewContext
from aggregates.scheduling.lint import lint_request

from .factories import aggregate, flavor, host, request, with_filters

AGGREGATE_FILTER = with_filters("AggregateInstanceExtraSpecsFilter")


def lint(extra_specs, config=None, aggregates=()):
    spec = request(flavor=flavor(extra_specs=extra_specs))
    ctx = PreviewContext([host()], aggregates, spec, config or SchedulerConfig())
    lint_request(ctx)
    return ctx.warnings


@pytest.mark.parametrize(
    ("extra_specs", "config", "fragment"),
    [
        # §5.1 / §9.2: unscoped key with AggregateInstanceExtraSpecsFilter off.
        ({"coolhardware": "true"}, None, "read by no enabled filter"),
        ({"aggregate_instance_extra_specs:ssd": "true"}, None, "read by no enabled filter"),
        # §5.4.2: an unscoped key naming a host attribute becomes a capability check.
        ({"host": "compute-1"}, None, "checks it as a capability"),
        # §9.9: group_policy is colon-less.
        ({"group_policy": "none"}, AGGREGATE_FILTER, "group_policy has no colon"),
        ({"hide_hypervisor_id": "true"}, AGGREGATE_FILTER, "hide_hypervisor_id has no colon"),
        # §4.2: operator quirks.
        ({"speed": "= 4"}, AGGREGATE_FILTER, "at least"),
        ({"speed": "==4"}, AGGREGATE_FILTER, "not an operator"),
        ({"speed": "<or> a b c"}, AGGREGATE_FILTER, "every second word"),
        ({"speed": "<or>"}, AGGREGATE_FILTER, "flavor error"),
        ({"speed": "= fast"}, AGGREGATE_FILTER, "flavor error"),
        # §5.4.3: metadata values are comma-split, so a comma never matches.
        ({"colour": "red,blue"}, AGGREGATE_FILTER, "split on commas"),
        (
            {"capabilities:hypervisor_type": "QEMU"},
            SchedulerConfig(enabled_filters=()),
            "ComputeCapabilitiesFilter is not",
        ),
        ({"hw:numa_nodes": "2"}, None, "does not model"),
    ],
)
def test_flavor_warnings(extra_specs, config, fragment):
    warnings = lint(extra_specs, config)
    assert any(fragment in warning for warning in warnings), warnings


@pytest.mark.parametrize(
    "extra_specs",
    [
        {"coolhardware": "true"},
        {"aggregate_instance_extra_specs:ssd": "<or> a <or> b"},
        {"resources:VCPU": "2", "trait:CUSTOM_X": "required"},
    ],
)
def test_clean_flavors_raise_no_warning(extra_specs):
    assert lint(extra_specs, AGGREGATE_FILTER) == []


@pytest.mark.parametrize(
    "key", ["cpu_allocation_ratio", "ram_allocation_ratio", "disk_allocation_ratio"]
)
def test_allocation_ratio_metadata_has_no_effect(key):
    # §5.2 / §9.12.
    warnings = lint({}, aggregates=[aggregate(1, "dense", ["compute-1"], **{key: "2.0"})])
    assert any(key in w and "no effect" in w for w in warnings)
