"""API throttles that let requests through while Redis, where they count, is down.

Throttling protects the site; refusing every API call because its counters are unreachable
would be the outage it is meant to prevent.
"""

import logging

from redis.exceptions import RedisError
from rest_framework import throttling

logger = logging.getLogger(__name__)


class _AllowWhenCacheIsDown:
    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)  # type: ignore[misc]
        except RedisError as error:
            logger.warning("API throttle not applied: the cache is unreachable (%s)", error)
            return True


class AnonRateThrottle(_AllowWhenCacheIsDown, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(_AllowWhenCacheIsDown, throttling.UserRateThrottle):
    pass
