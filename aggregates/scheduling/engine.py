"""The placement preview: Nova 34's scheduling decision for one request, explained host by host."""

from __future__ import annotations

from collections.abc import Sequence

from .config import DEFAULT_CONFIG, SchedulerConfig
from .context import Column, PreviewContext
from .filters import FILTERS
from .lint import lint_request
from .placement import STEP as PLACEMENT_STEP
from .placement import placement_step
from .prefilters import PRE_FILTERS
from .results import HostResult, PreviewResult, StepResult, Summary, Verdict
from .state import AggregateState, HostState, RequestSpec
from .weighers import WeighingError, weigh

PASSED_REASON = "passes every step"


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
    lint_request(ctx)
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
    for name in config.enabled_filters:
        names.append(name)
        if forced:
            columns.append(StepResult(name, True, "skipped: forced destination"))
        else:
            columns.append(FILTERS[name](ctx))

    verdicts, counts = _verdicts(ctx, columns)
    candidates = [index for index, verdict in enumerate(verdicts) if verdict.passed]
    cut = _placement_cap(ctx, columns[:prefix])
    weights, weigher_columns = _weights(ctx, candidates)

    ranks: dict[int, int] = {}
    order = sorted(range(len(candidates)), key=weights.__getitem__, reverse=True)
    for rank, position in enumerate(order, start=1):
        ranks[candidates[position]] = rank
    weight_of = dict(zip(candidates, weights, strict=True))
    for limits in ctx.slot_limits:
        for index, limit in enumerate(limits):
            current = slots[index]
            if limit is not None and (current is None or limit < current):
                slots[index] = limit

    results = [
        HostResult(
            host=host.name,
            verdict=verdict,
            slots=slot if verdict.passed else 0,
            weight=weight_of.get(index),
            rank=ranks.get(index),
        )
        for index, (host, verdict, slot) in enumerate(zip(hosts, verdicts, slots, strict=True))
    ]
    summary = _summary(ctx, names, counts, results, candidates, order, weights, cut)
    _approximation_warning(ctx, candidates)
    return PreviewResult(
        hosts=results,
        summary=summary,
        warnings=_unique(ctx.warnings),
        errors=_unique(ctx.errors),
        weigher_columns=[
            (column.name, column.raw, column.normalized, column.multipliers, column.sources)
            for column in weigher_columns
        ],
        candidate_index={hosts[index].name: position for position, index in enumerate(candidates)},
    )


def _verdicts(
    ctx: PreviewContext, columns: list[Column]
) -> tuple[list[Verdict], list[tuple[Verdict, int]]]:
    """One shared Verdict per distinct combination of step results, and how many hosts have it."""
    varying = [index for index, column in enumerate(columns) if isinstance(column, list)]
    template: list[StepResult | None] = [
        None if isinstance(column, list) else column for column in columns
    ]
    cache: dict[object, Verdict] = {}

    def build(key: tuple[StepResult, ...]) -> Verdict:
        steps = list(template)
        for position, result in zip(varying, key, strict=True):
            steps[position] = result
        return _verdict(ctx, tuple(steps))  # type: ignore[arg-type]

    if not varying:
        verdict = build(())
        return [verdict] * ctx.n, [(verdict, ctx.n)]
    if len(varying) == 1:
        keys: list[object] = columns[varying[0]]  # type: ignore[assignment]
        single = True
    else:
        keys = list(zip(*(columns[index] for index in varying)))  # type: ignore[arg-type]
        single = False
    verdicts: list[Verdict] = []
    append = verdicts.append
    get = cache.get
    for key in keys:
        verdict = get(key)
        if verdict is None:
            verdict = cache[key] = build((key,) if single else key)  # type: ignore[arg-type]
        append(verdict)
    if len(cache) == 1:
        return verdicts, [(verdicts[0], len(verdicts))]
    counts: dict[int, int] = {}
    for verdict in verdicts:
        counts[id(verdict)] = counts.get(id(verdict), 0) + 1
    return verdicts, [(verdict, counts[id(verdict)]) for verdict in cache.values()]


