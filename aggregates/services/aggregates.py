"""Writes of host aggregates and their zones, refusing what Nova refuses, in Nova's words
(nova-scheduling.md §2.3; nova/compute/api.py AggregateAPI)."""

import uuid as uuid_module
from typing import Any

from django.db import transaction

from aggregates import queries
from aggregates.errors import (
    AggregateHostExists,
    AvailabilityZoneConflict,
    DuplicateName,
    InvalidAggregateAction,
    InvalidInput,
)
from aggregates.models import Aggregate, Cloud, Host
from aggregates.models.aggregates import AZ_KEY
from aggregates.scheduling import (
    conflicting_zones,
    instances_would_move_reason,
    zone_conflict_reason,
    zone_update_reason,
)
from aggregates.services.hosts import find_host
from aggregates.services.validation import UNSET, User, check_metadata, check_name, check_zone_name
from aggregates.sync import compute, removals
from dashboard import audit
from dashboard.errors import DomainError, NotFound


def create_aggregate(
    cloud: Cloud, *, actor: User, name: str, availability_zone: str | None = None
) -> Aggregate:
    """Create an aggregate, optionally being an availability zone; 409 on a duplicate name."""
    name = check_name(name)
    if availability_zone is not None:
        check_zone_name(availability_zone)
    metadata = {AZ_KEY: availability_zone} if availability_zone is not None else {}
    remote: dict = {}
    if cloud.is_connected:
        remote = compute.create_aggregate(cloud, name=name, availability_zone=availability_zone)
    with transaction.atomic():
        removals.drop_gone_twins(Aggregate, cloud, name=name, remote_id=remote.get("id"))
        if Aggregate.objects.filter(cloud=cloud, name=name).exists():
            raise DuplicateName(f"Aggregate {name} already exists.", field="name")
        aggregate = Aggregate.objects.create(
            cloud=cloud,
            name=name,
            metadata=metadata,
            remote_id=remote.get("id"),
            uuid=remote.get("uuid") or uuid_module.uuid4(),
        )
        audit.record_create(actor=actor, obj=aggregate)
    return aggregate


def update_aggregate(
    aggregate: Aggregate, *, actor: User, name: Any = UNSET, availability_zone: Any = UNSET
) -> Aggregate:
    """Rename and/or change the zone (PUT). Like Nova, a rename is saved before the zone check."""
    if name is UNSET and availability_zone is UNSET:
        raise InvalidInput("Give 'name' and/or 'availability_zone'.")
    if name is not UNSET:
        name = check_name(name, strip=True)
    if availability_zone not in (UNSET, None, ""):
        check_zone_name(availability_zone)
    cloud = aggregate.cloud
    if cloud.is_connected:
        changes = {k: v for k, v in (("name", name), (AZ_KEY, availability_zone)) if v is not UNSET}
        compute.update_aggregate(cloud, aggregate.remote_id, **changes)
    with transaction.atomic():
        aggregate = _lock_aggregate(aggregate)
        with audit.recording(actor=actor, obj=aggregate):
            if name is not UNSET and name != aggregate.name:
                if (
                    Aggregate.objects.filter(cloud=cloud, name=name)
                    .exclude(pk=aggregate.pk)
                    .exists()
                ):
                    raise DuplicateName(f"Aggregate {name} already exists.", field="name")
                removals.drop_gone_twins(Aggregate, cloud, name=name)
                aggregate.name = name
                aggregate.save(update_fields=["name", "updated_at"])
    if availability_zone is UNSET:
        return aggregate
    try:
        with transaction.atomic():
            _lock_hosts_of(aggregate)
            aggregate = _lock_aggregate(aggregate)
            if not cloud.is_connected:
                _check_zone_change(aggregate, availability_zone, action="update")
            with audit.recording(actor=actor, obj=aggregate):
                aggregate.metadata = {**aggregate.metadata, AZ_KEY: availability_zone}
                aggregate.save(update_fields=["metadata", "updated_at"])
    except DomainError as error:
        error.field = error.field or AZ_KEY
        raise
    return aggregate


def set_aggregate_metadata(
    aggregate: Aggregate, metadata: dict[str, str | None], *, actor: User
) -> Aggregate:
    """Merge `metadata` into the aggregate's: a string sets a key, null deletes it (Nova)."""
    metadata = check_metadata(metadata)
    if metadata.get(AZ_KEY):  # one rule for a zone's name, whichever call sets it
        check_zone_name(metadata[AZ_KEY], field=f"metadata.{AZ_KEY}")
    cloud = aggregate.cloud
    if cloud.is_connected:
        compute.set_aggregate_metadata(cloud, aggregate.remote_id, metadata)
    with transaction.atomic():
        if AZ_KEY in metadata:
            _lock_hosts_of(aggregate)
        aggregate = _lock_aggregate(aggregate)
        if AZ_KEY in metadata and not cloud.is_connected:
            _check_zone_change(aggregate, metadata[AZ_KEY], action="update metadata of")
        merged = dict(aggregate.metadata)
        for key, value in metadata.items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = value
        with audit.recording(actor=actor, obj=aggregate):
            aggregate.metadata = merged
            aggregate.save(update_fields=["metadata", "updated_at"])
    return aggregate


def delete_aggregate(aggregate: Aggregate, *, actor: User) -> None:
    """Delete an empty aggregate; Nova refuses (400) while it holds hosts."""
    cloud = aggregate.cloud
    with transaction.atomic():
        aggregate = _lock_aggregate(aggregate)
        if not cloud.is_connected and aggregate.hosts.exists():
            raise InvalidAggregateAction(
                f"Cannot remove host from aggregate {aggregate.pk}. "
                "Reason: Host aggregate is not empty.",
                status=400,
            )
        if cloud.is_connected:
            compute.delete_aggregate(cloud, aggregate.remote_id)
        with audit.recording_delete(actor=actor, obj=aggregate):
            aggregate.delete()


