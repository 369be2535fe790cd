"""While Redis, the cache, is unreachable the site still serves: API throttles and the sign-in
limit let requests through uncounted (the fault stage does the same with Redis really stopped)."""

import pytest
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: every cache call fails at once with redis' ConnectionError.
UNREACHABLE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
    }
}


@override_settings(CACHES=UNREACHABLE_CACHE)
@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/blueprints/", "/api/v1/meetups/"])
def test_the_api_answers_without_throttle_counters(anon_client, path):
    response = anon_client.get(path)
    assert response.status_code == 200, response.content[:300]


@override_settings(CACHES=UNREACHABLE_CACHE)
def test_signed_in_api_clients_are_served_too(admin_client):
    response = admin_client.get("/api/v1/clouds/")
    assert response.status_code == 200, response.content[:300]


@override_settings(CACHES=UNREACHABLE_CACHE)
def test_sign_in_works_and_a_wrong_password_is_still_refused(anon_client, member_user):
    refused = anon_client.post(reverse("login"), {"username": "mike-member", "password": "no"})
    assert refused.status_code == 200
    assert "_auth_user_id" not in anon_client.session

    signed_in = anon_client.post(
        reverse("login"), {"username": "mike-member", "password": "pw-mike-member"}
    )
    assert signed_in.status_code == 302
    assert anon_client.session["_auth_user_id"] == str(member_user.pk)
