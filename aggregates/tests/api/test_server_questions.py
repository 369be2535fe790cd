"""Per-server questions: where a server could migrate now, and why a server in ERROR failed."""

import uuid

import pytest
from django.urls import reverse

from aggregates import services
from aggregates.choices import ServerStatus
from aggregates.models import Server
from aggregates.tests.factories import CloudFactory, FlavorFactory, HostFactory, ServerFactory
from aggregates.tests.tour import tour_with_cool_servers

pytestmark = pytest.mark.django_db


def ask(client, cloud, server_uuid, name="api-server-migration-targets"):
    return client.get(reverse(name, args=[cloud.slug, str(server_uuid)]))


def test_migration_targets_leave_the_servers_host_out(admin_client, admin_user):
    cloud = tour_with_cool_servers(admin_user)
    server = Server.objects.get(cloud=cloud, name="cool-1")

    payload = ask(admin_client, cloud, server.uuid).json()

    assert payload["server"]["host"] == "devstack"
    assert [row["host"] for row in payload["hosts"]] == ["compute-2"]  # devstack is not a target
    assert payload["rejections"] == [{"step": "AggregateInstanceExtraSpecsFilter", "hosts": 1}]


def test_migration_targets_respect_anti_affinity(admin_client, admin_user):
    cloud = CloudFactory()
    hosts = {name: HostFactory(cloud=cloud, name=name) for name in ("a", "b", "c")}
    flavor = FlavorFactory(cloud=cloud, flavor_id="1", vcpus=1, ram=256, disk=1)
    group = services.create_server_group(
        cloud, actor=admin_user, name="g", policy="anti-affinity", project_id="p"
    )
    servers = [
        services.create_server(
            cloud,
            actor=admin_user,
            name=name,
            host=hosts[name],
            flavor=flavor,
            project_id="p",
            server_group=group,
        )
        for name in ("a", "b")
    ]

    payload = ask(admin_client, cloud, servers[0].uuid).json()

    verdicts = {row["host"]: row["failed_filter"] for row in payload["hosts"]}
    assert verdicts == {"b": "ServerGroupAntiAffinityFilter", "c": None}


def test_a_failed_server_is_replayed_with_the_step_that_rejected_most_first(
    admin_client, admin_user
):
    cloud = CloudFactory()
    for index in range(3):
        HostFactory(cloud=cloud, name=f"small-{index}", vcpus=2, memory_mb=2048, local_gb=20)
    HostFactory(cloud=cloud, name="off", status="disabled", vcpus=64, memory_mb=65536)
    flavor = FlavorFactory(cloud=cloud, flavor_id="big", vcpus=32, ram=32768, disk=10)
    failed = ServerFactory(cloud=cloud, host=None, flavor=flavor, status=ServerStatus.ERROR)

    payload = ask(admin_client, cloud, failed.uuid, "api-server-failure").json()

    assert payload["summary"]["candidates"] == 0
    assert payload["rejections"][0] == {"step": "Placement", "hosts": 3}
    assert {"step": "compute_status_filter", "hosts": 1} in payload["rejections"]  # "off"


@pytest.mark.parametrize(
    ("which", "name", "message"),
    [
        ("active", "api-server-failure", "not ERROR"),
        ("nowhere", "api-server-migration-targets", "runs on no host"),
        ("garbage", "api-server-failure", "is not a server uuid"),
    ],
)
def test_questions_that_do_not_apply_are_a_400_naming_the_server(
    admin_client, which, name, message
):
    cloud = CloudFactory()
    flavor = FlavorFactory(cloud=cloud, flavor_id="1")
    server_uuid = {
        "active": lambda: ServerFactory(host=HostFactory(cloud=cloud), flavor=flavor).uuid,
        "nowhere": lambda: ServerFactory(cloud=cloud, host=None, flavor=flavor).uuid,
        "missing": uuid.uuid4,
        "garbage": lambda: "not-a-uuid",
    }[which]()

    response = ask(admin_client, cloud, server_uuid, name)

    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["field"] == "server" and message in error["message"]


def test_a_move_skips_the_boot_checks_of_the_api(admin_client, admin_user):
    # A flavor disabled after the boot stops new boots, not migrations (only the API checks it).
    cloud = CloudFactory()
    source, target = HostFactory(cloud=cloud, name="a"), HostFactory(cloud=cloud, name="b")
    flavor = FlavorFactory(cloud=cloud, flavor_id="old", vcpus=1, ram=256, disk=1)
    server = services.create_server(
        cloud, actor=admin_user, name="s", host=source, flavor=flavor, project_id="p"
    )
    flavor.disabled = True
    flavor.save()

    payload = ask(admin_client, cloud, server.uuid).json()

    assert payload["summary"]["request_error"] is None
    assert payload["summary"]["best_hosts"] == [target.name]


@pytest.mark.parametrize("name", ["api-server-migration-targets", "api-server-failure"])
def test_an_unknown_server_uuid_is_a_404_naming_the_server(admin_client, name):
    cloud = CloudFactory()
    missing = uuid.uuid4()

    response = ask(admin_client, cloud, missing, name)

    assert response.status_code == 404
    (error,) = response.json()["errors"]
    assert error["field"] == "server"
    assert error["message"] == f"Instance {missing} could not be found."
