"""Placement request pre-filters (nova-scheduling.md §5.3)."""

import pytest

from aggregates.scheduling.config import SchedulerConfig
from aggregates.scheduling.prefilters import (
    accelerators_filter,
    compute_status_filter,
    isolate_aggregates,
    map_az_to_placement_aggregate,
    owner_nova_filter,
    require_image_type_support,
    require_tenant_aggregate,
    transform_image_metadata,
)

from .factories import aggregate, context, flavor, host, request, run_step

HOSTS = [host("in-az"), host("other-az"), host("no-az")]
ZONES = [
    aggregate(1, "agg-az1", ["in-az"], availability_zone="az1"),
    aggregate(2, "agg-az2", ["other-az"], availability_zone="az2"),
]


def passes(step, hosts=HOSTS, aggregates=ZONES, spec=None, config=None):
    results = run_step(step, hosts, aggregates, spec or request(), config or SchedulerConfig())
    return [result.passed for result in results]


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        (None, [True, True, True]),  # §5.3.2: no zone, no restriction
        ("az1", [True, False, False]),  # §5.3.2: confined to the zone's aggregates
        ("nova", [True, True, True]),  # §5.3.2 / §9.1: the default zone restricts nothing
        ("internal", [True, True, True]),  # §5.3.2: unrestricted unless an aggregate has it
    ],
)
def test_map_az_to_placement_aggregate(zone, expected):
    assert passes(map_az_to_placement_aggregate, spec=request(availability_zone=zone)) == expected


def test_map_az_compares_the_whole_value():
    # §5.3.2: an aggregate with AZ "x,y" does not match a request for "x".
    aggregates = [aggregate(1, "legacy", ["in-az"], availability_zone="x,y")]
    assert passes(
        map_az_to_placement_aggregate, aggregates=aggregates, spec=request(availability_zone="x")
    ) == [
        True,
        True,
        True,
    ]


def test_map_az_confines_nova_when_an_aggregate_carries_it():
    # §5.3.2: availability_zone=nova on an aggregate confines requests for nova to it.
    aggregates = [aggregate(1, "nova-agg", ["in-az"], availability_zone="nova")]
    result = run_step(
        map_az_to_placement_aggregate, HOSTS, aggregates, request(availability_zone="nova")
    )
    assert [r.passed for r in result] == [True, False, False]
    assert "not in availability zone 'nova'" in result[1].reason


def test_map_az_uses_default_schedule_zone():
    # §1: without a zone in the request, [DEFAULT] default_schedule_zone is requested.
    config = SchedulerConfig(default_schedule_zone="az2")
    assert passes(map_az_to_placement_aggregate, config=config) == [False, True, False]


TENANT_AGGS = [
    aggregate(1, "pool-a", ["in-az"], filter_tenant_id="project-a"),
    aggregate(2, "pool-shared", ["other-az"], filter_tenant_id2="project-b,project-a"),
]
TENANT_ON = SchedulerConfig(limit_tenants_to_placement_aggregate=True)


def test_require_tenant_aggregate_is_off_by_default():
    ctx = context(HOSTS, TENANT_AGGS, request())
    assert require_tenant_aggregate(ctx) is None


def test_require_tenant_aggregate_confines_to_exact_values():
    # §5.3.1: value must equal the project id; "project-b,project-a" does not grant project-a.
    assert passes(require_tenant_aggregate, aggregates=TENANT_AGGS, config=TENANT_ON) == [
        True,
        False,
        False,
    ]


def test_require_tenant_aggregate_does_not_confine_unlisted_projects():
    # §5.3.1 / §9.11: it confines listed tenants but does not exclude others.
    spec = request(project_id="project-z")
    assert passes(
        require_tenant_aggregate, aggregates=TENANT_AGGS, spec=spec, config=TENANT_ON
    ) == [
        True,
        True,
        True,
    ]


def test_require_tenant_aggregate_key_prefix():
    # §5.3.1: keys starting with filter_tenant_id (filter_tenant_id3, filter_tenant_id:12).
    aggregates = [aggregate(1, "pool", ["no-az"], **{"filter_tenant_id:12": "project-a"})]
    assert passes(require_tenant_aggregate, aggregates=aggregates, config=TENANT_ON) == [
        False,
        False,
        True,
    ]


def test_tenant_without_aggregate_fails_every_host_when_required():
    # §5.3.1: placement_aggregate_required_for_tenants -> "No hosts available for tenant".
    config = SchedulerConfig(
        limit_tenants_to_placement_aggregate=True, placement_aggregate_required_for_tenants=True
    )
    ctx = context(HOSTS, [], request(), config)
    result = require_tenant_aggregate(ctx)
    assert not result.passed
    assert "No hosts available for tenant" in result.reason
    assert ctx.errors


