"""In a real browser: the utilisation chart (uPlot) and the host heatmap draw their data."""

from datetime import timedelta

import pytest
from django.utils import timezone

from aggregates import utilisation
from aggregates.demo.synthetic import build_cloud
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_utilisation_chart_renders_its_data_points(page, admin_user):
    cloud = build_cloud("chart", 6)
    now = timezone.now()
    for hours in range(5, 0, -1):
        utilisation.record_utilisation_samples(cloud, at=now - timedelta(hours=hours))

    sign_in(page, "alice-admin", "pw-alice-admin")
    page.goto(f"/clouds/{cloud.slug}/utilisation/")

    chart = page.get_by_test_id("utilisation-chart")
    page.wait_for_selector("[data-testid=utilisation-chart][data-rendered=true]")
    assert chart.get_attribute("data-points") == "5"
    assert chart.locator("canvas").count() == 1
    assert chart.locator(".u-legend").inner_text().count("%") >= 3


def test_heatmap_draws_one_cell_per_host(page, admin_user):
    cloud = build_cloud("heat", 40)

    sign_in(page, "alice-admin", "pw-alice-admin")
    page.goto(f"/clouds/{cloud.slug}/utilisation/heatmap/")

    page.wait_for_selector("[data-testid=heatmap][data-cells='40']")
    page.select_option("#heatmap-metric", "vcpus")
    box = page.get_by_test_id("heatmap").bounding_box()
    page.mouse.move(box["x"] + 6, box["y"] + 18 + 4)  # first cell, under the first group label
    host = page.get_by_test_id("heatmap-hover").inner_text().split(":")[0]
    assert host.startswith("heat-")

    page.mouse.click(box["x"] + 6, box["y"] + 18 + 4)

    page.wait_for_url(f"**/clouds/{cloud.slug}/hosts/{host}/")
    assert host in page.locator("h1").inner_text()


def test_capacity_page_fills_in_the_slots_of_every_flavor(page, admin_user):
    cloud = build_cloud("slots", 30)

    sign_in(page, "alice-admin", "pw-alice-admin")
    page.goto(f"/clouds/{cloud.slug}/capacity/")

    matrix = page.get_by_test_id("slots-matrix")
    matrix.wait_for()
    assert page.get_by_test_id("slots-matrix-pending").count() == 0
    rows = matrix.locator("tbody tr")
    assert rows.count() == cloud.flavors.count()
    rows.first.locator("a").click()
    page.wait_for_selector("[data-testid=slots-total]")
    assert "more instance" in page.get_by_test_id("slots-total").inner_text()
