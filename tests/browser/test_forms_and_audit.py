"""In a real browser: a refused form lists all its errors with the ranges they break, and the
audit log then reads as what changed, with a link to the object (issue #18)."""

import pytest
from playwright.sync_api import expect

from aggregates.models import Flavor
from aggregates.tests.factories import CloudFactory, HostFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_flavor_form_shows_every_error_at_once_naming_the_ranges(admin_page):
    page = admin_page
    CloudFactory(slug="devstack")
    page.goto("/clouds/devstack/flavors/new/")

    page.fill("#id_vcpus", "0")
    page.fill("#id_ram", "99999999999")
    page.get_by_role("button", name="Create flavor").click()

    errors = page.get_by_test_id("form-errors")
    expect(errors).to_contain_text("Name: This field is required.")
    expect(errors).to_contain_text("vCPUs: Must be between 1 and 2,147,483,647.")
    expect(errors).to_contain_text("RAM (MB): Must be between 1 and 2,147,483,647 MB.")
    assert not Flavor.objects.exists()


def test_the_audit_log_shows_a_host_edit_in_words_and_links_to_the_host(admin_page):
    page = admin_page
    HostFactory(cloud=CloudFactory(slug="devstack"), name="compute-1", vcpus=8)
    page.goto("/clouds/devstack/hosts/compute-1/")
    page.get_by_test_id("host-edit-link").click()
    page.fill("#id_vcpus", "16")
    page.get_by_role("button", name="Save host").click()
    page.wait_for_url("**/hosts/compute-1/")

    page.goto("/audit-log/?object_type=aggregates.host")

    expect(page.get_by_test_id("audit-changes").first).to_contain_text("vCPUs: 8 → 16")
    page.get_by_test_id("audit-object").first.get_by_role("link", name="compute-1").click()
    page.wait_for_url("**/clouds/devstack/hosts/compute-1/")
