"""Meetup pages: who comes, RSVP through the page, form errors, the travel view, query counts."""

import pytest
from django.urls import reverse

from roadmap.models import Meetup, Rsvp, Series
from roadmap.tests.factories import MeetupFactory, ProjectFactory, RsvpFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_list_shows_who_comes(anon_client):
    meetup = MeetupFactory(title="Nova Juno mid-cycle meetup")
    RsvpFactory(meetup=meetup, user=UserFactory(username="ana"))
    RsvpFactory(meetup=meetup, user=UserFactory(username="ben"), response="maybe")

    response = anon_client.get(reverse("roadmap:meetup_list"))

    row = response.content.decode()
    assert "Nova Juno mid-cycle meetup" in row
    assert "ana" in row and "(+1 maybe)" in row
    assert [m.going_count for m in response.context["page"]] == [1]


def test_list_filters_by_series_and_answers_htmx_with_the_table(anon_client):
    MeetupFactory(title="Juno meetup")
    MeetupFactory(title="Kilo meetup", series=Series.objects.get(name="Kilo"))

    response = anon_client.get(
        reverse("roadmap:meetup_list"), {"series": "kilo"}, headers={"HX-Request": "true"}
    )

    assert [m.title for m in response.context["page"]] == ["Kilo meetup"]
    assert b"<html" not in response.content


@pytest.mark.parametrize("rows", [1, 40])
def test_list_queries_do_not_grow_with_rows(rows, member_client, django_assert_max_num_queries):
    for meetup in MeetupFactory.create_batch(rows):
        RsvpFactory.create_batch(3, meetup=meetup)

    with django_assert_max_num_queries(8):
        response = member_client.get(reverse("roadmap:meetup_list"))

    assert response.status_code == 200
    assert len(response.context["page"]) == rows


def test_member_rsvps_through_the_page_and_is_redirected(member_client, member_user):
    meetup = MeetupFactory(upcoming=True)

    response = member_client.post(
        reverse("roadmap:meetup_rsvp", args=[meetup.pk]), {"response": "going"}
    )

    assert response.status_code == 302
    assert Rsvp.objects.get(meetup=meetup, user=member_user).response == "going"


