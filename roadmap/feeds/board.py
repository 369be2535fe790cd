"""Calendars (iCalendar, RFC 5545) of meetups and board meetings, and the Atom feed of decisions.

Board data comes from roadmap.queries.board with the requesting user, like every other surface.
"""

import datetime
from collections.abc import Iterable, Iterator

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_GET

from roadmap.models import BoardItem, BoardMeeting, Meetup, Project
from roadmap.queries import board as board_queries
from roadmap.queries import meetups as meetup_queries

PRODID = "-//Stackboard//Meetups and board//EN"
UTC_FORMAT = "%Y%m%dT%H%M%SZ"


def _escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11): backslash, semicolon, comma, newline."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _fold(line: str) -> str:
    """Content lines longer than 75 octets folded with CRLF + space (RFC 5545 §3.1).

    Cut between characters, never inside a multi-byte UTF-8 sequence.
    """
    parts, current, size, limit = [], "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, 74  # continuation lines start with a space
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _event(uid: str, stamp: datetime.datetime, props: list[tuple[str, str]]) -> Iterator[str]:
    yield "BEGIN:VEVENT"
    yield f"UID:{uid}"
    yield f"DTSTAMP:{stamp:{UTC_FORMAT}}"
    yield from (f"{name}:{value}" for name, value in props if value)
    yield "END:VEVENT"


def _calendar(name: str, events: Iterable[Iterator[str]]) -> HttpResponse:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
    for event in events:
        lines.extend(event)
    lines.append("END:VCALENDAR")
    body = "".join(_fold(line) + "\r\n" for line in lines)
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    return response


def _meetup_event(request: HttpRequest, meetup: Meetup, stamp: datetime.datetime) -> Iterator[str]:
    # All-day events: DTEND is exclusive, so a meetup ending on the 11th ends on the 12th.
    end = meetup.end_date + datetime.timedelta(days=1)
    description = "\n\n".join(part for part in (meetup.description, meetup.outcomes) if part)
    return _event(
        f"meetup-{meetup.pk}@{request.get_host()}",
        stamp,
        [
            ("DTSTART;VALUE=DATE", f"{meetup.start_date:%Y%m%d}"),
            ("DTEND;VALUE=DATE", f"{end:%Y%m%d}"),
            ("SUMMARY", _escape(meetup.title)),
            ("LOCATION", _escape(meetup.place)),
            ("DESCRIPTION", _escape(description)),
            ("URL;VALUE=URI", request.build_absolute_uri(meetup.get_absolute_url())),
        ],
    )


def _meeting_event(
    request: HttpRequest, meeting: BoardMeeting, stamp: datetime.datetime
) -> Iterator[str]:
    if meeting.start_time is None:
        when = [
            ("DTSTART;VALUE=DATE", f"{meeting.date:%Y%m%d}"),
            ("DTEND;VALUE=DATE", f"{meeting.date + datetime.timedelta(days=1):%Y%m%d}"),
        ]
    else:
        start = datetime.datetime.combine(meeting.date, meeting.start_time, tzinfo=datetime.UTC)
        end = start + datetime.timedelta(minutes=meeting.duration_minutes)
        when = [("DTSTART", f"{start:{UTC_FORMAT}}"), ("DTEND", f"{end:{UTC_FORMAT}}")]
    return _event(
        f"board-meeting-{meeting.pk}@{request.get_host()}",
        stamp,
        [
            *when,
            ("SUMMARY", _escape(meeting.title)),
            ("LOCATION", _escape(meeting.place or meeting.call_url)),
            ("CLASS", "PRIVATE" if meeting.executive_session else "PUBLIC"),
            ("URL;VALUE=URI", request.build_absolute_uri(meeting.get_absolute_url())),
        ],
    )


@require_GET
def meetup_calendar(request: HttpRequest) -> HttpResponse:
    """Every meetup, as an iCalendar feed."""
    stamp = timezone.now().astimezone(datetime.UTC)
    meetups = meetup_queries.meetups_for_list()
    return _calendar("Meetups", (_meetup_event(request, m, stamp) for m in meetups))


@require_GET
def project_meetup_calendar(request: HttpRequest, project_name: str) -> HttpResponse:
    """The meetups of one project, as an iCalendar feed."""
    project = get_object_or_404(Project, name=project_name)
    stamp = timezone.now().astimezone(datetime.UTC)
    meetups = meetup_queries.meetups_of_project(project.name)
    return _calendar(f"{project.name} meetups", (_meetup_event(request, m, stamp) for m in meetups))


@require_GET
def boardmeeting_calendar(request: HttpRequest) -> HttpResponse:
    """Board meetings the requester may see, as an iCalendar feed."""
    stamp = timezone.now().astimezone(datetime.UTC)
    meetings = board_queries.meetings_for(request.user)
    return _calendar("Board meetings", (_meeting_event(request, m, stamp) for m in meetings))


class BoardDecisionFeed(Feed):
    """Atom: the board's decisions, newest meeting first, limited to what the reader may see."""

    feed_type = Atom1Feed
    title = "Board decisions"
    subtitle = "Decisions and outcomes of the foundation board's agenda items."

    def get_object(self, request: HttpRequest, *args, **kwargs):
        return request.user

    def link(self) -> str:
        return reverse("roadmap:boarditem_list")

    def items(self, user) -> list[BoardItem]:
        return list(board_queries.decisions_for(user)[:50])

    def item_title(self, item: BoardItem) -> str:
        return f"{item.meeting.date:%Y-%m-%d} · {item.topic}"

    def item_description(self, item: BoardItem) -> str:
        return item.decision

    def item_link(self, item: BoardItem) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: BoardItem) -> datetime.datetime:
        return datetime.datetime.combine(item.meeting.date, datetime.time(), tzinfo=datetime.UTC)

    def item_updateddate(self, item: BoardItem) -> datetime.datetime:
        # Atom requires <updated> on every entry (RFC 4287 §4.1.2).
        return self.item_pubdate(item)

    def item_guid(self, item: BoardItem) -> str:
        return f"board-item-{item.pk}"

    item_guid_is_permalink = False
