"""Placement preview of a cloud: request checked, what-if changes applied in memory, engine run.

A change set is a list of dicts, each with an `action`: `add_host` / `remove_host`
{aggregate, host}; `set_metadata` {aggregate, metadata: {key: value|null}};
`delete_metadata` {aggregate, keys: [...]}; `update_flavor` {flavor, vcpus?, ram?, disk?,
extra_specs?: {key: value|null}}; `disable_host` / `enable_host` {host, disabled_reason?}.
`aggregate` is the aggregate's id or name. The database is never written here; `apply_changes`
in services commits the same list.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any

from aggregates.errors import InvalidInput
from aggregates.models import Cloud
from aggregates.scheduling import (
    AggregateState,
    FlavorSpec,
    HostState,
    PreviewResult,
    RequestSpec,
    ServerGroup,
    availability_zones,
    compare,
    preview,
    zone_names,
)
from aggregates.scheduling.results import Comparison
from aggregates.scheduling_loader import CloudInputs, load_cloud

ACTIONS = (
    "add_host",
    "remove_host",
    "set_metadata",
    "delete_metadata",
    "update_flavor",
    "disable_host",
    "enable_host",
)
HINT_LISTS = ("same_host", "different_host")
GROUP_POLICIES = ("affinity", "anti-affinity", "soft-affinity", "soft-anti-affinity")
MAX_CHANGES = 200


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
    change_notes: list[str] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)

    def zone_of_hosts(self) -> dict[str, str]:
        """Host name → zone, as Nova lists them (after the changes)."""
        zones = availability_zones(self.inputs.hosts, self.inputs.aggregates, self.inputs.config)
        return {host: zone.name for zone in zones for host in zone.hosts}


def run_preview(
    cloud: Cloud, query: PreviewQuery, *, inputs: CloudInputs | None = None
) -> PreviewOutcome:
    """Check `query` against the cloud (400 naming the field), apply its changes in memory, preview.

    Constant number of queries whatever the cloud's size (the loader's).
    """
    started = time.perf_counter()
    hints = parse_hints(query.hints)  # first: which rows to load depends on them
    if inputs is None:
        inputs = load_cloud(cloud, with_servers=_needs_servers(hints))
    loaded = time.perf_counter()
    flavor = inputs.flavors.get(str(query.flavor))
    if flavor is None:
        raise InvalidInput(f"Flavor {query.flavor} could not be found.", field="flavor")
    _check_zone(inputs, query.availability_zone)
    changed, notes = apply_in_memory(inputs, query.changes) if query.changes else (inputs, [])
    changed_flavor = changed.flavors[flavor.id]
    after = preview(
        _with_instances(changed),
        changed.aggregates,
        _request(query, changed_flavor, hints),
        changed.config,
    )
    before = comparison = None
    if query.changes:
        before = preview(
            _with_instances(inputs),
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
        change_notes=notes,
        timings_ms={"load": (loaded - started) * 1000, "engine": (done - loaded) * 1000},
    )


def _needs_servers(hints: Mapping[str, Any]) -> bool:
    return bool(hints) and any(key in hints for key in (*HINT_LISTS, "group"))


def _with_instances(inputs: CloudInputs) -> list[HostState]:
    if not inputs.servers_by_host:
        return inputs.hosts
    return [
        dataclasses.replace(host, instance_uuids=inputs.servers_by_host[host.name])
        if host.name in inputs.servers_by_host
        else host
        for host in inputs.hosts
    ]


def _request(query: PreviewQuery, flavor: FlavorSpec, hints: dict[str, Any]) -> RequestSpec:
    return RequestSpec(
        flavor=flavor,
        project_id=query.project_id or "",
        availability_zone=query.availability_zone or None,
        image_properties=query.image_properties or None,
        is_admin=True,
        **hints,
    )


def _check_zone(inputs: CloudInputs, zone: str | None) -> None:
    if not zone:
        return
    if ":" in zone:
        # "az:host[:node]" (admin forced destination): the zone part must still exist.
        zone = zone.split(":", 1)[0]
        if not zone:
            return
    known = zone_names(inputs.hosts, inputs.aggregates, inputs.config)
    known.add(inputs.config.internal_service_availability_zone)
    if zone not in known:
        raise InvalidInput(
            f"The requested availability zone {zone} is not available "
            f"(zones: {', '.join(sorted(known))}).",
            field="availability_zone",
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


# What-if: the change set applied to copies of the engine inputs.


def validate_changes(changes: Any) -> list[dict[str, Any]]:
    """The change set's shape (400 naming `changes[i].field`); references are checked later."""
    if changes in (None, ""):
        return []
    if not isinstance(changes, list):
        raise InvalidInput("'changes' must be a list of changes.", field="changes")
    if len(changes) > MAX_CHANGES:
        raise InvalidInput(f"At most {MAX_CHANGES} changes at once.", field="changes")
    for position, change in enumerate(changes):
        where = f"changes[{position}]"
        if not isinstance(change, dict):
            raise InvalidInput(f"{where} must be an object with an 'action'.", field=where)
        action = change.get("action")
        if action not in ACTIONS:
            raise InvalidInput(
                f"{where}.action must be one of {', '.join(ACTIONS)}.", field=f"{where}.action"
            )
        required = {
            "add_host": ("aggregate", "host"),
            "remove_host": ("aggregate", "host"),
            "set_metadata": ("aggregate", "metadata"),
            "delete_metadata": ("aggregate", "keys"),
            "update_flavor": ("flavor",),
            "disable_host": ("host",),
            "enable_host": ("host",),
        }[action]
        for name in required:
            if change.get(name) in (None, ""):
                raise InvalidInput(
                    f"{where}.{name} is required for {action}.", field=f"{where}.{name}"
                )
        _check_change_values(change, where)
    return changes


