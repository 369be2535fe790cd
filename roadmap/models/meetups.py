"""Meetups between design summits (mid-cycle meetups, summits) and their RSVPs."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from roadmap.choices import MeetupKind, RsvpResponse
from roadmap.models.projects import Project, Series


class Meetup(models.Model):
    """A team or project gathering of one release series, in one place, on consecutive days."""

    title = models.CharField(max_length=200)
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.PROTECT, related_name="meetups"
    )
    team = models.CharField(max_length=100, blank=True)  # a team that is no single project
    series = models.ForeignKey(Series, on_delete=models.PROTECT, related_name="meetups")
    kind = models.CharField(max_length=20, choices=MeetupKind.choices, default=MeetupKind.MID_CYCLE)
    start_date = models.DateField()
    end_date = models.DateField()
    place = models.CharField(max_length=200)
    wiki_url = models.URLField(blank=True)
    etherpad_url = models.URLField(blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organised_meetups",
    )
    description = models.TextField(blank=True)
    outcomes = models.TextField(blank=True)

    class Meta:
        ordering = ["start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="meetup_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("roadmap:meetup_detail", args=[self.pk])

    @property
    def who(self) -> str:
        """The project's name, or the team's."""
        return self.project.name if self.project_id else self.team


class Rsvp(models.Model):
    """One member's answer to one meetup; answering again replaces it."""

    meetup = models.ForeignKey(Meetup, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rsvps"
    )
    response = models.CharField(max_length=20, choices=RsvpResponse.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["meetup", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["meetup", "user"], name="one_rsvp_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.meetup}: {self.response}"
