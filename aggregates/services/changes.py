"""Applying a what-if change set through the ordinary services: all of it or nothing."""

from typing import Any

from django.db import transaction

from aggregates.errors import (
    InvalidInput,
)
from aggregates.models import Aggregate, Cloud, Flavor
from aggregates.preview.changes import aggregate_keys, new_flavor, validate_changes
from aggregates.services.aggregates import (
    add_host_to_aggregate,
    remove_host_from_aggregate,
    set_aggregate_metadata,
)
from aggregates.services.flavors import (
    create_flavor,
    delete_flavor_extra_spec,
    set_flavor_extra_specs,
)
from aggregates.services.hosts import find_host, set_host_status
from aggregates.services.validation import User
from dashboard.errors import DomainError, NotFound


def apply_changes(cloud: Cloud, changes: list[dict[str, Any]], *, actor: User) -> int:
    """Commit a what-if change set through the ordinary services: all of it or nothing.

    The list has the shape preview.validate_changes accepts; a refusal names the
    failing change (`changes[i].host`). On a connected cloud each step reaches the compute API
    first, as every edit does; a refusal there rolls back the local mirror of the earlier steps.
    """
    changes = validate_changes(changes)
    if not changes:
        raise InvalidInput("There are no changes to apply.", field="changes")
    with transaction.atomic():
        for position, change in enumerate(changes):
            where = f"changes[{position}]"
            try:
                _apply_change(cloud, change, actor=actor, where=where)
            except DomainError as error:
                if not (error.field or "").startswith(where):
                    error.field = f"{where}.{error.field}" if error.field else where
                error.message = f"Change {position + 1} ({change['action']}): {error.message}"
                raise
    return len(changes)


def _apply_change(cloud: Cloud, change: dict[str, Any], *, actor: User, where: str) -> None:
    action = change["action"]
    if action in ("add_host", "remove_host", "set_metadata", "delete_metadata"):
        ref = change["aggregate"]
        found = Aggregate.objects.filter(cloud=cloud)
        aggregate = None
        for field, value in aggregate_keys(ref):
            aggregate = found.filter(**{field: value}).first()
            if aggregate is not None:
                break
        if aggregate is None:
            raise NotFound(f"Aggregate {ref} could not be found.", field="aggregate")
        if action == "add_host":
            add_host_to_aggregate(aggregate, str(change["host"]), actor=actor)
        elif action == "remove_host":
            remove_host_from_aggregate(aggregate, str(change["host"]), actor=actor)
        elif action == "set_metadata":
            set_aggregate_metadata(aggregate, change["metadata"], actor=actor)
        else:
            set_aggregate_metadata(aggregate, dict.fromkeys(change["keys"]), actor=actor)
        return
    if action == "update_flavor":
        flavor = Flavor.objects.filter(cloud=cloud, flavor_id=str(change["flavor"])).first()
        if flavor is None:
            raise NotFound(f"Flavor {change['flavor']} could not be found.", field="flavor")
        _set_extra_specs(flavor, change.get("extra_specs") or {}, actor=actor)
        return
    if action == "create_flavor":
        new = new_flavor(change)
        flavor = create_flavor(
            cloud,
            actor=actor,
            flavor_id=new.id,
            name=new.name,
            vcpus=new.vcpus,
            ram=new.ram,
            disk=new.disk,
        )
        _set_extra_specs(flavor, change.get("extra_specs") or {}, actor=actor)
        return
    host = find_host(cloud, str(change["host"]))
    set_host_status(
        host,
        enabled=action == "enable_host",
        disabled_reason=change.get("disabled_reason") or "",
        actor=actor,
    )


def _set_extra_specs(flavor: Flavor, specs: dict[str, str | None], *, actor: User) -> None:
    """Merge the values, then delete the keys mapped to None (Nova has no single call for both)."""
    additions = {key: value for key, value in specs.items() if value is not None}
    if additions:
        flavor = set_flavor_extra_specs(flavor, additions, actor=actor)
    for key, value in specs.items():
        if value is None and key in flavor.extra_specs:
            flavor = delete_flavor_extra_spec(flavor, key, actor=actor)
