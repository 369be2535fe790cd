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

    page.select_option("select[name=flavor]", "100")
    with page.expect_response("**/placement-preview/**") as response_info:
        page.select_option("select[name=az]", "test-az")
    assert response_info.value.request.headers.get("hx-request") == "true"
    page.wait_for_url("**az=test-az**")

    page.click(".host-map .cell[data-host=devstack]")
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
