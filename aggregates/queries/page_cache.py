"""What cloud pages read from the cache (keyed by the cloud's version), and warming it.

Each reads every host, so a first view after a change is the slow one; a sync warms them in the
worker, so admins open them warm.
"""

import hashlib

from aggregates import queries, utilisation
from aggregates.models import Cloud, Flavor
from aggregates.preview import capacity


def heatmap(cloud: Cloud) -> dict:
    return queries.cached_for_version("heatmap", cloud, lambda: utilisation.heatmap(cloud))


def cloud_summary(cloud: Cloud) -> queries.CloudSummary:
    return queries.cached_for_version("cloud-summary", cloud, lambda: queries.cloud_summary(cloud))


def flavor_slots(cloud: Cloud, flavor: Flavor) -> capacity.FlavorSlots:
    """One flavor's slots per zone, aggregate and host (the capacity page, its CSV and API)."""
    key = f"flavor-slots:{flavor.pk}:{flavor.updated_at.isoformat()}"
    return queries.cached_for_version(key, cloud, lambda: capacity.flavor_slots(cloud, flavor))


def flavors_by_size(cloud: Cloud) -> list[Flavor]:
    return list(Flavor.objects.filter(cloud=cloud).order_by("ram", "vcpus", "disk", "flavor_id"))


def slots_matrix(cloud: Cloud, flavors: list[Flavor] | None = None) -> capacity.SlotsMatrix:
    """Slots of every flavor per zone; flavors are edited without touching the cloud's version,
    so their ids and edit times are part of the key."""
    flavors = flavors_by_size(cloud) if flavors is None else flavors
    edits = repr([(flavor.flavor_id, flavor.updated_at) for flavor in flavors])
    key = "slots-matrix:" + hashlib.sha1(edits.encode(), usedforsecurity=False).hexdigest()
    return queries.cached_for_version(key, cloud, lambda: capacity.slots_matrix(cloud, flavors))


def warm(cloud: Cloud) -> None:
    heatmap(cloud)
    cloud_summary(cloud)
    slots_matrix(cloud)
