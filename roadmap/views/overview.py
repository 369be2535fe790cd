"""The roadmap's overview tiles: how far the current series has come; the next board meeting."""

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone

from dashboard.overview import tile
from roadmap.queries import board as queries
from roadmap.queries.blueprints import current_series


@tile
def current_series_progress(request: HttpRequest) -> dict | None:
    series = current_series()
    if series is None:
        return None
    counts = series.blueprints.aggregate(
        total=Count("pk"),
        complete=Count("pk", filter=Q(lifecycle_status="Complete")),
        started=Count("pk", filter=Q(lifecycle_status="Started")),
        not_started=Count("pk", filter=Q(lifecycle_status="Not started")),
    )
    return {
        "title": f"Roadmap: {series.name}",
        "template": "roadmap/partials/_overview_tile.html",
        "series": series,
        **counts,
    }


@tile
def next_board_meeting(request: HttpRequest) -> dict:
    meeting = queries.next_meeting_for(request.user, today=timezone.localdate())
    return {
        "title": "Next board meeting",
        "template": "roadmap/partials/_board_tile.html",
        "meeting": meeting,
    }
