"""In a real browser: a server's migration targets from the host page, why a server failed, CSV."""

from datetime import timedelta

import pytest
from django.utils import timezone

from aggregates import utilisation
from aggregates.choices import ServerStatus
from aggregates.models import Flavor, Host
from aggregates.tests.factories import CloudFactory, FlavorFactory, HostFactory, ServerFactory
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


def test_why_a_server_failed_as_the_cloud_stood_when_it_was_booted(page, admin_user):
    # Both hosts were full of vCPUs when the server failed; since then they have room.
    cloud = CloudFactory(name="history")
    hosts = [
        HostFactory(cloud=cloud, name=name, vcpus=4, vcpus_used=4, cpu_allocation_ratio=1.0)
        for name in ("full-then-a", "full-then-b")
    ]
    booted = timezone.now() - timedelta(hours=2)
    utilisation.record_utilisation_samples(cloud, at=booted - timedelta(minutes=1))
    Host.objects.filter(pk__in=[host.pk for host in hosts]).update(vcpus_used=0)
    flavor = FlavorFactory(cloud=cloud, flavor_id="2", vcpus=2, ram=512, disk=1)
    failed = ServerFactory(
        cloud=cloud, host=None, flavor=flavor, status=ServerStatus.ERROR, booted_at=booted
    )
    sign_in(page, "alice-admin", "pw-alice-admin")
    page.goto(f"/clouds/{cloud.slug}/plan/servers/{failed.uuid}/failure/")
    assert "2 of 2 hosts pass" in page.get_by_test_id("question-summary").inner_text()

    page.get_by_test_id("question-at").get_by_role("link", name="creation").click()

    page.wait_for_url("**?at=creation")
    summary = page.get_by_test_id("question-summary").inner_text()
    assert "No host passes" in summary
    assert "Replayed as the cloud stood at" in page.get_by_test_id("question-warnings").inner_text()
    first_step = page.get_by_test_id("question-steps").locator("tbody tr").first.inner_text()
    assert first_step.startswith("Placement\t2")
