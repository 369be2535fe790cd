"""Capacity planning on the engine's rules: drain hosts by re-placing their servers one by one.

A drain disables the drained hosts (in memory), then asks the scheduler, as Nova's cold migration
does, for a destination of each of their servers in turn; every placement consumes the
destination's resources before the next server is placed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .config import DEFAULT_CONFIG, SchedulerConfig
from .incremental import Placer
from .placement import capacity
from .resources import MEMORY_MB, VCPU
from .state import (
    AggregateState,
    FlavorSpec,
    HostState,
    RequestSpec,
    ServerGroup,
    availability_zones,
)

DRAIN_REASON = "drain plan"
EXAMPLES_PER_STEP = 5


@dataclass(slots=True, frozen=True)
class PlannedServer:
    """A server to re-place; `flavor` None = its flavor is gone from the mirror."""

    uuid: str
    name: str
    host: str
    flavor: FlavorSpec | None
    project_id: str = ""
    availability_zone: str | None = None  # requested at boot; None = any zone
    group: ServerGroup | None = None  # its server group, members as uuids


@dataclass(slots=True, frozen=True)
class Rejection:
    """One step that rejected hosts for a server: how many, and some of them with the reason."""

    step: str
    hosts: int
    examples: tuple[tuple[str, str], ...]


@dataclass(slots=True, frozen=True)
class Move:
    """Where one server goes, or why it goes nowhere (rejections, most hosts first)."""

    server: PlannedServer
    destination: str | None
    weight: float | None = None
    rejections: tuple[Rejection, ...] = ()
    error: str | None = None

    @property
    def placed(self) -> bool:
        return self.destination is not None


@dataclass(slots=True, frozen=True)
class ZoneUse:
    """The zone's hosts that stay up: VCPU and MEMORY_MB used out of capacity, before and after."""

    zone: str
    hosts: int
    vcpus: int
    vcpus_used_before: int
    vcpus_used_after: int
    memory_mb: int
    memory_mb_used_before: int
    memory_mb_used_after: int


@dataclass(slots=True)
class DrainPlan:
    drained: tuple[str, ...]
    moves: list[Move]
    zones: list[ZoneUse]

    @property
    def placed(self) -> int:
        return sum(1 for move in self.moves if move.placed)

    @property
    def unplaceable(self) -> int:
        return len(self.moves) - self.placed


def drain_order(servers: Iterable[PlannedServer]) -> list[PlannedServer]:
    """Largest first (VCPU, RAM, disk), then by name: the big ones go while room lasts."""

    def size(server: PlannedServer) -> tuple[int, int, int]:
        flavor = server.flavor
        if flavor is None:
            return (0, 0, 0)
        return (flavor.vcpus, flavor.ram, flavor.disk + flavor.ephemeral)

    return sorted(servers, key=lambda s: (*(-n for n in size(s)), s.name, s.uuid))


def plan_drain(
    hosts: Sequence[HostState],
    aggregates: Sequence[AggregateState],
    servers: Iterable[PlannedServer],
    drained: Iterable[str],
    config: SchedulerConfig = DEFAULT_CONFIG,
    *,
    zones: bool = True,
) -> DrainPlan:
    """Disable `drained` and re-place each of their servers (in `drain_order`) as Nova would.

    `zones=False` leaves out the zones' use before and after (N+1 needs only the moves).
    """
    placer = Placer(hosts, aggregates, config)  # the cloud's cached table, then patched
    drained_names, moves = _drain(placer, servers, drained)
    gone = set(drained_names)
    return DrainPlan(
        drained=drained_names,
        moves=moves,
        zones=_zone_use(hosts, placer.hosts, aggregates, config, gone) if zones else [],
    )


def _drain(
    placer: Placer, servers: Iterable[PlannedServer], drained: Iterable[str]
) -> tuple[tuple[str, ...], list[Move]]:
    """Disable `drained` on `placer` and place their servers in drain order, each consuming."""
    drained_names = tuple(dict.fromkeys(drained))
    gone = set(drained_names)
    placer.disable(gone, DRAIN_REASON)
    moves: list[Move] = []
    for server in drain_order(s for s in servers if s.host in gone):
        move = _place(server, placer, gone)
        if move.destination is not None and server.flavor is not None:
            placer.consume(move.destination, server.flavor, server.project_id, server.uuid)
        moves.append(move)
    return drained_names, moves


def move_request(server: PlannedServer, flavor: FlavorSpec) -> RequestSpec:
    """The request Nova's scheduler gets for a cold migration of `server` (of `flavor`)."""
    return RequestSpec(
        flavor=flavor,
        project_id=server.project_id,
        availability_zone=server.availability_zone,
        group=server.group,
        is_admin=True,
        move=True,
    )


