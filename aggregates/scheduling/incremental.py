"""Servers placed one after another on one cloud, each placement consuming its host.

Capacity planning asks the scheduler thousands of times in a row about a cloud that changes by
one host per answer. `Placer` keeps the cloud's host table and patches the hosts placements
change (HostTable.with_hosts) instead of building the table again for every question.

`Placer.pick` answers "which host would Nova pick, with what weight" without running every step
over every host again: per request it keeps each host's verdict (does it pass every step) and
each weigher's raw value, and after a placement re-reads only the hosts that changed since
(the engine's own steps over a subset table sharing the cloud's aggregate classes). The weights
are then summed by the engine's own weigh_array over the kept raw values, so the pick and its
weight are exactly the full preview's.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .config import DEFAULT_CONFIG, SchedulerConfig
from .context import PreviewContext
from .engine import preview, run_steps
from .filters import group_hosts
from .lint import lint_request
from .resources import DISK_GB, MEMORY_MB, VCPU, build_resource_request
from .results import PreviewResult
from .state import HOST_DISABLED, AggregateState, FlavorSpec, HostState, RequestSpec
from .table import HostTable, host_table, remember
from .weighers import NotColumnar, WeighingError, raw_columns, weigh_array
from .zones import zone_steps

# Requests whose verdicts and raw weights are kept (a drain asks about a few flavors and groups
# over and over); the least recently asked is dropped first.
KEPT_REQUESTS = 32
# A Placer that has forks keeps more: every drain of an N+1 run asks it.
KEPT_SHARED = 64
# Past this many changed hosts a request is read afresh over all hosts (as cheap by then).
REREAD_SHARE = 0.25


@dataclass(frozen=True, slots=True)
class Pick:
    """The host Nova's scheduler would pick (the top of the ranking) and its weight."""

    host: str
    weight: float


