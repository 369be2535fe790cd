"""Hostile API bodies are a 400 naming where the trouble is, never a 500: JSON nested deeper
than anyone needs (the parser would recurse until Python gives up), and lone surrogates, which
PostgreSQL refuses to store and SQLite stores but cannot give back."""

import json

import pytest
from django.urls import reverse

from aggregates.demo import tour as demo
from aggregates.models import Aggregate, Cloud
from roadmap.tests.factories import MeetupFactory

pytestmark = pytest.mark.django_db
JSON = "application/json"
DEEP = 1000


@pytest.fixture
def tour(admin_user) -> Cloud:
    demo._seed_devstack(admin_user)
    return Cloud.objects.get(slug="devstack")


def nested(kind: str) -> str:
    return ("[" * DEEP + "]" * DEEP) if kind == "array" else ('{"a":' * DEEP + "1" + "}" * DEEP)


def targets(cloud: Cloud, meetup_id: int) -> dict[str, tuple[str, str, str]]:
    """Where a body goes: name -> (method, path, JSON text with {} where the hostile part goes)."""
    aggregate = Aggregate.objects.filter(cloud=cloud).first()
    return {
        "aggregate create": (
            "post",
            reverse("api-aggregate-list", args=[cloud.slug]),
            '{"name": "x", "availability_zone": null, "extra": %s}',
        ),
        "metadata": (
            "post",
            reverse("api-aggregate-action", args=[cloud.slug, aggregate.pk]),
            '{"set_metadata": {"metadata": {"k": %s}}}',
        ),
        "preview hints": (
            "post",
            reverse("api-placement-preview", args=[cloud.slug]),
            '{"flavor": "100", "scheduler_hints": %s}',
        ),
        "scheduler patch": (
            "patch",
            reverse("api-cloud-scheduler", args=[cloud.slug]),
            '{"max_placement_results": %s}',
        ),
        "rsvp": ("post", f"/api/v1/meetups/{meetup_id}/rsvp/", '{"response": %s}'),
    }


@pytest.mark.parametrize("kind", ["array", "object"])
@pytest.mark.parametrize(
    "target", ["aggregate create", "metadata", "preview hints", "scheduler patch", "rsvp"]
)
def test_deeply_nested_json_is_a_400_naming_the_body(
    admin_client, member_client, tour, kind, target
):
    method, path, template = targets(tour, MeetupFactory().pk)[target]
    client = member_client if target == "rsvp" else admin_client

    response = getattr(client, method)(path, template % nested(kind), content_type=JSON)

    assert response.status_code == 400, response.content[:300]
    error = response.json()["errors"][0]
    assert error["field"] == "body"
    assert "nested" in error["message"]


def test_json_nested_as_deep_as_a_real_body_still_parses(admin_client, tour):
    body = '{"set_metadata": {"metadata": {"k": "v"}}}'
    aggregate = Aggregate.objects.filter(cloud=tour).first()
    path = reverse("api-aggregate-action", args=[tour.slug, aggregate.pk])

    assert admin_client.post(path, body, content_type=JSON).status_code == 200


LONE = "x\ud800y"  # a high surrogate with no low one after it; json.dumps escapes it


@pytest.mark.parametrize(
    "target, body, field",
    [
        ("metadata", {"set_metadata": {"metadata": {"k": LONE}}}, "set_metadata"),
        ("metadata", {"set_metadata": {"metadata": {LONE: "v"}}}, "set_metadata"),
        ("scheduler patch", {LONE: 1}, None),
        ("rsvp", {"response": LONE}, "response"),
    ],
)
def test_a_lone_surrogate_is_a_400_naming_the_field(
    admin_client, member_client, tour, target, body, field
):
    method, path, _ = targets(tour, MeetupFactory().pk)[target]
    client = member_client if target == "rsvp" else admin_client
    before = dict(Aggregate.objects.filter(cloud=tour).values_list("pk", "metadata"))

    response = getattr(client, method)(path, json.dumps(body), content_type=JSON)

    assert response.status_code == 400, response.content[:300]
    error = response.json()["errors"][0]
    assert "surrogate" in error["message"]
    if field is not None:
        assert error["field"].startswith(field)
    assert dict(Aggregate.objects.filter(cloud=tour).values_list("pk", "metadata")) == before


def test_a_lone_surrogate_in_an_extra_spec_is_refused(admin_client, tour):
    path = reverse("api-flavor-extra-specs", args=[tour.slug, "100"])

    body = json.dumps({"extra_specs": {"k": LONE}})

    response = admin_client.post(path, body, content_type=JSON)

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "extra_specs.k"


def test_a_surrogate_pair_is_an_ordinary_character(admin_client, tour):
    path = reverse("api-flavor-extra-specs", args=[tour.slug, "100"])

    response = admin_client.post(
        path, '{"extra_specs": {"note": "\\ud83d\\ude00"}}', content_type=JSON
    )

    assert response.status_code == 200, response.content
    assert response.json()["extra_specs"]["note"] == "\U0001f600"
