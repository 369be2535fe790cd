"""Results of a placement preview: per-step verdicts, per-host outcome, summary and comparison."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, overload

import numpy as np

from .zones import ZoneSteps

T = TypeVar("T")


@dataclass(slots=True, frozen=True, eq=False)
class StepResult:
    """One step's verdict on one host. Identical verdicts are one shared object (identity hash)."""

    name: str
    passed: bool
    reason: str
    error: bool = False  # Nova itself would raise here: the request fails, not the host

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "passed": self.passed,
            "reason": self.reason,
            "error": self.error,
        }


class Verdict:
    """The steps of a host and what they add up to; hosts with the same steps share one.

    `failed` is the position of the first rejecting step (Nova's reason), None if all pass.
    """

    __slots__ = ("steps", "failed", "placement_passed")

    def __init__(
        self, steps: tuple[StepResult, ...], failed: int | None, placement_passed: bool
    ) -> None:
        self.steps = steps
        self.failed = failed
        self.placement_passed = placement_passed  # cleared pre-filters and Placement

    @property
    def passed(self) -> bool:
        return self.failed is None

    @property
    def failed_filter(self) -> str | None:
        return None if self.failed is None else self.steps[self.failed].name

    @property
    def error(self) -> bool:
        return self.failed is not None and self.steps[self.failed].error

    @property
    def reason(self) -> str:
        if self.failed is None:
            return "passes every step"
        step = self.steps[self.failed]
        return f"{step.name}: {step.reason}"

    def with_step(self, position: int, step: StepResult) -> Verdict:
        """This verdict with one step's result replaced (a host's own Placement numbers)."""
        steps = self.steps
        return Verdict(
            steps[:position] + (step,) + steps[position + 1 :], self.failed, self.placement_passed
        )

    def __repr__(self) -> str:
        return f"Verdict(failed_filter={self.failed_filter!r}, reason={self.reason!r})"


@dataclass(slots=True)
class HostResult:
    """A host's outcome: every step's verdict, Nova's first rejecting step, weight, rank, slots."""

    host: str
    verdict: Verdict
    slots: int | None  # further instances of the flavor that fit; None = unbounded
    weight: float | None = None
    rank: int | None = None

    @property
    def passed(self) -> bool:
        return self.verdict.passed

    @property
    def failed_filter(self) -> str | None:
        return self.verdict.failed_filter

    @property
    def reason(self) -> str:
        return self.verdict.reason

    @property
    def filters(self) -> tuple[StepResult, ...]:
        return self.verdict.steps

    def step(self, name: str) -> StepResult:
        """The verdict of the step called `name` (KeyError if it did not run)."""
        for result in self.verdict.steps:
            if result.name == name:
                return result
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        verdict = self.verdict
        return {
            "host": self.host,
            "passed": verdict.passed,
            "failed_filter": verdict.failed_filter,
            "reason": verdict.reason,
            "filters": [step.to_dict() for step in verdict.steps],
            "weight": self.weight,
            "rank": self.rank,
            "slots": self.slots,
        }


class Spread:
    """`n` values: `values` (a numpy array) at `positions`, `fill` elsewhere.

    One value is read without making the list; the list (of Python ints and floats) is made
    once, when every value is read.
    """

    __slots__ = ("_n", "_positions", "_values", "_fill", "_where", "_list")

    def __init__(self, n: int, positions: np.ndarray, values: np.ndarray, fill: object) -> None:
        self._n, self._positions, self._values, self._fill = n, positions, values, fill
        self._where: np.ndarray | None = None
        self._list: list | None = None

    def at(self, index: int) -> Any:
        if self._list is not None:
            return self._list[index]
        if self._where is None:
            self._where = np.full(self._n, -1, dtype=np.intp)
            self._where[self._positions] = np.arange(len(self._positions))
        found = self._where[index]
        if found < 0:
            return self._fill
        value = self._values[found]
        return value.item() if isinstance(value, np.generic) else value

    def as_list(self) -> list:
        if self._list is None:
            column = np.full(self._n, self._fill, dtype=object)
            column[self._positions] = self._values.tolist()
            self._list = column.tolist()
        return self._list


