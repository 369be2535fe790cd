"""Every write of resource segregation, with the rules Nova enforces, in Nova's words.

Each service runs in one transaction and writes an audit entry. For a *connected* cloud the compute
API decides first: the service calls `aggregates/sync/compute.py` (`compute.<operation>(cloud, …)`,
which raises a DomainError carrying Nova's status and message) and only then mirrors the accepted
change locally, skipping the local rule checks. Local clouds are checked here.
"""

import re
import uuid as uuid_module
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from aggregates import queries
from aggregates.choices import CloudKind, HostState, HostStatus, ServerStatus
from aggregates.errors import (
    AggregateHostExists,
    AvailabilityZoneConflict,
    DuplicateName,
    ExtraSpecNotFound,
    FlavorAccessError,
    HostNotFound,
    InvalidAggregateAction,
    InvalidInput,
    LocalCloudOnly,
)
from aggregates.models import NOVA_DEFAULTS, Aggregate, Cloud, Flavor, Host, Server
from aggregates.models.aggregates import AZ_KEY
from aggregates.placement_preview import validate_changes
from aggregates.scheduling import SchedulerConfigError, scheduler_config_from_options
from aggregates.sync import compute
from aggregates.validation import (
    check_extra_specs,
    check_flavor_id,
    check_metadata,
    check_name,
    check_zone_name,
)
from dashboard import audit
from dashboard.errors import DomainError, NotFound

User = Any
UNSET: Any = object()
MAX_INT = 2_147_483_647  # Nova's schema bound for flavor integers (and PostgreSQL's integer)


def _compute(cloud: Cloud):
    """The compute API of a connected cloud: it is the system of record, so edits go there first."""
    return compute


# Clouds and hosts


def create_cloud(
    *,
    actor: User,
    slug: str,
    name: str,
    kind: str = CloudKind.LOCAL,
    region: str = "",
    os_cloud: str = "",
    default_availability_zone: str = "nova",
) -> Cloud:
    """Create a cloud; connected clouds name their clouds.yaml entry (no secret is stored)."""
    if kind not in CloudKind.values:
        raise InvalidInput(f"'kind' must be one of {', '.join(CloudKind.values)}.", field="kind")
    # ASCII only: the slug is a path segment, and Django's <slug:> matches no other letters.
    if not slug or len(slug) > 50 or not re.fullmatch(r"[-a-zA-Z0-9_]+", slug):
        raise InvalidInput("'slug' needs 1–50 ASCII letters, digits, '-' or '_'.", field="slug")
    if not name.strip() or len(name) > 100:
        raise InvalidInput("'name' needs 1–100 characters.", field="name")
    if kind == CloudKind.CONNECTED and not os_cloud.strip():
        raise InvalidInput(
            "A connected cloud needs the name of its clouds.yaml entry.", field="os_cloud"
        )
    if kind == CloudKind.LOCAL and os_cloud:
        raise InvalidInput("Only connected clouds have a clouds.yaml entry.", field="os_cloud")
    check_zone_name(default_availability_zone, field="default_availability_zone")
    with transaction.atomic():
        if Cloud.objects.filter(slug=slug).exists():
            raise DuplicateName(f"Cloud {slug} already exists.", field="slug")
        cloud = Cloud.objects.create(
            slug=slug,
            name=name.strip(),
            kind=kind,
            region=region.strip(),
            os_cloud=os_cloud.strip(),
            default_availability_zone=default_availability_zone,
        )
        audit.record_create(actor=actor, obj=cloud)
    return cloud


