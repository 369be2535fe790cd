"""Results of a placement preview: per-step verdicts, per-host outcome, summary and comparison."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True, frozen=True)
class StepResult:
    """One step's verdict on one host. Identical verdicts are one shared object."""

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


@dataclass(slots=True, frozen=True)
class Verdict:
    """The steps of a host and what they add up to; hosts with the same steps share one."""

    steps: tuple[StepResult, ...]
    passed: bool
    failed_filter: str | None
    reason: str
    error: bool


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
        return {
            "host": self.host,
            "passed": self.verdict.passed,
            "failed_filter": self.verdict.failed_filter,
            "reason": self.verdict.reason,
            "filters": [step.to_dict() for step in self.verdict.steps],
            "weight": self.weight,
            "rank": self.rank,
            "slots": self.slots,
        }


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
        }


@dataclass(slots=True)
class PreviewResult:
    """The whole preview: hosts in input order, summary, warnings, request-level errors."""

    hosts: list[HostResult]
    summary: Summary
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # Per-weigher breakdown, kept columnar (one entry per candidate) and expanded on demand.
    weigher_columns: list[tuple[str, list[float], list[float], list[float], list[str]]] = field(
        default_factory=list
    )
    candidate_index: dict[str, int] = field(default_factory=dict)

    def host(self, name: str) -> HostResult:
        """The result of the host called `name` (KeyError if absent)."""
        for result in self.hosts:
            if result.host == name:
                return result
        raise KeyError(name)

    @property
    def ranking(self) -> list[HostResult]:
        """Passing hosts, best first."""
        ranked = [result for result in self.hosts if result.rank is not None]
        ranked.sort(key=lambda result: result.rank or 0)
        return ranked

    def weight_breakdown(self, name: str) -> list[WeigherScore]:
        """How each weigher contributed to the weight of candidate `name` (empty if none)."""
        index = self.candidate_index.get(name)
        if index is None:
            return []
        return [
            WeigherScore(
                weigher=weigher,
                raw=raw[index],
                normalized=normalized[index],
                multiplier=multipliers[index],
                multiplier_source=sources[index],
                score=multipliers[index] * normalized[index],
            )
            for weigher, raw, normalized, multipliers, sources in self.weigher_columns
        ]

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
