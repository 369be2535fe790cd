"""The simulator's WSGI app: Nova's compute API (2.1–2.104) and Placement, in the samples' shapes.

Shapes per microversion follow reference/nova-api-samples/ and the harness recordings; faults
(down, slow, 5xx, truncated, repeating or empty later pages) are injected per path prefix for the
fault tests.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode

from .state import CloudState, NovaFault, SimAggregate, SimFlavor, SimHost

MIN_VERSION = (2, 1)
MAX_VERSION = (2, 104)
PLACEMENT_MAX = (1, 39)
CPU_INFO = {
    "arch": "x86_64",
    "features": ["pge", "clflush"],
    "model": "Nehalem",
    "topology": {"cores": 1, "sockets": 4, "threads": 1},
    "vendor": "Intel",
}


@dataclass
class Fault:
    """An injected fault: `kind` is error, slow, truncated, repeat_page, short, mangle or down."""

    kind: str
    path: str = ""  # path prefix (after /v2.1 or /placement) it applies to; "" = every path
    times: int | None = None  # None: until cleared
    seconds: float = 0.0
    status: int = 500
    page: int = 1  # for truncated / short: from which page (0-based) on
    field: str = ""  # for mangle: the field of the first listed item to replace with garbage


FAULT_KINDS = ("error", "slow", "truncated", "repeat_page", "short", "mangle", "down")


def parse_fault(spec: str) -> Fault:
    """A fault from the command line: KIND[:option=value,...], e.g.
    "truncated:path=/os-hypervisors,page=1" or "slow:seconds=2.5,times=3"."""
    kind, _, rest = spec.partition(":")
    if kind not in FAULT_KINDS:
        raise ValueError(f"unknown fault kind {kind!r} (one of {', '.join(FAULT_KINDS)})")
    types = {"path": str, "times": int, "seconds": float, "status": int, "page": int, "field": str}
    options: dict = {}
    for pair in filter(None, rest.split(",")):
        key, sep, value = pair.partition("=")
        if not sep or key not in types:
            raise ValueError(f"{pair!r}: expected one of {', '.join(types)} as option=value")
        try:
            options[key] = types[key](value)
        except ValueError:
            raise ValueError(f"{key}: {value!r} is not a {types[key].__name__}") from None
    return Fault(kind, **options)


class SimulatorApp:
    def __init__(self, state: CloudState, *, max_limit: int = 1000, max_version=MAX_VERSION):
        self.state = state
        self.max_limit = max_limit
        self.max_version = max_version
        self.faults: list[Fault] = []
        self.requests: list[tuple[str, str]] = []  # (method, path) log for tests

    # -- fault control ---------------------------------------------------------------------------

    def inject(self, kind: str, **options) -> Fault:
        fault = Fault(kind, **options)
        self.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        self.faults.clear()

    def fault_for(self, path: str, *kinds: str) -> Fault | None:
        for fault in self.faults:
            if fault.kind in kinds and path.startswith(fault.path):
                return fault
        return None

    def _consume(self, fault: Fault) -> None:
        if fault.times is not None:
            fault.times -= 1
            if fault.times <= 0 and fault in self.faults:
                self.faults.remove(fault)

    # -- WSGI ------------------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "") or "/"
        method = environ["REQUEST_METHOD"]
        query = {k: v[-1] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        self.requests.append((method, path))
        base = f"http://{environ.get('HTTP_HOST', 'localhost')}"
        try:
            body = self._body(environ)
            if path.startswith("/placement"):
                status, payload, headers = self._placement(
                    method, path[len("/placement") :], query, environ
                )
            else:
                status, payload, headers = self._compute(method, path, query, body, environ, base)
        except NovaFault as fault:
            status, payload, headers = fault.status, fault.body(), []
        sub = path[len("/placement") :] if path.startswith("/placement") else _strip_version(path)
        if slow := self.fault_for(sub, "slow"):
            self._consume(slow)
            time.sleep(slow.seconds)
        if error := self.fault_for(sub, "error"):
            self._consume(error)
            status, headers = error.status, []
            payload = NovaFault(error.status, "Unexpected API Error. Please report this.").body()
        if (mangle := self.fault_for(sub, "mangle")) and isinstance(payload, dict):
            self._consume(mangle)
            for value in payload.values():
                if isinstance(value, list) and value and isinstance(value[0], dict):
                    value[0][mangle.field] = "garbage"
                    break
        data = b"" if payload is None else json.dumps(payload).encode()
        if (truncated := self.fault_for(sub, "truncated")) and self._page_index(
            query
        ) >= truncated.page:
            self._consume(truncated)
            data = data[: len(data) // 2]
        start_response(
            f"{status} {_REASONS.get(status, 'OK')}",
            [("Content-Type", "application/json"), ("Content-Length", str(len(data))), *headers],
        )
        return [data]

    @staticmethod
    def _page_index(query: dict) -> int:
        return 1 if "marker" in query else 0

    @staticmethod
    def _body(environ) -> dict | None:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if not length:
            return None
        raw = environ["wsgi.input"].read(length)
        try:
            return json.loads(raw)
        except ValueError as exc:
            raise NovaFault(400, "Malformed request body") from exc

    # -- compute ---------------------------------------------------------------------------------

    def _version(self, environ) -> tuple[int, int]:
        header = environ.get("HTTP_OPENSTACK_API_VERSION", "")
        text = ""
        for part in header.split(","):
            words = part.strip().split()
            if len(words) == 2 and words[0].lower() == "compute":
                text = words[1]
        text = text or environ.get("HTTP_X_OPENSTACK_NOVA_API_VERSION", "")
        if not text:
            return MIN_VERSION
        if text == "latest":
            return self.max_version
        try:
            major, minor = (int(x) for x in text.split("."))
        except ValueError as exc:
            raise NovaFault(400, f"Invalid API version request: {text}") from exc
        if not MIN_VERSION <= (major, minor) <= self.max_version:
            raise NovaFault(
                406,
                f"Version {text} is not supported by the API. Minimum is 2.1 and maximum is "
                f"{self.max_version[0]}.{self.max_version[1]}.",
            )
        return major, minor

    def _version_doc(self, base: str = "") -> dict:
        return {
            "id": "v2.1",
            "status": "CURRENT",
            "version": f"{self.max_version[0]}.{self.max_version[1]}",
            "min_version": "2.1",
            "updated": "2013-07-23T11:33:21Z",
            "links": [{"rel": "self", "href": f"{base}/v2.1/"}],
            "media-types": [
                {
                    "base": "application/json",
                    "type": "application/vnd.openstack.compute+json;version=2.1",
                }
            ],
        }

    def _compute(self, method, path, query, body, environ, base):
        if path in ("", "/"):
            return 200, {"versions": [self._version_doc(base)]}, []
        if not path.startswith("/v2.1"):
            raise NovaFault(404, "Not found")
        sub = _strip_version(path)
        if sub in ("", "/"):
            return 200, {"version": self._version_doc(base)}, []
        if not environ.get("HTTP_X_AUTH_TOKEN"):
            return 401, {"error": {"code": 401, "message": "Unauthorized"}}, []
        mv = self._version(environ)
        mv_text = f"{mv[0]}.{mv[1]}"
        headers = [
            ("OpenStack-API-Version", f"compute {mv_text}"),
            ("X-OpenStack-Nova-API-Version", mv_text),
            ("Vary", "OpenStack-API-Version, X-OpenStack-Nova-API-Version"),
        ]
        with self.state.lock:
            status, payload = self._route(method, sub, query, body, mv, base)
        return status, payload, headers

    def _route(self, method, sub, query, body, mv, base):  # noqa: C901 - a routing table
        s = self.state
        parts = [p for p in sub.split("/") if p]
        key = (method, *(_route_part(parts, i) for i in range(len(parts))))
        if mv >= (2, 102) and method == "GET" and parts[:1] == ["os-aggregates"] and query:
            raise NovaFault(400, f"Invalid input for query parameters {sorted(query)[0]}.")
        match key:
            case ("GET", "os-aggregates"):
                return 200, {"aggregates": [self._aggregate(a, mv) for a in s.aggregates.values()]}
            case ("POST", "os-aggregates"):
                data = _require(body, "aggregate")
                agg = s.create_aggregate(data.get("name"), data.get("availability_zone"))
                return 200, {"aggregate": self._aggregate(agg, mv, brief=True)}
            case ("GET", "os-aggregates", "*"):
                return 200, {"aggregate": self._aggregate(s.aggregate(parts[1]), mv)}
            case ("PUT", "os-aggregates", "*"):
                agg = s.update_aggregate(parts[1], _require(body, "aggregate"))
                return 200, {"aggregate": self._aggregate(agg, mv)}
            case ("DELETE", "os-aggregates", "*"):
                s.delete_aggregate(parts[1])
                return 200, None
            case ("POST", "os-aggregates", "*", "action"):
                return 200, {
                    "aggregate": self._aggregate(self._aggregate_action(parts[1], body), mv)
                }
            case ("GET", "os-availability-zone"):
                return 200, {"availabilityZoneInfo": self._zones(detail=False)}
            case ("GET", "os-availability-zone", "detail"):
                return 200, {"availabilityZoneInfo": self._zones(detail=True)}
            case ("GET", "os-hypervisors", "detail"):
                hosts = sorted(
                    s.hosts.values(), key=lambda h: h.uuid if mv >= (2, 53) else h.int_id
                )
                if mv < (2, 33):
                    return 200, {"hypervisors": [self._hypervisor(h, mv) for h in hosts]}
                ids = [h.uuid if mv >= (2, 53) else h.int_id for h in hosts]
                return 200, self._page(
                    ids, lambda i: self._hypervisor(hosts[i], mv), query, "hypervisors", base, sub
                )
            case ("GET", "os-services"):
                services = [
                    x
                    for x in s.services()
                    if query.get("host", x["host"]) == x["host"]
                    and query.get("binary", x["binary"]) == x["binary"]
                ]
                return 200, {"services": [self._service(x, mv) for x in services]}
            case ("PUT", "os-services", "*"):
                if mv < (2, 53):
                    raise NovaFault(404, "Unknown action")
                return 200, {"service": self._service(s.update_service(parts[1], body or {}), mv)}
            case ("GET", "flavors", "detail"):
                flavors = self._visible_flavors(query)
                return 200, self._page(
                    [f.id for f in flavors],
                    lambda i: self._flavor(flavors[i], mv, base),
                    query,
                    "flavors",
                    base,
                    sub,
                )
            case ("POST", "flavors"):
                flavor = s.create_flavor(_require(body, "flavor"))
                return 200, {"flavor": self._flavor(flavor, mv, base)}
            case ("GET", "flavors", "*"):
                return 200, {"flavor": self._flavor(s.flavor(parts[1]), mv, base)}
            case ("DELETE", "flavors", "*"):
                s.delete_flavor(parts[1])
                return 202, None
            case ("GET", "flavors", "*", "os-extra_specs"):
                return 200, {"extra_specs": dict(s.flavor(parts[1]).extra_specs)}
            case ("POST", "flavors", "*", "os-extra_specs"):
                return 200, {
                    "extra_specs": s.set_extra_specs(parts[1], _require(body, "extra_specs"))
                }
            case ("DELETE", "flavors", "*", "os-extra_specs", _):
                s.delete_extra_spec(parts[1], parts[3])
                return 200, None
            case ("GET", "flavors", "*", "os-flavor-access"):
                flavor = s.flavor(parts[1])
                if flavor.is_public:
                    raise NovaFault(404, "Access list not available for public flavors.")
                return 200, _access(flavor)
            case ("POST", "flavors", "*", "action"):
                return 200, self._flavor_action(parts[1], body)
            case ("GET", "os-server-groups"):
                return 200, self._server_groups(query, mv)
            case ("GET", "servers", "detail"):
                servers = sorted(s.servers.values(), key=lambda x: x.id)
                if host := query.get("host"):
                    servers = [x for x in servers if x.host == host]
                return 200, self._page(
                    [x.id for x in servers],
                    lambda i: self._server(servers[i], mv, base),
                    query,
                    "servers",
                    base,
                    sub,
                )
        raise NovaFault(404, "The resource could not be found.")

    def _server_groups(self, query: dict, mv) -> dict:
        """Nova's listing: the caller's project unless all_projects, paged by limit and offset
        (limit capped at max_limit), no links; shape of 2.64+ (policy, rules) or before."""
        groups = sorted(self.state.server_groups.values(), key=lambda g: g.id)
        if query.get("all_projects", "").lower() not in ("true", "1", "yes"):
            groups = [g for g in groups if g.project_id == "admin"]  # the token's own project
        try:
            offset = int(query.get("offset", 0))
            limit = min(int(query.get("limit", self.max_limit)), self.max_limit)
        except ValueError as exc:
            raise NovaFault(400, "Invalid input for query parameters limit.") from exc
        page = groups[offset : offset + limit]
        return {"server_groups": [_server_group(g, mv) for g in page]}

    def _aggregate_action(self, aggregate_id, body):
        if not isinstance(body, dict) or len(body) != 1:
            raise NovaFault(400, "Invalid input for field/attribute action.")
        ((action, data),) = body.items()
        if action == "add_host":
            return self.state.add_host_to_aggregate(aggregate_id, _require(data, "host"))
        if action == "remove_host":
            return self.state.remove_host_from_aggregate(aggregate_id, _require(data, "host"))
        if action == "set_metadata":
            return self.state.set_aggregate_metadata(aggregate_id, _require(data, "metadata"))
        raise NovaFault(400, f"Invalid input for field/attribute {action}.")

    def _flavor_action(self, flavor_id, body):
        if not isinstance(body, dict) or len(body) != 1:
            raise NovaFault(400, "Invalid input for field/attribute action.")
        ((action, data),) = body.items()
        tenant = _require(data, "tenant")
        if action == "addTenantAccess":
            self.state.add_access(flavor_id, tenant)
        elif action == "removeTenantAccess":
            self.state.remove_access(flavor_id, tenant)
        else:
            raise NovaFault(400, f"Invalid input for field/attribute {action}.")
        return _access(self.state.flavor(flavor_id))

    def _page(self, ids: list, build, query: dict, key: str, base: str, sub: str) -> dict:
        """limit/marker paging with a `<key>_links` next link, as Nova does (capped: max_limit).

        `ids` are the listing's ids in order; `build(index)` renders one item of the page."""
        try:
            limit = min(int(query.get("limit", self.max_limit)), self.max_limit)
        except ValueError as exc:
            raise NovaFault(400, "limit param must be an integer") from exc
        start = 0
        if marker := query.get("marker"):
            positions = {str(item_id): index for index, item_id in enumerate(ids)}
            if marker not in positions:
                raise NovaFault(400, f"marker [{marker}] not found")
            start = positions[marker] + 1
        indexes = range(start, min(len(ids), start + limit))
        if start and (repeat := self.fault_for(sub, "repeat_page")):
            self._consume(repeat)
            indexes = range(0, min(len(ids), limit))  # a wrong page: the first one again
        if (short := self.fault_for(sub, "short")) and (1 if start else 0) >= short.page:
            self._consume(short)
            indexes = range(0)  # an empty page, no error: the listing just ends early
        page = [build(index) for index in indexes]
        reply: dict = {key: page}
        if limit and len(page) == limit:  # Nova links a next page whenever this one is full
            next_query = {k: v for k, v in query.items() if k != "marker"} | {
                "limit": limit,
                "marker": str(page[-1]["id"]),
            }
            reply[f"{key}_links"] = [
                {"href": f"{base}/v2.1{sub}?{urlencode(next_query)}", "rel": "next"}
            ]
        return reply

    def _visible_flavors(self, query: dict) -> list[SimFlavor]:
        flavors = sorted(self.state.flavors.values(), key=lambda f: f.id)  # Nova: by flavorid
        is_public = query.get("is_public", "true").lower()
        if is_public in ("none",):
            return flavors
        wanted = is_public in ("true", "1", "t", "yes", "y", "on")
        return [f for f in flavors if f.is_public == wanted]

    # -- shapes ----------------------------------------------------------------------------------

    @staticmethod
    def _aggregate(agg: SimAggregate, mv, *, brief: bool = False) -> dict:
        data = {
            "availability_zone": agg.availability_zone,
            "created_at": agg.created_at,
            "deleted": False,
            "deleted_at": None,
            "id": agg.id,
            "name": agg.name,
            "updated_at": agg.updated_at,
        }
        if not brief:
            data["hosts"] = list(agg.hosts)
            data["metadata"] = dict(agg.metadata)
        if mv >= (2, 41):
            data["uuid"] = agg.uuid
        return data

    def _zones(self, *, detail: bool) -> list[dict]:
        services = self.state.services()
        zones: dict[str, list[dict]] = {}
        for service in services:
            if service["binary"] == "nova-compute":
                for zone in service["zone"].split(","):
                    zones.setdefault(zone, []).append(service)
            elif detail:
                zones.setdefault("internal", []).append(service)
        result = []
        for name in sorted(zones, key=lambda z: (z != "internal", z)):
            members = zones[name]
            available = any(not m["disabled"] for m in members)
            hosts = None
            if detail and available:
                hosts = {}
                for m in members:
                    hosts.setdefault(m["host"], {})[m["binary"]] = {
                        "active": not m["disabled"],
                        "available": m["state"] == "up",
                        "updated_at": None,
                    }
            result.append({"hosts": hosts, "zoneName": name, "zoneState": {"available": available}})
        return result

    def _hypervisor(self, host: SimHost, mv) -> dict:
        new_ids = mv >= (2, 53)
        data: dict = {
            "host_ip": "192.0.2.2",
            "hypervisor_hostname": host.name,
            "hypervisor_type": host.hypervisor_type,
            "hypervisor_version": 1000,
            "id": host.uuid if new_ids else host.int_id,
            "service": {
                "disabled_reason": host.disabled_reason,
                "host": host.name,
                "id": host.service_uuid if new_ids else host.int_id + 2,
            },
            "state": "down" if host.forced_down else host.state,
            "status": "disabled" if host.disabled else "enabled",
        }
        if mv >= (2, 88):
            data["uptime"] = None
            return data
        used = self.state.usage(host.name)
        # os-hypervisors counts reserved amounts as used (resource_tracker._init_compute_node).
        memory_used = used["MEMORY_MB"] + host.reserved_memory_mb
        disk_used = used["DISK_GB"] + host.reserved_local_gb
        data.update(
            {
                "cpu_info": CPU_INFO if mv >= (2, 28) else json.dumps(CPU_INFO),
                "current_workload": 0,
                "disk_available_least": 0,
                "free_disk_gb": host.local_gb - disk_used,
                "free_ram_mb": host.memory_mb - memory_used,
                "local_gb": host.local_gb,
                "local_gb_used": disk_used,
                "memory_mb": host.memory_mb,
                "memory_mb_used": memory_used,
                "running_vms": len(self.state.servers_on(host.name)),
                "vcpus": host.vcpus,
                "vcpus_used": used["VCPU"] + host.reserved_vcpus,
            }
        )
        return data

    @staticmethod
    def _service(service: dict, mv) -> dict:
        data = {
            "binary": service["binary"],
            "disabled_reason": service["disabled_reason"],
            "host": service["host"],
            "id": service["uuid"] if mv >= (2, 53) else service["int_id"],
            "state": service["state"],
            "status": "disabled" if service["disabled"] else "enabled",
            "updated_at": "2026-11-24T12:08:23.728891",
            "zone": service["zone"],
        }
        if mv >= (2, 11):
            data["forced_down"] = service["forced_down"]
        return data

    @staticmethod
    def _flavor(flavor: SimFlavor, mv, base: str) -> dict:
        data: dict = {
            "OS-FLV-EXT-DATA:ephemeral": flavor.ephemeral,
            "disk": flavor.disk,
            "id": flavor.id,
            "links": [
                {"href": f"{base}/v2.1/flavors/{flavor.id}", "rel": "self"},
                {"href": f"{base}/flavors/{flavor.id}", "rel": "bookmark"},
            ],
            "name": flavor.name,
            "os-flavor-access:is_public": flavor.is_public,
            "ram": flavor.ram,
            "swap": flavor.swap if (flavor.swap or mv >= (2, 75)) else "",
            "vcpus": flavor.vcpus,
        }
        if mv < (2, 102):
            data["OS-FLV-DISABLED:disabled"] = flavor.disabled
            data["rxtx_factor"] = flavor.rxtx_factor
        if mv >= (2, 55):
            data["description"] = flavor.description
        if mv >= (2, 61):
            data["extra_specs"] = dict(flavor.extra_specs)
        return data

    def _server(self, server, mv, base: str) -> dict:
        flavor = server.flavor
        data = {
            "OS-EXT-AZ:availability_zone": server.availability_zone or "",
            "OS-EXT-SRV-ATTR:host": server.host,
            "OS-EXT-SRV-ATTR:hypervisor_hostname": server.host,
            "OS-EXT-STS:vm_state": server.status.lower(),
            "created": server.created,
            "id": server.id,
            "name": server.name,
            "status": server.status,
            "tenant_id": server.project_id,
            "user_id": "admin",
            "links": [{"href": f"{base}/v2.1/servers/{server.id}", "rel": "self"}],
        }
        if mv >= (2, 47):
            data["flavor"] = {
                "disk": flavor.disk,
                "ephemeral": flavor.ephemeral,
                "extra_specs": dict(flavor.extra_specs),
                "original_name": flavor.name,
                "ram": flavor.ram,
                "swap": flavor.swap,
                "vcpus": flavor.vcpus,
            }
        else:
            data["flavor"] = {"id": flavor.id, "links": []}
        if server.fault is not None:
            data["fault"] = dict(server.fault)
        if mv >= (2, 96):
            data["pinned_availability_zone"] = server.requested_zone
        if mv >= (2, 100):
            data["scheduler_hints"] = {}
        return data

    # -- placement -------------------------------------------------------------------------------

    def _placement(self, method, path, query, environ):
        headers = [("OpenStack-API-Version", "placement 1.14"), ("Vary", "OpenStack-API-Version")]
        if path in ("", "/"):
            return (
                200,
                {
                    "versions": [
                        {
                            "id": "v1.0",
                            "max_version": "1.39",
                            "min_version": "1.0",
                            "status": "CURRENT",
                            "links": [],
                        }
                    ]
                },
                [],
            )
        if not environ.get("HTTP_X_AUTH_TOKEN"):
            return 401, _placement_error(401, "Unauthorized"), headers
        if method != "GET":
            return 405, _placement_error(405, "Method not allowed"), headers
        if path == "/resource_providers":
            return (*self._resource_providers(query), headers)
        match = re.fullmatch(r"/resource_providers/([^/]+)/(inventories|usages)", path)
        with self.state.lock:
            host = self.state.provider(match.group(1)) if match else None
            if host is None:
                return 404, _placement_error(404, f"No resource provider found at {path}"), headers
            if match.group(2) == "usages":
                usages = self.state.usage(host.name)
                return (
                    200,
                    {"resource_provider_generation": host.generation, "usages": usages},
                    headers,
                )
            inventories = {}
            for resource, total, reserved, ratio in (
                ("DISK_GB", host.local_gb, host.reserved_local_gb, host.disk_allocation_ratio),
                ("MEMORY_MB", host.memory_mb, host.reserved_memory_mb, host.ram_allocation_ratio),
                ("VCPU", host.vcpus, host.reserved_vcpus, host.cpu_allocation_ratio),
            ):
                inventories[resource] = {
                    "allocation_ratio": ratio,
                    "max_unit": total,
                    "min_unit": 1,
                    "reserved": reserved,
                    "step_size": 1,
                    "total": total,
                }
            generation = host.generation
        return (
            200,
            {"inventories": inventories, "resource_provider_generation": generation},
            headers,
        )

    def _resource_providers(self, query: dict) -> tuple[int, dict]:
        # Placement 1.14 takes these filters and refuses anything else, `limit` included: the
        # listing is never paged (placement/schemas/resource_provider.py, additionalProperties).
        unexpected = sorted(set(query) - {"name", "uuid", "member_of", "resources", "in_tree"})
        if unexpected:
            return 400, _placement_error(
                400,
                "Invalid query string parameters: Additional properties are not allowed "
                f"({unexpected[0]!r} was unexpected)",
            )
        with self.state.lock:
            hosts = list(self.state.hosts.values())
            providers = [
                {
                    "generation": h.generation,
                    "uuid": h.uuid,
                    "links": [{"href": f"/resource_providers/{h.uuid}", "rel": "self"}],
                    "name": h.name,
                    "parent_provider_uuid": None,
                    "root_provider_uuid": h.uuid,
                }
                for h in hosts
                if query.get("uuid", h.uuid) == h.uuid and query.get("name", h.name) == h.name
            ]
        return 200, {"resource_providers": providers}


