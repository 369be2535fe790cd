"""The write path: each edit of a connected cloud goes to its compute API first (services call it).

Every function raises the compute API's refusal as a DomainError carrying Nova's status and
message (`ComputeApiError`), or `ComputeUnavailable`; the caller mirrors the change only after
the call returned.
"""

from __future__ import annotations

from typing import Any

from aggregates.sync.client import ComputeClient
from aggregates.sync.remote import HostDefaults


def client_for(cloud) -> ComputeClient:
    """A client for `cloud`'s clouds.yaml entry; nova.conf-like values come from the cloud."""
    return ComputeClient(cloud.os_cloud, host_defaults=host_defaults(cloud))


def host_defaults(cloud) -> HostDefaults:
    setting = cloud.scheduler_setting
    return HostDefaults(
        reserved_host_cpus=int(setting("reserved_host_cpus")),
        reserved_host_memory_mb=int(setting("reserved_host_memory_mb")),
        reserved_host_disk_mb=int(setting("reserved_host_disk_mb")),
        cpu_allocation_ratio=float(setting("cpu_allocation_ratio")),
        ram_allocation_ratio=float(setting("ram_allocation_ratio")),
        disk_allocation_ratio=float(setting("disk_allocation_ratio")),
    )


def create_aggregate(cloud, *, name: str, availability_zone: str | None) -> dict[str, Any]:
    created = client_for(cloud).create_aggregate(name, availability_zone)
    return {"id": created.id, "uuid": created.uuid or None}


def update_aggregate(cloud, remote_id: int, **changes: Any) -> None:
    client_for(cloud).update_aggregate(
        remote_id, name=changes.get("name"), availability_zone=changes.get("availability_zone")
    )


def set_aggregate_metadata(cloud, remote_id: int, metadata: dict[str, str | None]) -> None:
    client_for(cloud).aggregate_action(remote_id, "set_metadata", {"metadata": metadata})


def delete_aggregate(cloud, remote_id: int) -> None:
    client_for(cloud).delete_aggregate(remote_id)


def add_host_to_aggregate(cloud, remote_id: int, host: str) -> None:
    client_for(cloud).aggregate_action(remote_id, "add_host", {"host": host})


def remove_host_from_aggregate(cloud, remote_id: int, host: str) -> None:
    client_for(cloud).aggregate_action(remote_id, "remove_host", {"host": host})


def create_flavor(cloud, fields: dict[str, Any]) -> dict[str, Any]:
    """`fields` use our model's names; Nova's body spells ephemeral its own way."""
    body = {k: v for k, v in fields.items() if v is not None and k != "ephemeral"}
    if fields.get("ephemeral") is not None:
        body["OS-FLV-EXT-DATA:ephemeral"] = fields["ephemeral"]
    created = client_for(cloud).create_flavor(**body)
    return {"id": created.id}


def update_flavor(cloud, flavor_id: str, description: str | None) -> None:
    client_for(cloud).update_flavor(flavor_id, description)


def delete_flavor(cloud, flavor_id: str) -> None:
    client_for(cloud).delete_flavor(flavor_id)


def set_flavor_extra_specs(cloud, flavor_id: str, extra_specs: dict[str, str]) -> None:
    client_for(cloud).set_flavor_extra_specs(flavor_id, extra_specs)


def delete_flavor_extra_spec(cloud, flavor_id: str, key: str) -> None:
    client_for(cloud).delete_flavor_extra_spec(flavor_id, key)


def add_flavor_access(cloud, flavor_id: str, project_id: str) -> None:
    client_for(cloud).flavor_access_action(flavor_id, "addTenantAccess", project_id)


def remove_flavor_access(cloud, flavor_id: str, project_id: str) -> None:
    client_for(cloud).flavor_access_action(flavor_id, "removeTenantAccess", project_id)


def set_compute_service_status(
    cloud, host: str, *, enabled: bool, disabled_reason: str | None = None
) -> None:
    """Enable or disable the nova-compute service of `host` (PUT /os-services/{uuid}, 2.53+)."""
    client = client_for(cloud)
    client.update_service(
        client.compute_service_id(host), enabled=enabled, disabled_reason=disabled_reason
    )
