"""In a real browser at phone width (390 px): the site's links behind a Menu button, operable by
keyboard; the skip link; the preview's explanation keeps its verdict and reason in view."""

import pytest
from playwright.sync_api import expect

from aggregates.demo import tour
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


def focused(page) -> str:
    return page.evaluate("document.activeElement.textContent.trim()")


def tab_through(page, steps: int) -> list[str]:
    """What the focus lands on at each of `steps` presses of Tab."""
    landed = []
    for _ in range(steps):
        page.keyboard.press("Tab")
        landed.append(focused(page))
    return landed


def test_the_menu_button_opens_and_closes_the_site_links(phone):
    phone.goto("/")
    menu = phone.get_by_role("button", name="Menu")
    roadmap = phone.locator("#site-nav").get_by_role("link", name="Roadmap")
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(roadmap).to_be_hidden()

    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(roadmap).to_be_visible()

    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(roadmap).to_be_hidden()


def test_the_keyboard_reaches_the_menu_its_links_and_escape_closes_it(phone):
    phone.goto("/")
    menu = phone.get_by_role("button", name="Menu")

    assert tab_through(phone, 3) == ["Skip to content", "Stackboard", "Menu"]
    phone.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    assert tab_through(phone, 2) == ["Overview", "Clouds"]

    phone.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    assert focused(phone) == "Menu"
    phone.keyboard.press("Tab")  # the folded links are skipped: focus goes on to the page
    assert focused(phone) not in ("Overview", "Clouds", "Roadmap")


def test_at_laptop_width_the_links_show_and_the_menu_button_does_not(page):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto("/")

    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.locator("#site-nav").get_by_role("link", name="Roadmap")).to_be_visible()


def test_the_skip_link_moves_focus_to_the_main_content(phone):
    phone.goto("/")

    phone.keyboard.press("Tab")
    skip = phone.get_by_role("link", name="Skip to content")
    expect(skip).to_be_in_viewport()
    phone.keyboard.press("Enter")

    assert phone.evaluate("document.activeElement.id") == "content"


def test_the_explanation_keeps_verdict_and_reason_in_view(phone, admin_user):
    tour._seed_devstack(admin_user)
    sign_in(phone, "alice-admin", "pw-alice-admin")

    phone.goto("/clouds/devstack/placement-preview/?flavor=100&az=test-az&host=devstack")

    table = phone.get_by_test_id("host-detail").locator("table.step-table")
    table.scroll_into_view_if_needed()
    for column in ("Verdict", "Why"):
        box = table.get_by_role("columnheader", name=column).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], column
    reason = table.locator("tbody tr").first.locator("td").nth(2).bounding_box()
    assert reason["x"] + reason["width"] <= PHONE["width"]
    assert phone.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_a_wide_table_scrolls_inside_its_own_box_not_the_page(phone, admin_user):
    tour._seed_devstack(admin_user)
    sign_in(phone, "alice-admin", "pw-alice-admin")

    phone.goto("/clouds/devstack/hosts/")

    table = phone.locator("main table").first
    inner, box = table.evaluate("t => [t.scrollWidth, t.clientWidth]")
    assert inner > box  # more columns than fit: the table's own box scrolls...
    assert phone.evaluate(  # ...and the page does not
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    # The sections strip scrolls too, with the current section brought into it.
    current = phone.locator(".cloud-nav a[aria-current]").bounding_box()
    assert current["x"] >= 0 and current["x"] + current["width"] <= PHONE["width"]
