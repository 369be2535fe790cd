"""Reads of sync runs, and which clouds are due for one."""

from datetime import timedelta

from aggregates.choices import CloudKind
from aggregates.models import Cloud, SyncRun
from aggregates.sync import removals


def clouds_due_for_sync(now) -> list[int]:
    """Ids of connected clouds with an interval whose last sync (or attempt) is that old."""
    due = []
    clouds = Cloud.objects.filter(kind=CloudKind.CONNECTED, sync_interval_minutes__gt=0)
    for cloud_id, interval, last in clouds.values_list(
        "pk", "sync_interval_minutes", "last_sync_at"
    ):
        if last is None or now - last >= timedelta(minutes=interval):
            due.append(cloud_id)
    return due


def sync_runs_for(cloud: Cloud):
    """The cloud's sync runs, newest first (paginate: they accumulate)."""
    return SyncRun.objects.filter(cloud=cloud).order_by("-started_at", "-id")


def latest_sync_run(cloud: Cloud) -> SyncRun | None:
    return sync_runs_for(cloud).first()


def held_removals(cloud: Cloud) -> SyncRun | None:
    """The last sync's run while removals it held wait for an admin (or the next sync)."""
    return removals.pending_hold(cloud)
