"""Read side of meetups: lists with who comes, a member's answer, the travel view of a series."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet

from dashboard.permissions import User
from roadmap.choices import RsvpResponse
from roadmap.models import Meetup, Rsvp, Series


def meetups_for_list() -> QuerySet[Meetup]:
    """Meetups with project, series, organiser, answer counts and the members going, loaded."""
    going = Rsvp.objects.filter(response=RsvpResponse.GOING).select_related("user")
    return (
        Meetup.objects.select_related("project", "series", "organiser")
        .annotate(
            going_count=Count("rsvps", filter=Q(rsvps__response=RsvpResponse.GOING)),
            maybe_count=Count("rsvps", filter=Q(rsvps__response=RsvpResponse.MAYBE)),
        )
        .prefetch_related(Prefetch("rsvps", queryset=going, to_attr="going_rsvps"))
        .order_by("-start_date", "title")
    )


def series_with_meetups() -> QuerySet[Series]:
    """Series that have at least one meetup, newest first (links to their travel views)."""
    return Series.objects.filter(meetups__isnull=False).distinct().order_by("-release_date")


def meetups_of_project(project_name: str) -> QuerySet[Meetup]:
    return meetups_for_list().filter(project__name=project_name)


def rsvps_of(meetup: Meetup) -> QuerySet[Rsvp]:
    return meetup.rsvps.select_related("user").order_by("response", "user__username")


def response_of(meetup: Meetup, user: User) -> str | None:
    """`user`'s answer to `meetup`, or None (anonymous readers have none)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return meetup.rsvps.filter(user=user).values_list("response", flat=True).first()


@dataclass(frozen=True)
class Traveller:
    username: str
    full_name: str
    events: int


@dataclass(frozen=True)
class Travel:
    """The travel burden of one series: its events and how many of them each person attends."""

    series: Series
    meetups: list[Meetup]
    travellers: list[Traveller]

    @property
    def frequent(self) -> list[Traveller]:
        return [t for t in self.travellers if t.events > 1]


def travel_of(series: Series) -> Travel:
    """Events of `series` and, per person going to any, the number of its events they attend."""
    going = Q(rsvps__response=RsvpResponse.GOING, rsvps__meetup__series=series)
    people = (
        get_user_model()
        .objects.annotate(events=Count("rsvps", filter=going))
        .filter(events__gt=0)
        .order_by("-events", "username")
        .values_list("username", "first_name", "last_name", "events")
    )
    travellers = [
        Traveller(username, f"{first} {last}".strip() or username, events)
        for username, first, last, events in people
    ]
    meetups = list(meetups_for_list().filter(series=series).order_by("start_date", "title"))
    return Travel(series=series, meetups=meetups, travellers=travellers)
