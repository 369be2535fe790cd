"""The compute API's replies as dataclasses, and the checked reading of its JSON into them."""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from aggregates.sync.errors import InvalidReply


@dataclass(frozen=True)
class HostDefaults:
    """nova.conf values the pre-2.88 hypervisor API does not report (reserved amounts, ratios)."""

    reserved_host_cpus: int = 0
    reserved_host_memory_mb: int = 512
    reserved_host_disk_mb: int = 0
    cpu_allocation_ratio: float = 4.0  # Nova's initial_* defaults
    ram_allocation_ratio: float = 1.0
    disk_allocation_ratio: float = 1.0


@dataclass(frozen=True)
class RemoteAggregate:
    id: int
    uuid: str
    name: str
    availability_zone: str | None
    hosts: tuple[str, ...]
    metadata: dict[str, str]


@dataclass(frozen=True)
class RemoteZone:
    name: str
    available: bool


@dataclass(frozen=True)
class RemoteFlavor:
    id: str
    name: str
    vcpus: int
    ram: int
    disk: int
    ephemeral: int
    swap: int
    rxtx_factor: float
    is_public: bool
    disabled: bool
    description: str | None
    extra_specs: dict[str, str]
    access: tuple[str, ...] = ()  # project ids, private flavors only


@dataclass(frozen=True)
class PlacementFigures:
    """A provider's inventories and usages in Nova's terms (a RemoteHost carries them too)."""

    vcpus: int
    memory_mb: int
    local_gb: int
    vcpus_used: int
    memory_mb_used: int
    local_gb_used: int
    reserved_vcpus: int
    reserved_memory_mb: int
    reserved_disk_mb: int
    cpu_allocation_ratio: float
    ram_allocation_ratio: float
    disk_allocation_ratio: float


@dataclass(frozen=True)
class RemoteHost(PlacementFigures):
    """One compute node with its service, in Placement's arithmetic: `*_used` excludes reserved."""

    id: str
    name: str  # the service host, as aggregates name it
    hypervisor_hostname: str
    hypervisor_type: str
    host_ip: str | None
    service_id: str
    status: str
    state: str
    disabled_reason: str | None
    # 2.88+: the generation of its resource provider when the figures were read
    placement_generation: int | None = None
    # The compute node's own free disk (GB) as the hypervisor reports it, which the scheduler's
    # DiskWeigher takes when smaller than the free disk by usage (host_manager.py); only the
    # hypervisor listing up to 2.87 shows it. None: not reported.
    disk_available_least: int | None = None


@dataclass(frozen=True)
class KnownProvider:
    """A provider as the previous sync read it; its figures are reused while its generation and
    the servers the listing places on its host are both unchanged (see `list_hosts`)."""

    generation: int
    servers: frozenset[str]
    figures: PlacementFigures
    reread_usages: bool = False  # read the usages again all the same


@dataclass(frozen=True)
class RemoteService:
    id: str
    binary: str
    host: str
    zone: str | None
    status: str
    state: str | None
    disabled_reason: str | None
    forced_down: bool


@dataclass(frozen=True)
class RemoteServer:
    """A server with its flavor as Nova embeds it (2.47+): the values and extra specs at boot."""

    id: str
    name: str
    status: str
    project_id: str
    host: str | None
    hypervisor_hostname: str | None
    availability_zone: str | None
    flavor_name: str
    vcpus: int
    ram: int
    disk: int
    ephemeral: int = 0
    swap: int = 0
    extra_specs: dict[str, str] = field(default_factory=dict)  # the flavor's, at boot
    pinned_zone: str | None = None  # the zone the server was asked for (2.96+)
    fault: str = ""  # why an ERROR server failed, as Nova recorded it
    created: datetime | None = None  # when it was booted


GROUP_POLICIES = ("affinity", "anti-affinity", "soft-affinity", "soft-anti-affinity")


@dataclass(frozen=True)
class RemoteServerGroup:
    id: str
    name: str
    project_id: str
    policy: str
    max_server_per_host: int | None  # the one rule Nova has (2.64+, anti-affinity only)
    members: tuple[str, ...]


@dataclass
class Snapshot:
    """A complete listing of one cloud; only built when every call and page succeeded."""

    microversion: str
    aggregates: list[RemoteAggregate] = field(default_factory=list)
    zones: list[RemoteZone] = field(default_factory=list)
    flavors: list[RemoteFlavor] = field(default_factory=list)
    hosts: list[RemoteHost] = field(default_factory=list)
    services: list[RemoteService] = field(default_factory=list)
    servers: list[RemoteServer] = field(default_factory=list)
    server_groups: list[RemoteServerGroup] = field(default_factory=list)


def parse_version(text: str, *, field_name: str = "microversion") -> tuple[int, int]:
    try:
        major, minor = text.strip().split(".")
        return int(major), int(minor)
    except (AttributeError, ValueError) as exc:
        raise InvalidReply(f"{field_name}: not a microversion: {text!r}", field=field_name) from exc


