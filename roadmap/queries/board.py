"""Read side of the board: every board list, page, feed, export and API goes through these.

Executive sessions are decided here and only here: `_visible_to` is the one rule.
"""

import datetime

from django.db.models import Count, Prefetch, Q, QuerySet

from dashboard.permissions import User, can_view_executive_session
from roadmap.models import ActionItem, BoardItem, BoardMeeting


def _visible_to(user: User, *, meeting: str, item: str | None = None) -> Q:
    """The rows `user` may see: outside executive sessions, unless a board member or superuser.

    `meeting` and `item` are the lookup prefixes of the meeting's and the item's flags.
    """
    if can_view_executive_session(user):
        return Q()
    visible = Q(**{f"{meeting}executive_session": False})
    if item is not None:
        visible &= Q(**{f"{item}executive_session": False})
    return visible


def meetings_for(user: User) -> QuerySet[BoardMeeting]:
    """Meetings `user` may see, newest first, with attendees and the count of visible items."""
    item_filter = _visible_to(user, meeting="", item="items__")
    return (
        BoardMeeting.objects.filter(_visible_to(user, meeting=""))
        .annotate(item_count=Count("items", filter=item_filter, distinct=True))
        .prefetch_related("attendees")
        .order_by("-date", "-start_time", "-id")
    )


def meeting_with_items(user: User) -> QuerySet[BoardMeeting]:
    """`meetings_for` with the visible items and their action items loaded."""
    return meetings_for(user).prefetch_related(
        Prefetch(
            "items",
            queryset=items_for(user).prefetch_related(
                Prefetch("action_items", queryset=ActionItem.objects.select_related("owner"))
            ),
        ),
    )


def upcoming_meetings_for(user: User, *, today: datetime.date) -> QuerySet[BoardMeeting]:
    return meetings_for(user).filter(date__gte=today).order_by("date", "start_time", "id")


def next_meeting_for(user: User, *, today: datetime.date) -> BoardMeeting | None:
    """The next meeting `user` may see (the overview's tile), or None."""
    return upcoming_meetings_for(user, today=today).first()


def items_for(user: User) -> QuerySet[BoardItem]:
    """Agenda items `user` may see (both the item and its meeting outside executive session)."""
    return (
        BoardItem.objects.filter(_visible_to(user, meeting="meeting__", item=""))
        .select_related("meeting")
        .order_by("-meeting__date", "meeting_id", "position", "id")
    )


def decisions_for(user: User) -> QuerySet[BoardItem]:
    """Items with a decision, newest meeting first (the Atom feed)."""
    return items_for(user).exclude(decision="")


def action_items_for(user: User) -> QuerySet[ActionItem]:
    return (
        ActionItem.objects.filter(_visible_to(user, meeting="item__meeting__", item="item__"))
        .select_related("owner", "item__meeting")
        .order_by("due_date", "id")
    )


def board_counts(user: User) -> dict[str, int]:
    """How many meetings, items and open action items `user` may see."""
    return {
        "meetings": meetings_for(user).count(),
        "items": items_for(user).count(),
        "open_action_items": action_items_for(user).filter(status="open").count(),
    }