@pytest.mark.parametrize(
    ("fields", "passed"),
    [
        ({}, True),
        ({"status": "disabled", "disabled_reason": "maint"}, False),  # §5.3 #4
        ({"state": "down"}, True),  # liveness is ComputeFilter's business
        ({"traits": frozenset({"COMPUTE_STATUS_DISABLED"})}, False),  # Placement's trait decides
        ({"status": "disabled", "traits": frozenset()}, True),
    ],
)
def test_compute_status_filter(fields, passed):
    results = run_step(compute_status_filter, [host("h", **fields), host("ok")])
    assert results[0].passed is passed
    assert results[1].passed
    if not passed and "disabled_reason" in fields:
        assert "maint" in results[0].reason


ISOLATED = [
    aggregate(1, "ssd-only", ["in-az"], **{"trait:CUSTOM_SSD": "required"}),
    aggregate(2, "open", ["other-az"]),
]


@pytest.mark.parametrize(
    ("extra_specs", "enabled", "expected"),
    [
        # §5.3.3: an aggregate requiring CUSTOM_SSD only takes requests requiring it.
        ({}, True, [False, True, True]),
        ({"trait:CUSTOM_SSD": "required"}, True, [True, True, True]),
        ({"trait:CUSTOM_SSD": "forbidden"}, True, [False, True, True]),
        ({}, False, None),  # off by default: the step does not run
    ],
)
def test_isolate_aggregates(extra_specs, enabled, expected):
    config = SchedulerConfig(enable_isolated_aggregate_filtering=enabled)
    spec = request(flavor=flavor(extra_specs=extra_specs))
    ctx = context(HOSTS, ISOLATED, spec, config)
    column = isolate_aggregates(ctx)
    if expected is None:
        assert column is None
        return
    results = column if isinstance(column, list) else [column] * 3
    assert [result.passed for result in results] == expected


def test_isolate_aggregates_needs_every_listed_trait():
    # §5.3.3: a request must require all the traits an aggregate lists.
    aggregates = [
        aggregate(
            1, "two", ["in-az"], **{"trait:CUSTOM_A": "required", "trait:CUSTOM_B": "required"}
        )
    ]
    config = SchedulerConfig(enable_isolated_aggregate_filtering=True)
    spec = request(flavor=flavor(extra_specs={"trait:CUSTOM_A": "required"}))
    results = run_step(isolate_aggregates, HOSTS, aggregates, spec, config)
    assert not results[0].passed
    assert "CUSTOM_B" in results[0].reason


def test_accelerators_filter_requires_the_trait_when_a_device_profile_is_asked():
    # §5.3 #7.
    spec = request(flavor=flavor(extra_specs={"accel:device_profile": "gpu"}))
    hosts = [
        host("yes", traits=frozenset({"COMPUTE_ACCELERATORS"})),
        host("no", traits=frozenset()),
    ]
    assert [r.passed for r in run_step(accelerators_filter, hosts, spec=spec)] == [True, False]
    assert accelerators_filter(context(hosts)) is None


def test_owner_nova_filter_only_once_every_compute_is_new_enough():
    # §5.3 #14: gated on service version >= 73 everywhere.
    new = [
        host("a", service_version=73, traits=frozenset({"OWNER_NOVA"})),
        host("b", service_version=74, traits=frozenset()),
    ]
    assert [r.passed for r in run_step(owner_nova_filter, new)] == [True, False]
    mixed = [host("a", service_version=73), host("b", service_version=72)]
    assert owner_nova_filter(context(mixed)) is None


def test_image_type_support_when_enabled():
    # §5.3 #3.
    config = SchedulerConfig(query_placement_for_image_type_support=True)
    spec = request(image_disk_format="qcow2")
    hosts = [
        host("q", traits=frozenset({"COMPUTE_IMAGE_TYPE_QCOW2"})),
        host("r", traits=frozenset()),
    ]
    assert [
        r.passed for r in run_step(require_image_type_support, hosts, spec=spec, config=config)
    ] == [
        True,
        False,
    ]
    assert (
        require_image_type_support(
            context(hosts, spec=request(is_bfv=True, image_disk_format="qcow2"), config=config)
        )
        is None
    )


def test_transform_image_metadata_when_enabled():
    # §5.3 #6: image properties become required traits.
    config = SchedulerConfig(image_metadata_prefilter=True)
    spec = request(image_properties={"hw_disk_bus": "virtio"})
    hosts = [
        host("v", traits=frozenset({"COMPUTE_STORAGE_BUS_VIRTIO"})),
        host("x", traits=frozenset()),
    ]
    assert [
        r.passed for r in run_step(transform_image_metadata, hosts, spec=spec, config=config)
    ] == [
        True,
        False,
    ]
