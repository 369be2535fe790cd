"""A refused form shows all of its errors at once, each under its field's label, and a number
out of range is told the whole range with its unit — on pages (422) and in the API (400)."""

import pytest
from django.urls import reverse

from aggregates.models import Flavor
from aggregates.tests.factories import CloudFactory, FlavorFactory
from roadmap.models import BoardMeeting

pytestmark = pytest.mark.django_db
JSON = "application/json"


def error_box(body: str, testid: str = "form-errors") -> str:
    return body.split(f'data-testid="{testid}">', 1)[1].split("</div>", 1)[0]


def test_flavor_form_lists_every_error_with_its_label_and_range(admin_client):
    cloud = CloudFactory(slug="forms")
    url = reverse("aggregates:flavor_create", args=[cloud.slug])

    response = admin_client.post(
        url, {"name": "", "vcpus": "0", "ram": "99999999999", "swap": "-1"}
    )

    assert response.status_code == 422
    box = error_box(response.content.decode())
    assert "<strong>Name</strong>: This field is required." in box
    assert "<strong>vCPUs</strong>: Must be between 1 and 2,147,483,647." in box
    assert "<strong>RAM (MB)</strong>: Must be between 1 and 2,147,483,647 MB." in box
    assert "<strong>Swap (MB)</strong>: Must be between 0 and 2,147,483,647 MB." in box
    assert not Flavor.objects.filter(cloud=cloud).exists()


def test_a_service_refusal_joins_the_form_errors(admin_client):
    cloud = CloudFactory(slug="forms")
    FlavorFactory(cloud=cloud, name="m1.taken")
    url = reverse("aggregates:flavor_create", args=[cloud.slug])

    response = admin_client.post(url, {"name": "m1.taken", "vcpus": "1", "ram": "512"})

    assert response.status_code == 422
    assert "m1.taken" in error_box(response.content.decode())


def test_board_meeting_form_names_the_small_integer_range_in_minutes(board_client):
    url = reverse("roadmap:boardmeeting_create")

    response = board_client.post(
        url, {"title": "Paris", "date": "2014-11-02", "duration_minutes": "99999"}
    )

    assert response.status_code == 422
    box = error_box(response.content.decode())
    assert "Must be between 0 and 32,767 minutes." in box
    assert not BoardMeeting.objects.exists()


def test_api_names_the_field_and_range_of_a_flavor_size(admin_client):
    cloud = CloudFactory(slug="forms")

    response = admin_client.post(
        reverse("api-flavor-list", args=[cloud.slug]),
        {"name": "m1.big", "vcpus": 1, "ram": 0},
        content_type=JSON,
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "ram", "message": "'ram' must be between 1 and 2,147,483,647 MB."}
    ]


def test_api_names_the_field_and_range_of_a_model_serializer_number(board_client):
    response = board_client.post(
        reverse("boardmeeting-list"),
        {"date": "2014-11-02", "title": "Paris", "duration_minutes": 99999},
        content_type=JSON,
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "duration_minutes", "message": "Must be between 0 and 32,767 minutes."}
    ]
    assert not BoardMeeting.objects.exists()
