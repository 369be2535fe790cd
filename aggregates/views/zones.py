"""Availability zones of a cloud: names and availability for all; hosts, aggregates for admins."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from aggregates import queries
from aggregates.views.common import cloud_of
from dashboard import permissions
from dashboard.sorting import sort_rows

# The zone table's sort keys (`?sort=`); the default is the engine's order (by name).
ZONE_SORT_KEYS = {
    "name": lambda zone: zone.name,
    "available": lambda zone: (zone.available, zone.name),
    "hosts": lambda zone: (len(zone.hosts), zone.name),
}


@permissions.signin_required
@require_GET
def zone_list(request: HttpRequest, slug: str) -> HttpResponse:
    cloud = cloud_of(request, slug)
    show_members = permissions.can_view_hosts_and_aggregates(request.user)
    # Members see no hosts, so they may not order by them either.
    public = ("name", "available")
    keys = ZONE_SORT_KEYS if show_members else {k: ZONE_SORT_KEYS[k] for k in public}
    context = {
        "cloud": cloud,
        "zones": sort_rows(queries.availability_zones(cloud), request.GET.get("sort"), keys),
        "show_members": show_members,
    }
    return render(request, "aggregates/zone_list.html", context)
