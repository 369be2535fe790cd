"""Deletes ask first: the summary of what goes with a record, and the confirm-then-delete pages."""

import pytest
from django.urls import reverse

from roadmap.models import Blueprint, BoardMeeting, Meetup
from roadmap.queries import deletes
from roadmap.services.blueprints import update_blueprint
from roadmap.tests.factories import (
    ActionItemFactory,
    BoardItemFactory,
    BoardMeetingFactory,
    MeetupFactory,
    ProjectFactory,
    RsvpFactory,
    make_blueprint,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def nova(lead_user):
    return ProjectFactory(name="nova", leads=[lead_user])


def test_a_blueprint_summary_counts_its_history_and_names_who_depends_on_it(nova, lead_user):
    base = make_blueprint(nova, "base")
    other = make_blueprint(nova, "other")
    target = make_blueprint(nova, "target", dependencies=[base, other])
    update_blueprint(target, actor=lead_user, implementation_status="Started")
    make_blueprint(nova, "needs-target", dependencies=[target])
    make_blueprint(ProjectFactory(name="cinder"), "also-needs-target", dependencies=[target])

    summary = deletes.blueprint_delete_summary(target)

    assert summary.what == "blueprint nova/target"
    assert summary.goes_with == ["2 status-history entries", "2 dependencies"]
    assert summary.warnings == [
        "cinder/also-needs-target, nova/needs-target depend on it: those dependencies go too."
    ]


def test_a_blueprint_nobody_depends_on_has_no_warning(nova):
    summary = deletes.blueprint_delete_summary(make_blueprint(nova, "alone"))

    assert summary.goes_with == ["1 status-history entry"]
    assert summary.warnings == []


def test_a_meetup_summary_counts_rsvps_by_answer():
    meetup = MeetupFactory()
    for response in ("going", "not-going", "going", "maybe"):
        RsvpFactory(meetup=meetup, response=response)

    assert deletes.meetup_delete_summary(meetup).goes_with == [
        "4 RSVPs (2 going, 1 maybe, 1 not going)"
    ]
    assert deletes.meetup_delete_summary(MeetupFactory()).goes_with == ["0 RSVPs"]


def test_a_meeting_summary_counts_every_item_the_delete_takes_executive_ones_too():
    meeting = BoardMeetingFactory()
    ActionItemFactory(item=BoardItemFactory(meeting=meeting, executive_session=True))
    ActionItemFactory(item=BoardItemFactory(meeting=meeting))
    BoardItemFactory(meeting=meeting)

    summary = deletes.meeting_delete_summary(meeting)

    assert summary.goes_with == ["3 agenda items", "2 action items"]


@pytest.mark.parametrize("rows", [1, 40])
def test_confirmation_queries_do_not_grow_with_rows(
    rows, nova, lead_client, board_client, django_assert_max_num_queries
):
    target = make_blueprint(nova, "target")
    meeting = BoardMeetingFactory()
    for n in range(rows):
        make_blueprint(nova, f"needs-{n:03d}", dependencies=[target])
        ActionItemFactory(item=BoardItemFactory(meeting=meeting))

    with django_assert_max_num_queries(12):
        page = lead_client.get(reverse("roadmap:blueprint_delete", args=["nova", "target"]))
    with django_assert_max_num_queries(12):
        board = board_client.get(reverse("roadmap:boardmeeting_delete", args=[meeting.pk]))

    assert "1 status-history entry" in page.content.decode()
    assert page.content.decode().count("nova/needs-") == rows
    assert f"{rows} agenda item" in board.content.decode()


def test_get_asks_first_and_deletes_nothing(nova, lead_client):
    make_blueprint(nova, "kept")
    url = reverse("roadmap:blueprint_delete", args=["nova", "kept"])

    page = lead_client.get(url)
    fragment = lead_client.get(url, headers={"HX-Request": "true"})

    assert page.status_code == fragment.status_code == 200
    assert 'data-testid="delete-confirm"' in page.content.decode()
    assert "site-header" in page.content.decode()
    assert 'data-testid="delete-confirm"' in fragment.content.decode()
    assert "site-header" not in fragment.content.decode()
    assert page["Vary"] and "HX-Request" in page["Vary"]
    assert Blueprint.objects.filter(name="kept").exists()


def test_an_htmx_delete_leaves_the_page_with_hx_redirect(lead_user, lead_client):
    meetup = MeetupFactory(organiser=lead_user)
    RsvpFactory(meetup=meetup)

    response = lead_client.post(
        reverse("roadmap:meetup_delete", args=[meetup.pk]), headers={"HX-Request": "true"}
    )

    assert response["HX-Redirect"] == reverse("roadmap:meetup_list")
    assert not Meetup.objects.exists()


def test_the_meeting_confirmation_names_no_executive_item(admin_client):
    meeting = BoardMeetingFactory()
    BoardItemFactory(meeting=meeting, topic="Secret-topic-41", executive_session=True)

    content = admin_client.get(reverse("roadmap:boardmeeting_delete", args=[meeting.pk])).content

    assert b"1 agenda item" in content
    assert b"Secret-topic-41" not in content
    assert BoardMeeting.objects.exists()
