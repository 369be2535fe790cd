"""The compute API client: the only code talking to Nova and Placement; replies become dataclasses.

A connected cloud names a `clouds.yaml` entry (found as openstacksdk finds it:
OS_CLIENT_CONFIG_FILE, the current folder, ~/.config/openstack/, /etc/openstack/). Any auth type
openstacksdk supports works, including `admin_token` with endpoint overrides.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests
import urllib3
from keystoneauth1 import adapter as ks_adapter
from keystoneauth1 import exceptions as ks_exceptions
from openstack import exceptions as sdk_exceptions
from openstack.config import loader

from aggregates.sync.errors import (
    ComputeApiError,
    ComputeConfigError,
    ComputeUnavailable,
    InvalidReply,
)
from aggregates.sync.remote import (
    HostDefaults,
    KnownProvider,
    PlacementFigures,
    Reader,
    RemoteAggregate,
    RemoteFlavor,
    RemoteHost,
    RemoteServer,
    RemoteServerGroup,
    RemoteService,
    RemoteZone,
    Snapshot,
    fault_message,
    format_version,
    hypervisor_identity,
    next_marker,
    parse_version,
    remote_aggregate,
    remote_flavor,
    remote_server_group,
    string_map,
)

logger = logging.getLogger(__name__)


# 2.53: hypervisor ids are the Placement provider uuids and services are addressed by uuid.
# 2.101: the last version whose flavors still report `OS-FLV-DISABLED:disabled` and `rxtx_factor`.
CLIENT_MIN_MICROVERSION = (2, 53)


CLIENT_MAX_MICROVERSION = (2, 101)


PLACEMENT_LAYOUT_FROM = (2, 88)  # hypervisors no longer report capacity or usage
# The hypervisors are listed at most at this version: from 2.88 the listing drops the compute
# node's own figures, and disk_available_least (which the scheduler weighs) is in no other reply.
HYPERVISOR_FIGURES_UNTIL = (2, 87)


PLACEMENT_MICROVERSION = "1.14"


PAGE_LIMIT = 1000  # Nova's [api] max_limit default


DEFAULT_TIMEOUT = 30.0  # seconds per request; keystoneauth has none by default


DEFAULT_RETRIES = 3


RETRIED_STATUSES = (502, 503, 504)


RETRY_DELAY = 0.5  # seconds, doubled on each retry (keystoneauth's default)


PLACEMENT_WORKERS = 8


def load_region(os_cloud: str):
    """The openstacksdk CloudRegion of a clouds.yaml entry; re-read each time so edits apply."""
    try:
        return loader.OpenStackConfig().get_one(cloud=os_cloud)
    except (sdk_exceptions.ConfigException, ks_exceptions.ClientException, KeyError) as exc:
        raise ComputeConfigError(
            f"clouds.yaml entry {os_cloud!r} is unusable: {exc}", field="os_cloud"
        ) from exc


class ComputeClient:
    """One cloud's compute (and Placement) API, with timeouts, retries and a microversion."""

    def __init__(
        self,
        os_cloud: str,
        *,
        timeout: float | None = None,
        retries: int = DEFAULT_RETRIES,
        host_defaults: HostDefaults | None = None,
    ):
        region = load_region(os_cloud)
        self.os_cloud = os_cloud
        self.host_defaults = host_defaults or HostDefaults()
        self.timeout = timeout or float(region.config.get("api_timeout") or DEFAULT_TIMEOUT)
        try:
            session = region.get_session()
        except (sdk_exceptions.SDKException, ks_exceptions.ClientException) as exc:
            raise ComputeConfigError(
                f"clouds.yaml entry {os_cloud!r}: cannot authenticate: {exc}", field="os_cloud"
            ) from exc
        _tune_transport(session)
        self._compute = self._adapter(session, region, "compute", retries)
        self._placement = self._adapter(session, region, "placement", retries)
        self._proxies: dict[str, dict[str, str]] = {}
        self._placement_reads = _PlacementReads(
            self._placement, timeout=self.timeout, retries=retries
        )
        self._cap = self._configured_cap(region)
        self._microversion: tuple[int, int] | None = None

    def _adapter(self, session, region, service_type: str, retries: int) -> ks_adapter.Adapter:
        return ks_adapter.Adapter(
            session,
            service_type=service_type,
            interface=region.get_interface(service_type),
            region_name=region.get_region_name(service_type),
            endpoint_override=region.get_endpoint(service_type),
            connect_retries=retries,
            status_code_retries=retries,
            retriable_status_codes=list(RETRIED_STATUSES),
            raise_exc=False,
        )

    @staticmethod
    def _configured_cap(region) -> tuple[int, int] | None:
        # `compute_api_version: 2.87` in clouds.yaml caps the negotiation (e.g. to keep the old
        # hypervisor layout); a bare "2" means no cap.
        configured = region.get_api_version("compute") or ""
        return parse_version(configured) if "." in configured else None

    # -- transport -------------------------------------------------------------------------------

    def _request(
        self,
        service: str,
        method: str,
        path: str,
        *,
        body: Any = None,
        params=None,
        at_most: tuple[int, int] | None = None,
    ) -> tuple[int, Any]:
        """`at_most`: send no higher compute microversion than this one."""
        api = self._compute if service == "compute" else self._placement
        if service == "compute" and path != "/" and self._microversion is None:
            self._microversion = self.negotiate()  # every call, reads and writes, is versioned
        version = self._microversion
        if version and at_most:
            version = min(version, at_most)
        microversion = (
            PLACEMENT_MICROVERSION
            if service == "placement"
            else (format_version(version) if version else None)
        )
        kwargs: dict[str, Any] = {"timeout": self.timeout, "params": params}
        if service not in self._proxies:
            self._proxies[service] = _environment_proxies(api)
        kwargs["proxies"] = self._proxies[service]
        if microversion:
            kwargs["microversion"] = microversion
        if body is not None:
            kwargs["json"] = body
        if service == "placement" and method == "GET" and self._placement_reads.usable():
            status_code, content = self._placement_reads.get(path, params)
        else:
            status_code, content = self._send(api, service, method, path, kwargs)
        payload = self._decode(status_code, content, f"{method} {path}")
        if status_code >= 500:
            raise ComputeUnavailable(
                f"{service} API error {status_code}: {fault_message(payload)}", status=503
            )
        if status_code in (401, 403):
            # Our credentials, not the admin's request: a bad gateway to our own clients.
            raise ComputeApiError(
                f"{service} API refused {method} {path} with {status_code} "
                f"({fault_message(payload)}): check the credentials and roles of clouds.yaml "
                f"entry {self.os_cloud!r}.",
                status=502,
            )
        if status_code >= 400:
            raise ComputeApiError(fault_message(payload), status=status_code)
        return status_code, payload

    def _send(self, api, service: str, method: str, path: str, kwargs) -> tuple[int, bytes]:
        try:
            response = api.request(path, method, **kwargs)
        except ks_exceptions.ConnectTimeout as exc:
            raise ComputeUnavailable(f"{service} API did not answer in time: {exc}") from exc
        except (ks_exceptions.ConnectionError, ks_exceptions.RetriableConnectionFailure) as exc:
            raise ComputeUnavailable(f"{service} API unreachable: {exc}") from exc
        except ks_exceptions.EndpointNotFound as exc:
            raise ComputeConfigError(
                f"clouds.yaml entry {self.os_cloud!r} has no {service} endpoint: {exc}",
                field="os_cloud",
            ) from exc
        except ks_exceptions.ClientException as exc:
            raise ComputeUnavailable(f"{service} API request failed: {exc}") from exc
        return response.status_code, response.content

    @staticmethod
    def _decode(status_code: int, content: bytes, what: str) -> Any:
        if not content:
            return None
        try:
            return json.loads(content)
        except ValueError as exc:
            if status_code >= 500:
                text = content[:200].decode("utf-8", "replace")
                return {"computeFault": {"message": text}}
            raise InvalidReply(f"Invalid compute API reply: {what}: body is not JSON") from exc

    def get(self, path: str, *, params=None, at_most: tuple[int, int] | None = None) -> Any:
        return self._request("compute", "GET", path, params=params, at_most=at_most)[1]

    # -- negotiation -----------------------------------------------------------------------------

    @property
    def microversion(self) -> str:
        """The negotiated compute microversion (negotiated on first use)."""
        if self._microversion is None:
            self._microversion = self.negotiate()
        return format_version(self._microversion)

    def negotiate(self) -> tuple[int, int]:
        """The highest microversion both the server and this client (and clouds.yaml) accept."""
        reply = Reader(self._request("compute", "GET", "/")[1], "version")
        if isinstance(reply.value, dict) and "versions" in reply.value:
            docs = [v for v in reply.items("versions") if v.get("id", str) == "v2.1"]
            if not docs:
                raise InvalidReply("Invalid compute API reply: versions: no v2.1", field="versions")
            doc = docs[0]
        else:
            doc = reply.child("version")
        server_max = parse_version(doc.get("version", str) or "2.1", field_name="version.version")
        server_min = parse_version(
            doc.get("min_version", str) or "2.1", field_name="version.min_version"
        )
        wanted = min(server_max, CLIENT_MAX_MICROVERSION, self._cap or CLIENT_MAX_MICROVERSION)
        if wanted < max(server_min, CLIENT_MIN_MICROVERSION):
            raise ComputeApiError(
                f"No common microversion: server {format_version(server_min)}–"
                f"{format_version(server_max)}, client {format_version(CLIENT_MIN_MICROVERSION)}–"
                f"{format_version(CLIENT_MAX_MICROVERSION)}",
                status=406,
            )
        return wanted

    def _mv(self) -> tuple[int, int]:
        self.microversion  # noqa: B018 - negotiates once
        assert self._microversion is not None
        return self._microversion

    # -- pagination ------------------------------------------------------------------------------

    def _pages(
        self,
        path: str,
        key: str,
        params: dict[str, Any] | None = None,
        at_most: tuple[int, int] | None = None,
    ) -> Iterator[Reader]:
        """Every item of a limit/marker listing, following `<key>_links` rel=next to the end."""
        params = dict(params or {}, limit=PAGE_LIMIT)
        seen_markers: set[str] = set()
        seen_ids: set[str] = set()
        page = 0
        while True:
            reply = Reader(
                self.get(path, params=params, at_most=at_most),
                key if page == 0 else f"{key}@{page}",
            )
            for item in reply.items(key):
                item_id = str(item.get("id", (str, int)))
                if item_id in seen_ids:
                    raise InvalidReply(
                        f"Invalid compute API reply: {key}: id {item_id} listed twice "
                        "(the pages overlap)",
                        field=key,
                    )
                seen_ids.add(item_id)
                yield item
            marker = next_marker(reply, f"{key}_links")
            if marker is None:
                return
            if marker in seen_markers:
                raise InvalidReply(
                    f"Invalid compute API reply: {key}_links: next page repeats marker {marker}",
                    field=f"{key}_links",
                )
            seen_markers.add(marker)
            params = dict(params, marker=marker)
            page += 1

    # -- listings --------------------------------------------------------------------------------

    def snapshot(self, *, known: Mapping[str, KnownProvider] | None = None) -> Snapshot:
        """A complete listing of the cloud, or an exception: never a partial one. `known`
        (provider uuid → what the last sync read) spares Placement calls; see `list_hosts`."""
        snap = Snapshot(microversion=self.microversion)
        snap.aggregates = self.list_aggregates()
        snap.zones = self.list_zones()
        snap.flavors = self.list_flavors()
        snap.services = self.list_services()
        snap.servers = self.list_servers()
        snap.server_groups = self.list_server_groups()
        snap.hosts = self.list_hosts(servers=snap.servers, known=known)
        return snap

    def list_aggregates(self) -> list[RemoteAggregate]:
        reply = Reader(self.get("/os-aggregates"), "")
        return [remote_aggregate(item) for item in reply.items("aggregates")]

    def list_zones(self) -> list[RemoteZone]:
        reply = Reader(self.get("/os-availability-zone"), "")
        return [
            RemoteZone(
                name=item.get("zoneName", str),
                available=item.child("zoneState").get("available", bool),
            )
            for item in reply.items("availabilityZoneInfo")
        ]

    def list_flavors(self) -> list[RemoteFlavor]:
        flavors = []
        embedded_specs = self._mv() >= (2, 61)
        for item in self._pages("/flavors/detail", "flavors", {"is_public": "None"}):
            flavor_id = item.get("id", str)
            specs = (
                item.get("extra_specs", dict)
                if embedded_specs
                else self.get(f"/flavors/{flavor_id}/os-extra_specs")["extra_specs"]
            )
            is_public = item.get("os-flavor-access:is_public", bool)
            flavors.append(
                remote_flavor(item, specs, () if is_public else self.flavor_access(flavor_id))
            )
        return flavors

    def flavor_access(self, flavor_id: str) -> tuple[str, ...]:
        reply = Reader(self.get(f"/flavors/{flavor_id}/os-flavor-access"), "")
        return tuple(sorted(item.get("tenant_id", str) for item in reply.items("flavor_access")))

    def list_services(self) -> list[RemoteService]:
        reply = Reader(self.get("/os-services"), "")
        services = []
        for item in reply.items("services"):
            if item.get("status", str) == "UNKNOWN" and "id" not in item.value:
                continue  # 2.69: a service in an unreachable cell; nothing to mirror
            services.append(
                RemoteService(
                    id=str(item.get("id", (str, int))),
                    binary=item.get("binary", str),
                    host=item.get("host", str),
                    zone=item.get("zone", str, optional=True),
                    status=item.get("status", str),
                    state=item.get("state", str, optional=True),
                    disabled_reason=item.get("disabled_reason", str, optional=True),
                    forced_down=bool(item.get("forced_down", bool, optional=True)),
                )
            )
        return services

    def list_hosts(
        self,
        *,
        servers: list[RemoteServer] | None = None,
        known: Mapping[str, KnownProvider] | None = None,
    ) -> list[RemoteHost]:
        """Compute nodes; from 2.88 totals, reserved, ratios and usage come from Placement.

        Placement bumps a provider's generation on every inventory write and on every allocation
        write naming it, so a provider in `known` whose generation is unchanged keeps its figures
        without two calls. Two allocation changes bump nothing (placement/objects/allocation.py):
        DELETE /allocations/{consumer}, and a consumer's allocations replaced by ones on other
        providers. The first shows here as a server gone from its host, so `known` also holds
        the host's servers and any difference re-reads it; callers mark some providers of `known`
        `reread_usages` on each sync, so that every usage is read again now and then."""
        hypervisors = list(
            self._pages("/os-hypervisors/detail", "hypervisors", at_most=HYPERVISOR_FIGURES_UNTIL)
        )
        if self._mv() < PLACEMENT_LAYOUT_FROM:
            return [self._host_from_hypervisor(item) for item in hypervisors]
        generations = self._provider_generations() if known else {}
        on_host: dict[str, set[str]] = {}
        for server in servers or ():
            if server.host:
                on_host.setdefault(server.host, set()).add(server.id)
        hosts: dict[int, RemoteHost] = {}
        reads: list[tuple[int, str, dict[str, Any], KnownProvider | None, int | None]] = []
        for index, item in enumerate(hypervisors):
            uuid = item.get("id", str)
            identity = hypervisor_identity(item, item.child("service"))
            last = (known or {}).get(uuid)
            generation = generations.get(uuid)
            if (
                last is None
                or last.generation != generation
                or last.servers != frozenset(on_host.get(identity["name"], ()))
            ):
                last = None
            elif not last.reread_usages:
                hosts[index] = RemoteHost(
                    **identity, **vars(last.figures), placement_generation=generation
                )
                continue
            reads.append((index, uuid, identity, last, generation))

        def read(job) -> tuple[int, RemoteHost]:
            index, uuid, identity, last, generation = job
            if last is None:
                generation, figures = self._provider_figures(uuid)
            else:  # inventories change only with the generation; usages may not
                figures = replace(last.figures, **self._provider_usages(uuid)[1])
            return index, RemoteHost(**identity, **vars(figures), placement_generation=generation)

        with ThreadPoolExecutor(max_workers=PLACEMENT_WORKERS) as pool:
            for index, host in pool.map(read, reads):
                hosts[index] = host
        return [hosts[index] for index in range(len(hypervisors))]

    def _host_from_hypervisor(self, item: Reader) -> RemoteHost:
        d = self.host_defaults
        service = item.child("service")
        # os-hypervisors counts reserved amounts as used (nova-scheduling.md §9.13); Placement not.
        return RemoteHost(
            **hypervisor_identity(item, service),
            vcpus=item.get("vcpus", int),
            memory_mb=item.get("memory_mb", int),
            local_gb=item.get("local_gb", int),
            vcpus_used=max(0, item.get("vcpus_used", int) - d.reserved_host_cpus),
            memory_mb_used=max(0, item.get("memory_mb_used", int) - d.reserved_host_memory_mb),
            local_gb_used=max(0, item.get("local_gb_used", int) - d.reserved_host_disk_mb // 1024),
            reserved_vcpus=d.reserved_host_cpus,
            reserved_memory_mb=d.reserved_host_memory_mb,
            reserved_disk_mb=d.reserved_host_disk_mb,
            cpu_allocation_ratio=d.cpu_allocation_ratio,
            ram_allocation_ratio=d.ram_allocation_ratio,
            disk_allocation_ratio=d.disk_allocation_ratio,
        )

    def _provider_generations(self) -> dict[str, int]:
        """Every provider's generation in one call (Placement does not page this listing)."""
        reply = Reader(
            self._request("placement", "GET", "/resource_providers")[1], "resource_providers"
        )
        return {
            item.get("uuid", str): item.get("generation", int)
            for item in reply.items("resource_providers")
        }

    def _provider_figures(self, uuid: str) -> tuple[int, PlacementFigures]:
        """A provider's inventories and usages, and the older of the two replies' generations:
        a change between the two calls is caught by the next sync."""
        reply = Reader(
            self._request("placement", "GET", f"/resource_providers/{uuid}/inventories")[1],
            f"resource_providers[{uuid}]",
        )
        inventories = reply.child("inventories")
        values: dict[str, Any] = {}
        for resource, total, reserved, ratio in (
            ("VCPU", "vcpus", "reserved_vcpus", "cpu_allocation_ratio"),
            ("MEMORY_MB", "memory_mb", "reserved_memory_mb", "ram_allocation_ratio"),
            ("DISK_GB", "local_gb", "reserved_disk_mb", "disk_allocation_ratio"),
        ):
            inventory = inventories.child(resource) if resource in inventories.value else None
            values[total] = inventory.get("total", int) if inventory else 0
            values[reserved] = inventory.get("reserved", int) if inventory else 0
            values[ratio] = float(inventory.get("allocation_ratio", float)) if inventory else 1.0
        values["reserved_disk_mb"] *= 1024  # Placement reserves DISK_GB; Nova's option is in MB
        usages_generation, usages = self._provider_usages(uuid)
        generation = min(reply.get("resource_provider_generation", int), usages_generation)
        return generation, PlacementFigures(**values, **usages)

    def _provider_usages(self, uuid: str) -> tuple[int, dict[str, int]]:
        """A provider's usages in RemoteHost's names, and the generation they were read at."""
        reply = Reader(
            self._request("placement", "GET", f"/resource_providers/{uuid}/usages")[1],
            f"resource_providers[{uuid}]",
        )
        usages = reply.child("usages")
        return reply.get("resource_provider_generation", int), {
            f"{total}_used": usages.get(resource, int) if resource in usages.value else 0
            for resource, total in (
                ("VCPU", "vcpus"),
                ("MEMORY_MB", "memory_mb"),
                ("DISK_GB", "local_gb"),
            )
        }

    def list_servers(self) -> list[RemoteServer]:
        servers = []
        for item in self._pages("/servers/detail", "servers", {"all_tenants": "1"}):
            flavor = item.child("flavor")
            servers.append(
                RemoteServer(
                    id=item.uuid("id"),
                    name=item.get("name", str),
                    status=item.get("status", str),
                    project_id=item.get("tenant_id", str),
                    host=item.get("OS-EXT-SRV-ATTR:host", str, optional=True),
                    hypervisor_hostname=item.get(
                        "OS-EXT-SRV-ATTR:hypervisor_hostname", str, optional=True
                    ),
                    availability_zone=item.get("OS-EXT-AZ:availability_zone", str, optional=True)
                    or None,
                    flavor_name=flavor.get("original_name", str),
                    vcpus=flavor.get("vcpus", int),
                    ram=flavor.get("ram", int),
                    disk=flavor.get("disk", int),
                    ephemeral=flavor.get("ephemeral", int),
                    swap=flavor.get("swap", int),
                    extra_specs=string_map(flavor, "extra_specs"),
                    pinned_zone=item.get("pinned_availability_zone", str, optional=True),
                    fault=_fault(item),
                    created=item.timestamp("created", optional=True),
                )
            )
        return servers

    def list_server_groups(self) -> list[RemoteServerGroup]:
        """Every project's server groups. Nova pages this listing by offset, without links, and
        caps `limit` at its max_limit: pages are read until one comes back empty."""
        with_rules = self._mv() >= (2, 64)
        groups: list[RemoteServerGroup] = []
        group_of: dict[str, str] = {}
        seen: set[str] = set()
        offset, page = 0, 0
        while True:
            params = {"all_projects": "True", "limit": PAGE_LIMIT, "offset": offset}
            reply = Reader(
                self.get("/os-server-groups", params=params), "" if page == 0 else f"@{page}"
            )
            items = list(reply.items("server_groups"))
            if not items:
                return groups
            for item in items:
                group = remote_server_group(item, with_rules=with_rules)
                if group.id in seen:
                    raise InvalidReply(
                        f"Invalid compute API reply: server_groups: id {group.id} listed twice "
                        "(the pages overlap)",
                        field="server_groups",
                    )
                for member in group.members:
                    if group_of.setdefault(member, group.id) != group.id:
                        raise InvalidReply(
                            f"Invalid compute API reply: {item.path}.members: server {member} "
                            f"is also a member of group {group_of[member]}",
                            field=f"{item.path}.members",
                        )
                seen.add(group.id)
                groups.append(group)
            offset += len(items)
            page += 1

    # -- writes: each returns what Nova answered, or raises its refusal ---------------------------

    def create_aggregate(self, name: str, availability_zone: str | None) -> RemoteAggregate:
        body: dict[str, Any] = {"name": name}
        if availability_zone:
            body["availability_zone"] = availability_zone
        reply = self._request("compute", "POST", "/os-aggregates", body={"aggregate": body})[1]
        return remote_aggregate(Reader(reply, "").child("aggregate"))

    def update_aggregate(
        self, aggregate_id: int, *, name: str | None = None, availability_zone: str | None = None
    ) -> RemoteAggregate:
        body = {k: v for k, v in (("name", name), ("availability_zone", availability_zone)) if v}
        reply = self._request(
            "compute", "PUT", f"/os-aggregates/{aggregate_id}", body={"aggregate": body}
        )[1]
        return remote_aggregate(Reader(reply, "").child("aggregate"))

    def delete_aggregate(self, aggregate_id: int) -> None:
        self._request("compute", "DELETE", f"/os-aggregates/{aggregate_id}")

    def aggregate_action(self, aggregate_id: int, action: str, body: dict) -> RemoteAggregate:
        """`add_host`, `remove_host` or `set_metadata` (which merges; None deletes a key)."""
        reply = self._request(
            "compute", "POST", f"/os-aggregates/{aggregate_id}/action", body={action: body}
        )[1]
        return remote_aggregate(Reader(reply, "").child("aggregate"))

    def create_flavor(self, **fields: Any) -> RemoteFlavor:
        """Fields as Nova names them: name, ram, vcpus, disk, id, ephemeral, swap, rxtx_factor,
        os-flavor-access:is_public, description."""
        reply = self._request("compute", "POST", "/flavors", body={"flavor": fields})[1]
        item = Reader(reply, "").child("flavor")
        return remote_flavor(item, item.get("extra_specs", dict, optional=True) or {}, ())

    def update_flavor(self, flavor_id: str, description: str | None) -> None:
        """Only the description of a flavor can change (2.55+)."""
        self._request(
            "compute", "PUT", f"/flavors/{flavor_id}", body={"flavor": {"description": description}}
        )

    def compute_service_id(self, host: str) -> str:
        """The id of `host`'s nova-compute service (what PUT /os-services/{id} takes)."""
        reply = Reader(
            self.get("/os-services", params={"host": host, "binary": "nova-compute"}), ""
        )
        ids = [str(item.get("id", (str, int))) for item in reply.items("services")]
        if not ids:
            raise ComputeApiError(f"Compute host {host} could not be found.", status=404)
        return ids[0]

    def delete_flavor(self, flavor_id: str) -> None:
        self._request("compute", "DELETE", f"/flavors/{flavor_id}")

    def set_flavor_extra_specs(self, flavor_id: str, specs: dict[str, str]) -> dict[str, str]:
        reply = self._request(
            "compute", "POST", f"/flavors/{flavor_id}/os-extra_specs", body={"extra_specs": specs}
        )[1]
        return Reader(reply, "").get("extra_specs", dict)

    def delete_flavor_extra_spec(self, flavor_id: str, key: str) -> None:
        self._request("compute", "DELETE", f"/flavors/{flavor_id}/os-extra_specs/{key}")

    def flavor_access_action(self, flavor_id: str, action: str, project_id: str) -> tuple[str, ...]:
        """`addTenantAccess` or `removeTenantAccess`; returns the access list Nova now holds."""
        reply = self._request(
            "compute",
            "POST",
            f"/flavors/{flavor_id}/action",
            body={action: {"tenant": project_id}},
        )[1]
        return tuple(
            sorted(i.get("tenant_id", str) for i in Reader(reply, "").items("flavor_access"))
        )

    def update_service(
        self, service_id: str, *, enabled: bool, disabled_reason: str | None = None
    ) -> RemoteService:
        body: dict[str, Any] = {"status": "enabled" if enabled else "disabled"}
        if not enabled and disabled_reason:
            body["disabled_reason"] = disabled_reason
        reply = self._request("compute", "PUT", f"/os-services/{service_id}", body=body)[1]
        item = Reader(reply, "").child("service")
        return RemoteService(
            id=str(item.get("id", (str, int))),
            binary=item.get("binary", str),
            host=item.get("host", str),
            zone=item.get("zone", str, optional=True),
            status=item.get("status", str),
            state=item.get("state", str, optional=True),
            disabled_reason=item.get("disabled_reason", str, optional=True),
            forced_down=bool(item.get("forced_down", bool, optional=True)),
        )


class _PlacementReads:
    """Placement GETs (a sync's fan-out: two per provider) on the connection pool requests keeps
    for the endpoint (same TLS settings, same connections) without requests' machinery around
    each call, which costs twice the call itself. Like keystoneauth: a timeout, retries of
    connection failures and of 502/503/504 with doubling delays, one re-authentication on 401.
    Not used where the environment sets a proxy for the endpoint: keystoneauth handles that."""

    def __init__(self, adapter: ks_adapter.Adapter, *, timeout: float, retries: int):
        self._adapter = adapter
        self._timeout = urllib3.Timeout(connect=timeout, read=timeout)
        self._retries = retries
        self._lock = threading.Lock()
        self._pool: urllib3.HTTPConnectionPool | None = None
        self._prefix = ""
        self._headers: dict[str, str] | None = None
        self._checked = False

    def usable(self) -> bool:
        if not self._checked:
            with self._lock:
                if not self._checked:
                    self._pool = self._connection_pool()
                    self._checked = True
        return self._pool is not None

    def _connection_pool(self) -> urllib3.HTTPConnectionPool | None:
        try:
            endpoint = self._adapter.get_endpoint()
        except ks_exceptions.ClientException:
            return None  # keystoneauth's path reports it
        if not endpoint or _environment_proxies(self._adapter):
            return None
        session = self._adapter.session
        http = session.session
        self._prefix = urlsplit(endpoint).path.rstrip("/")
        return http.get_adapter(endpoint).get_connection_with_tls_context(
            requests.Request("GET", endpoint).prepare(), session.verify, cert=session.cert
        )

    def _auth_headers(self, *, renew: bool = False) -> dict[str, str]:
        with self._lock:
            if renew:
                self._adapter.session.invalidate()
                self._headers = None
            if self._headers is None:
                self._headers = {
                    **(self._adapter.session.get_auth_headers() or {}),
                    "Accept": "application/json",
                    "OpenStack-API-Version": f"placement {PLACEMENT_MICROVERSION}",
                }
            return self._headers

    def get(self, path: str, params=None) -> tuple[int, bytes]:
        assert self._pool is not None
        url = self._prefix + path + (f"?{urlencode(params)}" if params else "")
        headers, renewed, attempt = self._auth_headers(), False, 0
        while True:
            try:
                response = self._pool.urlopen(
                    "GET",
                    url,
                    headers=headers,
                    retries=False,
                    redirect=False,
                    timeout=self._timeout,
                    preload_content=True,
                )
            except urllib3.exceptions.ReadTimeoutError as exc:
                raise ComputeUnavailable(f"placement API did not answer in time: {exc}") from exc
            except (
                urllib3.exceptions.ConnectTimeoutError,
                urllib3.exceptions.ProtocolError,
            ) as exc:
                if attempt >= self._retries:
                    raise ComputeUnavailable(f"placement API unreachable: {exc}") from exc
            except urllib3.exceptions.HTTPError as exc:
                raise ComputeUnavailable(f"placement API request failed: {exc}") from exc
            else:
                if response.status == 401 and not renewed:
                    headers, renewed = self._auth_headers(renew=True), True
                    continue
                if response.status not in RETRIED_STATUSES or attempt >= self._retries:
                    return response.status, response.data
            time.sleep(RETRY_DELAY * 2**attempt)
            attempt += 1


def _tune_transport(session) -> None:
    """Make keystoneauth's requests session fit a fan-out of thousands of calls.

    requests re-reads the environment (proxy variables, netrc, CA bundle) on every request, which
    costs more than the call itself; it is read once here instead (`_environment_proxies`). The
    pool keeps a connection per Placement worker, where requests' default of 10 would reconnect.
    """
    http = session.session
    if http.trust_env:
        http.trust_env = False
        if session.verify is True:
            session.verify = (
                os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
            )
    pool_size = max(requests.adapters.DEFAULT_POOLSIZE, PLACEMENT_WORKERS)
    for transport in {id(a): a for a in http.adapters.values()}.values():
        transport.init_poolmanager(requests.adapters.DEFAULT_POOLSIZE, pool_size)


def _environment_proxies(api: ks_adapter.Adapter) -> dict[str, str]:
    """The proxies the environment sets for this endpoint, as requests would find them."""
    try:
        endpoint = api.get_endpoint() or ""
    except ks_exceptions.ClientException:
        return {}  # the request itself reports the missing endpoint
    return requests.utils.get_environ_proxies(endpoint) if endpoint else {}


def _fault(server: Reader) -> str:
    """The `fault` Nova shows on an ERROR server: its message (and code), or ''."""
    if server.get("fault", dict, optional=True) is None:
        return ""
    fault = server.child("fault")
    message = (fault.get("message", str, optional=True) or "").strip()
    code = fault.get("code", int, optional=True)
    return f"{message} (code {code})" if code and message else message
