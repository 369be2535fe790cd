"""Celery entry points of utilisation: local clouds sampled, downsampling run under its lock."""

from datetime import timedelta

import pytest
from django.utils import timezone

from aggregates import tasks
from aggregates.choices import CloudKind, Level, Resolution
from aggregates.models import UtilisationSample
from aggregates.tests.factories import CloudFactory, HostFactory
from aggregates.tests.utilisation_samples import store_reading

pytestmark = pytest.mark.django_db


def test_sample_local_clouds_skips_connected_ones():
    local = CloudFactory(slug="local-one")
    HostFactory(cloud=local)
    connected = CloudFactory(slug="far", kind=CloudKind.CONNECTED, os_cloud="far")
    HostFactory(cloud=connected)

    written = tasks.sample_local_clouds()

    assert written == 3  # host, zone, cloud
    assert set(UtilisationSample.objects.values_list("cloud__slug", flat=True)) == {"local-one"}


def test_downsample_task_merges_old_raw_samples():
    cloud = CloudFactory(slug="old")
    HostFactory(cloud=cloud)
    store_reading(
        cloud,
        Level.CLOUD,
        cloud.name,
        resolution=Resolution.RAW,
        ts=timezone.now() - timedelta(days=3),
        **dict.fromkeys(("vcpus_used", "vcpus_capacity", "memory_mb_used"), 2),
        **dict.fromkeys(("memory_mb_capacity", "local_gb_used", "local_gb_capacity"), 2),
        running_vms=1,
    )

    result = tasks.downsample_utilisation()

    assert result == {"raw_merged": 1, "hourly_merged": 0, "daily_expired": 0}
    assert UtilisationSample.objects.get().resolution == Resolution.HOURLY
