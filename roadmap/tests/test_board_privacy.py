"""Executive sessions: hidden from anonymous readers, members, leads and cloud admins on every
surface; board members and superusers see them. One test per surface (acceptance 1)."""

import csv
import io
from datetime import date

import icalendar
import pytest
from django.urls import reverse

from roadmap.models import BoardMeeting
from roadmap.services import board as board_services
from roadmap.tests.factories import (
    ActionItemFactory,
    BoardItemFactory,
    BoardMeetingFactory,
)

pytestmark = pytest.mark.django_db

SECRET_ITEM = "Secret acquisition talks"
SECRET_TEXT = "codename bluefin"
SECRET_MEETING = "Closed board retreat"

HIDDEN = ["anon", "member", "lead", "admin"]  # a cloud admin runs infrastructure, not the board
SHOWN = ["board", "superuser"]
ROLES = [(role, False) for role in HIDDEN] + [(role, True) for role in SHOWN]


@pytest.fixture
def reader(request):
    """The client of one role (only that role's user is created: hashing passwords is slow)."""
    return request.getfixturevalue(f"{request.param}_client")


@pytest.fixture
def board_data():
    """One public meeting with a public and an executive item; one executive meeting."""
    public = BoardMeetingFactory(title="Public meeting", date="2099-01-10")
    BoardItemFactory(meeting=public, topic="Public topic", decision="Public decision")
    secret_item = BoardItemFactory(
        meeting=public,
        topic=SECRET_ITEM,
        summary=f"About {SECRET_TEXT}.",
        decision=f"Proceed with {SECRET_TEXT}.",
        executive_session=True,
    )
    ActionItemFactory(item=secret_item, description=f"Call {SECRET_TEXT} lawyers")
    closed = BoardMeetingFactory(title=SECRET_MEETING, date="2099-01-05", executive_session=True)
    inside = BoardItemFactory(meeting=closed, topic="Retreat topic", decision="Retreat decision")
    return {"public": public, "secret_item": secret_item, "closed": closed, "inside": inside}


def _shows_secret(content: bytes) -> bool:
    text = content.decode()
    return any(s in text for s in (SECRET_ITEM, SECRET_TEXT, SECRET_MEETING, "Retreat topic"))


@pytest.mark.parametrize(("reader", "sees"), ROLES, indirect=["reader"])
def test_board_index_lists_and_counts_only_what_the_reader_may_see(reader, sees, board_data):
    response = reader.get(reverse("roadmap:board_index"))

    assert response.status_code == 200
    assert _shows_secret(response.content) is sees
    assert response.context["counts"] == (
        {"meetings": 2, "items": 3, "open_action_items": 1}
        if sees
        else {"meetings": 1, "items": 1, "open_action_items": 0}
    )
    assert [m.item_count for m in response.context["page"]] == ([2, 1] if sees else [1])


@pytest.mark.parametrize(("reader", "sees"), ROLES, indirect=["reader"])
def test_executive_meeting_page_is_not_found_for_those_who_may_not_see_it(reader, sees, board_data):
    response = reader.get(reverse("roadmap:boardmeeting_detail", args=[board_data["closed"].pk]))

    assert response.status_code == (200 if sees else 404)


@pytest.mark.parametrize(("reader", "sees"), ROLES, indirect=["reader"])
def test_public_meeting_page_leaves_out_its_executive_item(reader, sees, board_data):
    response = reader.get(reverse("roadmap:boardmeeting_detail", args=[board_data["public"].pk]))

    assert response.status_code == 200
    assert b"Public topic" in response.content
    assert _shows_secret(response.content) is sees


@pytest.mark.parametrize(("reader", "sees"), ROLES, indirect=["reader"])
def test_executive_item_page_is_not_found_for_those_who_may_not_see_it(reader, sees, board_data):
    for item in (board_data["secret_item"], board_data["inside"]):
        response = reader.get(reverse("roadmap:boarditem_detail", args=[item.pk]))
        assert response.status_code == (200 if sees else 404)


@pytest.mark.parametrize(("reader", "sees"), ROLES, indirect=["reader"])
def test_search_finds_executive_items_only_for_board_members_and_superusers(
    reader, sees, board_data
):
    response = reader.get(reverse("roadmap:boarditem_list"), {"q": "bluefin"})

    assert response.status_code == 200
    assert response.context["page"].paginator.count == (1 if sees else 0)
    assert _shows_secret(response.content) is sees


@pytest.mark.parametrize(("reader", "sees"), ROLES, indirect=["reader"])
def test_action_item_list_hides_actions_of_executive_items(reader, sees, board_data):
    response = reader.get(reverse("roadmap:actionitem_list"))

    assert response.status_code == 200
    assert _shows_secret(response.content) is sees


@pytest.mark.parametrize(("reader", "sees"), ROLES, indirect=["reader"])
def test_overview_tile_shows_the_next_meeting_the_reader_may_see(reader, sees, board_data):
    response = reader.get(reverse("dashboard:overview"))

    tile = next(t for t in response.context["tiles"] if t["title"] == "Next board meeting")
    assert tile["meeting"].title == (SECRET_MEETING if sees else "Public meeting")
    assert _shows_secret(response.content) is sees


