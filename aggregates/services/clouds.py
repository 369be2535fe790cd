"""Writes of clouds: create, update, delete, and their scheduler configuration."""

import re
from typing import Any

from django.db import transaction
from redis.exceptions import RedisError

from aggregates.choices import CloudKind
from aggregates.errors import (
    DuplicateName,
    InvalidInput,
    SyncAlreadyRunning,
)
from aggregates.models import NOVA_DEFAULTS, Cloud
from aggregates.scheduling import SchedulerConfigError, scheduler_config_from_options
from aggregates.services.validation import (
    UNSET,
    User,
    check_zone_name,
)
from dashboard import audit, locks
from dashboard.errors import ServiceUnavailable


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
        # Slugs are unique ignoring case (index cloud_slug_ignoring_case): name the one that is.
        taken = Cloud.objects.filter(slug__iexact=slug).first()
        if taken is not None:
            raise DuplicateName(f"Cloud {taken.slug} already exists.", field="slug")
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


def delete_cloud(cloud: Cloud, *, actor: User) -> None:
    """Forget a cloud and everything mirrored or modelled in it (hosts, aggregates, flavors,
    servers, sync runs, utilisation history). A connected cloud's compute API is not touched:
    Stackboard only stops mirroring it."""
    if not cloud.is_connected:
        _delete_cloud_rows(cloud, actor=actor)
        return
    # Hold the sync lock: a sync writing into a cloud being deleted would fail half-way.
    try:
        with locks.cloud_lock(cloud.pk) as held:
            if not held:
                raise SyncAlreadyRunning(
                    f"A sync of {cloud.slug} is running: delete the cloud once it has finished."
                )
            _delete_cloud_rows(cloud, actor=actor)
    except RedisError as error:
        raise ServiceUnavailable(
            "Redis is not reachable, so no sync can be held off: try again once it is back."
        ) from error


def _delete_cloud_rows(cloud: Cloud, *, actor: User) -> None:
    with transaction.atomic():
        cloud.refresh_from_db(from_queryset=Cloud.objects.select_for_update())
        with audit.recording_delete(actor=actor, obj=cloud):
            cloud.delete()
