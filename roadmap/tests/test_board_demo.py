"""The demo: Juno meetups with travellers, the 2014 board meetings, an executive item."""

import datetime
import io

import pytest
from django.core.management import call_command

from roadmap.models import BoardItem, BoardMeeting, Meetup, Rsvp, Series
from roadmap.queries.meetups import travel_of

pytestmark = pytest.mark.django_db


def test_seed_demo_loads_meetups_and_board_and_can_run_again():
    call_command("seed_demo", stdout=io.StringIO())
    counts = (Meetup.objects.count(), Rsvp.objects.count(), BoardItem.objects.count())
    call_command("seed_demo", stdout=io.StringIO())

    assert (Meetup.objects.count(), Rsvp.objects.count(), BoardItem.objects.count()) == counts
    september = BoardMeeting.objects.get(date=datetime.date(2014, 9, 18))
    topics = [item.topic for item in september.items.all()]
    assert topics[:3] == [
        "Mid-cycle meetups",
        "The platinum sponsor spot",
        "DefCore: towards several trademark programs",
    ]
    assert september.attendees.filter(username="board").exists()
    assert BoardMeeting.objects.filter(date=datetime.date(2014, 11, 2), place__startswith="Paris")
    assert BoardItem.objects.filter(executive_session=True).exists()
    travel = travel_of(Series.objects.get(name="Juno"))
    assert {m.place for m in travel.meetups} >= {"Beaverton, Oregon"}
    assert len(travel.meetups) == 5
    assert {t.username for t in travel.frequent} >= {"cai-baremetal", "fay-gate"}
