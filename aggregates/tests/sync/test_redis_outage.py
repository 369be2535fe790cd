"""The sync page while Redis, the cache, is unreachable: it renders from the database alone."""

import pytest
from django.test import override_settings
from django.urls import reverse

from dashboard.tests.test_redis_outage import UNREACHABLE_CACHE


@pytest.mark.django_db
@override_settings(CACHES=UNREACHABLE_CACHE)
@pytest.mark.parametrize("name", ["aggregates:cloud_sync", "aggregates:cloud_sync_status"])
def test_sync_pages_render_without_the_cache(admin_client, connected_cloud, name):
    response = admin_client.get(reverse(name, args=[connected_cloud.slug]))
    assert response.status_code == 200
    assert b'id="sync-status"' in response.content
