"""Deterministic factories of roadmap rows: projects and blueprints (through the service, as pages
do), meetups, RSVPs and board data (the release calendar is migrated)."""

import datetime

import factory
from django.contrib.auth import get_user_model

from roadmap.choices import MeetupKind, RsvpResponse
from roadmap.models import (
    ActionItem,
    BoardItem,
    BoardMeeting,
    Meetup,
    Milestone,
    Project,
    Rsvp,
    Series,
)
from roadmap.services import blueprints as services


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        django_get_or_create = ("name",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"project-{n:03d}")
    title = factory.LazyAttribute(lambda p: p.name.title())

    @factory.post_generation
    def leads(self, create, extracted, **kwargs):
        if create and extracted:
            self.leads.set(extracted)


def juno() -> Series:
    return Series.objects.get(name="Juno")


def milestone(name: str) -> Milestone:
    return Milestone.objects.get(name=name)


_counter = iter(range(1, 10**6))


def make_blueprint(project: Project, name: str | None = None, *, actor=None, **fields):
    """A blueprint created through the service (history, lifecycle and audit as in real use)."""
    name = name or f"blueprint-{next(_counter):04d}"
    fields.setdefault("title", f"Title of {name}")
    return services.create_blueprint(project, actor=actor, name=name, **fields)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"traveller-{n:03d}")
    first_name = "Tra"
    last_name = factory.Sequence(lambda n: f"Veller{n:03d}")


class MeetupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meetup

    title = factory.Sequence(lambda n: f"Mid-cycle meetup {n:03d}")
    project = factory.SubFactory(ProjectFactory)
    series = factory.LazyFunction(lambda: Series.objects.get(name="Juno"))
    kind = MeetupKind.MID_CYCLE
    start_date = datetime.date(2014, 7, 28)
    end_date = datetime.date(2014, 7, 30)
    place = "Beaverton, Oregon"

    class Params:
        upcoming = factory.Trait(
            start_date=factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(30)),
            end_date=factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(32)),
        )


class RsvpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rsvp

    meetup = factory.SubFactory(MeetupFactory)
    user = factory.SubFactory(UserFactory)
    response = RsvpResponse.GOING


class BoardMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardMeeting

    title = factory.Sequence(lambda n: f"Board meeting {n:03d}")
    date = datetime.date(2014, 9, 18)
    start_time = datetime.time(16, 0)
    place = "Conference call"


class BoardItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardItem

    meeting = factory.SubFactory(BoardMeetingFactory)
    topic = factory.Sequence(lambda n: f"Agenda item {n:03d}")
    presenter = "Chair"
    summary = "Discussed."
    decision = "Agreed."


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    item = factory.SubFactory(BoardItemFactory)
    description = factory.Sequence(lambda n: f"Follow up {n:03d}")
    owner = factory.SubFactory(UserFactory)
    due_date = datetime.date(2014, 11, 2)
