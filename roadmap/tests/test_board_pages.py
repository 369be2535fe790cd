"""Board pages: forms (422 by the field), Markdown sanitised, who may edit, query counts."""

import pytest
from django.urls import reverse

from roadmap.models import ActionItem, BoardItem, BoardMeeting
from roadmap.tests.factories import (
    ActionItemFactory,
    BoardItemFactory,
    BoardMeetingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_summary_markdown_is_rendered_and_sanitised(anon_client):
    item = BoardItemFactory(
        summary='**Bold** and [a link](https://example.org)\n\n<script>alert("x")</script>'
        '<img src=x onerror="alert(1)"> [bad](javascript:alert(1))'
    )

    content = anon_client.get(reverse("roadmap:boarditem_detail", args=[item.pk])).content.decode()

    assert "<strong>Bold</strong>" in content
    assert '<a href="https://example.org" rel="nofollow noopener">a link</a>' in content
    assert "<script>alert" not in content and "onerror" not in content
    assert "javascript:" not in content


def test_board_member_creates_a_meeting_through_the_form(board_client, board_user):
    response = board_client.post(
        reverse("roadmap:boardmeeting_create"),
        {
            "title": "Board meeting, Paris",
            "date": "2014-11-02",
            "start_time": "08:00",
            "duration_minutes": 180,
            "place": "Paris",
            "attendees": [board_user.pk],
        },
    )

    meeting = BoardMeeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("roadmap:boardmeeting_detail", args=[meeting.pk])
    assert list(meeting.attendees.all()) == [board_user]


def test_action_item_form_without_an_owner_says_so_next_to_the_field(board_client):
    item = BoardItemFactory()

    response = board_client.post(
        reverse("roadmap:actionitem_create", args=[item.pk]),
        {"description": "Draft the programs", "status": "open"},
    )

    assert response.status_code == 422
    assert response.context["form"].errors == {"owner": ["Every action item needs an owner."]}
    assert "Every action item needs an owner." in response.content.decode()
    assert not ActionItem.objects.exists()


def test_item_form_shows_a_bad_link_next_to_the_field(board_client):
    meeting = BoardMeetingFactory()

    response = board_client.post(
        reverse("roadmap:boarditem_create", args=[meeting.pk]),
        {"position": 1, "topic": "DefCore", "status": "proposed", "links": "not a link"},
    )

    assert response.status_code == 422
    assert response.context["form"].errors == {"links": ["“not a link” is not an http(s) link."]}
    assert not BoardItem.objects.exists()


def test_board_member_adds_an_action_item(board_client):
    item = BoardItemFactory()
    owner = UserFactory(username="owner")

    response = board_client.post(
        reverse("roadmap:actionitem_create", args=[item.pk]),
        {"description": "Draft", "owner": owner.pk, "status": "open", "due_date": "2014-11-02"},
    )

    assert response.status_code == 302
    assert ActionItem.objects.get().owner == owner


@pytest.mark.parametrize(
    ("client_name", "status"),
    [("anon_client", 302), ("member_client", 403), ("lead_client", 403), ("board_client", 200)],
)
def test_only_board_members_and_admins_edit_the_board(request, client_name, status):
    item = BoardItemFactory()
    client = request.getfixturevalue(client_name)

    for url in (
        reverse("roadmap:boardmeeting_create"),
        reverse("roadmap:boarditem_update", args=[item.pk]),
    ):
        assert client.get(url).status_code == status


def test_board_page_links_every_board_list_feed_and_export(anon_client):
    content = anon_client.get(reverse("roadmap:board_index")).content.decode()

    for name in (
        "roadmap:boarditem_list",
        "roadmap:actionitem_list",
        "roadmap:boardmeeting_calendar",
        "roadmap:boarditem_feed",
        "roadmap:boarditem_export",
    ):
        assert f'href="{reverse(name)}"' in content


def test_search_answers_htmx_with_the_table(anon_client):
    BoardItemFactory(topic="DefCore: towards several trademark programs")
    BoardItemFactory(topic="Platinum sponsor spot")

    response = anon_client.get(
        reverse("roadmap:boarditem_list"), {"q": "trademark"}, headers={"HX-Request": "true"}
    )

    assert [i.topic for i in response.context["page"]] == [
        "DefCore: towards several trademark programs"
    ]
    assert b"<html" not in response.content


@pytest.mark.parametrize("rows", [1, 30])
@pytest.mark.parametrize(
    "url_name", ["roadmap:board_index", "roadmap:boarditem_list", "roadmap:actionitem_list"]
)
def test_list_queries_do_not_grow_with_rows(
    rows, url_name, board_client, django_assert_max_num_queries
):
    for meeting in BoardMeetingFactory.create_batch(rows):
        for item in BoardItemFactory.create_batch(2, meeting=meeting):
            ActionItemFactory(item=item)

    with django_assert_max_num_queries(12):
        response = board_client.get(reverse(url_name))

    assert response.status_code == 200
    assert response.context["page"].paginator.count >= rows


@pytest.mark.parametrize("rows", [1, 20])
def test_meeting_page_queries_do_not_grow_with_items(
    rows, anon_client, django_assert_max_num_queries
):
    meeting = BoardMeetingFactory()
    for item in BoardItemFactory.create_batch(rows, meeting=meeting):
        ActionItemFactory.create_batch(2, item=item)

    with django_assert_max_num_queries(8):
        response = anon_client.get(reverse("roadmap:boardmeeting_detail", args=[meeting.pk]))

    assert response.content.decode().count('data-testid="board-item"') == rows


def test_overview_shows_the_next_board_meeting(anon_client):
    BoardMeetingFactory(title="Long ago", date="2014-09-18")
    BoardMeetingFactory(title="Next one", date="2099-11-02", place="Paris")
    BoardMeetingFactory(title="Later one", date="2099-12-02")

    content = anon_client.get(reverse("dashboard:overview")).content.decode()

    assert "Next board meeting" in content
    assert "Next one" in content and "Paris" in content
    assert "Later one" not in content and "Long ago" not in content


def test_csv_export_defuses_spreadsheet_formulas(anon_client):
    BoardItemFactory(topic='=HYPERLINK("http://evil.example")', decision="Plain")

    body = b"".join(anon_client.get(reverse("roadmap:boarditem_export")).streaming_content)

    assert "'=HYPERLINK" in body.decode()
    assert ",Plain," in body.decode()


def test_board_members_delete_a_meeting_item_and_action_from_the_edit_pages(
    board_client, board_user
):
    from dashboard.models import AuditEntry

    action = ActionItemFactory(owner=board_user)
    item = action.item
    meeting = item.meeting
    other = BoardItemFactory(meeting=meeting)

    page = board_client.get(reverse("roadmap:actionitem_update", args=[action.pk])).content
    assert reverse("roadmap:actionitem_delete", args=[action.pk]).encode() in page
    response = board_client.post(reverse("roadmap:actionitem_delete", args=[action.pk]))
    assert response.url == item.get_absolute_url()
    assert not ActionItem.objects.exists()

    response = board_client.post(reverse("roadmap:boarditem_delete", args=[item.pk]))
    assert response.url == meeting.get_absolute_url()
    assert list(BoardItem.objects.all()) == [other]

    response = board_client.post(reverse("roadmap:boardmeeting_delete", args=[meeting.pk]))
    assert response.url == reverse("roadmap:board_index")
    assert not BoardMeeting.objects.exists() and not BoardItem.objects.exists()
    assert AuditEntry.objects.filter(action="delete").count() == 3


def test_a_member_cannot_delete_a_meeting(member_client):
    meeting = BoardMeetingFactory()

    response = member_client.post(reverse("roadmap:boardmeeting_delete", args=[meeting.pk]))

    assert response.status_code == 403
    assert BoardMeeting.objects.filter(pk=meeting.pk).exists()