def add_host_to_aggregate(aggregate: Aggregate, host: Host | str, *, actor: User) -> Aggregate:
    """Add a compute host, refusing what Nova refuses (404 unknown, 409 zone conflict, …)."""
    cloud = aggregate.cloud
    host = find_host(cloud, host)
    if cloud.is_connected:
        compute.add_host_to_aggregate(cloud, aggregate.remote_id, host.name)
    with transaction.atomic():
        # Lock the host: two concurrent adds of one host run their zone checks one at a time.
        host = Host.objects.select_for_update().get(pk=host.pk)
        aggregate = _lock_aggregate(aggregate)
        if not cloud.is_connected:
            _check_add_host(aggregate, host)
        with audit.recording(actor=actor, obj=aggregate):
            aggregate.hosts.add(host)
            aggregate.save(update_fields=["updated_at"])
    return aggregate


def remove_host_from_aggregate(aggregate: Aggregate, host: Host | str, *, actor: User) -> Aggregate:
    """Remove a host; 404 when it is not in the aggregate, 409 when its instances would move AZ."""
    cloud = aggregate.cloud
    name = host.name if isinstance(host, Host) else host
    found = Host.objects.filter(cloud=cloud, name=name).first()
    if found is None or not aggregate.hosts.filter(pk=found.pk).exists():
        raise NotFound(f"Cannot remove host {name} in aggregate {aggregate.pk}", field="host")
    if cloud.is_connected:
        compute.remove_host_from_aggregate(cloud, aggregate.remote_id, found.name)
    with transaction.atomic():
        host = Host.objects.select_for_update().get(pk=found.pk)
        aggregate = _lock_aggregate(aggregate)
        if not cloud.is_connected and aggregate.availability_zone is not None:
            _check_instances_stay_in_zone(aggregate, host, adding=False)
        with audit.recording(actor=actor, obj=aggregate):
            aggregate.hosts.remove(host)
            aggregate.save(update_fields=["updated_at"])
    return aggregate


def _lock_hosts_of(aggregate: Aggregate) -> None:
    """Lock the aggregate's hosts before the aggregate, as add_host locks its host first: a zone
    change and a concurrent add of one of its hosts to another zone run their checks one after
    the other (and never deadlock)."""
    hosts = Host.objects.select_for_update(of=("self",)).filter(aggregates=aggregate)
    list(hosts.order_by("pk").values_list("pk", flat=True))


def _lock_aggregate(aggregate: Aggregate) -> Aggregate:
    """Lock the row and refresh the caller's instance from it (checks see committed state)."""
    aggregate.refresh_from_db(from_queryset=Aggregate.objects.select_for_update())
    return aggregate


def _check_add_host(aggregate: Aggregate, host: Host) -> None:
    zone = aggregate.availability_zone
    if zone is not None:
        # Nova's is_safe_to_update_az: 409 here, though set_metadata answers 400 for the same.
        conflicting = conflicting_zones(zone, queries.zones_of_host(host, excluding=aggregate))
        if conflicting:
            raise AvailabilityZoneConflict(
                f"Cannot add host to aggregate {aggregate.pk}. "
                f"Reason: {zone_conflict_reason(conflicting)}. "
                f"(Host {host.name} is in zone(s) {', '.join(sorted(set(conflicting)))}; "
                f"aggregate {aggregate.name} is zone {zone}.)",
                field="host",
                status=409,
            )
        _check_instances_stay_in_zone(aggregate, host, adding=True)
    if aggregate.hosts.filter(pk=host.pk).exists():
        raise AggregateHostExists(
            f"Aggregate {aggregate.pk} already has host {host.name}.", field="host"
        )


def _check_instances_stay_in_zone(aggregate: Aggregate, host: Host, *, adding: bool) -> None:
    """A host with instances may not change its effective zone by joining or leaving (Nova 19+)."""
    if adding:
        zones = queries.zones_of_host(host)
        old, new = (zones[0] if zones else None), aggregate.availability_zone
    else:
        others = queries.zones_of_host(host, excluding=aggregate)
        old, new = aggregate.availability_zone, (others[0] if others else None)
    if old == new:
        return
    instances = queries.count_instances([host])
    if not instances:
        return
    action = "add host to" if adding else "remove host from"
    raise InvalidAggregateAction(
        f"Cannot {action} aggregate {aggregate.pk}. Reason: "
        + instances_would_move_reason(old, new, instances, adding=adding),
        field="host",
        status=409,
    )


def _check_zone_change(aggregate: Aggregate, zone: Any, *, action: str) -> None:
    """Nova's is_safe_to_update_az for PUT and set_metadata: every refusal is a 400."""
    hosts = list(aggregate.hosts.all())
    zones_of_hosts = (
        m[AZ_KEY]
        for m in Aggregate.objects.filter(hosts__in=hosts, metadata__has_key=AZ_KEY)
        .exclude(pk=aggregate.pk)
        .order_by("pk")
        .values_list("metadata", flat=True)
    )
    conflicting = conflicting_zones(zone, zones_of_hosts) if zone else []
    has_instances = bool(zone) and not conflicting and zone != aggregate.availability_zone
    reason = zone_update_reason(
        aggregate.name,
        aggregate.availability_zone,
        zone,
        conflicting,
        has_instances and bool(queries.count_instances(hosts)),
    )
    if reason is not None:
        raise AvailabilityZoneConflict(
            f"Cannot {action} aggregate {aggregate.pk}. Reason: {reason}.",
            field=AZ_KEY,
            status=400,
        )
