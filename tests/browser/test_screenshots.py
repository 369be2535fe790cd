"""Screenshots of the pages people live in, at a laptop's width and a phone's (issue 18,
acceptance 3): each written to screenshots/ (git-ignored) to look at; at phone width none may
scroll the page sideways, and at either width none may log a console error."""

from pathlib import Path

import pytest

from aggregates.demo import tour
from aggregates.demo.synthetic import build_cloud
from roadmap.models import Series
from roadmap.tests.factories import (
    ActionItemFactory,
    BoardItemFactory,
    BoardMeetingFactory,
    ProjectFactory,
    make_blueprint,
)
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
WIDTHS = {"desktop": (1366, 768), "phone": (390, 844)}


@pytest.fixture
def pages(page, admin_user):
    """Name → how to open it: a path, or a function that leaves the page where it is to be seen."""
    tour._seed_devstack(admin_user)
    big = build_cloud("map", 300)
    big_flavor = big.flavors.order_by("vcpus").first().flavor_id
    nova = ProjectFactory(name="nova")
    for name in ("cells-v2", "placement-api", "numa-topology"):
        make_blueprint(nova, name, series=Series.objects.get(name="Juno"))
    meeting = BoardMeetingFactory(title="September board meeting")
    ActionItemFactory(item=BoardItemFactory(meeting=meeting, topic="Interop guidelines"))
    sign_in(page, "alice-admin", "pw-alice-admin")

    def what_if():
        page.goto("/clouds/devstack/placement-preview/?flavor=100&az=test-az")
        form = page.get_by_test_id("change-form")
        form.locator("select[name=action]").select_option("add_host")
        form.locator("input[name=aggregate]").fill("test-aggregate1")
        form.locator("input[name=host]").fill("devstack")
        form.get_by_role("button", name="Add change").click()
        page.get_by_test_id("pending-changes").locator("li.pending-change").wait_for()

    def preview(path: str):
        def open_it():
            page.goto(path)
            page.wait_for_selector("details[open] canvas.host-canvas:not([data-cells='0'])")

        return open_it

    def series():
        page.goto("/roadmap/series/juno/?project=nova")
        page.locator("[data-testid=burndown] canvas").first.wait_for()

    return {
        "overview": "/",
        "cloud": "/clouds/devstack/",
        "hosts": "/clouds/map/hosts/",
        "preview-2-hosts": preview("/clouds/devstack/placement-preview/?flavor=100&az=test-az"),
        "preview-300-hosts": preview(f"/clouds/map/placement-preview/?flavor={big_flavor}&az=az1"),
        "what-if": what_if,
        "series": series,
        "board-meeting": f"/board/meetings/{meeting.pk}/",
    }


@pytest.mark.parametrize("width", WIDTHS)
def test_pages_render_without_sideways_scroll_or_console_errors(page, pages, width):
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    SCREENSHOTS.mkdir(exist_ok=True)
    problems = {}

    for name, how in pages.items():
        errors.clear()
        page.goto(how) if isinstance(how, str) else how()
        page.wait_for_load_state("networkidle")
        page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
        scroll, client = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        found = list(errors)
        if width == "phone" and scroll > client:
            found.append(f"scrolls sideways: {scroll} px of content in {client} px")
        if found:
            problems[name] = found
    if width == "phone":
        page.goto("/")
        page.get_by_role("button", name="Menu").click()
        page.screenshot(path=SCREENSHOTS / "menu-open-phone.png")

    assert problems == {}
