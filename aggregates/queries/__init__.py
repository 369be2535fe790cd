"""The read side (selectors): what pages and the API list, zones, page cache; re-exported here."""

from aggregates.queries.aggregates import (
    aggregate_choices,
    aggregates_for_table,
    flavors_for,
    with_host_names,
)
from aggregates.queries.cache import CACHE_SECONDS, cached_for_version, cloud_version
from aggregates.queries.clouds import (
    CloudSummary,
    capacity_summary,
    cloud_summary,
    clouds_for,
    clouds_for_table,
)
from aggregates.queries.deletes import (
    DeleteSummary,
    cloud_delete_summary,
    flavor_delete_summary,
    host_delete_summary,
)
from aggregates.queries.hosts import (
    count_instances,
    host_names,
    hosts_for_table,
    server_groups_for_table,
    servers_for_table,
    servers_on_host,
)
from aggregates.queries.planning import (
    ResilienceState,
    claim_resilience,
    fail_resilience,
    forget_resilience,
    is_current_run,
    resilience_state,
    save_part_answer,
    save_part_progress,
    save_resilience,
)
from aggregates.queries.sync import (
    clouds_due_for_sync,
    held_removals,
    latest_sync_run,
    sync_runs_for,
)
from aggregates.queries.zones import (
    INTERNAL_ZONE,
    ZoneSummary,
    availability_zones,
    zone_names,
    zone_of,
    zones_of_host,
)

__all__ = [
    "CACHE_SECONDS",
    "CloudSummary",
    "DeleteSummary",
    "cloud_delete_summary",
    "flavor_delete_summary",
    "host_delete_summary",
    "INTERNAL_ZONE",
    "ZoneSummary",
    "aggregate_choices",
    "aggregates_for_table",
    "availability_zones",
    "ResilienceState",
    "cached_for_version",
    "claim_resilience",
    "fail_resilience",
    "forget_resilience",
    "is_current_run",
    "capacity_summary",
    "cloud_summary",
    "cloud_version",
    "resilience_state",
    "save_part_answer",
    "save_part_progress",
    "save_resilience",
    "clouds_due_for_sync",
    "clouds_for",
    "clouds_for_table",
    "count_instances",
    "flavors_for",
    "host_names",
    "hosts_for_table",
    "held_removals",
    "latest_sync_run",
    "server_groups_for_table",
    "servers_for_table",
    "servers_on_host",
    "sync_runs_for",
    "with_host_names",
    "zone_names",
    "zone_of",
    "zones_of_host",
]
