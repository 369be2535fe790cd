"""What a delete takes with it, in words: the confirmation step names it before anything goes.

Each function reads a constant number of queries, whatever the number of related rows.
"""

from dataclasses import dataclass, field

from django.db.models import Count

from roadmap.choices import RsvpResponse
from roadmap.models import ActionItem, Blueprint, BoardItem, BoardMeeting, Meetup


@dataclass(frozen=True)
class DeleteSummary:
    """The record (`what`, e.g. "blueprint nova/x"), the rows deleted with it, and warnings."""

    what: str
    goes_with: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _count(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


def blueprint_delete_summary(blueprint: Blueprint) -> DeleteSummary:
    """Its status history and dependency links; the blueprints that depend on it, by name."""
    history = blueprint.history.count()
    depends_on = blueprint.dependencies.count()
    dependants = [
        str(bp)
        for bp in Blueprint.objects.filter(dependencies=blueprint)
        .select_related("project")
        .order_by("project__name", "name")
    ]
    goes_with = [_count(history, "status-history entry", "status-history entries")]
    if depends_on:
        goes_with.append(_count(depends_on, "dependency on another blueprint", "dependencies"))
    warnings = []
    if dependants:
        verb = "depends" if len(dependants) == 1 else "depend"
        warnings.append(
            f"{', '.join(dependants)} {verb} on it: "
            f"{'that dependency goes' if len(dependants) == 1 else 'those dependencies go'} too."
        )
    return DeleteSummary(f"blueprint {blueprint}", goes_with, warnings)


def meetup_delete_summary(meetup: Meetup) -> DeleteSummary:
    """Its RSVPs, counted by answer."""
    rows = meetup.rsvps.order_by().values("response").annotate(n=Count("id"))
    counts = {row["response"]: row["n"] for row in rows}
    total = sum(counts.values())
    answers = ", ".join(
        f"{counts[choice.value]} {choice.label.lower()}"
        for choice in RsvpResponse
        if counts.get(choice.value)
    )
    rsvps = _count(total, "RSVP") + (f" ({answers})" if answers else "")
    return DeleteSummary(f"meetup {meetup.title}", [rsvps])


def meeting_delete_summary(meeting: BoardMeeting) -> DeleteSummary:
    """Its agenda items and their action items; executive-session ones are counted, not named."""
    items = BoardItem.objects.filter(meeting=meeting).aggregate(
        items=Count("id", distinct=True), actions=Count("action_items", distinct=True)
    )
    return DeleteSummary(
        f"meeting {meeting}",
        [_count(items["items"], "agenda item"), _count(items["actions"], "action item")],
    )


def item_delete_summary(item: BoardItem) -> DeleteSummary:
    """Its action items."""
    actions = ActionItem.objects.filter(item=item).count()
    return DeleteSummary(f"agenda item “{item}”", [_count(actions, "action item")])


def action_delete_summary(action: ActionItem) -> DeleteSummary:
    return DeleteSummary(f"action item “{action}”")
