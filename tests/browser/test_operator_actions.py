"""In a real browser: an operator's daily actions (issue #18, missing actions) - disable and
enable a compute service with a reason, edit and delete a cloud, delete a flavor, share a
private flavor, delete a local cloud's host."""

import pytest

from aggregates.demo import tour as demo
from aggregates.models import Cloud, Flavor, Host
from aggregates.tests.factories import FlavorFactory, ServerFactory
from dashboard.models import AuditEntry
from tests.browser.conftest import rename_then_delete_host, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tour_page(page, admin_user):
    demo._seed_devstack(admin_user)
    sign_in(page, "alice-admin", "pw-alice-admin")
    return page


def test_disable_with_a_reason_shows_on_host_page_list_and_preview_then_enable(tour_page):
    page = tour_page
    page.goto("/clouds/devstack/hosts/devstack/")
    status = page.get_by_test_id("host-status")
    status.get_by_label("Reason for disabling").fill("disk replacement <b>today</b>")
    with page.expect_response("**/status/") as response_info:
        status.get_by_role("button", name="Disable service").click()
    assert response_info.value.request.headers.get("hx-request") == "true"
    reason = page.get_by_test_id("host-disabled-reason")
    reason.wait_for()
    assert reason.inner_text() == "disk replacement <b>today</b>"  # escaped, not markup
    assert page.get_by_test_id("host-service-status").inner_text() == "disabled"
    host = Host.objects.get(name="devstack")
    assert (host.status, host.disabled_reason) == ("disabled", "disk replacement <b>today</b>")
    assert AuditEntry.objects.filter(object_type="aggregates.host", action="update").exists()

    page.goto("/clouds/devstack/hosts/")
    assert "disk replacement <b>today</b>" in page.get_by_test_id("host-table").inner_text()

    page.goto("/clouds/devstack/placement-preview/?flavor=100&host=devstack")
    rows = page.get_by_test_id("host-detail").locator("tr", has_text="ComputeFilter")
    assert "rejects" in rows.inner_text()
    assert "service disabled (disk replacement <b>today</b>)" in rows.inner_text()

    page.goto("/clouds/devstack/hosts/devstack/")
    page.get_by_role("button", name="Enable service").click()
    page.get_by_role("button", name="Disable service").wait_for()
    assert page.get_by_test_id("host-service-status").inner_text() == "enabled"
    assert page.get_by_test_id("host-disabled-reason").count() == 0
    host.refresh_from_db()
    assert (host.status, host.disabled_reason) == ("enabled", "")


def test_a_reason_longer_than_novas_limit_is_refused_in_place(tour_page):
    page = tour_page
    page.goto("/clouds/devstack/hosts/devstack/")
    reason = page.get_by_label("Reason for disabling")
    reason.evaluate("input => input.removeAttribute('maxlength')")
    reason.fill("x" * 256)
    page.get_by_role("button", name="Disable service").click()
    page.get_by_test_id("host-status").get_by_role("alert").wait_for()
    assert "255 characters" in page.get_by_test_id("host-status").inner_text()
    assert page.locator("header.site-header").count() == 1
    assert Host.objects.get(name="devstack").status == "enabled"


def test_edit_a_cloud_then_delete_it_after_a_confirmation_naming_what_goes(tour_page):
    page = tour_page
    page.goto("/clouds/devstack/")
    page.get_by_test_id("cloud-edit-link").click()
    page.fill("#id_name", "DevStack West")
    page.fill("#id_region", "RegionTwo")
    page.get_by_role("button", name="Save cloud").click()
    page.wait_for_url("**/clouds/devstack/")
    assert "DevStack West" in page.locator("h1").inner_text()
    assert Cloud.objects.get(slug="devstack").region == "RegionTwo"

    page.get_by_role("button", name="Delete cloud").click()
    confirm = page.get_by_test_id("delete-confirm")
    confirm.wait_for()
    text = confirm.inner_text()
    assert "2 hosts" in text and "2 aggregates" in text and "6 flavors" in text
    assert "0 servers" in text and "sync run" in text
    assert Cloud.objects.filter(slug="devstack").exists()  # asking deletes nothing

    confirm.get_by_role("button", name="Delete cloud DevStack West").click()
    page.wait_for_url("**/clouds/")
    assert page.locator("header.site-header").count() == 1
    assert "Cloud DevStack West deleted" in page.locator("#messages").inner_text()
    assert not Cloud.objects.filter(slug="devstack").exists()
    assert not Host.objects.filter(name="devstack").exists()
    assert AuditEntry.objects.filter(object_type="aggregates.cloud", action="delete").exists()


def test_delete_a_flavor_in_use_says_its_servers_keep_running(tour_page):
    page = tour_page
    flavor = Flavor.objects.get(flavor_id="100")
    ServerFactory(host=Host.objects.get(name="devstack"), flavor=flavor, name="web-1")
    page.goto("/clouds/devstack/flavors/100/")
    page.get_by_role("button", name="Delete flavor").click()
    confirm = page.get_by_test_id("delete-confirm")
    confirm.wait_for()
    assert "1 server still use it (web-1)" in confirm.inner_text()
    assert "Nova allows deleting a flavor in use" in confirm.inner_text()

    confirm.get_by_role("button", name="Delete flavor m1.coolhardware").click()
    page.wait_for_url("**/clouds/devstack/flavors/")
    assert "Flavor m1.coolhardware deleted." in page.locator("#messages").inner_text()
    assert not Flavor.objects.filter(flavor_id="100").exists()
    assert "m1.coolhardware" not in page.get_by_test_id("flavor-table").inner_text()
    assert "m1.tiny" in page.get_by_test_id("flavor-table").inner_text()


def test_share_a_private_flavor_with_a_project_then_stop(tour_page):
    page = tour_page
    cloud = Cloud.objects.get(slug="devstack")
    FlavorFactory(cloud=cloud, flavor_id="p1", name="private.one", is_public=False)
    page.goto("/clouds/devstack/flavors/p1/")
    access = page.locator("#flavor-access")
    access.get_by_label("Project id").fill("tenant-a")
    access.get_by_role("button", name="Share").click()
    page.get_by_test_id("flavor-access").get_by_text("tenant-a").wait_for()
    assert Flavor.objects.get(flavor_id="p1").access_project_ids == ["tenant-a"]

    page.locator("#flavor-access").get_by_label("Project id").fill("tenant-a")
    page.locator("#flavor-access").get_by_role("button", name="Share").click()
    page.locator("#flavor-access").get_by_role("alert").wait_for()
    assert "already exists" in page.locator("#flavor-access").inner_text()

    page.locator("#flavor-access").get_by_role("button", name="Remove").click()
    page.get_by_text("No project may use it yet.").wait_for()
    assert Flavor.objects.get(flavor_id="p1").access_project_ids == []


def test_a_local_host_with_servers_cannot_be_deleted_and_one_without_can(tour_page):
    page = tour_page
    ServerFactory(host=Host.objects.get(name="devstack"), name="db-1")
    page.goto("/clouds/devstack/hosts/devstack/")
    page.get_by_role("button", name="Delete host").click()
    refusal = page.get_by_test_id("delete-refusal")
    refusal.wait_for()
    assert "hosts instances: 1 server (db-1)" in refusal.inner_text()
    assert "test-aggregate2" in page.get_by_test_id("delete-confirm").inner_text()
    assert page.get_by_role("button", name="Delete host devstack").count() == 0

    page.goto("/clouds/devstack/hosts/compute-2/")
    rename_then_delete_host(page, "compute-2b")
    assert not Host.objects.filter(name__startswith="compute-2").exists()
