"""Projects and the release calendar (series and their milestones, from openstack-series.json)."""

import datetime

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from roadmap.choices import MilestoneKind, SeriesStatus

# Launchpad's name rule: lowercase letters, digits, +, -, . ; starting with a letter or digit.
launchpad_name = RegexValidator(
    r"^[a-z0-9][a-z0-9\+\.\-]*$",
    "Use lowercase letters, digits, '+', '-' and '.', starting with a letter or digit.",
)
# Series and milestone names are path segments of their pages and API (a '/' made every list that
# links to one fail); the release team's names ("Juno", "2023.1", "juno-rc1") all fit.
calendar_name = RegexValidator(
    r"^[^\W_][\w .+\-]*$",
    "Use letters, digits, spaces, '+', '-', '_' and '.', starting with a letter or digit.",
)


class Project(models.Model):
    name = models.CharField(max_length=100, unique=True, validators=[launchpad_name])
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    leads = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="led_projects"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            # Pages and API find projects, series and milestones by name regardless of case.
            models.UniqueConstraint(Lower("name"), name="project_name_ignoring_case"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("roadmap:project_detail", args=[self.name])


class Series(models.Model):
    """A release series such as Juno (2014.2); milestones hang off it."""

    # "Juno", as the release team writes it
    name = models.CharField(max_length=50, unique=True, validators=[calendar_name])
    version = models.CharField(max_length=20, blank=True)
    nova_version = models.CharField(max_length=20, blank=True)
    release_date = models.DateField(null=True, blank=True)
    eol_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=SeriesStatus.choices)

    class Meta:
        ordering = ["release_date", "name"]
        verbose_name_plural = "series"
        constraints = [models.UniqueConstraint(Lower("name"), name="series_name_ignoring_case")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("roadmap:series_detail", args=[self.slug])

    @property
    def slug(self) -> str:
        return self.name.lower()

    def status_on(self, day: datetime.date) -> str:
        """The status the release calendar gives, except that a series whose release date has
        passed is out of development: the calendar is a snapshot, and openstack/releases marks a
        series "maintained" once released (series_status.yaml)."""
        unreleased = (SeriesStatus.FUTURE, SeriesStatus.DEVELOPMENT)
        if self.status in unreleased and self.release_date and self.release_date <= day:
            return SeriesStatus.MAINTAINED
        return self.status

    @property
    def current_status(self) -> str:
        return self.status_on(timezone.localdate())


class Milestone(models.Model):
    """A dated point of a series: juno-1, juno-rc1, juno-final, the spec freeze…"""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="milestones")
    # "juno-2": Launchpad's milestone names
    name = models.CharField(max_length=50, unique=True, validators=[calendar_name])
    title = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=30, choices=MilestoneKind.choices)
    date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["date", "name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="milestone_name_ignoring_case"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("roadmap:milestone_detail", args=[self.name])
