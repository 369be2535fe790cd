"""The placement preview: Nova 34's scheduling decision for one request, explained host by host."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import compress, repeat
from operator import add, attrgetter, is_not, mul

from .config import DEFAULT_CONFIG, SchedulerConfig
from .context import Column, PreviewContext
from .filters import FILTERS
from .lint import lint_request
from .placement import STEP as PLACEMENT_STEP
from .placement import placement_step
from .prefilters import PRE_FILTERS
from .results import HostResults, PreviewResult, StepResult, Summary, Verdict
from .state import AggregateState, HostState, RequestSpec
from .weighers import WeighingError, weigh
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

    verdicts, counts, candidates, own_placement = _verdicts(ctx, columns, prefix)
    cut = _placement_cap(ctx, verdicts, counts)
    weights, weigher_columns = _weights(ctx, candidates)

    order = sorted(range(len(candidates)), key=weights.__getitem__, reverse=True)
    n = ctx.n
    host_weights: list[float | None] = [None] * n
    host_ranks: list[int | None] = [None] * n
    for rank, position in enumerate(order, start=1):
        index = candidates[position]
        host_ranks[index] = rank
        host_weights[index] = weights[position]
    # Failing hosts take no instance; passing ones are capped by what the filters imply.
    host_slots: list[int | None] = [0] * n
    for index in candidates:
        host_slots[index] = slots[index]
    for limits in ctx.slot_limits:
        for index in candidates:
            limit = limits[index]
            current = host_slots[index]
            if limit is not None and (current is None or limit < current):
                host_slots[index] = limit
    summary = _summary(ctx, names, counts, host_slots, candidates, order, weights, cut)
    _approximation_warning(ctx, candidates)
    return PreviewResult(
        hosts=HostResults(
            ctx.names,
            verdicts,
            host_slots,
            host_weights,
            host_ranks,
            own_steps=(prefix - 1, own_placement) if own_placement else None,
        ),
        summary=summary,
        warnings=_unique(ctx.warnings),
        errors=_unique(ctx.errors),
        weigher_columns=[
            (column.name, column.raw, column.normalized, column.multipliers, column.sources)
            for column in weigher_columns
        ],
        candidates=candidates,
    )


def _verdicts(
    ctx: PreviewContext, columns: list[Column], prefix: int
) -> tuple[list[Verdict], list[tuple[Verdict, int]], list[int], list[StepResult] | None]:
    """One shared Verdict per distinct combination of step results, and how many hosts have it.

    Each varying column becomes small integer codes combined into one int key per host (no
    per-host tuple). Placement failures carry per-host numbers, so they are coded as one
    failure; the hosts' own results are returned apart, to be put back when a host is read.
    """
    placement = prefix - 1
    own_results = columns[placement]
    failed: list[bool] = []
    template: list[StepResult | None] = []
    varying: list[tuple[int, list[StepResult]]] = []  # position, distinct results
    keys: list[int] | None = None
    base = 1
    for position, column in enumerate(columns):
        if not isinstance(column, list):
            template.append(column)
            continue
        template.append(None)
        if position == placement:
            # Coded pass (0) / fail (1): each failure is unique, the marker stands for them all.
            shared_pass = next((result for result in column if result.passed), None)
            failed = list(map(is_not, column, repeat(shared_pass)))
            marker = StepResult(PLACEMENT_STEP, False, "capacity")
            distinct = [marker] if shared_pass is None else [shared_pass, marker]
            codes: Iterable[int] = (
                repeat(0, ctx.n) if shared_pass is None else map(mul, failed, repeat(base))
            )
        else:
            distinct = list(dict.fromkeys(column))
            code_of = {result: code * base for code, result in enumerate(distinct)}
            codes = map(code_of.__getitem__, column)
        varying.append((position, distinct))
        keys = list(codes) if keys is None else list(map(add, keys, codes))
        base *= len(distinct)
    if keys is None:
        verdict = _verdict(ctx, tuple(template), prefix)  # type: ignore[arg-type]
        candidates = list(range(ctx.n)) if verdict.failed is None else []
        return [verdict] * ctx.n, [(verdict, ctx.n)], candidates, None
    tally = Counter(keys)
    by_key: dict[int, Verdict] = {}
    for key in tally:
        steps = list(template)
        rest = key
        for position, distinct in varying:
            rest, code = divmod(rest, len(distinct))
            steps[position] = distinct[code]
        by_key[key] = _verdict(ctx, tuple(steps), prefix)  # type: ignore[arg-type]
    verdicts = list(map(by_key.__getitem__, keys))
    passing = {key for key, verdict in by_key.items() if verdict.failed is None}
    candidates = list(compress(range(ctx.n), map(passing.__contains__, keys)))
    counts = [(by_key[key], count) for key, count in tally.items()]
    return verdicts, counts, candidates, own_results if any(failed) else None  # type: ignore[return-value]


def _verdict(ctx: PreviewContext, steps: tuple[StepResult, ...], prefix: int) -> Verdict:
    for position, step in enumerate(steps):
        if not step.passed:
            if step.error:
                # Nova's filter raised on a host that reached it: the request ends in ERROR.
                ctx.errors.append(f"Nova would fail the request at {step.name}: {step.reason}")
            return Verdict(steps, position, position >= prefix)
    return Verdict(steps, None, True)


def _placement_cap(
    ctx: PreviewContext, verdicts: list[Verdict], counts: list[tuple[Verdict, int]]
) -> list[int]:
    """Hosts Placement would return beyond max_placement_results (its order is unspecified)."""
    request = ctx.request
    # §3.4: the limit is dropped for same_host / different_host / group hints.
    if request.same_host or request.different_host or request.group is not None:
        return []
    limit = ctx.config.max_placement_results
    total = sum(count for verdict, count in counts if verdict.placement_passed)
    if total <= limit:
        return []
    eligible = list(compress(range(ctx.n), map(attrgetter("placement_passed"), verdicts)))
    ctx.warnings.append(
        f"Placement returns at most max_placement_results={limit} of the {total} hosts "
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
    slots: list[int | None],
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
    total_slots = sum(slots[index] or 0 for index in candidates)
    config = ctx.config
    best: list[str] = []
    refused = ctx.zone_steps is not None and not ctx.zone_steps.api_passed and not ctx.request.move
    if order and not refused:  # a boot the API refuses is never scheduled
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
            config.max_placement_results
            if cut
            else sum(count for verdict, count in counts if verdict.placement_passed)
        ),
        possibly_cut=tuple(ctx.hosts[index].name for index in cut),
        best_hosts=tuple(best),
        steps=tuple(names),
        request_error=first_error,
        zone=ctx.zone_steps,
    )


def _approximation_warning(ctx: PreviewContext, candidates: list[int]) -> None:
    if len(candidates) > 1 and any(ctx.hosts[index].free_ram_mb is None for index in candidates):
        ctx.warnings.append(
            "weights use compute-node free RAM/disk approximated from Placement usage "
            "(total \u2212 reserved \u2212 used); the ranking is approximate (\u00a76)"
        )


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
