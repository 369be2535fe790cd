"""Board API: CRUD at /api/v1/board/…, board members and admins write, errors as JSON."""

import pytest
from django.urls import reverse

from roadmap.models import ActionItem, BoardItem, BoardMeeting
from roadmap.tests.factories import (
    ActionItemFactory,
    BoardItemFactory,
    BoardMeetingFactory,
)

pytestmark = pytest.mark.django_db
MEETINGS, ITEMS, ACTIONS = (
    "/api/v1/board/meetings/",
    "/api/v1/board/items/",
    "/api/v1/board/action-items/",
)
JSON = "application/json"


def test_paths_are_the_ones_the_issue_names():
    assert reverse("boardmeeting-list") == MEETINGS
    assert reverse("boarditem-list") == ITEMS
    assert reverse("actionitem-list") == ACTIONS


def test_board_member_creates_a_meeting_an_item_and_an_action_item(board_client):
    meeting = board_client.post(
        MEETINGS,
        {
            "date": "2014-11-02",
            "title": "Paris",
            "place": "Paris",
            "executive_session": False,
            "attendees": ["betty-board"],
        },
        content_type=JSON,
    )
    assert meeting.status_code == 201, meeting.json()
    item = board_client.post(
        ITEMS,
        {
            "meeting": meeting.json()["id"],
            "topic": "DefCore",
            "presenter": "Co-chairs",
            "summary": "*Several* programs",
            "decision": "Vote",
            "status": "decided",
            "executive_session": False,
            "links": ["https://wiki.openstack.org/wiki/DefCore"],
        },
        content_type=JSON,
    )
    assert item.status_code == 201, item.json()
    assert item.json()["summary_html"] == "<p><em>Several</em> programs</p>"
    assert item.json()["links"] == ["https://wiki.openstack.org/wiki/DefCore"]
    action = board_client.post(
        ACTIONS,
        {
            "item": item.json()["id"],
            "description": "Draft",
            "owner": "betty-board",
            "due_date": "2014-11-01",
        },
        content_type=JSON,
    )
    assert action.status_code == 201, action.json()
    assert meeting.json()["attendees"] == ["betty-board"]
    detail = board_client.get(f"{MEETINGS}{meeting.json()['id']}/")
    assert detail.json()["item_count"] == 1


def test_updates_and_deletes(admin_client):
    action = ActionItemFactory()

    response = admin_client.patch(f"{ACTIONS}{action.pk}/", {"status": "done"}, content_type=JSON)
    assert response.status_code == 200 and response.json()["status"] == "done"
    assert (
        admin_client.patch(
            f"{ITEMS}{action.item_id}/", {"decision": "Approved"}, content_type=JSON
        ).json()["decision"]
        == "Approved"
    )
    assert admin_client.delete(f"{MEETINGS}{action.item.meeting_id}/").status_code == 204
    assert not (
        BoardMeeting.objects.exists() or BoardItem.objects.exists() or ActionItem.objects.exists()
    )


def test_action_item_without_an_owner_is_refused_naming_the_field(board_client):
    item = BoardItemFactory()

    response = board_client.post(
        ACTIONS, {"item": item.pk, "description": "Draft"}, content_type=JSON
    )

    assert response.status_code == 400
    assert response.json() == {
        "errors": [{"field": "owner", "message": "Every action item needs an owner."}]
    }
    assert not ActionItem.objects.exists()


def test_an_item_of_an_unknown_meeting_is_refused_naming_the_field(board_client):
    response = board_client.post(ITEMS, {"meeting": 999999, "topic": "T"}, content_type=JSON)

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "meeting"


@pytest.mark.parametrize(
    ("client_name", "status"),
    [("anon_client", 401), ("member_client", 403), ("lead_client", 403)],
)
def test_only_board_members_and_admins_write_board_data(request, client_name, status):
    client = request.getfixturevalue(client_name)
    item = BoardItemFactory()

    assert (
        client.post(MEETINGS, {"date": "2014-11-02", "title": "X"}, content_type=JSON).status_code
        == status
    )
    assert (
        client.patch(f"{ITEMS}{item.pk}/", {"topic": "X"}, content_type=JSON).status_code == status
    )
    assert client.delete(f"{MEETINGS}{item.meeting_id}/").status_code == status
    assert BoardItem.objects.get().topic == item.topic


def test_items_can_be_searched_and_filtered(anon_client):
    BoardItemFactory(topic="Platinum sponsor spot", status="decided")
    BoardItemFactory(topic="DefCore", summary="several trademark programs", status="proposed")

    found = anon_client.get(ITEMS, {"q": "trademark"}).json()["results"]
    decided = anon_client.get(ITEMS, {"status": "decided"}).json()["results"]

    assert [i["topic"] for i in found] == ["DefCore"]
    assert [i["topic"] for i in decided] == ["Platinum sponsor spot"]


@pytest.mark.parametrize("rows", [1, 30])
@pytest.mark.parametrize("collection", [MEETINGS, ITEMS, ACTIONS])
def test_list_queries_do_not_grow_with_rows(
    rows, collection, board_client, django_assert_max_num_queries
):
    for meeting in BoardMeetingFactory.create_batch(rows):
        ActionItemFactory(item=BoardItemFactory(meeting=meeting))

    with django_assert_max_num_queries(6):
        response = board_client.get(collection)

    assert response.json()["count"] == rows


@pytest.mark.parametrize("year", ["6.483669902628735e-215", "2014.5", "0", "abc"])
def test_meeting_list_refuses_a_year_that_is_not_a_whole_year(anon_client, year):
    response = anon_client.get("/api/v1/board/meetings/", {"year": year})

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "year"
