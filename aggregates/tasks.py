"""Celery entry points of aggregates: mirror connected clouds; utilisation samples and retention."""

import logging
import random
import time

from celery import Task, shared_task
from django.utils import timezone

from aggregates import preview, queries, services, utilisation
from aggregates.choices import CloudKind
from aggregates.models import Cloud
from aggregates.queries import page_cache
from aggregates.sync import reconcile
from aggregates.sync.errors import ComputeUnavailable
from dashboard import locks
from dashboard.errors import DomainError

logger = logging.getLogger(__name__)
RETRY_BACKOFF, RETRY_BACKOFF_MAX = 5, 300  # seconds: 5, 10, 20, 40, 80 (with jitter)
PROGRESS_SECONDS = 0.5  # how often a long N+1 run reports how far it got


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=5)
def sync_cloud(self: Task, cloud_id: int) -> str:
    """Mirror one cloud from its compute API. Idempotent; at most one run per cloud at a time;
    retried with exponential backoff while the API is unavailable."""
    with locks.cloud_lock(cloud_id) as held:
        if not held and (self.request.delivery_info or {}).get("redelivered"):
            # Given back after its worker died mid-sync (acks_late, reject_on_worker_lost): the
            # dead run's lock stands until it expires. Sync then, rather than not at all.
            countdown = locks.cloud_lock_expires_in(cloud_id) + 1
            logger.info("sync of cloud %s redelivered; retrying in %.0f s", cloud_id, countdown)
            raise self.retry(countdown=countdown)
        if not held:
            logger.info("sync of cloud %s skipped: another worker holds its lock", cloud_id)
            return "skipped"
        cloud = Cloud.objects.filter(pk=cloud_id).first()
        if cloud is None or not cloud.is_connected:
            return "not a connected cloud"
        try:
            run = reconcile.sync_cloud(cloud, task_id=self.request.id or "")
        except ComputeUnavailable as error:
            if self.app.conf.task_always_eager:
                raise  # in-process (the demo): the failure is recorded; don't block the request
            delay = min(RETRY_BACKOFF_MAX, RETRY_BACKOFF * 2**self.request.retries)
            raise self.retry(exc=error, countdown=random.uniform(delay / 2, delay)) from error
        try:
            page_cache.warm(cloud)
        except Exception:  # noqa: BLE001 - warming only saves the next viewer time
            logger.exception("pages of cloud %s not warmed after its sync", cloud_id)
        if not self.app.conf.task_always_eager:  # the demo computes N+1 when a page asks
            try:
                for level in preview.LEVELS:
                    services.request_resilience(cloud, level)
            except DomainError:
                logger.exception("N+1 of cloud %s not started after its sync", cloud_id)
        return run.status


@shared_task
def plan_resilience(cloud_id: int, level: str, version: str | None) -> int | None:
    """N+1 of a cloud: the stored run (claimed for `version`) gets progress, then its answer.
    A cloud changed since the claim gets its answer under the version it was computed for."""
    cloud = Cloud.objects.filter(pk=cloud_id).first()
    if cloud is None:
        return None
    state = queries.ResilienceState(version=version or queries.cloud_version(cloud))
    reported = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - reported[0] >= PROGRESS_SECONDS or done == total:
            reported[0] = now
            state.done, state.total = done, total
            queries.save_resilience(level, state)

    try:
        risks = preview.run_resilience(cloud, level, progress)
    except Exception:
        queries.forget_resilience(level, state)  # the next request starts a new run
        raise
    state.risks, state.done, state.total = risks, len(risks), len(risks)
    queries.save_resilience(level, state)
    return len(state.failing)


@shared_task
def enqueue_due_syncs() -> int:
    """Beat, every minute: enqueue a sync of each connected cloud whose interval has passed."""
    due = queries.clouds_due_for_sync(timezone.now())
    for cloud_id in due:
        sync_cloud.delay(cloud_id)
    return len(due)


@shared_task
def sample_local_clouds() -> int:
    """One utilisation sample per host of every local cloud (connected ones sample at sync)."""
    written = 0
    for cloud in Cloud.objects.filter(kind=CloudKind.LOCAL):
        written += utilisation.record_utilisation_samples(cloud)
    return written


@shared_task
def downsample_utilisation() -> dict[str, int] | None:
    """Apply the retention policy; idempotent, one run at a time."""
    with locks.held_lock("utilisation-downsample") as held:
        if not held:
            logger.info("utilisation downsampling skipped: another worker is running it")
            return None
        return utilisation.downsample_utilisation()
