"""Server groups API: create on local clouds as Nova's os-server-groups, list with members."""

import pytest
from django.urls import reverse

from aggregates import services
from aggregates.tests.factories import CloudFactory, FlavorFactory, HostFactory

pytestmark = pytest.mark.django_db


def create(client, cloud, **body):
    return client.post(
        reverse("api-server-group-list", args=[cloud.slug]), body, content_type="application/json"
    )


def test_create_then_list_with_rules_and_members(admin_client, admin_user):
    cloud = CloudFactory()
    host = HostFactory(cloud=cloud, name="a")
    flavor = FlavorFactory(cloud=cloud, flavor_id="1", vcpus=1, ram=512, disk=1)

    response = create(
        admin_client,
        cloud,
        name="web",
        policy="anti-affinity",
        project_id="p1",
        rules={"max_server_per_host": 2},
    )
    assert response.status_code == 201, response.content
    group = cloud.server_groups.get()
    server = services.create_server(
        cloud,
        actor=admin_user,
        name="s",
        host=host,
        flavor=flavor,
        project_id="p1",
        server_group=group,
    )

    listed = admin_client.get(reverse("api-server-group-list", args=[cloud.slug])).json()
    (row,) = listed["results"]
    assert row["policy"] == "anti-affinity"
    assert row["rules"] == {"max_server_per_host": 2}
    assert row["members"] == [str(server.uuid)]
    servers = admin_client.get(reverse("api-server-list", args=[cloud.slug])).json()["results"]
    assert servers[0]["server_group"] == str(group.uuid)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "g", "policy": "together", "project_id": "p"}, "policy"),
        (
            {
                "name": "g",
                "policy": "affinity",
                "project_id": "p",
                "rules": {"max_server_per_host": 2},
            },
            "max_server_per_host",
        ),
        (
            {
                "name": "g",
                "policy": "anti-affinity",
                "project_id": "p",
                "rules": {"max_server_per_host": 0},
            },
            "max_server_per_host",
        ),
        (
            {"name": "g", "policy": "anti-affinity", "project_id": "p", "rules": {"spread": 1}},
            "rules",
        ),
        ({"name": " g", "policy": "affinity", "project_id": "p"}, "name"),
        ({"policy": "affinity", "project_id": "p"}, "name"),
        ({"name": "g", "policy": "affinity"}, "project_id"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(admin_client, body, field):
    response = create(admin_client, CloudFactory(), **body)

    assert response.status_code == 400, response.content
    assert field in [error["field"] for error in response.json()["errors"]]


def test_connected_clouds_take_their_groups_from_nova(admin_client):
    cloud = CloudFactory(kind="connected", os_cloud="x")

    response = create(admin_client, cloud, name="g", policy="affinity", project_id="p")

    assert response.status_code in (400, 409)
    assert "come from Nova" in response.json()["errors"][0]["message"]