def update_cloud(
    cloud: Cloud,
    *,
    actor: User,
    name: Any = UNSET,
    region: Any = UNSET,
    default_availability_zone: Any = UNSET,
    scheduler_config: Any = UNSET,
) -> Cloud:
    """Change a cloud's name, region, default zone or scheduler options (Nova option names)."""
    changes: dict[str, Any] = {}
    if name is not UNSET:
        if not isinstance(name, str) or not name.strip() or len(name) > 100:
            raise InvalidInput("'name' needs 1–100 characters.", field="name")
        changes["name"] = name.strip()
    if region is not UNSET:
        changes["region"] = str(region).strip()[:100]
    if default_availability_zone is not UNSET:
        changes["default_availability_zone"] = check_zone_name(
            default_availability_zone, field="default_availability_zone"
        )
    if scheduler_config is not UNSET:
        if not isinstance(scheduler_config, dict) or not all(
            isinstance(key, str) for key in scheduler_config
        ):
            raise InvalidInput(
                "'scheduler_config' must be an object of Nova option names.",
                field="scheduler_config",
            )
        changes["scheduler_config"] = scheduler_config
    with transaction.atomic():
        cloud.refresh_from_db(from_queryset=Cloud.objects.select_for_update())
        with audit.recording(actor=actor, obj=cloud):
            for field_name, value in changes.items():
                setattr(cloud, field_name, value)
            cloud.save()
    return cloud


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
        values[field_name] = _integer(
            value, field=field_name, minimum=1 if field_name != "local_gb" else 0
        )
    for field_name in HOST_OPTIONAL_INTEGERS:
        value = optional.get(field_name)
        if value is None:
            value = cloud.scheduler_setting(field_name) if field_name.startswith("reserved") else 0
        values[field_name] = _integer(value, field=field_name, minimum=0)
    for field_name in HOST_RATIOS:
        value = optional.get(field_name)
        values[field_name] = _ratio(
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


def _integer(value: Any, *, field: str, minimum: int = 0, maximum: int = MAX_INT) -> int:
    if isinstance(value, bool):
        raise InvalidInput(f"'{field}' must be an integer.", field=field)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"'{field}' must be an integer.", field=field) from None
    if isinstance(value, float) and value != number:
        raise InvalidInput(f"'{field}' must be an integer.", field=field)
    if not minimum <= number <= maximum:
        raise InvalidInput(f"'{field}' must be between {minimum} and {maximum}.", field=field)
    return number


def _ratio(value: Any, *, field: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"'{field}' must be a number.", field=field) from None
    if not 0 < number < 1e6:
        raise InvalidInput(f"'{field}' must be greater than 0.", field=field)
    return number


# Aggregates (nova-scheduling.md §2.3; nova/compute/api.py AggregateAPI)


def create_aggregate(
    cloud: Cloud, *, actor: User, name: str, availability_zone: str | None = None
) -> Aggregate:
    """Create an aggregate, optionally being an availability zone; 409 on a duplicate name."""
    name = check_name(name)
    if availability_zone is not None:
        check_zone_name(availability_zone)
    metadata = {AZ_KEY: availability_zone} if availability_zone is not None else {}
    remote: dict = {}
    if cloud.is_connected:
        remote = _compute(cloud).create_aggregate(
            cloud, name=name, availability_zone=availability_zone
        )
    with transaction.atomic():
        if Aggregate.objects.filter(cloud=cloud, name=name).exists():
            raise DuplicateName(f"Aggregate {name} already exists.", field="name")
        aggregate = Aggregate.objects.create(
            cloud=cloud,
            name=name,
            metadata=metadata,
            remote_id=remote.get("id"),
            uuid=remote.get("uuid") or uuid_module.uuid4(),
        )
        audit.record_create(actor=actor, obj=aggregate)
    return aggregate


