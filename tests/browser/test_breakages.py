"""In a real browser: writes that leave a page, odd host names, deletes that ask first, what-if
change sets in words, and the roadmap's series and burndown (issue #18's breakages)."""

import pytest
from playwright.sync_api import expect

from aggregates.models import Aggregate, Host
from aggregates.tests.factories import AggregateFactory, CloudFactory, HostFactory
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def admin_page(page, admin_user):
    sign_in(page, "alice-admin", "pw-alice-admin")
    return page


def test_deleting_an_aggregate_goes_to_the_list(admin_page):
    page = admin_page
    aggregate = AggregateFactory(cloud=CloudFactory(slug="devstack"), name="test-aggregate1")
    page.goto(f"/clouds/devstack/aggregates/{aggregate.pk}/")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete aggregate").click()

    page.wait_for_url("**/clouds/devstack/aggregates/")
    assert page.locator("header.site-header").count() == 1
    assert "Aggregate test-aggregate1 deleted." in page.locator("#messages").inner_text()
    assert not Aggregate.objects.filter(pk=aggregate.pk).exists()


def test_a_refused_aggregate_delete_is_a_message_in_place(admin_page):
    page = admin_page
    cloud = CloudFactory(slug="devstack")
    aggregate = AggregateFactory(
        cloud=cloud, name="test-aggregate2", hosts=[HostFactory(cloud=cloud)]
    )
    page.goto(f"/clouds/devstack/aggregates/{aggregate.pk}/")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete aggregate").click()

    error = page.get_by_test_id("delete-error")
    error.wait_for()
    assert "host" in error.inner_text().lower()
    assert page.locator("header.site-header").count() == 1  # no page nested in the page
    assert page.url.endswith(f"/clouds/devstack/aggregates/{aggregate.pk}/")
    assert Aggregate.objects.filter(pk=aggregate.pk).exists()


def test_a_host_named_with_a_slash_is_listed_and_opens(admin_page):
    page = admin_page
    cloud = CloudFactory(slug="devstack")
    HostFactory(cloud=cloud, name="rack1/</script>compute")

    page.goto("/clouds/devstack/hosts/")
    page.get_by_role("link", name="rack1/</script>compute").click()

    expect(page.locator("h1")).to_contain_text("rack1/</script>compute")
    assert Host.objects.filter(name="rack1/</script>compute").exists()
