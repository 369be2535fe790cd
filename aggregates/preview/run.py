"""Placement preview of a cloud: request checked, what-if changes applied in memory, engine run."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aggregates.errors import InvalidInput
from aggregates.models import Cloud
from aggregates.preview.changes import ChangeRefusal, apply_in_memory
from aggregates.preview.loader import CloudInputs, load_cloud
from aggregates.scheduling import (
    FlavorSpec,
    PreviewResult,
    RequestSpec,
    ServerGroup,
    compare,
    preview,
)
from aggregates.scheduling.results import Comparison

HINT_LISTS = ("same_host", "different_host")


GROUP_POLICIES = ("affinity", "anti-affinity", "soft-affinity", "soft-anti-affinity")


@dataclass(slots=True)
class PreviewQuery:
    """What an admin asks: a flavor (Nova id), zone, project, image properties, hints, changes."""

    flavor: str
    availability_zone: str | None = None
    project_id: str = ""
    image_properties: dict[str, Any] = field(default_factory=dict)
    hints: dict[str, Any] = field(default_factory=dict)
    changes: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class PreviewOutcome:
    """The preview (after the changes, if any), the one before them, and their comparison."""

    result: PreviewResult
    inputs: CloudInputs
    flavor: FlavorSpec
    before: PreviewResult | None = None
    comparison: Comparison | None = None
    refusals: list[ChangeRefusal] = field(default_factory=list)  # changes left out
    timings_ms: dict[str, float] = field(default_factory=dict)

    @property
    def change_notes(self) -> list[str]:
        """One sentence per change Nova would refuse."""
        return [str(refusal) for refusal in self.refusals]


def run_preview(
    cloud: Cloud, query: PreviewQuery, *, inputs: CloudInputs | None = None
) -> PreviewOutcome:
    """Check `query` against the cloud (400 naming the field), apply its changes in memory, preview.

    A zone Nova's API would refuse is not a bad query: the preview's summary says so.

    Constant number of queries whatever the cloud's size (the loader's).
    """
    started = time.perf_counter()
    hints = parse_hints(query.hints)  # first: which rows to load depends on them
    if inputs is None:
        inputs = load_cloud(cloud, with_servers=_needs_servers(hints))
    loaded = time.perf_counter()
    changed, refusals = apply_in_memory(inputs, query.changes) if query.changes else (inputs, [])
    changed_flavor = changed.flavors.get(str(query.flavor))
    if changed_flavor is None:
        raise InvalidInput(f"Flavor {query.flavor} could not be found.", field="flavor")
    # A flavor the changes create is previewed on the unchanged cloud too, as it is after them.
    flavor = inputs.flavors.get(changed_flavor.id, changed_flavor)
    after = preview(
        changed.hosts_with_instances(),
        changed.aggregates,
        _request(query, changed_flavor, hints),
        changed.config,
    )
    before = comparison = None
    if query.changes:
        before = preview(
            inputs.hosts_with_instances(),
            inputs.aggregates,
            _request(query, flavor, hints),
            inputs.config,
        )
        comparison = compare(before, after)
    done = time.perf_counter()
    return PreviewOutcome(
        result=after,
        inputs=changed,
        flavor=changed_flavor,
        before=before,
        comparison=comparison,
        refusals=refusals,
        timings_ms={"load": (loaded - started) * 1000, "engine": (done - loaded) * 1000},
    )


def _needs_servers(hints: Mapping[str, Any]) -> bool:
    return bool(hints) and any(key in hints for key in (*HINT_LISTS, "group"))


def _request(query: PreviewQuery, flavor: FlavorSpec, hints: dict[str, Any]) -> RequestSpec:
    return RequestSpec(
        flavor=flavor,
        project_id=query.project_id or "",
        availability_zone=query.availability_zone or None,
        image_properties=query.image_properties or None,
        is_admin=True,
        **hints,
    )


def parse_hints(hints: Any) -> dict[str, Any]:
    """Scheduler hints as RequestSpec fields; 400 naming the hint when malformed."""
    if hints in (None, ""):
        return {}
    if not isinstance(hints, dict):
        raise InvalidInput("'hints' must be an object of scheduler hints.", field="hints")
    parsed: dict[str, Any] = {}
    for key, value in hints.items():
        if key in HINT_LISTS:
            values = [value] if isinstance(value, str) else value
            if not isinstance(values, list) or not all(
                isinstance(item, str) and item for item in values
            ):
                raise InvalidInput(
                    f"'{key}' must be an instance uuid or a list of them.", field=f"hints.{key}"
                )
            parsed[key] = tuple(values)
        elif key == "group":
            parsed["group"] = _group(value)
        elif key == "build_near_host_ip":
            if not isinstance(value, str):
                raise InvalidInput("'build_near_host_ip' must be a string.", field=f"hints.{key}")
            parsed[key] = value
        elif key == "cidr":
            if not isinstance(value, str):
                raise InvalidInput("'cidr' must be a string like /24.", field=f"hints.{key}")
            parsed[key] = value
        else:
            raise InvalidInput(
                f"Unknown scheduler hint '{key}' (known: same_host, different_host, group, "
                "build_near_host_ip, cidr).",
                field=f"hints.{key}",
            )
    return parsed


def _group(value: Any) -> ServerGroup:
    if not isinstance(value, dict):
        raise InvalidInput(
            "'group' must be an object with policy and members.", field="hints.group"
        )
    policy = value.get("policy")
    if policy not in GROUP_POLICIES:
        raise InvalidInput(
            f"'policy' must be one of {', '.join(GROUP_POLICIES)}.", field="hints.group.policy"
        )
    members = value.get("members", [])
    if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
        raise InvalidInput(
            "'members' must be a list of instance uuids.", field="hints.group.members"
        )
    limit = value.get("max_server_per_host")
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
        raise InvalidInput(
            "'max_server_per_host' must be a positive integer.",
            field="hints.group.max_server_per_host",
        )
    return ServerGroup(policy=policy, members=frozenset(members), max_server_per_host=limit)
