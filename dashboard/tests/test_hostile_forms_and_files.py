"""Hostile bodies the plain JSON cases miss: a bare nested body, brackets inside strings (not
nesting), nested JSON sent as a form field (DRF parses it when it reaches a JSON field) and an
uploaded Launchpad file: each a 400 naming where, never a 500."""

import json

import pytest
from django.urls import reverse

from aggregates.tests.factories import AggregateFactory, CloudFactory, FlavorFactory

pytestmark = pytest.mark.django_db

DEPTH = 1000
SURROGATE = "x\ud800y"


def nested(kind: str, depth: int = DEPTH) -> str:
    """JSON text nested `depth` levels: arrays or objects."""
    if kind == "array":
        return "[" * depth + "]" * depth
    return '{"a":' * depth + "1" + "}" * depth


@pytest.fixture
def cloud(db):
    return CloudFactory(slug="c")


def test_a_bare_nested_body_is_refused_too(admin_client, cloud):
    response = admin_client.post(
        reverse("api-aggregate-list", args=["c"]), nested("array"), content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "body"


def test_brackets_inside_json_strings_do_not_count_as_nesting(admin_client, cloud):
    response = admin_client.post(
        reverse("api-aggregate-list", args=["c"]),
        json.dumps({"name": "[" * 40 + '\\"{' * 40}),
        content_type="application/json",
    )

    assert response.status_code == 201, response.json()


@pytest.mark.parametrize("kind", ["array", "object"])
def test_a_nested_json_string_in_a_form_field_is_refused(admin_client, cloud, kind):
    # A form value reaches a JSONField as JSON text, which DRF then parses.
    aggregate = AggregateFactory(cloud=cloud, name="agg")

    response = admin_client.post(
        reverse("api-flavor-extra-specs", args=["c", FlavorFactory(cloud=cloud).flavor_id]),
        {"extra_specs": nested(kind)},
    )
    also = admin_client.post(
        reverse("api-aggregate-action", args=["c", aggregate.pk]),
        {"set_metadata": nested(kind)},
    )

    assert (response.status_code, also.status_code) == (400, 400)
    assert response.json()["errors"][0]["field"] == "extra_specs"
    assert also.json()["errors"][0]["field"] == "set_metadata"


@pytest.mark.parametrize(
    "content, message",
    [
        (nested("array").encode(), "the file is nested more than 32 levels deep."),
        (json.dumps({"entries": [{"name": SURROGATE}]}).encode(), "Lone surrogate"),
    ],
)
def test_an_uploaded_launchpad_file_is_held_to_the_same_rules(lead_client, content, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = lead_client.post(
        reverse("api-blueprint-import-collection"),
        {"project": "cyborg", "file": SimpleUploadedFile("page.json", content)},
    )

    assert response.status_code == 400
    assert message in response.json()["errors"][0]["message"]
