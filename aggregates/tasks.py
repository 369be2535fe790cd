"""Celery entry points of aggregates: mirror connected clouds; utilisation samples and retention."""

import logging
import random
import time
import uuid
from collections.abc import Callable

from celery import Task, shared_task
from django.utils import timezone
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

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
# An N+1 run is split across workers only into parts of at least this many units: each part
# loads the cloud again in its process (about a second at 10,000 hosts and 30,000 servers), and
# a part must drain long enough to pay for that. At most this many parts: past it the loads and
# the merge cost more than further workers give back on a run of 60 s at most.
RESILIENCE_MIN_PART_UNITS = 250
RESILIENCE_MAX_PARTS = 8
WORKER_REPLY_SECONDS = 1.0  # how long a run waits for other workers to answer before splitting


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


def resilience_processes(task: Task) -> int:
    """Worker processes that could take a part of this N+1 run now: every process of each worker
    consuming the queue the run came in on, this one's worker counted even when too busy to
    answer (a solo pool answers no broadcast while it runs a task). 1 when in-process, or when
    no other worker answers in time: the run stays in one task."""
    if task.request.is_eager:
        return 1
    queue = _queue_of(task)
    try:
        queues = task.app.control.inspect(timeout=WORKER_REPLY_SECONDS).active_queues() or {}
        nodes = [
            node
            for node, consumed in queues.items()
            if any(entry.get("name") == queue for entry in consumed)
        ]
        stats = {}
        if nodes:
            stats = (
                task.app.control.inspect(
                    destination=nodes, timeout=WORKER_REPLY_SECONDS, limit=len(nodes)
                ).stats()
                or {}
            )
    except (OSError, OperationalError, RedisError) as error:
        logger.warning("N+1 run not split: the workers could not be asked (%s)", error)
        return 1
    processes = {
        node: int(stats.get(node, {}).get("pool", {}).get("max-concurrency") or 1) for node in nodes
    }
    if task.request.hostname:
        processes.setdefault(task.request.hostname, 1)
    return sum(processes.values())


def resilience_parts(units: int, processes: int) -> int:
    """How many parts an N+1 run of `units` units is split into with `processes` processes."""
    if processes <= 1:
        return 1
    # Twice the processes: one that finishes early, or was busy with a sync, takes another part.
    return max(1, min(RESILIENCE_MAX_PARTS, units // RESILIENCE_MIN_PART_UNITS, 2 * processes))


@shared_task(bind=True)
def plan_resilience(self: Task, cloud_id: int, level: str, version: str | None) -> int | None:
    """N+1 of a cloud: the stored run (claimed for `version`) gets progress, then its answer;
    or, when other workers are running, is split into parts that merge it (`None` returned).
    A cloud changed since the claim gets its answer under the version it was computed for."""
    cloud = Cloud.objects.filter(pk=cloud_id).first()
    if cloud is None:
        return None
    state = queries.ResilienceState(version=version or queries.cloud_version(cloud))
    try:
        work = preview.resilience_work(cloud, level)
        # Parts must drain one version: a cloud changed since the claim is not split.
        if work.version == state.version:
            parts = resilience_parts(len(work.units), resilience_processes(self))
            if parts > 1:
                _split_resilience(self, cloud_id, level, state, parts, len(work.units))
                return None

        def progress(done: int, total: int) -> None:
            state.done, state.total = done, total
            queries.save_resilience(level, state)

        risks = preview.drain_units(work, progress=_every(PROGRESS_SECONDS, progress))
    except Exception as error:
        queries.fail_resilience(level, state, _failure(error))
        raise
    state.risks, state.done, state.total = risks, len(risks), len(risks)
    queries.save_resilience(level, state)
    return len(state.failing)


def _split_resilience(
    task: Task, cloud_id: int, level: str, state: queries.ResilienceState, parts: int, units: int
) -> None:
    # Not a Celery chord: a chord joins its parts in a result backend, and this project runs none
    # (outcomes live in our models and cache, CELERY_RESULT_BACKEND in settings); the page reads
    # the run's progress and failure from the cache anyway, so the parts join there
    # (queries.save_part_answer), and a failed part fails the run without a chord's errback.
    state.run, state.parts, state.total, state.done = uuid.uuid4().hex, parts, units, 0
    queries.save_resilience(level, state)  # before any part runs: they report into this run
    queue = _queue_of(task)
    logger.info("N+1 of cloud %s (%s) split into %s parts", cloud_id, level, parts)
    for index in range(parts):
        part = plan_resilience_part.si(
            cloud_id, level, state.version, state.run, index, parts, units
        )
        if task.request.is_eager:
            part.apply()  # in-process, as the run itself (tests)
        else:
            part.apply_async(queue=queue)


@shared_task(bind=True)
def plan_resilience_part(
    self: Task,
    cloud_id: int,
    level: str,
    version: str,
    run: str,
    index: int,
    parts: int,
    total: int,
) -> int | None:
    """One part of a split N+1 run: the drains of its units, from the cloud as the run found it.
    The part that completes the set merges the answer (the number of failing units returned).
    A part that fails, or finds the cloud changed, fails the whole run: never an answer with
    units missing."""
    state = queries.ResilienceState(version=version, total=total, run=run, parts=parts)
    if not queries.is_current_run(level, state):
        return None  # failed, replaced or expired meanwhile: nothing would use this part
    try:
        cloud = Cloud.objects.filter(pk=cloud_id).first()
        work = preview.resilience_work(cloud, level) if cloud is not None else None
        if work is None or work.version != version or len(work.units) != total:
            queries.fail_resilience(level, state, "the cloud changed while the run was split")
            return None

        def progress(done: int, _total: int) -> None:
            queries.save_part_progress(level, state, index, done)

        risks = preview.drain_units(
            work, work.part(index, parts), _every(PROGRESS_SECONDS, progress)
        )
        merged = queries.save_part_answer(level, state, index, risks)
    except Exception as error:
        queries.fail_resilience(level, state, f"part {index + 1} of {parts}: {_failure(error)}")
        raise
    return None if merged is None else sum(1 for risk in merged if not risk.survives)


def _every(seconds: float, report: Callable[[int, int], None]) -> Callable[[int, int], None]:
    """`report`, called at most every `seconds` and at the end."""
    reported = [0.0]

    def throttled(done: int, total: int) -> None:
        now = time.monotonic()
        if now - reported[0] >= seconds or done == total:
            reported[0] = now
            report(done, total)

    return throttled


def _queue_of(task: Task) -> str:
    """The queue a task came in on (a direct queue's routing key is its name)."""
    routing_key = (task.request.delivery_info or {}).get("routing_key")
    return routing_key or task.app.conf.task_default_queue


def _failure(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


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
