"""Where each host sits on the preview's map: its zone and the aggregates it is in.

That depends on the cloud, not on the request, so it is made once per host table (hosts with the
same aggregates share a class, so once per class) and kept with the table: a preview, a host's
explanation or an API page of hosts only looks it up.
"""

from dataclasses import dataclass

import numpy as np

from aggregates.preview.loader import CloudInputs
from aggregates.scheduling.state import zone_of_aggregates
from aggregates.scheduling.table import HostTable, host_table

NO_AGGREGATE = "in no aggregate"


@dataclass(frozen=True, slots=True)
class MapLayout:
    """Hosts grouped by zone, then by the aggregates they are in (both sorted by name)."""

    order: np.ndarray  # host positions in map order
    names: list[str]  # host names in map order
    zones: list[str]  # names of the zones that have hosts, sorted
    groups: list[tuple[int, str, int]]  # (zone index, aggregates label, hosts), in map order
    host_zone: np.ndarray  # per host position: index into `zones`
    host_class: list[int]  # per host position: its aggregate class
    class_aggregates: dict[int, list[str]]  # per aggregate class: its aggregates' names, sorted

    def zone_of(self, position: int) -> str:
        return self.zones[self.host_zone[position]]

    def aggregates_of(self, position: int) -> list[str]:
        return self.class_aggregates[self.host_class[position]]


def map_layout(inputs: CloudInputs) -> tuple[HostTable, MapLayout]:
    """The cloud's host table and its map layout (made once per table and default zone)."""
    table = host_table(inputs.hosts, inputs.aggregates)
    default_zone = inputs.config.default_availability_zone
    layout = table.cached(("map layout", default_zone), lambda: _layout(table, inputs.config))
    return table, layout


def _layout(table: HostTable, config) -> MapLayout:
    aggregates = table.aggregates
    used = np.unique(table.class_array).tolist()  # refinement leaves some classes empty
    names_of = {c: sorted(aggregates[a].name for a in table.classes[c]) for c in used}
    zone_of = {
        c: zone_of_aggregates(
            [
                aggregates[a].availability_zone
                for a in table.classes[c]
                if aggregates[a].availability_zone is not None
            ],
            config,
        )
        for c in used
    }
    key_of = {c: (zone_of[c], ", ".join(names_of[c]) or NO_AGGREGATE) for c in used}
    keys = sorted(set(key_of.values()))
    zones = sorted({zone for zone, _ in keys})
    zone_index = {zone: position for position, zone in enumerate(zones)}
    rank = {key: position for position, key in enumerate(keys)}
    class_rank = np.zeros(len(table.classes), dtype=np.intp)
    class_zone = np.zeros(len(table.classes), dtype=np.intp)
    for c in used:
        class_rank[c] = rank[key_of[c]]
        class_zone[c] = zone_index[zone_of[c]]
    host_rank = class_rank[table.class_array]
    order = np.argsort(host_rank, kind="stable")  # input (name) order within a group
    counts = np.bincount(host_rank, minlength=len(keys)).tolist()
    names = table.names
    return MapLayout(
        order=order,
        names=[names[position] for position in order.tolist()],
        zones=zones,
        groups=[
            (zone_index[zone], label, count)
            for (zone, label), count in zip(keys, counts, strict=True)
        ],
        host_zone=class_zone[table.class_array],
        host_class=table.host_class,
        class_aggregates=names_of,
    )
