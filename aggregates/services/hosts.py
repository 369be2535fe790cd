"""Writes of hosts and servers of local clouds (create, edit, delete), and the compute service
status of any cloud."""

import uuid as uuid_module
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from aggregates import queries
from aggregates.choices import HostState, HostStatus, ServerStatus
from aggregates.errors import (
    DuplicateName,
    HostHasInstances,
    HostNotFound,
    InvalidInput,
    LocalCloudOnly,
)
from aggregates.models import Cloud, Flavor, Host, Server, ServerGroup
from aggregates.services.server_groups import group_refusal
from aggregates.services.validation import (
    User,
    check_integer,
    check_name,
    check_project_id,
    check_ratio,
)
from aggregates.sync import compute
from dashboard import audit

HOST_OPTIONAL_INTEGERS = (
    "vcpus_used",
    "memory_mb_used",
    "local_gb_used",
    "running_vms",
    "reserved_host_cpus",
    "reserved_host_memory_mb",
    "reserved_host_disk_mb",
)


HOST_RATIOS = ("cpu_allocation_ratio", "ram_allocation_ratio", "disk_allocation_ratio")


def create_host(
    cloud: Cloud,
    *,
    actor: User,
    name: str,
    vcpus: int,
    memory_mb: int,
    local_gb: int,
    hypervisor_hostname: str = "",
    hypervisor_type: str = "QEMU",
    status: str = HostStatus.ENABLED,
    disabled_reason: str = "",
    **optional: Any,
) -> Host:
    """Add a compute host to a local cloud; unset ratios and reserved amounts follow the cloud."""
    if cloud.is_connected:
        raise LocalCloudOnly(
            f"Hosts of connected cloud {cloud.slug} come from its compute API.", field="name"
        )
    name = check_name(name, field="name")
    unknown = set(optional) - set(HOST_OPTIONAL_INTEGERS) - set(HOST_RATIOS)
    if unknown:
        raise InvalidInput(f"Unknown host field(s): {', '.join(sorted(unknown))}.")
    values: dict[str, Any] = {}
    for field_name, value in (("vcpus", vcpus), ("memory_mb", memory_mb), ("local_gb", local_gb)):
        values[field_name] = check_integer(
            value, field=field_name, minimum=1 if field_name != "local_gb" else 0
        )
    for field_name in HOST_OPTIONAL_INTEGERS:
        value = optional.get(field_name)
        if value is None:
            value = cloud.scheduler_setting(field_name) if field_name.startswith("reserved") else 0
        values[field_name] = check_integer(value, field=field_name, minimum=0)
    for field_name in HOST_RATIOS:
        value = optional.get(field_name)
        values[field_name] = check_ratio(
            cloud.scheduler_setting(field_name) if value is None else value, field=field_name
        )
    if status not in HostStatus.values:
        raise InvalidInput(
            f"'status' must be one of {', '.join(HostStatus.values)}.", field="status"
        )
    with transaction.atomic():
        if Host.objects.filter(cloud=cloud, name=name).exists():
            raise DuplicateName(f"Compute host {name} already exists.", field="name")
        host = Host.objects.create(
            cloud=cloud,
            name=name,
            hypervisor_hostname=hypervisor_hostname or name,
            hypervisor_type=hypervisor_type,
            status=status,
            disabled_reason=disabled_reason if status == HostStatus.DISABLED else "",
            state=HostState.UP,
            last_seen_at=timezone.now(),
            **values,
        )
        audit.record_create(actor=actor, obj=host)
    return host


def find_host(cloud: Cloud, host: Host | str) -> Host:
    if isinstance(host, Host):
        if host.cloud_id != cloud.pk:
            raise HostNotFound(f"Compute host {host.name} could not be found.", field="host")
        return host
    # Exact match only: Nova rejects a host name that differs in letter case.
    found = Host.objects.filter(cloud=cloud, name=host).first() if isinstance(host, str) else None
    if found is None:
        raise HostNotFound(f"Compute host {host} could not be found.", field="host")
    return found


def create_server(
    cloud: Cloud,
    *,
    actor: User,
    name: str,
    host: Host,
    flavor: Flavor,
    project_id: str,
    status: str = ServerStatus.ACTIVE,
    server_uuid: uuid_module.UUID | None = None,
    server_group: ServerGroup | None = None,
) -> Server:
    """Record an instance on a host of a local cloud and count its flavor as used there."""
    if cloud.is_connected:
        raise LocalCloudOnly(f"Servers of connected cloud {cloud.slug} come from its compute API.")
    if host.cloud_id != cloud.pk or flavor.cloud_id != cloud.pk:
        raise InvalidInput("Host and flavor must belong to the cloud.", field="host")
    with transaction.atomic():
        host = Host.objects.select_for_update().select_related("cloud").get(pk=host.pk)
        if short := _no_room(host, flavor):
            # Placement would refuse the allocation: Nova never places such a server.
            raise InvalidInput(
                f"Host {host.name} has no room for flavor {flavor.name}: {short}.", field="host"
            )
        if server_group is not None:
            if server_group.cloud_id != cloud.pk:
                raise InvalidInput("The server group must belong to the cloud.", field="group")
            # Lock the group: two boots into it must not both pass its policy.
            server_group = ServerGroup.objects.select_for_update().get(pk=server_group.pk)
            if refusal := group_refusal(server_group, host):
                raise InvalidInput(
                    f"Nova would not place it on {host.name}: {refusal}.", field="host"
                )
        zone = queries.zone_of(Host.objects.prefetch_related("aggregates").get(pk=host.pk))
        try:
            server = Server.objects.create(
                cloud=cloud,
                uuid=server_uuid or uuid_module.uuid4(),
                name=check_name(name),
                host=host,
                flavor=flavor,
                flavor_name=flavor.name,
                project_id=check_project_id(project_id),
                status=status,
                availability_zone=zone,
                server_group=server_group,
                booted_at=timezone.now(),
            )
        except IntegrityError as exc:
            raise DuplicateName(f"Server {server_uuid} already exists.", field="uuid") from exc
        with audit.recording(actor=actor, obj=host):
            host.vcpus_used += flavor.vcpus
            host.memory_mb_used += flavor.ram
            host.local_gb_used += _disk_gb(flavor)
            host.running_vms += 1
            host.save()
        audit.record_create(actor=actor, obj=server)
    return server


