"""A cloud's version marker: what changes whenever anything a page or the engine reads does."""

import hashlib

from django.db.models import CharField, Count, Max, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Concat

from aggregates.models.aggregates import Aggregate
from aggregates.models.clouds import Cloud
from aggregates.models.hosts import Host


def cloud_version(cloud: Cloud) -> str:
    """A marker that changes whenever the cloud, one of its hosts or aggregates, or who is in
    which aggregate changes: the key of what pages derive from them and cache. One query.

    Services save an `updated_at` with every write (a membership change saves its aggregate),
    a deletion lowers a count, and every sync sets `last_sync_at` (its membership changes
    save no row).
    """
    parts = {
        "hosts_version": _latest_and_count(Host.objects.filter(cloud=OuterRef("pk"))),
        "aggregates_version": _latest_and_count(Aggregate.objects.filter(cloud=OuterRef("pk"))),
    }
    row = (
        Cloud.objects.filter(pk=cloud.pk)
        .annotate(**parts)
        .values_list("pk", "created_at", "updated_at", "last_sync_at", *parts)
        .get()
    )
    return hashlib.sha1(repr(row).encode(), usedforsecurity=False).hexdigest()


def _latest_and_count(rows: QuerySet) -> Subquery:
    """'<latest updated_at>/<count>' of `rows` in one scan, NULL when there are none."""
    summary = Concat(
        Cast(Max("updated_at"), CharField()), Value("/"), Cast(Count("*"), CharField())
    )
    return Subquery(
        rows.order_by().annotate(one=Value(1)).values("one").annotate(v=summary).values("v")
    )
