"""The API's host and cloud writes (#18): disable/enable a compute service as Nova's PUT
/os-services 2.53+, edit and delete a local cloud's host, edit and delete a cloud."""

import pytest
from django.urls import reverse

from aggregates.choices import CloudKind
from aggregates.models import Aggregate, Cloud, Host
from aggregates.tests.factories import AggregateFactory, CloudFactory, HostFactory, ServerFactory
from dashboard.models import AuditEntry

pytestmark = pytest.mark.django_db


def host_url(host: Host) -> str:
    return reverse("api-host-detail", args=[host.cloud.slug, host.name])


def patch(client, url: str, body: dict):
    return client.patch(url, body, content_type="application/json")


def test_disable_with_a_reason_then_enable_clears_it(admin_client):
    host = HostFactory(name="devstack")

    disabled = patch(admin_client, host_url(host), {"status": "disabled", "disabled_reason": "m"})
    enabled = patch(admin_client, host_url(host), {"status": "enabled"})

    assert disabled.status_code == 200
    assert (disabled.json()["status"], disabled.json()["disabled_reason"]) == ("disabled", "m")
    assert (enabled.json()["status"], enabled.json()["disabled_reason"]) == ("enabled", "")
    entries = AuditEntry.objects.filter(object_type="aggregates.host", object_id=str(host.pk))
    assert entries.filter(action="update").count() == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "off"}, "status"),
        ({"status": "enabled", "disabled_reason": "why"}, "disabled_reason"),  # Nova: 400
        ({"disabled_reason": "alone"}, "disabled_reason"),  # Nova: no update requested
        ({"status": "disabled", "disabled_reason": ""}, "disabled_reason"),  # minLength 1
        ({"status": "disabled", "disabled_reason": "x" * 256}, "disabled_reason"),
        ({}, "status"),
        ({"name": " padded "}, "name"),  # Nova's service host names: no surrounding spaces
        ({"name": "x" * 256}, "name"),
        ({"vcpus": 0}, "vcpus"),
        ({"cpu_allocation_ratio": -1}, "cpu_allocation_ratio"),
    ],
)
def test_bad_host_patch_is_a_400_naming_the_field(admin_client, body, field):
    host = HostFactory(name="devstack")

    response = patch(admin_client, host_url(host), body)

    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == [field]
    host.refresh_from_db()
    assert (host.name, host.status) == ("devstack", "enabled")


def test_a_local_host_is_renamed_and_resized(admin_client):
    host = HostFactory(name="devstack", vcpus=8)

    response = patch(admin_client, host_url(host), {"name": "devstack-2", "vcpus": 16})

    assert response.status_code == 200
    assert (response.json()["name"], response.json()["vcpus"]) == ("devstack-2", 16)


def test_renaming_a_host_to_a_taken_name_is_a_409_on_name(admin_client):
    host = HostFactory(name="a")
    HostFactory(cloud=host.cloud, name="b")

    response = patch(admin_client, host_url(host), {"name": "b"})

    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "name"


def test_a_connected_clouds_host_is_not_edited_here(admin_client):
    cloud = CloudFactory(kind=CloudKind.CONNECTED, os_cloud="prod")
    host = HostFactory(cloud=cloud, name="nova-1", vcpus=8)

    response = patch(admin_client, host_url(host), {"vcpus": 16})
    deleted = admin_client.delete(host_url(host))

    assert response.status_code == 409
    assert "come from its compute API" in response.json()["errors"][0]["message"]
    assert deleted.status_code == 409
    assert Host.objects.get(pk=host.pk).vcpus == 8


def test_deleting_a_host_with_instances_is_refused_as_nova_does(admin_client):
    server = ServerFactory(host=HostFactory(name="busy"))

    response = admin_client.delete(host_url(server.host))

    assert response.status_code == 409
    assert response.json()["errors"][0]["message"] == (
        "Unable to delete compute service that is hosting instances. "
        "Migrate or delete the instances first."
    )
    assert Host.objects.filter(pk=server.host.pk).exists()


def test_deleting_a_host_leaves_its_aggregates_audited(admin_client):
    host = HostFactory(name="idle")
    aggregate = AggregateFactory(cloud=host.cloud, name="agg", hosts=[host])

    response = admin_client.delete(host_url(host))

    assert response.status_code == 204
    assert not Host.objects.filter(pk=host.pk).exists()
    assert not Aggregate.objects.get(pk=aggregate.pk).hosts.exists()
    entry = AuditEntry.objects.get(object_type="aggregates.aggregate", action="update")
    assert (entry.before["hosts"], entry.after["hosts"]) == (["idle"], [])
    assert AuditEntry.objects.filter(object_type="aggregates.host", action="delete").exists()


def cloud_url(cloud: Cloud) -> str:
    return reverse("api-cloud-detail", args=[cloud.slug])


def test_a_cloud_is_renamed(admin_client):
    cloud = CloudFactory(slug="devstack", name="DevStack")

    response = patch(admin_client, cloud_url(cloud), {"name": "DevStack West", "region": "R2"})

    assert response.status_code == 200
    assert (response.json()["name"], response.json()["region"]) == ("DevStack West", "R2")
    assert response.json()["slug"] == "devstack"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"region": "x" * 101}, "region"),
        ({"default_availability_zone": "a:b"}, "default_availability_zone"),
        ({"default_availability_zone": ""}, "default_availability_zone"),
    ],
)
def test_bad_cloud_patch_is_a_400_naming_the_field(admin_client, body, field):
    cloud = CloudFactory(slug="devstack", name="DevStack")

    response = patch(admin_client, cloud_url(cloud), body)

    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert Cloud.objects.get(pk=cloud.pk).name == "DevStack"


def test_deleting_a_cloud_takes_its_rows_and_is_audited(admin_client):
    cloud = CloudFactory(slug="devstack")
    ServerFactory(host=HostFactory(cloud=cloud))

    response = admin_client.delete(cloud_url(cloud))

    assert response.status_code == 204
    assert not Cloud.objects.filter(slug="devstack").exists()
    assert not Host.objects.filter(cloud_id=cloud.pk).exists()
    assert AuditEntry.objects.filter(object_type="aggregates.cloud", action="delete").exists()


def test_members_may_read_a_cloud_but_not_delete_it(member_client):
    cloud = CloudFactory(slug="devstack")

    assert member_client.delete(cloud_url(cloud)).status_code == 403
    assert Cloud.objects.filter(pk=cloud.pk).exists()
