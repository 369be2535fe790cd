import dataclasses

from aggregates.scheduling import preview
from aggregates.scheduling import table as host_tables
from aggregates.scheduling.bench import synthetic_cloud


def _run(hosts, aggregates, cloud):
    before = host_tables.builds()
    result = preview(hosts, aggregates, cloud.request, cloud.config)
    return host_tables.builds() - before, result


def test_the_host_table_is_reused_for_the_same_cloud_and_rebuilt_when_it_changes():
    cloud = synthetic_cloud(200, seed=3)
    hosts, aggregates = list(cloud.hosts), list(cloud.aggregates)
    built, first = _run(hosts, aggregates, cloud)
    assert built == 1
    built, again = _run(list(hosts), list(aggregates), cloud)  # same objects, new lists
    assert built == 0
    assert again.summary.best_hosts == first.summary.best_hosts

    target = next(i for i, h in enumerate(hosts) if h.name in first.summary.best_hosts)
    disabled = list(hosts)
    disabled[target] = dataclasses.replace(hosts[target], status="disabled")
    built, after = _run(disabled, aggregates, cloud)
    assert built == 1
    assert hosts[target].name not in after.summary.best_hosts

    edited = list(aggregates)
    edited[0] = dataclasses.replace(aggregates[0], hosts=aggregates[0].hosts[1:])
    built, _ = _run(hosts, edited, cloud)
    assert built == 1
