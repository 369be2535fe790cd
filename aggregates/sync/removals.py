"""When a sync may remove what the compute API stopped listing, and when it must wait.

A listing can be short without any error (later pages empty): a sync that believed it would wipe
the mirror. So removals of a kind beyond STACKBOARD_SYNC_HOLD_SHARE of its rows are held: the
rows stay as they were, the run lists them, and they go only when an admin confirms or when the
next sync finds the same rows missing again (it agrees). Removed hosts, aggregates and flavors
are marked gone, not deleted (models/mirror.py), and purged after the retention period.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q

from aggregates.choices import HeldResolution, SyncStatus
from aggregates.models import Aggregate, Cloud, Flavor, Host, SyncRun
from aggregates.models.mirror import Mirrored


@dataclass
class RemovalPolicy:
    now: datetime
    share: float
    purge_before: datetime
    previous: SyncRun | None = None  # the last run, while it still holds removals
    previously_held: dict[str, set[str]] = field(default_factory=dict)

    def holds(self, kind: str, keys: list, live: int) -> bool:
        """Whether removing `keys` of `live` rows of `kind` must wait."""
        if not keys or len(keys) <= self.share * live:
            return False
        # The last sync found these missing too (and no others): two listings agree.
        return not {str(key) for key in keys} <= self.previously_held.get(kind, set())

    def resolve_previous(self, *, by: str) -> None:
        """This sync decided what the last one held (removed if it agreed, kept if listed)."""
        if self.previous is not None:
            SyncRun.objects.filter(pk=self.previous.pk).update(
                held_resolution=HeldResolution.NEXT_SYNC,
                held_resolved_at=self.now,
                held_resolved_by=by,
            )


def policy_for(cloud: Cloud, now: datetime) -> RemovalPolicy:
    """The policy of a sync of `cloud` starting `now`; call inside its transaction (it locks
    the run whose held removals it will decide, so an admin's confirmation waits for it)."""
    previous = pending_hold(cloud, lock=True)
    return RemovalPolicy(
        now=now,
        share=settings.STACKBOARD_SYNC_HOLD_SHARE,
        purge_before=now - timedelta(days=settings.STACKBOARD_SYNC_GONE_RETENTION_DAYS),
        previous=previous,
        previously_held={
            kind: {str(row["key"]) for row in rows} for kind, rows in (previous.held or {}).items()
        }
        if previous
        else {},
    )


def pending_hold(cloud: Cloud, *, lock: bool = False) -> SyncRun | None:
    """The cloud's last succeeded run if its held removals wait for a decision."""
    runs = SyncRun.objects.filter(cloud=cloud, status=SyncStatus.SUCCEEDED)
    if lock:
        runs = runs.select_for_update()
    run = runs.order_by("-started_at", "-id").first()
    return run if run is not None and run.holds_removals else None


# kind → (model, natural key) of the rows a run may hold
HELD_KINDS = {
    "host": (Host, "name"),
    "flavor": (Flavor, "flavor_id"),
    "aggregate": (Aggregate, "remote_id"),
}


def mark_held_gone(cloud: Cloud, run: SyncRun, now: datetime) -> list[tuple[Mirrored, datetime]]:
    """Mark gone what `run` held (rows a later listing brought back are live and stay so: a
    sync decides those first, holding the run's lock). Returns the rows marked."""
    marked = []
    for kind, rows in (run.held or {}).items():
        model, key = HELD_KINDS[kind]
        keys = [row["key"] for row in rows]
        found = list(model.objects.filter(cloud=cloud, **{f"{key}__in": keys}))
        model.all_objects.filter(pk__in=[row.pk for row in found]).update(
            gone_since=now, updated_at=now
        )
        marked.extend((row, now) for row in found)
    return marked


def drop_gone_twins(model: type[Mirrored], cloud: Cloud, **unique) -> None:
    """Before the mirror takes a row the compute API just accepted: a gone row holding one of
    its unique values (name, id) is stale by the API's own word, so it goes now."""
    if cloud.is_connected:
        twins = Q()
        for name, value in unique.items():
            twins |= Q(**{name: value})
        model.all_objects.filter(twins, cloud=cloud, gone_since__isnull=False).delete()
