"""Availability zones of a cloud: names and availability for all; hosts, aggregates for admins."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from aggregates import queries
from aggregates.views.common import cloud_of
from dashboard import permissions


@permissions.signin_required
@require_GET
def zone_list(request: HttpRequest, slug: str) -> HttpResponse:
    cloud = cloud_of(request, slug)
    context = {
        "cloud": cloud,
        "zones": queries.availability_zones(cloud),
        "show_members": permissions.can_view_hosts_and_aggregates(request.user),
    }
    return render(request, "aggregates/zone_list.html", context)