def _place(server: PlannedServer, placer: Placer, gone: set[str]) -> Move:
    if server.flavor is None:
        return Move(server, None, error="its flavor is no longer in the mirror")
    request = move_request(server, server.flavor)
    picked = placer.pick(request)  # the full preview only where no host passes, or to explain
    if picked is not None:
        return Move(server, picked.host, weight=picked.weight)
    result = placer.preview(request)
    if result.summary.request_error:
        return Move(server, None, error=result.summary.request_error)
    best = result.best()
    if best is not None:
        return Move(server, best.host, weight=best.weight)
    return Move(server, None, rejections=_rejections(result.hosts, gone))


def _rejections(results: Iterable, gone: set[str]) -> tuple[Rejection, ...]:
    """The steps that rejected the hosts staying up, most hosts first (drained ones left out)."""
    counts: Counter[str] = Counter()
    examples: dict[str, list[tuple[str, str]]] = {}
    for result in results:
        if result.host in gone or result.passed:
            continue
        step = result.failed_filter or "unknown"
        counts[step] += 1
        found = examples.setdefault(step, [])
        if len(found) < EXAMPLES_PER_STEP:
            found.append((result.host, result.step(step).reason))
    return tuple(
        Rejection(step, count, tuple(examples[step])) for step, count in counts.most_common()
    )


def _zone_use(
    before: Sequence[HostState],
    after: Sequence[HostState],
    aggregates: Sequence[AggregateState],
    config: SchedulerConfig,
    gone: set[str],
) -> list[ZoneUse]:
    old = {host.name: host for host in before}
    new = {host.name: host for host in after}
    usable = {name: capacity(old[name], config) for name in old if name not in gone}
    used = []
    for zone in availability_zones(before, aggregates, config):
        staying = [name for name in zone.hosts if name not in gone]
        if not staying:
            continue
        used.append(
            ZoneUse(
                zone=zone.name,
                hosts=len(staying),
                vcpus=sum(usable[name][VCPU] for name in staying),
                vcpus_used_before=sum(old[name].vcpus_used for name in staying),
                vcpus_used_after=sum(new[name].vcpus_used for name in staying),
                memory_mb=sum(usable[name][MEMORY_MB] for name in staying),
                memory_mb_used_before=sum(old[name].memory_mb_used for name in staying),
                memory_mb_used_after=sum(new[name].memory_mb_used for name in staying),
            )
        )
    return used


@dataclass(slots=True, frozen=True)
class Risk:
    """What losing one unit (a host, or a zone's hosts) would strand, and the steps that say so."""

    unit: str
    hosts: int
    servers: int
    stranded: int
    rejected_by: tuple[tuple[str, int], ...]  # steps over the stranded servers, most first

    @property
    def survives(self) -> bool:
        return self.stranded == 0


def resilience(
    hosts: Sequence[HostState],
    aggregates: Sequence[AggregateState],
    servers: Sequence[PlannedServer],
    units: Sequence[tuple[str, Sequence[str]]],
    config: SchedulerConfig = DEFAULT_CONFIG,
    progress: Callable[[int, int], None] | None = None,
) -> list[Risk]:
    """N+1: a drain plan per unit (each from the same starting cloud), worst first."""
    by_host: dict[str, list[PlannedServer]] = {}
    for server in servers:
        by_host.setdefault(server.host, []).append(server)
    risks = []
    # Every unit's drain starts from the same cloud: each is a fork of one Placer, so what a
    # request reads there is read once for all the units.
    cloud = Placer(hosts, aggregates, config)
    for done, (unit, names) in enumerate(units, start=1):
        on_unit = [server for name in names for server in by_host.get(name, ())]
        _, moves = _drain(cloud.fork(), on_unit, names)
        steps: Counter[str] = Counter()
        for move in moves:
            if not move.placed:
                steps[move.rejections[0].step if move.rejections else "error"] += 1
        unplaceable = sum(not move.placed for move in moves)
        risks.append(Risk(unit, len(names), len(moves), unplaceable, tuple(steps.most_common())))
        if progress is not None:
            progress(done, len(units))
    return worst_first(risks)


def worst_first(risks: Iterable[Risk]) -> list[Risk]:
    """Most stranded servers first, then most servers, then by name: one order for any split of
    the units (unit names are unique), so merged parts read exactly as one run's answer."""
    return sorted(risks, key=lambda risk: (-risk.stranded, -risk.servers, risk.unit))
