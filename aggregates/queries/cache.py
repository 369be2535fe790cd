"""A cloud's version marker, and Django's cache keyed by it (what pages derive from a cloud)."""

import contextlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from redis.exceptions import RedisError

from aggregates.models import Cloud
from aggregates.models.version import cloud_version

__all__ = ["CACHE_SECONDS", "cached_for_version", "cloud_version"]

T = TypeVar("T")


CACHE_SECONDS = 24 * 3600  # what stays unchanged may stay cached; changes give new keys


def cached_for_version(name: str, cloud: Cloud, compute: Callable[[], T]) -> T:
    """`compute()`, from Django's cache while `cloud_version(cloud)` stays the same."""
    key = f"{name}:{cloud_version(cloud)}"
    try:
        value = cache.get(key)
    except RedisError:
        return compute()  # the cache is down: the page is slower, never broken
    if value is None:
        value = compute()
        with contextlib.suppress(RedisError):
            cache.set(key, value, CACHE_SECONDS)
    return value
