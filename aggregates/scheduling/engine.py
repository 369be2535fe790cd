"""The placement preview: Nova 34's scheduling decision for one request, explained host by host."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter

import numpy as np

from .config import DEFAULT_CONFIG, SchedulerConfig
from .context import Column, PreviewContext
from .filters import FILTERS
from .lint import lint_request
from .placement import STEP as PLACEMENT_STEP
from .placement import placement_step
from .prefilters import PRE_FILTERS
from .results import HostResults, PreviewResult, Spread, StepResult, Summary, Verdict
from .state import AggregateState, HostState, RequestSpec
from .verdicts import Combined, combine
from .weighers import WeighingError, weigh_array
from .zones import zone_steps


def preview(
    hosts: Sequence[HostState],
    aggregates: Sequence[AggregateState],
    request: RequestSpec,
    config: SchedulerConfig = DEFAULT_CONFIG,
) -> PreviewResult:
    """Every host's verdict per step (pre-filters, Placement, enabled filters), weight and slots.

    Hosts come back in input order, which also stands for Placement's candidate order.
    """
    ctx = PreviewContext(hosts, aggregates, request, config)
    ctx.zone_steps = zone_steps(ctx)
    lint_request(ctx)
    steps = run_steps(ctx)
    names, prefix, slots, combined = steps.names, steps.prefix, steps.slots, steps.combined
    verdicts, counts, own_placement = combined.verdicts, combined.counts, combined.own_placement
    cut = _placement_cap(ctx, combined)
    weights, weigher_columns = _weights(ctx, combined.candidates)

    n = ctx.n
    picked = combined.candidates
    order = rank_by_weight(weights)
    ranked = picked[order]
    # Failing hosts take no instance; passing ones are capped by what the filters imply.
    passing_slots = (slots if isinstance(slots, np.ndarray) else np.asarray(slots, dtype=object))[
        picked
    ]
    if ctx.slot_limits:
        host_slots: list | Spread = _capped_slots(ctx, picked, passing_slots)
        total_slots = sum(filter(None, map(host_slots.__getitem__, picked.tolist())))  # type: ignore[union-attr]
    else:
        host_slots = Spread(n, picked, passing_slots, 0)
        total_slots = _total(passing_slots)
    summary = _summary(ctx, names, counts, total_slots, picked, order, weights, cut)
    _approximation_warning(ctx, picked)
    return PreviewResult(
        hosts=HostResults(
            ctx.names,
            verdicts,
            host_slots,
            Spread(n, ranked, weights[order], None),
            Spread(n, ranked, np.arange(1, len(order) + 1), None),
            own_steps=(prefix - 1, own_placement) if own_placement else None,
        ),
        summary=summary,
        warnings=_unique(ctx.warnings),
        errors=_unique(ctx.errors),
        weigher_columns=weigher_columns,
        candidates=_Positions(picked),
        ranked=_Positions(ranked),
    )


@dataclass(slots=True)
class Steps:
    """Every step's verdict per host, combined: what the weighers and the summary start from."""

    names: list[str]
    prefix: int  # the pre-filters and Placement: the columns before the filters
    slots: np.ndarray | list[int | None]  # Placement's instances that still fit, per host
    combined: Combined


def run_steps(ctx: PreviewContext) -> Steps:
    """The pre-filters, Placement and the enabled filters over the context's hosts, combined
    (the context's zone steps set first)."""
    names: list[str] = []
    columns: list[Column] = []
    for name, pre_filter in PRE_FILTERS:
        column = pre_filter(ctx)
        if column is not None:
            names.append(name)
            columns.append(column)
    placement_column, slots = placement_step(ctx)
    names.append(PLACEMENT_STEP)
    columns.append(placement_column)
    prefix = len(columns)
    forced = ctx.destination is not None and ctx.destination.forced
    for name in ctx.config.enabled_filters:
        names.append(name)
        if forced:
            columns.append(StepResult(name, True, "skipped: forced destination"))
        else:
            columns.append(FILTERS[name](ctx))
    return Steps(names, prefix, slots, combine(ctx, columns, prefix))


class _Positions(Sequence[int]):
    """Host positions as Python ints, read from a numpy array."""

    __slots__ = ("_array",)

    def __init__(self, array: np.ndarray) -> None:
        self._array = array

    def __len__(self) -> int:
        return len(self._array)

    def __getitem__(self, index):  # type: ignore[override]
        found = self._array[index]
        return found.tolist() if isinstance(index, slice) else int(found)

    def __iter__(self):
        return iter(self._array.tolist())


