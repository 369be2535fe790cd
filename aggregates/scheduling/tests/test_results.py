"""Result objects: lazy host list, JSON shape, comparison of two previews."""

from aggregates.scheduling import compare, preview

from .factories import aggregate, host, request


def test_hosts_sequence_supports_index_slice_iteration_and_names():
    result = preview([host("a"), host("b"), host("c")], [], request())
    assert len(result.hosts) == 3
    assert result.hosts[1].host == "b"
    assert [h.host for h in result.hosts[0:2]] == ["a", "b"]
    assert [h.host for h in result.hosts] == ["a", "b", "c"]
    assert result.host("c").host == "c"


def test_ranking_is_best_first():
    result = preview([host("small", memory_mb_used=8000), host("big")], [], request())
    assert [h.host for h in result.ranking] == ["big", "small"]


def test_comparison_lists_losses_too():
    before = preview([host("a"), host("b")], [], request())
    after = preview([host("a"), host("b", status="disabled")], [], request())
    change = compare(before, after)
    assert change.hosts_lost == ("b",) and change.hosts_gained == ()
    assert change.to_dict()["slots_changed"] == {"b": {"before": 5, "after": 0}}


def test_step_to_dict():
    step = preview([host("a")], [], request()).host("a").filters[0]
    assert step.to_dict() == {
        "name": step.name,
        "passed": True,
        "reason": step.reason,
        "error": False,
    }


def mixed_hosts() -> list:
    """Hosts that pass, that Placement rejects with their own numbers, that a pre-filter or a
    filter rejects."""
    hosts = [host(f"free-{n}") for n in range(4)]
    hosts += [host(f"full-{n}", memory_mb_used=16384 - 1024 * n) for n in range(3)]
    hosts += [host(f"off-{n}", status="disabled", disabled_reason=f"r{n % 2}") for n in range(3)]
    return hosts + [host(f"down-{n}", state="down") for n in range(2)]


def test_summarise_agrees_with_reading_every_host_verdict():
    result = preview(mixed_hosts(), [aggregate(1, "az1", ["free-0", "full-1"])], request())
    calls = []

    def outline(verdict):
        calls.append(verdict)
        return verdict.failed_filter, verdict.reason, verdict.error

    summaries = result.hosts.summarise(outline)

    expected = [(h.failed_filter, h.verdict.reason, h.verdict.error) for h in result.hosts]
    assert summaries == expected
    assert {summary[0] for summary in summaries} == {
        None,
        "Placement",
        "compute_status_filter",
        "ComputeFilter",
    }
    # Once per shared verdict; the Placement rejections, whose reasons are their own, per host.
    assert len(calls) < len(result.hosts)
    assert len({reason for _, reason, _ in summaries if "Placement" in reason}) == 3


def test_top_is_the_head_of_the_ranking():
    hosts = [host(f"h{n}", memory_mb_used=1000 * n) for n in range(6)]
    result = preview(hosts, [], request())

    assert [h.host for h in result.top(3)] == [h.host for h in result.ranking[:3]]
    assert [h.host for h in result.top(3)] == ["h0", "h1", "h2"]
    assert result.top(0) == [] and len(result.top(99)) == 6
