"""In a real browser: the servers table (from a host, from a flavor, filtered) and the sortable
column headers of the admin tables (click sorts, the arrow shows, filters stay)."""

import pytest
from playwright.sync_api import expect

from aggregates.tests.factories import CloudFactory, FlavorFactory, HostFactory, ServerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cloud():
    cloud = CloudFactory(slug="devstack", name="DevStack")
    small = FlavorFactory(cloud=cloud, flavor_id="1", name="m1.small")
    big = FlavorFactory(cloud=cloud, flavor_id="2", name="m1.big")
    web = HostFactory(cloud=cloud, name="rack1/web", memory_mb=4_612_096)
    db = HostFactory(cloud=cloud, name="db-host", status="disabled")
    HostFactory(cloud=cloud, name="app-host")
    ServerFactory(host=web, name="alpha", flavor=small, project_id="p1")
    ServerFactory(host=web, name="bravo", flavor=big, project_id="p2", status="SHUTOFF")
    ServerFactory(host=db, name="charlie", flavor=small, status="ERROR", fault="No valid host")
    return cloud


def server_names(page) -> list[str]:
    cells = page.get_by_test_id("server-table").locator("tbody tr td:first-child")
    return [text.split()[0] for text in cells.all_inner_texts()]


def test_a_host_page_links_to_its_servers_which_filter_further(admin_page, cloud):
    page = admin_page
    page.goto("/clouds/devstack/hosts/rack1/web/")
    page.get_by_role("link", name="Servers on this host").click()

    page.wait_for_url("**/clouds/devstack/servers/?host=rack1%2Fweb")
    expect(page.locator("h1")).to_have_text("Servers")
    assert server_names(page) == ["alpha", "bravo"]

    page.get_by_label("Status").select_option("SHUTOFF")
    expect(page.get_by_test_id("server-table").locator("tbody tr")).to_have_count(1)
    assert server_names(page) == ["bravo"]
    assert "status=SHUTOFF" in page.url and "host=rack1%2Fweb" in page.url


def test_a_flavor_page_links_to_its_servers_with_status_and_fault(admin_page, cloud):
    page = admin_page
    page.goto("/clouds/devstack/flavors/1/")
    page.get_by_role("link", name="Servers of this flavor").click()

    page.wait_for_url("**/clouds/devstack/servers/?flavor=1")
    assert server_names(page) == ["alpha", "charlie"]
    expect(page.get_by_test_id("server-fault")).to_have_text("(No valid host)")
    page.get_by_role("link", name="db-host").click()
    expect(page.locator("h1")).to_have_text("db-host")


def host_names(page) -> list[str]:
    return page.get_by_test_id("host-table").locator("tbody tr td:first-child").all_inner_texts()


def test_a_header_click_sorts_shows_the_arrow_toggles_and_keeps_the_filter(admin_page, cloud):
    page = admin_page
    page.goto("/clouds/devstack/hosts/?status=enabled&page=1")
    header = page.get_by_role("columnheader", name="Host")
    link = header.get_by_role("link")

    link.click()
    page.wait_for_url("**/hosts/?status=enabled&sort=name")
    expect(header).to_have_attribute("aria-sort", "ascending")
    expect(header).to_contain_text("▲")
    assert host_names(page) == ["app-host", "rack1/web"]  # db-host is disabled: filtered out

    header.get_by_role("link").focus()  # a real link: the keyboard reaches and follows it
    page.keyboard.press("Enter")
    page.wait_for_url("**/hosts/?status=enabled&sort=-name")
    expect(header).to_have_attribute("aria-sort", "descending")
    expect(header).to_contain_text("▼")
    assert host_names(page) == ["rack1/web", "app-host"]
    expect(page.get_by_label("Status")).to_have_value("enabled")


def test_sorting_the_servers_by_host_and_sizes_in_units(admin_page, cloud):
    page = admin_page
    page.goto("/clouds/devstack/servers/")
    page.get_by_role("columnheader", name="Host").get_by_role("link").click()
    page.wait_for_url("**/servers/?sort=host")
    assert server_names(page) == ["charlie", "alpha", "bravo"]

    page.goto("/clouds/devstack/hosts/rack1/web/")
    expect(page.locator("table").first).to_contain_text("4.4 TiB")
