"""Vocabularies shared by models, forms, filters and the API (Nova's words where it has them)."""

from django.db import models


class CloudKind(models.TextChoices):
    LOCAL = "local", "Local (Stackboard is the system of record)"
    CONNECTED = "connected", "Connected (the compute API is the system of record)"


class HeldResolution(models.TextChoices):
    """How removals a sync held were decided."""

    CONFIRMED = "confirmed", "Confirmed by an admin"
    NEXT_SYNC = "next-sync", "Decided by the next sync"


class SyncStatus(models.TextChoices):
    NEVER = "never", "Never synced"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class HostStatus(models.TextChoices):
    """The nova-compute service's administrative status (os-services `status`)."""

    ENABLED = "enabled", "Enabled"
    DISABLED = "disabled", "Disabled"


class HostState(models.TextChoices):
    """The nova-compute service's liveness (os-services `state`)."""

    UP = "up", "Up"
    DOWN = "down", "Down"


class ServerStatus(models.TextChoices):
    """Nova's server statuses (GET /servers/detail `status`)."""

    ACTIVE = "ACTIVE"
    BUILD = "BUILD"
    ERROR = "ERROR"
    SHUTOFF = "SHUTOFF"
    PAUSED = "PAUSED"
    SUSPENDED = "SUSPENDED"
    REBOOT = "REBOOT"
    RESIZE = "RESIZE"
    VERIFY_RESIZE = "VERIFY_RESIZE"
    MIGRATING = "MIGRATING"
    SHELVED = "SHELVED"
    SHELVED_OFFLOADED = "SHELVED_OFFLOADED"
    SOFT_DELETED = "SOFT_DELETED"
    UNKNOWN = "UNKNOWN"


class Level(models.IntegerChoices):
    """What a sample (or a rollup row) sums over; the API spells them by label."""

    HOST = 0, "host"
    AGGREGATE = 1, "aggregate"
    AVAILABILITY_ZONE = 2, "availability_zone"
    CLOUD = 3, "cloud"


class Resolution(models.IntegerChoices):
    RAW = 0, "raw"
    HOURLY = 1, "hourly"
    DAILY = 2, "daily"


class GroupPolicy(models.TextChoices):
    """Nova's server group policies (os-server-groups `policy`, 2.64+)."""

    AFFINITY = "affinity"
    ANTI_AFFINITY = "anti-affinity"
    SOFT_AFFINITY = "soft-affinity"
    SOFT_ANTI_AFFINITY = "soft-anti-affinity"
