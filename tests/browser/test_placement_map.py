"""In a real browser: the preview's canvas map on a 300-host cloud (issue 17's page, issue 18's
keyboard and colour): hover and click details, the keyboard cursor, zone folds, "why not host X"."""

import pytest

from aggregates.demo.synthetic import build_cloud
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST_CELL = (7, 23)  # inside the first cell, under the first group's label


@pytest.fixture
def errors(page):
    """Console errors and uncaught exceptions on the page; each test asserts there are none."""
    seen: list[str] = []
    page.on("console", lambda message: seen.append(message.text) if message.type == "error" else 0)
    page.on("pageerror", lambda error: seen.append(str(error)))
    return seen


@pytest.fixture
def preview(page, admin_user):
    cloud = build_cloud("map", 300)
    sign_in(page, "alice-admin", "pw-alice-admin")
    flavor = cloud.flavors.order_by("vcpus").first().flavor_id
    page.goto(f"/clouds/{cloud.slug}/placement-preview/?flavor={flavor}&az=az1")
    page.wait_for_selector("details[open] canvas.host-canvas:not([data-cells='0'])")
    return cloud


def open_canvas(page):
    return page.locator("details[open] canvas.host-canvas").first


def test_hover_names_the_host_then_its_verdict_and_a_click_explains_it(page, preview, errors):
    canvas = open_canvas(page)
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    hover = page.get_by_test_id("map-hover")

    page.mouse.move(box["x"] + FIRST_CELL[0], box["y"] + FIRST_CELL[1])
    host = hover.inner_text().split(":")[0]
    assert host.startswith("map-")
    page.wait_for_function(
        "() => document.getElementById('map-hover').textContent.includes('(zone ')"
    )
    assert hover.inner_text().startswith(f"{host} (zone az1")

    page.mouse.click(box["x"] + FIRST_CELL[0], box["y"] + FIRST_CELL[1])
    detail = page.get_by_test_id("host-detail")
    detail.wait_for()
    assert detail.locator("header strong").inner_text() == host
    assert detail.locator("tbody tr").count() >= 5
    assert page.locator("#why-form input[name=host]").input_value() == host
    assert errors == []


def test_the_keyboard_moves_a_cursor_announces_each_host_and_enter_explains(page, preview, errors):
    page.set_viewport_size({"width": 500, "height": 800})  # a group of 50 wraps: rows to move in
    canvas = open_canvas(page)
    hover = page.get_by_test_id("map-hover")
    assert hover.get_attribute("aria-live") == "polite"
    assert canvas.get_attribute("tabindex") == "0"

    canvas.focus()
    first = hover.inner_text()
    assert "host 1 of 75" in first
    page.keyboard.press("ArrowRight")
    second = hover.inner_text()
    assert "host 2 of 75" in second and second.split(":")[0] != first.split(":")[0]
    page.keyboard.press("ArrowLeft")
    assert hover.inner_text() == first
    page.keyboard.press("ArrowDown")
    below = hover.inner_text()
    assert below != first and "host 1 of" not in below
    page.keyboard.press("ArrowUp")
    assert hover.inner_text() == first
    page.keyboard.press("End")
    last = hover.inner_text()
    assert "host 75 of 75" in last
    assert any(word in last for word in ("picked", "passes", "rejected", "error"))

    page.keyboard.press("Enter")
    detail = page.get_by_test_id("host-detail")
    detail.wait_for()
    assert detail.locator("header strong").inner_text() == last.split(":")[0]
    assert errors == []


def test_zones_outside_the_requested_one_fold_and_draw_when_opened(page, preview, errors):
    zones = page.locator("details.map-zone")
    assert zones.count() == 4
    assert page.locator("details.map-zone[data-zone=az1]").get_attribute("open") is not None
    folded = page.locator("details.map-zone[data-zone=az0]")
    assert folded.get_attribute("open") is None
    assert "all outside the requested zone" in folded.locator("summary").inner_text()
    assert folded.locator("canvas").get_attribute("data-cells") == "0"

    folded.locator("summary").click()

    page.wait_for_selector("details.map-zone[data-zone=az0] canvas:not([data-cells='0'])")
    assert int(folded.locator("canvas").get_attribute("data-cells")) == 75
    assert errors == []


def test_why_not_host_x_shows_every_step_verdict_and_reason(page, preview, errors):
    form = page.get_by_test_id("why-form")
    form.locator("input[name=host]").fill("map-00000")
    form.locator("button").click()

    detail = page.get_by_test_id("host-detail")
    detail.wait_for()
    assert detail.locator("header strong").inner_text() == "map-00000"
    assert "rejected by" in detail.locator("header").inner_text()
    rows = detail.locator("tbody tr")
    verdicts = [rows.nth(i).locator("td").first.inner_text() for i in range(rows.count())]
    assert "rejects" in verdicts
    assert all(rows.nth(i).locator("td").nth(2).inner_text() for i in range(rows.count()))

    form.locator("input[name=host]").fill("no-such-host")
    form.locator("button").click()
    page.wait_for_selector("text=No host called no-such-host in this cloud.")
    assert errors == []


def test_at_phone_width_the_verdict_and_reason_columns_stay_in_view(page, preview, errors):
    page.set_viewport_size({"width": 390, "height": 800})
    form = page.get_by_test_id("why-form")
    form.locator("input[name=host]").fill("map-00001")
    form.locator("button").click()
    detail = page.get_by_test_id("host-detail")
    detail.wait_for()

    cells = detail.locator("tbody tr").first.locator("td")
    for index in (0, 2):
        box = cells.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert errors == []


def test_a_new_preview_from_the_form_redraws_the_map_in_place(page, preview, errors):
    with page.expect_response("**/placement-preview/**"):
        page.select_option("select[name=az]", "az0")
    page.wait_for_url("**az=az0**")

    page.wait_for_selector("details.map-zone[data-zone=az0][open] canvas:not([data-cells='0'])")
    assert page.locator("details.map-zone[data-zone=az1]").get_attribute("open") is None
    canvas = open_canvas(page)
    canvas.focus()
    page.keyboard.press("Enter")
    page.get_by_test_id("host-detail").wait_for()
    assert "(zone az0" in page.get_by_test_id("host-headline").inner_text()
    assert errors == []