def _check_change_values(change: dict[str, Any], where: str) -> None:
    aggregate = change.get("aggregate")
    if aggregate is not None and (
        isinstance(aggregate, bool) or not isinstance(aggregate, int | str)
    ):
        raise InvalidInput(
            f"{where}.aggregate must be an aggregate id or name.", field=f"{where}.aggregate"
        )
    for name in ("host", "flavor", "disabled_reason"):
        value = change.get(name)
        if value is not None and not isinstance(value, str | int):
            raise InvalidInput(f"{where}.{name} must be a string.", field=f"{where}.{name}")
    for name in ("metadata", "extra_specs"):
        value = change.get(name)
        if value is None:
            continue
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in value.items()
        ):
            raise InvalidInput(
                f"{where}.{name} must map keys to strings (or null to delete).",
                field=f"{where}.{name}",
            )
    keys = change.get("keys")
    if keys is not None and (
        not isinstance(keys, list) or not all(isinstance(key, str) for key in keys)
    ):
        raise InvalidInput(f"{where}.keys must be a list of keys.", field=f"{where}.keys")
    for name in ("vcpus", "ram", "disk"):
        value = change.get(name)
        if value is None:
            continue
        minimum = 0 if name == "disk" else 1
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise InvalidInput(
                f"{where}.{name} must be an integer ≥ {minimum}.", field=f"{where}.{name}"
            )


def apply_in_memory(
    inputs: CloudInputs, changes: Sequence[dict[str, Any]]
) -> tuple[CloudInputs, list[str]]:
    """Copies of the inputs with every change applied in order; notes where Nova would refuse."""
    changes = validate_changes(list(changes))
    hosts = {host.name: host for host in inputs.hosts}
    aggregates = list(inputs.aggregates)
    flavors = dict(inputs.flavors)
    notes: list[str] = []
    for position, change in enumerate(changes):
        where = f"changes[{position}]"
        action = change["action"]
        if action in ("add_host", "remove_host", "set_metadata", "delete_metadata"):
            index = _aggregate_index(aggregates, change["aggregate"], where)
            aggregate = aggregates[index]
            if action in ("add_host", "remove_host"):
                name = _host_name(hosts, change["host"], where)
                aggregates[index] = _membership(aggregates, aggregate, name, action, notes)
            else:
                metadata = dict(aggregate.metadata or {})
                updates = (
                    change["metadata"]
                    if action == "set_metadata"
                    else dict.fromkeys(change["keys"])
                )
                for key, value in updates.items():
                    if value is None:
                        metadata.pop(key, None)
                    else:
                        metadata[key] = value
                aggregates[index] = dataclasses.replace(aggregate, metadata=metadata)
        elif action == "update_flavor":
            flavor_id = str(change["flavor"])
            flavor = flavors.get(flavor_id)
            if flavor is None:
                raise InvalidInput(
                    f"Flavor {flavor_id} could not be found.", field=f"{where}.flavor"
                )
            sizes = {name: change[name] for name in ("vcpus", "ram", "disk") if name in change}
            specs = dict(flavor.extra_specs or {})
            for key, value in (change.get("extra_specs") or {}).items():
                if value is None:
                    specs.pop(key, None)
                else:
                    specs[key] = value
            flavors[flavor_id] = dataclasses.replace(flavor, extra_specs=specs, **sizes)
        else:
            name = _host_name(hosts, change["host"], where)
            disable = action == "disable_host"
            hosts[name] = dataclasses.replace(
                hosts[name],
                status="disabled" if disable else "enabled",
                disabled_reason=(change.get("disabled_reason") or None) if disable else None,
            )
    changed = dataclasses.replace(
        inputs,
        hosts=[hosts[host.name] for host in inputs.hosts],
        aggregates=aggregates,
        flavors=flavors,
    )
    return changed, notes


