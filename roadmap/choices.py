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


# Launchpad's blueprint vocabularies, as the exact strings its web service writes
# (lib/lp/blueprints/enums.py; launchpad-blueprint-shape.md §3). The number is Launchpad's own
# stored value, used as the sort key.
class Priority(models.TextChoices):
    ESSENTIAL = "Essential"
    HIGH = "High"
    MEDIUM = "Medium"
    LOW = "Low"
    UNDEFINED = "Undefined"
    NOT = "Not"


PRIORITY_ORDER = {"Essential": 90, "High": 70, "Medium": 50, "Low": 10, "Undefined": 5, "Not": 0}


class DefinitionStatus(models.TextChoices):
    APPROVED = "Approved"
    PENDING_APPROVAL = "Pending Approval"
    REVIEW = "Review"
    DRAFTING = "Drafting"
    DISCUSSION = "Discussion"
    NEW = "New"
    SUPERSEDED = "Superseded"
    OBSOLETE = "Obsolete"


class ImplementationStatus(models.TextChoices):
    UNKNOWN = "Unknown"
    NOT_STARTED = "Not started"
    DEFERRED = "Deferred"
    NEEDS_INFRASTRUCTURE = "Needs Infrastructure"
    BLOCKED = "Blocked"
    STARTED = "Started"
    SLOW_PROGRESS = "Slow progress"
    GOOD_PROGRESS = "Good progress"
    BETA_AVAILABLE = "Beta Available"
    NEEDS_CODE_REVIEW = "Needs Code Review"
    DEPLOYMENT = "Deployment"
    IMPLEMENTED = "Implemented"
    INFORMATIONAL = "Informational"


class LifecycleStatus(models.TextChoices):
    NOT_STARTED = "Not started"
    STARTED = "Started"
    COMPLETE = "Complete"


class InformationType(models.TextChoices):
    PUBLIC = "Public"
    PUBLIC_SECURITY = "Public Security"
    PRIVATE_SECURITY = "Private Security"
    PRIVATE = "Private"
    PROPRIETARY = "Proprietary"
    EMBARGOED = "Embargoed"


def lifecycle_of(definition_status: str, implementation_status: str) -> str:
    """Launchpad's derived lifecycle (launchpad-blueprint-shape.md §4), exactly."""
    informational_done = (
        implementation_status == ImplementationStatus.INFORMATIONAL
        and definition_status == DefinitionStatus.APPROVED
    )
    if (
        implementation_status == ImplementationStatus.IMPLEMENTED
        or definition_status in (DefinitionStatus.OBSOLETE, DefinitionStatus.SUPERSEDED)
        or informational_done
    ):
        return LifecycleStatus.COMPLETE
    not_started = (
        ImplementationStatus.UNKNOWN,
        ImplementationStatus.NOT_STARTED,
        ImplementationStatus.DEFERRED,
        ImplementationStatus.INFORMATIONAL,
    )
    if implementation_status not in not_started:
        return LifecycleStatus.STARTED
    return LifecycleStatus.NOT_STARTED


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
