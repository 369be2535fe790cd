"""Vocabularies shared by models, forms, filters and API."""

from django.db import models


class SeriesStatus(models.TextChoices):
    FUTURE = "future"
    DEVELOPMENT = "development"
    MAINTAINED = "maintained"
    UNMAINTAINED = "unmaintained"
    END_OF_LIFE = "end of life"


class MilestoneKind(models.TextChoices):
    MILESTONE = "milestone"
    RC1 = "rc1"
    RC1_TARGET = "rc1-target"
    RELEASE = "release"
    SPEC_FREEZE = "nova-spec-freeze"
    SPEC_SOFT_FREEZE = "nova-spec-soft-freeze"


class MeetupKind(models.TextChoices):
    MID_CYCLE = "mid-cycle", "Mid-cycle meetup"
    DESIGN_SUMMIT = "design-summit", "Design summit"
    OTHER = "other", "Other"


class RsvpResponse(models.TextChoices):
    GOING = "going", "Going"
    MAYBE = "maybe", "Maybe"
    NOT_GOING = "not-going", "Not going"


class BoardItemStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    DISCUSSED = "discussed", "Discussed"
    DECIDED = "decided", "Decided"
    DEFERRED = "deferred", "Deferred"


class ActionItemStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"