class HostResults(Sequence[HostResult]):
    """The hosts of a preview, in input order, kept as columns; a HostResult is built on access.

    Large clouds would otherwise allocate one object per host that most callers never read.
    The slots, weights and ranks columns may be given as Spreads: one host's number is read
    without making the list, which is made only when every host is read.
    """

    __slots__ = ("_names", "_verdicts", "_columns", "_own", "_index")

    def __init__(
        self,
        names: list[str],
        verdicts: list[Verdict],
        slots: list[int | None] | Spread,
        weights: list[float | None] | Spread,
        ranks: list[int | None] | Spread,
        own_steps: tuple[int, list[StepResult]] | None = None,
    ) -> None:
        self._names = names
        self._verdicts = verdicts  # shared verdicts
        self._columns: list = [slots, weights, ranks]
        # (position, per-host results) of a step whose failures differ per host (Placement).
        self._own = own_steps
        self._index: dict[str, int] | None = None

    def _value(self, position: int, index: int):
        column = self._columns[position]
        return column.at(index) if isinstance(column, Spread) else column[index]

    def _list(self, position: int) -> list:
        column = self._columns[position]
        return column.as_list() if isinstance(column, Spread) else column

    def verdict(self, index: int) -> Verdict:
        """The full verdict of the host at `index`, with its own step results."""
        verdict = self._verdicts[index]
        if self._own is not None:
            position, results = self._own
            result = results[index]
            if result is not verdict.steps[position]:
                return verdict.with_step(position, result)
        return verdict

    def __len__(self) -> int:
        return len(self._names)

    @overload
    def __getitem__(self, index: int) -> HostResult: ...

    @overload
    def __getitem__(self, index: slice) -> list[HostResult]: ...

    def __getitem__(self, index: int | slice) -> HostResult | list[HostResult]:
        if isinstance(index, slice):
            return [self[position] for position in range(*index.indices(len(self)))]
        return HostResult(
            self._names[index],
            self.verdict(index),
            self._value(0, index),
            self._value(1, index),
            self._value(2, index),
        )

    def __iter__(self) -> Iterator[HostResult]:
        verdicts = self._verdicts
        if self._own is not None:
            verdicts = list(map(self.verdict, range(len(self._names))))
        return map(HostResult, self._names, verdicts, self._list(0), self._list(1), self._list(2))

    @property
    def names(self) -> Sequence[str]:
        """Host names, in input order (read-only)."""
        return self._names

    def rank(self, index: int) -> int | None:
        """Rank of the host at `index` among the weighed hosts (1 = Nova's pick), None if not."""
        return self._value(2, index)

    def weight(self, index: int) -> float | None:
        """Weight of the host at `index`, None if it was not weighed."""
        return self._value(1, index)

    def slots(self, index: int) -> int | None:
        """Further instances of the flavor that fit on the host at `index` (None: not asked)."""
        return self._value(0, index)

    def rows(self) -> Iterator[tuple[str, Verdict, bool, int | None, float | None, int | None]]:
        """(name, verdict, shared, slots, weight, rank) per host, in input order.

        `shared` says the verdict object is shared with other hosts, so an encoder may cache
        its text by the object's identity.
        """
        slots, weights, ranks = self._list(0), self._list(1), self._list(2)
        for index, name in enumerate(self._names):
            verdict = self.verdict(index)
            shared = verdict is self._verdicts[index]
            yield (
                name,
                verdict,
                shared,
                slots[index],
                weights[index],
                ranks[index],
            )

    def slot_counts(self) -> list[int]:
        """Further instances per host, in input order (0 where none fit or none are asked)."""
        return [count or 0 for count in self._list(0)]

    def summarise(self, summary: Callable[[Verdict], T]) -> list[T]:
        """`summary(verdict)` of every host, in input order, made once per shared verdict.

        Only a host whose own step result (Placement's numbers) is its rejecting step gets its
        own call: elsewhere the own result changes a reason's text, not which step failed.
        """
        verdicts = self._verdicts
        if not verdicts:
            return []
        ids = np.fromiter(map(id, verdicts), dtype=np.uint64, count=len(verdicts))
        _, first, inverse = np.unique(ids, return_index=True, return_inverse=True)
        shared = [verdicts[index] for index in first.tolist()]
        made = [summary(verdict) for verdict in shared]
        summaries = [made[k] for k in inverse.tolist()]
        if self._own is not None:
            position = self._own[0]
            own_failed = np.asarray([verdict.failed == position for verdict in shared])
            for index in np.flatnonzero(own_failed[inverse]).tolist():
                summaries[index] = summary(self.verdict(index))
        return summaries

    def by_name(self, name: str) -> HostResult:
        """The result of the host called `name` (KeyError if absent; first if listed twice)."""
        if self._index is None:
            self._index = {}
            for position, host in enumerate(self._names):
                self._index.setdefault(host, position)
        return self[self._index[name]]


@dataclass(slots=True, frozen=True)
class WeigherScore:
    """One weigher's part in a host's weight (nova-scheduling.md §8 step 6)."""

    weigher: str
    raw: float
    normalized: float
    multiplier: float
    multiplier_source: str  # "config" or the aggregate(s) that overrode it
    score: float


@dataclass(slots=True)
class Summary:
    hosts: int
    candidates: int
    rejected_by: dict[str, int]
    failing: dict[str, int]
    total_slots: int
    cap_applied: bool
    placement_candidates: int
    possibly_cut: tuple[str, ...]
    best_hosts: tuple[str, ...]
    steps: tuple[str, ...]
    request_error: str | None
    zone: ZoneSteps | None = None  # the requested zone's API check and pre-filter

    def to_dict(self) -> dict[str, Any]:
        return {
            "hosts": self.hosts,
            "candidates": self.candidates,
            "rejected_by": dict(self.rejected_by),
            "failing": dict(self.failing),
            "total_slots": self.total_slots,
            "cap_applied": self.cap_applied,
            "placement_candidates": self.placement_candidates,
            "possibly_cut": list(self.possibly_cut),
            "best_hosts": list(self.best_hosts),
            "steps": list(self.steps),
            "request_error": self.request_error,
            "zone": None if self.zone is None else self.zone.to_dict(),
        }