def update_aggregate(
    aggregate: Aggregate, *, actor: User, name: Any = UNSET, availability_zone: Any = UNSET
) -> Aggregate:
    """Rename and/or change the zone (PUT). Like Nova, a rename is saved before the zone check."""
    if name is UNSET and availability_zone is UNSET:
        raise InvalidInput("Give 'name' and/or 'availability_zone'.")
    if name is not UNSET:
        name = check_name(name, strip=True)
    if availability_zone not in (UNSET, None, ""):
        check_zone_name(availability_zone)
    cloud = aggregate.cloud
    if cloud.is_connected:
        changes = {k: v for k, v in (("name", name), (AZ_KEY, availability_zone)) if v is not UNSET}
        _compute(cloud).update_aggregate(cloud, aggregate.remote_id, **changes)
    with transaction.atomic():
        aggregate = _lock_aggregate(aggregate)
        with audit.recording(actor=actor, obj=aggregate):
            if name is not UNSET and name != aggregate.name:
                if (
                    Aggregate.objects.filter(cloud=cloud, name=name)
                    .exclude(pk=aggregate.pk)
                    .exists()
                ):
                    raise DuplicateName(f"Aggregate {name} already exists.", field="name")
                aggregate.name = name
                aggregate.save(update_fields=["name", "updated_at"])
    if availability_zone is UNSET:
        return aggregate
    try:
        with transaction.atomic():
            aggregate = _lock_aggregate(aggregate)
            if not cloud.is_connected:
                _check_zone_change(aggregate, availability_zone, action="update")
            with audit.recording(actor=actor, obj=aggregate):
                aggregate.metadata = {**aggregate.metadata, AZ_KEY: availability_zone}
                aggregate.save(update_fields=["metadata", "updated_at"])
    except DomainError as error:
        error.field = error.field or AZ_KEY
        raise
    return aggregate


def set_aggregate_metadata(
    aggregate: Aggregate, metadata: dict[str, str | None], *, actor: User
) -> Aggregate:
    """Merge `metadata` into the aggregate's: a string sets a key, null deletes it (Nova)."""
    metadata = check_metadata(metadata)
    cloud = aggregate.cloud
    if cloud.is_connected:
        _compute(cloud).set_aggregate_metadata(cloud, aggregate.remote_id, metadata)
    with transaction.atomic():
        aggregate = _lock_aggregate(aggregate)
        if AZ_KEY in metadata and not cloud.is_connected:
            _check_zone_change(aggregate, metadata[AZ_KEY], action="update metadata of")
        merged = dict(aggregate.metadata)
        for key, value in metadata.items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = value
        with audit.recording(actor=actor, obj=aggregate):
            aggregate.metadata = merged
            aggregate.save(update_fields=["metadata", "updated_at"])
    return aggregate


def delete_aggregate(aggregate: Aggregate, *, actor: User) -> None:
    """Delete an empty aggregate; Nova refuses (400) while it holds hosts."""
    cloud = aggregate.cloud
    with transaction.atomic():
        aggregate = _lock_aggregate(aggregate)
        if not cloud.is_connected and aggregate.hosts.exists():
            raise InvalidAggregateAction(
                f"Cannot remove host from aggregate {aggregate.pk}. "
                "Reason: Host aggregate is not empty.",
                status=400,
            )
        if cloud.is_connected:
            _compute(cloud).delete_aggregate(cloud, aggregate.remote_id)
        with audit.recording_delete(actor=actor, obj=aggregate):
            aggregate.delete()


def add_host_to_aggregate(aggregate: Aggregate, host: Host | str, *, actor: User) -> Aggregate:
    """Add a compute host, refusing what Nova refuses (404 unknown, 409 zone conflict, …)."""
    cloud = aggregate.cloud
    host = _find_host(cloud, host)
    if cloud.is_connected:
        _compute(cloud).add_host_to_aggregate(cloud, aggregate.remote_id, host.name)
    with transaction.atomic():
        # Lock the host: two concurrent adds of one host run their zone checks one at a time.
        host = Host.objects.select_for_update().get(pk=host.pk)
        aggregate = _lock_aggregate(aggregate)
        if not cloud.is_connected:
            _check_add_host(aggregate, host)
        with audit.recording(actor=actor, obj=aggregate):
            aggregate.hosts.add(host)
            aggregate.save(update_fields=["updated_at"])
    return aggregate


