"""In a real browser: sign in through the form, see the overview, make an htmx write with CSRF."""

import pytest

from dashboard.models import ApiToken
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_shows_the_overview_and_an_htmx_post_passes_csrf(page, admin_user):
    sign_in(page, "alice-admin", "pw-alice-admin")
    assert page.locator("h1").inner_text() == "Overview"
    assert page.get_by_test_id("profile-link").inner_text() == "alice-admin"

    page.click("[data-testid=profile-link]")
    page.fill("input[name=name]", "from-the-browser")
    with page.expect_response("**/profile/") as response_info:
        page.click("text=Create token")
    response = response_info.value

    assert response.status == 200
    assert response.request.headers.get("hx-request") == "true"
    page.get_by_test_id("new-token").wait_for()
    assert ApiToken.objects.filter(user=admin_user, name="from-the-browser").exists()


def test_a_wrong_password_keeps_the_reader_on_the_sign_in_page(page, admin_user):
    page.goto("/sign-in/")
    page.fill("#id_username", "alice-admin")
    page.fill("#id_password", "wrong")
    page.click("button[type=submit]")

    assert (
        page.get_by_role("alert").inner_text().startswith("Your username and password didn't match")
    )
