"""Every string the API writes fits its column: one character over a model's max_length is a
400 naming the field, never a database error (PostgreSQL refuses what SQLite would store)."""

import pytest
from django.urls import reverse

from aggregates.models import Aggregate, Cloud, Flavor, Host, ServerGroup
from aggregates.tests.factories import CloudFactory

pytestmark = pytest.mark.django_db
JSON = "application/json"


def cases():
    """(what, model, field, URL name, valid body): each field with a column limit."""
    cloud = {"slug": "limits", "name": "Limits", "kind": "local"}
    host = {"name": "h1", "vcpus": 1, "memory_mb": 1024, "local_gb": 10}
    flavor = {"name": "f1", "vcpus": 1, "ram": 512, "disk": 1}
    group = {"name": "g1", "policy": "anti-affinity", "project_id": "p1"}
    yield from (
        ("cloud", Cloud, field, "api-cloud-list", cloud)
        for field in ("slug", "name", "region", "os_cloud", "default_availability_zone")
    )
    yield from (
        ("host", Host, field, "api-host-list", host)
        for field in ("name", "hypervisor_hostname", "hypervisor_type")
    )
    yield ("aggregate", Aggregate, "name", "api-aggregate-list", {"name": "a1"})
    yield ("flavor", Flavor, "name", "api-flavor-list", flavor)
    yield from (
        ("server group", ServerGroup, field, "api-server-group-list", group)
        for field in ("name", "project_id")
    )


@pytest.mark.parametrize(
    "what, model, field, url_name, body",
    list(cases()),
    ids=[f"{case[0]}.{case[2]}" for case in cases()],
)
def test_one_character_over_the_column_is_a_400_naming_the_field(
    admin_client, what, model, field, url_name, body
):
    limit = model._meta.get_field(field).max_length
    cloud = CloudFactory(slug="here")
    path = (
        reverse(url_name) if url_name == "api-cloud-list" else reverse(url_name, args=[cloud.slug])
    )
    before = model.objects.count()

    response = admin_client.post(path, {**body, field: "a" * (limit + 1)}, content_type=JSON)

    assert response.status_code == 400, response.content[:300]
    assert field in [error["field"] for error in response.json()["errors"]]
    assert model.objects.count() == before
