"""Meetup pages and calendars under /meetups/."""

from django.urls import path

from roadmap.feeds import board as feeds
from roadmap.views import meetups

urlpatterns = [
    path("", meetups.meetup_list, name="meetup_list"),
    path("new/", meetups.meetup_create, name="meetup_create"),
    path("<int:meetup_id>/", meetups.meetup_detail, name="meetup_detail"),
    path("<int:meetup_id>/edit/", meetups.meetup_update, name="meetup_update"),
    path("<int:meetup_id>/delete/", meetups.meetup_delete, name="meetup_delete"),
    path("<int:meetup_id>/rsvp/", meetups.meetup_rsvp, name="meetup_rsvp"),
    path("travel/<str:series_name>/", meetups.meetup_travel, name="meetup_travel"),
    path("calendar.ics", feeds.meetup_calendar, name="meetup_calendar"),
    path(
        "projects/<str:project_name>/calendar.ics",
        feeds.project_meetup_calendar,
        name="meetup_project_calendar",
    ),
]
