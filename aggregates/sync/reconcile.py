"""Reconcile: a complete remote listing → the difference with the local mirror → bulk writes.

The listing is fetched before any write; the difference is applied in one transaction, so a sync
that fails (API down, slow, 5xx, a bad or truncated page, a killed worker) leaves the previous
mirror untouched. Rows are deleted only because a complete listing lacks them, and a listing equal
to the mirror writes no mirror row at all.
"""

from __future__ import annotations

import logging
import time
import uuid as uuid_module
import zlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db import models, transaction
from django.utils import timezone

from aggregates import utilisation
from aggregates.choices import SyncStatus
from aggregates.models import Aggregate, Cloud, Flavor, Host, Server, ServerGroup, SyncRun
from aggregates.models.mirror import Mirrored
from aggregates.models.sync import MAX_RECORDED_CHANGES
from aggregates.sync import bulk, compute, removals
from aggregates.sync.client import ComputeClient
from aggregates.sync.errors import ComputeError
from aggregates.sync.remote import KnownProvider, PlacementFigures, Snapshot
from dashboard import audit

logger = logging.getLogger(__name__)
SYNC_ACTOR = "sync"
BATCH = 1000
# Each sync reads the usages of one provider in this many again whatever its generation says, so
# that a change Placement makes without bumping the generation is mirrored within as many syncs.
PLACEMENT_REREAD_EVERY = 12
QUIET_FIELDS = frozenset({"placement_generation"})  # written when it changes, never drift


def sync_requested_key(cloud_id: int) -> str:
    """Cache key marking a requested sync not started yet (the page shows it as queued)."""
    return f"sync-requested:{cloud_id}"


@dataclass
class Changes:
    """What a sync changed, counted exactly and listed up to MAX_RECORDED_CHANGES."""

    created: int = 0
    updated: int = 0
    deleted: int = 0
    gone: int = 0
    held: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    items: list[dict[str, Any]] = field(default_factory=list)
    audit: list[audit.SystemChange] = field(default_factory=list)

    def add(self, kind: str, action: str, obj, before=None, after=None) -> None:
        counter = COUNTED_AS.get(action, action)
        setattr(self, counter, getattr(self, counter) + 1)
        self._list(kind, action, obj, after)
        self.audit.append(audit.SystemChange(obj, AUDITED_AS.get(action, action), before, after))

    def hold(self, kind: str, rows: list[tuple[Any, models.Model]]) -> None:
        """Removals not made: listed on the run, for an admin or the next sync to decide."""
        self.held[kind] = [{"key": _jsonable(key), "name": str(row)} for key, row in rows]
        for _, row in rows:
            self._list(kind, "held", row, None)

    def _list(self, kind: str, action: str, obj, after) -> None:
        if len(self.items) < MAX_RECORDED_CHANGES:
            entry = {"kind": kind, "name": str(obj), "action": action}
            if action in ("updated", "returned"):
                entry["fields"] = sorted(after or {})
            self.items.append(entry)


# A row listed again counts as an update; it and a row marked gone are audited as updates of
# gone_since (the row stays).
COUNTED_AS = {"returned": "updated"}
AUDITED_AS = {"gone": "updated", "returned": "updated"}


