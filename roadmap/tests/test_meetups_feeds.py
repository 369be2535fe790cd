"""Meetup calendars parse with the icalendar library and carry the right dates (acceptance 3)."""

import datetime

import icalendar
import pytest
from django.urls import reverse

from roadmap.tests.factories import MeetupFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def _events(response) -> dict[str, icalendar.Event]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0" and calendar["PRODID"]
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_all_meetups_calendar_has_all_day_events_with_an_exclusive_end(anon_client):
    MeetupFactory(
        title="Nova Juno mid-cycle meetup, Beaverton; Oregon",
        start_date=datetime.date(2014, 7, 28),
        end_date=datetime.date(2014, 7, 30),
        place="Intel, Beaverton, Oregon",
        description="Line one\nLine two with a long text " + "é" * 80,
    )
    MeetupFactory(
        title="Neutron", start_date=datetime.date(2014, 7, 9), end_date=datetime.date(2014, 7, 11)
    )

    events = _events(anon_client.get(reverse("roadmap:meetup_calendar")))

    nova = events["Nova Juno mid-cycle meetup, Beaverton; Oregon"]
    assert nova.decoded("DTSTART") == datetime.date(2014, 7, 28)
    assert nova.decoded("DTEND") == datetime.date(2014, 7, 31)  # RFC 5545: DTEND is exclusive
    assert str(nova["LOCATION"]) == "Intel, Beaverton, Oregon"
    assert str(nova["DESCRIPTION"]) == "Line one\nLine two with a long text " + "é" * 80
    assert events["Neutron"].decoded("DTSTART") == datetime.date(2014, 7, 9)
    assert len({str(e["UID"]) for e in events.values()}) == 2


def test_calendar_lines_are_folded_at_75_octets_with_crlf(anon_client):
    MeetupFactory(title="x" * 200, description="é" * 100)

    body = anon_client.get(reverse("roadmap:meetup_calendar")).content

    lines = body.split(b"\r\n")
    assert body.endswith(b"\r\n") and b"\n" not in body.replace(b"\r\n", b"")
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode("utf-8")  # never cut inside a character


def test_project_calendar_has_only_that_projects_meetups(anon_client):
    nova = ProjectFactory(name="nova")
    MeetupFactory(title="Nova meetup", project=nova)
    MeetupFactory(title="Neutron meetup", project=ProjectFactory(name="neutron"))

    events = _events(anon_client.get(reverse("roadmap:meetup_project_calendar", args=["nova"])))

    assert list(events) == ["Nova meetup"]


def test_calendar_of_an_unknown_project_is_not_found(anon_client):
    response = anon_client.get(reverse("roadmap:meetup_project_calendar", args=["nonesuch"]))

    assert response.status_code == 404


def test_meetup_list_links_the_calendars(anon_client):
    MeetupFactory(project=ProjectFactory(name="nova"))

    content = anon_client.get(reverse("roadmap:meetup_list")).content.decode()

    assert reverse("roadmap:meetup_calendar") in content
    assert reverse("roadmap:meetup_project_calendar", args=["nova"]) in content
