"""The audit log: services call `recording()` (or `record()`) on every write, in its transaction."""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from dashboard.models import AuditEntry


def snapshot(obj: models.Model) -> dict[str, Any]:
    """A JSON-ready picture of `obj`: its fields and many-to-many (sorted names), or its own."""
    if hasattr(obj, "audit_snapshot"):
        data = obj.audit_snapshot()
    else:
        data = {}
        for field in obj._meta.concrete_fields:
            data[field.attname] = field.value_from_object(obj)
        for field in obj._meta.many_to_many:
            data[field.name] = sorted(str(related) for related in getattr(obj, field.name).all())
    # Round-trip through JSON so dates, decimals and UUIDs are stored as the JSONField reads them.
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def record(
    *,
    actor: Any,
    obj: models.Model,
    action: str,
    before: dict | None,
    after: dict | None,
) -> AuditEntry | None:
    """Write one entry; an update that changed nothing writes none."""
    if action == AuditEntry.Action.UPDATE and before == after:
        return None
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        actor_name=user.get_username() if user else "system",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        before=before,
        after=after,
    )


@contextmanager
def recording(*, actor: Any, obj: models.Model) -> Iterator[None]:
    """Audit an update of `obj` made inside the block (snapshot before, snapshot after)."""
    before = snapshot(obj)
    yield
    record(
        actor=actor, obj=obj, action=AuditEntry.Action.UPDATE, before=before, after=snapshot(obj)
    )


def record_create(*, actor: Any, obj: models.Model) -> None:
    record(actor=actor, obj=obj, action=AuditEntry.Action.CREATE, before=None, after=snapshot(obj))


@contextmanager
def recording_delete(*, actor: Any, obj: models.Model) -> Iterator[None]:
    """Audit the deletion of `obj` made inside the block; the pk is kept from before the delete."""
    before, pk = snapshot(obj), obj.pk
    yield
    obj.pk = pk
    record(actor=actor, obj=obj, action=AuditEntry.Action.DELETE, before=before, after=None)


@dataclass
class SystemChange:
    """A change made by the system (a sync), not through a service: `action` created/updated/…"""

    obj: models.Model
    action: str
    before: dict | None
    after: dict | None


SYSTEM_ACTIONS = {
    "created": AuditEntry.Action.CREATE,
    "updated": AuditEntry.Action.UPDATE,
    "deleted": AuditEntry.Action.DELETE,
}


def record_system_changes(*, actor_name: str, changes: list[SystemChange], actor=None) -> None:
    """Audit many changes made by `actor_name` (e.g. "sync", or the user `actor` confirming what
    the sync held) in one bulk insert."""
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor=actor,
                actor_name=actor_name,
                action=SYSTEM_ACTIONS[change.action],
                object_type=change.obj._meta.label_lower,
                object_id=str(change.obj.pk),
                object_repr=str(change.obj)[:255],
                before=json.loads(json.dumps(change.before, cls=DjangoJSONEncoder)),
                after=json.loads(json.dumps(change.after, cls=DjangoJSONEncoder)),
            )
            for change in changes
        ],
        batch_size=1000,
    )