def sync_cloud(cloud: Cloud, *, task_id: str = "", client: ComputeClient | None = None) -> SyncRun:
    """Mirror `cloud` from its compute API; the run (and any failure) is recorded in a SyncRun.

    Raises the ComputeError after recording it, so callers (a task retrying, a command exiting
    non-zero) see it. Callers hold the cloud's lock (dashboard.locks.cloud_lock)."""
    now = timezone.now()
    # Holding the lock, any run still "running" was cut short by a dead worker.
    SyncRun.objects.filter(cloud=cloud, status=SyncStatus.RUNNING).update(
        status=SyncStatus.FAILED,
        finished_at=now,
        error="Interrupted: the worker stopped before the sync finished; nothing was written.",
    )
    run = SyncRun.objects.create(cloud=cloud, started_at=now, task_id=task_id or "")
    cache.delete(sync_requested_key(cloud.pk))
    Cloud.objects.filter(pk=cloud.pk).update(last_sync_status=SyncStatus.RUNNING)
    started = time.monotonic()
    try:
        client = client or compute.client_for(cloud)
        sync_number = SyncRun.objects.filter(cloud=cloud).count()
        snapshot = client.snapshot(known=known_providers(cloud, sync_number=sync_number))
        write_started = time.monotonic()
        with transaction.atomic():
            changes = apply_snapshot(cloud, snapshot, audited=_was_synced_before(cloud))
            finished = timezone.now()
            run.status = SyncStatus.SUCCEEDED
            run.microversion = snapshot.microversion
            run.created, run.updated, run.deleted, run.gone = (
                changes.created,
                changes.updated,
                changes.deleted,
                changes.gone,
            )
            run.held = changes.held
            run.changes = changes.items
            run.finished_at = finished
            run.write_ms = int((time.monotonic() - write_started) * 1000)
            run.duration_ms = int((time.monotonic() - started) * 1000)
            run.save()
            Cloud.objects.filter(pk=cloud.pk).update(
                last_sync_at=finished, last_sync_status=SyncStatus.SUCCEEDED, last_sync_error=""
            )
            # History, not mirror: one utilisation sample per sync (idempotent per minute).
            utilisation.record_utilisation_samples(cloud, at=finished)
    except ComputeError as error:
        _record_failure(cloud, run, started, error.message, error.status)
        raise
    except Exception as error:
        logger.exception("sync of cloud %s failed", cloud.slug)
        _record_failure(cloud, run, started, f"Internal error: {error!r}", 500)
        raise
    return run


def known_providers(cloud: Cloud, *, sync_number: int) -> dict[str, KnownProvider]:
    """What the mirror read from Placement, by provider uuid; a rotating share of them
    (one in PLACEMENT_REREAD_EVERY) has its usages read again whatever its generation says."""
    servers: dict[int, set[str]] = {}
    for host_id, server_uuid in Server.objects.filter(cloud=cloud, host__isnull=False).values_list(
        "host_id", "uuid"
    ):
        servers.setdefault(host_id, set()).add(str(server_uuid))
    share = sync_number % PLACEMENT_REREAD_EVERY
    known = {}
    for pk, remote_id, generation, *figures in Host.objects.filter(
        cloud=cloud, placement_generation__isnull=False
    ).values_list("pk", "remote_id", "placement_generation", *_FIGURE_COLUMNS.values()):
        known[remote_id] = KnownProvider(
            generation=generation,
            servers=frozenset(servers.get(pk, ())),
            figures=PlacementFigures(**dict(zip(_FIGURE_COLUMNS, figures, strict=True))),
            reread_usages=zlib.crc32(remote_id.encode()) % PLACEMENT_REREAD_EVERY == share,
        )
    return known


def _was_synced_before(cloud: Cloud) -> bool:
    return SyncRun.objects.filter(cloud=cloud, status=SyncStatus.SUCCEEDED).exists()


def _record_failure(cloud: Cloud, run: SyncRun, started: float, message: str, status) -> None:
    finished = timezone.now()
    SyncRun.objects.filter(pk=run.pk).update(
        status=SyncStatus.FAILED,
        finished_at=finished,
        duration_ms=int((time.monotonic() - started) * 1000),
        error=message,
        error_status=status,
    )
    Cloud.objects.filter(pk=cloud.pk).update(
        last_sync_at=finished, last_sync_status=SyncStatus.FAILED, last_sync_error=message
    )


