"""Drain plan of a stored cloud: which hosts go down, their servers, what-if changes, the plan."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aggregates.errors import InvalidInput
from aggregates.models import Cloud, Server, ServerGroup
from aggregates.models.version import cloud_version
from aggregates.preview.changes import aggregate_index, apply_in_memory
from aggregates.preview.loader import (
    BOOTED_FLAVOR_COLUMNS,
    CloudInputs,
    booted_flavor,
    load_cloud,
)
from aggregates.scheduling import (
    DrainPlan,
    PlannedServer,
    Risk,
    availability_zones,
    plan_drain,
    resilience,
)
from aggregates.scheduling import ServerGroup as EngineGroup

TARGETS = ("hosts", "aggregate", "zone")


@dataclass(slots=True)
class DrainQuery:
    """Exactly one of: host names, an aggregate (id or name), a zone; plus what-if changes."""

    hosts: list[str] | None = None
    aggregate: int | str | None = None
    zone: str | None = None
    changes: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class DrainOutcome:
    plan: DrainPlan
    change_notes: list[str]
    timings_ms: dict[str, float]


def run_drain(
    cloud: Cloud, query: DrainQuery, *, inputs: CloudInputs | None = None
) -> DrainOutcome:
    """Check the query (400 naming the field), apply its changes in memory, plan the drain.

    `inputs`: the cloud as `load_cloud(cloud, with_servers=True)` returned it, if already loaded.
    """
    started = time.perf_counter()
    given = [name for name in TARGETS if getattr(query, name) not in (None, "", [])]
    if len(given) != 1:
        raise InvalidInput(
            "Name exactly one of hosts, aggregate or zone to drain.",
            field=given[1] if len(given) > 1 else "hosts",
        )
    if inputs is None:
        inputs = load_cloud(cloud, with_servers=True)
    if query.changes:
        inputs, refusals = apply_in_memory(inputs, query.changes)
        notes = [str(refusal) for refusal in refusals]
    else:
        notes = []
    drained = _drained_hosts(inputs, query)
    servers = _servers_on(cloud, inputs, drained)
    loaded = time.perf_counter()
    plan = plan_drain(
        inputs.hosts_with_instances(), inputs.aggregates, servers, drained, inputs.config
    )
    done = time.perf_counter()
    return DrainOutcome(
        plan=plan,
        change_notes=notes,
        timings_ms={"load": (loaded - started) * 1000, "plan": (done - loaded) * 1000},
    )


def _drained_hosts(inputs: CloudInputs, query: DrainQuery) -> list[str]:
    known = {host.name for host in inputs.hosts}
    if query.hosts:
        if not isinstance(query.hosts, list) or not all(isinstance(h, str) for h in query.hosts):
            raise InvalidInput("'hosts' must be a list of host names.", field="hosts")
        unknown = [name for name in query.hosts if name not in known]
        if unknown:
            raise InvalidInput(f"Compute host {unknown[0]} could not be found.", field="hosts")
        return list(dict.fromkeys(query.hosts))
    if query.aggregate not in (None, ""):
        index = aggregate_index(inputs.aggregates, query.aggregate)
        if index is None:
            raise InvalidInput(
                f"Aggregate {query.aggregate} could not be found.", field="aggregate"
            )
        aggregate = inputs.aggregates[index]
        return _not_empty(list(aggregate.hosts), "aggregate", aggregate.name)
    zones = {z.name: z for z in availability_zones(inputs.hosts, inputs.aggregates, inputs.config)}
    if query.zone not in zones:
        raise InvalidInput(
            f"Availability zone {query.zone} could not be found "
            f"(zones: {', '.join(sorted(zones))}).",
            field="zone",
        )
    return list(zones[query.zone].hosts)


def _not_empty(hosts: list[str], name: str, label: str) -> list[str]:
    if not hosts:
        raise InvalidInput(f"Aggregate {label} has no hosts to drain.", field=name)
    return hosts


def _servers_on(cloud: Cloud, inputs: CloudInputs, hosts: list[str] | None) -> list[PlannedServer]:
    """The servers of `hosts` (None: of every host), each with its flavor and server group as
    the mirror holds them (three queries)."""
    rows_of = Server.objects.filter(cloud=cloud, host__isnull=False)
    if hosts is not None:
        rows_of = rows_of.filter(host__name__in=hosts)
    rows = list(
        rows_of.order_by().values_list(
            "uuid",
            "name",
            "host__name",
            "flavor__flavor_id",
            "project_id",
            "server_group_id",
            "requested_zone",
            *BOOTED_FLAVOR_COLUMNS,
        )
    )
    groups = server_groups({row[5] for row in rows if row[5] is not None})
    # A move keeps to the zone the server was asked for, as Nova's request spec does.
    return [
        PlannedServer(
            uuid=str(uuid),
            name=name,
            host=host,
            flavor=booted_flavor(
                inputs.flavors.get(flavor_id) if flavor_id is not None else None, booted
            ),
            project_id=project_id,
            group=groups.get(group_id),
            availability_zone=zone or None,
        )
        for uuid, name, host, flavor_id, project_id, group_id, zone, *booted in rows
    ]


def server_groups(ids: set[int]) -> dict[int, EngineGroup]:
    """The engine's view of these server groups: policy, rule and every member (two queries)."""
    if not ids:
        return {}
    members: dict[int, set[str]] = {pk: set() for pk in ids}
    for group_id, uuid in Server.objects.filter(server_group_id__in=ids).values_list(
        "server_group_id", "uuid"
    ):
        members[group_id].add(str(uuid))
    return {
        pk: EngineGroup(
            policy=policy,
            members=frozenset(members[pk]),
            max_server_per_host=limit,
            uuid=str(uuid),
        )
        for pk, uuid, policy, limit in ServerGroup.objects.filter(pk__in=ids).values_list(
            "pk", "uuid", "policy", "max_server_per_host"
        )
    }


