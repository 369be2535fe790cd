"""Board writes at the service: owners on action items, links, audit, nothing half-written."""

import datetime

import pytest

from dashboard.errors import DomainError
from dashboard.models import AuditEntry
from roadmap.models import ActionItem, BoardItem
from roadmap.services import board as services
from roadmap.tests.factories import BoardItemFactory, BoardMeetingFactory

pytestmark = pytest.mark.django_db


def test_action_item_without_an_owner_is_refused(board_user):
    item = BoardItemFactory()

    with pytest.raises(DomainError, match="needs an owner") as error:
        services.create_action_item(actor=board_user, item=item, description="Do it", owner=None)

    assert error.value.field == "owner"
    assert not ActionItem.objects.exists()


def test_action_item_owner_cannot_be_removed(board_user):
    action = services.create_action_item(
        actor=board_user, item=BoardItemFactory(), description="Do it", owner=board_user
    )

    with pytest.raises(DomainError, match="needs an owner"):
        services.update_action_item(action, actor=board_user, owner=None)

    action.refresh_from_db()
    assert action.owner == board_user


def test_item_links_must_be_http_links(board_user):
    meeting = BoardMeetingFactory()

    with pytest.raises(DomainError, match="“javascript:alert") as error:
        services.create_item(
            actor=board_user,
            meeting=meeting,
            topic="T",
            links="https://ok.example\njavascript:alert(1)",
        )

    assert error.value.field == "links"
    assert not BoardItem.objects.exists()


def test_meeting_needs_a_title(board_user):
    with pytest.raises(DomainError) as error:
        services.create_meeting(actor=board_user, title="", date=datetime.date(2014, 9, 18))

    assert error.value.field == "title"


def test_writes_are_audited_with_before_and_after(board_user):
    meeting = services.create_meeting(
        actor=board_user, title="Call", date=datetime.date(2014, 9, 18), attendees=[board_user]
    )
    services.update_meeting(meeting, actor=board_user, place="Paris")
    services.delete_board_record(meeting, actor=board_user)

    entries = AuditEntry.objects.filter(object_type="roadmap.boardmeeting").order_by("id")
    assert [e.action for e in entries] == ["create", "update", "delete"]
    assert entries[0].after["attendees"] == ["betty-board"]
    assert (entries[1].before["place"], entries[1].after["place"]) == ("", "Paris")
