"""Where an N+1 run of a cloud stands: keyed by the cloud's version, so any change starts over."""

from dataclasses import dataclass

from django.core.cache import cache
from redis.exceptions import RedisError

from aggregates.models import Cloud
from aggregates.queries.cache import CACHE_SECONDS, cloud_version
from aggregates.scheduling import Risk

RUNNING_SECONDS = 15 * 60  # a run that reported nothing for this long is taken for dead


@dataclass(slots=True)
class ResilienceState:
    version: str
    done: int = 0
    total: int | None = None
    risks: list[Risk] | None = None  # set when the run is complete

    @property
    def complete(self) -> bool:
        return self.risks is not None

    @property
    def failing(self) -> list[Risk]:
        return [risk for risk in self.risks or () if not risk.survives]


def resilience_key(level: str, version: str) -> str:
    return f"resilience:{level}:{version}"


def resilience_state(cloud: Cloud, level: str) -> ResilienceState | None:
    """The run for the cloud as it is now: complete, in progress, or None (never started)."""
    try:
        return cache.get(resilience_key(level, cloud_version(cloud)))
    except RedisError:
        return None


def claim_resilience(cloud: Cloud, level: str) -> ResilienceState | None:
    """A new, empty run when none is stored for this version (atomic), else None."""
    state = ResilienceState(version=cloud_version(cloud))
    if cache.add(resilience_key(level, state.version), state, RUNNING_SECONDS):
        return state
    return None


def save_resilience(level: str, state: ResilienceState) -> None:
    seconds = CACHE_SECONDS if state.complete else RUNNING_SECONDS
    cache.set(resilience_key(level, state.version), state, seconds)


def forget_resilience(level: str, state: ResilienceState) -> None:
    cache.delete(resilience_key(level, state.version))
