"""Servers placed one after another on one cloud, each placement consuming its host.

Capacity planning asks the scheduler thousands of times in a row about a cloud that changes by
one host per answer. `Placer` keeps the cloud's host table and patches the one host a placement
changes (HostTable.with_host) instead of building the table again for every question.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Sequence

from .config import DEFAULT_CONFIG, SchedulerConfig
from .engine import preview
from .resources import DISK_GB, MEMORY_MB, VCPU, build_resource_request
from .results import PreviewResult
from .state import HOST_DISABLED, AggregateState, FlavorSpec, HostState, RequestSpec
from .table import host_table, remember


class Placer:
    """A cloud to place servers on in sequence: `preview` a request, `consume` its placement."""

    def __init__(
        self,
        hosts: Sequence[HostState],
        aggregates: Sequence[AggregateState],
        config: SchedulerConfig = DEFAULT_CONFIG,
    ) -> None:
        self.config = config
        self._table = host_table(tuple(hosts), tuple(aggregates))
        self.aggregates = self._table.aggregates
        self._position = {host.name: index for index, host in enumerate(self._table.hosts)}

    @property
    def hosts(self) -> tuple[HostState, ...]:
        """The hosts as they stand after the placements so far (input order)."""
        return self._table.hosts

    def preview(self, request: RequestSpec) -> PreviewResult:
        """The engine's answer for `request` on the cloud as it stands now."""
        remember(self._table)  # other previews may have pushed it out of the cache
        return preview(self._table.hosts, self.aggregates, request, self.config)

    def disable(self, names: Iterable[str], reason: str) -> None:
        """Disable the nova-compute service of the hosts called `names` (in memory)."""
        wanted = set(names)
        self._table = self._table.with_hosts(
            {
                index: dataclasses.replace(host, status=HOST_DISABLED, disabled_reason=reason)
                for index, host in enumerate(self._table.hosts)
                if host.name in wanted
            }
        )

    def consume(
        self, host: str, flavor: FlavorSpec, project_id: str = "", uuid: str = ""
    ) -> HostState:
        """Allocate `flavor` on `host` as Placement would for the placed server; the new state."""
        index = self._position[host]
        placed = consume(self._table.hosts[index], flavor, project_id, uuid)
        self._table = self._table.with_host(index, placed)
        return placed


def consume(host: HostState, flavor: FlavorSpec, project_id: str, uuid: str) -> HostState:
    """The host after Placement allocated `flavor` there (as a boot or a migration would)."""
    amounts = dict(build_resource_request(flavor, {}, False).resources)
    vcpus = amounts.pop(VCPU, 0)
    ram = amounts.pop(MEMORY_MB, 0)
    disk = amounts.pop(DISK_GB, 0)
    # Any other class is in the host's inventories, or Placement would not have offered it.
    inventories = dict(host.inventories or {})
    for rc, amount in amounts.items():
        inventories[rc] = dataclasses.replace(inventories[rc], used=inventories[rc].used + amount)
    projects = Counter(host.instances_by_project or {})
    projects[project_id] += 1
    return dataclasses.replace(
        host,
        vcpus_used=host.vcpus_used + vcpus,
        memory_mb_used=host.memory_mb_used + ram,
        local_gb_used=host.local_gb_used + disk,
        inventories=inventories if host.inventories is not None else None,
        num_instances=host.num_instances + 1,
        instances_by_project=dict(projects),
        instance_uuids=host.instance_uuids | {uuid} if uuid else host.instance_uuids,
        free_ram_mb=None if host.free_ram_mb is None else host.free_ram_mb - ram,
        free_disk_gb=None if host.free_disk_gb is None else host.free_disk_gb - disk,
    )
