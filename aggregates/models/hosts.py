"""Compute hosts (nova-compute service + its hypervisor node) and the servers they run."""

import math
import uuid

from django.db import models
from django.urls import reverse

from aggregates.choices import GroupPolicy, HostState, HostStatus, ServerStatus
from aggregates.models.clouds import NOVA_DEFAULTS, Cloud
from aggregates.models.mirror import Mirrored


class Host(Mirrored):
    """A compute host, with Nova's field names; `*_used` count instances only, not reserved."""

    UNIQUE_CONFLICT_STATUS = 409  # a duplicate is Nova's 409 (dashboard.errors.conflict_from)

    cloud = models.ForeignKey(Cloud, on_delete=models.CASCADE, related_name="hosts")
    name = models.CharField(max_length=255)  # the nova-compute service host (aggregates use it)
    hypervisor_hostname = models.CharField(max_length=255, blank=True)
    hypervisor_type = models.CharField(max_length=50, blank=True, default="QEMU")
    remote_id = models.CharField(max_length=64, blank=True)  # os-hypervisors id (int or uuid)
    vcpus = models.PositiveIntegerField()
    memory_mb = models.PositiveIntegerField()
    local_gb = models.PositiveIntegerField()
    vcpus_used = models.PositiveIntegerField(default=0)
    memory_mb_used = models.PositiveIntegerField(default=0)
    local_gb_used = models.PositiveIntegerField(default=0)
    running_vms = models.PositiveIntegerField(default=0)
    # The hypervisor's own free disk in GB (os-hypervisors <= 2.87; may be negative when disks
    # are overcommitted); null when not reported. The scheduler weighs the smaller free disk.
    disk_available_least = models.IntegerField(null=True, blank=True)
    cpu_allocation_ratio = models.FloatField(default=NOVA_DEFAULTS["cpu_allocation_ratio"])
    ram_allocation_ratio = models.FloatField(default=NOVA_DEFAULTS["ram_allocation_ratio"])
    disk_allocation_ratio = models.FloatField(default=NOVA_DEFAULTS["disk_allocation_ratio"])
    reserved_host_cpus = models.PositiveIntegerField(default=NOVA_DEFAULTS["reserved_host_cpus"])
    reserved_host_memory_mb = models.PositiveIntegerField(
        default=NOVA_DEFAULTS["reserved_host_memory_mb"]
    )
    reserved_host_disk_mb = models.PositiveIntegerField(
        default=NOVA_DEFAULTS["reserved_host_disk_mb"]
    )
    status = models.CharField(max_length=10, choices=HostStatus.choices, default=HostStatus.ENABLED)
    disabled_reason = models.CharField(max_length=255, blank=True)
    state = models.CharField(max_length=10, choices=HostState.choices, default=HostState.UP)
    # Connected clouds at 2.88+: the Placement generation the capacity and usage were read at,
    # so the next sync reads only providers that changed (sync/client.py list_hosts).
    placement_generation = models.PositiveBigIntegerField(null=True, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cloud", "name"]
        constraints = [
            models.UniqueConstraint(fields=["cloud", "name"], name="host_name_unique_per_cloud"),
            models.CheckConstraint(
                condition=models.Q(cpu_allocation_ratio__gt=0)
                & models.Q(ram_allocation_ratio__gt=0)
                & models.Q(disk_allocation_ratio__gt=0),
                name="host_allocation_ratios_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["cloud", "status", "name"], name="host_cloud_status_name"),
            models.Index(fields=["cloud", "hypervisor_hostname"], name="host_cloud_hypervisor"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("aggregates:host_detail", args=[self.cloud.slug, self.name])

    # Placement's arithmetic: capacity = (total − reserved) × allocation_ratio, floored.
    @property
    def vcpus_capacity(self) -> int:
        return max(0, int((self.vcpus - self.reserved_host_cpus) * self.cpu_allocation_ratio))

    @property
    def memory_mb_capacity(self) -> int:
        return max(
            0, int((self.memory_mb - self.reserved_host_memory_mb) * self.ram_allocation_ratio)
        )

    @property
    def reserved_host_disk_gb(self) -> int:
        return math.ceil(self.reserved_host_disk_mb / 1024)  # nova rounds reserved disk up to GB

    @property
    def local_gb_capacity(self) -> int:
        return max(
            0, int((self.local_gb - self.reserved_host_disk_gb) * self.disk_allocation_ratio)
        )

    @property
    def vcpus_free(self) -> int:
        return self.vcpus_capacity - self.vcpus_used

    @property
    def memory_mb_free(self) -> int:
        return self.memory_mb_capacity - self.memory_mb_used

    @property
    def local_gb_free(self) -> int:
        return self.local_gb_capacity - self.local_gb_used

    @property
    def is_enabled(self) -> bool:
        return self.status == HostStatus.ENABLED


class ServerGroup(models.Model):
    """A Nova server group: a scheduling policy over its members (each server in at most one)."""

    UNIQUE_CONFLICT_STATUS = 409  # a duplicate is Nova's 409 (dashboard.errors.conflict_from)

    cloud = models.ForeignKey(Cloud, on_delete=models.CASCADE, related_name="server_groups")
    uuid = models.UUIDField(default=uuid.uuid4)
    name = models.CharField(max_length=255)
    project_id = models.CharField(max_length=255, blank=True)
    policy = models.CharField(max_length=20, choices=GroupPolicy.choices)
    # Nova's only rule (2.64+), for anti-affinity: members allowed on one host (None = 1).
    max_server_per_host = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["cloud", "name", "uuid"]
        constraints = [
            models.UniqueConstraint(fields=["cloud", "uuid"], name="server_group_uuid_per_cloud"),
            models.CheckConstraint(
                condition=models.Q(max_server_per_host__isnull=True)
                | models.Q(policy=GroupPolicy.ANTI_AFFINITY, max_server_per_host__gte=1),
                name="server_group_rules_anti_affinity_only",
            ),
        ]

    def __str__(self) -> str:
        return self.name or str(self.uuid)

    def get_absolute_url(self) -> str:
        return reverse("aggregates:servergroup_list", args=[self.cloud.slug])


class Server(models.Model):
    """An instance, enough for per-host counts, per-project presence and same/different-host."""

    UNIQUE_CONFLICT_STATUS = 409  # a duplicate is Nova's 409 (dashboard.errors.conflict_from)

    cloud = models.ForeignKey(Cloud, on_delete=models.CASCADE, related_name="servers")
    uuid = models.UUIDField(default=uuid.uuid4)
    name = models.CharField(max_length=255)
    host = models.ForeignKey(
        Host, null=True, blank=True, on_delete=models.SET_NULL, related_name="servers"
    )
    flavor = models.ForeignKey(
        "aggregates.Flavor",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="servers",
    )
    flavor_name = models.CharField(max_length=255, blank=True)  # Nova's `original_name`
    # The flavor as Nova embeds it in the server (2.47+): its values and extra specs at boot,
    # which a move keeps even when the flavor of that name changed since. None: not known (a
    # local server), so today's `flavor` stands for it.
    flavor_vcpus = models.PositiveIntegerField(null=True, blank=True)
    flavor_ram = models.PositiveIntegerField(null=True, blank=True)
    flavor_disk = models.PositiveIntegerField(null=True, blank=True)
    flavor_ephemeral = models.PositiveIntegerField(null=True, blank=True)
    flavor_swap = models.PositiveIntegerField(null=True, blank=True)
    flavor_extra_specs = models.JSONField(default=dict, blank=True)
    project_id = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=20, default=ServerStatus.ACTIVE)
    availability_zone = models.CharField(max_length=255, blank=True)
    # The zone asked for at boot (2.96 `pinned_availability_zone`); a move keeps to it.
    requested_zone = models.CharField(max_length=255, blank=True)
    fault = models.TextField(blank=True)  # an ERROR server's fault message from Nova
    # When it was booted (Nova's `created`): a failed request is replayed as the cloud stood
    # then. None: not known.
    booted_at = models.DateTimeField(null=True, blank=True)
    server_group = models.ForeignKey(
        ServerGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cloud", "name", "uuid"]
        constraints = [
            models.UniqueConstraint(fields=["cloud", "uuid"], name="server_uuid_unique_per_cloud"),
        ]
        indexes = [models.Index(fields=["cloud", "project_id"], name="server_cloud_project")]

    def __str__(self) -> str:
        return self.name or str(self.uuid)
