"""Facts computed once per preview: host-to-aggregate classes, metadata unions, the request."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .config import SchedulerConfig
from .image_props import image_meta_props
from .resources import ResourceRequest, build_resource_request
from .results import StepResult
from .state import AggregateState, HostState, RequestSpec, zone_of_aggregates
from .table import HostTable, host_table
from .zones import ZoneSteps

# A step's verdicts: one shared result for every host, or one per host (input order).
Column = StepResult | list[StepResult]


class CodedColumn(list):
    """Per-host results drawn from a small table: a real list that also keeps the distinct
    results and each host's code (a numpy int array), so the engine combines steps column-wise.
    """

    __slots__ = ("distinct", "codes")

    def __init__(self, table: Sequence[StepResult], codes: np.ndarray) -> None:
        # The same result may sit in the table more than once (one per class): code it once.
        self.distinct = list(dict.fromkeys(table))
        position = {result: code for code, result in enumerate(self.distinct)}
        remap = np.asarray([position[result] for result in table], dtype=np.int64)
        self.codes = remap[codes]
        results = np.empty(len(self.distinct), dtype=object)
        results[:] = self.distinct
        super().__init__(results[self.codes].tolist())


@dataclass(slots=True, frozen=True)
class Destination:
    """Where the request is pinned: admin "az:host[:node]" (forced) or the 2.74 host fields."""

    host: str | None
    node: str | None
    forced: bool


class PreviewContext:
    """Everything the steps share. Hosts with the same aggregates form one *class*.

    Metadata-based verdicts are computed once per class and looked up per host.
    """

    def __init__(
        self,
        hosts: Sequence[HostState],
        aggregates: Sequence[AggregateState],
        request: RequestSpec,
        config: SchedulerConfig,
        *,
        table: HostTable | None = None,
    ) -> None:
        self.hosts = hosts
        self.aggregates = aggregates
        self.request = request
        self.config = config
        self.n = len(hosts)
        # The cached table of these hosts, unless the caller has the very table (a subset).
        self.table = host_table(hosts, aggregates) if table is None else table
        self.names = self.table.names
        self.warnings: list[str] = []
        self.errors: list[str] = []
        self.extra_specs: dict[str, str] = dict(request.flavor.extra_specs or {})
        self.image_props, notes = image_meta_props(request.image_properties)
        self.warnings.extend(notes)
        self.resource_request: ResourceRequest = build_resource_request(
            request.flavor, self.image_props, request.is_bfv
        )
        self.warnings.extend(self.resource_request.notes)
        self.zone, self.destination = self._parse_zone(request)
        self.zone_steps: ZoneSteps | None = None  # set by the engine once the context is built
        self.required_root_traits: dict[str, str] = {}  # trait -> pre-filter that added it
        self.host_class, self.classes = self.table.host_class, self.table.classes
        self.aggregate_zones = self.table.aggregate_zones
        self.metadata_keys = self.table.metadata_keys
        self._metadata_cache: dict[int, dict[str, set[str]]] = {}
        self.service_codes = self.table.service_codes
        self.disabled_reasons = self.table.disabled_reasons
        # Per-host caps on further instances that enabled filters imply (NumInstances...).
        self.slot_limits: list[list[int | None]] = []
        self.weighed: object = None  # the weighers' candidate indices (a numpy array)

    def _parse_zone(self, request: RequestSpec) -> tuple[str | None, Destination | None]:
        zone = request.availability_zone
        if zone is None:
            zone = self.config.default_schedule_zone
        destination = None
        if zone and ":" in zone:
            # nova-scheduling.md §1 step 5: "az:host[:node]" / "az::node" forces the destination.
            parts = zone.split(":")
            zone = parts[0] or None
            host = parts[1] if len(parts) > 1 and parts[1] else None
            node = parts[2] if len(parts) > 2 and parts[2] else None
            destination = Destination(host=host, node=node, forced=True)
        elif request.requested_host or request.requested_hypervisor_hostname:
            destination = Destination(
                host=request.requested_host,
                node=request.requested_hypervisor_hostname,
                forced=False,
            )
        return zone, destination

    def column(self, attribute: str) -> list[object]:
        """`attribute` of every host, read once per cloud (a shared list: do not modify it)."""
        return self.table.column(attribute)

    def any_set(self, attribute: str) -> bool:
        """Whether some host has `attribute` other than None."""
        return self.table.none_count(attribute) != self.n

    def class_aggregates(self, class_id: int) -> list[AggregateState]:
        return [self.aggregates[index] for index in self.classes[class_id]]

    def class_metadata(self, class_id: int) -> dict[str, set[str]]:
        """aggregate_metadata_get_by_host: union over the aggregates, values comma-split."""
        cached = self._metadata_cache.get(class_id)
        if cached is not None:
            return cached
        metadata: dict[str, set[str]] = {}
        for aggregate in self.class_aggregates(class_id):
            for key, value in (aggregate.metadata or {}).items():
                metadata.setdefault(key, set()).update(part.strip() for part in value.split(","))
        self._metadata_cache[class_id] = metadata
        return metadata

    def class_values(self, class_id: int, key: str) -> list[tuple[str, str]]:
        """aggregate_values_from_key, keeping which aggregate gave each (whole) value."""
        return self.table.class_values(class_id, key)

    def class_zone(self, class_id: int) -> str:
        """The availability zone of the hosts of a class (§2.2)."""
        zones = self.aggregate_zones
        found = [zones[index] for index in self.classes[class_id] if zones[index] is not None]
        return zone_of_aggregates(found, self.config)  # type: ignore[arg-type]

    def class_names(self, class_id: int) -> str:
        names = [aggregate.name for aggregate in self.class_aggregates(class_id)]
        return ", ".join(names) if names else "no aggregate"

    def per_class(self, verdict: Callable[[int], StepResult]) -> Column:
        """Evaluate `verdict` once per class of hosts and spread it over the hosts."""
        table = self.table
        ids = table.class_ids  # every class, or a subset table's own (coded by position)
        results = [verdict(class_id) for class_id in ids]
        if isinstance(ids, range):
            used: Iterable[int] = set(self.host_class) if len(results) > 1 else {0}
        else:
            used = range(len(results))
        first = results[next(iter(used))] if used else results[0]
        if all(results[code] is first for code in used):
            return first
        return CodedColumn(results, table.class_codes)
