"""In a real browser: the drain plan of the CLI tour's devstack, a what-if, the CSV download."""

import json
from urllib.parse import quote

import pytest

from aggregates.tests.tour import tour_with_cool_servers
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_drain_devstack_then_what_if_compute2_joins_aggregate1(page, admin_user):
    tour_with_cool_servers(admin_user)
    sign_in(page, "alice-admin", "pw-alice-admin")
    page.goto("/clouds/devstack/")
    page.get_by_role("link", name="Drain plan").click()

    page.select_option("select[name=drain]", "host:devstack")
    page.get_by_role("button", name="Plan the drain").click()

    summary = page.get_by_test_id("drain-summary")
    assert "2 of 2 servers fit nowhere" in summary.inner_text()
    moves = page.get_by_test_id("drain-moves").inner_text()
    assert "AggregateInstanceExtraSpecsFilter rejects 1 host (compute-2:" in moves
    with page.expect_download() as download_info:
        page.get_by_test_id("drain-csv").click()
    csv_text = download_info.value.path().read_text()
    assert csv_text.splitlines()[0].startswith("server,uuid,from host")
    assert csv_text.count("AggregateInstanceExtraSpecsFilter") == 2

    change = [{"action": "add_host", "aggregate": "test-aggregate1", "host": "compute-2"}]
    page.fill("input[name=changes]", json.dumps(change))
    page.get_by_role("button", name="Plan the drain").click()
    assert "Every server is placed (2)" in page.get_by_test_id("drain-summary").inner_text()
    assert page.get_by_test_id("drain-moves").inner_text().count("compute-2") == 2


def test_a_bad_target_is_shown_on_the_page_naming_the_field(page, admin_user):
    tour_with_cool_servers(admin_user)
    sign_in(page, "alice-admin", "pw-alice-admin")

    page.goto(f"/clouds/devstack/plan/drain/?drain={quote('zone:atlantis')}")

    error = page.get_by_test_id("drain-error")
    assert "zone" in error.inner_text()
    assert "atlantis could not be found" in error.inner_text()
