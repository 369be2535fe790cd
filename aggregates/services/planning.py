"""Start an N+1 run of a cloud in the worker (once per cloud version and level)."""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

from aggregates import queries
from aggregates.errors import InvalidInput
from aggregates.models import Cloud
from aggregates.preview import LEVELS
from dashboard.celery import task_named
from dashboard.errors import ServiceUnavailable

logger = logging.getLogger(__name__)
RESILIENCE_TASK = "aggregates.tasks.plan_resilience"


def request_resilience(cloud: Cloud, level: str, *, retry: bool = False) -> queries.ResilienceState:
    """The run for the cloud as it is now, enqueued if none was: complete, in progress, or
    failed (then `retry` enqueues a new one)."""
    if level not in LEVELS:
        raise InvalidInput(f"'level' must be one of {', '.join(LEVELS)}.", field="level")
    try:
        state = queries.resilience_state(cloud, level)
        if state is not None and state.failed and retry:
            queries.forget_resilience(level, state)
        elif state is not None:
            return state
        claimed = queries.claim_resilience(cloud, level)
        if claimed is None:  # another request claimed it a moment ago
            return queries.resilience_state(cloud, level) or queries.ResilienceState("")
        transaction.on_commit(
            # By its registered name: tasks sit above services.
            lambda: task_named(RESILIENCE_TASK).delay(cloud.pk, level, claimed.version)
        )
    except (RedisError, OperationalError) as error:
        logger.warning("N+1 of cloud %s not requested: %s", cloud.slug, error)
        raise ServiceUnavailable(
            "The task queue (Redis) is not reachable, so the N+1 check cannot run now."
        ) from error
    return queries.resilience_state(cloud, level) or claimed
