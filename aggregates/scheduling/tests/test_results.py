"""Result objects: lazy host list, JSON shape, comparison of two previews."""

from aggregates.scheduling import compare, preview

from .factories import host, request


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
