"""Utilisation pages: admins only, constant query counts (10 and 1,000 hosts), CSV, tiles, the
cached heatmap."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from aggregates import utilisation
from aggregates.demo.synthetic import build_cloud
from aggregates.models import Host

pytestmark = pytest.mark.django_db
PAGES = ["cloud_utilisation", "cloud_heatmap", "cloud_capacity", "cloud_capacity_matrix"]


def url(name, cloud):
    return reverse(f"aggregates:{name}", args=[cloud.slug])


@pytest.fixture
def cloud():
    cloud = build_cloud("util", 12)
    now = timezone.now()
    for hours in (50, 3, 1):
        utilisation.record_utilisation_samples(cloud, at=now - timedelta(hours=hours))
    return cloud


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("role_client", ["lead", "member"], indirect=True)
def test_utilisation_pages_are_for_admins_only(name, role_client, cloud):
    assert role_client.get(url(name, cloud)).status_code == 403


@pytest.mark.parametrize("hosts", [10, 1000])
@pytest.mark.parametrize("name", ["cloud_utilisation", "cloud_heatmap", "cloud_capacity_matrix"])
def test_page_queries_do_not_grow_with_hosts(
    hosts, name, admin_client, django_assert_max_num_queries
):
    cloud = build_cloud(f"q{hosts}", hosts)
    utilisation.record_utilisation_samples(cloud)
    with django_assert_max_num_queries(12):
        response = admin_client.get(url(name, cloud))
    assert response.status_code == 200
    if name == "cloud_heatmap":
        assert response.context["heatmap"]["names"].__len__() == hosts
    if name == "cloud_capacity_matrix":
        assert sum(row.total for row in response.context["matrix"].rows) > 0


@pytest.mark.parametrize("hosts", [10, 1000])
def test_host_table_queries_do_not_grow_with_hosts(
    hosts, admin_client, django_assert_max_num_queries
):
    cloud = build_cloud(f"h{hosts}", hosts)
    with django_assert_max_num_queries(12):
        response = admin_client.get(url("host_list", cloud))
    assert b'class="capacity-bar"' in response.content


def test_utilisation_page_shows_rollups_and_chart_data(admin_client, cloud):
    response = admin_client.get(url("cloud_utilisation", cloud) + "?level=availability_zone")
    assert response.status_code == 200
    assert [row.name for row in response.context["rows"]] == ["az0", "az1", "az2", "nova"]
    data = response.context["chart"]["data"]
    assert len(data) == 4 and len(data[0]) == 3  # the cloud series: three samples
    assert b'id="utilisation-chart-data"' in response.content
    assert b"<script>" not in response.content  # data only, no inline code


def test_utilisation_page_charts_a_chosen_series(admin_client, cloud):
    response = admin_client.get(url("cloud_utilisation", cloud) + "?level=host&name=util-00003")
    assert response.context["series"] == {"level": "host", "name": "util-00003"}
    assert len(response.context["chart"]["data"][0]) == 3


def test_utilisation_page_htmx_gives_the_table_alone(admin_client, cloud):
    response = admin_client.get(
        url("cloud_utilisation", cloud) + "?level=host", headers={"HX-Request": "true"}
    )
    assert response.templates[0].name == "aggregates/partials/_utilisation_table.html"


def test_utilisation_page_names_a_bad_parameter(admin_client, cloud):
    response = admin_client.get(url("cloud_utilisation", cloud) + "?start=yesterday")
    assert response.status_code == 200
    assert "<strong>From</strong>: Enter a valid date/time." in response.content.decode()


def test_history_range_takes_any_offset_and_names_one_out_of_range(admin_client, cloud):
    # Python reads offsets up to ±23:59, PostgreSQL only ±15:59: compared in UTC.
    page = admin_client.get(url("cloud_utilisation", cloud), {"start": "2020-01-01T00:00-18:17"})
    assert page.status_code == 200

    beyond = admin_client.get(url("cloud_utilisation", cloud), {"end": "0001-01-01T00:00+18:00"})
    assert beyond.status_code == 200
    assert "This date-time is out of range." in beyond.content.decode()


def test_csv_export_streams_every_row(admin_client, cloud):
    response = admin_client.get(url("cloud_utilisation_export", cloud) + "?level=host")
    assert response.streaming
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("level,name,vcpus_used,vcpus_capacity")
    assert len(lines) == 13
    assert lines[1].startswith("host,util-00000,0,")


def test_capacity_page_counts_slots_and_states_the_trend_method(admin_client, cloud):
    response = admin_client.get(url("cloud_capacity", cloud) + "?flavor=2")
    assert response.status_code == 200
    slots = response.context["slots"]
    assert slots.total == sum(slots.by_host.values()) > 0
    assert b"least-squares straight line" in response.content
    csv = admin_client.get(url("cloud_capacity_export", cloud) + "?flavor=2")
    rows = b"".join(csv.streaming_content).decode().splitlines()
    assert rows[1] == f"2,cloud,{cloud.name},{slots.total}"


def test_slots_per_flavor_and_zone_are_the_capacity_apis_numbers(admin_client, cloud):
    response = admin_client.get(url("cloud_capacity_matrix", cloud), headers={"HX-Request": "true"})

    assert response.status_code == 200 and b"<html" not in response.content
    matrix = response.context["matrix"]
    assert len(matrix.rows) == cloud.flavors.count() >= 2
    assert [row.name for row in matrix.rows] == list(
        cloud.flavors.order_by("ram", "vcpus", "disk", "flavor_id").values_list("name", flat=True)
    )
    for row in matrix.rows:
        api = admin_client.get(f"/api/v1/clouds/{cloud.slug}/capacity/?flavor={row.flavor_id}")
        slots = api.json()["slots"]
        assert row.total == slots["total"]
        assert dict(zip(matrix.zones, row.by_zone, strict=True)) == slots["by_availability_zone"]
    assert any(row.total for row in matrix.rows)


def test_slots_matrix_has_a_page_and_a_csv_of_its_own(admin_client, cloud):
    page = admin_client.get(url("cloud_capacity_matrix", cloud))
    assert b"<html" in page.content and b'data-testid="slots-matrix"' in page.content

    csv = admin_client.get(url("cloud_capacity_matrix_export", cloud))
    lines = b"".join(csv.streaming_content).decode().splitlines()
    matrix = page.context["matrix"]
    assert lines[0] == ",".join(["flavor", "name", "total", *matrix.zones])
    first = matrix.rows[0]
    assert lines[1] == ",".join(
        map(str, [first.flavor_id, first.name, first.total, *first.by_zone])
    )


def test_run_out_estimates_export_as_csv_one_row_per_zone(admin_client, cloud):
    estimates = utilisation.run_out_estimates(cloud)

    response = admin_client.get(url("cloud_run_out_export", cloud))

    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0] == "availability_zone,first_full,percent_per_day,full_on,samples"
    assert [line.split(",")[0] for line in lines[1:]] == [e.zone for e in estimates]
    assert len(estimates) >= 2
    assert all(line.endswith(f",{e.points}") for line, e in zip(lines[1:], estimates, strict=True))


def test_the_capacity_page_loads_the_matrix_after_itself(admin_client, cloud):
    page = admin_client.get(url("cloud_capacity", cloud)).content.decode()
    assert f'hx-get="{url("cloud_capacity_matrix", cloud)}"' in page
    assert 'hx-trigger="load"' in page


def test_a_flavor_edit_gives_fresh_slots(admin_client, admin_user, cloud):
    from aggregates import services

    first = admin_client.get(url("cloud_capacity_matrix", cloud)).context["matrix"]
    flavor = cloud.flavors.get(flavor_id=first.rows[0].flavor_id)
    services.set_flavor_extra_specs(
        flavor, {"capabilities:hypervisor_type": "s== none"}, actor=admin_user
    )

    again = admin_client.get(url("cloud_capacity_matrix", cloud)).context["matrix"]

    assert first.rows[0].total > 0 and again.rows[0].total == 0
    assert again.rows[1:] == first.rows[1:]


def test_slots_of_a_flavor_follow_a_host_being_disabled(admin_client, admin_user, cloud):
    from aggregates import services

    api = f"/api/v1/clouds/{cloud.slug}/capacity/?flavor=2"
    before = admin_client.get(api).json()["slots"]
    name, count = max(before["by_host"].items(), key=lambda item: item[1])
    services.set_host_status(cloud.hosts.get(name=name), enabled=False, actor=admin_user)

    after = admin_client.get(api).json()["slots"]
    page = admin_client.get(url("cloud_capacity", cloud) + "?flavor=2").context["slots"]

    assert count > 0 and after["by_host"][name] == 0
    assert after["total"] == before["total"] - count == page.total


def test_capacity_page_refuses_an_unknown_flavor(admin_client, cloud):
    response = admin_client.get(url("cloud_capacity", cloud) + "?flavor=nope")
    assert response.status_code == 422
    assert b"No such flavor in this cloud." in response.content


@pytest.mark.parametrize("query", ["", "?flavor=no-such-flavor"])
def test_capacity_export_without_a_known_flavor_is_a_400_naming_it(admin_client, cloud, query):
    response = admin_client.get(url("cloud_capacity_export", cloud) + query)

    assert response.status_code == 400
    assert response.content.decode().startswith("flavor: no flavor")


def test_overview_tiles_show_capacity_sync_and_hottest_hosts_to_admins(
    admin_client, member_client, cloud
):
    page = admin_client.get("/").content.decode()
    assert 'data-testid="capacity-tile"' in page
    assert 'data-testid="sync-health-tile"' in page
    assert 'data-testid="hottest-tile"' in page
    hottest = utilisation.hottest_hosts([cloud.pk], limit=1)[0]
    assert hottest["name"] in page
    assert 'data-testid="capacity-tile"' not in member_client.get("/").content.decode()


def test_overview_tiles_render_with_no_clouds(admin_client):
    page = admin_client.get("/")
    assert page.status_code == 200
    assert b"No clouds yet." in page.content


def test_heatmap_is_cached_until_a_host_changes(admin_client, django_assert_max_num_queries):
    cloud = build_cloud("cached", 20)
    first = admin_client.get(url("cloud_heatmap", cloud)).context["heatmap"]
    with django_assert_max_num_queries(5):  # session, user, cloud, version, groups
        again = admin_client.get(url("cloud_heatmap", cloud)).context["heatmap"]
    assert again == first

    host = Host.objects.get(name="cached-00001")
    host.vcpus_used = 0
    host.save()

    changed = admin_client.get(url("cloud_heatmap", cloud)).context["heatmap"]
    assert changed["vcpus"] != first["vcpus"]
