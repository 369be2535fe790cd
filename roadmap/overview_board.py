"""The overview tile of the board: the next meeting the reader may see."""

from django.http import HttpRequest
from django.utils import timezone

from dashboard.overview import tile
from roadmap.queries import board as queries


@tile
def next_board_meeting(request: HttpRequest) -> dict:
    meeting = queries.next_meeting_for(request.user, today=timezone.localdate())
    return {
        "title": "Next board meeting",
        "template": "roadmap/partials/_board_tile.html",
        "meeting": meeting,
    }
