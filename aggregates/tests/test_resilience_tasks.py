"""N+1 split across workers: parts merge into exactly the one-task answer; a failed part fails
the run (API and page say so) and a new run can start."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from aggregates import preview, queries, tasks
from aggregates.demo.synthetic import add_servers, build_cloud
from aggregates.models import Host
from aggregates.queries.planning import resilience_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def split_cloud(monkeypatch):
    """40 hosts, 3 servers each and a stranded one on every 7th; parts of 8 hosts or more."""
    cloud = build_cloud("split", 40)
    add_servers(cloud, 3, stranded_every=7)
    monkeypatch.setattr(tasks, "RESILIENCE_MIN_PART_UNITS", 8)
    return cloud


def run(cloud, level="host", *, processes=1, monkeypatch):
    """The worker's N+1 run of `cloud`, with `processes` worker processes seen running."""
    monkeypatch.setattr(tasks, "resilience_processes", lambda task: processes)
    state = queries.claim_resilience(cloud, level)
    assert state is not None
    tasks.plan_resilience.apply(args=[cloud.pk, level, state.version])
    return queries.resilience_state(cloud, level)


def ask(client, cloud, **params):
    return client.get(reverse("api-resilience", args=[cloud.slug]), params)


@pytest.mark.parametrize(
    ("units", "processes", "parts"),
    [
        (10_000, 1, 1),  # one worker: one task, as before
        (10_000, 2, 4),  # twice the processes
        (10_000, 6, 8),  # never more than 8 parts
        (499, 4, 1),  # parts of at least 250 units
        (750, 4, 3),
    ],
)
def test_parts_follow_processes_and_units(units, processes, parts):
    assert tasks.RESILIENCE_MIN_PART_UNITS == 250  # the cases assume it
    assert tasks.resilience_parts(units, processes) == parts


@pytest.mark.parametrize("level", ["host", "zone"])
def test_a_split_run_merges_into_the_one_task_answer(split_cloud, monkeypatch, level):
    if level == "zone":
        monkeypatch.setattr(tasks, "RESILIENCE_MIN_PART_UNITS", 1)  # 4 zones
    split = run(split_cloud, level, processes=3, monkeypatch=monkeypatch)
    cache.delete(resilience_key(level, split.version))
    single = run(split_cloud, level, processes=1, monkeypatch=monkeypatch)

    assert (split.parts, single.parts) == ((5, 1) if level == "host" else (4, 1))
    assert split.complete and single.complete
    assert split.risks == single.risks
    assert split.done == split.total == len(single.risks)
    if level == "host":
        assert len(single.risks) == 40
        assert 0 < len(single.failing) < 40  # the order is worst first, then by servers, name
        assert single.risks[0].stranded == 1 and single.risks[-1].stranded == 0


def test_progress_counts_the_units_of_every_part(split_cloud, monkeypatch, admin_client):
    seen = []
    drain_units = preview.drain_units

    def observed(work, units=None, progress=None):
        seen.append(ask(admin_client, split_cloud).json())
        return drain_units(work, units, progress)

    monkeypatch.setattr(preview, "drain_units", observed)
    state = run(split_cloud, processes=2, monkeypatch=monkeypatch)

    assert state.parts == 4
    # Before each part, the ones before it have done their 10 hosts each.
    assert [(p["done"], p["total"], p["parts"]) for p in seen] == [
        (0, 40, 4),
        (10, 40, 4),
        (20, 40, 4),
        (30, 40, 4),
    ]
    assert ask(admin_client, split_cloud).json()["complete"] is True


def test_a_failing_part_fails_the_run_until_asked_again(split_cloud, monkeypatch, admin_client):
    drain_units = preview.drain_units
    calls = []

    def second_part_fails(work, units=None, progress=None):
        calls.append(units)
        if len(calls) == 2:
            raise RuntimeError("worker ran out of memory")
        return drain_units(work, units, progress)

    monkeypatch.setattr(preview, "drain_units", second_part_fails)
    with pytest.raises(RuntimeError):
        run(split_cloud, processes=2, monkeypatch=monkeypatch)

    failed = ask(admin_client, split_cloud)
    page = admin_client.get(reverse("aggregates:resilience", args=[split_cloud.slug]))
    stored = cache.get(resilience_key("host", queries.cloud_version(split_cloud)))
    late = tasks.plan_resilience_part.apply(
        args=[split_cloud.pk, "host", stored.version, stored.run, 2, 4, stored.total]
    )
    monkeypatch.setattr(preview, "drain_units", drain_units)
    retried = ask(admin_client, split_cloud, retry="true")

    assert (late.get(), len(calls)) == (None, 2)  # a part of a failed run does no work
    assert failed.status_code == 200
    assert failed.json() == {
        "complete": False,
        "failed": True,
        "error": "part 2 of 4: RuntimeError: worker ran out of memory",
        "parts": 4,
    }
    assert page.status_code == 200
    assert "The N+1 run failed in the worker (part 2 of 4: RuntimeError" in page.text
    assert "retry=1" in page.text
    assert retried.status_code == 202  # a new run, claimed and enqueued
    assert retried.json()["failed"] is False


def test_a_failed_one_task_run_is_reported_too(split_cloud, monkeypatch, admin_client):
    def fails(work, units=None, progress=None):
        raise RuntimeError("boom")

    monkeypatch.setattr(preview, "drain_units", fails)
    with pytest.raises(RuntimeError):
        run(split_cloud, processes=1, monkeypatch=monkeypatch)

    response = ask(admin_client, split_cloud)
    again = ask(admin_client, split_cloud)

    assert response.json()["error"] == "RuntimeError: boom"
    assert again.json()["failed"] is True  # asking without retry starts nothing


def test_a_part_that_finds_the_cloud_changed_fails_the_run(split_cloud, monkeypatch):
    drain_units = preview.drain_units
    calls = []

    def change_after_first(work, units=None, progress=None):
        calls.append(units)
        answer = drain_units(work, units, progress)
        if len(calls) == 1:
            host = Host.objects.filter(cloud=split_cloud).order_by("name").first()
            host.vcpus += 1
            host.save()
        return answer

    monkeypatch.setattr(preview, "drain_units", change_after_first)
    monkeypatch.setattr(tasks, "resilience_processes", lambda task: 2)
    claimed = queries.claim_resilience(split_cloud, "host")
    tasks.plan_resilience.apply(args=[split_cloud.pk, "host", claimed.version])

    stored = cache.get(resilience_key("host", claimed.version))
    assert len(calls) == 1
    assert (stored.complete, stored.error) == (False, "the cloud changed while the run was split")


def test_a_part_run_twice_changes_nothing(split_cloud, monkeypatch):
    state = run(split_cloud, processes=2, monkeypatch=monkeypatch)

    # Redelivered after its worker died past the merge (acks_late): the answer stands.
    tasks.plan_resilience_part.apply(
        args=[split_cloud.pk, "host", state.version, state.run, 1, state.parts, state.total]
    )

    assert queries.resilience_state(split_cloud, "host").risks == state.risks
