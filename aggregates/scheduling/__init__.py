"""Placement engine: Nova 34's scheduling decision, explained host by host (pure Python)."""

from .config import (
    AVAILABLE_FILTERS,
    DEFAULT_CONFIG,
    DEFAULT_ENABLED_FILTERS,
    SchedulerConfig,
    SchedulerConfigError,
    scheduler_config_from_options,
)
from .engine import preview
from .extra_specs_ops import ExtraSpecError, match
from .planning import DrainPlan, Move, PlannedServer, Rejection, ZoneUse, plan_drain
from .prefilters import ZONE_PREFILTER
from .results import (
    Comparison,
    HostResult,
    PreviewResult,
    StepResult,
    Summary,
    Verdict,
    WeigherScore,
    compare,
)
from .state import (
    AggregateState,
    AvailabilityZone,
    FlavorSpec,
    HostState,
    Inventory,
    RequestSpec,
    ServerGroup,
    availability_zones,
    zone_names,
)
from .zones import (
    ZoneSteps,
    conflicting_zones,
    instances_would_move_reason,
    zone_conflict_reason,
    zone_update_reason,
)

__all__ = [
    "AVAILABLE_FILTERS",
    "ZONE_PREFILTER",
    "DEFAULT_CONFIG",
    "DEFAULT_ENABLED_FILTERS",
    "AggregateState",
    "AvailabilityZone",
    "Comparison",
    "DrainPlan",
    "ExtraSpecError",
    "FlavorSpec",
    "HostResult",
    "HostState",
    "Inventory",
    "Move",
    "PlannedServer",
    "PreviewResult",
    "Rejection",
    "RequestSpec",
    "SchedulerConfig",
    "SchedulerConfigError",
    "ServerGroup",
    "StepResult",
    "Summary",
    "Verdict",
    "WeigherScore",
    "ZoneUse",
    "availability_zones",
    "compare",
    "conflicting_zones",
    "match",
    "plan_drain",
    "preview",
    "scheduler_config_from_options",
    "ZoneSteps",
    "instances_would_move_reason",
    "zone_conflict_reason",
    "zone_update_reason",
    "zone_names",
]
