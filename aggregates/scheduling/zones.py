"""Nova's rule that a host is in at most one availability zone (nova-scheduling.md §2.3)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def conflicting_zones(zone: str | None, zones_of_host: Iterable[str]) -> list[str]:
    """The zones other than `zone` among a host's other AZ aggregates, in their order: a host
    joining (or an aggregate taking) zone `zone` conflicts when this is not empty."""
    if zone is None:
        return []
    return [other for other in zones_of_host if other != zone]


def zone_conflict_reason(conflicting: Sequence[str]) -> str:
    """Nova's words for the conflict (nova/compute/api.py, is_safe_to_update_az)."""
    return f"One or more hosts already in availability zone(s) {list(conflicting)}"
