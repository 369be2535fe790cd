"""The whole preview: Nova's order of steps, first rejecting step, ranking, slots, warnings."""

import ast
import dataclasses
import json
import pathlib
import sys

import pytest

from aggregates.scheduling import (
    AggregateState,
    FlavorSpec,
    HostState,
    RequestSpec,
    SchedulerConfig,
    compare,
    preview,
)

from .factories import aggregate, flavor, host, request, with_filters

# nova-scheduling.md §8 "Seed scenario check" / DESIGN.md CLI tour.
COOL_FLAVOR = FlavorSpec(
    id="100",
    name="m1.coolhardware",
    vcpus=2,
    ram=2048,
    disk=20,
    extra_specs={"coolhardware": "true"},
)
TOUR_CONFIG = with_filters("AggregateInstanceExtraSpecsFilter")
TOUR_HOSTS = [
    HostState("devstack", vcpus=8, memory_mb=16384, local_gb=100),
    HostState("compute-2", vcpus=8, memory_mb=16384, local_gb=100),
]


def tour_aggregates(devstack_in_aggregate1: bool) -> list[AggregateState]:
    return [
        AggregateState(
            1,
            "test-aggregate1",
            ("devstack",) if devstack_in_aggregate1 else (),
            {"coolhardware": "true"},
        ),
        AggregateState(2, "test-aggregate2", ("devstack",), {"availability_zone": "test-az"}),
    ]


def tour(devstack_in_aggregate1: bool):
    spec = RequestSpec(flavor=COOL_FLAVOR, project_id="demo", availability_zone="test-az")
    return preview(TOUR_HOSTS, tour_aggregates(devstack_in_aggregate1), spec, TOUR_CONFIG)


def test_cli_tour_devstack_is_rejected_by_the_extra_specs_filter():
    result = tour(devstack_in_aggregate1=False)
    devstack = result.host("devstack")
    assert not devstack.passed
    assert devstack.failed_filter == "AggregateInstanceExtraSpecsFilter"
    assert "coolhardware" in devstack.reason
    assert devstack.slots == 0 and devstack.rank is None


def test_cli_tour_compute_2_is_rejected_by_the_zone_pre_filter():
    compute_2 = tour(devstack_in_aggregate1=False).host("compute-2")
    assert compute_2.failed_filter == "map_az_to_placement_aggregate"
    assert "test-az" in compute_2.reason
    # Every step is still evaluated: the extra-specs filter would also reject it.
    assert not compute_2.step("AggregateInstanceExtraSpecsFilter").passed


def test_cli_tour_devstack_passes_and_ranks_first_after_joining_aggregate1():
    result = tour(devstack_in_aggregate1=True)
    devstack = result.host("devstack")
    assert devstack.passed and devstack.failed_filter is None
    assert devstack.rank == 1
    assert devstack.slots == 5  # 100 GB / 20 GB
    assert result.summary.best_hosts == ("devstack",)
    assert not result.host("compute-2").passed


def test_cli_tour_what_if_comparison():
    change = compare(tour(False), tour(True))
    assert change.hosts_gained == ("devstack",)
    assert change.hosts_lost == ()
    assert change.slots_changed == {"devstack": (0, 5)}
    assert change.slots_delta == 5


def test_cli_tour_with_default_filters_warns_that_coolhardware_is_ignored():
    # nova-scheduling.md §5.1 / §9.2: without the filter the unscoped key has no effect.
    spec = RequestSpec(flavor=COOL_FLAVOR, project_id="demo", availability_zone="test-az")
    result = preview(TOUR_HOSTS, tour_aggregates(False), spec)
    assert result.host("devstack").passed
    assert any("coolhardware" in w and "no enabled filter" in w for w in result.warnings)


def test_steps_run_in_nova_order():
    result = tour(False)
    assert result.summary.steps == (
        "map_az_to_placement_aggregate",
        "compute_status_filter",
        "Placement",
        "ComputeFilter",
        "ComputeCapabilitiesFilter",
        "ImagePropertiesFilter",
        "ServerGroupAntiAffinityFilter",
        "ServerGroupAffinityFilter",
        "AggregateInstanceExtraSpecsFilter",
    )
    assert [step.name for step in result.host("devstack").filters] == list(result.summary.steps)