def _aggregate_index(aggregates: list[AggregateState], ref: int | str, where: str) -> int:
    for index, aggregate in enumerate(aggregates):
        if aggregate.id == ref or aggregate.name == ref or str(aggregate.id) == str(ref):
            return index
    raise InvalidInput(f"Aggregate {ref} could not be found.", field=f"{where}.aggregate")


def _host_name(hosts: dict[str, HostState], ref: Any, where: str) -> str:
    name = str(ref)
    if name not in hosts:
        raise InvalidInput(f"Compute host {name} could not be found.", field=f"{where}.host")
    return name


def _membership(
    aggregates: list[AggregateState],
    aggregate: AggregateState,
    host: str,
    action: str,
    notes: list[str],
) -> AggregateState:
    members = list(aggregate.hosts)
    if action == "remove_host":
        if host not in members:
            notes.append(
                f"Nova would refuse: host {host} is not in aggregate {aggregate.name} (404)"
            )
            return aggregate
        members.remove(host)
        return dataclasses.replace(aggregate, hosts=tuple(members))
    if host in members:
        notes.append(f"Nova would refuse: aggregate {aggregate.name} already has host {host} (409)")
        return aggregate
    zone = aggregate.availability_zone
    if zone is not None:
        # nova-scheduling.md §2.3: a host cannot be in two aggregates of different zones.
        others = sorted(
            {
                other.availability_zone
                for other in aggregates
                if other.id != aggregate.id
                and host in other.hosts
                and other.availability_zone not in (None, zone)
            }
        )
        if others:
            notes.append(
                f"Nova would refuse adding {host} to {aggregate.name}: 409, host already in "
                f"availability zone(s) {others}"
            )
    members.append(host)
    return dataclasses.replace(aggregate, hosts=tuple(members))


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
        }
    if with_hosts:
        payload["hosts"] = hosts_payload(result)
    return payload


def outcome_json(outcome: PreviewOutcome) -> str:
    """outcome_payload as JSON text, fast at 10,000 hosts.

    Most hosts share their verdict's text with many others, so each distinct step, list of
    steps and verdict is encoded once, and the document is joined from those pieces in one go.
    """
    payload = outcome_payload(outcome, with_hosts=False)
    rest = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    parts = ['{"hosts":[']
    _hosts_json(outcome.result, parts)
    parts.append("]," + rest[1:])
    return "".join(parts)


def _hosts_json(result: PreviewResult, parts: list[str]) -> None:
    """Append the hosts, comma-separated, to `parts`."""
    quote = encode_basestring  # C-level string escaping, without json.dumps's overhead per call
    encoder = _VerdictEncoder()
    by_verdict: dict[int, str] = {}  # most hosts share their verdict object with others
    hosts = result.hosts
    append = parts.append
    for index, name in enumerate(hosts._names):
        verdict = hosts.verdict(index)
        shared = verdict is hosts._verdicts[index]
        middle = by_verdict.get(id(verdict)) if shared else None
        if middle is None:
            middle = encoder.encode(verdict)
            if shared:
                by_verdict[id(verdict)] = middle
        weight = hosts._weights[index]
        rank = hosts._ranks[index]
        slots = hosts._slots[index]
        append('{"host":' if index == 0 else ',{"host":')
        append(quote(name))
        append(",")
        append(middle)
        append(
            f'"weight":{"null" if weight is None else repr(weight)},'
            f'"rank":{"null" if rank is None else rank},'
            f'"slots":{"null" if slots is None else slots}}}'
        )


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