def remove_host_from_aggregate(aggregate: Aggregate, host: Host | str, *, actor: User) -> Aggregate:
    """Remove a host; 404 when it is not in the aggregate, 409 when its instances would move AZ."""
    cloud = aggregate.cloud
    name = host.name if isinstance(host, Host) else host
    found = Host.objects.filter(cloud=cloud, name=name).first()
    if found is None or not aggregate.hosts.filter(pk=found.pk).exists():
        raise NotFound(f"Cannot remove host {name} in aggregate {aggregate.pk}", field="host")
    if cloud.is_connected:
        _compute(cloud).remove_host_from_aggregate(cloud, aggregate.remote_id, found.name)
    with transaction.atomic():
        host = Host.objects.select_for_update().get(pk=found.pk)
        aggregate = _lock_aggregate(aggregate)
        if not cloud.is_connected and aggregate.availability_zone is not None:
            _check_instances_stay_in_zone(aggregate, host, adding=False)
        with audit.recording(actor=actor, obj=aggregate):
            aggregate.hosts.remove(host)
            aggregate.save(update_fields=["updated_at"])
    return aggregate


def _lock_aggregate(aggregate: Aggregate) -> Aggregate:
    """Lock the row and refresh the caller's instance from it (checks see committed state)."""
    aggregate.refresh_from_db(from_queryset=Aggregate.objects.select_for_update())
    return aggregate


def _find_host(cloud: Cloud, host: Host | str) -> Host:
    if isinstance(host, Host):
        if host.cloud_id != cloud.pk:
            raise HostNotFound(f"Compute host {host.name} could not be found.", field="host")
        return host
    # Exact match only: Nova rejects a host name that differs in letter case.
    found = Host.objects.filter(cloud=cloud, name=host).first() if isinstance(host, str) else None
    if found is None:
        raise HostNotFound(f"Compute host {host} could not be found.", field="host")
    return found


def _check_add_host(aggregate: Aggregate, host: Host) -> None:
    zone = aggregate.availability_zone
    if zone is not None:
        # Nova's is_safe_to_update_az: 409 here, though set_metadata answers 400 for the same.
        conflicting = [z for z in queries.zones_of_host(host, excluding=aggregate) if z != zone]
        if conflicting:
            raise AvailabilityZoneConflict(
                f"Cannot add host to aggregate {aggregate.pk}. "
                f"Reason: One or more hosts already in availability zone(s) {conflicting}. "
                f"(Host {host.name} is in zone(s) {', '.join(sorted(set(conflicting)))}; "
                f"aggregate {aggregate.name} is zone {zone}.)",
                field="host",
                status=409,
            )
        _check_instances_stay_in_zone(aggregate, host, adding=True)
    if aggregate.hosts.filter(pk=host.pk).exists():
        raise AggregateHostExists(
            f"Aggregate {aggregate.pk} already has host {host.name}.", field="host"
        )


def _check_instances_stay_in_zone(aggregate: Aggregate, host: Host, *, adding: bool) -> None:
    """A host with instances may not change its effective zone by joining or leaving (Nova 19+)."""
    if adding:
        zones = queries.zones_of_host(host)
        old, new = (zones[0] if zones else None), aggregate.availability_zone
    else:
        others = queries.zones_of_host(host, excluding=aggregate)
        old, new = aggregate.availability_zone, (others[0] if others else None)
    if old == new:
        return
    instances = queries.count_instances([host])
    if not instances:
        return
    verb, action = ("added to", "add host to") if adding else ("removed from", "remove host from")
    raise InvalidAggregateAction(
        f"Cannot {action} aggregate {aggregate.pk}. Reason: The host cannot be {verb} the "
        f"aggregate as the availability zone of the host would change from '{old}' to '{new}' "
        f"but the host already has {instances} instance(s). Changing the AZ of an existing "
        "instance is not supported by this action. Move the instances away from this host then "
        "try again. If you need to move the instances between AZs then you can use "
        "shelve_offload and unshelve to achieve this.",
        field="host",
        status=409,
    )


