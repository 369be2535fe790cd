"""In a real browser: filter the blueprint list (htmx, address kept) and open a blueprint."""

import pytest
from playwright.sync_api import expect

from roadmap.importers.release_calendar import load_release_calendar
from roadmap.models import Milestone, Series
from roadmap.tests.factories import ProjectFactory, make_blueprint, milestone
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def nova():
    # Transactional tests flush the tables, the migration's release calendar too: reload it.
    load_release_calendar(Series, Milestone)
    nova = ProjectFactory(name="nova", title="OpenStack Compute (nova)")
    base = make_blueprint(
        nova,
        "virt-driver-numa-placement",
        title="NUMA placement",
        tags=["nfv"],
        milestone=milestone("juno-3"),
    )
    make_blueprint(
        nova,
        "virt-driver-large-pages",
        title="Huge pages for guests",
        tags=["nfv"],
        milestone=milestone("juno-3"),
        dependencies=[base],
        priority="High",
    )
    make_blueprint(
        nova,
        "scheduler-lib",
        title="Scheduler library",
        tags=["scheduler"],
        milestone=milestone("juno-2"),
    )
    return nova


def test_filter_the_list_and_open_a_blueprint(page, nova):
    page.goto("/roadmap/blueprints/")
    rows = page.get_by_test_id("blueprint-row")
    assert rows.count() == 3

    with page.expect_response("**/roadmap/blueprints/?*tag=nfv*") as response_info:
        page.fill("input[name=tag]", "nfv")
    assert response_info.value.request.headers.get("hx-request") == "true"
    # Locator waits, not wait_for_function: a string predicate is eval, which our CSP forbids.
    expect(rows).to_have_count(2)
    assert "tag=nfv" in page.url  # the filter lives in the address (hx-push-url)
    assert "Scheduler library" not in page.get_by_test_id("blueprint-table").inner_text()

    page.select_option("select[name=priority]", "High")
    expect(rows).to_have_count(1)
    assert "priority=High" in page.url and "tag=nfv" in page.url

    page.click("text=Huge pages for guests")
    page.wait_for_url("**/roadmap/projects/nova/blueprints/virt-driver-large-pages/")
    assert page.get_by_test_id("blueprint-title").inner_text() == "Huge pages for guests"
    assert "nova/virt-driver-numa-placement" in page.get_by_test_id("dependencies").inner_text()

    page.go_back()
    page.wait_for_url("**tag=nfv**")
    assert page.locator("input[name=tag]").input_value() == "nfv"


def test_milestone_page_draws_the_burndown(page, nova):
    page.goto("/roadmap/milestones/juno-3/?project=nova")
    page.locator("[data-testid=burndown] canvas").first.wait_for()
    assert page.locator("[data-testid=burndown] .u-legend").count() == 1


def test_a_lead_is_refused_a_cycle_in_the_form_then_saves(page, nova, lead_user):
    nova.leads.add(lead_user)
    sign_in(page, "larry-lead", "pw-larry-lead")
    page.goto("/roadmap/projects/nova/blueprints/virt-driver-numa-placement/edit/")

    page.fill("input[name=dependencies]", "virt-driver-large-pages")
    with page.expect_response("**/edit/") as response_info:
        page.click("[data-testid=blueprint-form] button[type=submit]")
    assert response_info.value.status == 422
    error = page.locator("#dependencies-error")
    error.wait_for()
    assert "would make a cycle: nova/virt-driver-numa-placement → " in error.inner_text()

    page.fill("input[name=dependencies]", "")
    page.fill("input[name=title]", "NUMA-aware placement")
    page.click("[data-testid=blueprint-form] button[type=submit]")
    page.wait_for_url("**/roadmap/projects/nova/blueprints/virt-driver-numa-placement/")
    assert page.get_by_test_id("blueprint-title").inner_text() == "NUMA-aware placement"