def test_htmx_rsvp_returns_the_rsvp_box_with_the_new_answer(member_client, member_user):
    meetup = MeetupFactory(upcoming=True)

    response = member_client.post(
        reverse("roadmap:meetup_rsvp", args=[meetup.pk]),
        {"response": "maybe"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert b'id="rsvp"' in response.content and b"<html" not in response.content
    assert b"mike-member: Maybe" in response.content


def test_rsvp_to_a_past_meetup_is_refused_next_to_the_form(member_client):
    meetup = MeetupFactory()  # July 2014

    response = member_client.post(
        reverse("roadmap:meetup_rsvp", args=[meetup.pk]),
        {"response": "going"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 422
    assert "ended on 2014-07-30; RSVPs are closed" in response.content.decode()
    assert not Rsvp.objects.exists()


def test_anonymous_readers_are_sent_to_sign_in_to_rsvp(anon_client):
    meetup = MeetupFactory(upcoming=True)

    response = anon_client.post(
        reverse("roadmap:meetup_rsvp", args=[meetup.pk]), {"response": "going"}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not Rsvp.objects.exists()


def _form(**changes):
    data = {
        "title": "Neutron Juno mid-cycle",
        "project": ProjectFactory(name="neutron").pk,
        "series": Series.objects.get(name="Juno").pk,
        "kind": "mid-cycle",
        "start_date": "2014-07-09",
        "end_date": "2014-07-11",
        "place": "Minneapolis",
    }
    return {**data, **changes}


def test_lead_creates_a_meetup_through_the_form(lead_client, lead_user):
    response = lead_client.post(reverse("roadmap:meetup_create"), _form())

    meetup = Meetup.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("roadmap:meetup_detail", args=[meetup.pk])
    assert meetup.organiser == lead_user


def test_form_shows_end_before_start_next_to_the_field(lead_client):
    response = lead_client.post(reverse("roadmap:meetup_create"), _form(end_date="2014-07-01"))

    assert response.status_code == 422
    assert response.context["form"].errors == {
        "end_date": ["The meetup cannot end before it starts."]
    }
    assert not Meetup.objects.exists()


def test_form_shows_an_unknown_series_next_to_the_field(lead_client):
    response = lead_client.post(reverse("roadmap:meetup_create"), _form(series=999999))

    assert response.status_code == 422
    assert response.context["form"].errors["series"] == [
        "Unknown series: pick one of the release series."
    ]


@pytest.mark.parametrize(("client_name", "status"), [("member_client", 403), ("lead_client", 200)])
def test_only_the_organiser_or_an_admin_edits_a_meetup(request, client_name, status, lead_user):
    meetup = MeetupFactory(organiser=lead_user)
    client = request.getfixturevalue(client_name)

    response = client.get(reverse("roadmap:meetup_update", args=[meetup.pk]))

    assert response.status_code == status


def test_travel_view_counts_events_per_person_and_who_attends_several(anon_client):
    ana, ben, cai = (UserFactory(username=n) for n in ("ana", "ben", "cai"))
    nova, ironic, tripleo = (MeetupFactory(title=t) for t in ("Nova", "Ironic", "TripleO"))
    kilo = MeetupFactory(title="Kilo meetup", series=Series.objects.get(name="Kilo"))
    for meetup, people in ((nova, [ana, ben, cai]), (ironic, [ana, cai]), (tripleo, [ana])):
        for person in people:
            RsvpFactory(meetup=meetup, user=person)
    RsvpFactory(meetup=kilo, user=ben)  # another series: not Juno's travel
    RsvpFactory(meetup=tripleo, user=ben, response="maybe")  # not going: not travelling

    response = anon_client.get(reverse("roadmap:meetup_travel", args=["juno"]))

    travel = response.context["travel"]
    assert len(travel.meetups) == 3
    assert [(t.username, t.events) for t in travel.travellers] == [
        ("ana", 3),
        ("cai", 2),
        ("ben", 1),
    ]
    assert [t.username for t in travel.frequent] == ["ana", "cai"]
    assert b'data-testid="frequent-count">2<' in response.content


def test_travel_view_of_an_unknown_series_is_not_found(anon_client):
    response = anon_client.get(reverse("roadmap:meetup_travel", args=["nonesuch"]))

    assert response.status_code == 404


def test_list_links_the_travel_view_of_series_with_meetups_only(anon_client):
    MeetupFactory()

    content = anon_client.get(reverse("roadmap:meetup_list")).content.decode()

    assert reverse("roadmap:meetup_travel", args=["juno"]) in content
    assert reverse("roadmap:meetup_travel", args=["kilo"]) not in content


def test_page_of_a_past_meetup_offers_no_rsvp_form(member_client):
    meetup = MeetupFactory()

    content = member_client.get(reverse("roadmap:meetup_detail", args=[meetup.pk])).content

    assert b"RSVPs are closed" in content
    assert b"Send my answer" not in content


def test_the_organiser_deletes_a_meetup_with_its_rsvps(lead_client, lead_user, member_client):
    meetup = MeetupFactory(organiser=lead_user)
    RsvpFactory(meetup=meetup)
    url = reverse("roadmap:meetup_delete", args=[meetup.pk])

    assert url.encode() not in member_client.get(meetup.get_absolute_url()).content
    assert member_client.post(url).status_code == 403
    assert url.encode() in lead_client.get(meetup.get_absolute_url()).content

    response = lead_client.post(url, follow=True)

    assert response.redirect_chain[-1][0] == reverse("roadmap:meetup_list")
    assert "deleted, with its RSVPs" in response.content.decode()
    assert not Meetup.objects.exists() and not Rsvp.objects.exists()
