"""What-if change sets: checked, then applied to a loaded cloud in memory (never to the database).

A change set is a list of dicts, each with an `action`: `add_host` / `remove_host`
{aggregate, host}; `set_metadata` {aggregate, metadata: {key: value|null}};
`delete_metadata` {aggregate, keys: [...]}; `update_flavor` {flavor, vcpus?, ram?, disk?,
extra_specs?: {key: value|null}}; `disable_host` / `enable_host` {host, disabled_reason?}.
`aggregate` is the aggregate's id or name. `services.apply_changes` commits the same list.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from aggregates.errors import InvalidInput
from aggregates.preview.loader import CloudInputs
from aggregates.scheduling import (
    AggregateState,
    HostState,
    conflicting_zones,
    zone_conflict_reason,
)

ACTIONS = (
    "add_host",
    "remove_host",
    "set_metadata",
    "delete_metadata",
    "update_flavor",
    "disable_host",
    "enable_host",
)


MAX_CHANGES = 200


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


def aggregate_keys(ref: int | str) -> list[tuple[str, int | str]]:
    """How a change names its aggregate, in the order to look: by id when `ref` is a number,
    then by name (what-if and `services.apply_changes` both find aggregates so)."""
    keys: list[tuple[str, int | str]] = []
    if isinstance(ref, int) or str(ref).isdigit():
        keys.append(("id", int(ref)))
    keys.append(("name", str(ref)))
    return keys


def _aggregate_index(aggregates: list[AggregateState], ref: int | str, where: str) -> int:
    for field, value in aggregate_keys(ref):
        for index, aggregate in enumerate(aggregates):
            if getattr(aggregate, field) == value:
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
    zones_of_host = sorted(
        {
            other.availability_zone
            for other in aggregates
            if other.id != aggregate.id and host in other.hosts and other.availability_zone
        }
    )
    if conflicting := conflicting_zones(aggregate.availability_zone, zones_of_host):
        notes.append(
            f"Nova would refuse adding {host} to {aggregate.name} (409): "
            f"{zone_conflict_reason(conflicting)}"
        )
    members.append(host)
    return dataclasses.replace(aggregate, hosts=tuple(members))
