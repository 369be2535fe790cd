"""Utilisation API: rows per level, history, slots; admins only; 400 naming the parameter."""

from datetime import timedelta

import pytest
from django.utils import timezone

from aggregates import utilisation
from aggregates.demo.synthetic import build_cloud
from aggregates.preview import capacity

pytestmark = pytest.mark.django_db
ROW_KEYS = {
    "level",
    "name",
    "vcpus_used",
    "vcpus_capacity",
    "memory_mb_used",
    "memory_mb_capacity",
    "local_gb_used",
    "local_gb_capacity",
    "running_vms",
}


@pytest.fixture
def cloud():
    cloud = build_cloud("api", 9)
    utilisation.record_utilisation_samples(cloud, at=timezone.now() - timedelta(hours=1))
    return cloud


def api(cloud, path=""):
    return f"/api/v1/clouds/{cloud.slug}/{path}"


@pytest.mark.parametrize("level", ["host", "aggregate", "availability_zone", "cloud"])
def test_utilisation_rows_per_level_match_the_rollups(level, admin_client, cloud):
    response = admin_client.get(api(cloud, "utilisation/"), {"level": level})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert all(set(row) == ROW_KEYS and row["level"] == level for row in rows)
    expected = [r.as_dict() for r in utilisation.rollups(cloud, utilisation.LEVELS[level])]
    assert rows == expected


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("utilisation/", {"level": "rack"}, "level"),
        ("utilisation/history/", {"level": "host"}, "name"),
        ("utilisation/history/", {"level": "cloud", "start": "soon"}, "start"),
        ("utilisation/history/", {"level": "cloud", "resolution": "weekly"}, "resolution"),
        ("capacity/", {}, "flavor"),
        ("capacity/", {"flavor": "404"}, "flavor"),
    ],
)
def test_bad_parameters_are_400_naming_the_field(path, params, field, admin_client, cloud):
    response = admin_client.get(api(cloud, path), params)
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == [field]


@pytest.mark.parametrize(
    "path", ["utilisation/", "utilisation/history/?level=cloud", "capacity/?flavor=1"]
)
def test_members_are_refused(path, member_client, cloud):
    assert member_client.get(api(cloud, path)).status_code == 403


def test_history_returns_the_series(admin_client, cloud):
    response = admin_client.get(api(cloud, "utilisation/history/"), {"level": "cloud"})
    assert response.status_code == 200
    (point,) = response.json()["results"]
    total = utilisation.cloud_rollup(cloud)
    assert point["resolution"] == "raw" and point["samples"] == 1
    assert point["vcpus_used"] == total.vcpus_used
    assert point["memory_mb_capacity"] == total.memory_mb_capacity


def test_history_of_a_host_in_a_window(admin_client, cloud):
    start = (timezone.now() - timedelta(minutes=30)).isoformat()
    response = admin_client.get(
        api(cloud, "utilisation/history/"), {"level": "host", "name": "api-00001", "start": start}
    )
    assert response.json()["results"] == []


def test_capacity_equals_the_preview_slots(admin_client, cloud):
    response = admin_client.get(api(cloud, "capacity/"), {"flavor": "2"})
    assert response.status_code == 200
    body = response.json()
    expected = capacity.flavor_slots(cloud, cloud.flavors.get(flavor_id="2")).as_dict()
    assert body == expected
    assert set(body["slots"]) == {"total", "by_availability_zone", "by_aggregate", "by_host"}
    assert body["slots"]["total"] == sum(body["slots"]["by_host"].values())


def test_schema_documents_the_utilisation_endpoints(admin_client):
    schema = admin_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path in ("utilisation/", "utilisation/history/", "capacity/"):
        assert f"/api/v1/clouds/{{slug}}/{path}" in schema["paths"]
