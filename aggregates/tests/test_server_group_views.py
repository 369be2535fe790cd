"""Server groups page: list, create (local clouds), delete; refusals named next to the field."""

import pytest
from django.urls import reverse

from aggregates.choices import CloudKind
from aggregates.models import ServerGroup
from aggregates.tests.factories import CloudFactory, HostFactory, ServerFactory
from dashboard.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_create_then_list_then_delete_keeps_the_members(admin_client):
    cloud = CloudFactory()
    url = reverse("aggregates:servergroup_list", args=[cloud.slug])

    response = admin_client.post(
        url,
        {"name": "spread", "policy": "anti-affinity", "project_id": "p", "max_server_per_host": 2},
    )

    assert response.status_code == 302
    group = ServerGroup.objects.get(cloud=cloud, name="spread")
    assert (group.policy, group.max_server_per_host) == ("anti-affinity", 2)
    member = ServerFactory(host=HostFactory(cloud=cloud), server_group=group)
    page = admin_client.get(url)
    assert b"spread" in page.content and b"anti-affinity" in page.content
    response = admin_client.post(
        reverse("aggregates:servergroup_delete", args=[cloud.slug, group.uuid]),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and response["HX-Redirect"] == url
    assert not ServerGroup.objects.filter(pk=group.pk).exists()
    member.refresh_from_db()
    assert member.server_group is None
    assert AuditEntry.objects.filter(action=AuditEntry.Action.DELETE).exists()


def test_a_rule_on_an_affinity_group_is_refused_next_to_the_field(admin_client):
    cloud = CloudFactory()

    response = admin_client.post(
        reverse("aggregates:servergroup_list", args=[cloud.slug]),
        {"name": "g", "policy": "affinity", "project_id": "p", "max_server_per_host": 2},
    )

    assert response.status_code == 422
    assert response.context["form"].errors == {
        "max_server_per_host": ["Only anti-affinity policy supports rules."]
    }
    assert not ServerGroup.objects.exists()


def test_connected_clouds_list_their_groups_but_offer_no_form(admin_client):
    cloud = CloudFactory(kind=CloudKind.CONNECTED, os_cloud="x")
    ServerGroup.objects.create(cloud=cloud, name="from-nova", policy="affinity")
    url = reverse("aggregates:servergroup_list", args=[cloud.slug])

    page = admin_client.get(url)
    refused = admin_client.post(url, {"name": "g", "policy": "affinity", "project_id": "p"})

    assert b"from-nova" in page.content and b"server-group-form" not in page.content
    assert refused.status_code == 422
    assert ServerGroup.objects.filter(cloud=cloud).count() == 1


@pytest.mark.parametrize("groups", [1, 30])
def test_queries_do_not_grow_with_groups(admin_client, django_assert_max_num_queries, groups):
    cloud = CloudFactory()
    for index in range(groups):
        ServerGroup.objects.create(cloud=cloud, name=f"g{index}", policy="affinity")

    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("aggregates:servergroup_list", args=[cloud.slug]))

    assert response.status_code == 200
