"""A what-if change in words ("add host devstack to test-aggregate1"), naming its objects."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from aggregates.preview.changes import aggregate_index, new_flavor
from aggregates.scheduling import AggregateState, FlavorSpec


def describe_change(
    change: Mapping[str, Any],
    *,
    aggregates: Sequence[AggregateState] = (),
    flavors: Mapping[str, FlavorSpec] | None = None,
) -> str:
    """One sentence for one change of a checked change set; an aggregate given by id is named."""
    action = change["action"]
    if action in ("add_host", "remove_host", "set_metadata", "delete_metadata"):
        aggregate = _aggregate_name(change["aggregate"], aggregates)
        if action == "add_host":
            return f"add host {change['host']} to {aggregate}"
        if action == "remove_host":
            return f"remove host {change['host']} from {aggregate}"
        if action == "delete_metadata":
            return f"delete {_keys(change['keys'])} from {aggregate}"
        return f"{_settings(change['metadata'])} on {aggregate}"
    if action == "update_flavor":
        flavor = _flavor_name(str(change["flavor"]), flavors or {})
        specs = change.get("extra_specs") or {}
        if not specs:
            return f"leave flavor {flavor} as it is"
        return f"{_settings(specs, noun='extra spec')} on flavor {flavor}"
    if action == "create_flavor":
        new = new_flavor(dict(change))
        sizes = f"{new.vcpus} vCPU{'s' if new.vcpus != 1 else ''}, {new.ram} MB RAM"
        sizes += f", {new.disk} GB disk"
        specs = dict(new.extra_specs or {})
        with_specs = f", extra specs {_pairs(specs)}" if specs else ""
        return f"create flavor {_named(new.name, new.id)}: {sizes}{with_specs}"
    reason = change.get("disabled_reason")
    if action == "disable_host":
        return f"disable host {change['host']}" + (f" ({reason})" if reason else "")
    return f"enable host {change['host']}"


def _aggregate_name(ref: int | str, aggregates: Sequence[AggregateState]) -> str:
    index = aggregate_index(aggregates, ref)
    return aggregates[index].name if index is not None else f"aggregate {ref}"


def _flavor_name(flavor_id: str, flavors: Mapping[str, FlavorSpec]) -> str:
    flavor = flavors.get(flavor_id)
    return _named(flavor.name, flavor.id) if flavor is not None else flavor_id


def _named(name: str, ident: str) -> str:
    return name if name == ident else f"{name} ({ident})"


def _keys(keys: Sequence[str]) -> str:
    return f"key{'s' if len(keys) != 1 else ''} {', '.join(keys)}"


def _pairs(values: Mapping[str, str]) -> str:
    return ", ".join(f"{key}={value}" for key, value in values.items())


def _settings(values: Mapping[str, str | None], *, noun: str = "") -> str:
    """ "set a=1, b=2" and/or "delete c", None meaning delete (Nova's null)."""
    prefix = f"{noun} " if noun else ""
    kept = {key: value for key, value in values.items() if value is not None}
    gone = [key for key, value in values.items() if value is None]
    parts = []
    if kept:
        parts.append(f"set {prefix}{_pairs(kept)}")
    if gone:
        parts.append(f"delete {prefix}{', '.join(gone)}")
    return " and ".join(parts)
