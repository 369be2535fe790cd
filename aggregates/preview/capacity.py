"""Capacity in flavor slots: the placement engine's per-host slots, summed per zone and aggregate.

The engine's inputs come from the placement preview's loader, so the numbers are the preview's
own: a host that fails a filter takes no instance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aggregates.models import Cloud, Flavor
from aggregates.preview.loader import load_cloud
from aggregates.scheduling import RequestSpec, availability_zones, preview


@dataclass(slots=True, frozen=True)
class FlavorSlots:
    """Further instances of one flavor that fit: total, per zone, per aggregate, per host."""

    flavor: str
    total: int
    by_availability_zone: dict[str, int]
    by_aggregate: dict[str, int]
    by_host: dict[str, int]
    warnings: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {
            "flavor": self.flavor,
            "slots": {
                "total": self.total,
                "by_availability_zone": self.by_availability_zone,
                "by_aggregate": self.by_aggregate,
                "by_host": self.by_host,
            },
        }


def flavor_slots(cloud: Cloud, flavor: Flavor) -> FlavorSlots:
    """The preview's slots for `flavor` with no zone requested (a zone only narrows the hosts,
    it never changes a host's slots), summed per zone (Nova's zone of each host) and aggregate."""
    # The preview's own loader, so these numbers are the preview's numbers.
    inputs = load_cloud(cloud)
    hosts, aggregates, config = inputs.hosts, inputs.aggregates, inputs.config
    request = RequestSpec(flavor=inputs.flavors[flavor.flavor_id])
    result = preview(hosts, aggregates, request, config)
    by_host = {host.host: host.slots or 0 for host in result.hosts}
    by_zone = {
        zone.name: sum(by_host.get(name, 0) for name in zone.hosts)
        for zone in availability_zones(hosts, aggregates, config)
    }
    by_aggregate = {
        aggregate.name: sum(by_host.get(name, 0) for name in aggregate.hosts)
        for aggregate in sorted(aggregates, key=lambda a: a.name)
    }
    return FlavorSlots(
        flavor=flavor.flavor_id,
        total=sum(by_host.values()),
        by_availability_zone=dict(sorted(by_zone.items())),
        by_aggregate=by_aggregate,
        by_host=by_host,
        warnings=tuple(result.warnings),
    )


# One engine run per flavor: a cloud with hundreds shows its smallest ones, and says so.
MATRIX_FLAVORS = 40


@dataclass(slots=True, frozen=True)
class SlotsRow:
    flavor_id: str
    name: str
    total: int
    by_zone: tuple[int, ...]  # in SlotsMatrix.zones order


@dataclass(slots=True, frozen=True)
class SlotsMatrix:
    """Further instances of each flavor (smallest first) per availability zone."""

    zones: tuple[str, ...]
    rows: tuple[SlotsRow, ...]
    omitted: int  # flavors beyond MATRIX_FLAVORS


def slots_matrix(cloud: Cloud, flavors: Sequence[Flavor]) -> SlotsMatrix:
    """`flavor_slots` for the first MATRIX_FLAVORS of `flavors`, per zone, from one load."""
    inputs = load_cloud(cloud)
    hosts, aggregates, config = inputs.hosts, inputs.aggregates, inputs.config
    position = {host.name: index for index, host in enumerate(hosts)}
    zones = availability_zones(hosts, aggregates, config)
    members = [[position[name] for name in zone.hosts] for zone in zones]
    rows = []
    for flavor in flavors[:MATRIX_FLAVORS]:
        request = RequestSpec(flavor=inputs.flavors[flavor.flavor_id])
        counts = preview(hosts, aggregates, request, config).hosts.slot_counts()
        rows.append(
            SlotsRow(
                flavor_id=flavor.flavor_id,
                name=flavor.name,
                total=sum(counts),
                by_zone=tuple(sum(counts[index] for index in zone) for zone in members),
            )
        )
    return SlotsMatrix(
        zones=tuple(zone.name for zone in zones),
        rows=tuple(rows),
        omitted=max(0, len(flavors) - MATRIX_FLAVORS),
    )
