"""Servers API: the list's rows as the schema documents them, nulls included."""

import pytest
from django.urls import reverse

from aggregates.models import Server
from aggregates.tests.factories import CloudFactory, ServerFactory

pytestmark = pytest.mark.django_db


def server_schema(client) -> dict:
    schema = client.get("/api/schema/", headers={"Accept": "application/json"}).json()
    return schema["components"]["schemas"]["Server"]["properties"]


def test_a_server_without_host_flavor_or_group_lists_nulls_the_schema_allows(admin_client):
    cloud = CloudFactory()
    placed = ServerFactory(cloud=cloud, name="placed")
    Server.objects.create(cloud=cloud, name="failed", project_id="p1", status="ERROR")

    response = admin_client.get(reverse("api-server-list", args=[cloud.slug]))

    assert response.status_code == 200
    rows = {row["name"]: row for row in response.json()["results"]}
    assert rows["placed"]["host"] == placed.host.name
    failed = rows["failed"]
    assert (failed["host"], failed["flavor_id"], failed["server_group"]) == (None, None, None)
    properties = server_schema(admin_client)
    for field, value in failed.items():
        if value is None:
            assert properties[field].get("nullable") is True, field
