"""Writes of flavors: create, delete (Nova cannot resize one), description, extra specs, access."""

import uuid as uuid_module
from typing import Any

from django.db import transaction

from aggregates.errors import (
    DuplicateName,
    ExtraSpecNotFound,
    FlavorAccessError,
    InvalidInput,
)
from aggregates.models import Cloud, Flavor
from aggregates.services.validation import (
    User,
    check_extra_specs,
    check_flavor_id,
    check_integer,
    check_name,
    check_project_id,
    check_ratio,
)
from aggregates.sync import compute, removals
from dashboard import audit


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
        "vcpus": check_integer(vcpus, field="vcpus", minimum=1),
        "ram": check_integer(ram, field="ram", minimum=1),
        "disk": check_integer(disk, field="disk"),
        "ephemeral": check_integer(ephemeral, field="ephemeral"),
        "swap": check_integer(swap, field="swap"),
        "rxtx_factor": check_ratio(rxtx_factor, field="rxtx_factor"),
    }
    if not isinstance(is_public, bool):
        raise InvalidInput("'is_public' must be true or false.", field="is_public")
    description = _description(description)
    if cloud.is_connected:
        compute.create_flavor(
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
        removals.drop_gone_twins(Flavor, cloud, flavor_id=flavor_id, name=name)
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
        compute.update_flavor(flavor.cloud, flavor.flavor_id, description or None)
    with transaction.atomic():
        flavor = _lock_flavor(flavor)
        with audit.recording(actor=actor, obj=flavor):
            flavor.description = description
            flavor.save(update_fields=["description", "updated_at"])
    return flavor


def delete_flavor(flavor: Flavor, *, actor: User) -> None:
    if flavor.cloud.is_connected:
        compute.delete_flavor(flavor.cloud, flavor.flavor_id)
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
        compute.set_flavor_extra_specs(flavor.cloud, flavor.flavor_id, extra_specs)
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
            compute.delete_flavor_extra_spec(flavor.cloud, flavor.flavor_id, key)
        with audit.recording(actor=actor, obj=flavor):
            flavor.extra_specs = {k: v for k, v in flavor.extra_specs.items() if k != key}
            flavor.save(update_fields=["extra_specs", "updated_at"])
    return flavor


def add_flavor_access(flavor: Flavor, project_id: str, *, actor: User) -> Flavor:
    """Share a private flavor with a project (addTenantAccess)."""
    project_id = check_project_id(project_id)
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
            compute.add_flavor_access(flavor.cloud, flavor.flavor_id, project_id)
        with audit.recording(actor=actor, obj=flavor):
            flavor.access_project_ids = sorted({*flavor.access_project_ids, project_id})
            flavor.save(update_fields=["access_project_ids", "updated_at"])
    return flavor


def remove_flavor_access(flavor: Flavor, project_id: str, *, actor: User) -> Flavor:
    """Stop sharing a private flavor with a project (removeTenantAccess)."""
    project_id = check_project_id(project_id)
    with transaction.atomic():
        flavor = _lock_flavor(flavor)
        if project_id not in flavor.access_project_ids:
            raise FlavorAccessError(
                f"Flavor access not found for {flavor.flavor_id} / {project_id} combination.",
                field="tenant",
                status=404,
            )
        if flavor.cloud.is_connected:
            compute.remove_flavor_access(flavor.cloud, flavor.flavor_id, project_id)
        with audit.recording(actor=actor, obj=flavor):
            flavor.access_project_ids = [p for p in flavor.access_project_ids if p != project_id]
            flavor.save(update_fields=["access_project_ids", "updated_at"])
    return flavor
