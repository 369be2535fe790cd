"""The placement preview as the API shows it, and as JSON text fast at 10,000 hosts."""

from __future__ import annotations

import json
from collections.abc import Iterable
from itertools import compress
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any

from aggregates.preview.run import PreviewOutcome
from aggregates.scheduling import (
    PreviewResult,
)


def hosts_payload(result: PreviewResult) -> list[dict[str, Any]]:
    """Every host as the API shows it; shared step verdicts are turned into dicts once."""
    step_dicts: dict[int, dict[str, Any]] = {}
    filter_lists: dict[int, list[dict[str, Any]]] = {}

    def step_dict(step: Any) -> dict[str, Any]:
        found = step_dicts.get(id(step))
        if found is None:
            found = step_dicts[id(step)] = {
                "name": step.name,
                "passed": step.passed,
                "reason": step.reason,
            }
        return found

    payload = []
    for host in result.hosts:
        verdict = host.verdict
        filters = filter_lists.get(id(verdict))
        if filters is None:
            filters = filter_lists[id(verdict)] = [step_dict(step) for step in verdict.steps]
        payload.append(
            {
                "host": host.host,
                "passed": verdict.failed is None,
                "failed_filter": verdict.failed_filter,
                "reason": verdict.reason,
                "filters": filters,
                "weight": host.weight,
                "rank": host.rank,
                "slots": host.slots,
            }
        )
    return payload


def outcome_payload(outcome: PreviewOutcome, *, with_hosts: bool = True) -> dict[str, Any]:
    """The API response: hosts, summary, warnings, errors, and the what-if comparison."""
    result = outcome.result
    payload: dict[str, Any] = {
        "flavor": {
            "id": outcome.flavor.id,
            "name": outcome.flavor.name,
            "vcpus": outcome.flavor.vcpus,
            "ram": outcome.flavor.ram,
            "disk": outcome.flavor.disk,
            "extra_specs": dict(outcome.flavor.extra_specs or {}),
        },
        "summary": result.summary.to_dict(),
        "warnings": list(result.warnings),
        "errors": list(result.errors),
        "enabled_filters": list(outcome.inputs.config.enabled_filters),
    }
    if outcome.comparison is not None and outcome.before is not None:
        payload["what_if"] = {
            **outcome.comparison.to_dict(),
            "summary_before": outcome.before.summary.to_dict(),
            "notes": list(outcome.change_notes),
            "refused": [refusal.to_dict() for refusal in outcome.refusals],
        }
    if with_hosts:
        payload["hosts"] = hosts_payload(result)
    return payload


def outcome_json(
    outcome: PreviewOutcome,
    indices: list[int] | None = None,
    extra: dict[str, Any] | None = None,
) -> str:
    """outcome_payload as JSON text, fast at 10,000 hosts; only the hosts at `indices` if given,
    and the members of `extra` (a page's links) beside the others.

    Most hosts share their verdict's text with many others, so each distinct step, list of
    steps and verdict is encoded once, and the document is joined from those pieces in one go.
    """
    payload = outcome_payload(outcome, with_hosts=False)
    payload.update(extra or {})
    rest = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    parts = ['{"hosts":[']
    _hosts_json(outcome.result, parts, indices)
    parts.append("]," + rest[1:])
    return "".join(parts)


def _hosts_json(result: PreviewResult, parts: list[str], indices: list[int] | None) -> None:
    """Append the hosts (those at `indices`, ascending, if given), comma-separated, to `parts`."""
    quote = encode_basestring  # C-level string escaping, without json.dumps's overhead per call
    encoder = _VerdictEncoder()
    by_verdict: dict[int, str] = {}  # most hosts share their verdict object with others
    append = parts.append
    rows: Iterable[tuple] = result.hosts.rows()
    if indices is not None:
        rows = compress(rows, _mask(indices, len(result.hosts)))
    for index, (name, verdict, shared, slots, weight, rank) in enumerate(rows):
        middle = by_verdict.get(id(verdict)) if shared else None
        if middle is None:
            middle = encoder.encode(verdict)
            if shared:
                by_verdict[id(verdict)] = middle
        append('{"host":' if index == 0 else ',{"host":')
        append(quote(name))
        append(",")
        append(middle)
        append(
            f'"weight":{"null" if weight is None else repr(weight)},'
            f'"rank":{"null" if rank is None else rank},'
            f'"slots":{"null" if slots is None else slots}}}'
        )


def _mask(indices: list[int], length: int) -> list[bool]:
    mask = [False] * length
    for index in indices:
        mask[index] = True
    return mask


class _VerdictEncoder:
    """A verdict's members as JSON text; equal steps, step lists and verdicts are encoded once.

    Hosts whose own steps differ only as objects (e.g. Placement's per-host result) mostly say
    the same words, so the caches are keyed by content.
    """

    def __init__(self) -> None:
        self.steps: dict[tuple, str] = {}
        self.lists: dict[tuple[int, ...], str] = {}
        self.verdicts: dict[tuple, str] = {}

    def encode(self, verdict: Any) -> str:
        pieces = [self._step(step) for step in verdict.steps]
        # Equal steps are the same string object, so their ids name the list's content.
        list_key = tuple(map(id, pieces))
        filters = self.lists.get(list_key)
        if filters is None:
            filters = self.lists[list_key] = "[" + ",".join(pieces) + "]"
        key = (verdict.failed is None, verdict.failed_filter, verdict.reason, id(filters))
        found = self.verdicts.get(key)
        if found is None:
            found = self.verdicts[key] = (
                f'"passed":{"true" if verdict.failed is None else "false"},'
                f'"failed_filter":{json.dumps(verdict.failed_filter)},'
                f'"reason":{json.dumps(verdict.reason, ensure_ascii=False)},"filters":{filters},'
            )
        return found

    def _step(self, step: Any) -> str:
        key = (step.name, step.passed, step.reason)
        found = self.steps.get(key)
        if found is None:
            found = self.steps[key] = json.dumps(
                {"name": step.name, "passed": step.passed, "reason": step.reason},
                ensure_ascii=False,
                separators=(",", ":"),
            )
        return found
