"""Zones: a host is in at most one (nova-scheduling.md §2.3); a requested zone's two steps."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .context import PreviewContext


def conflicting_zones(zone: str | None, zones_of_host: Iterable[str]) -> list[str]:
    """The zones other than `zone` among a host's other AZ aggregates, in their order: a host
    joining (or an aggregate taking) zone `zone` conflicts when this is not empty."""
    if zone is None:
        return []
    return [other for other in zones_of_host if other != zone]


def zone_conflict_reason(conflicting: Sequence[str]) -> str:
    """Nova's words for the conflict (nova/compute/api.py, is_safe_to_update_az)."""
    return f"One or more hosts already in availability zone(s) {list(conflicting)}"


# Nova's words when the API refuses the requested zone (nova/compute/api.py).
ZONE_NOT_AVAILABLE = "The requested availability zone is not available"
ZONE_UNPARSABLE = "Invalid input received: Unable to parse availability_zone"


@dataclass(slots=True, frozen=True)
class ZoneSteps:
    """The requested zone's two separate steps in Nova 34.

    First the API check at boot (`API._validate_and_build_base_options`): the zone must be one
    of the zones of enabled services, else the boot is a 400 and nothing is scheduled. Then the
    `map_az_to_placement_aggregate` pre-filter, which confines only to aggregates whose
    availability_zone metadata equals the zone, and to nothing when none does.
    """

    requested: str
    api_passed: bool
    api_reason: str
    restricted_to: tuple[str, ...]

    @property
    def refusal(self) -> str | None:
        """The 400 Nova's API answers, None when the boot is accepted."""
        return None if self.api_passed else f"400: {self.api_reason}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "requested": self.requested,
            "api_check": {
                "passed": self.api_passed,
                "status": None if self.api_passed else 400,
                "message": self.api_reason,
            },
            "map_az_to_placement_aggregate": {
                "restricts": bool(self.restricted_to),
                "aggregates": list(self.restricted_to),
                "reason": (
                    f"hosts confined to aggregates {', '.join(self.restricted_to)}"
                    if self.restricted_to
                    else f"no aggregate has availability_zone={self.requested!r}: "
                    "no host is excluded by zone"
                ),
            },
        }


def zone_aggregates(ctx: PreviewContext) -> list[int]:
    """Positions of the aggregates whose availability_zone is the requested zone, whole value."""
    zone = ctx.zone
    return [i for i, found in enumerate(ctx.aggregate_zones) if zone and found == zone]


def zone_steps(ctx: PreviewContext) -> ZoneSteps | None:
    """Both zone steps of the request, None when no zone is requested (nor defaulted)."""
    raw = ctx.request.availability_zone or ""
    colons = raw.count(":")
    if colons > 2:
        # parse_availability_zone raises before anything else.
        return ZoneSteps(raw, False, ZONE_UNPARSABLE, ())
    zone = ctx.zone
    if not zone:
        return None
    restricted = tuple(ctx.aggregates[i].name for i in zone_aggregates(ctx))
    # "az:host" and "az:host:node" force a host: the API skips the check ("az::node" does not).
    if colons == 1 or (colons == 2 and "::" not in raw):
        return ZoneSteps(zone, True, "not checked: a host is forced", restricted)
    if _is_available(ctx, zone):
        return ZoneSteps(zone, True, f"{zone!r} is a zone of an enabled service", restricted)
    return ZoneSteps(zone, False, ZONE_NOT_AVAILABLE, restricted)


def _is_available(ctx: PreviewContext, zone: str) -> bool:
    # get_availability_zones(get_only_available=True): zones of enabled services, up or down;
    # the control services' internal zone is taken as available.
    if zone == ctx.config.internal_service_availability_zone:
        return True
    seen: set[int] = set()
    for class_id, code in zip(ctx.host_class, ctx.service_codes, strict=True):
        if code < 3 and class_id not in seen:  # codes 3+ are disabled services
            seen.add(class_id)
            if ctx.class_zone(class_id) == zone:
                return True
    return False


def zone_update_reason(
    aggregate_name: str,
    current: str | None,
    new: str | None,
    conflicting: Sequence[str],
    has_instances: bool,
) -> str | None:
    """Why Nova refuses setting an aggregate's zone to `new`, None when it accepts
    (nova/compute/api.py, is_safe_to_update_az with check_no_instances_in_az)."""
    if not new:
        return f"Aggregate {aggregate_name} does not support empty named availability zone"
    if conflicting:
        return zone_conflict_reason(conflicting)
    if new != current and has_instances:
        return "One or more hosts contain instances in this zone"
    return None


def instances_would_move_reason(
    old: str | None, new: str | None, instances: int, *, adding: bool
) -> str:
    """Nova's words when a host with instances would change zone by joining or leaving
    (ensure_no_instances_need_to_move_az_when_host_added / ..._removed)."""
    verb = "added to" if adding else "removed from"
    return (
        f"The host cannot be {verb} the aggregate as the availability zone of the host would "
        f"change from '{old}' to '{new}' but the host already has {instances} instance(s). "
        "Changing the AZ of an existing instance is not supported by this action. Move the "
        "instances away from this host then try again. If you need to move the instances "
        "between AZs then you can use shelve_offload and unshelve to achieve this."
    )
