"""In a real browser: the CLI tour in the placement preview, what-if, apply, a click on the map."""

import pytest

from aggregates.demo import tour as demo
from aggregates.models import Aggregate
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_cli_tour_in_the_preview_page_then_what_if_and_apply(page, admin_user):
    demo._seed_devstack(admin_user)
    sign_in(page, "alice-admin", "pw-alice-admin")
    page.goto("/clouds/devstack/")
    page.get_by_test_id("placement-preview-link").click()
    # The form's htmx triggers are bound once the page has loaded; a change made before is lost.
    page.wait_for_url("**/placement-preview/", wait_until="load")

    page.select_option("select[name=flavor]", "100")
    with page.expect_response("**/placement-preview/**") as response_info:
        page.select_option("select[name=az]", "test-az")
    assert response_info.value.request.headers.get("hx-request") == "true"
    page.wait_for_url("**az=test-az**")

    why = page.get_by_test_id("why-form")
    why.locator("input[name=host]").fill("devstack")
    why.locator("button").click()
    detail = page.get_by_test_id("host-detail")
    detail.wait_for()
    assert "AggregateInstanceExtraSpecsFilter" in detail.inner_text()
    assert "coolhardware" in detail.inner_text()

    form = page.get_by_test_id("change-form")
    form.locator("select[name=action]").select_option("add_host")
    form.locator("input[name=aggregate]").fill("test-aggregate1")
    form.locator("input[name=host]").fill("devstack")
    form.locator("button").click()
    page.get_by_test_id("hosts-gained").wait_for()
    assert page.get_by_test_id("hosts-gained").inner_text() == "devstack"
    assert not Aggregate.objects.get(name="test-aggregate1").hosts.exists()

    page.get_by_test_id("apply-changes").click()
    page.wait_for_selector("text=Applied 1 change(s).")
    assert page.get_by_test_id("best-host").inner_text() == "devstack"
    assert Aggregate.objects.get(name="test-aggregate1").hosts.filter(name="devstack").exists()


def test_a_what_if_change_nova_would_refuse_is_marked_and_left_out(page, admin_user):
    demo._seed_devstack(admin_user)
    sign_in(page, "alice-admin", "pw-alice-admin")
    page.goto("/clouds/devstack/placement-preview/?flavor=100")

    form = page.get_by_test_id("change-form")
    form.locator("select[name=action]").select_option("set_metadata")
    form.locator("input[name=aggregate]").fill("test-aggregate1")
    form.locator("input[name=key]").fill("availability_zone")
    form.locator("input[name=value]").fill("other-az")
    form.locator("button").click()
    page.get_by_test_id("what-if").wait_for()
    form = page.get_by_test_id("change-form")
    form.locator("select[name=action]").select_option("add_host")
    form.locator("input[name=aggregate]").fill("test-aggregate1")
    form.locator("input[name=host]").fill("devstack")
    form.locator("button").click()

    refused = page.get_by_test_id("change-refused")
    refused.wait_for()
    assert refused.count() == 1
    assert "add host devstack to test-aggregate1" in refused.inner_text()
    assert "(409)" in refused.inner_text()
    assert "One or more hosts already in availability zone(s) ['test-az']" in refused.inner_text()
    # The after side never sees the refused change: no host is gained, no impossible zone shows.
    assert page.get_by_test_id("hosts-gained").inner_text() == "none"
    assert page.locator(".map-zone[data-zone='other-az,test-az']").count() == 0
