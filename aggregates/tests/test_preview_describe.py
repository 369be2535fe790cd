"""What-if changes in words: one sentence per change kind, aggregates and flavors by name."""

import pytest

from aggregates.preview import describe_change
from aggregates.scheduling import AggregateState, FlavorSpec

AGGREGATES = (AggregateState(id=7, name="test-aggregate1"),)
FLAVORS = {"100": FlavorSpec(id="100", name="m1.coolhardware", vcpus=2, ram=2048, disk=20)}


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (
            {"action": "add_host", "aggregate": "test-aggregate1", "host": "devstack"},
            "add host devstack to test-aggregate1",
        ),
        (
            {"action": "add_host", "aggregate": 7, "host": "devstack"},
            "add host devstack to test-aggregate1",
        ),
        (
            {"action": "remove_host", "aggregate": "7", "host": "devstack"},
            "remove host devstack from test-aggregate1",
        ),
        (
            {"action": "remove_host", "aggregate": "gone", "host": "devstack"},
            "remove host devstack from aggregate gone",
        ),
        (
            {"action": "set_metadata", "aggregate": 7, "metadata": {"ssd": "true", "old": None}},
            "set ssd=true and delete old on test-aggregate1",
        ),
        (
            {"action": "delete_metadata", "aggregate": 7, "keys": ["ssd", "gpu"]},
            "delete keys ssd, gpu from test-aggregate1",
        ),
        (
            {"action": "update_flavor", "flavor": "100", "extra_specs": {"coolhardware": "true"}},
            "set extra spec coolhardware=true on flavor m1.coolhardware (100)",
        ),
        (
            {"action": "update_flavor", "flavor": "100", "extra_specs": {"gpu": None}},
            "delete extra spec gpu on flavor m1.coolhardware (100)",
        ),
        (
            {"action": "create_flavor", "name": "m1.big", "vcpus": 4, "ram": 8192, "disk": 40},
            "create flavor m1.big: 4 vCPUs, 8192 MB RAM, 40 GB disk",
        ),
        (
            {
                "action": "create_flavor",
                "name": "m1.one",
                "flavor_id": "101",
                "vcpus": 1,
                "ram": 512,
                "extra_specs": {"coolhardware": "true"},
            },
            "create flavor m1.one (101): 1 vCPU, 512 MB RAM, 0 GB disk, "
            "extra specs coolhardware=true",
        ),
        (
            {"action": "disable_host", "host": "compute-2", "disabled_reason": "maintenance"},
            "disable host compute-2 (maintenance)",
        ),
        ({"action": "enable_host", "host": "compute-2"}, "enable host compute-2"),
    ],
)
def test_each_change_kind_reads_as_a_sentence(change, words):
    assert describe_change(change, aggregates=AGGREGATES, flavors=FLAVORS) == words
