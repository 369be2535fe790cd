"""The simulator's cloud: hosts, aggregates, flavors, services and servers, with Nova's rules.

Operations raise `NovaFault` with Nova 34's status and message (nova/compute/api.py AggregateAPI,
nova/api/openstack/compute/*.py), so the write path sees the same refusals as against real Nova.
"""

from __future__ import annotations

import threading
import uuid as uuid_mod
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cached_property

DEFAULT_PROJECT = "6f70656e737461636b20342065766572"


class NovaFault(Exception):
    NAMES = {
        400: "badRequest",
        403: "forbidden",
        404: "itemNotFound",
        406: "computeFault",
        409: "conflictingRequest",
        500: "computeFault",
    }

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message

    def body(self) -> dict:
        name = self.NAMES.get(self.status, "computeFault")
        return {name: {"code": self.status, "message": self.message}}


def _now() -> str:
    return datetime.now(UTC).replace(tzinfo=None).isoformat()


def _nova_time() -> str:
    """Now as Nova writes a server's `created`: UTC to the second, with a Z."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _uuid(seed: str) -> str:
    return str(uuid_mod.uuid5(uuid_mod.NAMESPACE_URL, f"stackboard-simulator:{seed}"))


@dataclass
class SimHost:
    name: str
    vcpus: int
    memory_mb: int
    local_gb: int
    int_id: int
    reserved_vcpus: int = 0
    reserved_memory_mb: int = 512  # reserved_host_memory_mb, Nova's default
    reserved_local_gb: int = 0
    cpu_allocation_ratio: float = 4.0
    ram_allocation_ratio: float = 1.0
    disk_allocation_ratio: float = 1.0
    disabled: bool = False
    disabled_reason: str | None = None
    forced_down: bool = False
    state: str = "up"
    hypervisor_type: str = "fake"
    # Placement's resource provider generation: set to 1 by the first inventory, then bumped by
    # every inventory write and every allocation write that names this provider.
    generation: int = 1

    @cached_property
    def uuid(self) -> str:
        return _uuid(f"node:{self.name}")

    @cached_property
    def service_uuid(self) -> str:
        return _uuid(f"service:{self.name}")


@dataclass
class SimAggregate:
    id: int
    name: str
    hosts: list[str] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    created_at: str = field(default_factory=_now)
    updated_at: str | None = None

    @property
    def uuid(self) -> str:
        return _uuid(f"aggregate:{self.id}")

    @property
    def availability_zone(self) -> str | None:
        return self.metadata.get("availability_zone")


@dataclass
class SimFlavor:
    id: str
    name: str
    vcpus: int
    ram: int
    disk: int
    ephemeral: int = 0
    swap: int = 0
    rxtx_factor: float = 1.0
    is_public: bool = True
    disabled: bool = False
    description: str | None = None
    extra_specs: dict[str, str] = field(default_factory=dict)
    access: list[str] = field(default_factory=list)
    db_id: int = 0  # Nova's internal row id, which some of its messages show


@dataclass
class SimServer:
    id: str
    name: str
    host: str | None
    flavor: SimFlavor
    project_id: str = DEFAULT_PROJECT
    status: str = "ACTIVE"
    availability_zone: str | None = None
    requested_zone: str | None = None  # pinned at boot when the request named a zone
    fault: dict | None = None  # Nova's {code, created, message} on an ERROR server
    created: str = field(default_factory=_nova_time)


@dataclass
class SimServerGroup:
    id: str
    name: str
    policy: str
    max_server_per_host: int | None = None
    project_id: str = DEFAULT_PROJECT
    members: list[str] = field(default_factory=list)


class CloudState:
    """A stateful fake cloud; every method holds one lock, as Nova's DB transactions would."""

    INTERNAL_SERVICES = (("nova-conductor", "conductor", 1), ("nova-scheduler", "scheduler", 2))

    def __init__(self, *, default_zone: str = "nova"):
        self.lock = threading.RLock()
        self.default_zone = default_zone
        self.hosts: dict[str, SimHost] = {}
        self.aggregates: dict[int, SimAggregate] = {}
        self.flavors: dict[str, SimFlavor] = {}
        self.servers: dict[str, SimServer] = {}
        self.server_groups: dict[str, SimServerGroup] = {}
        self._servers_on: dict[str, list[SimServer]] = {}  # by host; servers come via add_server
        self._evacuated_from: dict[str, list[SimServer]] = {}  # allocations left on the source
        self._provider_hosts: dict[str, str] = {}  # provider uuid -> host name
        self._next_aggregate_id = 1
        self._flavor_rows = 0

    # -- seeding (tests, demo, bench) ------------------------------------------------------------

    def add_host(self, name: str, vcpus: int, memory_mb: int, local_gb: int, **extra) -> SimHost:
        with self.lock:
            host = SimHost(name, vcpus, memory_mb, local_gb, int_id=len(self.hosts) + 1, **extra)
            self.hosts[name] = host
            return host

    def add_server(
        self, name: str, host: str, flavor_id: str, *, project_id: str = DEFAULT_PROJECT
    ) -> SimServer:
        with self.lock:
            server = SimServer(
                id=_uuid(f"server:{name}:{len(self.servers)}"),
                name=name,
                host=host,
                # Nova embeds a copy of the flavor in the instance: later edits leave it be.
                flavor=replace(
                    self.flavors[flavor_id], extra_specs=dict(self.flavors[flavor_id].extra_specs)
                ),
                project_id=project_id,
                availability_zone=self.zone_of_host(host),
            )
            self.servers[server.id] = server
            self._servers_on.setdefault(host, []).append(server)
            if host in self.hosts:  # Placement: the allocation write bumps the provider
                self.hosts[host].generation += 1
            return server

    def create_server_group(
        self,
        name: str,
        policy: str,
        *,
        members: list[str] = (),
        max_server_per_host: int | None = None,
        project_id: str = DEFAULT_PROJECT,
    ) -> SimServerGroup:
        """A group holding `members` (server ids), as boots with the group hint leave it."""
        with self.lock:
            group = SimServerGroup(
                id=_uuid(f"server-group:{name}:{len(self.server_groups)}"),
                name=name,
                policy=policy,
                max_server_per_host=max_server_per_host,
                project_id=project_id,
                members=list(members),
            )
            self.server_groups[group.id] = group
            return group

    def delete_server(self, server_id: str, *, bumps_generation: bool = True) -> None:
        """Delete a server and its allocations. Nova's own delete (PUT of empty allocations, 1.28+)
        bumps the provider's generation; DELETE /allocations/{consumer} (an operator's
        `resource provider allocation delete`, nova-manage) frees the usage but bumps nothing."""
        with self.lock:
            server = self.servers.pop(server_id)
            if server.host:
                self._servers_on[server.host].remove(server)
                if bumps_generation and server.host in self.hosts:
                    self.hosts[server.host].generation += 1

    def evacuate_server(self, server_id: str, to_host: str) -> None:
        """Nova's evacuate: the server is rebuilt on `to_host`; its allocation stays on the source
        too until the source's compute service cleans up (clean_up_evacuation)."""
        with self.lock:
            server = self.servers[server_id]
            source = server.host
            self._servers_on[source].remove(server)
            self._evacuated_from.setdefault(source, []).append(server)
            server.host = to_host
            self._servers_on.setdefault(to_host, []).append(server)
            for host in (source, to_host):
                self.hosts[host].generation += 1

    def clean_up_evacuation(self, server_id: str) -> None:
        """The source's compute service back: it PUTs the server's allocations without the
        source's share, and Placement bumps only the providers that PUT names (the destination)."""
        with self.lock:
            server = self.servers[server_id]
            for evacuated in self._evacuated_from.values():
                if server in evacuated:
                    evacuated.remove(server)
            self.hosts[server.host].generation += 1

    def set_inventory(self, host: str, **fields) -> SimHost:
        """Change totals, reserved amounts or allocation ratios (SimHost field names), as the
        compute service's inventory PUT does: the provider's generation is bumped."""
        with self.lock:
            node = self.hosts[host]
            for name, value in fields.items():
                setattr(node, name, value)
            node.generation += 1
            return node

    def add_default_flavors(self) -> None:
        """Nova's DefaultFlavorsFixture (what the harness starts with)."""
        for fid, name, ram, vcpus, disk in (
            ("1", "m1.tiny", 512, 1, 1),
            ("2", "m1.small", 2048, 1, 20),
            ("3", "m1.medium", 4096, 2, 40),
            ("4", "m1.large", 8192, 4, 80),
            ("5", "m1.xlarge", 16384, 8, 160),
        ):
            self._store_flavor(SimFlavor(fid, name, vcpus, ram, disk))
        self._store_flavor(
            SimFlavor("6", "m1.tiny.specs", 1, 512, 1, extra_specs={"hw:numa_nodes": "1"})
        )

    def _store_flavor(self, flavor: SimFlavor) -> SimFlavor:
        self._flavor_rows += 1
        flavor.db_id = self._flavor_rows
        self.flavors[flavor.id] = flavor
        return flavor

    # -- derived ---------------------------------------------------------------------------------

    def servers_on(self, host: str) -> list[SimServer]:
        return self._servers_on.get(host, [])

    def usage(self, host: str) -> dict[str, int]:
        """Placement usages: the sum of allocations, never counting reserved amounts."""
        used = {"VCPU": 0, "MEMORY_MB": 0, "DISK_GB": 0}
        for server in [*self.servers_on(host), *self._evacuated_from.get(host, ())]:
            used["VCPU"] += server.flavor.vcpus
            used["MEMORY_MB"] += server.flavor.ram
            used["DISK_GB"] += server.flavor.disk + server.flavor.ephemeral
        return used

    def provider(self, uuid: str) -> SimHost | None:
        """The host whose compute node is resource provider `uuid`, in O(1); the index is rebuilt
        when it is stale (tests remove hosts from `hosts` directly)."""
        host = self.hosts.get(self._provider_hosts.get(uuid, ""))
        if host is None or host.uuid != uuid:
            self._provider_hosts = {h.uuid: h.name for h in self.hosts.values()}
            host = self.hosts.get(self._provider_hosts.get(uuid, ""))
        return host

    def zones_of_host(self, host: str) -> set[str]:
        return {
            agg.availability_zone
            for agg in self.aggregates.values()
            if host in agg.hosts and agg.availability_zone
        }

    def zone_of_host(self, host: str) -> str:
        zones = sorted(self.zones_of_host(host))
        return ",".join(zones) if zones else self.default_zone

    def zone_by_host(self) -> dict[str, str]:
        """Every host's zone in one pass over the aggregates (what os-services reports)."""
        zones: dict[str, set[str]] = {}
        for agg in self.aggregates.values():
            if agg.availability_zone:
                for host in agg.hosts:
                    zones.setdefault(host, set()).add(agg.availability_zone)
        return {
            name: ",".join(sorted(zones[name])) if name in zones else self.default_zone
            for name in self.hosts
        }

    def services(self) -> list[dict]:
        rows = [
            {
                "binary": binary,
                "host": host,
                "int_id": int_id,
                "uuid": _uuid(f"service:{host}"),
                "zone": "internal",
                "disabled": False,
                "disabled_reason": None,
                "forced_down": False,
                "state": "up",
            }
            for binary, host, int_id in self.INTERNAL_SERVICES
        ]
        zones = self.zone_by_host()
        for host in self.hosts.values():
            rows.append(
                {
                    "binary": "nova-compute",
                    "host": host.name,
                    "int_id": host.int_id + 2,
                    "uuid": host.service_uuid,
                    "zone": zones[host.name],
                    "disabled": host.disabled,
                    "disabled_reason": host.disabled_reason,
                    "forced_down": host.forced_down,
                    "state": "down" if host.forced_down else host.state,
                }
            )
        return rows

    # -- aggregates ------------------------------------------------------------------------------

    def aggregate(self, aggregate_id: str | int) -> SimAggregate:
        try:
            key = int(aggregate_id)
        except ValueError as exc:
            raise NovaFault(400, f"Invalid aggregate id {aggregate_id}") from exc
        if key not in self.aggregates:
            raise NovaFault(404, f"Aggregate {key} could not be found.")
        return self.aggregates[key]

    def _check_name(self, name, *, exclude: int | None = None) -> str:
        if not isinstance(name, str) or not name or len(name) > 255:
            raise NovaFault(400, "Invalid input for field/attribute name.")
        if any(a.name == name and a.id != exclude for a in self.aggregates.values()):
            raise NovaFault(409, f"Aggregate {name} already exists.")
        return name

    @staticmethod
    def _check_az_format(zone) -> None:
        if zone is not None and (
            not isinstance(zone, str) or not zone or ":" in zone or zone != zone.strip()
        ):
            raise NovaFault(400, "Invalid input for field/attribute availability_zone.")

    def _check_zone_change(self, agg: SimAggregate, zone, hosts: list[str], reason_prefix: str):
        if zone is None or zone == "":
            raise NovaFault(
                400,
                f"{reason_prefix} {agg.id}. Reason: Aggregate {agg.name} does not support empty "
                "named availability zone.",
            )
        conflicting = [
            other.availability_zone
            for other in self.aggregates.values()
            if other.id != agg.id
            and other.availability_zone
            and other.availability_zone != zone
            and set(other.hosts) & set(hosts)
        ]
        if conflicting:
            return f"One or more hosts already in availability zone(s) {conflicting}"
        if zone != agg.availability_zone and any(s.host in hosts for s in self.servers.values()):
            return "One or more hosts contain instances in this zone"
        return None

    def create_aggregate(self, name, availability_zone=None) -> SimAggregate:
        with self.lock:
            if isinstance(name, str) and name != name.strip():
                raise NovaFault(
                    400,
                    "An invalid 'name' value was provided. The name must be: printable "
                    "characters. Can not start or end with whitespace.",
                )
            self._check_name(name)
            self._check_az_format(availability_zone)
            agg = SimAggregate(id=self._next_aggregate_id, name=name)
            if availability_zone:
                agg.metadata["availability_zone"] = availability_zone
            self._next_aggregate_id += 1
            self.aggregates[agg.id] = agg
            return agg

    def update_aggregate(self, aggregate_id, body: dict) -> SimAggregate:
        with self.lock:
            agg = self.aggregate(aggregate_id)
            if not body or set(body) - {"name", "availability_zone"}:
                raise NovaFault(400, "Invalid input for field/attribute aggregate.")
            if "name" in body:
                self._check_name(body["name"], exclude=agg.id)
            if "availability_zone" in body:
                self._check_az_format(body["availability_zone"])
            if "name" in body:  # Nova saves the rename before checking the zone (§9.5)
                agg.name = body["name"].strip()
                agg.updated_at = _now()
            if "availability_zone" in body:
                zone = body["availability_zone"]
                reason = self._check_zone_change(agg, zone, agg.hosts, "Cannot update aggregate")
                if reason:
                    raise NovaFault(400, f"Cannot update aggregate {agg.id}. Reason: {reason}.")
                agg.metadata["availability_zone"] = zone
                agg.updated_at = _now()
            return agg

    def delete_aggregate(self, aggregate_id) -> None:
        with self.lock:
            agg = self.aggregate(aggregate_id)
            if agg.hosts:
                raise NovaFault(
                    400,
                    f"Cannot remove host from aggregate {agg.id}. "
                    "Reason: Host aggregate is not empty.",
                )
            del self.aggregates[agg.id]

    def add_host_to_aggregate(self, aggregate_id, host: str) -> SimAggregate:
        with self.lock:
            agg = self.aggregate(aggregate_id)
            if host not in self.hosts:
                raise NovaFault(404, f"Compute host {host} could not be found.")
            if agg.availability_zone:
                conflicting = [
                    other.availability_zone
                    for other in self.aggregates.values()
                    if other.id != agg.id
                    and host in other.hosts
                    and other.availability_zone
                    and other.availability_zone != agg.availability_zone
                ]
                if conflicting:
                    raise NovaFault(
                        409,
                        f"Cannot add host to aggregate {agg.id}. Reason: One or more hosts "
                        f"already in availability zone(s) {conflicting}.",
                    )
            if host in agg.hosts:
                raise NovaFault(409, f"Aggregate {agg.id} already has host {host}.")
            agg.hosts.append(host)
            agg.updated_at = _now()
            return agg

    def remove_host_from_aggregate(self, aggregate_id, host: str) -> SimAggregate:
        with self.lock:
            agg = self.aggregate(aggregate_id)
            if host not in agg.hosts:
                raise NovaFault(404, f"Cannot remove host {host} in aggregate {agg.id}")
            agg.hosts.remove(host)
            agg.updated_at = _now()
            return agg

    def set_aggregate_metadata(self, aggregate_id, metadata) -> SimAggregate:
        with self.lock:
            agg = self.aggregate(aggregate_id)
            if not isinstance(metadata, dict) or any(
                not isinstance(k, str) or not k or len(k) > 255 for k in metadata
            ):
                raise NovaFault(400, "Invalid input for field/attribute metadata.")
            if any(
                v is not None and (not isinstance(v, str) or len(v) > 255)
                for v in metadata.values()
            ):
                raise NovaFault(400, "Invalid input for field/attribute metadata.")
            if "availability_zone" in metadata:
                reason = self._check_zone_change(
                    agg,
                    metadata["availability_zone"],
                    agg.hosts,
                    "Cannot update metadata of aggregate",
                )
                if reason:
                    raise NovaFault(
                        400, f"Cannot update metadata of aggregate {agg.id}. Reason: {reason}."
                    )
            for key, value in metadata.items():  # merge; null deletes (§9.6)
                if value is None:
                    agg.metadata.pop(key, None)
                else:
                    agg.metadata[key] = value
            agg.updated_at = _now()
            return agg

    # -- flavors ---------------------------------------------------------------------------------

    def flavor(self, flavor_id: str) -> SimFlavor:
        if flavor_id not in self.flavors:
            raise NovaFault(404, f"Flavor {flavor_id} could not be found.")
        return self.flavors[flavor_id]

    def create_flavor(self, body: dict) -> SimFlavor:
        with self.lock:
            try:
                name = body["name"]
                ram, vcpus, disk = int(body["ram"]), int(body["vcpus"]), int(body["disk"])
            except (KeyError, TypeError, ValueError) as exc:
                raise NovaFault(400, f"Invalid input for field/attribute flavor: {exc}") from exc
            if not isinstance(name, str) or not name.strip() or ram < 1 or vcpus < 1 or disk < 0:
                raise NovaFault(400, "Invalid input for field/attribute flavor.")
            flavor_id = str(body.get("id") or uuid_mod.uuid4())
            if flavor_id in self.flavors:
                raise NovaFault(409, f"Flavor with ID {flavor_id} already exists.")
            if any(f.name == name for f in self.flavors.values()):
                raise NovaFault(409, f"Flavor with name {name} already exists.")
            flavor = SimFlavor(
                id=flavor_id,
                name=name,
                vcpus=vcpus,
                ram=ram,
                disk=disk,
                ephemeral=int(body.get("OS-FLV-EXT-DATA:ephemeral") or 0),
                swap=int(body.get("swap") or 0),
                rxtx_factor=float(body.get("rxtx_factor") or 1.0),
                is_public=bool(body.get("os-flavor-access:is_public", True)),
                description=body.get("description"),
            )
            return self._store_flavor(flavor)

    def delete_flavor(self, flavor_id: str) -> None:
        with self.lock:
            self.flavor(flavor_id)
            del self.flavors[flavor_id]

    def set_extra_specs(self, flavor_id: str, specs) -> dict[str, str]:
        with self.lock:
            flavor = self.flavor(flavor_id)
            if not isinstance(specs, dict) or not all(
                isinstance(k, str) and k and isinstance(v, str | int | float | bool)
                for k, v in specs.items()
            ):
                raise NovaFault(400, "Invalid input for field/attribute extra_specs.")
            specs = {k: str(v) for k, v in specs.items()}
            flavor.extra_specs.update(specs)
            return specs

    def delete_extra_spec(self, flavor_id: str, key: str) -> None:
        with self.lock:
            flavor = self.flavor(flavor_id)
            if key not in flavor.extra_specs:
                raise NovaFault(404, f"Flavor {flavor_id} has no extra specs with key {key}.")
            del flavor.extra_specs[key]

    def add_access(self, flavor_id: str, project_id: str) -> list[str]:
        with self.lock:
            flavor = self.flavor(flavor_id)
            if flavor.is_public:
                raise NovaFault(409, "Can not add access to a public flavor.")
            if project_id in flavor.access:
                raise NovaFault(
                    409,
                    f"Flavor access already exists for flavor {flavor_id} and project "
                    f"{project_id} combination.",
                )
            flavor.access.append(project_id)
            return flavor.access

    def remove_access(self, flavor_id: str, project_id: str) -> list[str]:
        with self.lock:
            flavor = self.flavor(flavor_id)
            if project_id not in flavor.access:
                raise NovaFault(
                    404,
                    f"Flavor access not found for {flavor.db_id} / {project_id} combination.",
                )
            flavor.access.remove(project_id)
            return flavor.access

    # -- services --------------------------------------------------------------------------------

    def update_service(self, service_uuid: str, body: dict) -> dict:
        with self.lock:
            try:
                uuid_mod.UUID(service_uuid)
            except ValueError as exc:
                raise NovaFault(400, f"Invalid uuid {service_uuid}") from exc
            matches = [s for s in self.services() if s["uuid"] == service_uuid]
            if not matches:
                raise NovaFault(404, f"Service {service_uuid} could not be found.")
            service = matches[0]
            if service["binary"] != "nova-compute":
                raise NovaFault(
                    400,
                    f"Updating a {service['binary']} service is not supported. Only "
                    "nova-compute services can be updated.",
                )
            host = self.hosts[service["host"]]
            status = body.get("status")
            if status not in ("enabled", "disabled") and "forced_down" not in body:
                raise NovaFault(
                    400,
                    "No updates were requested. Fields 'status' or 'forced_down' should be "
                    "specified.",
                )
            if status == "enabled":
                if body.get("disabled_reason"):
                    raise NovaFault(
                        400, "Specifying 'disabled_reason' with status 'enabled' is invalid."
                    )
                host.disabled, host.disabled_reason = False, None
            elif status == "disabled":
                host.disabled, host.disabled_reason = True, body.get("disabled_reason")
            if "forced_down" in body:
                host.forced_down = bool(body["forced_down"])
            return next(s for s in self.services() if s["uuid"] == service_uuid)
