"""In a real browser: a server's migration targets from the host page, why a server failed, CSV."""

import pytest

from aggregates.choices import ServerStatus
from aggregates.models import Flavor
from aggregates.tests.factories import ServerFactory
from aggregates.tests.tour import tour_with_cool_servers
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_migration_targets_of_a_coolhardware_server_from_the_host_page(page, admin_user):
    tour_with_cool_servers(admin_user)
    sign_in(page, "alice-admin", "pw-alice-admin")
    page.goto("/clouds/devstack/hosts/devstack/")

    page.get_by_test_id("host-servers").get_by_role("link", name="Migration targets").first.click()

    summary = page.get_by_test_id("question-summary").inner_text()
    assert "No host passes" in summary
    steps = page.get_by_test_id("question-steps").inner_text()
    assert "AggregateInstanceExtraSpecsFilter\t1" in steps
    hosts = page.get_by_test_id("question-hosts").inner_text()
    assert "compute-2" in hosts and "devstack\t" not in hosts  # its own host is left out
    with page.expect_download() as download_info:
        page.get_by_test_id("question-csv").click()
    lines = download_info.value.path().read_text().splitlines()
    assert lines[0] == "host,passes,rejected by,reason,rank,weight,slots"
    assert lines[1].startswith("compute-2,no,AggregateInstanceExtraSpecsFilter,")


def test_why_a_server_failed_puts_the_step_rejecting_most_hosts_first(page, admin_user):
    cloud = tour_with_cool_servers(admin_user)
    flavor = Flavor.objects.get(cloud=cloud, flavor_id="100")
    failed = ServerFactory(
        cloud=cloud,
        host=None,
        flavor=flavor,
        flavor_name=flavor.name,
        status=ServerStatus.ERROR,
        fault="No valid host was found. (code 500)",
    )
    sign_in(page, "alice-admin", "pw-alice-admin")

    page.goto(f"/clouds/devstack/plan/servers/{failed.uuid}/failure/")

    assert "No valid host was found." in page.get_by_test_id("question-fault").inner_text()
    first_step = page.get_by_test_id("question-steps").locator("tbody tr").first.inner_text()
    assert first_step.startswith("AggregateInstanceExtraSpecsFilter")
    with page.expect_download() as download_info:
        page.get_by_test_id("question-csv").click()
    assert "AggregateInstanceExtraSpecsFilter" in download_info.value.path().read_text()


def test_an_unknown_server_is_shown_naming_the_field(page, admin_user):
    tour_with_cool_servers(admin_user)
    sign_in(page, "alice-admin", "pw-alice-admin")

    response = page.goto(
        "/clouds/devstack/plan/servers/00000000-0000-0000-0000-000000000000/migration-targets/"
    )

    assert response.status == 404
    assert "server" in page.get_by_test_id("question-error").inner_text()
