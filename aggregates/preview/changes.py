"""What-if change sets: checked, then applied to a loaded cloud in memory (never to the database).

A change set is a list of dicts, each with an `action`: `add_host` / `remove_host`
{aggregate, host}; `set_metadata` {aggregate, metadata: {key: value|null}};
`delete_metadata` {aggregate, keys: [...]}; `update_flavor` {flavor, extra_specs: {key:
value|null}}; `create_flavor` {name, vcpus, ram, disk?, flavor_id?, extra_specs?};
`disable_host` / `enable_host` {host, disabled_reason?}. `aggregate` is the aggregate's id or
name. Nova flavors cannot be resized, so a size goes only into a new flavor, whose id is
`flavor_id` or else its name. `services.apply_changes` commits the same list.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from aggregates.errors import InvalidInput
from aggregates.models.aggregates import AZ_KEY
from aggregates.preview.loader import CloudInputs
from aggregates.scheduling import (
    AggregateState,
    FlavorSpec,
    HostState,
    conflicting_zones,
    instances_would_move_reason,
    zone_conflict_reason,
    zone_update_reason,
)

ACTIONS = (
    "add_host",
    "remove_host",
    "set_metadata",
    "delete_metadata",
    "update_flavor",
    "create_flavor",
    "disable_host",
    "enable_host",
)


MAX_CHANGES = 200
FLAVOR_SIZES = ("vcpus", "ram", "disk")
FLAVOR_UNITS = {"vcpus": "", "ram": " MB", "disk": " GB"}
# Nova's schema bound for a flavor's integers; the same as dashboard.ranges.MAX_INT, which the
# preview may not import (it reads only models and the engine).
FLAVOR_INT_MAX = 2_147_483_647


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
            "create_flavor": ("name", "vcpus", "ram"),
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
    for name in ("host", "flavor", "disabled_reason", "name", "flavor_id"):
        value = change.get(name)
        if value is not None and not isinstance(value, str | int):
            raise InvalidInput(f"{where}.{name} must be a string.", field=f"{where}.{name}")
    if change["action"] == "update_flavor":
        _refuse_resize(change, where)
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
    for name in FLAVOR_SIZES:
        value = change.get(name)
        if value is None:
            continue
        minimum = 0 if name == "disk" else 1
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not minimum <= value <= FLAVOR_INT_MAX
        ):
            bounds = f"{minimum:,} and {FLAVOR_INT_MAX:,}{FLAVOR_UNITS[name]}"
            raise InvalidInput(
                f"{where}.{name} must be a whole number between {bounds}.",
                field=f"{where}.{name}",
            )


def _refuse_resize(change: dict[str, Any], where: str) -> None:
    # Nova's PUT /flavors/{id} changes only the description (api-ref "Update Flavor
    # Description"); sizes are fixed at create time, so a new size is a new flavor.
    for name in FLAVOR_SIZES:
        if name in change:
            raise InvalidInput(
                f"{where}.{name}: Nova flavors cannot be resized (only their description, "
                "extra specs and access change). Model a new flavor with create_flavor "
                "instead.",
                field=f"{where}.{name}",
            )


@dataclass(slots=True, frozen=True)
class ChangeRefusal:
    """A change Nova would refuse: its position in the set, Nova's status and message."""

    position: int
    action: str
    status: int
    message: str

    def __str__(self) -> str:
        return (
            f"Change {self.position + 1} ({self.action}): Nova would refuse it "
            f"({self.status}): {self.message} It is left out of the preview."
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "change": self.position,
            "action": self.action,
            "status": self.status,
            "message": self.message,
        }


class _Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def apply_in_memory(
    inputs: CloudInputs, changes: Sequence[dict[str, Any]]
) -> tuple[CloudInputs, list[ChangeRefusal]]:
    """Copies of the inputs with every change applied in order, except those Nova would
    refuse (checked against the state the earlier changes left): those are returned instead."""
    changes = validate_changes(list(changes))
    state = _State(
        {host.name: host for host in inputs.hosts}, list(inputs.aggregates), dict(inputs.flavors)
    )
    refusals: list[ChangeRefusal] = []
    for position, change in enumerate(changes):
        try:
            _apply(state, change, f"changes[{position}]")
        except _Refused as refused:
            refusals.append(
                ChangeRefusal(position, change["action"], refused.status, refused.message)
            )
    changed = dataclasses.replace(
        inputs,
        hosts=[state.hosts[host.name] for host in inputs.hosts],
        aggregates=state.aggregates,
        flavors=state.flavors,
    )
    return changed, refusals


@dataclass(slots=True)
class _State:
    hosts: dict[str, HostState]
    aggregates: list[AggregateState]
    flavors: dict[str, FlavorSpec]


