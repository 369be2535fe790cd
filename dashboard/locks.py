"""Cross-process locks that expire if their holder dies: Redis in production, memory in the demo."""

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from functools import cache as memoize

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection


@memoize
def _redis() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=5, socket_connect_timeout=5)


@contextmanager
def held_lock(name: str, *, timeout: int | None = None) -> Iterator[bool]:
    """Yield True if this process now holds `name`, False if another does; released on exit."""
    # Expire after the task hard limit, so a worker killed while holding it blocks no later run.
    timeout = timeout or settings.CELERY_TASK_TIME_LIMIT + 60
    if settings.REDIS_URL:
        lock = _redis().lock(_redis_key(name), timeout=timeout, blocking=False)
        held = lock.acquire()
        try:
            yield held
        finally:
            if held:
                # If it expired it may belong to another run now: not ours to delete.
                with suppress(redis.exceptions.LockError):
                    lock.release()
        return
    key = _cache_key(name)
    held = cache.add(key, True, timeout=timeout)
    try:
        yield held
    finally:
        if held:
            cache.delete(key)


def is_held(name: str) -> bool:
    """Whether some process holds `name` now (it may release it a moment later)."""
    if settings.REDIS_URL:
        return bool(_redis().exists(_redis_key(name)))
    return cache.get(_cache_key(name)) is not None


def expires_in(name: str) -> float:
    """Seconds until `name` expires if its holder does not release it (0: not held, or memory)."""
    if settings.REDIS_URL:
        return max(0.0, _redis().pttl(_redis_key(name)) / 1000)
    return 0.0


def _redis_key(name: str) -> str:
    return f"stackboard:lock:{name}"


def _cache_key(name: str) -> str:
    return f"lock:{name}"


def cloud_lock(cloud_id: int):
    """At most one sync per cloud at a time."""
    return held_lock(_cloud_lock_name(cloud_id), timeout=settings.STACKBOARD_SYNC_LOCK_SECONDS)


def cloud_sync_running(cloud_id: int) -> bool:
    """A sync of the cloud holds its lock (a killed one until the lock expires)."""
    return is_held(_cloud_lock_name(cloud_id))


def cloud_lock_expires_in(cloud_id: int) -> float:
    return expires_in(_cloud_lock_name(cloud_id))


def _cloud_lock_name(cloud_id: int) -> str:
    return f"cloud-sync:{cloud_id}"


def transaction_lock(name: str) -> None:
    """Hold `name` until the current transaction ends (PostgreSQL's advisory lock): for a rule
    that reads many rows before writing, such as "no dependency cycle", where row locks taken
    in different orders deadlock. SQLite already runs one writing transaction at a time."""
    if not connection.in_atomic_block:
        raise RuntimeError("transaction_lock() needs a transaction to end the lock")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [name])