@dataclass(slots=True)
class PreviewResult:
    """The whole preview: hosts in input order, summary, warnings, request-level errors."""

    hosts: HostResults
    summary: Summary
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # Per-weigher breakdown (WeigherColumn: one entry per candidate), expanded on demand.
    weigher_columns: list[Any] = field(default_factory=list)
    candidates: list[int] = field(default_factory=list)  # host positions, weigher order
    ranked: Sequence[int] | None = None  # host positions, best first (None: from the ranks)
    _candidate_index: dict[str, int] | None = None

    def host(self, name: str) -> HostResult:
        """The result of the host called `name` (KeyError if absent)."""
        return self.hosts.by_name(name)

    @property
    def ranking(self) -> list[HostResult]:
        """Passing hosts, best first."""
        if self.ranked is not None:
            return [self.hosts[index] for index in self.ranked]
        ranked = [result for result in self.hosts if result.rank is not None]
        ranked.sort(key=lambda result: result.rank or 0)
        return ranked

    def top(self, count: int) -> list[HostResult]:
        """The `count` best passing hosts, best first (the ranking's head, made alone)."""
        if self.ranked is not None:
            return [self.hosts[index] for index in self.ranked[:count]]
        return self.ranking[:count]

    def best(self) -> HostResult | None:
        """The top-ranked host (Nova's pick when host_subset_size is 1), None if none passes."""
        if self.ranked is not None:
            return self.hosts[self.ranked[0]] if len(self.ranked) else None
        ranking = self.ranking
        return ranking[0] if ranking else None

    def weight_breakdown(self, name: str) -> list[WeigherScore]:
        """How each weigher contributed to the weight of candidate `name` (empty if none)."""
        if self._candidate_index is None:
            names = self.hosts._names
            self._candidate_index = {
                names[index]: position for position, index in enumerate(self.candidates)
            }
        index = self._candidate_index.get(name)
        if index is None:
            return []
        scores = []
        for column in self.weigher_columns:
            raw, normalized, multiplier, source = column.at(index)
            scores.append(
                WeigherScore(
                    weigher=column.name,
                    raw=raw,
                    normalized=normalized,
                    multiplier=multiplier,
                    multiplier_source=source,
                    score=multiplier * normalized,
                )
            )
        return scores

    def to_dict(self) -> dict[str, Any]:
        return {
            "hosts": [result.to_dict() for result in self.hosts],
            "summary": self.summary.to_dict(),
            "warnings": list(self.warnings),
            "errors": list(self.errors),
        }


@dataclass(slots=True, frozen=True)
class Comparison:
    """What a change does to a preview: hosts that start or stop passing, and slots."""

    hosts_gained: tuple[str, ...]
    hosts_lost: tuple[str, ...]
    slots_changed: dict[str, tuple[int | None, int | None]]
    total_slots_before: int
    total_slots_after: int
    best_before: tuple[str, ...]
    best_after: tuple[str, ...]

    @property
    def slots_delta(self) -> int:
        return self.total_slots_after - self.total_slots_before

    def to_dict(self) -> dict[str, Any]:
        return {
            "hosts_gained": list(self.hosts_gained),
            "hosts_lost": list(self.hosts_lost),
            "slots_changed": {
                host: {"before": before, "after": after}
                for host, (before, after) in self.slots_changed.items()
            },
            "total_slots_before": self.total_slots_before,
            "total_slots_after": self.total_slots_after,
            "slots_delta": self.slots_delta,
            "best_before": list(self.best_before),
            "best_after": list(self.best_after),
        }


def compare(before: PreviewResult, after: PreviewResult) -> Comparison:
    """Hosts gained and lost, and per-host slot changes, between two previews."""
    old = {result.host: result for result in before.hosts}
    new = {result.host: result for result in after.hosts}
    gained = tuple(
        name for name, result in new.items() if result.passed and not _passed(old.get(name))
    )
    lost = tuple(
        name for name, result in old.items() if result.passed and not _passed(new.get(name))
    )
    changed: dict[str, tuple[int | None, int | None]] = {}
    for name in _ordered_union(old, new):
        slots_before = old[name].slots if name in old else None
        slots_after = new[name].slots if name in new else None
        if slots_before != slots_after:
            changed[name] = (slots_before, slots_after)
    return Comparison(
        hosts_gained=gained,
        hosts_lost=lost,
        slots_changed=changed,
        total_slots_before=before.summary.total_slots,
        total_slots_after=after.summary.total_slots,
        best_before=before.summary.best_hosts,
        best_after=after.summary.best_hosts,
    )


def _passed(result: HostResult | None) -> bool:
    return result is not None and result.passed


def _ordered_union(first: dict[str, Any], second: dict[str, Any]) -> Sequence[str]:
    return list(first) + [name for name in second if name not in first]
