"""The columnar host table: per-host facts that depend only on the cloud, built once and reused.

A preview's context needs, before any step runs, the hosts' names, their aggregate classes (hosts
with the same set of aggregates share one), their service codes and, for Placement and the
weighers, whole attribute columns. None of these depends on the request, so `host_table` builds
them once per (hosts, aggregates) and keeps the table in process: the next preview of the same
cloud does no per-host Python work for them.

A table is reused only when the hosts and aggregates given are the very same (immutable) objects
in the same order as when it was built — checked element by element at C speed — so a changed
cloud (a host disabled, an aggregate edited, a sync: new HostState/AggregateState objects) always
builds a new table. `builds()` counts the tables built, for tests and benchmarks.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import compress, repeat
from operator import attrgetter, is_not, ne

import numpy as np

from .state import AggregateState, HostState

_CACHE_SIZE = 4
_cache: list[HostTable] = []
_builds = 0


class HostTable:
    """Names, aggregate classes, service codes and cached attribute columns of a list of hosts."""

    def __init__(self, hosts: Sequence[HostState], aggregates: Sequence[AggregateState]) -> None:
        self.hosts = tuple(hosts)
        self.aggregates = tuple(aggregates)
        self.n = len(self.hosts)
        self.names = [host.name for host in self.hosts]
        self.host_class, self.classes = self._classify()
        self.disabled_reasons: dict[str | None, int] = {}
        self.service_codes = self._service_codes()
        self._lists: dict[str, list] = {}
        self._arrays: dict[str, np.ndarray] = {}

    def matches(self, hosts: Sequence[HostState], aggregates: Sequence[AggregateState]) -> bool:
        """Whether `hosts` and `aggregates` are exactly the objects this table was built from."""
        return (
            len(hosts) == self.n
            and len(aggregates) == len(self.aggregates)
            and not any(map(is_not, hosts, self.hosts))
            and not any(map(is_not, aggregates, self.aggregates))
        )

    def column(self, attribute: str) -> list:
        """`attribute` of every host (a shared list: callers must not modify it)."""
        found = self._lists.get(attribute)
        if found is None:
            found = self._lists[attribute] = list(map(attrgetter(attribute), self.hosts))
        return found

    def array(self, attribute: str) -> np.ndarray:
        """`attribute` of every host as a numpy array (only for columns without None)."""
        found = self._arrays.get(attribute)
        if found is None:
            found = self._arrays[attribute] = np.asarray(self.column(attribute))
            found.flags.writeable = False
        return found

    def _classify(self) -> tuple[list[int], list[tuple[int, ...]]]:
        # Partition refinement: each aggregate splits the classes of its hosts. The per-host
        # work is C-level map/zip calls; Python only loops over the classes an aggregate meets.
        classes: list[tuple[int, ...]] = [()]
        class_of: dict[str, int] = {}
        get = class_of.get
        for index, aggregate in enumerate(self.aggregates):
            members = aggregate.hosts
            if not members:
                continue
            old = list(map(get, members, repeat(0)))
            new_of: dict[int, int] = {}
            for before in set(old):
                new_of[before] = len(classes)
                classes.append(classes[before] + (index,))
            if len(new_of) == 1:
                class_of.update(dict.fromkeys(members, len(classes) - 1))
            else:
                class_of.update(zip(members, map(new_of.__getitem__, old), strict=True))
        return list(map(get, self.names, repeat(0))), classes

    def _service_codes(self) -> list[int]:
        """Per host: 0 enabled and up, 1 forced down, 2 down, 3+k disabled (reason k)."""
        codes = [0] * self.n
        # Most hosts are enabled and up: one C-level pass finds the others.
        service = attrgetter("status", "state", "forced_down")
        normal = ("enabled", "up", False)
        reasons = self.disabled_reasons
        hosts = self.hosts
        for index in compress(range(self.n), map(ne, map(service, hosts), repeat(normal))):
            host = hosts[index]
            if host.status == "disabled":
                reason = host.disabled_reason
                code = reasons.get(reason)
                if code is None:
                    code = reasons[reason] = 3 + len(reasons)
                codes[index] = code
            elif host.forced_down:
                codes[index] = 1
            elif host.state != "up":
                codes[index] = 2
        return codes


def host_table(hosts: Sequence[HostState], aggregates: Sequence[AggregateState]) -> HostTable:
    """The cached table of these hosts and aggregates, built when none matches them."""
    global _builds
    for table in _cache:
        if table.matches(hosts, aggregates):
            return table
    table = HostTable(hosts, aggregates)
    _builds += 1
    _cache.insert(0, table)
    del _cache[_CACHE_SIZE:]
    return table


def builds() -> int:
    """How many host tables this process has built (a cache miss each)."""
    return _builds
