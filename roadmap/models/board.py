"""Board meetings, agenda items and action items; executive sessions are private."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from roadmap.choices import ActionItemStatus, BoardItemStatus
from roadmap.models.markdown import render_markdown


class BoardMeeting(models.Model):
    """A meeting on a date, in a place or on a call; `executive_session` hides all of it."""

    title = models.CharField(max_length=200)
    date = models.DateField()
    start_time = models.TimeField(null=True, blank=True)  # UTC; none: an all-day entry
    duration_minutes = models.PositiveSmallIntegerField(default=120)
    place = models.CharField(max_length=200, blank=True)
    call_url = models.URLField(blank=True)
    executive_session = models.BooleanField(default=False)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="board_meetings"
    )

    class Meta:
        ordering = ["-date", "-start_time", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("roadmap:boardmeeting_detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return not self.executive_session


class BoardItem(models.Model):
    """An agenda item: topic, presenter, Markdown summary, decision; may be executive session."""

    meeting = models.ForeignKey(BoardMeeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    topic = models.CharField(max_length=200)
    presenter = models.CharField(max_length=100, blank=True)
    summary = models.TextField(blank=True)  # Markdown, rendered sanitised
    decision = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=BoardItemStatus.choices, default=BoardItemStatus.PROPOSED
    )
    links = models.TextField(blank=True)  # one URL a line
    executive_session = models.BooleanField(default=False)

    class Meta:
        ordering = ["meeting", "position", "id"]

    def __str__(self) -> str:
        return self.topic

    def get_absolute_url(self) -> str:
        return reverse("roadmap:boarditem_detail", args=[self.pk])

    @property
    def summary_html(self) -> str:
        return render_markdown(self.summary)

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class ActionItem(models.Model):
    """Something someone owes the board after an item: owner, due date, status."""

    item = models.ForeignKey(BoardItem, on_delete=models.CASCADE, related_name="action_items")
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="board_action_items"
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ActionItemStatus.choices, default=ActionItemStatus.OPEN
    )

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.description

    def get_absolute_url(self) -> str:
        return reverse("roadmap:boarditem_detail", args=[self.item_id]) + f"#action-{self.pk}"