def apply_snapshot(cloud: Cloud, snapshot: Snapshot, *, audited: bool = True, now=None) -> Changes:
    """Make the mirror equal `snapshot` with bulk writes; call inside a transaction.
    Removals follow the removal policy (sync/removals.py): held when too many, else marked gone."""
    changes = Changes()
    policy = removals.policy_for(cloud, now or timezone.now())
    running = Counter(server.host for server in snapshot.servers if server.host)
    hosts = _sync_rows(
        Host,
        "host",
        "name",
        {h.name: _host_values(h, running[h.name]) for h in snapshot.hosts},
        cloud,
        changes,
        policy,
        quiet=QUIET_FIELDS,
    )
    flavors = _sync_rows(
        Flavor,
        "flavor",
        "flavor_id",
        {f.id: _flavor_values(f) for f in snapshot.flavors},
        cloud,
        changes,
        policy,
    )
    known_aggregates = set(
        Aggregate.all_objects.filter(cloud=cloud).values_list("remote_id", flat=True)
    )
    aggregates = _sync_rows(
        Aggregate,
        "aggregate",
        "remote_id",
        {
            a.id: {
                "name": a.name,
                "uuid": uuid_module.UUID(a.uuid) if a.uuid else None,
                "metadata": dict(a.metadata),
            }
            for a in snapshot.aggregates
        },
        cloud,
        changes,
        policy,
    )
    _sync_aggregate_hosts(cloud, snapshot, aggregates, hosts, changes, known_aggregates)
    flavor_ids_by_name = {f.name: flavors[f.id] for f in snapshot.flavors}
    groups = _sync_rows(
        ServerGroup,
        "server group",
        "uuid",
        {
            uuid_module.UUID(g.id): {
                "name": g.name,
                "project_id": g.project_id,
                "policy": g.policy,
                "max_server_per_host": g.max_server_per_host,
            }
            for g in snapshot.server_groups
        },
        cloud,
        changes,
        policy,
    )
    group_of = {
        uuid_module.UUID(member): groups[uuid_module.UUID(g.id)]
        for g in snapshot.server_groups
        for member in g.members
    }
    _sync_rows(
        Server,
        "server",
        "uuid",
        {
            uuid_module.UUID(s.id): {
                "name": s.name,
                "host_id": hosts.get(s.host),
                "flavor_id": flavor_ids_by_name.get(s.flavor_name),
                "flavor_name": s.flavor_name,
                "flavor_vcpus": s.vcpus,
                "flavor_ram": s.ram,
                "flavor_disk": s.disk,
                "flavor_ephemeral": s.ephemeral,
                "flavor_swap": s.swap,
                "flavor_extra_specs": dict(s.extra_specs),
                "project_id": s.project_id,
                "status": s.status,
                "availability_zone": s.availability_zone or "",
                "requested_zone": s.pinned_zone or "",
                "fault": s.fault,
                "booted_at": s.created,
                "server_group_id": group_of.get(uuid_module.UUID(s.id)),
            }
            for s in snapshot.servers
        },
        cloud,
        changes,
        policy,
    )
    policy.resolve_previous(by=SYNC_ACTOR)
    if audited and changes.audit:
        audit.record_system_changes(actor_name=SYNC_ACTOR, changes=changes.audit)
    return changes


