"""Small builders for engine tests: hosts, aggregates, flavors, requests, one step's verdicts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from aggregates.scheduling.config import DEFAULT_CONFIG, DEFAULT_ENABLED_FILTERS, SchedulerConfig
from aggregates.scheduling.context import Column, PreviewContext
from aggregates.scheduling.results import StepResult
from aggregates.scheduling.state import AggregateState, FlavorSpec, HostState, RequestSpec


def host(name: str = "compute-1", **fields: Any) -> HostState:
    """A roomy, idle, enabled host (8 vCPU, 16 GB, 100 GB) unless told otherwise."""
    values: dict[str, Any] = {"vcpus": 8, "memory_mb": 16384, "local_gb": 100}
    values.update(fields)
    return HostState(name=name, **values)


def aggregate(id: int, name: str, hosts: Sequence[str] = (), **metadata: str) -> AggregateState:
    return AggregateState(id=id, name=name, hosts=tuple(hosts), metadata=dict(metadata))


def flavor(name: str = "m1.small", **fields: Any) -> FlavorSpec:
    values: dict[str, Any] = {"id": "1", "vcpus": 1, "ram": 2048, "disk": 20}
    values.update(fields)
    return FlavorSpec(name=name, **values)


def request(**fields: Any) -> RequestSpec:
    values: dict[str, Any] = {"flavor": flavor(), "project_id": "project-a"}
    values.update(fields)
    return RequestSpec(**values)


def with_filters(*names: str, **options: Any) -> SchedulerConfig:
    """The default filters plus `names`, and any other options."""
    return SchedulerConfig(enabled_filters=DEFAULT_ENABLED_FILTERS + names, **options)


def context(
    hosts: Sequence[HostState],
    aggregates: Sequence[AggregateState] = (),
    spec: RequestSpec | None = None,
    config: SchedulerConfig = DEFAULT_CONFIG,
) -> PreviewContext:
    return PreviewContext(hosts, aggregates, spec or request(), config)


def expand(column: Column | None, count: int) -> list[StepResult]:
    assert column is not None, "the step did not run"
    return column if isinstance(column, list) else [column] * count


def run_step(
    step: Callable[[PreviewContext], Column | None],
    hosts: Sequence[HostState],
    aggregates: Sequence[AggregateState] = (),
    spec: RequestSpec | None = None,
    config: SchedulerConfig = DEFAULT_CONFIG,
) -> list[StepResult]:
    """One step's verdict for each host."""
    ctx = context(hosts, aggregates, spec, config)
    return expand(step(ctx), len(hosts))
