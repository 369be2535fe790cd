"""Admins' overview tiles: clouds at a glance, capacity per zone, sync health, hottest hosts."""

from django.http import HttpRequest

from aggregates import utilisation
from aggregates.models import Aggregate, Cloud, Host
from dashboard import permissions
from dashboard.overview import tile


@tile
def segregation_tile(request: HttpRequest) -> dict | None:
    if not permissions.is_cloud_admin(request.user):
        return None
    return {
        "title": "Clouds",
        "template": "aggregates/partials/_overview_tile.html",
        "counts": {
            "clouds": Cloud.objects.count(),
            "hosts": Host.objects.count(),
            "aggregates": Aggregate.objects.count(),
        },
    }


MAX_CLOUDS = 5  # the tile summarises; the utilisation page has the rest


@tile
def capacity_tile(request: HttpRequest) -> dict | None:
    if not permissions.is_cloud_admin(request.user):
        return None
    clouds = Cloud.objects.order_by("name", "slug")[:MAX_CLOUDS]
    return {
        "title": "Capacity",
        "template": "aggregates/partials/_overview_capacity_tile.html",
        "clouds": [
            {"cloud": cloud, "total": total, "zones": zones}
            for cloud, total, zones in utilisation.clouds_with_zones(clouds)
        ],
    }


@tile
def sync_health_tile(request: HttpRequest) -> dict | None:
    if not permissions.is_cloud_admin(request.user):
        return None
    clouds = Cloud.objects.order_by("name").only(
        "slug", "name", "kind", "last_sync_at", "last_sync_status", "last_sync_error"
    )
    return {
        "title": "Sync health",
        "template": "aggregates/partials/_overview_sync_tile.html",
        "clouds": list(clouds[:20]),
    }


@tile
def hottest_hosts_tile(request: HttpRequest) -> dict | None:
    if not permissions.is_cloud_admin(request.user):
        return None
    hosts = utilisation.hottest_hosts(Cloud.objects.values_list("pk", flat=True), limit=5)
    for host in hosts:
        host["percent"] = round(100 * host["hottest"])
    return {
        "title": "Hottest hosts",
        "template": "aggregates/partials/_overview_hottest_tile.html",
        "hosts": hosts,
    }