def _sync_rows(
    model: type[models.Model],
    kind: str,
    key: str,
    wanted: dict[Any, dict[str, Any]],
    cloud: Cloud,
    changes: Changes,
    policy: removals.RemovalPolicy,
    *,
    quiet: frozenset[str] = frozenset(),
) -> dict[Any, int]:
    """Create, update and remove `model` rows so that they equal `wanted` (by natural `key`);
    returns the pk of every row still in the mirror (wanted, held or gone). Rows are compared as
    tuples (no model instances: a no-change sync of 10,000 hosts stays cheap); instances are
    built only for changed rows. A row whose only differences are `quiet` fields (bookkeeping)
    is written but not a change."""
    mirrored = issubclass(model, Mirrored)
    queryset = (model.all_objects if mirrored else model.objects).filter(cloud=cloud)
    if mirrored:  # listed, so not gone (a gone row listed again returns)
        wanted = {
            natural_key: {**values, "gone_since": None} for natural_key, values in wanted.items()
        }
    # gone_since even when nothing is listed (an empty listing is the shortest of all)
    listed_fields = {name for values in wanted.values() for name in values}
    fields = sorted(listed_fields | ({"gone_since"} if mirrored else set()))
    existing: dict[Any, tuple[int, dict[str, Any]]] = {
        row[1]: (row[0], dict(zip(fields, row[2:], strict=True)))
        for row in queryset.values_list("pk", key, *fields)
    }
    to_create, to_update, changed_fields = [], [], set()
    pks: dict[Any, int] = {}
    for natural_key, values in wanted.items():
        if natural_key not in existing:
            to_create.append(model(cloud=cloud, **{key: natural_key}, **values))
            continue
        pk, current = existing[natural_key]
        pks[natural_key] = pk
        before = {name: current[name] for name, value in values.items() if current[name] != value}
        if before:
            row = model(pk=pk, cloud=cloud, **{key: natural_key}, **values)
            to_update.append(row)
            changed_fields.update(before)
            drift = {name: value for name, value in before.items() if name not in quiet}
            if drift:
                after = {name: values[name] for name in drift}
                action = "returned" if "gone_since" in drift else "updated"
                changes.add(kind, action, row, _jsonable(drift), _jsonable(after))
    missing = {
        natural_key: (pk, current)
        for natural_key, (pk, current) in existing.items()
        if natural_key not in wanted
    }
    live = sum(1 for _, current in existing.values() if current.get("gone_since") is None)
    pks.update(_remove_missing(model, kind, key, missing, live, cloud, changes, policy))
    if to_update:
        stamped = any(f.name == "updated_at" for f in model._meta.concrete_fields)
        for row in to_update:
            if stamped:
                row.updated_at = policy.now
        model._base_manager.bulk_update(  # gone rows included: they return
            to_update,
            [*sorted(changed_fields), *(["updated_at"] if stamped else [])],
            batch_size=BATCH,
        )
    if to_create:
        bulk.insert(model, to_create, key)
        for row in to_create:
            changes.add(kind, "created", row, None, {key: _jsonable(getattr(row, key))})
            pks[getattr(row, key)] = row.pk
    return pks


def _remove_missing(model, kind, key, missing, live, cloud, changes, policy) -> dict[Any, int]:
    """Rows the listing lacks, of `live` listed before: held if too many, else marked gone
    (servers: deleted); gone rows past the retention period purged. Returns the pks that stay."""
    rows = {
        natural_key: model(pk=pk, cloud=cloud, **{key: natural_key}, **current)
        for natural_key, (pk, current) in missing.items()
    }
    since = {
        natural_key: current.get("gone_since") for natural_key, (_, current) in missing.items()
    }
    newly = [natural_key for natural_key, gone in since.items() if gone is None]
    expired = [
        natural_key for natural_key, gone in since.items() if gone and gone < policy.purge_before
    ]
    # Servers come and go all day (and carry no history): only mirrored kinds are held.
    if issubclass(model, Mirrored) and policy.holds(kind, newly, live):
        changes.hold(kind, [(natural_key, rows[natural_key]) for natural_key in newly])
    elif newly and issubclass(model, Mirrored):
        model.all_objects.filter(pk__in=[rows[k].pk for k in newly]).update(
            gone_since=policy.now, updated_at=policy.now
        )
        for natural_key in newly:
            changes.add(
                kind, "gone", rows[natural_key], {"gone_since": None}, {"gone_since": policy.now}
            )
    else:
        expired += newly
    for natural_key in expired:
        changes.add(kind, "deleted", rows[natural_key], {key: _jsonable(natural_key)}, None)
    if expired:
        model._base_manager.filter(pk__in=[rows[k].pk for k in expired]).delete()
    return {
        natural_key: pk for natural_key, (pk, _) in missing.items() if natural_key not in expired
    }


