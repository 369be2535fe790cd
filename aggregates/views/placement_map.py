"""The preview's host map as one compact array for the page's canvas (not one element per host).

At 10,000 hosts the data is the host names, one verdict letter per host and one row per group:
about 20 bytes a host. A host's reasons, weights and slots are fetched when asked for.
"""

from collections import defaultdict

from aggregates.preview.run import PreviewOutcome
from aggregates.scheduling import ZONE_PREFILTER

# One letter per verdict: the canvas draws colour and pattern from it, the legend names it.
PICKED, PASSES, FILTERED, PLACEMENT, ERROR = "B", "P", "F", "X", "E"
NO_AGGREGATE = "in no aggregate"


def aggregates_of(aggregates) -> dict[str, list[str]]:
    """Host name → names of every aggregate it is in (zone aggregates too), sorted."""
    members: dict[str, list[str]] = defaultdict(list)
    for aggregate in aggregates:
        for host in aggregate.hosts:
            members[host].append(aggregate.name)
    return {host: sorted(names) for host, names in members.items()}


def verdict_code(verdict, picked: bool) -> str:
    if verdict.failed is None:
        return PICKED if picked else PASSES
    if verdict.error:
        return ERROR
    return FILTERED if verdict.placement_passed else PLACEMENT


def compact_map(outcome: PreviewOutcome) -> dict:
    """The map's zones (for the page's folds) and its data (for the canvas), hosts grouped by
    zone, then by the aggregates they are in; a zone wholly outside the requested one folds."""
    result = outcome.result
    hosts = result.hosts
    zone_of = outcome.zone_of_hosts()
    members = aggregates_of(outcome.inputs.aggregates)
    picked = set(result.summary.best_hosts)
    comparison = outcome.comparison
    gained = set(comparison.hosts_gained) if comparison else set()
    lost = set(comparison.hosts_lost) if comparison else set()
    grouped: dict[tuple[str, str], list[tuple[str, str, bool]]] = defaultdict(list)
    for index, name in enumerate(hosts.names):
        verdict = hosts.verdict(index)
        label = ", ".join(members.get(name, ())) or NO_AGGREGATE
        code = verdict_code(verdict, name in picked)
        grouped[(zone_of.get(name, "?"), label)].append(
            (name, code, verdict.failed_filter == ZONE_PREFILTER)
        )
    zones: list[dict] = []
    data: dict = {"zones": [], "groups": [], "names": [], "verdicts": [], "gained": [], "lost": []}
    for (zone, label), rows in sorted(grouped.items()):
        if not zones or zones[-1]["name"] != zone:
            zones.append({"name": zone, "index": len(zones), "hosts": 0, "outside": True})
        entry = zones[-1]
        entry["hosts"] += len(rows)
        entry["outside"] = entry["outside"] and all(outside for _, _, outside in rows)
        data["groups"].append([entry["index"], label, len(rows)])
        for name, code, _ in rows:
            if name in gained:
                data["gained"].append(len(data["names"]))
            elif name in lost:
                data["lost"].append(len(data["names"]))
            data["names"].append(name)
            data["verdicts"].append(code)
    data["zones"] = [zone["name"] for zone in zones]
    data["verdicts"] = "".join(data["verdicts"])
    return {"zones": zones, "data": data, "hosts": len(data["names"])}
