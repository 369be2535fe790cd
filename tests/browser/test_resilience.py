"""In a real browser with a real worker: the N+1 page shows progress, then the answer."""

import pytest

from aggregates.tests.tour import tour_with_cool_servers
from dashboard.celery import app as celery_app
from tests.browser.conftest import sign_in
from tests.integration.conftest import celery_worker  # noqa: F401 - the fixture

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_n_plus_one_runs_in_the_worker_and_names_the_host(page, admin_user, request, monkeypatch):
    queue = request.getfixturevalue("celery_worker")
    monkeypatch.setitem(celery_app.conf, "task_default_queue", queue)  # the page enqueues there
    tour_with_cool_servers(admin_user)
    sign_in(page, "alice-admin", "pw-alice-admin")
    page.goto("/clouds/devstack/")
    page.get_by_role("link", name="N+1").click()

    headline = page.get_by_test_id("resilience-headline")
    headline.wait_for(timeout=60_000)  # the worker answers; the page polls every second

    assert "No: losing 1 host would strand servers" in headline.inner_text()
    table = page.get_by_test_id("resilience-table").inner_text()
    assert "devstack" in table and "AggregateInstanceExtraSpecsFilter (2)" in table
    page.get_by_role("link", name="Any one zone").click()
    page.get_by_test_id("resilience-headline").wait_for(timeout=60_000)
    assert "test-az" in page.get_by_test_id("resilience-table").inner_text()
