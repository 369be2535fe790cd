"""The audit log says what changed: the object by kind, name and link (or "(deleted)"), each
changed field in words with old → new, secrets only as "set"/"changed" — page and API alike."""

import pytest
from django.urls import reverse

from aggregates import services
from aggregates.tests.factories import AggregateFactory, CloudFactory, FlavorFactory, HostFactory
from dashboard import audit
from dashboard.models import AuditEntry

pytestmark = pytest.mark.django_db


def audit_page(client, **query) -> str:
    response = client.get(reverse("dashboard:auditentry_list"), query)
    assert response.status_code == 200
    return response.content.decode()


def audit_api(client, **query) -> list[dict]:
    response = client.get(reverse("api-audit-log"), query)
    assert response.status_code == 200
    return response.json()["results"]


def test_page_shows_a_host_edit_field_by_field_with_a_link(admin_client, admin_user):
    host = HostFactory(name="devstack", reserved_host_memory_mb=512)
    services.update_host(host, actor=admin_user, reserved_host_memory_mb=2048)

    body = audit_page(admin_client, object_type="aggregates.host")

    assert "<strong>Reserved host memory (MB)</strong>: 512 → 2,048" in body
    assert f'<a href="{host.get_absolute_url()}">devstack</a>' in body
    assert "aggregates.host #" not in body
    assert "Updated at" not in body


def test_page_names_a_deleted_object_without_a_link(admin_client, admin_user):
    flavor = FlavorFactory(name="m1.gone")
    url = flavor.get_absolute_url()
    services.delete_flavor(flavor, actor=admin_user)

    body = audit_page(admin_client, action="delete")

    assert "m1.gone <small>(deleted)</small>" in body
    assert url not in body
    assert "<strong>RAM (MB)</strong>: 2,048 → —" in body


def test_page_lists_a_metadata_key_change_in_words(admin_client, admin_user):
    aggregate = AggregateFactory(name="test-aggregate1")
    services.set_aggregate_metadata(aggregate, {"coolhardware": "true"}, actor=admin_user)

    body = audit_page(admin_client, object_type="aggregates.aggregate")

    assert "<strong>Metadata: coolhardware</strong>: — → true" in body


def test_page_escapes_object_names(admin_client, admin_user):
    host = HostFactory(name="<script>x</script>")
    services.update_host(host, actor=admin_user, vcpus=16)

    body = audit_page(admin_client, object_type="aggregates.host")

    assert "<script>x</script>" not in body
    assert "&lt;script&gt;x&lt;/script&gt;" in body


def record_secret_change(actor) -> None:
    cloud = CloudFactory(slug="secretive")
    audit.record(
        actor=actor,
        obj=cloud,
        action=AuditEntry.Action.UPDATE,
        before={"scheduler_config": {"password": "hunter2"}, "token": "tok-old"},
        after={
            "scheduler_config": {"password": "s3cret-new", "application_credential_secret": "a"},
            "token": "tok-new",
        },
    )


def test_page_never_shows_secrets(admin_client, admin_user):
    record_secret_change(admin_user)

    body = audit_page(admin_client, object_type="aggregates.cloud")

    for secret in ("hunter2", "s3cret-new", "tok-old", "tok-new"):
        assert secret not in body
    assert "<strong>Scheduler option: password</strong>: changed" in body
    assert "<strong>Scheduler option: application_credential_secret</strong>: set" in body
    assert "<strong>Token</strong>: changed" in body


def test_api_entry_has_kind_name_url_and_changes(admin_client, admin_user):
    host = HostFactory(name="devstack", vcpus=8)
    services.update_host(host, actor=admin_user, vcpus=16)

    (row,) = audit_api(admin_client, object_type="aggregates.host")

    assert row["object_kind"] == "Host"
    assert row["object_name"] == "devstack"
    assert row["object_url"] == f"http://testserver{host.get_absolute_url()}"
    assert row["object_exists"] is True
    assert row["changes"] == [
        {
            "field": "vcpus",
            "label": "vCPUs",
            "old": 8,
            "new": 16,
            "hidden": False,
            "summary": "8 → 16",
        }
    ]


def test_api_entry_of_a_deleted_object_has_no_url(admin_client, admin_user):
    flavor = FlavorFactory(name="m1.gone")
    services.delete_flavor(flavor, actor=admin_user)

    (row,) = audit_api(admin_client, action="delete")

    assert (row["object_name"], row["object_url"], row["object_exists"]) == ("m1.gone", None, False)


def test_api_never_shows_secrets(admin_client, admin_user):
    record_secret_change(admin_user)

    (row,) = audit_api(admin_client, object_type="aggregates.cloud")

    text = str(row)
    for secret in ("hunter2", "s3cret-new", "tok-old", "tok-new"):
        assert secret not in text
    token = next(change for change in row["changes"] if change["field"] == "token")
    assert token == {
        "field": "token",
        "label": "Token",
        "old": None,
        "new": None,
        "hidden": True,
        "summary": "changed",
    }


@pytest.mark.parametrize("rows", [1, 20])
def test_audit_log_queries_do_not_grow_with_rows(
    rows, admin_client, admin_user, django_assert_max_num_queries
):
    cloud = CloudFactory()
    for n in range(rows):
        host = HostFactory(cloud=cloud)
        services.update_host(host, actor=admin_user, vcpus=9 + n)
        AggregateFactory(cloud=cloud, hosts=[host])
    with django_assert_max_num_queries(10):
        audit_page(admin_client)
    with django_assert_max_num_queries(10):
        audit_api(admin_client)
