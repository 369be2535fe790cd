"""Pages of the operator actions (#18): the htmx and plain branches, refusals in place,
HX-Redirect on leaving, and confirmation pages whose queries do not grow with rows."""

import pytest
from django.urls import reverse

from aggregates.choices import CloudKind
from aggregates.models import Cloud, Flavor, Host
from aggregates.tests.factories import (
    AggregateFactory,
    CloudFactory,
    FlavorFactory,
    HostFactory,
    ServerFactory,
)

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def test_disable_by_htmx_answers_the_status_fragment(admin_client):
    host = HostFactory(name="devstack")
    url = reverse("aggregates:host_set_status", args=[host.cloud.slug, host.pk])

    response = admin_client.post(
        url, {"status": "disabled", "disabled_reason": "  maintenance "}, headers=HTMX
    )

    assert response.status_code == 200
    assert b'id="host-status"' in response.content and b"<html" not in response.content
    assert b"maintenance" in response.content
    assert Host.objects.get(pk=host.pk).disabled_reason == "maintenance"


def test_disable_without_htmx_redirects_to_the_host(admin_client):
    host = HostFactory(name="a/b")  # any name: the action goes by row id
    url = reverse("aggregates:host_set_status", args=[host.cloud.slug, host.pk])

    response = admin_client.post(url, {"status": "disabled"})

    assert response.status_code == 302
    assert response["Location"] == reverse("aggregates:host_detail", args=[host.cloud.slug, "a/b"])
    assert Host.objects.get(pk=host.pk).status == "disabled"


def test_a_connected_clouds_host_offers_no_edit_and_says_why(admin_client):
    cloud = CloudFactory(kind=CloudKind.CONNECTED, os_cloud="prod")
    host = HostFactory(cloud=cloud, name="nova-1")

    page = admin_client.get(reverse("aggregates:host_detail", args=[cloud.slug, "nova-1"]))
    edit = admin_client.get(
        reverse("aggregates:host_update", args=[cloud.slug, host.pk]), follow=True
    )

    assert b"host-edit-link" not in page.content
    assert b"Disable service" in page.content  # a compute service can be disabled anywhere
    assert b"come from its compute API" in edit.content


def test_a_delete_by_htmx_leaves_with_hx_redirect(admin_client):
    flavor = FlavorFactory(flavor_id="42")
    url = reverse("aggregates:flavor_delete", args=[flavor.cloud.slug, "42"])

    response = admin_client.post(url, headers=HTMX)

    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("aggregates:flavor_list", args=[flavor.cloud.slug])
    assert not Flavor.objects.filter(pk=flavor.pk).exists()


def test_a_refused_host_delete_is_a_message_in_place(admin_client):
    server = ServerFactory(host=HostFactory(name="busy"))
    url = reverse("aggregates:host_delete", args=[server.cloud.slug, server.host.pk])

    response = admin_client.post(url, headers=HTMX)

    assert response.status_code == 422
    assert b'id="delete-zone"' in response.content and b"<html" not in response.content
    assert b"hosting instances" in response.content
    assert Host.objects.filter(pk=server.host.pk).exists()


def test_asking_to_delete_deletes_nothing(admin_client):
    cloud = CloudFactory(slug="devstack")

    response = admin_client.get(reverse("aggregates:cloud_delete", args=["devstack"]))

    assert response.status_code == 200
    assert b"Delete cloud" in response.content
    assert Cloud.objects.filter(pk=cloud.pk).exists()


def test_a_cloud_edit_with_a_bad_zone_names_the_field(admin_client):
    CloudFactory(slug="devstack", name="DevStack")

    response = admin_client.post(
        reverse("aggregates:cloud_update", args=["devstack"]),
        {"name": "D", "default_availability_zone": "a:b"},
    )

    assert response.status_code == 422
    assert "default_availability_zone" in response.context["form"].errors
    assert Cloud.objects.get(slug="devstack").name == "DevStack"


def _fill(rows: int):
    cloud = CloudFactory(slug="devstack")
    host = HostFactory(cloud=cloud, name="devstack")
    flavor = FlavorFactory(cloud=cloud, flavor_id="100")
    for n in range(rows):
        ServerFactory(host=host, flavor=flavor, name=f"vm-{n}")
        AggregateFactory(cloud=cloud, hosts=[host])
        HostFactory(cloud=cloud)
    return cloud, host, flavor


@pytest.mark.parametrize("rows", [1, 30])
def test_confirmation_pages_queries_do_not_grow_with_rows(
    rows, admin_client, django_assert_max_num_queries
):
    cloud, host, flavor = _fill(rows)
    urls = [
        reverse("aggregates:cloud_delete", args=[cloud.slug]),
        reverse("aggregates:host_delete", args=[cloud.slug, host.pk]),
        reverse("aggregates:flavor_delete", args=[cloud.slug, flavor.flavor_id]),
    ]
    for url in urls:
        with django_assert_max_num_queries(12):
            response = admin_client.get(url)
        assert response.status_code == 200
    assert b"vm-0" in admin_client.get(urls[2]).content
