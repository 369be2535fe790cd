"""Step results combined into verdicts: one shared Verdict per distinct combination of steps."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import repeat
from operator import is_not

import numpy as np

from .context import CodedColumn, Column, PreviewContext
from .placement import STEP as PLACEMENT_STEP
from .placement import ShortfallColumn
from .results import StepResult, Verdict

# Keys past this are renumbered to 0..k-1 before the next column multiplies them again.
_KEY_LIMIT = 1 << 40


@dataclass(slots=True)
class Combined:
    """Every host's verdict (shared objects), how many hosts share each, and who passes."""

    verdicts: list[Verdict]
    counts: list[tuple[Verdict, int]]
    candidates: np.ndarray  # positions of the hosts that pass every step, input order
    placement_passed: np.ndarray  # bool per host: cleared the pre-filters and Placement
    own_placement: list[StepResult] | None  # the hosts' own Placement results, if any failed


def combine(ctx: PreviewContext, columns: list[Column], prefix: int) -> Combined:
    """One shared Verdict per distinct combination of step results, and how many hosts have it.

    Each varying column becomes small integer codes, combined into one int64 key per host with
    numpy. Placement failures carry per-host numbers, so they are coded as one failure (a
    marker); the hosts' own results are returned apart, to be put back when a host is read.
    """
    n = ctx.n
    placement = prefix - 1
    failed: np.ndarray | None = None
    template: list[StepResult | None] = []
    varying: list[tuple[int, list[StepResult], np.ndarray]] = []  # position, distinct, codes
    keys = np.zeros(n, dtype=np.int64)
    base = 1
    for position, column in enumerate(columns):
        if not isinstance(column, list):
            template.append(column)
            continue
        template.append(None)
        if position == placement:
            failed, distinct, codes = _placement_codes(column, n)
        elif isinstance(column, CodedColumn):
            distinct, codes = column.distinct, column.codes
        else:
            distinct = list(dict.fromkeys(column))
            code_of = {result: code for code, result in enumerate(distinct)}
            codes = np.fromiter(map(code_of.__getitem__, column), dtype=np.int64, count=n)
        varying.append((position, distinct, codes))
        if base * len(distinct) >= _KEY_LIMIT:
            keys = np.unique(keys, return_inverse=True)[1].astype(np.int64)
            base = int(keys.max()) + 1 if n else 1
        keys += codes * base
        base *= len(distinct)
    if not varying:
        verdict = _verdict(ctx, tuple(template), prefix)  # type: ignore[arg-type]
        passes = verdict.failed is None
        return Combined(
            [verdict] * n,
            [(verdict, n)],
            np.arange(n) if passes else np.zeros(0, dtype=np.intp),
            np.full(n, verdict.placement_passed),
            None,
        )
    first, inverse, tally = distinct_keys(keys, base)
    # Verdicts in the order their first host appears, as Nova meets them (errors in order).
    shared: list[Verdict | None] = [None] * len(first)
    in_order = np.argsort(first, kind="stable").tolist()
    for key in in_order:
        host = int(first[key])
        steps = list(template)
        for position, distinct, codes in varying:
            steps[position] = distinct[codes[host]]
        shared[key] = _verdict(ctx, tuple(steps), prefix)  # type: ignore[arg-type]
    table = np.empty(len(shared), dtype=object)
    table[:] = shared
    passing = np.fromiter((verdict.failed is None for verdict in shared), dtype=bool)  # type: ignore[union-attr]
    cleared = np.fromiter((verdict.placement_passed for verdict in shared), dtype=bool)  # type: ignore[union-attr]
    counts = [(shared[key], int(tally[key])) for key in in_order]
    own = columns[placement] if failed is not None and failed.any() else None
    return Combined(
        table[inverse].tolist(),
        counts,  # type: ignore[arg-type]
        np.flatnonzero(passing[inverse]),
        cleared[inverse],
        own,  # type: ignore[arg-type]
    )


def distinct_keys(keys: np.ndarray, base: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """np.unique's first index, inverse and counts of `keys` (all below `base`), key order.

    Keys usually span a small range: counting them is several times faster than sorting.
    """
    n = len(keys)
    if base > 4 * n + 64:
        _, first, inverse, tally = np.unique(
            keys, return_index=True, return_inverse=True, return_counts=True
        )
        return first, inverse, tally
    counts = np.bincount(keys, minlength=base)
    present = np.flatnonzero(counts)
    code = np.empty(base, dtype=np.intp)
    code[present] = np.arange(len(present))
    inverse = code[keys]
    first = np.full(len(present), n, dtype=np.intp)
    np.minimum.at(first, inverse, np.arange(n))
    return first, inverse, counts[present]


def _placement_codes(
    column: list[StepResult], n: int
) -> tuple[np.ndarray, list[StepResult], np.ndarray]:
    """Which hosts fail Placement, the results standing for pass and fail, and their codes."""
    if isinstance(column, ShortfallColumn):
        shared_pass: StepResult | None = column.passed
        failed = column.failed
    else:
        shared_pass = next((result for result in column if result.passed), None)
        failed = np.fromiter(map(is_not, column, repeat(shared_pass)), dtype=bool, count=n)
    marker = StepResult(PLACEMENT_STEP, False, "capacity")
    if shared_pass is None or failed.all():
        return failed, [marker], np.zeros(n, dtype=np.int64)  # all fail: one code for all
    return failed, [shared_pass, marker], failed.astype(np.int64)


def _verdict(ctx: PreviewContext, steps: tuple[StepResult, ...], prefix: int) -> Verdict:
    for position, step in enumerate(steps):
        if not step.passed:
            if step.error:
                # Nova's filter raised on a host that reached it: the request ends in ERROR.
                ctx.errors.append(f"Nova would fail the request at {step.name}: {step.reason}")
            return Verdict(steps, position, position >= prefix)
    return Verdict(steps, None, True)
