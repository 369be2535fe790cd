"""In a real browser: the CLI tour of DESIGN.md through the pages yields Nova's state; the
conflicting-zone add is refused on the page and changes nothing."""

import pytest

from aggregates.models import Aggregate, Cloud
from aggregates.tests.tour import NOVA_AFTER_TOUR, tour_state
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit(page, label: str) -> None:
    page.click(f"main button:has-text('{label}')")


def create_aggregate(page, name: str, zone: str = "") -> None:
    page.goto("/clouds/devstack/aggregates/new/")
    page.fill("#id_name", name)
    page.fill("#id_availability_zone", zone)
    submit(page, "Create aggregate")
    page.wait_for_selector(f"[data-testid=aggregate-name]:has-text('{name}')")


def test_cli_tour_through_the_pages_matches_nova(page, admin_user):
    sign_in(page, "alice-admin", "pw-alice-admin")

    page.goto("/clouds/new/")
    page.fill("#id_slug", "devstack")
    page.fill("#id_name", "DevStack")
    submit(page, "Create cloud")
    page.wait_for_url("**/clouds/devstack/")

    for name, vcpus, ram, disk in (("devstack", 8, 16384, 200), ("compute-2", 4, 8192, 100)):
        page.goto("/clouds/devstack/hosts/new/")
        page.fill("#id_name", name)
        page.fill("#id_vcpus", str(vcpus))
        page.fill("#id_memory_mb", str(ram))
        page.fill("#id_local_gb", str(disk))
        submit(page, "Add host")
        page.wait_for_url("**/clouds/devstack/hosts/")

    create_aggregate(page, "test-aggregate1")
    create_aggregate(page, "test-aggregate2", "test-az")
    host_input = page.locator("[data-testid=add-host-form] input[name=host]")
    host_input.press_sequentially("dev")
    page.wait_for_selector("#host-options option[value=devstack]", state="attached")
    host_input.fill("devstack")
    submit(page, "Add host")
    page.wait_for_selector("[data-testid=aggregate-hosts] a:has-text('devstack')")

    page.goto("/clouds/devstack/aggregates/")
    page.click("text=test-aggregate1")
    page.fill("[data-testid=metadata-form] input[name=key]", "coolhardware")
    page.fill("[data-testid=metadata-form] input[name=value]", "true")
    submit(page, "Set")
    page.wait_for_selector("[data-testid=aggregate-metadata] code:has-text('coolhardware')")

    page.goto("/clouds/devstack/flavors/new/")
    page.fill("#id_flavor_id", "100")
    page.fill("#id_name", "m1.coolhardware")
    page.fill("#id_vcpus", "2")
    page.fill("#id_ram", "2048")
    page.fill("#id_disk", "20")
    submit(page, "Create flavor")
    page.wait_for_url("**/clouds/devstack/flavors/100/")
    page.fill("[data-testid=extra-spec-form] input[name=key]", "coolhardware")
    page.fill("[data-testid=extra-spec-form] input[name=value]", "true")
    submit(page, "Set")
    page.wait_for_selector("[data-testid=flavor-extra-specs] code:has-text('coolhardware')")

    cloud = Cloud.objects.get(slug="devstack")
    assert tour_state(cloud) == NOVA_AFTER_TOUR
    page.goto("/clouds/devstack/availability-zones/")
    zones = page.locator("[data-testid=zone-table] tbody tr td:first-child").all_inner_texts()
    assert zones == ["nova", "test-az"]

    create_aggregate(page, "test-aggregate3", "other-az")
    page.fill("[data-testid=add-host-form] input[name=host]", "devstack")
    submit(page, "Add host")
    error = page.get_by_test_id("host-error")
    error.wait_for()
    assert "One or more hosts already in availability zone(s) ['test-az']" in error.inner_text()
    assert "devstack" in error.inner_text()
    assert not Aggregate.objects.get(name="test-aggregate3").hosts.exists()
