"""Facts computed once per preview: host-to-aggregate classes, metadata unions, the request."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import attrgetter, ne

from .config import SchedulerConfig
from .image_props import image_meta_props
from .resources import ResourceRequest, build_resource_request
from .results import StepResult
from .state import AggregateState, HostState, RequestSpec, zone_of_aggregates
from .zones import ZoneSteps

# A step's verdicts: one shared result for every host, or one per host (input order).
Column = StepResult | list[StepResult]


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
    ) -> None:
        self.hosts = hosts
        self.aggregates = aggregates
        self.request = request
        self.config = config
        self.n = len(hosts)
        self.names = [host.name for host in hosts]
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
        self.host_class, self.classes = self._classify()
        self.aggregate_zones = [aggregate.availability_zone for aggregate in aggregates]
        self.metadata_keys = {key for aggregate in aggregates for key in aggregate.metadata or {}}
        self._metadata_cache: dict[int, dict[str, set[str]]] = {}
        self._service_codes: list[int] | None = None
        self.disabled_reasons: dict[str | None, int] = {}
        # Per-host caps on further instances that enabled filters imply (NumInstances...).
        self.slot_limits: list[list[int | None]] = []

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

    def _classify(self) -> tuple[list[int], list[tuple[int, ...]]]:
        # Partition refinement: each aggregate splits the classes of its hosts. The per-host
        # work is C-level map/zip calls; Python only loops over the classes an aggregate meets.
        classes: list[tuple[int, ...]] = [()]
        class_of: dict[str, int] = {}
        get = class_of.get
        for index, aggregate in enumerate(self.aggregates):
            members = aggregate.hosts
            if not members:
                continue
            old = list(map(get, members, repeat(0)))
            new_of: dict[int, int] = {}
            for before in set(old):
                new_of[before] = len(classes)
                classes.append(classes[before] + (index,))
            if len(new_of) == 1:
                class_of.update(dict.fromkeys(members, len(classes) - 1))
            else:
                class_of.update(zip(members, map(new_of.__getitem__, old), strict=True))
        return list(map(get, self.names, repeat(0))), classes

    def column(self, attribute: str) -> list[object]:
        """`attribute` of every host, read at C speed."""
        return list(map(attrgetter(attribute), self.hosts))

    def any_set(self, attribute: str) -> bool:
        """Whether some host has `attribute` other than None."""
        values = self.column(attribute)
        return values.count(None) != len(values)

    @property
    def service_codes(self) -> list[int]:
        """Per host: 0 enabled and up, 1 forced down, 2 down, 3+k disabled (reason k)."""
        codes = self._service_codes
        if codes is None:
            codes = [0] * self.n
            # Most hosts are enabled and up: one C-level pass finds the others.
            service = attrgetter("status", "state", "forced_down")
            normal = ("enabled", "up", False)
            reasons = self.disabled_reasons
            hosts = self.hosts
            for index in compress(range(self.n), map(ne, map(service, hosts), repeat(normal))):
                host = hosts[index]
                if host.status == "disabled":
                    reason = host.disabled_reason
                    code = reasons.get(reason)
                    if code is None:
                        code = reasons[reason] = 3 + len(reasons)
                    codes[index] = code
                elif host.forced_down:
                    codes[index] = 1
                elif host.state != "up":
                    codes[index] = 2
            self._service_codes = codes
        return codes

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
        return [
            (aggregate.name, (aggregate.metadata or {})[key])
            for aggregate in self.class_aggregates(class_id)
            if key in (aggregate.metadata or {})
        ]

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
        results = [verdict(class_id) for class_id in range(len(self.classes))]
        used = set(self.host_class) if len(results) > 1 else {0}
        first = results[next(iter(used))] if used else results[0]
        if all(results[class_id] is first for class_id in used):
            return first
        return list(map(results.__getitem__, self.host_class))