class Placer:
    """A cloud to place servers on in sequence: `preview` or `pick` a request, `consume` its
    placement."""

    def __init__(
        self,
        hosts: Sequence[HostState],
        aggregates: Sequence[AggregateState],
        config: SchedulerConfig = DEFAULT_CONFIG,
    ) -> None:
        self.config = config
        self._table = host_table(tuple(hosts), tuple(aggregates))
        self.aggregates = self._table.aggregates
        self._position = self._table.positions()
        self._hosts = list(self._table.hosts)  # as they stand now (the table may lag behind)
        self._pending: dict[int, HostState] = {}  # consumed hosts not yet patched into the table
        self._changed: list[int] = []  # positions consumed, in order (a kept request's cursor)
        self._kept: list[_Kept] = []  # most recently asked first
        self._keep = KEPT_REQUESTS
        self._base: Placer | None = None  # a fork's: it reads the requests the fork has not
        self._moved: set[str] = set()  # the servers placed here
        self.hosts_read = 0  # host rows `pick` ran the steps over (all, then the changed)

    def fork(self) -> Placer:
        """A Placer on this one's cloud as it stands now, taking the requests this one has read
        (and reading new ones here): N+1 drains every host of one cloud in turn. This Placer
        must not change while its forks are in use."""
        fork = object.__new__(Placer)
        fork.config, fork.aggregates, fork._position = self.config, self.aggregates, self._position
        fork._table = self._current()
        fork._hosts = list(self._hosts)
        fork._pending, fork._changed, fork._kept, fork._moved = {}, [], [], set()
        fork._keep = KEPT_REQUESTS
        fork._base = self
        fork.hosts_read = 0
        self._keep = KEPT_SHARED
        return fork

    @property
    def hosts(self) -> tuple[HostState, ...]:
        """The hosts as they stand after the placements so far (input order)."""
        return self._current().hosts

    def preview(self, request: RequestSpec) -> PreviewResult:
        """The engine's answer for `request` on the cloud as it stands now."""
        table = remember(self._current())  # other previews may have pushed it out of the cache
        return preview(table.hosts, self.aggregates, request, self.config)

    def pick(self, request: RequestSpec) -> Pick | None:
        """`preview(request).best()`'s host and weight, re-reading only the hosts changed since
        this request was last asked; None when no host passes or only the full preview can
        say (a request error, a zone the API refuses, a forced host): ask `preview` then."""
        kept = self._find(request)
        if kept is None:
            kept = self._from_base(request) or self._read(request)
            self._kept.insert(0, kept)
            del self._kept[self._keep :]
        changed = self._changed[kept.seen :]
        if kept.usable and len(changed) > REREAD_SHARE * len(self._hosts):
            self._kept.remove(kept)
            kept = self._read(request)
            self._kept.insert(0, kept)
            changed = []
        if not kept.usable:
            return None
        if changed and not self._reread(kept, sorted(set(changed))):
            self._kept.remove(kept)
            kept = _Kept(request, None, seen=len(self._changed))  # only the full preview
            self._kept.insert(0, kept)
            return None
        candidates = np.flatnonzero(kept.passed)
        if not len(candidates):
            return None
        raw = kept.raw

        def raw_of(name: str, classes, factors) -> np.ndarray | None:
            values = raw[name]
            return None if values is None else values[candidates]

        ctx = kept.ctx
        ctx.warnings = []  # weigh_array's notes: the full preview gives them
        weights, _ = weigh_array(ctx, candidates, raw_of)
        top = int(np.argmax(weights)) if len(weights) else 0  # the first of equal weights
        return Pick(self._hosts[int(candidates[top])].name, float(weights[top]))

    def disable(self, names: Iterable[str], reason: str) -> None:
        """Disable the nova-compute service of the hosts called `names` (in memory)."""
        indices = {self._position[name] for name in names if name in self._position}
        for index in sorted(indices):
            disabled = dataclasses.replace(
                self._hosts[index], status=HOST_DISABLED, disabled_reason=reason
            )
            self._hosts[index] = self._pending[index] = disabled
            self._changed.append(index)
        # A boot's zone must be one of an enabled service: only moves keep what was read (their
        # hosts' ComputeFilter verdicts are read again as changed).
        self._kept = [kept for kept in self._kept if kept.request.move]

    def consume(
        self, host: str, flavor: FlavorSpec, project_id: str = "", uuid: str = ""
    ) -> HostState:
        """Allocate `flavor` on `host` as Placement would for the placed server; the new state."""
        index = self._position[host]
        placed = consume(self._hosts[index], flavor, project_id, uuid)
        self._hosts[index] = self._pending[index] = placed
        self._changed.append(index)
        if uuid:
            self._moved.add(uuid)
            # An affinity group's hosts are where its members run: one more member moves them.
            self._kept = [kept for kept in self._kept if uuid not in kept.affinity_members]
        return placed

    def _current(self) -> HostTable:
        if self._pending:
            self._table = self._table.with_hosts(self._pending)
            self._pending = {}
        return self._table

    def _from_base(self, request: RequestSpec) -> _Kept | None:
        """A fork's copy of what its base read for `request` (read there if need be); None
        without a base, or where this fork moved a member of the request's affinity group."""
        base = self._base
        if base is None:
            return None
        kept = base._find(request)
        if kept is None:
            kept = base._read(request)
            base._kept.insert(0, kept)
            del base._kept[base._keep :]
        if kept.affinity_members & self._moved:
            return None
        return kept.copy()

    def _find(self, request: RequestSpec) -> _Kept | None:
        for index, kept in enumerate(self._kept):
            if kept.request == request:
                if index:
                    self._kept.insert(0, self._kept.pop(index))
                return kept
        return None

    def _read(self, request: RequestSpec) -> _Kept:
        """Every host's verdict and raw weights for `request`, from the steps over all hosts."""
        table = self._current()
        seen = len(self._changed)
        ctx = PreviewContext(table.hosts, self.aggregates, request, self.config, table=table)
        ctx.zone_steps = zone_steps(ctx)
        lint_request(ctx)
        refused = ctx.zone_steps is not None and not ctx.zone_steps.api_passed and not request.move
        if refused or ctx.destination is not None:
            return _Kept(request, None, seen=seen)
        combined = run_steps(ctx).combined
        self.hosts_read += ctx.n
        if ctx.errors:
            return _Kept(request, None, seen=seen)
        try:
            columns = raw_columns(ctx, combined.candidates)
        except (WeighingError, NotColumnar):
            return _Kept(request, None, seen=seen)
        passed = np.zeros(ctx.n, dtype=bool)
        passed[combined.candidates] = True
        raw: dict[str, np.ndarray | None] = {}
        for name, values in columns.items():
            if values is not None:
                raw[name] = np.zeros(ctx.n)
                raw[name][combined.candidates] = values
            else:
                raw[name] = None
        group = request.group
        # The subset tables see a few hosts: they get the group's hosts as all hosts give them.
        local = request
        members: frozenset[str] = frozenset()
        if group is not None and group.hosts is None:
            local = dataclasses.replace(
                request, group=dataclasses.replace(group, hosts=group_hosts(ctx))
            )
            if group.policy == "affinity":
                members = group.members
        return _Kept(request, ctx, seen, local, passed, raw, members)

    def _reread(self, kept: _Kept, positions: list[int]) -> bool:
        """Read the hosts at `positions` again for a kept request; False if a host cannot be
        read on its own (the request then goes to the full preview)."""
        hosts = [self._hosts[index] for index in positions]
        table = kept.ctx.table.subset(positions, hosts)
        ctx = PreviewContext(hosts, self.aggregates, kept.local, self.config, table=table)
        ctx.zone_steps = kept.ctx.zone_steps  # zones' availability is the whole cloud's
        combined = run_steps(ctx).combined
        self.hosts_read += ctx.n
        if ctx.errors:
            return False
        weighed = [name for name, values in kept.raw.items() if values is not None]
        try:
            columns = raw_columns(ctx, combined.candidates, weighed)
        except (WeighingError, NotColumnar):
            return False
        where = np.asarray(positions, dtype=np.intp)
        kept.passed[where] = False
        passing = where[combined.candidates]
        kept.passed[passing] = True
        for name, values in columns.items():
            if values is None:
                return False  # weighed alike over all hosts, not over these (cannot happen)
            kept.raw[name][passing] = values
        kept.seen = len(self._changed)
        return True


