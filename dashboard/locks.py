"""Cross-process locks that expire if their holder dies: Redis in production, memory in the demo."""

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from functools import cache as memoize

import redis
from django.conf import settings
from django.core.cache import cache


@memoize
def _redis() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=5, socket_connect_timeout=5)


@contextmanager
def held_lock(name: str, *, timeout: int | None = None) -> Iterator[bool]:
    """Yield True if this process now holds `name`, False if another does; released on exit."""
    # Expire after the task hard limit, so a worker killed while holding it blocks no later run.
    timeout = timeout or settings.CELERY_TASK_TIME_LIMIT + 60
    if settings.REDIS_URL:
        lock = _redis().lock(f"stackboard:lock:{name}", timeout=timeout, blocking=False)
        held = lock.acquire()
        try:
            yield held
        finally:
            if held:
                # If it expired it may belong to another run now: not ours to delete.
                with suppress(redis.exceptions.LockError):
                    lock.release()
        return
    key = f"lock:{name}"
    held = cache.add(key, True, timeout=timeout)
    try:
        yield held
    finally:
        if held:
            cache.delete(key)


def cloud_lock(cloud_id: int):
    """At most one sync per cloud at a time."""
    return held_lock(f"cloud-sync:{cloud_id}", timeout=settings.STACKBOARD_SYNC_LOCK_SECONDS)
