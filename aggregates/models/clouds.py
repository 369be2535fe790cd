"""A cloud: one compute endpoint (one region of one OpenStack), local or connected."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from aggregates.choices import CloudKind, SyncStatus

# Nova 34's defaults for the options a host inherits when nothing else says otherwise
# (nova/conf/compute.py: initial_*_allocation_ratio, reserved_host_*; availability_zone.py).
NOVA_DEFAULTS: dict[str, Any] = {
    "cpu_allocation_ratio": 4.0,
    "ram_allocation_ratio": 1.0,
    "disk_allocation_ratio": 1.0,
    "reserved_host_cpus": 0,
    "reserved_host_memory_mb": 512,
    "reserved_host_disk_mb": 0,
    "default_availability_zone": "nova",
}


class Cloud(models.Model):
    UNIQUE_CONFLICT_STATUS = 409  # a duplicate is Nova's 409 (dashboard.errors.conflict_from)

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    region = models.CharField(max_length=100, blank=True)
    kind = models.CharField(max_length=10, choices=CloudKind.choices, default=CloudKind.LOCAL)
    # Connected clouds: the name of a clouds.yaml entry (credentials never live in the database).
    os_cloud = models.CharField(max_length=255, blank=True)
    default_availability_zone = models.CharField(
        max_length=255, default=NOVA_DEFAULTS["default_availability_zone"]
    )
    # A flat dict of Nova option names (enabled_filters, cpu_allocation_ratio, …), as in nova.conf.
    scheduler_config = models.JSONField(default=dict, blank=True)
    last_sync_at = models.DateTimeField(null=True, blank=True)
    last_sync_status = models.CharField(
        max_length=10, choices=SyncStatus.choices, default=SyncStatus.NEVER
    )
    last_sync_error = models.TextField(blank=True)
    # Connected clouds: Celery beat enqueues a sync this often (0: only "Sync now" and the command).
    sync_interval_minutes = models.PositiveIntegerField(default=15)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind=CloudKind.LOCAL, os_cloud=""))
                | (models.Q(kind=CloudKind.CONNECTED) & ~models.Q(os_cloud="")),
                name="cloud_os_cloud_only_when_connected",
            ),
            # A slug is a cloud's name in URLs and the API: "Prod" beside "prod" would be two
            # addresses nobody can tell apart.
            models.UniqueConstraint(Lower("slug"), name="cloud_slug_ignoring_case"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("aggregates:cloud_detail", args=[self.slug])

    audit_labels = {"os_cloud": "clouds.yaml entry", "scheduler_config": "Scheduler option"}

    @property
    def is_connected(self) -> bool:
        return self.kind == CloudKind.CONNECTED

    def scheduler_setting(self, name: str) -> Any:
        """A scheduler option as configured for this cloud, else Nova's default."""
        config = self.scheduler_config or {}
        if name in ("cpu_allocation_ratio", "ram_allocation_ratio", "disk_allocation_ratio"):
            # Nova: the explicit ratio wins; unset, new nodes get initial_*_allocation_ratio.
            value = config.get(name)
            if value is None:
                value = config.get(f"initial_{name}")
            return NOVA_DEFAULTS[name] if value is None else value
        return config.get(name, NOVA_DEFAULTS.get(name))

    def clean(self) -> None:
        if self.kind == CloudKind.CONNECTED and not self.os_cloud:
            raise ValidationError(
                {"os_cloud": "A connected cloud needs the name of its clouds.yaml entry."}
            )
        if self.kind == CloudKind.LOCAL and self.os_cloud:
            raise ValidationError({"os_cloud": "Only connected clouds have a clouds.yaml entry."})
