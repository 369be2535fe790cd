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
