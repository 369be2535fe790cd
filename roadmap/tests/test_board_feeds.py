"""Board calendar and decisions feed: standard formats with the right dates (acceptance 3)."""

import datetime
import xml.etree.ElementTree as ET

import icalendar
import pytest
from django.urls import reverse

from roadmap.tests.factories import BoardItemFactory, BoardMeetingFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def test_board_calendar_carries_meeting_times_in_utc_and_all_day_meetings(anon_client):
    BoardMeetingFactory(
        title="Board call",
        date=datetime.date(2014, 9, 18),
        start_time=datetime.time(16, 0),
        duration_minutes=180,
    )
    BoardMeetingFactory(title="Paris", date=datetime.date(2014, 11, 2), start_time=None)

    response = anon_client.get(reverse("roadmap:boardmeeting_calendar"))

    calendar = icalendar.Calendar.from_ical(response.content)
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    utc = datetime.UTC
    assert events["Board call"].decoded("DTSTART") == datetime.datetime(2014, 9, 18, 16, tzinfo=utc)
    assert events["Board call"].decoded("DTEND") == datetime.datetime(2014, 9, 18, 19, tzinfo=utc)
    assert events["Paris"].decoded("DTSTART") == datetime.date(2014, 11, 2)
    assert events["Paris"].decoded("DTEND") == datetime.date(2014, 11, 3)
    assert all(e.get("DTSTAMP") for e in events.values())


def test_decision_feed_is_atom_with_one_entry_per_decision(anon_client):
    meeting = BoardMeetingFactory(date=datetime.date(2014, 9, 18))
    BoardItemFactory(meeting=meeting, topic="DefCore", decision="Several programs")
    BoardItemFactory(meeting=meeting, topic="Undecided", decision="")

    response = anon_client.get(reverse("roadmap:boarditem_feed"))

    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["2014-09-18 · DefCore"]
    assert entries[0].find(f"{ATOM}summary").text == "Several programs"
    assert entries[0].find(f"{ATOM}updated").text.startswith("2014-09-18")