def _apply(state: _State, change: dict[str, Any], where: str) -> None:
    """Apply one change to `state`, or raise _Refused (leaving `state` as it was)."""
    action = change["action"]
    if action in ("add_host", "remove_host", "set_metadata", "delete_metadata"):
        index = _aggregate_index(state.aggregates, change["aggregate"])
        aggregate = state.aggregates[index]
        if action in ("add_host", "remove_host"):
            name = _host_name(state.hosts, change["host"])
            state.aggregates[index] = _membership(state, aggregate, name, action)
            return
        updates = change["metadata"] if action == "set_metadata" else dict.fromkeys(change["keys"])
        if AZ_KEY in updates:
            _check_zone_update(state, aggregate, updates[AZ_KEY])
        metadata = dict(aggregate.metadata or {})
        for key, value in updates.items():
            if value is None:
                metadata.pop(key, None)
            else:
                metadata[key] = value
        state.aggregates[index] = dataclasses.replace(aggregate, metadata=metadata)
    elif action == "update_flavor":
        flavor_id = str(change["flavor"])
        flavor = state.flavors.get(flavor_id)
        if flavor is None:
            raise InvalidInput(f"Flavor {flavor_id} could not be found.", field=f"{where}.flavor")
        specs = dict(flavor.extra_specs or {})
        for key, value in (change.get("extra_specs") or {}).items():
            if value is None:
                specs.pop(key, None)
            else:
                specs[key] = value
        state.flavors[flavor_id] = dataclasses.replace(flavor, extra_specs=specs)
    elif action == "create_flavor":
        new = new_flavor(change)
        if new.id in state.flavors:
            raise _Refused(409, f"Flavor with ID {new.id} already exists.")
        if any(flavor.name == new.name for flavor in state.flavors.values()):
            raise _Refused(409, f"Flavor with name {new.name} already exists.")
        state.flavors[new.id] = new
    else:
        name = _host_name(state.hosts, change["host"])
        disable = action == "disable_host"
        state.hosts[name] = dataclasses.replace(
            state.hosts[name],
            status="disabled" if disable else "enabled",
            disabled_reason=(change.get("disabled_reason") or None) if disable else None,
        )


def new_flavor(change: dict[str, Any]) -> FlavorSpec:
    """The flavor a `create_flavor` change makes (public, no ephemeral or swap disk)."""
    specs = {k: v for k, v in (change.get("extra_specs") or {}).items() if v is not None}
    return FlavorSpec(
        id=str(change.get("flavor_id") or change["name"]),
        name=str(change["name"]),
        vcpus=change["vcpus"],
        ram=change["ram"],
        disk=change.get("disk") or 0,
        extra_specs=specs,
    )


def aggregate_keys(ref: int | str) -> list[tuple[str, int | str]]:
    """How a change names its aggregate, in the order to look: by id when `ref` is a number,
    then by name (what-if and `services.apply_changes` both find aggregates so)."""
    keys: list[tuple[str, int | str]] = []
    if isinstance(ref, int) or str(ref).isdigit():
        keys.append(("id", int(ref)))
    keys.append(("name", str(ref)))
    return keys


def aggregate_index(aggregates: Sequence[AggregateState], ref: int | str) -> int | None:
    """Where the aggregate `ref` names (by id, then by name) is in `aggregates`, or None."""
    for field, value in aggregate_keys(ref):
        for index, aggregate in enumerate(aggregates):
            if getattr(aggregate, field) == value:
                return index
    return None


def _aggregate_index(aggregates: list[AggregateState], ref: int | str) -> int:
    index = aggregate_index(aggregates, ref)
    if index is None:
        raise _Refused(404, f"Aggregate {ref} could not be found.")
    return index


def _host_name(hosts: dict[str, HostState], ref: Any) -> str:
    name = str(ref)
    if name not in hosts:
        raise _Refused(404, f"Compute host {name} could not be found.")
    return name


def _zones_elsewhere(state: _State, host: str, aggregate: AggregateState) -> list[str]:
    """Zones of the host's other AZ aggregates, by aggregate id (Nova's order)."""
    return [
        other.availability_zone
        for other in sorted(state.aggregates, key=lambda found: found.id)
        if other.id != aggregate.id and host in other.hosts and other.availability_zone
    ]


def _membership(state: _State, aggregate: AggregateState, host: str, action: str) -> AggregateState:
    """The aggregate with `host` added or removed, refused as Nova's API refuses."""
    members = list(aggregate.hosts)
    zone = aggregate.availability_zone
    others = _zones_elsewhere(state, host, aggregate)
    instances = state.hosts[host].num_instances
    if action == "remove_host":
        if host not in members:
            raise _Refused(404, f"Cannot remove host {host} in aggregate {aggregate.id}")
        new = others[0] if others else None
        if zone is not None and zone != new and instances:
            raise _Refused(
                409,
                f"Cannot remove host from aggregate {aggregate.id}. Reason: "
                + instances_would_move_reason(zone, new, instances, adding=False),
            )
        members.remove(host)
        return dataclasses.replace(aggregate, hosts=tuple(members))
    prefix = f"Cannot add host to aggregate {aggregate.id}. Reason:"
    if conflicting := conflicting_zones(zone, others):
        raise _Refused(409, f"{prefix} {zone_conflict_reason(conflicting)}.")
    old = others[0] if others else None
    if zone is not None and old != zone and instances:
        raise _Refused(
            409, f"{prefix} " + instances_would_move_reason(old, zone, instances, adding=True)
        )
    if host in members:
        raise _Refused(409, f"Aggregate {aggregate.id} already has host {host}.")
    members.append(host)
    return dataclasses.replace(aggregate, hosts=tuple(members))


def _check_zone_update(state: _State, aggregate: AggregateState, zone: str | None) -> None:
    """Nova's is_safe_to_update_az for a metadata update (a refusal is a 400)."""
    members = set(aggregate.hosts)
    conflicting = (
        conflicting_zones(
            zone,
            [
                other.availability_zone
                for other in sorted(state.aggregates, key=lambda found: found.id)
                if other.id != aggregate.id
                and other.availability_zone
                and members.intersection(other.hosts)
            ],
        )
        if zone
        else []
    )
    has_instances = any(state.hosts[name].num_instances for name in members if name in state.hosts)
    reason = zone_update_reason(
        aggregate.name, aggregate.availability_zone, zone, conflicting, has_instances
    )
    if reason is not None:
        raise _Refused(
            400, f"Cannot update metadata of aggregate {aggregate.id}. Reason: {reason}."
        )
