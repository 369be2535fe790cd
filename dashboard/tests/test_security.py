"""Security headers on every page, and the limit on failed sign-ins."""

import uuid

import pytest
from django.test import Client, override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/sign-in/", "/api/docs/", "/api/v1/"])
def test_pages_carry_a_strict_script_policy_and_the_usual_headers(anon_client, path):
    response = anon_client.get(path)

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_pages_contain_no_inline_script(anon_client):
    for path in ("/", "/sign-in/", "/api/docs/"):
        body = anon_client.get(path).content.decode()
        scripts = body.split("<script")[1:]
        assert all(" src=" in tag.split(">")[0] for tag in scripts), path


def _client_of_its_own() -> Client:
    """A client with an address no other test uses: failures are counted per address and
    username in the shared Redis, and every test starting elsewhere clears 127.0.0.1's."""
    return Client(REMOTE_ADDR=f"test-{uuid.uuid4()}")


@override_settings(STACKBOARD_SIGNIN_ATTEMPTS=3)
def test_sign_in_is_refused_after_too_many_failures(member_user):
    anon_client = _client_of_its_own()
    for _ in range(3):
        response = anon_client.post(reverse("login"), {"username": "mike-member", "password": "no"})
        assert response.status_code == 200

    refused = anon_client.post(
        reverse("login"), {"username": "mike-member", "password": "pw-mike-member"}
    )

    assert refused.status_code == 429
    assert b"Too many failed sign-ins" in refused.content
    assert "_auth_user_id" not in anon_client.session


@override_settings(STACKBOARD_SIGNIN_ATTEMPTS=3)
def test_a_successful_sign_in_resets_the_failure_count(member_user):
    anon_client = _client_of_its_own()
    for _ in range(2):
        anon_client.post(reverse("login"), {"username": "mike-member", "password": "no"})
    anon_client.post(reverse("login"), {"username": "mike-member", "password": "pw-mike-member"})
    anon_client.post(reverse("logout"))

    for _ in range(2):
        response = anon_client.post(reverse("login"), {"username": "mike-member", "password": "no"})
        assert response.status_code == 200


def test_production_cookies_are_secure(settings):
    from dashboard.tests.test_settings import PRODUCTION, run_manage

    code = (
        "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SECURE_HSTS_SECONDS > 0)"
    )
    result = run_manage("shell", "--no-imports", "-c", code, env=PRODUCTION)

    assert result.stdout.split() == ["True", "True", "True", "True"]
