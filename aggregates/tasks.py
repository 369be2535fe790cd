"""Celery entry points of resource segregation: utilisation samples and their retention."""

import logging

from celery import shared_task

from aggregates import utilisation
from aggregates.choices import CloudKind
from aggregates.models import Cloud
from dashboard import locks

logger = logging.getLogger(__name__)


@shared_task
def sample_local_clouds() -> int:
    """One utilisation sample per host of every local cloud (connected ones sample at sync)."""
    written = 0
    for cloud in Cloud.objects.filter(kind=CloudKind.LOCAL):
        written += utilisation.record_utilisation_samples(cloud)
    return written


@shared_task
def downsample_utilisation() -> dict[str, int] | None:
    """Apply the retention policy; idempotent, one run at a time."""
    with locks.held_lock("utilisation-downsample") as held:
        if not held:
            logger.info("utilisation downsampling skipped: another worker is running it")
            return None
        return utilisation.downsample_utilisation()