def format_version(version: tuple[int, int]) -> str:
    return f"{version[0]}.{version[1]}"


class Reader:
    """Typed access to a JSON reply; every failure names the field by its path."""

    TYPES = {int: "integer", str: "string", bool: "boolean", dict: "object", list: "array"}

    def __init__(self, value: Any, path: str):
        self.value = value
        self.path = path

    def _fail(self, problem: str) -> InvalidReply:
        return InvalidReply(f"Invalid compute API reply: {self.path}: {problem}", field=self.path)

    def get(self, key: str, kind: type | tuple[type, ...], *, optional: bool = False) -> Any:
        if not isinstance(self.value, dict):
            raise self._fail("expected an object")
        path = f"{self.path}.{key}"
        if key not in self.value:
            if optional:
                return None
            raise InvalidReply(f"Invalid compute API reply: {path}: missing", field=path)
        value = self.value[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if value is None and (optional or type(None) in kinds):
            return None
        # bool is an int in Python; a number field holding true/false is still wrong.
        ok = isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds)
        if float in kinds and isinstance(value, int) and not isinstance(value, bool):
            ok = True
        if not ok:
            names = " or ".join(self.TYPES.get(k, k.__name__) for k in kinds if k is not type(None))
            raise InvalidReply(
                f"Invalid compute API reply: {path}: expected {names}, got {value!r}", field=path
            )
        return value

    def text(self, key: str, *, max_length: int, optional: bool = False) -> str | None:
        """A string that fits our column (Nova's own limits are the same or wider)."""
        value = self.get(key, str, optional=optional)
        if value is not None and len(value) > max_length:
            raise InvalidReply(
                f"Invalid compute API reply: {self.path}.{key}: longer than {max_length} "
                "characters",
                field=f"{self.path}.{key}",
            )
        return value

    def choice(self, key: str, allowed: tuple[str, ...]) -> str:
        """A string from Nova's vocabulary for the field."""
        value = self.get(key, str)
        if value not in allowed:
            raise InvalidReply(
                f"Invalid compute API reply: {self.path}.{key}: expected one of "
                f"{', '.join(allowed)}, got {value!r}",
                field=f"{self.path}.{key}",
            )
        return value

    def uuid(self, key: str) -> str:
        value = self.get(key, str)
        try:
            uuid_module.UUID(value)
        except ValueError:
            raise InvalidReply(
                f"Invalid compute API reply: {self.path}.{key}: expected a UUID, got {value!r}",
                field=f"{self.path}.{key}",
            ) from None
        return value

    def timestamp(self, key: str, *, optional: bool = False) -> datetime | None:
        """An ISO 8601 time (Nova's `created`), UTC when it names no offset."""
        value = self.get(key, str, optional=optional)
        if value is None:
            return None
        try:
            found = datetime.fromisoformat(value)
        except ValueError:
            raise InvalidReply(
                f"Invalid compute API reply: {self.path}.{key}: expected an ISO 8601 time, "
                f"got {value!r}",
                field=f"{self.path}.{key}",
            ) from None
        return found if found.tzinfo else found.replace(tzinfo=UTC)

    def child(self, key: str) -> Reader:
        return Reader(self.get(key, dict), f"{self.path}.{key}")

    def items(self, key: str) -> Iterator[Reader]:
        for index, item in enumerate(self.get(key, list)):
            yield Reader(item, f"{self.path}.{key}[{index}]")


def fault_message(payload: Any) -> str:
    """Nova's `{"<fault>": {"code", "message"}}` or Placement's `{"errors": [{"detail"}]}`."""
    if isinstance(payload, dict):
        if isinstance(payload.get("errors"), list) and payload["errors"]:
            first = payload["errors"][0]
            if isinstance(first, dict):
                return str(first.get("detail") or first.get("title") or first)
        for value in payload.values():
            if isinstance(value, dict) and "message" in value:
                return str(value["message"])
    return str(payload)[:500] if payload else "no message"


def next_marker(reply: Reader, links_key: str) -> str | None:
    links = reply.get(links_key, list, optional=True) or []
    for index, link in enumerate(links):
        link_reader = Reader(link, f"{reply.path}.{links_key}[{index}]")
        if link_reader.get("rel", str) != "next":
            continue
        query = parse_qs(urlsplit(link_reader.get("href", str)).query)
        markers = query.get("marker")
        if not markers:
            raise InvalidReply(
                f"Invalid compute API reply: {links_key}[{index}].href: next link has no marker",
                field=links_key,
            )
        return markers[0]
    return None


