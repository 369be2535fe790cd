"""Meetup rules at the service: dates in order, a team or project, RSVPs open until the end."""

import datetime

import pytest

from dashboard.errors import DomainError
from dashboard.models import AuditEntry
from roadmap.models import Meetup, Rsvp, Series
from roadmap.services.meetups import create_meetup, remove_rsvp, set_rsvp, update_meetup
from roadmap.tests.factories import MeetupFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2014, 7, 1)


def _fields(**changes):
    fields = {
        "title": "Nova Juno mid-cycle meetup",
        "project": ProjectFactory(name="nova"),
        "series": Series.objects.get(name="Juno"),
        "start_date": datetime.date(2014, 7, 28),
        "end_date": datetime.date(2014, 7, 30),
        "place": "Beaverton, Oregon",
    }
    return {**fields, **changes}


def test_create_meetup_makes_the_actor_its_organiser_and_audits_it(lead_user):
    meetup = create_meetup(actor=lead_user, **_fields())

    assert meetup.organiser == lead_user
    assert AuditEntry.objects.filter(
        object_type="roadmap.meetup", object_id=str(meetup.pk)
    ).exists()


def test_create_meetup_refuses_an_end_before_the_start(lead_user):
    with pytest.raises(DomainError, match="cannot end before it starts") as error:
        create_meetup(actor=lead_user, **_fields(end_date=datetime.date(2014, 7, 27)))

    assert error.value.field == "end_date"
    assert not Meetup.objects.exists()


def test_create_meetup_needs_a_project_or_a_team(lead_user):
    with pytest.raises(DomainError, match="project or the team") as error:
        create_meetup(actor=lead_user, **_fields(project=None, team=""))

    assert error.value.field == "project"


def test_update_meetup_refusal_writes_nothing(lead_user):
    meetup = MeetupFactory(organiser=lead_user)

    with pytest.raises(DomainError):
        update_meetup(meetup, actor=lead_user, end_date=datetime.date(2014, 1, 1))

    meetup.refresh_from_db()
    assert meetup.end_date == datetime.date(2014, 7, 30)


def test_database_refuses_an_end_before_the_start_even_without_the_service():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        MeetupFactory(start_date=datetime.date(2014, 7, 2), end_date=datetime.date(2014, 7, 1))


def test_answering_again_replaces_the_earlier_answer(member_user):
    meetup = MeetupFactory()

    set_rsvp(meetup, member_user, "maybe", today=TODAY)
    set_rsvp(meetup, member_user, "going", today=TODAY)

    assert list(Rsvp.objects.values_list("user__username", "response")) == [
        ("mike-member", "going")
    ]


@pytest.mark.parametrize(
    ("today", "accepted"),
    [
        (datetime.date(2014, 7, 30), True),  # the last day still counts
        (datetime.date(2014, 7, 31), False),
    ],
)
def test_rsvp_closes_once_the_meetup_is_over(member_user, today, accepted):
    meetup = MeetupFactory()

    if accepted:
        set_rsvp(meetup, member_user, "going", today=today)
    else:
        with pytest.raises(DomainError, match="ended on 2014-07-30") as error:
            set_rsvp(meetup, member_user, "going", today=today)
        assert error.value.field == "meetup"
    assert Rsvp.objects.exists() is accepted


def test_rsvp_refuses_going_when_the_meetup_is_full(member_user):
    meetup = MeetupFactory(capacity=1)
    set_rsvp(meetup, UserFactory(), "going", today=TODAY)

    with pytest.raises(DomainError, match="is full") as error:
        set_rsvp(meetup, member_user, "going", today=TODAY)

    assert error.value.status == 409
    set_rsvp(meetup, member_user, "maybe", today=TODAY)  # a maybe takes no seat
    assert meetup.rsvps.count() == 2


def test_rsvp_refuses_an_unknown_answer(member_user):
    with pytest.raises(DomainError, match="going, maybe, not-going"):
        set_rsvp(MeetupFactory(), member_user, "perhaps", today=TODAY)


def test_remove_rsvp_withdraws_the_answer(member_user):
    meetup = MeetupFactory()
    set_rsvp(meetup, member_user, "going", today=TODAY)

    remove_rsvp(meetup, member_user)

    assert not meetup.rsvps.exists()
