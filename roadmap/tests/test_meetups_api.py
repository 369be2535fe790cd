"""Meetup API: CRUD at /api/v1/meetups/, RSVPs at /api/v1/meetups/{id}/rsvp/, errors as JSON."""

import pytest
from django.urls import reverse

from roadmap.models import Meetup, Rsvp
from roadmap.tests.factories import MeetupFactory, ProjectFactory, RsvpFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/meetups/"


def _body(**changes):
    ProjectFactory(name="nova")
    body = {
        "title": "Nova Juno mid-cycle meetup",
        "project": "nova",
        "series": "Juno",
        "kind": "mid-cycle",
        "start_date": "2014-07-28",
        "end_date": "2014-07-30",
        "place": "Beaverton, Oregon",
        "capacity": 60,
    }
    return {**body, **changes}


def test_paths_are_the_ones_the_issue_names():
    assert reverse("meetup-list") == LIST
    assert reverse("meetup-rsvp", args=[7]) == "/api/v1/meetups/7/rsvp/"


def test_lead_creates_reads_updates_and_deletes_a_meetup(lead_client):
    created = lead_client.post(LIST, _body(), content_type="application/json")
    assert created.status_code == 201, created.json()
    assert created.json()["organiser"] == "larry-lead"
    url = created.json()["url"]

    assert lead_client.get(url).json()["series"] == "Juno"
    patched = lead_client.patch(url, {"place": "Hillsboro"}, content_type="application/json")
    assert patched.status_code == 200 and patched.json()["place"] == "Hillsboro"
    assert lead_client.delete(url).status_code == 204
    assert not Meetup.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end_date": "2014-07-01"}, "end_date", "The meetup cannot end before it starts."),
        ({"series": "Nonesuch"}, "series", "Unknown series “Nonesuch”"),
        ({"project": None, "team": ""}, "project", "Name the project or the team"),
    ],
)
def test_bad_meetups_are_refused_naming_the_field(lead_client, changes, field, message):
    response = lead_client.post(LIST, _body(**changes), content_type="application/json")

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == field and error["message"].startswith(message)
    assert not Meetup.objects.exists()


@pytest.mark.parametrize(("client_name", "status"), [("member_client", 403), ("anon_client", 401)])
def test_members_and_anonymous_clients_cannot_create_meetups(request, client_name, status):
    client = request.getfixturevalue(client_name)

    response = client.post(LIST, _body(), content_type="application/json")

    assert response.status_code == status


def test_only_the_organiser_or_an_admin_changes_a_meetup(lead_client, admin_client, lead_user):
    mine, theirs = MeetupFactory(organiser=lead_user), MeetupFactory()
    body = {"place": "Elsewhere"}

    assert (
        lead_client.patch(f"{LIST}{mine.pk}/", body, content_type="application/json").status_code
        == 200
    )
    assert (
        lead_client.patch(f"{LIST}{theirs.pk}/", body, content_type="application/json").status_code
        == 403
    )
    assert (
        admin_client.patch(f"{LIST}{theirs.pk}/", body, content_type="application/json").status_code
        == 200
    )


def test_member_answers_changes_and_withdraws_an_rsvp(member_client, member_user):
    meetup = MeetupFactory(upcoming=True)
    url = reverse("meetup-rsvp", args=[meetup.pk])

    first = member_client.post(url, {"response": "maybe"}, content_type="application/json")
    second = member_client.put(url, {"response": "going"}, content_type="application/json")

    assert (first.status_code, second.status_code) == (201, 200)
    assert member_client.get(url).json()["results"] == [
        {"user": "mike-member", "response": "going", "updated_at": second.json()["updated_at"]}
    ]
    assert member_client.get(f"{LIST}{meetup.pk}/").json()["going"] == ["mike-member"]
    assert member_client.delete(url).status_code == 204
    assert not Rsvp.objects.exists()


def test_rsvp_to_a_past_meetup_is_refused_naming_the_meetup(member_client):
    meetup = MeetupFactory()

    response = member_client.post(
        reverse("meetup-rsvp", args=[meetup.pk]),
        {"response": "going"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "meetup"
    assert "RSVPs are closed" in response.json()["errors"][0]["message"]


def test_rsvp_with_an_unknown_answer_names_the_field(member_client):
    meetup = MeetupFactory(upcoming=True)

    response = member_client.post(
        reverse("meetup-rsvp", args=[meetup.pk]),
        {"response": "perhaps"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "response"


def test_anonymous_clients_cannot_rsvp(anon_client):
    meetup = MeetupFactory(upcoming=True)

    response = anon_client.post(
        reverse("meetup-rsvp", args=[meetup.pk]),
        {"response": "going"},
        content_type="application/json",
    )

    assert response.status_code == 401
    assert not Rsvp.objects.exists()


def test_api_root_links_the_meetups_and_board_collections(anon_client):
    links = anon_client.get("/api/v1/").json()

    for name in ("meetups", "board/meetings", "board/items", "board/action-items"):
        assert links[name].endswith(f"/api/v1/{name}/")


@pytest.mark.parametrize("rows", [1, 40])
def test_list_queries_do_not_grow_with_rows(rows, anon_client, django_assert_max_num_queries):
    for meetup in MeetupFactory.create_batch(rows):
        RsvpFactory.create_batch(2, meetup=meetup)

    with django_assert_max_num_queries(5):
        response = anon_client.get(LIST)

    assert response.json()["count"] == rows
    assert all(len(m["going"]) == 2 for m in response.json()["results"])