def _disk_gb(flavor: Flavor) -> int:
    return flavor.disk + flavor.ephemeral + -(-flavor.swap // 1024)


def _no_room(host: Host, flavor: Flavor) -> str:
    """The classes the flavor does not fit on the host by Placement's arithmetic, or ''."""
    wanted = (
        ("VCPU", flavor.vcpus, host.vcpus_free),
        ("MEMORY_MB", flavor.ram, host.memory_mb_free),
        ("DISK_GB", _disk_gb(flavor), host.local_gb_free),
    )
    return "; ".join(
        f"{rc} needs {amount}, {max(free, 0)} free" for rc, amount, free in wanted if amount > free
    )


def set_host_status(host: Host, *, enabled: bool, disabled_reason: str = "", actor: User) -> Host:
    """Enable or disable a host's nova-compute service; on a connected cloud Nova decides first.

    As PUT /os-services/{id} (2.53+): the reason is optional, at most 255 characters, and
    only for a disable."""
    if not isinstance(disabled_reason, str) or len(disabled_reason) > 255:
        raise InvalidInput(
            "'disabled_reason' takes at most 255 characters.", field="disabled_reason"
        )
    if enabled and disabled_reason:
        raise InvalidInput(
            "Specifying 'disabled_reason' with status 'enabled' is invalid.",
            field="disabled_reason",
        )
    if host.cloud.is_connected:
        compute.set_compute_service_status(
            host.cloud, host.name, enabled=enabled, disabled_reason=disabled_reason or None
        )
    with transaction.atomic():
        host = Host.objects.select_for_update().select_related("cloud").get(pk=host.pk)
        with audit.recording(actor=actor, obj=host):
            host.status = HostStatus.ENABLED if enabled else HostStatus.DISABLED
            host.disabled_reason = "" if enabled else disabled_reason
            host.save(update_fields=["status", "disabled_reason", "updated_at"])
    return host


HOST_EDITABLE = ("name", "vcpus", "memory_mb", "local_gb", *HOST_OPTIONAL_INTEGERS, *HOST_RATIOS)


def update_host(host: Host, *, actor: User, **changes: Any) -> Host:
    """Change a local cloud's host: its name (as Nova's service host names: 1–255 printable
    characters, no surrounding spaces), totals, usage, reserved amounts or ratios."""
    if host.cloud.is_connected:
        raise LocalCloudOnly(
            f"Hosts of connected cloud {host.cloud.slug} come from its compute API.", field="name"
        )
    unknown = set(changes) - set(HOST_EDITABLE)
    if unknown:
        raise InvalidInput(f"Unknown host field(s): {', '.join(sorted(unknown))}.")
    values: dict[str, Any] = {}
    for field_name, value in changes.items():
        if field_name == "name":
            values[field_name] = check_name(value, field="name")
        elif field_name in HOST_RATIOS:
            values[field_name] = check_ratio(value, field=field_name)
        else:
            minimum = 1 if field_name in ("vcpus", "memory_mb") else 0
            values[field_name] = check_integer(value, field=field_name, minimum=minimum)
    with transaction.atomic():
        host = Host.objects.select_for_update().select_related("cloud").get(pk=host.pk)
        name = values.get("name", host.name)
        if Host.all_objects.filter(cloud=host.cloud, name=name).exclude(pk=host.pk).exists():
            raise DuplicateName(f"Compute host {name} already exists.", field="name")
        with audit.recording(actor=actor, obj=host):
            for field_name, value in values.items():
                setattr(host, field_name, value)
            host.save()
    return host


def delete_host(host: Host, *, actor: User) -> None:
    """Delete a local cloud's host and its aggregate memberships, refused (as Nova refuses
    DELETE /os-services/{id}) while it hosts instances."""
    if host.cloud.is_connected:
        raise LocalCloudOnly(
            f"Hosts of connected cloud {host.cloud.slug} come from its compute API; "
            "delete its compute service there.",
            field="host",
        )
    with transaction.atomic():
        host = Host.objects.select_for_update().select_related("cloud").get(pk=host.pk)
        if host.servers.exists():
            raise HostHasInstances(
                "Unable to delete compute service that is hosting instances. "
                "Migrate or delete the instances first.",
                field="host",
            )
        # Nova removes a deleted compute service's host from its aggregates: audited on each.
        for aggregate in host.aggregates.select_for_update().order_by("pk"):
            with audit.recording(actor=actor, obj=aggregate):
                aggregate.hosts.remove(host)
                aggregate.save(update_fields=["updated_at"])
        with audit.recording_delete(actor=actor, obj=host):
            host.delete()