def _verdict(ctx: PreviewContext, steps: tuple[StepResult, ...]) -> Verdict:
    for step in steps:
        if not step.passed:
            if step.error:
                # Nova's filter raised on a host that reached it: the request ends in ERROR.
                ctx.errors.append(f"Nova would fail the request at {step.name}: {step.reason}")
            return Verdict(steps, False, step.name, f"{step.name}: {step.reason}", step.error)
    return Verdict(steps, True, None, PASSED_REASON, False)


def _placement_cap(ctx: PreviewContext, placement_columns: list[Column]) -> list[int]:
    """Hosts Placement would return beyond max_placement_results (its order is unspecified)."""
    request = ctx.request
    # §3.4: the limit is dropped for same_host / different_host / group hints.
    if request.same_host or request.different_host or request.group is not None:
        return []
    limit = ctx.config.max_placement_results
    expanded = [
        column if isinstance(column, list) else [column] * ctx.n for column in placement_columns
    ]
    eligible = [
        index
        for index, results in enumerate(zip(*expanded))
        if all(result.passed for result in results)
    ]
    if len(eligible) <= limit:
        return []
    ctx.warnings.append(
        f"Placement returns at most max_placement_results={limit} of the {len(eligible)} hosts "
        "that fit, in an unspecified order: Nova's filters and weighers never see the others "
        "(summary.possibly_cut lists the hosts beyond the cap in input order)"
    )
    return eligible[limit:]


def _weights(ctx: PreviewContext, candidates: list[int]) -> tuple[list[float], list]:
    try:
        return weigh(ctx, candidates)
    except WeighingError as exc:
        ctx.errors.append(f"Nova would fail the request while weighing: {exc}")
        return [0.0] * len(candidates), []


def _summary(
    ctx: PreviewContext,
    names: list[str],
    counts: list[tuple[Verdict, int]],
    results: list[HostResult],
    candidates: list[int],
    order: list[int],
    weights: list[float],
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
    total_slots = sum(result.slots or 0 for result in results if result.verdict.passed)
    config = ctx.config
    best: list[str] = []
    if order:
        top = weights[order[0]]
        subset = [candidates[position] for position in order[: config.host_subset_size]]
        if config.shuffle_best_same_weighed_hosts:
            subset += [
                candidates[position]
                for position in order[config.host_subset_size :]
                if weights[position] == top
            ]
        best = [ctx.hosts[index].name for index in subset]
    first_error = ctx.errors[0] if ctx.errors else None
    return Summary(
        hosts=ctx.n,
        candidates=len(candidates),
        rejected_by=rejected_by,
        failing=failing,
        total_slots=total_slots,
        cap_applied=bool(cut),
        placement_candidates=(
            config.max_placement_results if cut else _placement_count(rejected_by, names, ctx.n)
        ),
        possibly_cut=tuple(ctx.hosts[index].name for index in cut),
        best_hosts=tuple(best),
        steps=tuple(names),
        request_error=first_error,
    )


def _placement_count(rejected_by: dict[str, int], names: list[str], total: int) -> int:
    """Hosts that clear the pre-filters and Placement (what Placement returns, before the cap)."""
    rejected = 0
    for name in names:
        rejected += rejected_by[name]
        if name == PLACEMENT_STEP:
            break
    return total - rejected


def _approximation_warning(ctx: PreviewContext, candidates: list[int]) -> None:
    if len(candidates) > 1 and any(ctx.hosts[index].free_ram_mb is None for index in candidates):
        ctx.warnings.append(
            "weights use compute-node free RAM/disk approximated from Placement usage "
            "(total \u2212 reserved \u2212 used); the ranking is approximate (\u00a76)"
        )


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
