"""Writes around sync: request a sync, set its interval, enable or disable a compute service."""

from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from aggregates.errors import InvalidInput, LocalCloudOnly
from aggregates.models import Cloud
from aggregates.sync.reconcile import sync_requested_key
from dashboard import audit

User = Any
MAX_INTERVAL_MINUTES = 7 * 24 * 60


def request_sync(cloud: Cloud, *, actor: User) -> None:
    """Enqueue a sync of `cloud` (after commit); a second request while one runs is a no-op."""
    if not cloud.is_connected:
        raise LocalCloudOnly(f"Cloud {cloud.slug} is local: there is no compute API to sync from.")
    from aggregates import tasks  # tasks import services' neighbours; import here, not at load

    cache.set(sync_requested_key(cloud.pk), timezone.now().isoformat(), 3600)
    transaction.on_commit(lambda: tasks.sync_cloud.delay(cloud.pk))


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
            f"'sync_interval_minutes' must be between 0 and {MAX_INTERVAL_MINUTES}.",
            field="sync_interval_minutes",
        )
    with transaction.atomic():
        cloud = Cloud.objects.select_for_update().get(pk=cloud.pk)
        with audit.recording(actor=actor, obj=cloud):
            cloud.sync_interval_minutes = minutes
            cloud.save(update_fields=["sync_interval_minutes", "updated_at"])
    return cloud
