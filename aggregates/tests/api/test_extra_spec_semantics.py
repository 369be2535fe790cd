"""Extra specs as Nova 34 takes them: stored when Nova stores them, refused with Nova's words when
Nova refuses, and evaluated word by word as nova/scheduler/filters/extra_specs_ops.match does."""

import pytest
from django.urls import reverse

from aggregates import services
from aggregates.scheduling import DEFAULT_ENABLED_FILTERS
from aggregates.tests.factories import AggregateFactory, CloudFactory, FlavorFactory, HostFactory

pytestmark = pytest.mark.django_db

FILTERS = [
    *DEFAULT_ENABLED_FILTERS,
    "AggregateInstanceExtraSpecsFilter",
    "ComputeCapabilitiesFilter",
]


def put_spec(client, flavor, key, value):
    return client.put(
        reverse("api-flavor-extra-spec", args=[flavor.cloud.slug, flavor.flavor_id, key]),
        {key: value},
        content_type="application/json",
    )


@pytest.mark.parametrize(
    "value", ["=", "<=", "<in>", "<or> 11 12 13", "<or> 11 <or> 12 <or>", ">= many", "<or>"]
)
@pytest.mark.parametrize("key", ["speed", "aggregate_instance_extra_specs:speed"])
def test_values_nova_stores_are_stored(admin_client, key, value):
    flavor = FlavorFactory(flavor_id="f")

    response = put_spec(admin_client, flavor, key, value)

    assert (response.status_code, response.json()) == (200, {key: value})
    flavor.refresh_from_db()
    assert flavor.extra_specs[key] == value


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        (
            "hw:cpu_policy",
            "fast",
            "Validation failed; 'fast' is not one of: shared, dedicated, mixed.",
        ),
        ("hw:numa_nodes", "x", "Validation failed; 'x' is not a valid integer value."),
        (
            "hw:bogus",
            "1",
            "Validation failed; extra spec 'hw:bogus' does not appear to be a valid extra spec.",
        ),
        (
            "capabilities:cpu_info:a-b",
            "1",
            "Validation failed; extra spec 'capabilities:cpu_info:a-b' does not appear to be "
            "a valid extra spec.",
        ),
    ],
)
def test_known_namespaces_are_refused_in_novas_words(admin_client, key, value, message):
    flavor = FlavorFactory(flavor_id="f")

    response = put_spec(admin_client, flavor, key, value)

    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": f"extra_specs.{key}", "message": message}]


def test_the_lint_names_what_nova_reads_differently(admin_client):
    flavor = FlavorFactory(flavor_id="f")
    put_spec(admin_client, flavor, "speed", "<or> 11 12 13")
    put_spec(admin_client, flavor, "aggregate_instance_extra_specs:bits", "<=")

    body = admin_client.get(reverse("api-flavor-detail", args=[flavor.cloud.slug, "f"])).json()

    warnings = body["warnings"]
    assert any(w.startswith("speed:") and "every second word" in w for w in warnings)
    assert any(w.startswith("aggregate_instance_extra_specs:bits:") for w in warnings)


def _cloud_with_values(admin_user, values: list[str]):
    """One host per metadata value of 'speed', each in an aggregate of its own."""
    cloud = CloudFactory()
    services.update_cloud(cloud, actor=admin_user, scheduler_config={"enabled_filters": FILTERS})
    for index, value in enumerate(values):
        host = HostFactory(cloud=cloud, name=f"h{index}")
        AggregateFactory(cloud=cloud, name=f"a{index}", hosts=[host], metadata={"speed": value})
    return cloud


def preview_with(client, cloud, spec: str) -> dict:
    flavor = FlavorFactory(cloud=cloud, flavor_id="f", vcpus=1, ram=256, disk=1)
    assert put_spec(client, flavor, "speed", spec).status_code == 200
    response = client.post(
        reverse("api-placement-preview", args=[cloud.slug]),
        {"flavor": "f"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()


def passing(payload: dict) -> list[str]:
    return sorted(row["host"] for row in payload["hosts"] if row["passed"])


@pytest.mark.parametrize(
    ("spec", "passes"),
    [
        ("<or> 11 12 13", ["h0", "h2"]),  # the word after each alternative is a separator
        ("<or> 11 <or> 12 <or>", ["h0", "h1"]),  # a trailing <or> is harmless
        ("=", []),  # an operator without operand never matches, and is no error
        ("<=", []),
        ("<in>", []),
        ("= 12", ["h1", "h2"]),  # '=' is 'at least'
    ],
)
def test_values_are_evaluated_word_by_word(admin_client, admin_user, spec, passes):
    cloud = _cloud_with_values(admin_user, ["11", "12", "13"])

    payload = preview_with(admin_client, cloud, spec)

    assert passing(payload) == passes
    assert payload["summary"]["request_error"] is None


def test_a_bare_or_is_novas_error_for_the_whole_request(admin_client, admin_user):
    cloud = _cloud_with_values(admin_user, ["11"])

    payload = preview_with(admin_client, cloud, "<or>")

    assert passing(payload) == []
    assert payload["hosts"][0]["filters"][-1]["name"] in FILTERS
    assert any("Nova" in row["reason"] for row in payload["hosts"])


@pytest.mark.parametrize(
    ("value", "passes"),
    [
        ("aes mmx aux", True),  # one value: '<all-in>' tests substrings of it
        ("xaesx,mmx", False),  # Nova splits metadata on commas: no single value has both
        ("aes", False),
    ],
)
def test_all_in_tests_substrings_of_each_value(admin_client, admin_user, value, passes):
    cloud = _cloud_with_values(admin_user, [value])

    payload = preview_with(admin_client, cloud, "<all-in> aes mmx")

    assert (passing(payload) == ["h0"]) is passes
