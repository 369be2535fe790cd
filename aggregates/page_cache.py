"""What cloud pages read from the cache (keyed by the cloud's version), and warming it.

Both read every host, so a first view after a change is the slow one; a sync warms them in the
worker, so admins open them warm.
"""

from aggregates import queries, utilisation
from aggregates.models import Cloud


def heatmap(cloud: Cloud) -> dict:
    return queries.cached_for_version("heatmap", cloud, lambda: utilisation.heatmap(cloud))


def cloud_summary(cloud: Cloud) -> queries.CloudSummary:
    return queries.cached_for_version("cloud-summary", cloud, lambda: queries.cloud_summary(cloud))


def warm(cloud: Cloud) -> None:
    heatmap(cloud)
    cloud_summary(cloud)