def _check_zone_change(aggregate: Aggregate, zone: Any, *, action: str) -> None:
    """Nova's is_safe_to_update_az for PUT and set_metadata: every refusal is a 400."""
    prefix = f"Cannot {action} aggregate {aggregate.pk}. Reason:"
    if not zone:
        raise AvailabilityZoneConflict(
            f"{prefix} Aggregate {aggregate.name} does not support empty named availability zone.",
            field=AZ_KEY,
            status=400,
        )
    hosts = list(aggregate.hosts.all())
    conflicting = [
        m[AZ_KEY]
        for m in Aggregate.objects.filter(hosts__in=hosts, metadata__has_key=AZ_KEY)
        .exclude(pk=aggregate.pk)
        .order_by("pk")
        .values_list("metadata", flat=True)
        if m[AZ_KEY] != zone
    ]
    if conflicting:
        raise AvailabilityZoneConflict(
            f"{prefix} One or more hosts already in availability zone(s) {conflicting}.",
            field=AZ_KEY,
            status=400,
        )
    if zone != aggregate.availability_zone and queries.count_instances(hosts):
        raise AvailabilityZoneConflict(
            f"{prefix} One or more hosts contain instances in this zone.", field=AZ_KEY, status=400
        )


# Flavors (nova-scheduling.md §3)


def create_flavor(
    cloud: Cloud,
    *,
    actor: User,
    name: str,
    vcpus: int,
    ram: int,
    disk: int = 0,
    flavor_id: str | None = None,
    ephemeral: int = 0,
    swap: int = 0,
    rxtx_factor: float = 1.0,
    is_public: bool = True,
    description: str = "",
) -> Flavor:
    """Create a flavor; 409 when its id or name is taken in this cloud."""
    name = check_name(name)
    flavor_id = (
        check_flavor_id(flavor_id) if flavor_id not in (None, "") else str(uuid_module.uuid4())
    )
    values = {
        "vcpus": _integer(vcpus, field="vcpus", minimum=1),
        "ram": _integer(ram, field="ram", minimum=1),
        "disk": _integer(disk, field="disk"),
        "ephemeral": _integer(ephemeral, field="ephemeral"),
        "swap": _integer(swap, field="swap"),
        "rxtx_factor": _ratio(rxtx_factor, field="rxtx_factor"),
    }
    if not isinstance(is_public, bool):
        raise InvalidInput("'is_public' must be true or false.", field="is_public")
    description = _description(description)
    if cloud.is_connected:
        _compute(cloud).create_flavor(
            cloud,
            {
                "id": flavor_id,
                "name": name,
                "os-flavor-access:is_public": is_public,
                "description": description or None,
                **values,
            },
        )
    with transaction.atomic():
        if Flavor.objects.filter(cloud=cloud, flavor_id=flavor_id).exists():
            raise DuplicateName(f"Flavor with ID {flavor_id} already exists.", field="id")
        if Flavor.objects.filter(cloud=cloud, name=name).exists():
            raise DuplicateName(f"Flavor with name {name} already exists.", field="name")
        flavor = Flavor.objects.create(
            cloud=cloud,
            flavor_id=flavor_id,
            name=name,
            is_public=is_public,
            description=description,
            **values,
        )
        audit.record_create(actor=actor, obj=flavor)
    return flavor