@dataclass(slots=True)
class _Kept:
    """One request's verdicts and raw weights on a Placer's hosts, as of `seen` placements.

    `ctx` None: the request is answered by the full preview only.
    """

    request: RequestSpec
    ctx: PreviewContext | None
    seen: int
    local: RequestSpec | None = None  # the request as a subset of the hosts must see it
    passed: np.ndarray | None = None  # per host: passes every step
    raw: dict[str, np.ndarray | None] | None = None  # per weigher, per host (where passing)
    affinity_members: frozenset[str] = frozenset()

    @property
    def usable(self) -> bool:
        return self.ctx is not None

    def copy(self) -> _Kept:
        """For a fork: its own arrays, and every change of the fork still to read (seen 0)."""
        if self.passed is None or self.raw is None:
            return dataclasses.replace(self, seen=0)
        raw = {name: None if values is None else values.copy() for name, values in self.raw.items()}
        return dataclasses.replace(self, seen=0, passed=self.passed.copy(), raw=raw)


def consume(host: HostState, flavor: FlavorSpec, project_id: str, uuid: str) -> HostState:
    """The host after Placement allocated `flavor` there (as a boot or a migration would)."""
    amounts = dict(build_resource_request(flavor, {}, False).resources)
    vcpus = amounts.pop(VCPU, 0)
    ram = amounts.pop(MEMORY_MB, 0)
    disk = amounts.pop(DISK_GB, 0)
    # Any other class is in the host's inventories, or Placement would not have offered it.
    inventories = dict(host.inventories or {})
    for rc, amount in amounts.items():
        inventories[rc] = dataclasses.replace(inventories[rc], used=inventories[rc].used + amount)
    projects = Counter(host.instances_by_project or {})
    projects[project_id] += 1
    return dataclasses.replace(
        host,
        vcpus_used=host.vcpus_used + vcpus,
        memory_mb_used=host.memory_mb_used + ram,
        local_gb_used=host.local_gb_used + disk,
        inventories=inventories if host.inventories is not None else None,
        num_instances=host.num_instances + 1,
        instances_by_project=dict(projects),
        instance_uuids=host.instance_uuids | {uuid} if uuid else host.instance_uuids,
        free_ram_mb=None if host.free_ram_mb is None else host.free_ram_mb - ram,
        free_disk_gb=None if host.free_disk_gb is None else host.free_disk_gb - disk,
    )