def test_requesting_the_default_zone_restricts_nothing():
    # nova-scheduling.md §5.3.2 / §9.1: "nova" lands on hosts of any zone.
    hosts = [host("in-test-az"), host("no-zone")]
    aggregates = [aggregate(1, "z", ["in-test-az"], availability_zone="test-az")]
    result = preview(hosts, aggregates, request(availability_zone="nova"))
    assert [h.passed for h in result.hosts] == [True, True]
    assert any("default zone" in warning for warning in result.warnings)
    assert result.errors == []


def test_disabled_host_is_rejected_by_compute_status_filter_first():
    # §5.3 #4 comes before ComputeFilter (§5.4.1), which would also reject it.
    hosts = [host("off", status="disabled", disabled_reason="maint"), host("on")]
    off = preview(hosts, [], request()).host("off")
    assert off.failed_filter == "compute_status_filter"
    assert "maint" in off.reason
    assert not off.step("ComputeFilter").passed


def test_down_host_is_rejected_by_compute_filter():
    down = preview([host("down", state="down"), host("up")], [], request()).host("down")
    assert down.failed_filter == "ComputeFilter"


@pytest.mark.parametrize(("used", "passes"), [(13824, True), (13825, False)])
def test_capacity_at_the_exact_edge(used, passes):
    # §5.2: (16384 - 512) x 1.0 = 15872 = 13824 + 2048.
    result = preview([host("h", memory_mb_used=used)], [], request(flavor=flavor(ram=2048)))
    h = result.host("h")
    assert h.passed is passes
    assert h.failed_filter == (None if passes else "Placement")
    if not passes:
        assert "MEMORY_MB" in h.reason


def test_first_rejecting_step_is_nova_s_and_later_failures_are_still_shown():
    # Full, disabled, and out of zone: the zone pre-filter comes first.
    hosts = [host("bad", status="disabled", memory_mb_used=16000), host("good")]
    aggregates = [aggregate(1, "z", ["good"], availability_zone="az1")]
    result = preview(hosts, aggregates, request(availability_zone="az1"))
    bad = result.host("bad")
    assert bad.failed_filter == "map_az_to_placement_aggregate"
    failing = [step.name for step in bad.filters if not step.passed]
    assert failing == [
        "map_az_to_placement_aggregate",
        "compute_status_filter",
        "Placement",
        "ComputeFilter",
    ]
    assert result.summary.rejected_by["map_az_to_placement_aggregate"] == 1
    assert result.summary.failing["Placement"] == 1


def test_ranking_weights_and_slots():
    hosts = [host("busy", memory_mb_used=8192), host("idle"), host("full", memory_mb_used=15000)]
    result = preview(hosts, [], request(flavor=flavor(vcpus=1, ram=2048, disk=10)))
    assert result.host("idle").rank == 1
    assert result.host("busy").rank == 2
    assert result.host("full").rank is None
    assert result.host("idle").weight > result.host("busy").weight
    assert result.host("idle").slots == 7  # 15872 / 2048
    assert result.host("busy").slots == 3  # 7680 / 2048
    assert result.summary.total_slots == 10
    assert result.summary.candidates == 2


def test_num_instances_filter_caps_slots():
    config = with_filters("NumInstancesFilter", max_instances_per_host=10)
    result = preview(
        [host("h", num_instances=8)], [], request(flavor=flavor(ram=512, disk=1)), config
    )
    assert result.host("h").slots == 2


def test_aggregate_num_instances_filter_caps_slots_per_aggregate():
    config = with_filters("AggregateNumInstancesFilter")
    aggregates = [aggregate(1, "small", ["h"], max_instances_per_host="4")]
    result = preview(
        [host("h", num_instances=1)], aggregates, request(flavor=flavor(ram=512, disk=1)), config
    )
    assert result.host("h").slots == 3


