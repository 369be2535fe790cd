"""The admins' overview tile: clouds, hosts and aggregates at a glance."""

from django.http import HttpRequest

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
