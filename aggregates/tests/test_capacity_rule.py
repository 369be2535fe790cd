"""One capacity rule everywhere: Placement's floor((total - reserved) x ratio) per host, summed.

Two hosts of 3 vCPU at ratio 1.5 have 4 + 4 = 8 vCPUs of capacity, not floor(9.0) = 9.
"""

import pytest
from django.urls import reverse

from aggregates.tests.factories import CloudFactory, FlavorFactory, HostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cloud():
    cloud = CloudFactory(slug="ratios")
    for name in ("odd-1", "odd-2"):
        HostFactory(cloud=cloud, name=name, vcpus=3, cpu_allocation_ratio=1.5)
    FlavorFactory(cloud=cloud, flavor_id="tiny", name="tiny", vcpus=1, ram=64, disk=1)
    return cloud


def test_cloud_page_sums_capacity_floored_per_host(admin_client, cloud):
    response = admin_client.get(reverse("aggregates:cloud_detail", args=[cloud.slug]))

    assert response.context["capacity"]["VCPU"]["capacity"] == 8


def test_utilisation_api_sums_capacity_floored_per_host(admin_client, cloud):
    response = admin_client.get(f"/api/v1/clouds/{cloud.slug}/utilisation/", {"level": "cloud"})

    assert [row["vcpus_capacity"] for row in response.json()["results"]] == [8]


def test_host_page_and_engine_floor_each_host(admin_client, cloud):
    host_page = admin_client.get(reverse("aggregates:host_detail", args=[cloud.slug, "odd-1"]))
    preview = admin_client.post(
        f"/api/v1/clouds/{cloud.slug}/placement-preview/", {"flavor": "tiny"}, "application/json"
    )

    assert host_page.context["host"].vcpus_capacity == 4
    assert [host["slots"] for host in preview.json()["hosts"]] == [4, 4]
