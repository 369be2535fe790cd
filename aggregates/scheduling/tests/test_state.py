"""Zones derived from aggregates and services (nova-scheduling.md §2.2)."""

from aggregates.scheduling.config import SchedulerConfig
from aggregates.scheduling.state import (
    AggregateState,
    availability_zones,
    zone_names,
    zone_of_aggregates,
)

from .factories import aggregate, host


def zones(hosts, aggregates, config=None):
    config = config or SchedulerConfig()
    found = availability_zones(hosts, aggregates, config)
    # zone_names is the quick answer to "which zones exist": always the same names.
    assert zone_names(hosts, aggregates, config) == {zone.name for zone in found}
    return {zone.name: (zone.available, zone.hosts) for zone in found}


def test_hosts_in_no_zone_aggregate_are_in_the_default_zone():
    result = zones([host("a"), host("b")], [aggregate(1, "z", ["a"], availability_zone="az1")])
    assert result == {"az1": (True, ("a",)), "nova": (True, ("b",))}


def test_a_zone_of_disabled_services_is_unavailable():
    # §2.2: available = at least one enabled service, liveness does not matter.
    hosts = [host("a", status="disabled"), host("b", state="down")]
    aggregates = [aggregate(1, "z", ["a"], availability_zone="az1")]
    result = zones(hosts, aggregates)
    assert result["az1"][0] is False
    assert result["nova"][0] is True


def test_an_empty_zone_aggregate_lists_no_zone():
    assert "az-empty" not in zones(
        [host("a")], [aggregate(1, "z", [], availability_zone="az-empty")]
    )


def test_legacy_hosts_in_two_zones_join_them_with_a_comma():
    aggregates = [
        aggregate(1, "z1", ["a"], availability_zone="az2"),
        aggregate(2, "z2", ["a"], availability_zone="az1"),
    ]
    assert zones([host("a")], aggregates) == {"az1,az2": (True, ("a",))}


def test_default_zone_is_configurable():
    config = SchedulerConfig(default_availability_zone="elsewhere")
    assert zone_of_aggregates([], config) == "elsewhere"


def test_aggregate_zone_is_its_metadata():
    assert AggregateState(1, "a", metadata={"availability_zone": "x"}).availability_zone == "x"
    assert AggregateState(1, "a").availability_zone is None


def test_zone_names_ignore_aggregate_members_that_are_no_compute_host():
    aggregates = [aggregate(1, "z", ["gone"], availability_zone="az1")]
    assert zones([host("a")], aggregates) == {"nova": (True, ("a",))}
