"""Services of the operator actions (#18): a compute service's status and reason as Nova's
PUT /os-services 2.53+ takes them, a local host's edits and delete, a cloud's delete."""

import pytest
from django.utils import timezone

from aggregates import services
from aggregates.errors import HostHasInstances, InvalidInput, LocalCloudOnly, SyncAlreadyRunning
from aggregates.models import Aggregate, Cloud, Flavor, Host, Server, SyncRun
from aggregates.queries import cloud_delete_summary, flavor_delete_summary, host_delete_summary
from aggregates.tests.factories import (
    AggregateFactory,
    CloudFactory,
    FlavorFactory,
    HostFactory,
    ServerFactory,
)
from dashboard import locks
from dashboard.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("enabled", "reason", "message"),
    [
        (True, "why", "Specifying 'disabled_reason' with status 'enabled' is invalid."),  # Nova
        (False, "x" * 256, "'disabled_reason' takes at most 255 characters."),  # maxLength 255
    ],
)
def test_set_host_status_refuses_what_nova_refuses(admin_user, enabled, reason, message):
    host = HostFactory(status="disabled", disabled_reason="old")

    with pytest.raises(InvalidInput, match=message):
        services.set_host_status(host, enabled=enabled, disabled_reason=reason, actor=admin_user)

    host.refresh_from_db()
    assert (host.status, host.disabled_reason) == ("disabled", "old")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": " devstack"}, "name"),  # Nova's name type: no surrounding whitespace
        ({"name": "a\nb"}, "name"),  # printable characters only
        ({"name": "x" * 256}, "name"),
        ({"vcpus": 0}, "vcpus"),
        ({"memory_mb": 0}, "memory_mb"),
        ({"local_gb": -1}, "local_gb"),
        ({"reserved_host_memory_mb": -1}, "reserved_host_memory_mb"),
        ({"ram_allocation_ratio": 0}, "ram_allocation_ratio"),
        ({"hypervisor_type": "x"}, None),  # not editable here
    ],
)
def test_update_host_refuses_bad_values_naming_the_field(admin_user, changes, field):
    host = HostFactory(name="devstack", vcpus=8)

    with pytest.raises(InvalidInput) as caught:
        services.update_host(host, actor=admin_user, **changes)

    assert caught.value.field == field
    host.refresh_from_db()
    assert (host.name, host.vcpus) == ("devstack", 8)
    assert not AuditEntry.objects.filter(action="update").exists()


def test_update_host_is_audited_field_by_field(admin_user):
    host = HostFactory(name="devstack", vcpus=8)

    services.update_host(host, actor=admin_user, name="devstack-b", vcpus=12)

    entry = AuditEntry.objects.get(object_type="aggregates.host", action="update")
    assert (entry.before["name"], entry.after["name"]) == ("devstack", "devstack-b")
    assert (entry.before["vcpus"], entry.after["vcpus"]) == (8, 12)


def test_a_connected_clouds_host_is_neither_edited_nor_deleted(admin_user):
    host = HostFactory(cloud=CloudFactory(kind="connected", os_cloud="prod"))

    with pytest.raises(LocalCloudOnly):
        services.update_host(host, actor=admin_user, vcpus=99)
    with pytest.raises(LocalCloudOnly):
        services.delete_host(host, actor=admin_user)

    assert Host.objects.filter(pk=host.pk).exists()


def test_delete_host_refuses_while_it_hosts_instances(admin_user):
    server = ServerFactory()

    with pytest.raises(HostHasInstances):
        services.delete_host(server.host, actor=admin_user)

    assert Host.objects.filter(pk=server.host.pk).exists()


def test_delete_cloud_takes_everything_in_it_and_nothing_else(admin_user):
    cloud, other = CloudFactory(), CloudFactory()
    for each in (cloud, other):
        host = HostFactory(cloud=each)
        AggregateFactory(cloud=each, hosts=[host])
        ServerFactory(host=host, flavor=FlavorFactory(cloud=each))
        SyncRun.objects.create(cloud=each, status="ok", started_at=timezone.now())

    services.delete_cloud(cloud, actor=admin_user)

    assert list(Cloud.objects.all()) == [other]
    for model in (Host, Aggregate, Flavor, Server, SyncRun):
        assert set(model.objects.values_list("cloud_id", flat=True)) == {other.pk}
    entry = AuditEntry.objects.get(object_type="aggregates.cloud", action="delete")
    assert entry.object_id == str(cloud.pk)


def test_delete_summaries_count_and_name_what_goes():
    cloud = CloudFactory(name="DevStack")
    host = HostFactory(cloud=cloud, name="devstack")
    AggregateFactory(cloud=cloud, name="test-aggregate2", hosts=[host])
    flavor = FlavorFactory(cloud=cloud, name="m1.small", is_public=False)
    ServerFactory(host=host, flavor=flavor, name="web-1")

    cloud_summary = cloud_delete_summary(cloud)
    host_summary = host_delete_summary(host)
    flavor_summary = flavor_delete_summary(flavor)

    assert cloud_summary.goes_with[:4] == ["1 host", "1 aggregate", "1 flavor", "1 server"]
    assert host_summary.goes_with == ["its membership of test-aggregate2"]
    assert "1 server (web-1)" in host_summary.refusal
    assert flavor_summary.goes_with == ["its extra specs", "its access list"]
    assert "1 server still use it (web-1)" in flavor_summary.notes[0]


def test_a_connected_cloud_is_not_deleted_while_its_sync_runs(admin_user):
    cloud = CloudFactory(kind="connected", os_cloud="prod")

    with locks.cloud_lock(cloud.pk) as held:
        assert held
        with pytest.raises(SyncAlreadyRunning, match="delete the cloud once it has finished"):
            services.delete_cloud(cloud, actor=admin_user)

    assert Cloud.objects.filter(pk=cloud.pk).exists()
    services.delete_cloud(cloud, actor=admin_user)
    assert not Cloud.objects.filter(pk=cloud.pk).exists()