def test_anti_affinity_caps_slots():
    from aggregates.scheduling import ServerGroup

    group = ServerGroup("anti-affinity", members=frozenset({"u1"}), max_server_per_host=3)
    result = preview([host("h", instance_uuids=frozenset({"u1"}))], [], request(group=group))
    assert result.host("h").slots == 2


def test_request_error_when_nova_would_raise_on_a_host_that_reaches_the_filter():
    # §4.2: a numeric comparison against "true" raises: the request ends in ERROR.
    config = with_filters("AggregateInstanceExtraSpecsFilter")
    aggregates = [aggregate(1, "cool", ["h"], coolhardware="true")]
    spec = request(flavor=flavor(extra_specs={"coolhardware": ">= 1"}))
    result = preview([host("h")], aggregates, spec, config)
    h = result.host("h")
    assert h.verdict.error and h.failed_filter == "AggregateInstanceExtraSpecsFilter"
    assert result.errors and "coolhardware" in result.errors[0]
    assert result.summary.request_error == result.errors[0]


def test_no_request_error_when_no_host_reaches_the_raising_filter():
    config = with_filters("AggregateInstanceExtraSpecsFilter")
    aggregates = [aggregate(1, "cool", ["h"], coolhardware="true")]
    spec = request(flavor=flavor(extra_specs={"coolhardware": ">= 1"}))
    result = preview([host("h", status="disabled")], aggregates, spec, config)
    assert result.errors == []


def test_flavor_level_parse_error_is_warned():
    config = with_filters("AggregateInstanceExtraSpecsFilter")
    spec = request(flavor=flavor(extra_specs={"coolhardware": "<or>"}))
    result = preview([host("h")], [], spec, config)
    assert any("flavor error" in w and "coolhardware" in w for w in result.warnings)


def test_allocation_ratio_metadata_is_warned_as_without_effect():
    # nova-scheduling.md §5.2 / §9.12.
    aggregates = [aggregate(1, "dense", ["h"], cpu_allocation_ratio="16.0")]
    result = preview([host("h", vcpus_used=30)], aggregates, request(flavor=flavor(vcpus=4)))
    assert not result.host("h").passed  # 8 x 4.0 = 32: the metadata changes nothing
    assert any("cpu_allocation_ratio has no effect" in w for w in result.warnings)


def test_unavailable_zone_is_a_request_error():
    # §1: a zone no enabled service is in -> 400.
    aggregates = [aggregate(1, "z", ["h"], availability_zone="az-off")]
    hosts = [host("h", status="disabled"), host("other")]
    result = preview(hosts, aggregates, request(availability_zone="az-off"))
    assert "400: The requested availability zone is not available" in result.errors
    result = preview(hosts, aggregates, request(availability_zone="no-such-zone"))
    assert result.errors


@pytest.mark.parametrize(
    ("flavor_fields", "project", "is_admin", "error"),
    [
        ({"disabled": True}, "p", False, True),
        ({"is_public": False}, "p", False, True),
        ({"is_public": False, "access_project_ids": frozenset({"p"})}, "p", False, False),
        ({"is_public": False}, "p", True, False),
    ],
)
def test_flavor_access(flavor_fields, project, is_admin, error):
    spec = request(flavor=flavor(**flavor_fields), project_id=project, is_admin=is_admin)
    result = preview([host()], [], spec)
    assert bool(result.errors) is error


def test_forced_host_skips_filters():
    # §1 step 5: "az:host" restricts Placement to the host and skips every filter.
    hosts = [host("target", state="down"), host("other")]
    result = preview(hosts, [], request(availability_zone="nova:target"))
    target = result.host("target")
    assert target.passed
    assert target.step("ComputeFilter").reason.startswith("skipped")
    assert result.host("other").failed_filter == "Placement"


def test_placement_cap_is_flagged_with_the_hosts_it_may_cut():
    hosts = [host(f"h{index}") for index in range(5)]
    config = SchedulerConfig(max_placement_results=3)
    result = preview(hosts, [], request(), config)
    assert result.summary.cap_applied
    assert result.summary.placement_candidates == 3
    assert result.summary.possibly_cut == ("h3", "h4")
    assert any("max_placement_results" in w for w in result.warnings)


