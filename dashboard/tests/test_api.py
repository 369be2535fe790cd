"""API skeleton: root, schema, token authentication, one error format, the audit log."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from dashboard import services
from dashboard.models import ApiToken, hash_token

pytestmark = pytest.mark.django_db


def test_api_root_lists_collections_and_the_schema(anon_client):
    body = anon_client.get("/api/v1/").json()

    assert body["schema"].endswith("/api/schema/")
    assert body["audit-log"].endswith("/api/v1/audit-log/")


def test_schema_is_openapi_3(anon_client):
    response = anon_client.get("/api/schema/", headers={"Accept": "application/json"})

    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


def test_anonymous_api_reader_gets_401_json_for_private_resources(anon_client):
    response = anon_client.get(reverse("api-me"))

    assert response.status_code in (401, 403)
    assert response.json() == {
        "errors": [{"field": None, "message": "Authentication credentials were not provided."}]
    }


def test_token_authentication_identifies_the_user(member_user):
    token, key = services.create_api_token(member_user, name="script")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    body = client.get(reverse("api-me")).json()

    assert body["username"] == "mike-member"
    assert body["roles"] == []
    assert ApiToken.objects.get(pk=token.pk).key_hash == hash_token(key)


def test_a_revoked_token_is_refused(member_user):
    token, key = services.create_api_token(member_user, name="script")
    services.revoke_api_token(member_user, token_id=token.pk)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    response = client.get(reverse("api-me"))

    assert response.status_code == 401
    assert response.json()["errors"][0]["message"] == "Invalid or revoked token."


@pytest.mark.parametrize(
    ("role_client", "status"),
    [("anon", 401), ("member", 403), ("lead", 403), ("board", 403), ("admin", 200)],
    indirect=["role_client"],
)
def test_audit_log_api_is_for_admins(role_client, status):
    response = role_client.get(reverse("api-audit-log"))

    assert response.status_code == status
    if status != 200:
        assert response.json()["errors"][0]["field"] is None


def test_audit_log_api_shows_before_and_after(admin_client, member_user):
    token, _ = services.create_api_token(member_user, name="audited")
    services.revoke_api_token(member_user, token_id=token.pk)

    rows = admin_client.get(reverse("api-audit-log"), {"object_type": "dashboard.apitoken"}).json()

    by_action = {row["action"]: row for row in rows["results"]}
    assert by_action["create"]["after"]["name"] == "audited"
    assert by_action["delete"]["before"]["name"] == "audited"
    assert by_action["delete"]["after"] is None
    assert by_action["create"]["actor_name"] == "mike-member"


def test_bad_filter_value_is_a_400_naming_the_field(admin_client):
    response = admin_client.get(reverse("api-audit-log"), {"since": "yesterday-ish"})

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "since"


@pytest.mark.parametrize(
    ("since", "found"),
    [
        ("0330-08-17T06:09:18-18:17", True),  # an offset PostgreSQL refuses: compared in UTC
        ("9999-12-30T10:00:00-18:00", False),
    ],
)
def test_since_takes_any_offset_python_reads(admin_client, member_user, since, found):
    services.create_api_token(member_user, name="audited")

    response = admin_client.get(reverse("api-audit-log"), {"since": since})

    assert response.status_code == 200
    assert bool(response.json()["results"]) is found


def test_a_since_beyond_the_calendar_in_utc_is_a_400(admin_client):
    response = admin_client.get(reverse("api-audit-log"), {"since": "0001-01-01T00:00:00+18:00"})

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "since", "message": "This date-time is out of range."}
    ]


def test_unknown_api_path_is_json_404(anon_client):
    response = anon_client.get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response.json()["errors"][0]["message"]
