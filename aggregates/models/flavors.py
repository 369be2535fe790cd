"""Flavors with their extra specs and, for private flavors, the projects that may use them."""

from django.db import models
from django.urls import reverse

from aggregates.models.clouds import Cloud
from aggregates.models.mirror import Mirrored


class Flavor(Mirrored):
    UNIQUE_CONFLICT_STATUS = 409  # a duplicate is Nova's 409 (dashboard.errors.conflict_from)
    cloud = models.ForeignKey(Cloud, on_delete=models.CASCADE, related_name="flavors")
    flavor_id = models.CharField(max_length=255)  # Nova's `id`: a string, given or a UUID
    name = models.CharField(max_length=255)
    vcpus = models.PositiveIntegerField()
    ram = models.PositiveIntegerField()  # MB
    disk = models.PositiveIntegerField(default=0)  # root disk, GB
    ephemeral = models.PositiveIntegerField(default=0)  # GB
    swap = models.PositiveIntegerField(default=0)  # MB
    rxtx_factor = models.FloatField(default=1.0)
    is_public = models.BooleanField(default=True)
    disabled = models.BooleanField(default=False)
    description = models.TextField(blank=True)
    extra_specs = models.JSONField(default=dict, blank=True)  # dict str → str
    # Project ids of a private flavor's access list (os-flavor-access), sorted.
    access_project_ids = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cloud", "ram", "vcpus", "flavor_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cloud", "flavor_id"], name="flavor_id_unique_per_cloud"
            ),
            models.UniqueConstraint(fields=["cloud", "name"], name="flavor_name_unique_per_cloud"),
            models.CheckConstraint(
                condition=models.Q(vcpus__gte=1) & models.Q(ram__gte=1),
                name="flavor_vcpus_and_ram_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(rxtx_factor__gt=0), name="flavor_rxtx_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("aggregates:flavor_detail", args=[self.cloud.slug, self.flavor_id])

    # The audit log's words for sizes whose field names carry no unit.
    audit_labels = {
        "ram": "RAM (MB)",
        "disk": "Root disk (GB)",
        "ephemeral": "Ephemeral disk (GB)",
        "swap": "Swap (MB)",
        "access_project_ids": "Projects with access",
    }

    def audit_snapshot(self) -> dict:
        fields = ["flavor_id", "name", "vcpus", "ram", "disk", "ephemeral", "swap", "rxtx_factor"]
        data = {name: getattr(self, name) for name in fields}
        data.update(
            is_public=self.is_public,
            disabled=self.disabled,
            description=self.description,
            extra_specs=dict(sorted((self.extra_specs or {}).items())),
            access_project_ids=list(self.access_project_ids or []),
        )
        return data
