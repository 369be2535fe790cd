"""Blueprints (Launchpad's specifications), their dependencies and their status history."""

import re

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from roadmap.choices import (
    DefinitionStatus,
    ImplementationStatus,
    InformationType,
    LifecycleStatus,
    Priority,
    lifecycle_of,
)
from roadmap.models.projects import Milestone, Project, Series

# Launchpad's specification name rule (IHasName via `name_validator`): at least two characters.
BLUEPRINT_NAME_PATTERN = r"^[a-z0-9][a-z0-9+.\-]+$"
blueprint_name = RegexValidator(
    BLUEPRINT_NAME_PATTERN,
    "Use at least two lowercase letters, digits, '+', '-' or '.', starting with a letter or digit.",
)
# What the Gerrit hook (jeepyb update_blueprint) appends to a whiteboard.
GERRIT_CHANGE = re.compile(r"Addressed by: https://review\.(?:openstack|opendev)\.org/(\d+)")


class Tag(models.Model):
    """A sub-team or theme label such as `nfv`; the release preview groups by it."""

    name = models.CharField(max_length=50, unique=True, validators=[blueprint_name])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Blueprint(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="blueprints")
    name = models.CharField(max_length=100, validators=[blueprint_name])
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    specification_url = models.URLField(max_length=500, blank=True)
    whiteboard = models.TextField(blank=True)
    workitems_text = models.TextField(blank=True)
    # People are Launchpad ids (the last segment of a person link, without "~"), not site users.
    owner = models.CharField(max_length=100, blank=True)
    assignee = models.CharField(max_length=100, blank=True)
    drafter = models.CharField(max_length=100, blank=True)
    approver = models.CharField(max_length=100, blank=True)
    priority = models.CharField(max_length=20, choices=Priority.choices, default=Priority.UNDEFINED)
    definition_status = models.CharField(
        max_length=20, choices=DefinitionStatus.choices, default=DefinitionStatus.NEW
    )
    implementation_status = models.CharField(
        max_length=25, choices=ImplementationStatus.choices, default=ImplementationStatus.UNKNOWN
    )
    lifecycle_status = models.CharField(
        max_length=20, choices=LifecycleStatus.choices, default=LifecycleStatus.NOT_STARTED
    )
    direction_approved = models.BooleanField(default=False)
    information_type = models.CharField(
        max_length=20, choices=InformationType.choices, default=InformationType.PUBLIC
    )
    series = models.ForeignKey(
        Series, on_delete=models.PROTECT, null=True, blank=True, related_name="blueprints"
    )  # the series goal
    milestone = models.ForeignKey(
        Milestone, on_delete=models.PROTECT, null=True, blank=True, related_name="blueprints"
    )  # the milestone target
    tags = models.ManyToManyField(Tag, blank=True, related_name="blueprints")
    dependencies = models.ManyToManyField(
        "self",
        through="BlueprintDependency",
        symmetrical=False,
        related_name="dependents",
        blank=True,
    )
    date_created = models.DateTimeField(default=timezone.now)
    date_started = models.DateTimeField(null=True, blank=True)
    date_completed = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    # Launchpad identity of an imported blueprint, and what the import could not map:
    # {"priority": "Critical", "milestone": "juno-4"} — kept verbatim and shown as a flag.
    self_link = models.URLField(max_length=500, blank=True)
    web_link = models.URLField(max_length=500, blank=True)
    unmapped_values = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["project__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="blueprint_name_per_project"),
            models.UniqueConstraint(
                "project", Lower("name"), name="blueprint_name_per_project_ignoring_case"
            ),
        ]
        indexes = [models.Index(fields=["project", "updated_at"])]

    def __str__(self) -> str:
        return f"{self.project.name}/{self.name}" if self.project_id else self.name

    def get_absolute_url(self) -> str:
        return reverse("roadmap:blueprint_detail", args=[self.project.name, self.name])

    def validate_constraints(self, exclude=None) -> None:
        # A name the project already has (ignoring case) is the service's refusal on "name"
        # (BlueprintNameTaken); the constraints' own check (the page's model form) names no field.
        super().validate_constraints(exclude={*(exclude or ()), "name"})

    @property
    def is_complete(self) -> bool:
        return self.lifecycle_status == LifecycleStatus.COMPLETE

    @property
    def is_started(self) -> bool:
        return self.lifecycle_status != LifecycleStatus.NOT_STARTED

    @property
    def valid(self) -> bool:
        return self.definition_status not in (
            DefinitionStatus.OBSOLETE,
            DefinitionStatus.SUPERSEDED,
        )

    @property
    def gerrit_changes(self) -> list[int]:
        """Change numbers the Gerrit hook wrote into the whiteboard, in order."""
        return [int(number) for number in GERRIT_CHANGE.findall(self.whiteboard)]

    def refresh_lifecycle(self, now) -> None:
        """Derive lifecycle_status; stamp or clear the started and completed dates (§4)."""
        self.lifecycle_status = lifecycle_of(self.definition_status, self.implementation_status)
        if self.lifecycle_status == LifecycleStatus.NOT_STARTED:
            self.date_started = None
        elif self.date_started is None:
            self.date_started = now
        if self.lifecycle_status != LifecycleStatus.COMPLETE:
            self.date_completed = None
        elif self.date_completed is None:
            self.date_completed = now

    def audit_snapshot(self) -> dict:
        data = {
            field.attname: field.value_from_object(self)
            for field in self._meta.concrete_fields
            if field.name != "updated_at"
        }
        if self.pk:
            data["tags"] = sorted(tag.name for tag in self.tags.all())
            data["dependencies"] = sorted(str(pk) for pk in self.dependencies.values_list("pk"))
        return data


class BlueprintDependency(models.Model):
    """`blueprint` depends on `depends_on` (Launchpad's dependencies collection)."""

    blueprint = models.ForeignKey(Blueprint, on_delete=models.CASCADE, related_name="+")
    depends_on = models.ForeignKey(Blueprint, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blueprint", "depends_on"], name="dependency_once"),
            models.CheckConstraint(
                condition=~Q(blueprint=F("depends_on")), name="dependency_not_on_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.blueprint_id} depends on {self.depends_on_id}"


class BlueprintStatusChange(models.Model):
    """One point of a blueprint's history: its statuses from `changed_at` on (feeds burndowns)."""

    blueprint = models.ForeignKey(Blueprint, on_delete=models.CASCADE, related_name="history")
    changed_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    definition_status = models.CharField(max_length=20, choices=DefinitionStatus.choices)
    implementation_status = models.CharField(max_length=25, choices=ImplementationStatus.choices)
    lifecycle_status = models.CharField(max_length=20, choices=LifecycleStatus.choices)
    milestone = models.ForeignKey(
        Milestone, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.blueprint_id} {self.lifecycle_status} at {self.changed_at:%Y-%m-%d}"