_ID_AFTER = {"os-aggregates", "flavors", "os-services"}
_REASONS = {
    200: "OK",
    202: "Accepted",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    409: "Conflict",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


def _route_part(parts: list[str], index: int) -> str:
    part = parts[index]
    if index and parts[index - 1] in _ID_AFTER and part != "detail":
        return "*"
    return part


def _strip_version(path: str) -> str:
    return path[len("/v2.1") :] if path.startswith("/v2.1") else path


def _require(body, key: str):
    if not isinstance(body, dict) or key not in body:
        raise NovaFault(
            400,
            f"Invalid input for field/attribute {key}. Value: {body}. "
            f"'{key}' is a required property",
        )
    return body[key]


def _server_group(group, mv) -> dict:
    data = {"id": group.id, "name": group.name, "members": list(group.members)}
    if mv >= (2, 64):
        limit = group.max_server_per_host
        data["policy"] = group.policy
        data["rules"] = {} if limit is None else {"max_server_per_host": limit}
    else:
        data["policies"] = [group.policy]
        data["metadata"] = {}
    data["project_id"] = group.project_id
    data["user_id"] = "admin"
    return data


def _access(flavor: SimFlavor) -> dict:
    return {"flavor_access": [{"flavor_id": flavor.id, "tenant_id": t} for t in flavor.access]}


def _placement_error(status: int, detail: str) -> dict:
    return {
        "errors": [
            {
                "status": status,
                "title": _REASONS.get(status, ""),
                "detail": detail,
                "code": "placement.undefined_code",
                "request_id": "req-simulator",
            }
        ]
    }