def test_placement_cap_does_not_apply_with_same_host_hints():
    # §3.4: the limit is removed for same_host / different_host / group hints.
    hosts = [host(f"h{index}") for index in range(5)]
    config = SchedulerConfig(max_placement_results=3)
    result = preview(hosts, [], request(different_host=("u1",)), config)
    assert not result.summary.cap_applied


def test_to_dict_shape_is_json_ready():
    data = tour(True).to_dict()
    json.dumps(data)
    assert set(data) == {"hosts", "summary", "warnings", "errors"}
    first = data["hosts"][0]
    assert set(first) == {
        "host",
        "passed",
        "failed_filter",
        "reason",
        "filters",
        "weight",
        "rank",
        "slots",
    }
    assert set(first["filters"][0]) == {"name", "passed", "reason", "error"}
    assert {"hosts", "candidates", "rejected_by", "total_slots", "cap_applied"} <= set(
        data["summary"]
    )


def test_identical_verdicts_are_shared_between_hosts():
    result = preview([host("a"), host("b")], [], request())
    a, b = result.hosts
    assert a.verdict is b.verdict


def test_what_if_by_replacing_inputs():
    hosts = [host("a"), host("b", memory_mb_used=14000)]
    before = preview(hosts, [], request())
    after = preview([hosts[0], dataclasses.replace(hosts[1], memory_mb_used=0)], [], request())
    change = compare(before, after)
    assert change.hosts_gained == ("b",)
    assert change.slots_changed["b"] == (0, 5)


def test_empty_cloud():
    result = preview([], [], request())
    assert result.summary.hosts == 0 and list(result.hosts) == []


def test_weight_breakdown_explains_the_weight():
    result = preview([host("a"), host("b", memory_mb_used=8192)], [], request())
    parts = result.weight_breakdown("a")
    assert sum(part.score for part in parts) == pytest.approx(result.host("a").weight)
    assert {part.weigher for part in parts} >= {"RAMWeigher"}


def test_engine_imports_only_the_standard_library():
    # DESIGN.md: the engine has no Django, DRF, Celery, openstacksdk or our apps.
    package = pathlib.Path(__file__).resolve().parents[1]
    allowed = set(sys.stdlib_module_names) | {"__future__", "numpy"}  # DESIGN.md: numpy is fine
    for path in package.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                roots = [(node.module or "").split(".")[0]]
            else:
                continue
            assert set(roots) <= allowed, f"{path.name} imports {roots}"


def test_shared_verdicts_equal_host_by_host_evaluation():
    # The columnar combination of verdicts must not change any host's outcome.
    from aggregates.scheduling.bench import synthetic_cloud

    cloud = synthetic_cloud(300, seed=7)
    config = with_filters(
        "AggregateInstanceExtraSpecsFilter",
        "AggregateMultiTenancyIsolation",
        "NumInstancesFilter",
        "IoOpsFilter",
        limit_tenants_to_placement_aggregate=True,
    )
    spec = dataclasses.replace(
        cloud.request, flavor=flavor(vcpus=4, ram=8192, disk=80, extra_specs={"ssd": "true"})
    )
    whole = preview(cloud.hosts, cloud.aggregates, spec, config)
    for index in range(0, 300, 7):
        alone = preview([cloud.hosts[index]], cloud.aggregates, spec, config).hosts[0]
        together = whole.hosts[index]
        assert together.failed_filter == alone.failed_filter
        assert together.reason == alone.reason
        assert [(s.name, s.passed, s.reason) for s in together.filters] == [
            (s.name, s.passed, s.reason) for s in alone.filters
        ]
        assert together.slots == alone.slots


@pytest.mark.parametrize(
    ("zone", "refusal"),
    [
        ("bogus::h", "400: The requested availability zone is not available"),  # node only
        ("bogus:h", None),  # a forced host skips the API's check
        ("a:b:c:d", "400: Invalid input received: Unable to parse availability_zone"),
    ],
)
def test_zone_api_check_follows_novas_parse_of_forced_destinations(zone, refusal):
    result = preview([host("h")], [], request(availability_zone=zone))
    assert result.summary.zone is not None
    assert result.summary.zone.refusal == refusal