def rank_by_weight(weights: np.ndarray) -> np.ndarray:
    """Positions by weight, best first; equal weights keep their order (Nova's stable sort).

    A quicksort, then only the runs of equal weights sorted again by input order: a stable
    sort of all the floats costs several times more.
    """
    order = np.argsort(-weights)
    ranked = weights[order]
    tied = np.flatnonzero(ranked[1:] == ranked[:-1])
    if len(tied):
        members = np.unique(np.concatenate((tied, tied + 1)))
        runs = np.cumsum(np.concatenate(([0], ranked[1:] != ranked[:-1])))[members]
        order[members] = order[members][np.lexsort((order[members], runs))]
    return order


def _capped_slots(ctx: PreviewContext, picked: np.ndarray, passing: np.ndarray) -> list:
    """Per host: the instances that fit, capped by the limits enabled filters imply."""
    slots = Spread(ctx.n, picked, passing, 0).as_list()
    for limits in ctx.slot_limits:
        for index in picked.tolist():
            limit = limits[index]
            current = slots[index]
            if limit is not None and (current is None or limit < current):
                slots[index] = limit
    return slots


def _total(slots: np.ndarray) -> int:
    if slots.dtype == object:
        return sum(filter(None, slots.tolist()))
    return int(slots.sum())


def _placement_cap(ctx: PreviewContext, combined: Combined) -> list[int]:
    """Hosts Placement would return beyond max_placement_results (its order is unspecified)."""
    request = ctx.request
    # §3.4: the limit is dropped for same_host / different_host / group hints.
    if request.same_host or request.different_host or request.group is not None:
        return []
    limit = ctx.config.max_placement_results
    eligible = np.flatnonzero(combined.placement_passed)
    total = len(eligible)
    if total <= limit:
        return []
    ctx.warnings.append(
        f"Placement returns at most max_placement_results={limit} of the {total} hosts "
        "that fit, in an unspecified order: Nova's filters and weighers never see the others "
        "(summary.possibly_cut lists the hosts beyond the cap in input order)"
    )
    return eligible[limit:].tolist()


def _weights(ctx: PreviewContext, candidates: np.ndarray) -> tuple[np.ndarray, list]:
    try:
        return weigh_array(ctx, candidates)
    except WeighingError as exc:
        ctx.errors.append(f"Nova would fail the request while weighing: {exc}")
        return np.zeros(len(candidates)), []


def _summary(
    ctx: PreviewContext,
    names: list[str],
    counts: list[tuple[Verdict, int]],
    total_slots: int,
    candidates: np.ndarray,
    order: np.ndarray,
    weights: np.ndarray,
    cut: list[int],
) -> Summary:
    rejected_by = {name: 0 for name in names}
    failing = {name: 0 for name in names}
    for verdict, count in counts:
        if verdict.failed_filter is not None:
            rejected_by[verdict.failed_filter] += count
        for step in verdict.steps:
            if not step.passed:
                failing[step.name] += count
    config = ctx.config
    best: list[str] = []
    refused = ctx.zone_steps is not None and not ctx.zone_steps.api_passed and not ctx.request.move
    if len(order) and not refused:  # a boot the API refuses is never scheduled
        size = config.host_subset_size
        subset = candidates[order[:size]].tolist()
        if config.shuffle_best_same_weighed_hosts:
            rest = order[size:]
            subset += candidates[rest[weights[rest] == weights[order[0]]]].tolist()
        best = [ctx.names[index] for index in subset]
    first_error = ctx.errors[0] if ctx.errors else None
    return Summary(
        hosts=ctx.n,
        candidates=len(candidates),
        rejected_by=rejected_by,
        failing=failing,
        total_slots=total_slots,
        cap_applied=bool(cut),
        placement_candidates=(
            config.max_placement_results
            if cut
            else sum(count for verdict, count in counts if verdict.placement_passed)
        ),
        possibly_cut=_names_at(ctx.names, cut),
        best_hosts=tuple(best),
        steps=tuple(names),
        request_error=first_error,
        zone=ctx.zone_steps,
    )


def _names_at(names: list[str], positions: list[int]) -> tuple[str, ...]:
    # Thousands of hosts may be past the cap: itemgetter picks them at C speed.
    if len(positions) < 2:
        return tuple(names[index] for index in positions)
    return itemgetter(*positions)(names)


def _approximation_warning(ctx: PreviewContext, candidates: np.ndarray) -> None:
    if len(candidates) < 2:
        return
    none = ctx.table.none_count("free_ram_mb")
    if none == ctx.n or (
        none and any(ctx.hosts[index].free_ram_mb is None for index in candidates.tolist())
    ):
        ctx.warnings.append(
            "weights use compute-node free RAM/disk approximated from Placement usage "
            "(total \u2212 reserved \u2212 used); the ranking is approximate"
        )


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