def remote_aggregate(item: Reader) -> RemoteAggregate:
    metadata = item.get("metadata", dict, optional=True) or {}
    for key, value in metadata.items():
        if not isinstance(value, str):
            raise InvalidReply(
                f"Invalid compute API reply: {item.path}.metadata.{key}: expected string",
                field=f"{item.path}.metadata",
            )
    hosts = item.get("hosts", list, optional=True) or []
    if not all(isinstance(host, str) for host in hosts):
        raise InvalidReply(
            f"Invalid compute API reply: {item.path}.hosts: expected strings",
            field=f"{item.path}.hosts",
        )
    return RemoteAggregate(
        id=item.get("id", int),
        uuid=item.get("uuid", str, optional=True) or "",
        name=item.get("name", str),
        availability_zone=item.get("availability_zone", str, optional=True),
        hosts=tuple(sorted(hosts)),
        metadata=dict(metadata),
    )


def remote_flavor(item: Reader, specs: dict, access: tuple[str, ...]) -> RemoteFlavor:
    swap = item.get("swap", (int, str))
    if isinstance(swap, str):  # before 2.75 a flavor without swap reports ""
        swap = int(swap) if swap.isdigit() else 0
    for key, value in specs.items():
        if not isinstance(value, str):
            raise InvalidReply(
                f"Invalid compute API reply: {item.path}.extra_specs.{key}: expected string",
                field=f"{item.path}.extra_specs",
            )
    rxtx = item.get("rxtx_factor", float, optional=True)
    return RemoteFlavor(
        id=item.get("id", str),
        name=item.get("name", str),
        vcpus=item.get("vcpus", int),
        ram=item.get("ram", int),
        disk=item.get("disk", int),
        ephemeral=item.get("OS-FLV-EXT-DATA:ephemeral", int, optional=True) or 0,
        swap=swap,
        rxtx_factor=float(rxtx) if rxtx is not None else 1.0,
        is_public=item.get("os-flavor-access:is_public", bool),
        disabled=bool(item.get("OS-FLV-DISABLED:disabled", bool, optional=True)),
        description=item.get("description", str, optional=True),
        extra_specs=dict(specs),
        access=access,
    )


def hypervisor_identity(item: Reader, service: Reader) -> dict[str, Any]:
    return {
        "id": str(item.get("id", (str, int))),
        "name": service.text("host", max_length=255),
        "hypervisor_hostname": item.text("hypervisor_hostname", max_length=255),
        "hypervisor_type": item.text("hypervisor_type", max_length=50, optional=True) or "",
        "host_ip": item.get("host_ip", str, optional=True),
        "service_id": str(service.get("id", (str, int))),
        "status": item.choice("status", ("enabled", "disabled")),
        "state": item.choice("state", ("up", "down")),
        "disabled_reason": service.get("disabled_reason", str, optional=True),
        "disk_available_least": item.get("disk_available_least", int, optional=True),
    }


def string_map(item: Reader, key: str) -> dict[str, str]:
    """An object of strings (extra specs), each bad value named by its key."""
    values = item.get(key, dict)
    for name, value in values.items():
        if not isinstance(value, str):
            raise InvalidReply(
                f"Invalid compute API reply: {item.path}.{key}.{name}: expected string, "
                f"got {value!r}",
                field=f"{item.path}.{key}",
            )
    return dict(values)


def remote_server_group(item: Reader, *, with_rules: bool) -> RemoteServerGroup:
    """A group as 2.64+ shows it (`policy`, `rules`) or as before (`policies`, one of them)."""
    limit = None
    if with_rules:
        policy = item.choice("policy", GROUP_POLICIES)
        limit = item.child("rules").get("max_server_per_host", int, optional=True)
        if limit is not None and (policy != "anti-affinity" or limit < 1):
            raise InvalidReply(
                f"Invalid compute API reply: {item.path}.rules.max_server_per_host: "
                f"{limit!r} with policy {policy} (Nova: at least 1, anti-affinity only)",
                field=f"{item.path}.rules.max_server_per_host",
            )
    else:
        policies = item.get("policies", list)
        if len(policies) != 1 or policies[0] not in GROUP_POLICIES:
            raise InvalidReply(
                f"Invalid compute API reply: {item.path}.policies: expected one of "
                f"{', '.join(GROUP_POLICIES)}, got {policies!r}",
                field=f"{item.path}.policies",
            )
        policy = policies[0]
    members = item.get("members", list)
    for index, member in enumerate(members):
        try:
            uuid_module.UUID(member)
        except (AttributeError, TypeError, ValueError):
            raise InvalidReply(
                f"Invalid compute API reply: {item.path}.members[{index}]: expected a server "
                f"UUID, got {member!r}",
                field=f"{item.path}.members",
            ) from None
    return RemoteServerGroup(
        id=item.uuid("id"),
        name=item.text("name", max_length=255) or "",
        project_id=item.text("project_id", max_length=255) or "",
        policy=policy,
        max_server_per_host=limit,
        members=tuple(members),
    )