def _sync_aggregate_hosts(
    cloud, snapshot, aggregates, hosts, changes: Changes, known: set[int]
) -> None:
    """Membership rows; a host change of an aggregate that existed before counts as drift."""
    through = Aggregate.hosts.through
    current: dict[tuple[int, int], int] = {
        (aggregate_id, host_id): pk
        for pk, aggregate_id, host_id in through.objects.filter(aggregate__cloud=cloud).values_list(
            "pk", "aggregate_id", "host_id"
        )
    }
    listed = {aggregates[remote.id] for remote in snapshot.aggregates}
    # An aggregate held or gone keeps its hosts: only a listing says who is in it.
    wanted: set[tuple[int, int]] = {pair for pair in current if pair[0] not in listed}
    for remote in snapshot.aggregates:
        aggregate_pk = aggregates[remote.id]
        wanted.update((aggregate_pk, hosts[name]) for name in remote.hosts if name in hosts)
    added = wanted - current.keys()
    removed = current.keys() - wanted
    if removed:
        through.objects.filter(pk__in=[current[pair] for pair in removed]).delete()
    bulk.insert_pairs(through, sorted(added), "aggregate", "host")
    names = {pk: name for name, pk in hosts.items()}
    by_aggregate: dict[int, tuple[list[str], list[str]]] = {}
    for aggregate_id, host_id in added:
        by_aggregate.setdefault(aggregate_id, ([], []))[0].append(names.get(host_id, "?"))
    for aggregate_id, host_id in removed:
        by_aggregate.setdefault(aggregate_id, ([], []))[1].append(names.get(host_id, "?"))
    remote_names = {aggregates[a.id]: a.name for a in snapshot.aggregates if a.id in known}
    for aggregate_id, (plus, minus) in by_aggregate.items():
        if aggregate_id in remote_names:
            changes.add(
                "aggregate",
                "updated",
                Aggregate(pk=aggregate_id, cloud=cloud, name=remote_names[aggregate_id]),
                {"hosts removed": sorted(minus)},
                {"hosts added": sorted(plus)},
            )


def _host_values(remote, running_vms: int) -> dict[str, Any]:
    return {
        "hypervisor_hostname": remote.hypervisor_hostname,
        "hypervisor_type": remote.hypervisor_type,
        "remote_id": remote.id,
        **{column: getattr(remote, name) for name, column in _FIGURE_COLUMNS.items()},
        "running_vms": running_vms,
        "status": remote.status,
        "disabled_reason": remote.disabled_reason or "",
        "state": remote.state,
        "placement_generation": remote.placement_generation,
        "disk_available_least": remote.disk_available_least,
    }


# RemoteHost / PlacementFigures field → Host column
_FIGURE_COLUMNS = {
    "vcpus": "vcpus",
    "memory_mb": "memory_mb",
    "local_gb": "local_gb",
    "vcpus_used": "vcpus_used",
    "memory_mb_used": "memory_mb_used",
    "local_gb_used": "local_gb_used",
    "reserved_vcpus": "reserved_host_cpus",
    "reserved_memory_mb": "reserved_host_memory_mb",
    "reserved_disk_mb": "reserved_host_disk_mb",
    "cpu_allocation_ratio": "cpu_allocation_ratio",
    "ram_allocation_ratio": "ram_allocation_ratio",
    "disk_allocation_ratio": "disk_allocation_ratio",
}


def _flavor_values(remote) -> dict[str, Any]:
    return {
        "name": remote.name,
        "vcpus": remote.vcpus,
        "ram": remote.ram,
        "disk": remote.disk,
        "ephemeral": remote.ephemeral,
        "swap": remote.swap,
        "rxtx_factor": remote.rxtx_factor,
        "is_public": remote.is_public,
        "disabled": remote.disabled,
        "description": remote.description or "",
        "extra_specs": dict(remote.extra_specs),
        "access_project_ids": sorted(remote.access),
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, uuid_module.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value
