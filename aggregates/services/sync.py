"""Writes around sync: request a sync, set its interval, confirm the removals a sync held."""

import logging
import uuid
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

from aggregates import queries
from aggregates.choices import HeldResolution, SyncStatus
from aggregates.errors import InvalidInput, NotConnected, SyncAlreadyRunning
from aggregates.models import Cloud, SyncRun
from aggregates.services.validation import User
from aggregates.sync import removals
from aggregates.sync.errors import ComputeError
from aggregates.sync.reconcile import sync_requested_key
from dashboard import audit, locks
from dashboard.celery import task_named
from dashboard.errors import Conflict, ServiceUnavailable
from dashboard.ranges import between

logger = logging.getLogger(__name__)
SYNC_TASK = "aggregates.tasks.sync_cloud"
MAX_INTERVAL_MINUTES = 7 * 24 * 60


def request_sync(cloud: Cloud, *, actor: User) -> str:
    """Enqueue a sync of `cloud` (after commit) and return its Celery task id, which its SyncRun
    will carry. Refused for a local cloud, and while a sync of the cloud holds its lock."""
    if not cloud.is_connected:
        raise NotConnected(
            f"Cloud {cloud.slug} is local: there is no compute API to sync from.", field="kind"
        )
    try:
        return _enqueue_sync(cloud)
    except (RedisError, OperationalError) as error:
        logger.warning("sync of cloud %s not requested: %s", cloud.slug, error)
        raise ServiceUnavailable(
            "The task queue (Redis) is not reachable, so no sync was requested. "
            "Try again once it is back."
        ) from error


def _enqueue_sync(cloud: Cloud) -> str:
    if locks.cloud_sync_running(cloud.pk):
        latest = queries.latest_sync_run(cloud)
        since = (
            f" (task {latest.task_id or 'in the foreground'}, started "
            f"{latest.started_at:%Y-%m-%d %H:%M:%S} UTC)"
            if latest and latest.status == SyncStatus.RUNNING
            else ""
        )
        raise SyncAlreadyRunning(f"A sync of {cloud.slug} is already running{since}.")
    task_id = str(uuid.uuid4())

    def enqueue() -> None:
        try:
            # By its registered name: tasks sit above services, which do not import them.
            task_named(SYNC_TASK).apply_async(args=[cloud.pk], task_id=task_id)
        except ComputeError:
            # In-process (the demo, no broker) the sync ran right here: its run records the
            # failure, where the page and the API show it.
            logger.info("in-process sync of cloud %s failed; its run records why", cloud.slug)

    cache.set(sync_requested_key(cloud.pk), timezone.now().isoformat(), 3600)
    transaction.on_commit(enqueue)
    return task_id


def set_sync_interval(cloud: Cloud, minutes: Any, *, actor: User) -> Cloud:
    """Minutes between periodic syncs (0: none); a whole number up to a week."""
    try:
        minutes = int(minutes)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(
            "'sync_interval_minutes' must be a whole number.", field="sync_interval_minutes"
        ) from exc
    if not 0 <= minutes <= MAX_INTERVAL_MINUTES:
        raise InvalidInput(
            f"'sync_interval_minutes' {between(0, MAX_INTERVAL_MINUTES, 'minutes')} (a week).",
            field="sync_interval_minutes",
        )
    with transaction.atomic():
        cloud = Cloud.objects.select_for_update().get(pk=cloud.pk)
        with audit.recording(actor=actor, obj=cloud):
            cloud.sync_interval_minutes = minutes
            cloud.save(update_fields=["sync_interval_minutes", "updated_at"])
    return cloud


def confirm_held_removals(cloud: Cloud, *, actor: User) -> SyncRun:
    """Apply the removals the cloud's last sync held: its rows are marked gone (kept with their
    history, hidden from lists). Refused when nothing waits (none held, or a sync decided)."""
    with transaction.atomic():
        run = removals.pending_hold(cloud, lock=True)  # a sync deciding it waits, or we do
        if run is None:
            raise Conflict(
                f"No removals of {cloud.slug} wait for a decision: the last sync held none, "
                "or a later sync or an admin decided them.",
                field="held",
            )
        now = timezone.now()
        marked = removals.mark_held_gone(cloud, run, now)
        run.held_resolution = HeldResolution.CONFIRMED
        run.held_resolved_at = now
        run.held_resolved_by = actor.get_username()
        run.save(update_fields=["held_resolution", "held_resolved_at", "held_resolved_by"])
        audit.record_system_changes(
            actor_name=actor.get_username(),
            actor=actor,
            changes=[
                audit.SystemChange(row, "updated", {"gone_since": None}, {"gone_since": since})
                for row, since in marked
            ],
        )
    return run
