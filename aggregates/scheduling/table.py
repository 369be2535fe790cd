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

from collections.abc import Callable, Sequence
from itertools import compress, repeat
from operator import attrgetter, is_not, ne
from typing import TypeVar

import numpy as np

from .state import AggregateState, HostState

T = TypeVar("T")
SERVICE = "service"  # the first part of cache keys that depend on the service states
_POSITIONS = (SERVICE, "positions")  # kept in the root's own cache: a subset has its own

_CACHE_SIZE = 4
_cache: list[HostTable] = []
# Patched tables (with_hosts) apart, so a drain's many steps never push the loaded clouds out.
_PATCHED_SIZE = 2
_patched: list[HostTable] = []
_builds = 0


class HostTable:
    """Names, aggregate classes, service codes and cached attribute columns of a list of hosts."""

    def __init__(self, hosts: Sequence[HostState], aggregates: Sequence[AggregateState]) -> None:
        self.hosts = tuple(hosts)
        self.aggregates = tuple(aggregates)
        self.n = len(self.hosts)
        self.names = [host.name for host in self.hosts]
        self.host_class, self.classes = self._classify()
        self.class_array = np.asarray(self.host_class, dtype=np.intp)
        self.class_array.flags.writeable = False
        self.disabled_reasons: dict[str | None, int] = {}
        self.service_codes = self._service_codes()
        self.service_array = np.asarray(self.service_codes, dtype=np.int64)
        self.service_array.flags.writeable = False
        self._lists: dict[str, list] = {}
        self._arrays: dict[str, np.ndarray] = {}
        self._nones: dict[str, int] = {}
        self._filled: dict[tuple, np.ndarray] = {}
        self._class_values: dict[tuple[int, str], list[tuple[str, str]]] = {}
        self._derived: dict[tuple, object] = {}
        # What depends only on the aggregates (shared by the tables patched or cut from this).
        self._aggregate_derived = self._derived
        # The classes a step evaluates: all of them, or a subset table's own.
        self.class_ids: Sequence[int] = range(len(self.classes))
        self.class_codes = self.class_array  # each host's class as a position in class_ids
        # A table made by with_hosts: the table it was patched from first, and every host
        # replaced since (by position).
        self._root: HostTable = self
        self._replaced: dict[int, HostState] = {}
        self.aggregate_zones = [aggregate.availability_zone for aggregate in self.aggregates]
        self.metadata_keys = {
            key for aggregate in self.aggregates for key in aggregate.metadata or {}
        }

    def with_host(self, index: int, host: HostState) -> HostTable:
        """This table with the host at `index` replaced by `host` (the same name): what one
        placement changes, without rebuilding."""
        return self.with_hosts({index: host})

    def with_hosts(self, replaced: dict[int, HostState]) -> HostTable:
        """This table with hosts replaced by position (each keeping its name). Columns read
        so far are copied and patched; what depends only on the aggregates (classes, their
        values) is shared; the service codes are made again only if a service state changed.
        """
        hosts = list(self.hosts)
        service = attrgetter("status", "state", "forced_down", "disabled_reason")
        service_changed = False
        changed: dict[str, dict[int, object]] = {}
        for index, host in replaced.items():
            old = hosts[index]
            if host.name != old.name:
                raise ValueError(f"host {index} is {old.name!r}, not {host.name!r}")
            hosts[index] = host
            service_changed = service_changed or service(host) != service(old)
            # Arrays patched from the root's may have no list of their own: patch both kinds.
            for attribute in self._lists.keys() | self._arrays.keys():
                value = getattr(host, attribute)
                if value is not getattr(old, attribute):
                    changed.setdefault(attribute, {})[index] = value
        new = object.__new__(HostTable)
        new.__dict__.update(self.__dict__)
        new.hosts = tuple(hosts)
        new._replaced = {**self._replaced, **replaced}
        # What depends only on the aggregates lives in the root (cached); the rest is this
        # table's own, and stale once a service state changed.
        new._derived = (
            {} if service_changed else {k: v for k, v in self._derived.items() if k[0] == SERVICE}
        )
        if service_changed:
            new._patch_service_codes(replaced)
        new._lists = dict(self._lists)
        new._arrays = dict(self._arrays)
        new._nones = dict(self._nones)
        new._filled = dict(self._filled)
        for attribute, values in changed.items():
            column = self._lists.get(attribute)
            if column is not None:
                column = new._lists[attribute] = list(column)
            array = new._arrays.pop(attribute, None)
            if array is not None and all(_fits(array, value) for value in values.values()):
                array = new._arrays[attribute] = array.copy()
            else:
                array = None
            for index, value in values.items():
                if column is not None:
                    before = column[index]
                    column[index] = value
                    if attribute in new._nones:
                        new._nones[attribute] += (value is None) - (before is None)
                if array is not None:
                    array[index] = value
            if array is not None:
                array.flags.writeable = False
            for key in [key for key in new._filled if key[0] == attribute]:
                del new._filled[key]
        return new

    def subset(self, positions: Sequence[int], hosts: Sequence[HostState]) -> HostTable:
        """The hosts at `positions`, now `hosts` (the same names), as a table of their own.

        Their aggregate classes (and all that depends only on the aggregates) are this table's,
        so each host's verdicts are the ones it has here, for a few hosts' price: an
        incremental placement re-reads just the hosts it changed.
        """
        new = object.__new__(HostTable)
        new.hosts = tuple(hosts)
        new.aggregates = self.aggregates
        new.n = len(new.hosts)
        new.names = [host.name for host in new.hosts]
        new.host_class = [self.host_class[position] for position in positions]
        new.classes = self.classes
        new.class_array = np.asarray(new.host_class, dtype=np.intp)
        new.class_array.flags.writeable = False
        new.class_ids = sorted(set(new.host_class))
        new.class_codes = np.searchsorted(new.class_ids, new.class_array)
        new.disabled_reasons = {}
        new.service_codes = new._service_codes()
        new.service_array = np.asarray(new.service_codes, dtype=np.int64)
        new.service_array.flags.writeable = False
        new._lists, new._arrays, new._nones, new._filled = {}, {}, {}, {}
        new._class_values = self._class_values
        new._derived = {}
        new._aggregate_derived = self._aggregate_derived
        new._root = new
        new._replaced = {}
        new.aggregate_zones = self.aggregate_zones
        new.metadata_keys = self.metadata_keys
        return new

    def matches(self, hosts: Sequence[HostState], aggregates: Sequence[AggregateState]) -> bool:
        """Whether `hosts` and `aggregates` are exactly the objects this table was built from."""
        if hosts is self.hosts and aggregates is self.aggregates:
            return True  # the table's own tuples, as a Placer passes them
        return (
            len(hosts) == self.n
            and len(aggregates) == len(self.aggregates)
            and not any(map(is_not, hosts, self.hosts))
            and not any(map(is_not, aggregates, self.aggregates))
        )

    def column(self, attribute: str) -> list:
        """`attribute` of every host (a shared list: callers must not modify it).

        A patched table takes its root's column (made there once) and patches its own hosts.
        """
        found = self._lists.get(attribute)
        if found is None:
            if self._root is self:
                found = list(map(attrgetter(attribute), self.hosts))
            else:
                found = list(self._root.column(attribute))
                hosts = self.hosts
                for index in self._replaced:
                    found[index] = getattr(hosts[index], attribute)
            self._lists[attribute] = found
        return found

    def array(self, attribute: str) -> np.ndarray:
        """`attribute` of every host as a numpy array (only for columns without None)."""
        found = self._arrays.get(attribute)
        if found is None:
            found = self._patched_array(attribute)
            if found is None:
                found = np.asarray(self.column(attribute))
            found.flags.writeable = False
            self._arrays[attribute] = found
        return found

    def _patched_array(self, attribute: str) -> np.ndarray | None:
        """The root's array with this table's hosts patched in, where their values fit it."""
        root = self._root
        if root is self or root.none_count(attribute):
            return None
        values = [getattr(self.hosts[index], attribute) for index in self._replaced]
        base = root.array(attribute)
        if not all(_fits(base, value) for value in values):
            return None
        found = base.copy()
        found[list(self._replaced)] = values
        return found

    def none_count(self, attribute: str) -> int:
        """How many hosts have `attribute` None."""
        found = self._nones.get(attribute)
        if found is None:
            found = self._nones[attribute] = self.column(attribute).count(None)
        return found

    def filled(self, attribute: str, default: object, convert=None) -> np.ndarray:
        """`attribute` of every host as an array, `convert`ed where set, `default` where None."""
        key = (attribute, default, convert)
        found = self._filled.get(key)
        if found is None:
            values = self.column(attribute)
            if convert is not None:
                values = [None if value is None else convert(value) for value in values]
            if self.none_count(attribute):
                values = [default if value is None else value for value in values]
            found = self._filled[key] = np.asarray(values)
            found.flags.writeable = False
        return found

    def cached(self, key: tuple, build: Callable[[], T]) -> T:
        """What `build` makes from this table (and the `key` it depends on), made once.

        Keys starting with SERVICE depend on the hosts' service states; others only on the
        aggregates and the options in the key.
        """
        store = self._derived if key[0] == SERVICE else self._aggregate_derived
        if key not in store:
            store[key] = build()
        return store[key]  # type: ignore[return-value]

    def positions(self) -> dict[str, int]:
        """Each host's index by name (names never change in a patched table)."""
        root = self._root
        found = root._derived.get(_POSITIONS)
        if found is None:
            found = root._derived[_POSITIONS] = {n: i for i, n in enumerate(root.names)}
        return found  # type: ignore[return-value]

    def class_values(self, class_id: int, key: str) -> list[tuple[str, str]]:
        """aggregate_values_from_key for a class: (aggregate name, whole value) per aggregate."""
        found = self._class_values.get((class_id, key))
        if found is None:
            aggregates = self.aggregates
            found = self._class_values[(class_id, key)] = [
                (aggregates[index].name, (aggregates[index].metadata or {})[key])
                for index in self.classes[class_id]
                if key in (aggregates[index].metadata or {})
            ]
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
        hosts = self.hosts
        for index in compress(range(self.n), map(ne, map(service, hosts), repeat(normal))):
            codes[index] = self._service_code(hosts[index])
        return codes

    def _service_code(self, host: HostState) -> int:
        if host.status == "disabled":
            reasons = self.disabled_reasons
            code = reasons.get(host.disabled_reason)
            if code is None:
                code = reasons[host.disabled_reason] = 3 + len(reasons)
            return code
        if host.forced_down:
            return 1
        return 0 if host.state == "up" else 2

    def _patch_service_codes(self, replaced: dict[int, HostState]) -> None:
        """The service codes with the `replaced` hosts' made again (a drain disables a few
        hosts of thousands). A reason no host has any more may keep its code: unused."""
        self.disabled_reasons = dict(self.disabled_reasons)
        self.service_codes = list(self.service_codes)
        array = self.service_array.copy()
        for index, host in replaced.items():
            array[index] = self.service_codes[index] = self._service_code(host)
        array.flags.writeable = False
        self.service_array = array


def host_table(hosts: Sequence[HostState], aggregates: Sequence[AggregateState]) -> HostTable:
    """The cached table of these hosts and aggregates, built when none matches them."""
    global _builds
    for table in _patched + _cache:
        if table.matches(hosts, aggregates):
            return table
    table = HostTable(hosts, aggregates)
    _builds += 1
    _cache.insert(0, table)
    del _cache[_CACHE_SIZE:]
    return table


def _fits(array: np.ndarray, value: object) -> bool:
    """Whether `value` goes into `array` unchanged (else the array is rebuilt when asked)."""
    if type(value) is int:
        return array.dtype.kind == "i" or array.dtype.kind == "f" and abs(value) < 2**53
    return type(value) is float and array.dtype.kind == "f"


def remember(table: HostTable) -> HostTable:
    """Keep `table` (made by `with_hosts`) so a preview of its hosts finds it."""
    if not _patched or _patched[0] is not table:
        _patched.insert(0, table)
        del _patched[_PATCHED_SIZE:]
    return table


def builds() -> int:
    """How many host tables this process has built (a cache miss each)."""
    return _builds
