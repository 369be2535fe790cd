"""The placement preview of a stored cloud: loader, engine run, what-if changes (re-exported)."""

from aggregates.preview.capacity import (
    MATRIX_FLAVORS,
    FlavorSlots,
    SlotsMatrix,
    SlotsRow,
    flavor_slots,
    slots_matrix,
)
from aggregates.preview.changes import (
    ACTIONS,
    FLAVOR_SIZES,
    MAX_CHANGES,
    apply_in_memory,
    validate_changes,
)
from aggregates.preview.describe import describe_change
from aggregates.preview.drain import (
    CSV_HEADER,
    LEVELS,
    DrainOutcome,
    DrainQuery,
    plan_rows,
    run_drain,
    run_resilience,
)
from aggregates.preview.loader import (
    FLAVOR_COLUMNS,
    HOST_COLUMNS,
    CloudInputs,
    flavor_spec,
    load_cloud,
    load_flavors,
    scheduler_config,
    scheduler_options,
)
from aggregates.preview.run import (
    GROUP_POLICIES,
    HINT_LISTS,
    PreviewOutcome,
    PreviewQuery,
    parse_hints,
    run_preview,
)
from aggregates.preview.servers import explain_failure, migration_targets

__all__ = [
    "ACTIONS",
    "CSV_HEADER",
    "CloudInputs",
    "DrainOutcome",
    "DrainQuery",
    "FLAVOR_COLUMNS",
    "FlavorSlots",
    "GROUP_POLICIES",
    "HINT_LISTS",
    "HOST_COLUMNS",
    "LEVELS",
    "MATRIX_FLAVORS",
    "FLAVOR_SIZES",
    "MAX_CHANGES",
    "PreviewOutcome",
    "PreviewQuery",
    "SlotsMatrix",
    "SlotsRow",
    "apply_in_memory",
    "describe_change",
    "explain_failure",
    "flavor_slots",
    "flavor_spec",
    "load_cloud",
    "load_flavors",
    "migration_targets",
    "parse_hints",
    "plan_rows",
    "run_drain",
    "run_preview",
    "run_resilience",
    "scheduler_config",
    "scheduler_options",
    "slots_matrix",
    "validate_changes",
]
