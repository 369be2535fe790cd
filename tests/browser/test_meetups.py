"""In a real browser: a member RSVPs through the page; a script in a board summary never runs."""

import pytest

from roadmap.models import Rsvp
from roadmap.tests.factories import BoardItemFactory, MeetupFactory
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_rsvps_to_a_meetup_through_the_page(page, member_user):
    meetup = MeetupFactory(title="Nova Kilo mid-cycle meetup", upcoming=True)
    sign_in(page, "mike-member", "pw-mike-member")

    page.goto(f"/meetups/{meetup.pk}/")
    page.get_by_label("Going", exact=True).check()
    with page.expect_response(f"**/meetups/{meetup.pk}/rsvp/") as response_info:
        page.get_by_role("button", name="Send my answer").click()

    assert response_info.value.status == 200
    assert response_info.value.request.headers.get("hx-request") == "true"
    assert page.get_by_test_id("my-response").inner_text() == "going"
    assert "mike-member: Going" in page.get_by_test_id("attendees").inner_text()
    assert Rsvp.objects.get(meetup=meetup, user=member_user).response == "going"

    page.get_by_label("Not going").check()
    page.get_by_role("button", name="Send my answer").click()
    page.get_by_test_id("my-response").filter(has_text="not-going").wait_for()
    assert Rsvp.objects.get(meetup=meetup, user=member_user).response == "not-going"


def test_a_script_in_a_board_summary_does_not_execute(page):
    item = BoardItemFactory(
        topic="Platinum sponsor spot",
        summary=(
            "**Rendered** summary\n\n<script>window.__xss = 'script'</script>\n\n"
            '<img src="x" onerror="window.__xss = \'onerror\'">\n\n'
            "[click](javascript:window.__xss='link')"
        ),
    )
    errors = []
    page.on("pageerror", lambda error: errors.append(error))

    page.goto(f"/board/items/{item.pk}/")
    page.wait_for_load_state("load")

    assert page.evaluate("window.__xss") is None
    summary = page.get_by_test_id("summary")
    assert summary.locator("strong").inner_text() == "Rendered"
    assert summary.locator("script").count() == 0
    summary.get_by_text("click").click()
    assert page.evaluate("window.__xss") is None
    assert errors == []
