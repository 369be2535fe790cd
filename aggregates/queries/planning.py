"""Where an N+1 run of a cloud stands: keyed by the cloud's version, so any change starts over.

A run split into parts keeps each part's progress and answer under keys of its own: the state
is written once when the split starts and once more with the merged answer (or the failure).
"""

from dataclasses import dataclass

from django.core.cache import cache
from redis.exceptions import RedisError

from aggregates.models import Cloud
from aggregates.queries.cache import CACHE_SECONDS, cloud_version
from aggregates.scheduling import Risk, worst_first

RUNNING_SECONDS = 15 * 60  # a run that reported nothing for this long is taken for dead


@dataclass(slots=True)
class ResilienceState:
    version: str
    done: int = 0
    total: int | None = None
    risks: list[Risk] | None = None  # set when the run is complete
    run: str = ""  # a split run's id (its parts' keys); "" for a run in one task
    parts: int = 1
    error: str | None = None  # set when the run failed: no answer, a new run may start

    @property
    def complete(self) -> bool:
        return self.risks is not None

    @property
    def failed(self) -> bool:
        return self.error is not None

    @property
    def failing(self) -> list[Risk]:
        return [risk for risk in self.risks or () if not risk.survives]


def resilience_key(level: str, version: str) -> str:
    # v2: the state gained fields; a state pickled before would not unpickle whole.
    return f"resilience:v2:{level}:{version}"


def resilience_state(cloud: Cloud, level: str) -> ResilienceState | None:
    """The run for the cloud as it is now: complete, in progress, failed, or None (never started).
    A split run in progress counts the units its parts have done so far."""
    try:
        state = cache.get(resilience_key(level, cloud_version(cloud)))
        if state is not None and state.run and not state.complete and not state.failed:
            done = cache.get_many([_part_key(state, index, "done") for index in range(state.parts)])
            state.done = sum(done.values())
    except RedisError:
        return None
    return state


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


def fail_resilience(level: str, state: ResilienceState, error: str) -> None:
    """Record the run as failed (kept while a running one would be), unless a newer run of the
    same version has replaced it meanwhile."""
    if state.run and not is_current_run(level, state):
        return
    state.error, state.risks = error, None
    save_resilience(level, state)


def save_part_progress(level: str, state: ResilienceState, index: int, done: int) -> None:
    """A part's units done so far; keeps the run from being taken for dead while parts report."""
    cache.set(_part_key(state, index, "done"), done, RUNNING_SECONDS)
    cache.touch(resilience_key(level, state.version), RUNNING_SECONDS)


def save_part_answer(
    level: str, state: ResilienceState, index: int, risks: list[Risk]
) -> list[Risk] | None:
    """Store one part's answer; when every part's is in, the merged answer (worst first), saved
    as the run's, else None.

    Why keys per part instead of a counter of finished parts: parts are acknowledged late and
    re-run when their worker dies, so a part can finish twice, and an increment would count it
    twice and merge with another part's units missing. Setting a part's own key is idempotent.
    The part that sets the last key sees them all; two parts finishing at once may both merge,
    which writes the same answer twice (the parts are the same units of the same version).
    """
    # Kept as long as an answer: a part that finished early must not expire before the last one.
    cache.set(_part_key(state, index, "risks"), risks, CACHE_SECONDS)
    cache.set(_part_key(state, index, "done"), len(risks), RUNNING_SECONDS)
    keys = [_part_key(state, part, "risks") for part in range(state.parts)]
    answers = cache.get_many(keys)
    if len(answers) < state.parts or not is_current_run(level, state):
        return None
    merged = worst_first(risk for key in keys for risk in answers[key])
    if len(merged) != state.total:  # never an answer with units missing (or counted twice)
        fail_resilience(level, state, f"the parts returned {len(merged)} of {state.total} units")
        return None
    state.risks, state.done = merged, len(merged)
    save_resilience(level, state)
    cache.delete_many(keys)  # a part merging at the same moment finds one missing: merges not
    return merged


def is_current_run(level: str, state: ResilienceState) -> bool:
    """Whether the stored run is `state`'s split run, still waiting for its parts."""
    stored = cache.get(resilience_key(level, state.version))
    return (
        stored is not None
        and stored.run == state.run
        and not stored.failed
        and not stored.complete  # a part re-run after the merge changes nothing
    )


def _part_key(state: ResilienceState, index: int, what: str) -> str:
    return f"resilience-part:{state.run}:{index}:{what}"