@pytest.mark.parametrize(("reader", "sees"), ROLES, indirect=["reader"])
def test_board_calendar_carries_executive_meetings_only_for_those_who_may_see_them(
    reader, sees, board_data
):
    response = reader.get(reverse("roadmap:boardmeeting_calendar"))

    calendar = icalendar.Calendar.from_ical(response.content)
    summaries = sorted(str(event["SUMMARY"]) for event in calendar.walk("VEVENT"))
    assert summaries == (sorted([SECRET_MEETING, "Public meeting"]) if sees else ["Public meeting"])


@pytest.mark.parametrize(("reader", "sees"), ROLES, indirect=["reader"])
def test_decision_feed_carries_executive_decisions_only_for_those_who_may_see_them(
    reader, sees, board_data
):
    response = reader.get(reverse("roadmap:boarditem_feed"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert b"Public decision" in response.content
    assert _shows_secret(response.content) is sees


@pytest.mark.parametrize(("reader", "sees"), ROLES, indirect=["reader"])
def test_csv_export_carries_executive_items_only_for_those_who_may_see_them(
    reader, sees, board_data
):
    response = reader.get(reverse("roadmap:boarditem_export"))

    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert sorted(r["topic"] for r in rows) == (
        sorted(["Public topic", SECRET_ITEM, "Retreat topic"]) if sees else ["Public topic"]
    )


@pytest.mark.parametrize("collection", ["boardmeeting-list", "boarditem-list", "actionitem-list"])
@pytest.mark.parametrize(("reader", "sees"), ROLES, indirect=["reader"])
def test_api_lists_carry_executive_sessions_only_for_those_who_may_see_them(
    reader, sees, board_data, collection
):
    response = reader.get(reverse(collection))

    assert response.status_code == 200
    assert _shows_secret(response.content) is sees
    expected = {"boardmeeting-list": (2, 1), "boarditem-list": (3, 1), "actionitem-list": (1, 0)}
    assert response.json()["count"] == expected[collection][0 if sees else 1]


@pytest.mark.parametrize(("reader", "sees"), ROLES, indirect=["reader"])
def test_api_details_of_executive_sessions_are_not_found_for_others(reader, sees, board_data):
    urls = [
        reverse("boardmeeting-detail", args=[board_data["closed"].pk]),
        reverse("boarditem-detail", args=[board_data["secret_item"].pk]),
        reverse("boarditem-detail", args=[board_data["inside"].pk]),
    ]
    for url in urls:
        response = reader.get(url)
        assert response.status_code == (200 if sees else 404), url
        assert _shows_secret(response.content) is sees


@pytest.mark.parametrize(("reader", "sees"), ROLES, indirect=["reader"])
def test_api_meeting_item_count_leaves_out_executive_items(reader, sees, board_data):
    response = reader.get(reverse("boardmeeting-detail", args=[board_data["public"].pk]))

    assert response.json()["item_count"] == (2 if sees else 1)


@pytest.mark.parametrize(
    ("reader", "sees"), [("admin", False), ("superuser", True)], indirect=["reader"]
)
def test_audit_log_carries_board_records_only_for_those_who_may_see_executive_sessions(
    reader, sees, board_user
):
    # Audit entries hold a record's before/after: an executive item's text is in them.
    meeting = board_services.create_meeting(
        actor=board_user, title=SECRET_MEETING, date=date(2099, 1, 5)
    )
    board_services.create_item(
        actor=board_user, meeting=meeting, topic=SECRET_ITEM, executive_session=True
    )

    page = reader.get(reverse("dashboard:auditentry_list"))
    api = reader.get(reverse("api-audit-log"))

    assert page.status_code == api.status_code == 200
    assert _shows_secret(page.content) is sees
    assert _shows_secret(api.content) is sees


def test_a_cloud_admin_cannot_write_an_executive_session_they_may_not_read(admin_client):
    # A write whose answer the writer may not see was a 500 (found by the fuzz stage).
    answer = admin_client.post(
        "/api/v1/board/meetings/",
        {"date": "2015-01-14", "title": "Closed", "place": "Online", "executive_session": True},
        content_type="application/json",
    )
    assert answer.status_code == 400, answer.content
    assert answer.json()["errors"][0]["field"] == "executive_session"
    assert not BoardMeeting.objects.filter(title="Closed").exists()


def test_a_cloud_admin_cannot_file_an_item_under_an_executive_meeting(admin_client):
    closed = BoardMeetingFactory(executive_session=True)
    answer = admin_client.post(
        "/api/v1/board/items/",
        {"meeting": closed.pk, "topic": "Budget", "executive_session": False},
        content_type="application/json",
    )
    assert answer.status_code == 400, answer.content
    assert answer.json()["errors"][0]["field"] in {"meeting", "executive_session"}
    assert not closed.items.exists()
