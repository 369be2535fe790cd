"""Per-server questions: where a server could migrate now, and why a server in ERROR failed."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from aggregates import services, utilisation
from aggregates.choices import ServerStatus
from aggregates.models import Host, Server
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


def _failed_while_full(cloud, admin_user):
    """Two hosts full when a 2-vCPU server failed to boot an hour ago, empty now; a third host
    joined since (no history then)."""
    booted = timezone.now() - timedelta(hours=1)
    hosts = [
        HostFactory(cloud=cloud, name=name, vcpus=4, vcpus_used=4, cpu_allocation_ratio=1.0)
        for name in ("a", "b")
    ]
    utilisation.record_utilisation_samples(cloud, at=booted - timedelta(minutes=5))
    Host.objects.filter(pk__in=[host.pk for host in hosts]).update(vcpus_used=0)
    HostFactory(cloud=cloud, name="new", vcpus=4)
    flavor = FlavorFactory(cloud=cloud, flavor_id="2", vcpus=2, ram=512, disk=1)
    return ServerFactory(
        cloud=cloud, host=None, flavor=flavor, status=ServerStatus.ERROR, booted_at=booted
    )


def test_a_failed_server_replayed_as_the_cloud_stood_at_its_creation(admin_client, admin_user):
    cloud = CloudFactory()
    failed = _failed_while_full(cloud, admin_user)
    url = reverse("api-server-failure", args=[cloud.slug, str(failed.uuid)])

    now = admin_client.get(url).json()
    then = admin_client.get(url, {"at": "creation"}).json()

    assert now["summary"]["candidates"] == 3
    assert [row["host"] for row in then["hosts"]] == ["a", "b"]  # "new" was not there
    assert then["summary"]["candidates"] == 0
    assert then["rejections"] == [{"step": "Placement", "hosts": 2}]
    assert then["warnings"][0].startswith("Replayed as the cloud stood at")
    assert "1 of 3 hosts have no history then" in then["warnings"][1]


@pytest.mark.parametrize(
    ("at", "booted", "message"),
    [
        ("yesterday", "now", "'yesterday' is not one of now, creation"),
        ("creation", None, "was booted is not known"),
        ("creation", "long ago", "no utilisation history at or before"),
    ],
)
def test_a_replay_time_that_cannot_be_had_is_a_400_naming_at(
    admin_client, admin_user, at, booted, message
):
    cloud = CloudFactory()
    failed = _failed_while_full(cloud, admin_user)
    failed.booted_at = {
        "now": timezone.now(),
        None: None,
        "long ago": timezone.now() - timedelta(days=400),
    }[booted]
    failed.save()

    response = admin_client.get(
        reverse("api-server-failure", args=[cloud.slug, str(failed.uuid)]), {"at": at}
    )

    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["field"] == "at" and message in error["message"]


def test_the_failure_page_switches_to_the_cloud_at_the_servers_creation(admin_client, admin_user):
    cloud = CloudFactory()
    failed = _failed_while_full(cloud, admin_user)
    url = reverse("aggregates:server_failure", args=[cloud.slug, failed.uuid])

    page = admin_client.get(url, {"at": "creation"}).content.decode()

    assert "as it stood when the server was booted" in page
    assert 'href="?at=now"' in page and "Replayed as the cloud stood at" in page
    assert 'data-host="new"' not in page
    export = admin_client.get(
        reverse("aggregates:server_failure_export", args=[cloud.slug, failed.uuid]),
        {"at": "creation"},
    )
    rows = b"".join(export.streaming_content).decode().splitlines()[1:]
    assert [row.split(",")[:3] for row in rows] == [
        ["a", "no", "Placement"],
        ["b", "no", "Placement"],
    ]
