"""Every write of resource segregation, with the rules Nova enforces, in Nova's words.

Each service runs in one transaction and writes an audit entry. For a *connected* cloud the compute
API decides first: the service calls `aggregates/sync/compute.py` (`compute.<operation>(cloud, …)`,
which raises a DomainError carrying Nova's status and message) and only then mirrors the accepted
change locally, skipping the local rule checks. Local clouds are checked here. The checks of
request shapes are in `validation` and `extra_specs`; the services are re-exported here.
"""

from aggregates.services.aggregates import (
    add_host_to_aggregate,
    create_aggregate,
    delete_aggregate,
    remove_host_from_aggregate,
    set_aggregate_metadata,
    update_aggregate,
)
from aggregates.services.changes import apply_changes
from aggregates.services.clouds import (
    create_cloud,
    delete_cloud,
    set_scheduler_config,
    update_cloud,
)
from aggregates.services.flavors import (
    add_flavor_access,
    create_flavor,
    delete_flavor,
    delete_flavor_extra_spec,
    remove_flavor_access,
    set_flavor_extra_specs,
    update_flavor,
)
from aggregates.services.hosts import (
    HOST_OPTIONAL_INTEGERS,
    HOST_RATIOS,
    create_host,
    create_server,
    delete_host,
    find_host,
    set_host_status,
    update_host,
)
from aggregates.services.planning import request_resilience
from aggregates.services.server_groups import create_server_group, delete_server_group
from aggregates.services.sync import (
    MAX_INTERVAL_MINUTES,
    confirm_held_removals,
    request_sync,
    set_sync_interval,
)

__all__ = [
    "HOST_OPTIONAL_INTEGERS",
    "HOST_RATIOS",
    "MAX_INTERVAL_MINUTES",
    "add_flavor_access",
    "add_host_to_aggregate",
    "apply_changes",
    "create_aggregate",
    "create_cloud",
    "create_flavor",
    "create_host",
    "create_server",
    "create_server_group",
    "delete_server_group",
    "delete_aggregate",
    "delete_cloud",
    "delete_flavor",
    "delete_flavor_extra_spec",
    "delete_host",
    "find_host",
    "remove_flavor_access",
    "remove_host_from_aggregate",
    "request_resilience",
    "confirm_held_removals",
    "request_sync",
    "set_aggregate_metadata",
    "set_flavor_extra_specs",
    "set_host_status",
    "set_scheduler_config",
    "set_sync_interval",
    "update_aggregate",
    "update_cloud",
    "update_flavor",
    "update_host",
]
