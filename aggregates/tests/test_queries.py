"""The cloud version: unchanged while nothing changes, new after any write pages depend on."""

import pytest
from django.urls import reverse
from django.utils import timezone

from aggregates import queries, services
from aggregates.models import Cloud
from aggregates.tests.factories import AggregateFactory, CloudFactory, FlavorFactory, HostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cloud():
    cloud = CloudFactory(slug="versioned")
    host = HostFactory(cloud=cloud, name="h1")
    AggregateFactory(cloud=cloud, name="plain", hosts=[host])
    AggregateFactory(cloud=cloud, name="zone", availability_zone="az")
    return cloud


def test_cloud_version_stays_while_nothing_changes(cloud, django_assert_num_queries):
    first = queries.cloud_version(cloud)
    with django_assert_num_queries(1):
        assert queries.cloud_version(cloud) == first
    assert queries.cloud_version(CloudFactory(slug="other")) != first


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(
            lambda c, u: services.set_host_status(
                c.hosts.get(), enabled=False, disabled_reason="x", actor=u
            ),
            id="host-saved",
        ),
        pytest.param(lambda c, u: c.hosts.get().delete(), id="host-deleted"),
        pytest.param(
            lambda c, u: services.add_host_to_aggregate(
                c.aggregates.get(name="zone"), "h1", actor=u
            ),
            id="membership",
        ),
        pytest.param(
            lambda c, u: services.set_aggregate_metadata(
                c.aggregates.get(name="plain"), {"ssd": "true"}, actor=u
            ),
            id="metadata",
        ),
        pytest.param(lambda c, u: c.aggregates.get(name="zone").delete(), id="aggregate-deleted"),
        pytest.param(
            lambda c, u: Cloud.objects.filter(pk=c.pk).update(last_sync_at=timezone.now()),
            id="synced",
        ),
    ],
)
def test_cloud_version_changes_with_what_pages_show(change, cloud, admin_user):
    before = queries.cloud_version(cloud)

    change(cloud, admin_user)

    assert queries.cloud_version(cloud) != before


def test_pages_cached_by_version_render_while_the_cache_is_down(admin_client, cloud, settings):
    # A Redis nobody listens on: reads and writes of the cache fail with a connection error.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }
    for name in ("aggregates:cloud_detail", "aggregates:cloud_heatmap"):
        response = admin_client.get(reverse(name, args=[cloud.slug]))
        assert response.status_code == 200, name


def test_the_clouds_table_counts_hosts_aggregates_and_flavors_each_on_its_own():
    counted = CloudFactory(slug="counted")
    hosts = [HostFactory(cloud=counted, name=f"h{number}") for number in range(3)]
    AggregateFactory(cloud=counted, name="a", hosts=hosts[:2])
    AggregateFactory(cloud=counted, name="b", hosts=hosts[1:])
    FlavorFactory(cloud=counted, flavor_id="1")
    FlavorFactory(cloud=counted, flavor_id="2")
    CloudFactory(slug="empty")

    table = queries.clouds_for_table()

    rows = {row.slug: (row.host_count, row.aggregate_count, row.flavor_count) for row in table}
    assert rows == {"counted": (3, 2, 2), "empty": (0, 0, 0)}
    # Subqueries, not one join: 10,000 hosts x 500 aggregates x the flavors is billions of rows.
    assert " JOIN " not in str(table.query)