LEVELS = ("host", "zone")


@dataclass(slots=True)
class ResilienceWork:
    """An N+1 run's inputs: the cloud as loaded, its servers, the units to drain in one fixed
    order (so every part of a split run numbers them alike)."""

    version: str
    inputs: CloudInputs
    servers: list[PlannedServer]
    units: list[tuple[str, list[str]]]

    def part(self, index: int, parts: int) -> list[tuple[str, list[str]]]:
        """The `index`-th of `parts` contiguous slices of the units (together: each unit once)."""
        count = len(self.units)
        return self.units[index * count // parts : (index + 1) * count // parts]


def resilience_work(cloud: Cloud, level: str) -> ResilienceWork:
    """The units of an N+1 run: every host with servers, or every zone (400 for another level)."""
    if level not in LEVELS:
        raise InvalidInput(f"'level' must be one of {', '.join(LEVELS)}.", field="level")
    version = cloud_version(cloud)  # before the load: a change during it gives a newer version
    inputs = load_cloud(cloud, with_servers=True)
    servers = _servers_on(cloud, inputs, None)
    occupied = {server.host for server in servers}
    if level == "host":
        units = [(host.name, [host.name]) for host in inputs.hosts if host.name in occupied]
    else:
        zones = availability_zones(inputs.hosts, inputs.aggregates, inputs.config)
        units = [(zone.name, list(zone.hosts)) for zone in zones]
    return ResilienceWork(version, inputs, servers, units)


def drain_units(
    work: ResilienceWork,
    units: list[tuple[str, list[str]]] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Risk]:
    """N+1 over `units` (default: all of the work's), each drained from the same cloud, worst
    first."""
    inputs = work.inputs
    return resilience(
        inputs.hosts_with_instances(),
        inputs.aggregates,
        work.servers,
        work.units if units is None else units,
        inputs.config,
        progress,
    )


def run_resilience(
    cloud: Cloud, level: str, progress: Callable[[int, int], None] | None = None
) -> list[Risk]:
    """N+1 of the cloud: for every host (or zone) with servers, would draining it strand any?"""
    return drain_units(resilience_work(cloud, level), progress=progress)


CSV_HEADER = ("server", "uuid", "from host", "flavor", "project", "destination", "why not placed")


def plan_rows(plan: DrainPlan) -> list[tuple[str, ...]]:
    """One row per server in the plan's order (the CSV download and the terminal table)."""
    rows = []
    for move in plan.moves:
        server = move.server
        if move.error:
            why = move.error
        else:
            why = "; ".join(
                f"{r.step} rejects {r.hosts} host{'s' if r.hosts != 1 else ''}"
                + (f" ({r.examples[0][0]}: {r.examples[0][1]})" if r.examples else "")
                for r in move.rejections
            )
        rows.append(
            (
                server.name,
                server.uuid,
                server.host,
                server.flavor.name if server.flavor else "",
                server.project_id,
                move.destination or "",
                why,
            )
        )
    return rows
