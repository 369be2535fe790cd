"""Reads of aggregates and flavors for pages and the API, in a constant number of queries."""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import (
    Count,
    QuerySet,
)

from aggregates.models import Aggregate, Cloud, Flavor
from dashboard import permissions


def aggregates_for_table(cloud: Cloud) -> QuerySet[Aggregate]:
    """Aggregates of `cloud` with a host count; attach names to a page with `with_host_names`."""
    return (
        Aggregate.objects.filter(cloud=cloud).annotate(host_count=Count("hosts")).order_by("name")
    )


def with_host_names(aggregates: Iterable[Aggregate]) -> list[Aggregate]:
    """Set `host_names` (sorted) on each aggregate, in one query of (aggregate, name) pairs.

    Cheaper than prefetching Host rows: one zone aggregate may hold thousands of hosts.
    """
    aggregates = list(aggregates)
    names: dict[int, list[str]] = defaultdict(list)
    pairs = (
        Aggregate.hosts.through.objects.filter(aggregate_id__in=[a.pk for a in aggregates])
        .order_by("host__name")
        .values_list("aggregate_id", "host__name")
    )
    for aggregate_id, name in pairs:
        names[aggregate_id].append(name)
    for aggregate in aggregates:
        aggregate.host_names = names[aggregate.pk]
    return aggregates


def flavors_for(user: Any, cloud: Cloud) -> QuerySet[Flavor]:
    """Admins see every flavor; members the enabled public ones (no project mapping for users)."""
    flavors = Flavor.objects.filter(cloud=cloud)
    if not permissions.is_cloud_admin(user):
        flavors = flavors.filter(is_public=True, disabled=False)
    return flavors.order_by("ram", "vcpus", "flavor_id")


def aggregate_choices(cloud: Cloud) -> list[tuple[str, str]]:
    """(id as text, name) of every aggregate, for a filter menu (one query)."""
    rows = Aggregate.objects.filter(cloud=cloud).order_by("name").values_list("pk", "name")
    return [(str(pk), name) for pk, name in rows]
