"""Hosts grouped by aggregate membership, metadata unions (nova-scheduling.md §5.4)."""

from aggregates.scheduling.config import SchedulerConfig
from aggregates.scheduling.context import PreviewContext

from .factories import aggregate, host, request


def make(hosts, aggregates):
    return PreviewContext(hosts, aggregates, request(), SchedulerConfig())


def test_hosts_with_the_same_aggregates_share_a_class():
    aggregates = [aggregate(1, "a", ["h1", "h2", "h3"]), aggregate(2, "b", ["h2", "h3"])]
    ctx = make([host("h1"), host("h2"), host("h3"), host("h4")], aggregates)
    h1, h2, h3, h4 = ctx.host_class
    assert h2 == h3 and len({h1, h2, h4}) == 3
    assert ctx.classes[h2] == (0, 1)
    assert ctx.classes[h4] == ()


def test_metadata_union_splits_values_on_commas():
    # §5.4: {a1: {k: "x"}, a2: {k: "y, z"}} gives k -> {x, y, z}.
    aggregates = [aggregate(1, "a1", ["h"], k="x"), aggregate(2, "a2", ["h"], k="y, z")]
    ctx = make([host("h")], aggregates)
    assert ctx.class_metadata(ctx.host_class[0]) == {"k": {"x", "y", "z"}}


def test_a_host_listed_twice_in_one_aggregate_counts_once():
    ctx = make([host("h")], [aggregate(1, "a", ["h", "h"])])
    assert ctx.classes[ctx.host_class[0]] == (0,)


def test_service_codes():
    hosts = [
        host("ok"),
        host("forced", forced_down=True),
        host("down", state="down"),
        host("off", status="disabled"),
    ]
    ctx = make(hosts, [])
    assert ctx.service_codes[:3] == [0, 1, 2]
    assert ctx.service_codes[3] >= 3
