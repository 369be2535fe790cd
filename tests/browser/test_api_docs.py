"""The interactive API docs render from our own static files under the Content-Security-Policy."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_renders_the_schema(page):
    requested_hosts = set()
    page.on("request", lambda request: requested_hosts.add(request.url.split("/")[2]))

    page.goto("/api/docs/")

    page.locator(".swagger-ui .info .title").wait_for()
    assert "Stackboard API" in page.locator(".swagger-ui .info .title").inner_text()
    assert len(requested_hosts) == 1  # everything came from the site itself