def _description(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput("'description' must be a string.", field="description")
    if len(value) > 65535:
        raise InvalidInput("'description' is longer than 65535 characters.", field="description")
    return value


def update_flavor(flavor: Flavor, *, actor: User, description: str | None) -> Flavor:
    """Change a flavor's description: the only field Nova lets change (PUT /flavors/{id})."""
    description = _description(description)
    if flavor.cloud.is_connected:
        _compute(flavor.cloud).update_flavor(flavor.cloud, flavor.flavor_id, description or None)
    with transaction.atomic():
        flavor = _lock_flavor(flavor)
        with audit.recording(actor=actor, obj=flavor):
            flavor.description = description
            flavor.save(update_fields=["description", "updated_at"])
    return flavor


def delete_flavor(flavor: Flavor, *, actor: User) -> None:
    if flavor.cloud.is_connected:
        _compute(flavor.cloud).delete_flavor(flavor.cloud, flavor.flavor_id)
    with transaction.atomic(), audit.recording_delete(actor=actor, obj=flavor):
        flavor.delete()


def _lock_flavor(flavor: Flavor) -> Flavor:
    """Lock the row and refresh the caller's instance from it (checks see committed state)."""
    flavor.refresh_from_db(from_queryset=Flavor.objects.select_for_update())
    return flavor


def set_flavor_extra_specs(flavor: Flavor, extra_specs: dict[str, Any], *, actor: User) -> Flavor:
    """Merge extra specs (POST os-extra_specs), validated as Nova 2.86+ and operator language."""
    extra_specs = check_extra_specs(extra_specs)
    if flavor.cloud.is_connected:
        _compute(flavor.cloud).set_flavor_extra_specs(flavor.cloud, flavor.flavor_id, extra_specs)
    with transaction.atomic():
        flavor = _lock_flavor(flavor)
        with audit.recording(actor=actor, obj=flavor):
            flavor.extra_specs = {**flavor.extra_specs, **extra_specs}
            flavor.save(update_fields=["extra_specs", "updated_at"])
    return flavor


def delete_flavor_extra_spec(flavor: Flavor, key: str, *, actor: User) -> Flavor:
    """Remove one extra spec; 404 when the flavor has no such key."""
    with transaction.atomic():
        flavor = _lock_flavor(flavor)
        if key not in flavor.extra_specs:
            raise ExtraSpecNotFound(
                f"Flavor {flavor.flavor_id} has no extra specs with key {key}.", field="key"
            )
        if flavor.cloud.is_connected:
            _compute(flavor.cloud).delete_flavor_extra_spec(flavor.cloud, flavor.flavor_id, key)
        with audit.recording(actor=actor, obj=flavor):
            flavor.extra_specs = {k: v for k, v in flavor.extra_specs.items() if k != key}
            flavor.save(update_fields=["extra_specs", "updated_at"])
    return flavor


def add_flavor_access(flavor: Flavor, project_id: str, *, actor: User) -> Flavor:
    """Share a private flavor with a project (addTenantAccess)."""
    project_id = _project_id(project_id)
    with transaction.atomic():
        flavor = _lock_flavor(flavor)
        if flavor.is_public:
            raise FlavorAccessError(
                "Can not add access to a public flavor.", field="tenant", status=409
            )
        if project_id in flavor.access_project_ids:
            raise FlavorAccessError(
                f"Flavor access already exists for flavor {flavor.flavor_id} and project "
                f"{project_id} combination.",
                field="tenant",
                status=409,
            )
        if flavor.cloud.is_connected:
            _compute(flavor.cloud).add_flavor_access(flavor.cloud, flavor.flavor_id, project_id)
        with audit.recording(actor=actor, obj=flavor):
            flavor.access_project_ids = sorted({*flavor.access_project_ids, project_id})
            flavor.save(update_fields=["access_project_ids", "updated_at"])
    return flavor


def remove_flavor_access(flavor: Flavor, project_id: str, *, actor: User) -> Flavor:
    """Stop sharing a private flavor with a project (removeTenantAccess)."""
    project_id = _project_id(project_id)
    with transaction.atomic():
        flavor = _lock_flavor(flavor)
        if project_id not in flavor.access_project_ids:
            raise FlavorAccessError(
                f"Flavor access not found for {flavor.flavor_id} / {project_id} combination.",
                field="tenant",
                status=404,
            )
        if flavor.cloud.is_connected:
            _compute(flavor.cloud).remove_flavor_access(flavor.cloud, flavor.flavor_id, project_id)
        with audit.recording(actor=actor, obj=flavor):
            flavor.access_project_ids = [p for p in flavor.access_project_ids if p != project_id]
            flavor.save(update_fields=["access_project_ids", "updated_at"])
    return flavor


def _project_id(value: Any) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > 255:
        raise InvalidInput("'tenant' must be a project id of 1–255 characters.", field="tenant")
    return value.strip()


# Servers (local clouds: planning what-ifs and demos)


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
        zone = queries.zone_of(Host.objects.prefetch_related("aggregates").get(pk=host.pk))
        try:
            server = Server.objects.create(
                cloud=cloud,
                uuid=server_uuid or uuid_module.uuid4(),
                name=check_name(name),
                host=host,
                flavor=flavor,
                flavor_name=flavor.name,
                project_id=_project_id(project_id),
                status=status,
                availability_zone=zone,
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


# Scheduler configuration and what-if change sets (placement preview)


def set_scheduler_config(
    cloud: Cloud, options: Any, *, actor: User, replace: bool = False
) -> Cloud:
    """Store scheduler options under Nova's names, validated as Nova would (400 naming the key).

    PATCH merges into the stored options (null restores Nova's default); PUT (`replace`) stores
    exactly `options`. `default_availability_zone` lives in the cloud's own column.
    """
    if not isinstance(options, dict) or not all(isinstance(key, str) for key in options):
        raise InvalidInput("The scheduler configuration must be an object of Nova option names.")
    with transaction.atomic():
        cloud.refresh_from_db(from_queryset=Cloud.objects.select_for_update())
        stored = {} if replace else dict(cloud.scheduler_config or {})
        zone = cloud.default_availability_zone
        for key, value in options.items():
            if key == "default_availability_zone":
                zone = NOVA_DEFAULTS[key] if value is None else check_zone_name(value, field=key)
            elif value is None:
                stored.pop(key, None)
            else:
                stored[key] = value
        try:
            config = scheduler_config_from_options({**stored, "default_availability_zone": zone})
        except SchedulerConfigError as error:
            raise InvalidInput(error.message, field=error.key) from error
        # Keep the values as the engine normalised them (lists as lists, numbers as numbers).
        normalised = {
            key: list(value) if isinstance(value, tuple) else value
            for key, value in ((key, getattr(config, key)) for key in stored)
        }
        with audit.recording(actor=actor, obj=cloud):
            cloud.scheduler_config = normalised
            cloud.default_availability_zone = zone
            cloud.save(
                update_fields=["scheduler_config", "default_availability_zone", "updated_at"]
            )
    return cloud


def set_host_status(host: Host, *, enabled: bool, disabled_reason: str = "", actor: User) -> Host:
    """Enable or disable a host's nova-compute service; on a connected cloud Nova decides first."""
    if not isinstance(disabled_reason, str) or len(disabled_reason) > 255:
        raise InvalidInput(
            "'disabled_reason' takes at most 255 characters.", field="disabled_reason"
        )
    if host.cloud.is_connected:
        _compute(host.cloud).set_compute_service_status(
            host.cloud, host.name, enabled=enabled, disabled_reason=disabled_reason or None
        )
    with transaction.atomic():
        host = Host.objects.select_for_update().select_related("cloud").get(pk=host.pk)
        with audit.recording(actor=actor, obj=host):
            host.status = HostStatus.ENABLED if enabled else HostStatus.DISABLED
            host.disabled_reason = "" if enabled else disabled_reason
            host.save(update_fields=["status", "disabled_reason", "updated_at"])
    return host


def set_flavor_size(flavor: Flavor, *, actor: User, **sizes: Any) -> Flavor:
    """Change vcpus / ram / disk of a local cloud's flavor (a planning edit).

    Nova's flavors are immutable (only the description changes): on a connected cloud this is
    refused, and the operator creates a new flavor instead.
    """
    if flavor.cloud.is_connected:
        raise LocalCloudOnly(
            f"Flavor {flavor.flavor_id} belongs to connected cloud {flavor.cloud.slug}: Nova "
            "flavors cannot be resized, create a new flavor instead.",
            field="flavor",
        )
    values = {}
    for name, value in sizes.items():
        if name not in ("vcpus", "ram", "disk"):
            raise InvalidInput(f"Unknown flavor size '{name}'.", field=name)
        values[name] = _integer(value, field=name, minimum=0 if name == "disk" else 1)
    with transaction.atomic():
        flavor = _lock_flavor(flavor)
        with audit.recording(actor=actor, obj=flavor):
            for name, value in values.items():
                setattr(flavor, name, value)
            flavor.save(update_fields=[*values, "updated_at"])
    return flavor


def apply_changes(cloud: Cloud, changes: list[dict[str, Any]], *, actor: User) -> int:
    """Commit a what-if change set through the ordinary services: all of it or nothing.

    The list has the shape placement_preview.validate_changes accepts; a refusal names the
    failing change (`changes[i].host`). On a connected cloud each step reaches the compute API
    first, as every edit does; a refusal there rolls back the local mirror of the earlier steps.
    """
    changes = validate_changes(changes)
    if not changes:
        raise InvalidInput("There are no changes to apply.", field="changes")
    with transaction.atomic():
        for position, change in enumerate(changes):
            where = f"changes[{position}]"
            try:
                _apply_change(cloud, change, actor=actor, where=where)
            except DomainError as error:
                if not (error.field or "").startswith(where):
                    error.field = f"{where}.{error.field}" if error.field else where
                error.message = f"Change {position + 1} ({change['action']}): {error.message}"
                raise
    return len(changes)


def _apply_change(cloud: Cloud, change: dict[str, Any], *, actor: User, where: str) -> None:
    action = change["action"]
    if action in ("add_host", "remove_host", "set_metadata", "delete_metadata"):
        ref = change["aggregate"]
        found = Aggregate.objects.filter(cloud=cloud)
        aggregate = (
            found.filter(pk=ref).first() if isinstance(ref, int) or str(ref).isdigit() else None
        ) or found.filter(name=str(ref)).first()
        if aggregate is None:
            raise NotFound(f"Aggregate {ref} could not be found.", field="aggregate")
        if action == "add_host":
            add_host_to_aggregate(aggregate, str(change["host"]), actor=actor)
        elif action == "remove_host":
            remove_host_from_aggregate(aggregate, str(change["host"]), actor=actor)
        elif action == "set_metadata":
            set_aggregate_metadata(aggregate, change["metadata"], actor=actor)
        else:
            set_aggregate_metadata(aggregate, dict.fromkeys(change["keys"]), actor=actor)
        return
    if action == "update_flavor":
        flavor = Flavor.objects.filter(cloud=cloud, flavor_id=str(change["flavor"])).first()
        if flavor is None:
            raise NotFound(f"Flavor {change['flavor']} could not be found.", field="flavor")
        sizes = {name: change[name] for name in ("vcpus", "ram", "disk") if name in change}
        if sizes:
            flavor = set_flavor_size(flavor, actor=actor, **sizes)
        specs = change.get("extra_specs") or {}
        additions = {key: value for key, value in specs.items() if value is not None}
        if additions:
            flavor = set_flavor_extra_specs(flavor, additions, actor=actor)
        for key, value in specs.items():
            if value is None and key in flavor.extra_specs:
                flavor = delete_flavor_extra_spec(flavor, key, actor=actor)
        return
    host = _find_host(cloud, str(change["host"]))
    set_host_status(
        host,
        enabled=action == "enable_host",
        disabled_reason=change.get("disabled_reason") or "",
        actor=actor,
    )
