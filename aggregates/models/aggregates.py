"""Host aggregates; an availability zone is the `availability_zone` key of their metadata."""

import uuid

from django.db import models
from django.urls import reverse

from aggregates.models.clouds import Cloud
from aggregates.models.hosts import Host
from aggregates.models.mirror import Mirrored

AZ_KEY = "availability_zone"


class Aggregate(Mirrored):
    UNIQUE_CONFLICT_STATUS = 409  # a duplicate is Nova's 409 (dashboard.errors.conflict_from)
    cloud = models.ForeignKey(Cloud, on_delete=models.CASCADE, related_name="aggregates")
    remote_id = models.PositiveIntegerField(null=True, blank=True)  # Nova's id; None when local
    uuid = models.UUIDField(default=uuid.uuid4)  # also the placement aggregate's uuid
    name = models.CharField(max_length=255)
    # dict str → str; the zone lives here only (never in a column of its own), as in Nova.
    metadata = models.JSONField(default=dict, blank=True)
    hosts = models.ManyToManyField(Host, blank=True, related_name="aggregates")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cloud", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cloud", "name"], name="aggregate_name_unique_per_cloud"
            ),
            models.UniqueConstraint(
                fields=["cloud", "uuid"], name="aggregate_uuid_unique_per_cloud"
            ),
            models.UniqueConstraint(
                fields=["cloud", "remote_id"],
                condition=models.Q(remote_id__isnull=False),
                name="aggregate_remote_id_unique_per_cloud",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("aggregates:aggregate_detail", args=[self.cloud.slug, self.pk])

    @property
    def availability_zone(self) -> str | None:
        return (self.metadata or {}).get(AZ_KEY)

    def audit_snapshot(self) -> dict:
        return {
            "name": self.name,
            "availability_zone": self.availability_zone,
            "metadata": dict(sorted((self.metadata or {}).items())),
            "hosts": sorted(host.name for host in self.hosts.all()),
            "remote_id": self.remote_id,
            "uuid": str(self.uuid),
        }
